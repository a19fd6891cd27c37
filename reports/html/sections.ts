// One renderer per part of index.html, each over the view model (view.ts):
// the header with the gate verdict, then the sections in SECTIONS order. A
// renderer formats what the view holds; it computes no count and reads
// nothing else. The page (page.ts) wraps each section and lists it in the
// table of contents, so the two cannot drift.

import { RESULTS_SCHEMA, STATUSES } from '../../model/results.ts';
import type { DialectDecision, Respawns } from '../../model/contract.ts';
import { mergedText } from '../gate.ts';
import { escapeAttr as a, escapeMarkup as h, fmtDate, fmtMs } from '../text.ts';
import { caseBlock, countChips, findingsBlock, idList, kvTable, statusChip, table } from './fragments.ts';
import { COUNT_KEYS, type CauseView, type FamilyView, type MatrixCell, type ReportView, type Verdict } from './view.ts';
import { READING_TEXT, READINGS, type BugClassGroup, type CompatCell, type CompatFailure, type ReadingCounts } from '../compat.ts';

const VERDICT_TEXT: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', known: 'KNOWN', notrun: 'NOT RUN' };
const VERDICT_CHIP: Record<Verdict, string> = { pass: 'pass', fail: 'fail', known: 'known', notrun: 'skip' };

/** The top of the page: what ran, and the gate's verdict with its reasons. */
export function header(v: ReportView): string[] {
  const { gate, kind, reasons } = v.verdict;
  return [
    `<header class="top"><div><h1>pqc-harness compliance report</h1><div class="sub">ML-KEM (FIPS 203) and ML-DSA (FIPS 204) · ${v.cases} cases · ${v.backends.length} backend(s) · ${v.vectors.length} vector file(s) · ${h(fmtDate(v.run.startedAt))}${Number.isFinite(v.durationMs) ? ` · ${h(fmtMs(v.durationMs))}` : ''}</div></div>`,
    `<div id="verdict" class="verdict ${kind}" data-exit-code="${gate.exitCode}">${h(gate.verdict)}</div>`,
    `<div class="sub">${reasons.map((m) => h(m)).join('<br>') || 'every case that ran passed; no memory findings'}</div></header>`,
  ];
}

function totals(v: ReportView): string[] {
  const s = v.summary;
  const g = v.verdict.gate;
  const out = ['<div class="totals">', `<div class="stat" data-status="total" data-status-count="${v.cases}"><span class="n">${v.cases}</span><span class="l">cases</span></div>`];
  for (const st of [...STATUSES, 'findings'] as const) {
    const n = s[st];
    out.push(`<div class="stat s-${st}${n === 0 ? ' zero' : ''}" data-status="${st}" data-status-count="${n}"><span class="n">${n}</span><span class="l">${st}</span></div>`);
  }
  out.push('</div>');
  if (g.knownFailures.length > 0 || g.fixed.length > 0 || g.missing.length > 0) {
    out.push(
      `<p class="note">Baseline: ${g.knownFailures.length} known failure(s) tolerated, ${g.newFailures.length} new; ${g.fixed.length} baseline failure(s) now pass; ${g.missing.length} baseline case(s) did not run.</p>`,
    );
  }
  return out;
}

function matrixCell(cell: MatrixCell | undefined): string {
  if (!cell) return '<td class="cell empty" title="no cases">—</td>';
  const data = COUNT_KEYS.map((k) => `data-${k}="${cell.counts[k]}"`).join(' ');
  return `<td class="cell v-${cell.verdict}" data-backend="${a(cell.backend)}" data-param="${a(cell.parameterSet)}" data-suite="${a(cell.suite)}" data-verdict="${cell.verdict}" ${data}><div class="cv">${VERDICT_TEXT[cell.verdict]}</div><div>${countChips(cell.counts)}</div></td>`;
}

function matrix(v: ReportView): string[] {
  const out = ['<p class="muted">Each cell: verdict and case counts. FAIL = a failure, crash, timeout, error or memory finding; KNOWN = only failures listed in the baseline; NOT RUN = every case skipped.</p>'];
  if (v.matrix.backends.length === 0) return [...out, '<p class="note">No cases in this run.</p>'];
  out.push(`<table class="grid matrix"><thead><tr><th>backend</th><th>parameter set</th>${v.matrix.suites.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>`);
  for (const { backend, rows } of v.matrix.backends) {
    rows.forEach((row, i) => {
      out.push(`<tr>${i === 0 ? `<th rowspan="${rows.length}"><code>${h(backend)}</code></th>` : ''}<td>${h(row.parameterSet)}</td>${row.cells.map(matrixCell).join('')}</tr>`);
    });
  }
  out.push('</tbody></table>');
  return out;
}

