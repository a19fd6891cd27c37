// The two views of bench.json (model/bench.ts): a console table and a
// self-contained HTML chart (inline SVG and CSS, no script, no network).
//
// `benchSection(bench)` returns an HTML fragment (one <section>, its own scoped
// <style>) that can be embedded in index.html; `benchHtml(bench)` wraps it in a
// page for DIR/bench.html. Every string from bench.json is escaped.

import type { Bench, BenchGoal, BenchResult } from '../model/bench.ts';
import { escapeAttr as a, escapeMarkup as h } from './text.ts';

// ---------------------------------------------------------------- formatting

/** µs with a unit that keeps 3-4 significant digits: 12.3 µs, 1.23 ms. */
export function fmtUs(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e4) return `${(us / 1e3).toFixed(1)} ms`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(2)} ms`;
  if (us >= 100) return `${us.toFixed(0)} µs`;
  if (us >= 10) return `${us.toFixed(1)} µs`;
  return `${us.toFixed(2)} µs`;
}

export function fmtRate(opsPerSec: number): string {
  if (opsPerSec >= 1e4) return `${Math.round(opsPerSec / 1e3)}k`;
  if (opsPerSec >= 100) return String(Math.round(opsPerSec));
  return opsPerSec.toFixed(1);
}

function table(head: string[], rows: string[][], leftCols: number): string {
  const width = head.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftCols ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ').trimEnd();
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The console view: results, FFI, host and harness overhead, goals. */
export function benchTable(b: Bench): string {
  const out: string[] = [];
  const m = b.run.machine;
  out.push(`pqc-harness bench  ${b.run.startedAt}  ${m.cpus} x ${m.cpuModel}  node ${m.node}  load ${m.loadStart.map((x) => x.toFixed(2)).join(' ')} -> ${m.loadEnd.map((x) => x.toFixed(2)).join(' ')}`);
  if (b.results.length) {
    out.push('', 'In-process op times (median over n calls; IQR = q3 - q1)');
    out.push(
      table(
        ['backend', 'param', 'op', 'median', 'IQR', 'ops/s', 'n'],
        b.results.map((r) => [r.backend, r.parameterSet, r.op, fmtUs(r.medianUs), fmtUs(r.iqrUs), fmtRate(r.opsPerSec), String(r.n)]),
        3,
      ),
    );
  }
  if (b.ffiOverhead.length) {
    out.push('', 'FFI boundary: native loop (pqc_bench_ns) vs koffi from node, interleaved');
    out.push(
      table(
        ['backend', 'param', 'op', 'native', 'koffi+contract', 'ratio', 'bare koffi', 'ratio', 'n'],
        b.ffiOverhead.map((r) => [
          r.backend, r.parameterSet, r.op, fmtUs(r.nativeUs), fmtUs(r.ffiUs), r.ratio.toFixed(3),
          r.rawFfiUs === undefined ? '-' : fmtUs(r.rawFfiUs), r.rawRatio === undefined ? '-' : r.rawRatio.toFixed(3), String(r.n),
        ]),
        3,
      ),
    );
  }
  if (b.hostOverhead.length) {
    out.push('', 'Host: child process vs in process, interleaved');
    out.push(
      table(
        ['backend', 'param', 'op', 'inproc', 'child', 'ratio', 'n'],
        b.hostOverhead.map((r) => [r.backend, r.parameterSet, r.op, fmtUs(r.inprocUs), fmtUs(r.childUs), r.ratio.toFixed(2), String(r.n)]),
        3,
      ),
    );
  }
  if (b.harnessOverhead.length) {
    out.push('', 'Harness: conformance wall time vs raw op time for the same cases (in process)');
    out.push(
      table(
        ['backend', 'suites', 'executed', 'wall', 'collect', 'sum durationMs', 'raw ops (model)', 'wall/raw', 'wall/cases'],
        b.harnessOverhead.map((r) => [
          r.backend, r.suites.join(','), `${r.executed}/${r.cases}`, `${(r.wallMs / 1e3).toFixed(2)} s`,
          r.collectMs === undefined ? '-' : `${(r.collectMs / 1e3).toFixed(2)} s`, `${(r.caseSumMs / 1e3).toFixed(2)} s`,
          `${(r.rawOpMs / 1e3).toFixed(2)} s`, r.ratio.toFixed(2), r.caseRatio.toFixed(2),
        ]),
        2,
      ),
    );
  }
  if (b.conformanceRun) {
    const c = b.conformanceRun;
    out.push('', `Default conformance run: ${c.backends.join(', ')} (host ${c.host}, suites ${c.suites.join(',')}): ${c.cases} cases in ${(c.wallMs / 1e3).toFixed(1)} s${c.failing ? `, ${c.failing} failing` : ''}`);
    if (c.bySuite?.length) {
      out.push(table(['backend', 'suite', 'cases', 'failing', 'sum durationMs'], c.bySuite.map((g) => [g.backend, g.suite, String(g.cases), String(g.failing), `${(g.caseSumMs / 1e3).toFixed(2)} s`]), 2));
    }
  }
  if (b.goals.length) {
    out.push('', 'Goals');
    out.push(table(['goal', 'target', 'measured', 'met'], b.goals.map((g) => [g.name, g.target, g.measured, g.met === null ? 'n/a' : g.met ? 'yes' : 'NO']), 3));
  }
  for (const s of b.skipped) out.push(`skipped: ${[s.backend, s.parameterSet, s.op].filter(Boolean).join(' ')} ${s.what}: ${s.reason}`);
  return out.join('\n');
}

// ---------------------------------------------------------------- HTML

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

function colorOf(backends: string[], id: string): string {
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
 * One horizontal bar chart per op: a bar per (parameter set, backend), length
 * on a log scale of the median (backends differ by 10-50x, a linear axis would
 * hide the fast ones), a whisker one IQR wide centred on the median (the
 * spread; bench@1 records the IQR, not the quartiles), the median printed.
 */
export function benchChartSvg(results: readonly BenchResult[], op: string, backends: string[]): string {
  const rows = results.filter((r) => r.op === op);
  if (rows.length === 0) return '';
  const label = 190;
  const plot = 440;
  const right = 80;
  const bar = 14;
  const gap = 4;
  const top = 8;
  const axisH = 22;
  const height = top + rows.length * (bar + gap) + axisH;
  const lo = Math.floor(Math.log10(Math.max(1e-3, Math.min(...rows.map((r) => r.medianUs)))));
  const hi = Math.ceil(Math.log10(Math.max(...rows.map((r) => r.medianUs + r.iqrUs / 2)) * 1.0001));
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
    const col = colorOf(backends, r.backend);
    parts.push(
      `<g data-backend="${a(r.backend)}" data-param="${a(r.parameterSet)}" data-median-us="${r.medianUs}">` +
        `<text x="${label - 6}" y="${y + bar - 3}" text-anchor="end">${h(`${r.parameterSet} · ${r.backend}`)}</text>` +
        `<rect x="${label}" y="${y}" width="${w.toFixed(1)}" height="${bar}" fill="${col}"><title>${h(`${r.backend} ${r.parameterSet} ${r.op}: median ${fmtUs(r.medianUs)}, IQR ${fmtUs(r.iqrUs)}, n ${r.n}`)}</title></rect>`,
    );
    const w0 = x(Math.max(r.medianUs - r.iqrUs / 2, 10 ** lo));
    const w1 = x(r.medianUs + r.iqrUs / 2);
    if (w1 - w0 >= 2) parts.push(`<line x1="${w0.toFixed(1)}" y1="${y + bar / 2}" x2="${w1.toFixed(1)}" y2="${y + bar / 2}" stroke="#1f2328" stroke-width="1"/>`);
    parts.push(`<text x="${(Math.max(label + w, w1) + 4).toFixed(1)}" y="${y + bar - 3}">${h(fmtUs(r.medianUs))}</text></g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function goalCell(g: BenchGoal): string {
  return g.met === null ? '<td class="l muted">not measured</td>' : g.met ? '<td class="l met">met</td>' : '<td class="l unmet">not met</td>';
}

