// The HTML view of bench.json: a self-contained section (inline SVG charts and
// a scoped style, no script, no network) that index.html embeds, and the page
// around it for DIR/bench.html. One small renderer per part, over the view
// model (view.ts). Every string from bench.json is escaped.

import type { Bench, BenchGoal } from '../../model/bench.ts';
import { escapeAttr as a, escapeMarkup as h, fmtUs, jsonInScript } from '../text.ts';
import { benchView, conformanceRunLines, type BenchChart, type BenchTable, type BenchView } from './view.ts';

/** The section's id in index.html (and its link in the page's table of contents). */
export const BENCH_SECTION_ID = 'benchmarks';

const CSS = `
.pqcb{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328}
.pqcb h2{font-size:17px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.pqcb h3{font-size:15px;margin:18px 0 6px}
.pqcb .muted{color:#656d76}
.pqcb table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
.pqcb th,.pqcb td{border:1px solid #d0d7de;padding:3px 8px;text-align:right}
.pqcb th{background:#f6f8fa;font-weight:600}
.pqcb td.l,.pqcb th.l{text-align:left}
.pqcb td:not(.l){white-space:nowrap}
.pqcb .met{color:#1a7f37;font-weight:600}.pqcb .unmet{color:#cf222e;font-weight:600}
.pqcb svg{display:block;max-width:100%;height:auto;margin:6px 0 14px}
.pqcb svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#1f2328}
.pqcb svg .axis{stroke:#d0d7de}.pqcb svg .tick{fill:#656d76}
.pqcb .legend span{display:inline-block;margin-right:14px}
.pqcb .legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px}
`;

const PALETTE = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#cf222e', '#57606a'];

function colorOf(backends: readonly string[], id: string): string {
  const i = backends.indexOf(id);
  return PALETTE[(i < 0 ? backends.length : i) % PALETTE.length]!;
}

/** Axis labels at powers of ten of µs: 1 µs, 10 µs, 100 µs, 1 ms, ... */
function tickLabel(decade: number): string {
  const units = ['ns', 'µs', 'ms', 's'];
  const e = decade + 3; // exponent in ns
  const u = Math.min(units.length - 1, Math.max(0, Math.floor(e / 3)));
  const v = 10 ** (e - u * 3);
  return `${v >= 1 ? Math.round(v) : v} ${units[u]}`;
}

/**
 * One op's horizontal bar chart: a bar per row, its length on the chart's log
 * axis, a whisker one IQR wide centred on the median, the median printed.
 */