const READING_LABEL = { fail: 'FAIL', pass: 'PASS', refused: 'REFUSED', notexpressible: 'N/E' } as const;
/** One mark per reading, for counts in a narrow cell (the legend above the table names them). */
const READING_MARK = { fail: '✗', pass: '✓', refused: '⊘', notexpressible: '–' } as const;

/** `25 pass · 5 refused as expected`: the non-zero readings of a cell or a column. */
function readingCounts(n: ReadingCounts): string {
  return READINGS.filter((r) => n[r] > 0).map((r) => `${n[r]} ${READING_TEXT[r]}`).join(' · ');
}

/** `✓25 ⊘5`: the same, short. */
function readingMarks(n: ReadingCounts): string {
  return READINGS.filter((r) => n[r] > 0).map((r) => `${READING_MARK[r]}${n[r]}`).join(' ');
}

function compatCell(cell: CompatCell | undefined): string {
  if (!cell) return '<td class="ccell empty" title="no case of this row ran here">—</td>';
  const data = READINGS.map((r) => `data-${r}="${cell.counts[r]}"`).join(' ');
  const word = cell.failure ? `<a href="#${cell.failure}">${READING_LABEL.fail}</a>` : READING_LABEL[cell.reading];
  const counts = readingCounts(cell.counts);
  return `<td class="ccell r-${cell.reading}" data-backend="${a(cell.backend)}" data-reading="${cell.reading}" ${data} title="${a(counts)}"><div class="cv">${word}</div><div class="cn">${h(readingMarks(cell.counts))}</div></td>`;
}

function compatFailure(f: CompatFailure): string {
  const classes = f.classes.map((c) => `<span class="chip sev-${c.severity}">${h(c.severity)}</span> <code>${h(c.bugClass)}</code> ${c.count}`).join(' ');
  return [
    `<details class="compat-failure" id="${f.anchor}" data-backend="${a(f.backend)}" data-family="${a(f.family)}"><summary><code>${h(f.backend)}</code> · ${h(f.parameterSet)} · ${h(f.suite)}/${h(f.family)}: ${statusChip('fail', f.count)} ${classes} <span class="fips">${f.fips ? `${h(f.fips.standard)} ${h(f.fips.clause)}` : 'no FIPS mapping'}</span></summary><div class="inner">`,
    `<ul>${f.causes.map((c) => `<li>${c.count} × ${h(c.title)}</li>`).join('')}</ul>`,
    idList({ shown: f.ids, more: f.count - f.ids.length }),
    '</div></details>',
  ].join('\n');
}

function compat(v: ReportView): string[] {
  const { columns, rows, failures } = v.compat;
  const out = [
    '<p class="muted">Every implementation of the run side by side: a row per parameter set and vector family, a column per implementation. A cell reads <strong>FAIL</strong> (a case failed: wrong answer, bad input accepted, crash, timeout, error, memory finding), <strong>PASS</strong> (every case that ran gave the expected answer), <strong>REFUSED</strong> (every case that ran expected a refusal and got one) or <strong>N/E</strong> (not expressible: every case was skipped because the implementation\'s API cannot express the operation or its inputs), with its cases per reading (✓ pass, ⊘ refused as expected, ✗ fail, – not expressible; the full words in each cell\'s tooltip). A failing cell links to its bug classes, causes and FIPS clause below.</p>',
    `<div class="wide"><table class="grid compat"><thead><tr><th>parameter set</th><th>suite / family</th>${columns.map((c) => `<th title="${a(`${c.name} ${c.version}`)}"><code>${h(c.backend).replace(/([-:/])/g, '$1<wbr>')}</code></th>`).join('')}</tr></thead><tbody>`,
  ];
  for (const r of rows) {
    out.push(`<tr><td class="ps">${h(r.parameterSet)}</td><td class="fam">${h(r.suite)}/<strong>${h(r.family)}</strong>${r.fips ? `<div class="fips">${h(r.fips.standard)} ${h(r.fips.clause)}</div>` : ''}</td>${r.cells.map(compatCell).join('')}</tr>`);
  }
  out.push(`<tr class="totals-row"><th colspan="2">all cases</th>${columns.map((c) => `<td class="cn" title="${a(readingCounts(c.counts))}">${h(readingMarks(c.counts)).replace(/ /g, '<br>')}${c.broken ? `<br><strong>${c.broken} crash/timeout/error</strong>` : ''}</td>`).join('')}</tr>`);
  out.push('</tbody></table></div>');
  if (failures.length) out.push(`<h3>Failing cells (${failures.length})</h3>`, ...failures.map(compatFailure));
  return out;
}