/** The embeddable fragment: `<section id="benchmarks">` with its own scoped style. */
export function benchSection(b: Bench): string {
  const backends = [...new Set(b.results.map((r) => r.backend))];
  const ops = [...new Set(b.results.map((r) => r.op))];
  const m = b.run.machine;
  const o: string[] = [];
  o.push(`<section class="pqcb" id="benchmarks"><style>${CSS}</style>`);
  o.push('<h2>Benchmarks</h2>');
  o.push(
    `<p class="muted">${h(b.run.startedAt)} · ${m.cpus} × ${h(m.cpuModel)} · ${m.memGiB} GiB · node ${h(m.node)} · ${h(m.platform)} · load average ${h(m.loadStart.map((x) => x.toFixed(2)).join(' / '))} at start, ${h(m.loadEnd.map((x) => x.toFixed(2)).join(' / '))} at end · min ${b.run.minTimeMs} ms per op</p>`,
  );
  if (b.goals.length) {
    o.push('<table class="goals"><thead><tr><th class="l">goal</th><th class="l">target</th><th class="l">measured</th><th class="l">verdict</th></tr></thead><tbody>');
    for (const g of b.goals) o.push(`<tr><td class="l">${h(g.name)}</td><td class="l">${h(g.target)}</td><td class="l">${h(g.measured)}</td>${goalCell(g)}</tr>`);
    o.push('</tbody></table>');
  }
  if (b.results.length) {
    o.push('<h3>Median time per call, in process (log scale; whisker: one IQR wide, centred on the median)</h3>');
    o.push(`<p class="legend">${backends.map((id) => `<span><i style="background:${colorOf(backends, id)}"></i>${h(id)}</span>`).join('')}</p>`);
    for (const op of ops) o.push(`<h3>${h(op)}</h3>${benchChartSvg(b.results, op, backends)}`);
    o.push('<table class="results"><thead><tr><th class="l">backend</th><th class="l">parameter set</th><th class="l">op</th><th>median</th><th>IQR</th><th>ops/s</th><th>n</th></tr></thead><tbody>');
    for (const r of b.results) {
      o.push(`<tr><td class="l">${h(r.backend)}</td><td class="l">${h(r.parameterSet)}</td><td class="l">${h(r.op)}</td><td>${h(fmtUs(r.medianUs))}</td><td>${h(fmtUs(r.iqrUs))}</td><td>${h(fmtRate(r.opsPerSec))}</td><td>${r.n}</td></tr>`);
    }
    o.push('</tbody></table>');
  }
  if (b.ffiOverhead.length) {
    o.push('<h3>FFI boundary (native loop vs koffi, interleaved)</h3><table class="ffi"><thead><tr><th class="l">backend</th><th class="l">parameter set</th><th class="l">op</th><th>native</th><th>koffi + contract</th><th>ratio</th><th>bare koffi</th><th>ratio</th></tr></thead><tbody>');
    for (const r of b.ffiOverhead) {
      o.push(
        `<tr><td class="l">${h(r.backend)}</td><td class="l">${h(r.parameterSet)}</td><td class="l">${h(r.op)}</td><td>${h(fmtUs(r.nativeUs))}</td><td>${h(fmtUs(r.ffiUs))}</td><td>${r.ratio.toFixed(3)}</td><td>${r.rawFfiUs === undefined ? '-' : h(fmtUs(r.rawFfiUs))}</td><td>${r.rawRatio === undefined ? '-' : r.rawRatio.toFixed(3)}</td></tr>`,
      );
    }
    o.push('</tbody></table>');
  }
  if (b.hostOverhead.length) {
    o.push('<h3>Child host vs in process (interleaved)</h3><table class="host"><thead><tr><th class="l">backend</th><th class="l">parameter set</th><th class="l">op</th><th>in process</th><th>child</th><th>ratio</th></tr></thead><tbody>');
    for (const r of b.hostOverhead) {
      o.push(`<tr><td class="l">${h(r.backend)}</td><td class="l">${h(r.parameterSet)}</td><td class="l">${h(r.op)}</td><td>${h(fmtUs(r.inprocUs))}</td><td>${h(fmtUs(r.childUs))}</td><td>${r.ratio.toFixed(2)}</td></tr>`);
    }
    o.push('</tbody></table>');
  }
  if (b.harnessOverhead.length) {
    o.push('<h3>Harness overhead (in-process conformance run vs raw op time)</h3><table class="harness"><thead><tr><th class="l">backend</th><th class="l">suites</th><th>executed</th><th>wall</th><th>case collection (≥)</th><th>sum of case durations</th><th>raw ops (model)</th><th>wall / raw</th><th>wall / cases</th></tr></thead><tbody>');
    for (const r of b.harnessOverhead) {
      o.push(
        `<tr><td class="l">${h(r.backend)}</td><td class="l">${h(r.suites.join(', '))}</td><td>${r.executed} / ${r.cases}</td><td>${(r.wallMs / 1e3).toFixed(2)} s</td><td>${r.collectMs === undefined ? '-' : `${(r.collectMs / 1e3).toFixed(2)} s`}</td><td>${(r.caseSumMs / 1e3).toFixed(2)} s</td><td>${(r.rawOpMs / 1e3).toFixed(2)} s</td><td>${r.ratio.toFixed(2)}</td><td>${r.caseRatio.toFixed(2)}</td></tr>`,
      );
    }
    o.push('</tbody></table>');
  }
  if (b.conformanceRun) {
    const c = b.conformanceRun;
    o.push(`<p>Default conformance run: ${h(c.backends.join(', '))} (host ${h(c.host)}, suites ${h(c.suites.join(', '))}): ${c.cases} cases in ${(c.wallMs / 1e3).toFixed(1)} s${c.failing ? `, ${c.failing} failing` : ''}.</p>`);
    if (c.bySuite?.length) {
      o.push('<table class="suites"><thead><tr><th class="l">backend</th><th class="l">suite</th><th>cases</th><th>failing</th><th>sum of case durations</th></tr></thead><tbody>');
      for (const g of c.bySuite) o.push(`<tr><td class="l">${h(g.backend)}</td><td class="l">${h(g.suite)}</td><td>${g.cases}</td><td>${g.failing}</td><td>${(g.caseSumMs / 1e3).toFixed(2)} s</td></tr>`);
      o.push('</tbody></table>');
    }
  }
  if (b.skipped.length) {
    o.push('<h3>Not measured</h3><ul>');
    for (const s of b.skipped) o.push(`<li>${h([s.backend, s.parameterSet, s.op].filter(Boolean).join(' '))} ${h(s.what)}: ${h(s.reason)}</li>`);
    o.push('</ul>');
  }
  o.push('<p class="muted">No timing is asserted anywhere; numbers depend on the machine and its load.</p>');
  o.push(`<script type="application/json" id="bench-data">${JSON.stringify({ results: b.results, goals: b.goals }).replace(/</g, '\\u003c')}</script>`);
  o.push('</section>');
  return o.join('\n');
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
    benchSection(b),
    '</body></html>',
    '',
  ].join('\n');
}
