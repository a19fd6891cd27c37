// The report views as a whole: index.html's sections against its view model
// and results.json, and the two views of bench.json against bench.json. These
// check structure and numbers (every section, in order; the published numbers
// equal counts taken here from the cases), not the page's bytes, so a change
// of wording passes and a lost or reordered section or a wrong count fails.

import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BENCH_SCHEMA, type Bench } from '../model/bench.ts';
import { isGateFailure, STATUSES, type CaseResult, type Results } from '../model/results.ts';
import { benchTable } from '../reports/bench/console.ts';
import { benchHtml, benchSection } from '../reports/bench/html.ts';
import { benchView } from '../reports/bench/view.ts';
import { baselineFrom, evaluateGate, EXIT } from '../reports/gate.ts';
import { toHtml } from '../reports/html/page.ts';
import { SECTIONS } from '../reports/html/sections.ts';
import { reportView } from '../reports/html/view.ts';
import { kase, mixedRun, results } from './report-fixtures.ts';

// The page's sections (reports/README.md, "The HTML report"); the compatibility matrix only for
// a run of more than one backend, the bug classes only when a case fails.
const ALL_SECTIONS: [id: string, title: string][] = [
  ['totals', 'Totals'],
  ['matrix', 'Backend × parameter set × suite'],
  ['compat', 'Compatibility matrix: implementation × (parameter set, family)'],
  ['bugclasses', 'Failures by bug class and severity'],
  ['causes', 'Failure causes'],
  ['families', 'Families'],
  ['skips', 'Skips'],
  ['vectors', 'Vector provenance'],
  ['timings', 'Timings'],
  ['environment', 'Run environment'],
  ['fips', 'Families and FIPS clauses'],
];

/** The sections a run's page shows, by the rule above. */
function shownSections(r: Results): [string, string][] {
  const backends = new Set([...r.backends.map((b) => b.id), ...r.cases.map((c) => c.backend)]);
  const failing = r.cases.some(isGateFailure);
  return ALL_SECTIONS.filter(([id]) => (id !== 'compat' || backends.size > 1) && (id !== 'bugclasses' || failing));
}