function bugClassBlock(g: BugClassGroup): string {
  return [
    `<details class="bug-class" data-bug-class="${a(g.bugClass)}" data-severity="${g.severity}" data-count="${g.count}"><summary><span class="chip sev-${g.severity}">${h(g.severity)}</span> <code>${h(g.bugClass)}</code>: ${g.count} case(s) on ${g.backends.map(([b, n]) => `<code>${h(b)}</code> ${n}`).join(', ')}</summary><div class="inner">`,
    g.what ? `<p>${h(g.what)}.</p>` : '',
    `<ul>${g.families.map((f) => `<li>${h(f.suite)}/<code>${h(f.family)}</code> ${f.count} <span class="fips">${f.fips ? `${h(f.fips.standard)} ${h(f.fips.clause)}` : 'no FIPS mapping'}</span></li>`).join('')}</ul>`,
    idList({ shown: g.ids, more: g.count - g.ids.length }),
    '</div></details>',
  ].join('\n');
}

function bugClasses(v: ReportView): string[] {
  if (v.bugClasses.length === 0) return ['<p class="muted">No failing cases.</p>'];
  return [
    '<p class="muted">Every failing case carries the kind of defect it points at and its severity, decided from its suite, vector family and the vector\'s own flags by one table (<code>model/bug-classes.ts</code>). Critical: unsafe memory, a crash, a forgery or a chosen-ciphertext oracle; high: a check FIPS 203/204 requires is missing, or a wrong answer; medium: malformed input only a caller\'s own mistake reaches, or a valid input refused; low: the harness could not tell.</p>',
    ...v.bugClasses.map(bugClassBlock),
  ];
}

function cause({ cause: c, families, ids, open }: CauseView): string {
  const sample = c.cases[0]!;
  return [
    `<details class="cause" data-cause-count="${c.cases.length}"${open ? ' open' : ''}><summary><span class="cause-title">${c.cases.length} case(s), 1 cause:</span> ${h(c.title)}${c.diagnosis ? ` <em class="diagnosis-title">${h(c.diagnosis.title)}</em>` : ''}</summary><div class="inner">`,
    `<div class="meta"><span>backends: ${c.backends.map((x) => `<code>${h(x)}</code>`).join(', ')}</span><span>families: ${h(families.slice(0, 8).join(', '))}${families.length > 8 ? ` … (+${families.length - 8})` : ''}</span></div>`,
    c.frames ? `<div>top frames: <code>${h(c.frames)}</code></div>` : '',
    c.diagnosis
      ? `<div class="diagnosis" data-diagnosis="${a(c.diagnosis.id)}"><p><strong>Diagnosis:</strong> ${h(c.diagnosis.title)}.</p><p>${h(c.diagnosis.explanation)}</p><p><strong>Fix:</strong> ${h(c.diagnosis.fix)}</p><p class="muted">evidence: ${h(c.diagnosis.evidence.join('; '))}</p></div>`
      : '',
    c.answers ? `<p class="answers"><strong>Answers:</strong> ${h(c.answers.text)}</p>` : '',
    `<div class="muted">first case: <code>${h(sample.id)}</code></div>`,
    sample.findings[0] ? findingsBlock([sample.findings[0]]) : '',
    idList(ids),
    '</div></details>',
  ].join('\n');
}

function causes(v: ReportView): string[] {
  if (v.causes.length === 0) return ['<p class="muted">No failing cases.</p>'];
  return [
    `<p>${v.failingCases} failing case(s), ${v.causes.length} distinct cause(s). Cases are grouped when their first memory finding (kind, message, top three native frames, or the one line of a Python/Node stack that crashed; for a timing finding, its code location), their crash (signal and stderr headline) or their failure reason is the same.</p>`,
    ...v.causes.map(cause),
  ];
}

function fipsText(f: FamilyView): string {
  return f.fips ? `${h(f.fips.standard)} ${h(f.fips.clause)}` : 'no FIPS mapping';
}

