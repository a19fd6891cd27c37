// index.html, the self-contained compliance report: one file (inline CSS and
// JS, no network, no fonts) that an auditor can read and a browser test can
// check. toHtml builds the view model once (view.ts), renders the header and
// each section of the SECTIONS table (sections.ts), the embedded benchmark
// section when bench.json is given (../bench/html.ts), and wraps them in the
// page shell below: head with CSS, table of contents, footer, script. Every
// string from results.json is escaped. Passing cases appear only as counts;
// failing cases are shown in full up to a cap, so 20 000 cases render in well
// under a second.
//
// Machine-readable numbers: `<script type="application/json" id="results-summary">`
// (summary, gate, causes, matrix cells, families, compatibility cells, bug classes) and data-* attributes on the
// totals (`data-status`, `data-status-count`), matrix cells (`td.cell`: `data-backend`,
// `data-param`, `data-suite`, one `data-<status>` per status, `data-verdict`) and
// compatibility cells (`td.ccell`: `data-backend`, `data-reading`, one `data-<reading>` per reading).

import type { Results } from '../../model/results.ts';
import { BENCH_SECTION_ID, benchSection } from '../bench/html.ts';
import { coverageSection } from '../coverage-html.ts';
import { escapeAttr as a, escapeMarkup as h, jsonInScript } from '../text.ts';
import { footer, header, SECTIONS } from './sections.ts';
import { COUNT_KEYS, reportView, type Counts, type HtmlOptions, type ReportView } from './view.ts';

const CSS = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--known:#9a6700;--known-bg:#fff8c5;--skip:#57606a;--skip-bg:#eaeef2;--crash:#82071e;--crash-bg:#ffd8d3;--timeout:#bc4c00;--timeout-bg:#fff1e5;--error:#a0115e;--error-bg:#ffeff7;--find:#6639ba;--find-bg:#fbefff;--refused:#0a6a75;--refused-bg:#d8f3f0}
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
div.wide{overflow-x:auto}
table.compat{font-size:12px}table.compat th,table.compat td{padding:3px 5px}table.compat thead th{font-size:11px;min-width:52px}table.compat td.ps{white-space:nowrap}
table.compat td.ccell{min-width:52px}td.ccell .cv{font-weight:700;font-size:12px;letter-spacing:.05em}td.ccell.empty{color:var(--muted);text-align:center}
table.compat td.ccell .cn,table.compat td.cn{font-size:11px;color:var(--muted);white-space:nowrap}table.compat td.fam{min-width:200px}table.compat td.fam .fips{font-size:11px}
td.ccell.r-pass{background:var(--pass-bg)!important}td.ccell.r-pass .cv{color:var(--pass)}
td.ccell.r-refused{background:var(--refused-bg)!important}td.ccell.r-refused .cv{color:var(--refused)}
td.ccell.r-fail{background:var(--fail-bg)!important}td.ccell.r-fail .cv,td.ccell.r-fail .cv a{color:var(--fail)}
td.ccell.r-notexpressible{background:var(--skip-bg)!important}td.ccell.r-notexpressible .cv{color:var(--skip)}
.sev-critical{background:var(--crash);color:#fff}.sev-high{background:var(--fail-bg);color:var(--fail)}.sev-medium{background:var(--timeout-bg);color:var(--timeout)}.sev-low{background:var(--skip-bg);color:var(--skip)}
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

const countsOf = (c: Counts) => Object.fromEntries(COUNT_KEYS.map((k) => [k, c[k]]));

/** The numbers of `<script id="results-summary">`: what a tool reads instead of scraping the page. */
function resultsSummary(v: ReportView) {
  const g = v.verdict.gate;
  return {
    schema: v.schema,
    cases: v.cases,
    summary: v.summary,
    gate: { exitCode: g.exitCode, passed: g.passed, newFailures: g.newFailures.length, knownFailures: g.knownFailures.length, skips: g.skips.length },
    causes: v.causes.map(({ cause: c }) => ({ title: c.title, count: c.cases.length, ...(c.diagnosis ? { diagnosis: c.diagnosis.id } : {}) })),
    matrix: v.matrix.backends.flatMap((b) => b.rows.flatMap((r) => r.cells.flatMap((c) => (c ? [{ backend: c.backend, parameterSet: c.parameterSet, suite: c.suite, verdict: c.verdict, ...countsOf(c.counts) }] : [])))),
    families: v.suites.flatMap((s) => s.families).map((f) => ({ suite: f.suite, family: f.family, verdict: f.verdict, fips: f.fips ? `${f.fips.standard} ${f.fips.clause}` : null, ...countsOf(f.counts) })),
    compat: v.compat.rows.flatMap((r) => r.cells.flatMap((c) => (c ? [{ backend: c.backend, parameterSet: r.parameterSet, suite: r.suite, family: r.family, reading: c.reading, ...c.counts }] : []))),
    bugClasses: v.bugClasses.map((g) => ({ bugClass: g.bugClass, severity: g.severity, count: g.count, backends: Object.fromEntries(g.backends) })),
  };
}

function head(v: ReportView): string[] {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="pqc-harness ${a(v.run.harnessVersion)}">`,
    `<title>pqc-harness report: ${h(v.verdict.gate.verdict)}</title>`,
    `<style>${CSS}</style>`,
    '</head><body>',
  ];
}

/** The table of contents: a link per section on the page. */
function nav(links: readonly { id: string; nav: string }[]): string[] {
  return [
    `<nav class="toc">${links.map((s) => `<a href="#${s.id}">${h(s.nav)}</a>`).join('')}`,
    '<span class="tools"><button type="button" id="expand-all">expand all</button><button type="button" id="collapse-all">collapse all</button></span></nav>',
  ];
}

export function toHtml(results: Results, opts: HtmlOptions = {}): string {
  const v = reportView(results, opts);
  const sections = SECTIONS.filter((s) => s.show?.(v) ?? true);
  const links = [...sections, ...(v.backends.some((b) => b.coverage) ? [{ id: 'coverage', nav: 'Coverage' }] : []), ...(v.bench ? [{ id: BENCH_SECTION_ID, nav: 'Benchmarks' }] : [])];
  return [
    ...head(v),
    ...header(v),
    ...nav(links),
    '<main>',
    ...sections.flatMap((s) => [`<section id="${s.id}"><h2>${h(s.title)}</h2>`, ...s.body(v), '</section>']),
    coverageSection(v),
    ...(v.bench ? [benchSection(v.bench)] : []),
    '</main>',
    footer(v),
    `<script type="application/json" id="results-summary">${jsonInScript(resultsSummary(v))}</script>`,
    `<script>${JS}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
