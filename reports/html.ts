// The HTML compliance report: one self-contained file (inline CSS and JS, no
// network, no fonts) that an auditor can read and a browser test can check.
// Every string from results.json is escaped. Passing cases appear only as
// counts; failing cases are shown in full up to a cap, so 20 000 cases render
// in well under a second.
//
// Machine-readable numbers: `<script type="application/json" id="results-summary">`
// (summary, gate, matrix cells, families) and data-* attributes on the totals
// (`data-status`, `data-status-count`) and matrix cells (`data-backend`,
// `data-param`, `data-suite`, one `data-<status>` per status, `data-verdict`).

import { ALL_PARAMS } from '../model/params.ts';
import type { FipsRef, Shown } from '../model/case.ts';
import type { Bench } from '../model/bench.ts';
import { groupCauses } from '../model/causes.ts';
import { isGateFailure, RESULTS_SCHEMA, STATUSES, type CaseResult, type Finding, type Results, type Status } from '../model/results.ts';
import { evaluateGate, caseKey, EXIT, type Baseline, type GateResult } from './gate.ts';
import { escapeAttr as a, escapeMarkup as h, naturalCompare, shortValue } from './text.ts';
import { benchSection } from './bench.ts';

export interface HtmlOptions {
  strict?: boolean;
  baseline?: Baseline;
  /** Failing cases shown in full per family (default 50). */
  maxCasesPerFamily?: number;
  /** Failing cases shown in full in the whole report (default 500). */
  maxCasesTotal?: number;
  /** Case ids listed per skip reason and per cause (default 500). */
  maxIdsPerGroup?: number;
  /** Benchmarks of the same backends (bench.json), shown as a chart section. */
  bench?: Bench;
}

type Counts = Record<Status, number> & { findings: number; total: number; ms: number };

function emptyCounts(): Counts {
  return { pass: 0, fail: 0, skip: 0, crash: 0, timeout: 0, error: 0, findings: 0, total: 0, ms: 0 };
}

function add(c: Counts, r: CaseResult): void {
  c[r.status]++;
  c.findings += r.findings.length;
  c.total++;
  c.ms += r.durationMs;
}

function bad(c: Counts): number {
  return c.fail + c.crash + c.timeout + c.error + c.findings;
}

type Verdict = 'pass' | 'fail' | 'known' | 'notrun';

const VERDICT_TEXT: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', known: 'KNOWN', notrun: 'NOT RUN' };

function groupBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    let g = m.get(k);
    if (!g) m.set(k, (g = []));
    g.push(it);
  }
  return m;
}

function fmtMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