function family(f: FamilyView, caps: ReportView['caps']): string[] {
  const out = [
    `<details class="family" data-suite="${a(f.suite)}" data-family="${a(f.family)}" data-verdict="${f.verdict}"${f.verdict === 'fail' ? ' open' : ''}><summary><span class="chip s-${VERDICT_CHIP[f.verdict]}">${VERDICT_TEXT[f.verdict]}</span> <strong>${h(f.family)}</strong> <span class="fips">${fipsText(f)}</span> · ${countChips(f.counts)}</summary><div class="inner">`,
  ];
  if (f.fips) out.push(`<p class="fips">${h(f.fips.standard)} ${h(f.fips.clause)}: ${h(f.fips.what)}.</p>`);
  for (const [note, n] of f.caseNotes) out.push(`<p class="note case-note">${n} passing case(s) note: ${h(note)}</p>`);
  for (const [how, n] of f.derived) out.push(`<p class="note derived-note"><span class="chip s-known">derived</span> ${n} case(s): ${h(how)}</p>`);
  out.push(`<p class="muted">${f.counts.total} case(s) over ${h(f.params.join(', '))}; ${h(fmtMs(f.counts.ms))} in total.</p>`);
  for (const c of f.failing.shown) out.push(caseBlock(c));
  if (f.failing.more > 0) {
    out.push(`<p class="note">${f.failing.more} more failing case(s) in this family are not shown in full (cap ${caps.perFamily} per family, ${caps.total} per report); they are listed under Failure causes and in results.json.</p>`);
  }
  out.push('</div></details>');
  return out;
}

function families(v: ReportView): string[] {
  const out = ['<p class="muted">One entry per vector family, with the FIPS 203 / FIPS 204 clause it exercises. Failing cases are listed in full; passing cases only as counts.</p>'];
  for (const s of v.suites) {
    out.push(`<h3>${h(s.suite)}</h3>`);
    for (const n of s.notes) out.push(`<p class="note suite-note">${h(n)}</p>`);
    for (const f of s.families) out.push(...family(f, v.caps));
  }
  return out;
}

function skips(v: ReportView): string[] {
  if (v.skips.count === 0) return ['<p class="muted">No skipped cases.</p>'];
  return [
    `<p>${v.skips.count} skipped case(s), ${v.skips.groups.length} reason(s). Skips do not fail the gate unless it runs in strict mode.</p>`,
    ...v.skips.groups.map(
      (g) =>
        `<details class="skip" data-skip-count="${g.count}"><summary>${statusChip('skip', g.count)} ${h(g.reason)}</summary><div class="inner"><div class="meta"><span>by backend: ${g.byBackend.map(([b, n]) => `<code>${h(b)}</code> ${n}`).join(', ')}</span></div>${idList(g.ids)}</div></details>`,
    ),
  ];
}

function vectors(v: ReportView): string[] {
  if (v.vectors.length === 0) return ['<p class="note">No vector files recorded for this run.</p>'];
  return [
    table(
      ['source', 'repository', 'commit', 'file', 'SHA-256'],
      v.vectors.map((x) => [h(x.source), h(x.repo), `<code title="${a(x.commit)}">${h(x.commit.slice(0, 12))}</code>`, `<code>${h(x.file)}</code>`, `<code class="v">${h(x.sha256)}</code>`]),
      'vectors',
    ),
  ];
}

function timings(v: ReportView): string[] {
  if (v.timings.length === 0) return ['<p class="muted">No cases.</p>'];
  const rows = v.timings.map((t) => [
    `<code>${h(t.backend)}</code>`,
    h(t.suite),
    `${t.counts.total}`,
    h(fmtMs(t.counts.ms)),
    h(fmtMs(t.meanMs)),
    t.slowest.map((c) => `<code>${h(c.id)}</code> ${h(fmtMs(c.durationMs))}`).join('<br>'),
  ]);
  return [table(['backend', 'suite', 'cases', 'total', 'mean', 'slowest cases'], rows, 'timings')];
}