const sectionIds = (html: string) => [...html.matchAll(/<section\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
const navLinks = (html: string) => [.../<nav class="toc">(.*?)<\/nav>/s.exec(html)![1]!.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]);
const h2s = (html: string) => [...html.matchAll(/<section\b[^>]*><h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
const embedded = (html: string) => JSON.parse(/<script type="application\/json" id="results-summary">([^<]*)<\/script>/.exec(html)![1]!);

/** A bench.json with every part measured, and a hostile backend name. */
function fullBench(): Bench {
  return {
    schema: BENCH_SCHEMA,
    run: { startedAt: '2026-11-30T10:00:00.000Z', finishedAt: '2026-11-30T10:02:00.000Z', harnessVersion: '0.1.0', argv: ['bench'], minTimeMs: 50, machine: { cpus: 2, cpuModel: 'cpu', memGiB: 4, node: 'v20.20.2', platform: 'linux-x64', loadStart: [1, 1, 1], loadEnd: [1.5, 1, 1] } },
    backends: [],
    results: [
      { backend: 'noble', parameterSet: 'ML-KEM-512', op: 'kem.decaps', opsPerSec: 1687, medianUs: 593, iqrUs: 53.7, n: 64 },
      { backend: 'rust', parameterSet: 'ML-KEM-512', op: 'kem.decaps', opsPerSec: 40000, medianUs: 25, iqrUs: 3, n: 400 },
      { backend: 'module:<img src=x>', parameterSet: 'ML-DSA-44', op: 'dsa.verify', opsPerSec: 5, medianUs: 200_000, iqrUs: 150_000, n: 10 },
    ],
    ffiOverhead: [{ backend: 'rust', parameterSet: 'ML-KEM-768', op: 'kem.decaps', nativeUs: 30.5, ffiUs: 31.7, ratio: 1.039, rawFfiUs: 30.9, rawRatio: 1.013, n: 200 }],
    hostOverhead: [{ backend: 'rust', parameterSet: 'ML-KEM-768', op: 'kem.decaps', inprocUs: 31, childUs: 95, ratio: 3.06, n: 100 }],
    harnessOverhead: [{ backend: 'noble', host: 'inproc', suites: ['acvp'], cases: 10, executed: 9, skipped: 1, failing: 0, wallMs: 120, collectMs: 8, caseSumMs: 110, rawOpMs: 100, ratio: 1.2, caseRatio: 1.09, unmodelled: 0 }],
    conformanceRun: { backends: ['noble', 'rust'], host: 'auto', suites: ['acvp'], cases: 30, failing: 0, wallMs: 6500, bySuite: [{ backend: 'noble', suite: 'acvp', cases: 15, failing: 0, caseSumMs: 500 }] },
    goals: [{ name: 'koffi overhead', target: '<= 1.05', measured: '1.039', met: true }],
    skipped: [{ backend: 'liboqs', parameterSet: 'ML-KEM-512', what: 'ffi', reason: 'no native loop' }],
  };
}

/** mixedRun plus passing and noted cases over more parameter sets and suites. */
function richRun(): Results {
  const extra: CaseResult[] = [
    ...[1, 2, 3].map((i) => kase({ id: `k512/${i}`, parameterSet: 'ML-KEM-512' })),
    kase({ id: 'w/1', suite: 'wycheproof', family: 'mlkem_768_encaps', op: 'kem.encaps', note: 'draft-era vector' }),
    kase({ id: 'w/2', suite: 'wycheproof', family: 'mlkem_768_encaps', op: 'kem.encaps', expectsRejection: true }),
  ];
  return results([...mixedRun().cases, ...extra]);
}

const counted = (cases: readonly CaseResult[]) => ({
  ...Object.fromEntries(STATUSES.map((s) => [s, cases.filter((c) => c.status === s).length])),
  findings: cases.reduce((n, c) => n + c.findings.length, 0),
  total: cases.length,
});

afterEach(() => {
  vi.useRealTimers();
});

/** A group's verdict: FAIL unless every failing case is a known one (KNOWN); NOT RUN when nothing passed. */
function verdictOf(cases: readonly CaseResult[], known: readonly CaseResult[]): string {
  const failing = cases.filter(isGateFailure);
  if (failing.length > 0) return failing.every((c) => known.includes(c)) ? 'known' : 'fail';
  return cases.some((c) => c.status === 'pass') ? 'pass' : 'notrun';
}

describe('index.html: sections over one view model', () => {
  const runs: [string, Results, Parameters<typeof toHtml>[1]][] = [
    ['mixed', mixedRun(), {}],
    ['mixed with its baseline', mixedRun(), { baseline: baselineFrom(mixedRun()) }],
    ['rich, strict, small caps', richRun(), { strict: true, maxCasesPerFamily: 1, maxCasesTotal: 2, maxIdsPerGroup: 1 }],
    ['all skipped', results([kase({ status: 'skip', reason: 'x' })]), {}],
    ['no cases', results([]), {}],
  ];

  it.each(runs)('%s: every section once, in order, titled, and linked from the table of contents', (_, r, opts) => {
    const html = toHtml(r, opts);
    expect(SECTIONS.map((s) => s.id)).toEqual(ALL_SECTIONS.map(([id]) => id));
    const shown = shownSections(r);
    expect(sectionIds(html)).toEqual(shown.map(([id]) => id));
    expect(h2s(html)).toEqual(shown.map(([, title]) => title));
    expect(navLinks(html)).toEqual(shown.map(([id]) => id));
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('<section'));
  });

  it('the conditional sections appear exactly when they have something to show', () => {
    expect(shownSections(mixedRun()).map(([id]) => id)).toContain('compat');
    expect(shownSections(mixedRun()).map(([id]) => id)).toContain('bugclasses');
    expect(shownSections(results([kase({})])).map(([id]) => id)).not.toContain('compat');
    expect(shownSections(results([kase({})])).map(([id]) => id)).not.toContain('bugclasses');
  });

  it('an embedded benchmark is the last section and has its link', () => {
    const html = toHtml(mixedRun(), { bench: fullBench() });
    const ids = shownSections(mixedRun()).map(([id]) => id);
    expect(sectionIds(html)).toEqual([...ids, 'benchmarks']);
    expect(navLinks(html)).toEqual([...ids, 'benchmarks']);
  });

  it.each(runs)('%s: the published numbers are the counts of results.json', (_, r, opts) => {
    const html = toHtml(r, opts);
    const e = embedded(html);
    const gate = evaluateGate(r, opts);
    expect(e.summary).toEqual(r.summary);
    expect(e.cases).toBe(r.cases.length);
    expect(e.gate).toEqual({ exitCode: gate.exitCode, passed: gate.passed, newFailures: gate.newFailures.length, knownFailures: gate.knownFailures.length, skips: gate.skips.length });

    // A cell per (backend, parameter set, suite) that has cases, each with the counts taken here.
    const keys = [...new Set(r.cases.map((c) => JSON.stringify([c.backend, c.parameterSet, c.suite])))];
    expect(e.matrix).toHaveLength(keys.length);
    for (const m of e.matrix) {
      const mine = r.cases.filter((c) => c.backend === m.backend && c.parameterSet === m.parameterSet && c.suite === m.suite);
      expect(m, `${m.backend} ${m.parameterSet} ${m.suite}`).toMatchObject({ ...counted(mine), verdict: verdictOf(mine, gate.knownFailures) });
    }
    for (const f of e.families) {
      const mine = r.cases.filter((c) => c.suite === f.suite && c.family === f.family);
      expect(f, `${f.suite} ${f.family}`).toMatchObject({ ...counted(mine), verdict: verdictOf(mine, gate.knownFailures) });
    }
    // Cells and families each partition the run: their counts add up to the summary.
    for (const part of [e.matrix, e.families]) {
      for (const k of [...STATUSES, 'findings'] as const) expect(part.reduce((n: number, x: Record<string, number>) => n + x[k]!, 0), k).toBe(r.summary[k]);
      expect(part.reduce((n: number, x: { total: number }) => n + x.total, 0)).toBe(r.cases.length);
    }
    // Every failing case belongs to exactly one cause, and to exactly one bug class.
    expect(e.causes.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(r.cases.filter(isGateFailure).length);
    expect(e.bugClasses.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(r.cases.filter(isGateFailure).length);

    // Compatibility cells: one per (backend, parameter set, suite, family) with cases, each reading counted here.
    const reading = (c: CaseResult) => (isGateFailure(c) ? 'fail' : c.status === 'skip' ? 'notexpressible' : c.expectsRejection ? 'refused' : 'pass');
    const famKeys = new Set(r.cases.map((c) => JSON.stringify([c.backend, c.parameterSet, c.suite, c.family])));
    expect(e.compat).toHaveLength(famKeys.size);
    for (const x of e.compat) {
      const mine = r.cases.filter((c) => c.backend === x.backend && c.parameterSet === x.parameterSet && c.suite === x.suite && c.family === x.family);
      for (const k of ['fail', 'pass', 'refused', 'notexpressible']) expect(x[k], `${x.backend} ${x.family} ${k}`).toBe(mine.filter((c) => reading(c) === k).length);
    }

    // The matrix cells' data-* attributes are the same numbers.
    const cells = [...html.matchAll(/<td class="cell v-[a-z]+" ([^>]*)>/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/data-([a-z]+)="([^"]*)"/g)].map((x) => [x[1], x[2]])));
    expect(cells.map((c) => [c.backend, c.param, c.suite, c.verdict, Number(c.total), Number(c.fail)])).toEqual(e.matrix.map((m: Record<string, string | number>) => [m.backend, m.parameterSet, m.suite, m.verdict, m.total, m.fail]));
  });

  it.each(runs)('%s: the verdict is the gate’s', (_, r, opts) => {
    const html = toHtml(r, opts);
    const gate = evaluateGate(r, opts);
    const [, kind, code, text] = /<div id="verdict" class="verdict ([a-z]+)" data-exit-code="(\d+)">([^<]*)<\/div>/.exec(html)!;
    expect(Number(code)).toBe(gate.exitCode);
    const expected = { [EXIT.pass]: ['pass', 'PASS'], [EXIT.failures]: ['fail', 'FAIL'], [EXIT.usage]: ['notrun', 'NOT TESTED'], [EXIT.strictSkips]: ['strict', 'FAIL (strict: skips)'] }[gate.exitCode];
    expect([kind, text]).toEqual(expected);
    expect(html).toContain(`<title>pqc-harness report: ${text}</title>`);
  });

  it('shows failing cases in full up to the caps, counts the rest, and the page shows exactly those', () => {
    const r = richRun();
    const v = reportView(r, { maxCasesPerFamily: 2, maxCasesTotal: 3 });
    const fams = v.suites.flatMap((s) => s.families);
    for (const f of fams) {
      const failing = r.cases.filter((c) => c.suite === f.suite && c.family === f.family && isGateFailure(c));
      expect(f.failing.shown.length + f.failing.more, f.family).toBe(failing.length);
      expect(f.failing.shown.length).toBeLessThanOrEqual(2);
    }
    const shown = fams.reduce((n, f) => n + f.failing.shown.length, 0);
    expect(shown).toBe(3);
    const html = toHtml(r, { maxCasesPerFamily: 2, maxCasesTotal: 3 });
    expect([...html.matchAll(/<details class="case" data-case-id="([^"]+)"/g)].map((m) => m[1])).toEqual(fams.flatMap((f) => f.failing.shown.map((c) => c.result.id)));
  });

  it('never reads the clock: the same run renders the same page at any time', () => {
    const run = mixedRun();
    const bench = fullBench();
    const render = () => [toHtml(run, { bench }), benchHtml(bench), benchTable(bench)];
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2001-01-01T00:00:00Z'));
    const a = render();
    vi.setSystemTime(new Date('2031-06-15T12:34:56Z'));
    expect(render()).toEqual(a);
  });

  it('never reads the disk: the renderers import nothing from node', () => {
    for (const dir of ['html', 'bench']) {
      for (const f of readdirSync(new URL(`../reports/${dir}/`, import.meta.url))) {
        const src = readFileSync(new URL(`../reports/${dir}/${f}`, import.meta.url), 'utf8');
        expect(src, `reports/${dir}/${f}`).not.toMatch(/from ['"]node:|require\(/);
      }
    }
  });
});

describe('bench.json: one view model, two renderers', () => {
  it('the console shows each part that was measured, in order', () => {
    const t = benchTable(fullBench());
    const heads = ['Median time per call, in process', 'FFI boundary', 'Host: child process', 'Harness: conformance', 'Default conformance run', 'Goals', 'skipped: liboqs ML-KEM-512 ffi: no native loop'];
    const at = heads.map((x) => t.indexOf(x));
    expect(at.every((i) => i > 0), `${heads.filter((_, i) => at[i]! < 0)}`).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    const nothing: Bench = { ...fullBench(), results: [], ffiOverhead: [], hostOverhead: [], harnessOverhead: [], conformanceRun: undefined, goals: [], skipped: [] };
    expect(benchTable(nothing).split('\n')).toHaveLength(1);
  });

  it('the HTML has a table per part that was measured, in order, and a chart per op', () => {
    const b = fullBench();
    const v = benchView(b);
    const html = benchSection(v);
    expect([...html.matchAll(/<table class="([a-z]+)"/g)].map((m) => m[1])).toEqual(['goals', 'results', 'ffi', 'host', 'harness', 'suites']);
    expect([...html.matchAll(/<svg [^>]*data-op="([^"]+)"/g)].map((m) => m[1])).toEqual(['kem.decaps', 'dsa.verify']);
    expect(v.backends).toEqual(['noble', 'rust', 'module:<img src=x>']);
    // A bar per result, under its op's chart.
    const bars = [...html.matchAll(/<g data-backend="([^"]*)" data-param="([^"]*)" data-median-us="([^"]*)">/g)].map((m) => [m[2], Number(m[3])]);
    expect(bars).toEqual(b.results.map((r) => [r.parameterSet, r.medianUs]));
    expect(html).not.toContain('<img');
    // The embedded data is bench.json's.
    expect(JSON.parse(/<script type="application\/json" id="bench-data">([^<]*)<\/script>/.exec(html)![1]!)).toEqual({ results: b.results, goals: b.goals });
    const nothing: Bench = { ...b, results: [], ffiOverhead: [], hostOverhead: [], harnessOverhead: [], conformanceRun: undefined, goals: [], skipped: [] };
    expect(benchSection(benchView(nothing))).not.toMatch(/<table|<svg|<h3/);
  });

  it('each chart’s log axis spans every median and whisker end', () => {
    for (const c of benchView(fullBench()).charts) {
      for (const r of c.rows) {
        expect(r.op).toBe(c.op);
        expect(10 ** c.lo).toBeLessThanOrEqual(r.medianUs);
        expect(10 ** c.hi).toBeGreaterThanOrEqual(r.medianUs + r.iqrUs / 2);
      }
    }
  });
});