export function benchChartSvg(chart: BenchChart, backends: readonly string[]): string {
  const { op, rows, lo, hi } = chart;
  const label = 190;
  const plot = 440;
  const right = 80;
  const bar = 14;
  const gap = 4;
  const top = 8;
  const axisH = 22;
  const height = top + rows.length * (bar + gap) + axisH;
  const span = Math.max(1, hi - lo);
  const x = (us: number) => label + (Math.max(0, Math.log10(Math.max(us, 10 ** lo)) - lo) / span) * plot;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${label + plot + right} ${height}" width="${label + plot + right}" height="${height}" role="img" aria-label="${a(`median time per call, ${op}`)}" data-op="${a(op)}">`);
  parts.push(`<title>${h(`${op}: median µs per call (log scale)`)}</title>`);
  for (let d = lo; d <= hi; d++) {
    const tx = x(10 ** d);
    parts.push(`<line class="axis" x1="${tx.toFixed(1)}" y1="${top - 4}" x2="${tx.toFixed(1)}" y2="${height - axisH + 2}"/>`);
    parts.push(`<text class="tick" x="${tx.toFixed(1)}" y="${height - 6}" text-anchor="middle">${h(tickLabel(d))}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * (bar + gap);
    const w = Math.max(1, x(r.medianUs) - label);
    parts.push(
      `<g data-backend="${a(r.backend)}" data-param="${a(r.parameterSet)}" data-median-us="${r.medianUs}">` +
        `<text x="${label - 6}" y="${y + bar - 3}" text-anchor="end">${h(`${r.parameterSet} · ${r.backend}`)}</text>` +
        `<rect x="${label}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${colorOf(backends, r.backend)}"><title>${h(`${r.backend} ${r.parameterSet} ${r.op}: median ${fmtUs(r.medianUs)}, IQR ${fmtUs(r.iqrUs)}, n ${r.n}`)}</title></rect>`,
    );
    const w0 = x(Math.max(r.medianUs - r.iqrUs / 2, 10 ** lo));
    const w1 = x(r.medianUs + r.iqrUs / 2);
    if (w1 - w0 >= 2) parts.push(`<line x1="${w0.toFixed(1)}" y1="${y + bar / 2}" x2="${w1.toFixed(1)}" y2="${y + bar / 2}" stroke="#1f2328" stroke-width="1"/>`);
    parts.push(`<text x="${(Math.max(label + w, w1) + 4).toFixed(1)}" y="${y + bar - 3}">${h(fmtUs(r.medianUs))}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A numeric table under its title (none when `title` is ''): the first
 * `leftCols` columns left-aligned (class `l`), the rest right-aligned; nothing
 * when the part was not measured. The title and headings are trusted markup;
 * cells are markup the caller escaped.
 */
function part(title: string, cls: string, head: readonly string[], leftCols: number, rows: readonly (readonly string[])[]): string[] {
  if (!rows.length) return [];
  const cell = (tag: string, i: number, x: string) => `<${tag}${i < leftCols ? ' class="l"' : ''}>${x}</${tag}>`;
  return [
    ...(title ? [`<h3>${title}</h3>`] : []),
    `<table class="${cls}"><thead><tr>${head.map((x, i) => cell('th', i, x)).join('')}</tr></thead><tbody>`,
    ...rows.map((r) => `<tr>${r.map((x, i) => cell('td', i, x)).join('')}</tr>`),
    '</tbody></table>',
  ];
}

/** One of the view's tables, its cells escaped; with or without its title. */
function table(v: BenchView, id: BenchTable['id'], titled = true): string[] {
  const t = v.tables.find((x) => x.id === id)!;
  return part(titled ? h(t.title) : '', t.id, t.head.map(h), t.leftCols, t.rows.map((r) => r.map(h)));
}

function machineLine(b: Bench): string {
  const m = b.run.machine;
  return `<p class="muted">${h(b.run.startedAt)} · ${m.cpus} × ${h(m.cpuModel)} · ${m.memGiB} GiB · node ${h(m.node)} · ${h(m.platform)} · load average ${h(m.loadStart.map((x) => x.toFixed(2)).join(' / '))} at start, ${h(m.loadEnd.map((x) => x.toFixed(2)).join(' / '))} at end · min ${b.run.minTimeMs} ms per op</p>`;
}

function goalCell(g: BenchGoal): string {
  return g.met === null ? '<td class="l muted">not measured</td>' : g.met ? '<td class="l met">met</td>' : '<td class="l unmet">not met</td>';
}

function goals(b: Bench): string[] {
  if (!b.goals.length) return [];
  return [
    '<table class="goals"><thead><tr><th class="l">goal</th><th class="l">target</th><th class="l">measured</th><th class="l">verdict</th></tr></thead><tbody>',
    ...b.goals.map((g) => `<tr><td class="l">${h(g.name)}</td><td class="l">${h(g.target)}</td><td class="l">${h(g.measured)}</td>${goalCell(g)}</tr>`),
    '</tbody></table>',
  ];
}

function opTimes(v: BenchView): string[] {
  if (!v.bench.results.length) return [];
  return [
    '<h3>Median time per call, in process (log scale; whisker: one IQR wide, centred on the median)</h3>',
    `<p class="legend">${v.backends.map((id) => `<span><i style="background:${colorOf(v.backends, id)}"></i>${h(id)}</span>`).join('')}</p>`,
    ...v.charts.map((c) => `<h3>${h(c.op)}</h3>${benchChartSvg(c, v.backends)}`),
    ...table(v, 'results', false),
  ];
}

function conformanceRun(v: BenchView): string[] {
  const [headline, jobs] = conformanceRunLines(v.bench);
  if (!headline) return [];
  return [`<p>${h(headline)}</p>`, ...(jobs ? [`<p>${h(jobs)}</p>`] : []), ...table(v, 'suites', false)];
}

function notMeasured(v: BenchView): string[] {
  if (!v.skipped.length) return [];
  return ['<h3>Not measured</h3><ul>', ...v.skipped.map((s) => `<li>${h(s.subject)} ${h(s.what)}: ${h(s.reason)}</li>`), '</ul>'];
}

/** The embeddable fragment: `<section id="benchmarks">` with its own scoped style. */
export function benchSection(v: BenchView): string {
  const b = v.bench;
  return [
    `<section class="pqcb" id="${BENCH_SECTION_ID}"><style>${CSS}</style>`,
    '<h2>Benchmarks</h2>',
    machineLine(b),
    ...goals(b),
    ...opTimes(v),
    ...table(v, 'ffi'),
    ...table(v, 'host'),
    ...table(v, 'comparisons'),
    ...table(v, 'harness'),
    ...conformanceRun(v),
    ...notMeasured(v),
    '<p class="muted">No timing is asserted anywhere; numbers depend on the machine and its load.</p>',
    `<script type="application/json" id="bench-data">${jsonInScript({ results: b.results, goals: b.goals })}</script>`,
    '</section>',
  ].join('\n');
}

/** A whole page around benchSection, for DIR/bench.html. */
export function benchHtml(b: Bench): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>pqc-harness bench ${h(b.run.startedAt)}</title>`,
    '<style>body{margin:0;padding:16px 32px;background:#fff}</style>',
    '</head><body>',
    benchSection(benchView(b)),
    '</body></html>',
    '',
  ].join('\n');
}