function environment(v: ReportView): string[] {
  const run = v.run;
  const env = kvTable([
    ['harness', h(run.harnessVersion)],
    ['node', h(run.node)],
    ['platform', h(run.platform)],
    ['host', h(run.host)],
    ['started', h(fmtDate(run.startedAt))],
    ['finished', h(fmtDate(run.finishedAt))],
    ['argv', `<code>${h(run.argv.join(' '))}</code>`],
    ['shard', run.shard ? `${run.shard.index} of ${run.shard.count}` : '—'],
    ['merged', run.merged ? h(mergedText(run.merged)) : '—'],
    ['results schema', h(v.schema)],
  ]);
  const backends = v.backends.length
    ? table(
        ['id', 'name', 'version', 'kind', 'library', 'parameter sets', 'operations', 'respawns', 'dialect', 'notes'],
        v.backends.map((b) => [
          `<code>${h(b.id)}</code>`,
          h(b.name),
          h(b.version),
          h(b.kind),
          b.library ? `<code>${h(b.library.path)}</code><br><span class="muted">sha256 </span><code class="v">${h(b.library.sha256)}</code>` : '—',
          h(b.capabilities.parameterSets.join(', ')),
          `${b.capabilities.ops.length}: <span class="muted">${h(b.capabilities.ops.join(', '))}</span>`,
          b.respawns ? respawnsText(b.respawns) : '—',
          (b.dialect ?? []).map(dialectBlock).join('') || '—',
          (b.notes ?? []).map((n) => h(n)).join('<br>'),
        ]),
        'backends',
      )
    : '<p class="muted">No backends.</p>';
  return [env, '<h3>Backends</h3>', backends];
}

/** How often the peer behind a backend was replaced, by cause (a refusal by exit costs one too). */
function respawnsText(r: Respawns): string {
  const parts = (Object.entries(r) as [keyof Respawns, number][]).filter(([, n]) => n > 0).map(([k, n]) => `${n} after ${k === 'refusal' ? 'a refusal by exit' : `a ${k}`}`);
  return parts.length ? h(parts.join(', ')) : '0';
}

/** One decided (or open) dialect question, with the probes' evidence. */
function dialectBlock(d: DialectDecision): string {
  const verdict = d.decided === null ? '<strong>undetermined</strong> (its cases are skipped)' : `<strong>${h(d.decided)}</strong>`;
  return `<details class="dialect"><summary>${h(d.question)}: ${verdict}</summary><ul>${d.evidence.map((e) => `<li>${h(e)}</li>`).join('')}</ul></details>`;
}

function fipsMap(v: ReportView): string[] {
  const rows = v.suites.flatMap((s) => s.families).map((f) => [h(f.suite), `<code>${h(f.family)}</code>`, f.fips ? h(f.fips.standard) : '—', f.fips ? h(f.fips.clause) : '—', f.fips ? h(f.fips.what) : '—']);
  return [
    rows.length ? table(['suite', 'family', 'standard', 'clause', 'what it checks'], rows, 'fipsmap') : '<p class="muted">No families in this run.</p>',
    '<p class="muted">Each suite declares the clauses of its families (the suite table, <code>harness/suites/</code>); the run records them in results.json. Section numbers follow the final FIPS 203 and FIPS 204 (August 2024).</p>',
  ];
}

export interface Section {
  /** The element id, and the anchor the table of contents links to. */
  id: string;
  /** Its name in the table of contents. */
  nav: string;
  /** Its heading. */
  title: string;
  body: (v: ReportView) => string[];
  /** Shown only when this holds (default: always). */
  show?: (v: ReportView) => boolean;
}

/** The sections of index.html, in page order. */
export const SECTIONS: readonly Section[] = [
  { id: 'totals', nav: 'Totals', title: 'Totals', body: totals },
  { id: 'matrix', nav: 'Matrix', title: 'Backend × parameter set × suite', body: matrix },
  { id: 'compat', nav: 'Compatibility', title: 'Compatibility matrix: implementation × (parameter set, family)', body: compat, show: (v) => v.compat.columns.length > 1 },
  { id: 'bugclasses', nav: 'Bug classes', title: 'Failures by bug class and severity', body: bugClasses, show: (v) => v.bugClasses.length > 0 },
  { id: 'causes', nav: 'Causes', title: 'Failure causes', body: causes },
  { id: 'families', nav: 'Families', title: 'Families', body: families },
  { id: 'skips', nav: 'Skips', title: 'Skips', body: skips },
  { id: 'vectors', nav: 'Vectors', title: 'Vector provenance', body: vectors },
  { id: 'timings', nav: 'Timings', title: 'Timings', body: timings },
  { id: 'environment', nav: 'Environment', title: 'Run environment', body: environment },
  { id: 'fips', nav: 'FIPS map', title: 'Families and FIPS clauses', body: fipsMap },
];

export function footer(v: ReportView): string {
  return `<footer>Generated by pqc-harness ${h(v.run.harnessVersion)} from ${h(RESULTS_SCHEMA)}. results.json is the source of truth; this page and junit.xml are views of it.</footer>`;
}