function fmtDate(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A value cell: shortened hex with the full value in the title and a copy button. */
function value(v: string | number | boolean): string {
  const { text, shortened } = shortValue(v);
  if (!shortened) return `<code class="v">${h(text)}</code>`;
  return `<code class="v" title="${a(v)}">${h(text)}</code><button type="button" class="copy" title="Copy the full value">copy</button>`;
}

function statusChip(s: string, n?: number): string {
  return `<span class="chip s-${a(s)}">${n !== undefined ? `${n} ` : ''}${h(s)}</span>`;
}

function countChips(c: Counts, withPass = true): string {
  const parts: string[] = [];
  if (withPass && c.pass > 0) parts.push(statusChip('pass', c.pass));
  for (const s of ['fail', 'crash', 'timeout', 'error', 'skip'] as const) if (c[s] > 0) parts.push(statusChip(s, c[s]));
  if (c.findings > 0) parts.push(statusChip('findings', c.findings));
  return parts.join(' ');
}

function sourceText(r: CaseResult): string {
  if (!r.source) return '';
  const s = r.source;
  return [s.file, s.tgId !== undefined ? `tgId ${s.tgId}` : '', s.tcId !== undefined ? `tcId ${s.tcId}` : '', s.line !== undefined ? `line ${s.line}` : ''].filter(Boolean).join(' · ');
}

function shownTable(cls: string, title: string, shown: Shown): string {
  const rows = Object.keys(shown).map((k) => `<tr><th>${h(k)}</th><td>${value(shown[k]!)}</td></tr>`);
  return `<table class="kv ${cls}"><caption>${h(title)}</caption>${rows.join('')}</table>`;
}

function compareTable(expected: Shown | undefined, got: Shown | undefined): string {
  const keys = [...new Set([...Object.keys(expected ?? {}), ...Object.keys(got ?? {})])];
  if (keys.length === 0) return '';
  const rows = keys.map((k) => {
    const e = expected?.[k];
    const g = got?.[k];
    const differs = e !== g;
    return `<tr class="${differs ? 'differs' : 'same'}"><th>${h(k)}</th><td class="expected">${e === undefined ? '<span class="muted">—</span>' : value(e)}</td><td class="got">${g === undefined ? '<span class="muted">—</span>' : value(g)}</td></tr>`;
  });
  return `<table class="cmp"><thead><tr><th>field</th><th>expected</th><th>got</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function framesList(f: Finding): string {
  if (f.frames.length === 0) return '';
  const items = f.frames.map((fr) => {
    const where = [fr.file ? `${fr.file}${fr.line !== undefined ? `:${fr.line}` : ''}` : '', fr.obj ? `(${fr.obj})` : ''].filter(Boolean).join(' ');
    return `<li><code>${h(fr.fn)}</code>${where ? ` <span class="muted">${h(where)}</span>` : ''}</li>`;
  });
  return `<ol class="frames">${items.join('')}</ol>`;
}

function findingsBlock(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  return `<div class="findings">${findings
    .map((f) => `<div class="finding"><div>${statusChip('findings')} <strong>${h(f.tool)} · ${h(f.kind)}</strong>: ${h(f.message)}</div>${framesList(f)}</div>`)
    .join('')}</div>`;
}

const STDERR_SHOWN = 8000;

function caseBlock(r: CaseResult, known: boolean): string {
  const parts: string[] = [];
  parts.push(
    `<div class="meta"><span>backend <code>${h(r.backend)}</code></span><span>${h(r.parameterSet)}</span><span>op <code>${h(r.op)}</code></span>${r.source ? `<span>source <code>${h(sourceText(r))}</code></span>` : ''}<span>${h(fmtMs(r.durationMs))}</span>${known ? '<span class="chip s-known">known (baseline)</span>' : ''}</div>`,
  );
  if (r.reason) parts.push(`<p class="reason">${h(r.reason)}</p>`);
  const cmp = compareTable(r.expected, r.got);
  if (cmp) parts.push(cmp);
  if (r.inputs && Object.keys(r.inputs).length > 0) parts.push(shownTable('inputs', 'inputs', r.inputs));
  if (r.crash) {
    const err = r.crash.stderr.length > STDERR_SHOWN ? `${r.crash.stderr.slice(0, STDERR_SHOWN)}\n… ${r.crash.stderr.length - STDERR_SHOWN} more characters in results.json` : r.crash.stderr;
    parts.push(
      `<div class="crash"><div>signal <code>${h(r.crash.signal ?? 'none')}</code> · exit code <code>${h(r.crash.exitCode ?? 'none')}</code></div>${err ? `<pre class="stderr">${h(err)}</pre>` : ''}</div>`,
    );
  }
  parts.push(findingsBlock(r.findings));
  const st = r.status === 'pass' || r.status === 'skip' ? 'findings' : r.status;
  return `<details class="case" data-case-id="${a(r.id)}" data-backend="${a(r.backend)}" data-status="${a(r.status)}"><summary>${statusChip(st)} <code class="id">${h(r.id)}</code> <span class="muted">${h(r.backend)}</span>${r.reason ? ` <span class="why">${h(shortValue(r.reason, 60, 0, 120).text)}</span>` : ''}</summary><div class="case-body">${parts.join('')}</div></details>`;
}

function idList(ids: readonly string[], cap: number): string {
  const shown = ids.slice(0, cap).map((id) => `<li><code>${h(id)}</code></li>`);
  const more = ids.length > cap ? `<li class="muted">… and ${ids.length - cap} more (see results.json)</li>` : '';
  return `<ul class="ids">${shown.join('')}${more}</ul>`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table class="grid ${cls}"><thead><tr>${head.map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function kvTable(rows: [string, string][]): string {
  return `<table class="grid env"><tbody>${rows.map(([k, v]) => `<tr><th>${h(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

function verdictOf(c: Counts, allKnown: boolean): Verdict {
  if (bad(c) > 0) return allKnown ? 'known' : 'fail';
  if (c.pass === 0) return 'notrun';
  return 'pass';
}

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--known:#9a6700;--known-bg:#fff8c5;--skip:#57606a;--skip-bg:#eaeef2;--crash:#82071e;--crash-bg:#ffd8d3;--timeout:#bc4c00;--timeout-bg:#fff1e5;--error:#a0115e;--error-bg:#ffeff7;--find:#6639ba;--find-bg:#fbefff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
header.top{padding:20px 32px;border-bottom:1px solid var(--line);background:var(--soft);display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header.top h1{font-size:20px;margin:0}
header.top .sub{color:var(--muted)}
.verdict{font-weight:700;font-size:18px;padding:6px 16px;border-radius:6px;letter-spacing:.04em}
.verdict.pass{background:var(--pass);color:#fff}.verdict.fail{background:var(--fail);color:#fff}.verdict.notrun{background:var(--skip);color:#fff}.verdict.strict{background:var(--timeout);color:#fff}
nav.toc{padding:8px 32px;border-bottom:1px solid var(--line);position:sticky;top:0;background:#fffe;z-index:2;display:flex;gap:16px;flex-wrap:wrap}
nav.toc a{color:#0969da;text-decoration:none}nav.toc a:hover{text-decoration:underline}
nav.toc .tools{margin-left:auto;display:flex;gap:8px}
main{padding:8px 32px 48px;max-width:1400px}
section{margin-top:28px}
h2{font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.muted{color:var(--muted)}
.totals{display:flex;gap:12px;flex-wrap:wrap}
.stat{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:110px}
.stat .n{font-size:24px;font-weight:600;display:block}
.stat .l{color:var(--muted);text-transform:uppercase;font-size:11px;letter-spacing:.06em}
.stat.s-pass .n{color:var(--pass)}.stat.s-fail .n{color:var(--fail)}.stat.s-crash .n{color:var(--crash)}.stat.s-timeout .n{color:var(--timeout)}.stat.s-error .n{color:var(--error)}.stat.s-skip .n{color:var(--skip)}.stat.s-findings .n{color:var(--find)}
.stat.zero .n{color:var(--muted)!important;opacity:.6}
table{border-collapse:collapse}
table.grid{width:100%;margin:6px 0}
table.grid th,table.grid td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
table.grid thead th,table.env th{background:var(--soft);font-weight:600}
table.env{width:auto;min-width:50%}table.env th{width:160px}
table.grid tbody tr:nth-child(even) td{background:#fbfcfd}
table.grid td.num,table.grid th.num{text-align:right;font-variant-numeric:tabular-nums}
table.matrix td.cell{min-width:150px}
td.cell .cv{font-weight:700;font-size:12px;letter-spacing:.05em}
td.cell.v-pass{background:var(--pass-bg)!important}td.cell.v-pass .cv{color:var(--pass)}
td.cell.v-fail{background:var(--fail-bg)!important}td.cell.v-fail .cv{color:var(--fail)}
td.cell.v-known{background:var(--known-bg)!important}td.cell.v-known .cv{color:var(--known)}
td.cell.v-notrun{background:var(--skip-bg)!important}td.cell.v-notrun .cv{color:var(--skip)}
td.cell.empty{color:var(--muted);text-align:center}
.chip{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.s-pass{background:var(--pass-bg);color:var(--pass)}.s-fail{background:var(--fail-bg);color:var(--fail)}.s-skip{background:var(--skip-bg);color:var(--skip)}.s-crash{background:var(--crash-bg);color:var(--crash)}.s-timeout{background:var(--timeout-bg);color:var(--timeout)}.s-error{background:var(--error-bg);color:var(--error)}.s-findings{background:var(--find-bg);color:var(--find)}.s-known{background:var(--known-bg);color:var(--known)}
.stat.s-pass,.stat.s-fail,.stat.s-skip,.stat.s-crash,.stat.s-timeout,.stat.s-error,.stat.s-findings{background:none}
details{border:1px solid var(--line);border-radius:6px;margin:8px 0;background:#fff}
details>summary{cursor:pointer;padding:6px 10px;list-style-position:inside}
details[open]>summary{border-bottom:1px solid var(--line);background:var(--soft)}
details .inner{padding:6px 12px 10px}
details.case{margin:6px 0;border-color:#e4e8ec}
details.case>summary{font-size:13px}
.case-body{padding:8px 12px}
.meta{display:flex;gap:14px;flex-wrap:wrap;color:var(--muted);font-size:12.5px}
.reason{margin:6px 0;font-weight:500}
.why{color:var(--muted);font-size:12.5px}
table.cmp,table.kv{margin:8px 0;border:1px solid var(--line)}
table.cmp th,table.cmp td,table.kv th,table.kv td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
table.cmp thead th{background:var(--soft)}
table.cmp tr.differs td.got{background:var(--fail-bg)}table.cmp tr.differs td.expected{background:var(--pass-bg)}
table.kv caption{text-align:left;font-weight:600;color:var(--muted);padding:2px 0}
code.v{word-break:break-all}
button{font:inherit;font-size:12px;border:1px solid var(--line);background:var(--soft);border-radius:5px;padding:1px 8px;cursor:pointer}
button:hover{background:#eef1f4}
button.copy{margin-left:6px;padding:0 6px;font-size:11px}
pre.stderr{background:#161b22;color:#e6edf3;padding:8px 10px;border-radius:6px;overflow:auto;max-height:320px;white-space:pre-wrap}
.crash{margin:8px 0}
.findings .finding{border-left:3px solid var(--find);padding:4px 10px;margin:6px 0;background:#fdfaff}
ol.frames{margin:4px 0 0;padding-left:22px}
ul.ids{columns:2;margin:6px 0;padding-left:20px;font-size:12.5px}
.cause-title{font-weight:600}
.fips{color:var(--muted);font-size:12.5px}
.note{background:var(--known-bg);border:1px solid #eed888;border-radius:6px;padding:6px 10px;margin:8px 0}
footer{color:var(--muted);padding:16px 32px;border-top:1px solid var(--line)}
`;

const JS = `
(function(){
  document.addEventListener('click', function(ev){
    var t = ev.target;
    if (!(t instanceof HTMLElement)) return;
    if (t.classList.contains('copy')) {
      var v = t.previousElementSibling && t.previousElementSibling.getAttribute('title') || '';
      var done = function(){ var old = t.textContent; t.textContent = 'copied'; setTimeout(function(){ t.textContent = old; }, 1200); };
      var fallback = function(){ var ta = document.createElement('textarea'); ta.value = v; document.body.appendChild(ta); ta.select(); try { document.execCommand('copy'); } catch (e) {} ta.remove(); done(); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(v).then(done, fallback); else fallback();
    } else if (t.id === 'expand-all' || t.id === 'collapse-all') {
      var open = t.id === 'expand-all';
      document.querySelectorAll('main details').forEach(function(d){ d.open = open; });
    }
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
`;

export function toHtml(results: Results, opts: HtmlOptions = {}): string {
  const perFamilyCap = opts.maxCasesPerFamily ?? 50;
  const totalCap = opts.maxCasesTotal ?? 500;
  const idCap = opts.maxIdsPerGroup ?? 500;
  const gate: GateResult = evaluateGate(results, { strict: opts.strict, baseline: opts.baseline });
  const knownKeys = new Set(gate.knownFailures.map((c) => caseKey(c.backend, c.id)));
  const isKnown = (c: CaseResult) => knownKeys.has(caseKey(c.backend, c.id));
  const run = results.run;
  const s = results.summary;

  // One pass over the cases.
  const suitesSeen = new Set<string>();
  const cells = new Map<string, { backend: string; parameterSet: string; suite: string; counts: Counts; unknownBad: number }>();
  const families = new Map<string, { suite: string; family: string; counts: Counts; failing: CaseResult[]; params: Set<string> }>();
  const timing = new Map<string, { backend: string; suite: string; counts: Counts; slowest: CaseResult[] }>();
  const skips: CaseResult[] = [];
  for (const c of results.cases) {
    suitesSeen.add(c.suite);
    const ck = JSON.stringify([c.backend, c.parameterSet, c.suite]);
    let cell = cells.get(ck);
    if (!cell) cells.set(ck, (cell = { backend: c.backend, parameterSet: c.parameterSet, suite: c.suite, counts: emptyCounts(), unknownBad: 0 }));
    add(cell.counts, c);
    const failing = isGateFailure(c);
    if (failing && !isKnown(c)) cell.unknownBad++;

    const fk = JSON.stringify([c.suite, c.family]);
    let fam = families.get(fk);
    if (!fam) families.set(fk, (fam = { suite: c.suite, family: c.family, counts: emptyCounts(), failing: [], params: new Set() }));
    add(fam.counts, c);
    fam.params.add(c.parameterSet);
    if (failing) fam.failing.push(c);

    const tk = JSON.stringify([c.backend, c.suite]);
    let tm = timing.get(tk);
    if (!tm) timing.set(tk, (tm = { backend: c.backend, suite: c.suite, counts: emptyCounts(), slowest: [] }));
    add(tm.counts, c);
    if (tm.slowest.length < 3 || c.durationMs > tm.slowest[tm.slowest.length - 1]!.durationMs) {
      tm.slowest.push(c);
      tm.slowest.sort((x, y) => y.durationMs - x.durationMs);
      if (tm.slowest.length > 3) tm.slowest.pop();
    }
    if (c.status === 'skip') skips.push(c);
  }

  // Suites in the order the run recorded them; any other (an older results.json) after them.
  const SUITES = [...(run.suites ?? []).map((x) => x.name), ...[...suitesSeen].filter((x) => !(run.suites ?? []).some((y) => y.name === x))];
  const fipsOf = new Map<string, FipsRef>();
  for (const su of run.suites ?? []) for (const f of su.fips ?? []) fipsOf.set(`${su.name}\u0000${f.family}`, f);
  const fipsFor = (suite: string, family: string): FipsRef | undefined => fipsOf.get(`${suite}\u0000${family}`);
  const suiteOrder = SUITES.filter((x) => suitesSeen.has(x));
  const backendOrder = [...results.backends.map((b) => b.id)];
  for (const c of cells.values()) if (!backendOrder.includes(c.backend)) backendOrder.push(c.backend);
  const paramRank = (p: string) => {
    const i = ALL_PARAMS.indexOf(p as never);
    return i < 0 ? 99 : i;
  };

  // Verdict.
  const tested = gate.exitCode !== EXIT.usage;
  const verdictClass = !tested ? 'notrun' : gate.exitCode === EXIT.pass ? 'pass' : gate.exitCode === EXIT.strictSkips ? 'strict' : 'fail';
  const verdictText = !tested ? 'NOT TESTED' : gate.exitCode === EXIT.pass ? 'PASS' : gate.exitCode === EXIT.strictSkips ? 'FAIL (strict: skips)' : 'FAIL';
  const durationMs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);

  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="pqc-harness ${a(run.harnessVersion)}">`,
    `<title>pqc-harness report: ${h(verdictText)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
  );

  // Header.
  out.push(
    `<header class="top"><div><h1>pqc-harness compliance report</h1><div class="sub">ML-KEM (FIPS 203) and ML-DSA (FIPS 204) · ${results.cases.length} cases · ${results.backends.length} backend(s) · ${run.vectors.length} vector file(s) · ${h(fmtDate(run.startedAt))}${Number.isFinite(durationMs) ? ` · ${h(fmtMs(durationMs))}` : ''}</div></div>`,
    `<div id="verdict" class="verdict ${verdictClass}" data-exit-code="${gate.exitCode}">${h(verdictText)}</div>`,
    `<div class="sub">${gate.lines.slice(1).filter((m) => !m.startsWith('  ')).map((m) => h(m)).join('<br>') || 'every case that ran passed; no memory findings'}</div></header>`,
    '<nav class="toc"><a href="#totals">Totals</a><a href="#matrix">Matrix</a><a href="#causes">Causes</a><a href="#families">Families</a><a href="#skips">Skips</a><a href="#vectors">Vectors</a><a href="#timings">Timings</a><a href="#environment">Environment</a><a href="#fips">FIPS map</a>',
    '<span class="tools"><button type="button" id="expand-all">expand all</button><button type="button" id="collapse-all">collapse all</button></span></nav>',
    '<main>',
  );

  // Totals.
  out.push('<section id="totals"><h2>Totals</h2><div class="totals">');
  out.push(`<div class="stat" data-status="total" data-status-count="${results.cases.length}"><span class="n">${results.cases.length}</span><span class="l">cases</span></div>`);
  for (const st of [...STATUSES, 'findings'] as const) {
    const n = s[st];
    out.push(`<div class="stat s-${st}${n === 0 ? ' zero' : ''}" data-status="${st}" data-status-count="${n}"><span class="n">${n}</span><span class="l">${st}</span></div>`);
  }
  out.push('</div>');
  if (gate.knownFailures.length > 0 || gate.fixed.length > 0 || gate.missing.length > 0) {
    out.push(
      `<p class="note">Baseline: ${gate.knownFailures.length} known failure(s) tolerated, ${gate.newFailures.length} new; ${gate.fixed.length} baseline failure(s) now pass; ${gate.missing.length} baseline case(s) did not run.</p>`,
    );
  }
  out.push('</section>');

  // Matrix.
  out.push('<section id="matrix"><h2>Backend × parameter set × suite</h2>');
  out.push('<p class="muted">Each cell: verdict and case counts. FAIL = a failure, crash, timeout, error or memory finding; KNOWN = only failures listed in the baseline; NOT RUN = every case skipped.</p>');
  const matrixJson: object[] = [];
  if (cells.size === 0) out.push('<p class="note">No cases in this run.</p>');
  else {
    out.push(`<table class="grid matrix"><thead><tr><th>backend</th><th>parameter set</th>${suiteOrder.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>`);
    for (const b of backendOrder) {
      const params = [...new Set([...cells.values()].filter((c) => c.backend === b).map((c) => c.parameterSet))].sort((x, y) => paramRank(x) - paramRank(y));
      params.forEach((p, i) => {
        const tds = suiteOrder.map((su) => {
          const cell = cells.get(JSON.stringify([b, p, su]));
          if (!cell) return '<td class="cell empty" title="no cases">—</td>';
          const v = verdictOf(cell.counts, cell.unknownBad === 0);
          const data = [...STATUSES, 'findings', 'total'].map((k) => `data-${k}="${cell.counts[k as keyof Counts]}"`).join(' ');
          matrixJson.push({ backend: b, parameterSet: p, suite: su, verdict: v, ...Object.fromEntries([...STATUSES, 'findings', 'total'].map((k) => [k, cell.counts[k as keyof Counts]])) });
          return `<td class="cell v-${v}" data-backend="${a(b)}" data-param="${a(p)}" data-suite="${a(su)}" data-verdict="${v}" ${data}><div class="cv">${VERDICT_TEXT[v]}</div><div>${countChips(cell.counts)}</div></td>`;
        });
        out.push(`<tr>${i === 0 ? `<th rowspan="${params.length}"><code>${h(b)}</code></th>` : ''}<td>${h(p)}</td>${tds.join('')}</tr>`);
      });
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');

  // Causes.
  const causes = groupCauses(results);
  out.push('<section id="causes"><h2>Failure causes</h2>');
  if (causes.length === 0) out.push('<p class="muted">No failing cases.</p>');
  else {
    const nFailing = causes.reduce((n, c) => n + c.cases.length, 0);
    out.push(`<p>${nFailing} failing case(s), ${causes.length} distinct cause(s). Cases are grouped when their first memory finding (kind, message, top three native frames, or the one line of a Python/Node stack that crashed; for a timing finding, its code location), their crash (signal and stderr headline) or their failure reason is the same.</p>`);
    for (const c of causes) {
      const backends = [...new Set(c.cases.map((x) => x.backend))];
      const fams = [...new Set(c.cases.map((x) => x.family))];
      const sample = c.cases[0]!;
      out.push(
        `<details class="cause" data-cause-count="${c.cases.length}"${c.diagnosis || causes.length <= 3 ? ' open' : ''}><summary><span class="cause-title">${c.cases.length} case(s), 1 cause:</span> ${h(c.title)}${c.diagnosis ? ` <em class="diagnosis-title">${h(c.diagnosis.title)}</em>` : ''}</summary><div class="inner">`,
        `<div class="meta"><span>backends: ${backends.map((x) => `<code>${h(x)}</code>`).join(', ')}</span><span>families: ${h(fams.slice(0, 8).join(', '))}${fams.length > 8 ? ` … (+${fams.length - 8})` : ''}</span></div>`,
        c.frames ? `<div>top frames: <code>${h(c.frames)}</code></div>` : '',
        c.diagnosis ? `<div class="diagnosis" data-diagnosis="${a(c.diagnosis.id)}"><p><strong>Diagnosis:</strong> ${h(c.diagnosis.title)}.</p><p>${h(c.diagnosis.explanation)}</p><p><strong>Fix:</strong> ${h(c.diagnosis.fix)}</p><p class="muted">evidence: ${h(c.diagnosis.evidence.join('; '))}</p></div>` : '',
        c.answers ? `<p class="answers"><strong>Answers:</strong> ${h(c.answers.text)}</p>` : '',
        `<div class="muted">first case: <code>${h(sample.id)}</code></div>`,
        sample.findings[0] ? findingsBlock([sample.findings[0]]) : '',
        idList(c.cases.map((x) => `${x.backend}: ${x.id}`), idCap),
        '</div></details>',
      );
    }
  }
  out.push('</section>');

  // What a reader must know about suites and passing cases (e.g. draft-era vectors).
  const suiteNotes = new Map((run.suites ?? []).map((x) => [x.name, x.notes ?? []]));
  const caseNotes = new Map<string, Map<string, number>>();
  for (const c of results.cases) {
    if (!c.note) continue;
    const k = `${c.suite}\u0000${c.family}`;
    const m = caseNotes.get(k) ?? new Map<string, number>();
    m.set(c.note, (m.get(c.note) ?? 0) + 1);
    caseNotes.set(k, m);
  }

  // Families.
  out.push('<section id="families"><h2>Families</h2><p class="muted">One entry per vector family, with the FIPS 203 / FIPS 204 clause it exercises. Failing cases are listed in full; passing cases only as counts.</p>');
  let shownTotal = 0;
  const familyJson: object[] = [];
  const famList = [...families.values()].sort((x, y) => SUITES.indexOf(x.suite as never) - SUITES.indexOf(y.suite as never) || naturalCompare(x.family, y.family));
  let lastSuite = '';
  for (const f of famList) {
    if (f.suite !== lastSuite) {
      out.push(`<h3>${h(f.suite)}</h3>`);
      for (const n of suiteNotes.get(f.suite) ?? []) out.push(`<p class="note suite-note">${h(n)}</p>`);
      lastSuite = f.suite;
    }
    const ref = fipsFor(f.suite, f.family);
    const fv = verdictOf(f.counts, f.failing.every(isKnown));
    familyJson.push({ suite: f.suite, family: f.family, verdict: fv, fips: ref ? `${ref.standard} ${ref.clause}` : null, ...Object.fromEntries([...STATUSES, 'findings', 'total'].map((k) => [k, f.counts[k as keyof Counts]])) });
    out.push(
      `<details class="family" data-suite="${a(f.suite)}" data-family="${a(f.family)}" data-verdict="${fv}"${fv === 'fail' ? ' open' : ''}><summary><span class="chip s-${fv === 'pass' ? 'pass' : fv === 'notrun' ? 'skip' : fv === 'known' ? 'known' : 'fail'}">${VERDICT_TEXT[fv]}</span> <strong>${h(f.family)}</strong> <span class="fips">${ref ? `${h(ref.standard)} ${h(ref.clause)}` : 'no FIPS mapping'}</span> · ${countChips(f.counts)}</summary><div class="inner">`,
    );
    if (ref) out.push(`<p class="fips">${h(ref.standard)} ${h(ref.clause)}: ${h(ref.what)}.</p>`);
    for (const [note, n] of caseNotes.get(`${f.suite}\u0000${f.family}`) ?? []) out.push(`<p class="note case-note">${n} passing case(s) note: ${h(note)}</p>`);
    out.push(`<p class="muted">${f.counts.total} case(s) over ${h([...f.params].sort((x, y) => paramRank(x) - paramRank(y)).join(', '))}; ${h(fmtMs(f.counts.ms))} in total.</p>`);
    if (f.failing.length > 0) {
      const sorted = [...f.failing].sort((x, y) => naturalCompare(x.backend, y.backend) || naturalCompare(x.id, y.id));
      const room = Math.max(0, Math.min(perFamilyCap, totalCap - shownTotal));
      for (const c of sorted.slice(0, room)) out.push(caseBlock(c, isKnown(c)));
      shownTotal += Math.min(room, sorted.length);
      if (sorted.length > room) {
        out.push(`<p class="note">${sorted.length - room} more failing case(s) in this family are not shown in full (cap ${perFamilyCap} per family, ${totalCap} per report); they are listed under Failure causes and in results.json.</p>`);
      }
    }
    out.push('</div></details>');
  }
  out.push('</section>');

  // Skips.
  out.push('<section id="skips"><h2>Skips</h2>');
  if (skips.length === 0) out.push('<p class="muted">No skipped cases.</p>');
  else {
    const byReason = [...groupBy(skips, (c) => c.reason ?? '(no reason given)')].sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
    out.push(`<p>${skips.length} skipped case(s), ${byReason.length} reason(s). Skips do not fail the gate unless it runs in strict mode.</p>`);
    for (const [reason, list] of byReason) {
      const per = [...groupBy(list, (c) => c.backend)].map(([b, l]) => `<code>${h(b)}</code> ${l.length}`).join(', ');
      out.push(
        `<details class="skip" data-skip-count="${list.length}"><summary>${statusChip('skip', list.length)} ${h(reason)}</summary><div class="inner"><div class="meta"><span>by backend: ${per}</span></div>${idList(
          list.map((c) => `${c.backend}: ${c.id}`),
          idCap,
        )}</div></details>`,
      );
    }
  }
  out.push('</section>');

  // Vectors.
  out.push('<section id="vectors"><h2>Vector provenance</h2>');
  if (run.vectors.length === 0) out.push('<p class="note">No vector files recorded for this run.</p>');
  else {
    out.push(
      table(
        ['source', 'repository', 'commit', 'file', 'SHA-256'],
        run.vectors.map((v) => [h(v.source), h(v.repo), `<code title="${a(v.commit)}">${h(v.commit.slice(0, 12))}</code>`, `<code>${h(v.file)}</code>`, `<code class="v">${h(v.sha256)}</code>`]),
        'vectors',
      ),
    );
  }
  out.push('</section>');

  // Timings.
  out.push('<section id="timings"><h2>Timings</h2>');
  const tRows = [...timing.values()]
    .sort((x, y) => backendOrder.indexOf(x.backend) - backendOrder.indexOf(y.backend) || SUITES.indexOf(x.suite as never) - SUITES.indexOf(y.suite as never))
    .map((t) => [
      `<code>${h(t.backend)}</code>`,
      h(t.suite),
      `${t.counts.total}`,
      h(fmtMs(t.counts.ms)),
      h(fmtMs(t.counts.total ? t.counts.ms / t.counts.total : 0)),
      t.slowest.map((c) => `<code>${h(c.id)}</code> ${h(fmtMs(c.durationMs))}`).join('<br>'),
    ]);
  out.push(tRows.length ? table(['backend', 'suite', 'cases', 'total', 'mean', 'slowest cases'], tRows, 'timings') : '<p class="muted">No cases.</p>');
  out.push('</section>');

  // Environment and backends.
  out.push('<section id="environment"><h2>Run environment</h2>');
  out.push(
    kvTable(
      [
        ['harness', h(run.harnessVersion)],
        ['node', h(run.node)],
        ['platform', h(run.platform)],
        ['host', h(run.host)],
        ['started', h(fmtDate(run.startedAt))],
        ['finished', h(fmtDate(run.finishedAt))],
        ['argv', `<code>${h(run.argv.join(' '))}</code>`],
        ['shard', run.shard ? `${run.shard.index} of ${run.shard.count}` : '—'],
        ['results schema', h(results.schema)],
      ],
    ),
  );
  out.push('<h3>Backends</h3>');
  out.push(
    results.backends.length
      ? table(
          ['id', 'name', 'version', 'kind', 'library', 'parameter sets', 'operations', 'notes'],
          results.backends.map((b) => [
            `<code>${h(b.id)}</code>`,
            h(b.name),
            h(b.version),
            h(b.kind),
            b.library ? `<code>${h(b.library.path)}</code><br><span class="muted">sha256 </span><code class="v">${h(b.library.sha256)}</code>` : '—',
            h(b.capabilities.parameterSets.join(', ')),
            `${b.capabilities.ops.length}: <span class="muted">${h(b.capabilities.ops.join(', '))}</span>`,
            (b.notes ?? []).map((n) => h(n)).join('<br>'),
          ]),
          'backends',
        )
      : '<p class="muted">No backends.</p>',
  );
  out.push('</section>');

  // FIPS map.
  out.push('<section id="fips"><h2>Families and FIPS clauses</h2>');
  const present = famList.map((f) => {
    const ref = fipsFor(f.suite, f.family);
    return [h(f.suite), `<code>${h(f.family)}</code>`, ref ? h(ref.standard) : '—', ref ? h(ref.clause) : '—', ref ? h(ref.what) : '—'];
  });
  out.push(present.length ? table(['suite', 'family', 'standard', 'clause', 'what it checks'], present, 'fipsmap') : '<p class="muted">No families in this run.</p>');
  out.push('<p class="muted">Each suite declares the clauses of its families (the suite table, <code>harness/suites/</code>); the run records them in results.json. Section numbers follow the final FIPS 203 and FIPS 204 (August 2024).</p>');
  out.push('</section>');

  if (opts.bench) out.push(benchSection(opts.bench));

  out.push('</main>');
  out.push(`<footer>Generated by pqc-harness ${h(run.harnessVersion)} from ${h(RESULTS_SCHEMA)}. results.json is the source of truth; this page and junit.xml are views of it.</footer>`);

  const summaryJson = {
    schema: results.schema,
    cases: results.cases.length,
    summary: s,
    gate: { exitCode: gate.exitCode, passed: gate.passed, newFailures: gate.newFailures.length, knownFailures: gate.knownFailures.length, skips: gate.skips.length },
    causes: causes.map((c) => ({ title: c.title, count: c.cases.length, ...(c.diagnosis ? { diagnosis: c.diagnosis.id } : {}) })),
    matrix: matrixJson,
    families: familyJson,
  };
  // `<` escaped so no string in the data can close the script element.
  out.push(`<script type="application/json" id="results-summary">${JSON.stringify(summaryJson).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}</script>`);
  out.push(`<script>${JS}</script>`);
  out.push('</body></html>', '');
  return out.join('\n');
}
