// The view model of index.html: everything the page shows, computed once from
// results.json and the options (one pass over the cases for the counts, the
// gate, the causes, the caps on what is shown in full). The section renderers
// (sections.ts) only format it; the machine-readable summary in the page
// (page.ts) is built from it too, so the numbers a tool reads are the numbers
// a reader sees. Building it reads neither the disk nor the clock.

import type { Bench } from '../../model/bench.ts';
import type { FipsRef } from '../../model/case.ts';
import { groupCauses, type DiagnosedCause } from '../../model/causes.ts';
import { isGateFailure, STATUSES, type BackendEntry, type CaseResult, type Results, type RunInfo, type Status, type Summary, type VectorProvenance } from '../../model/results.ts';
import { benchView, type BenchView } from '../bench/view.ts';
import { bugClassGroups, compatView, fipsTable, paramRank, type BugClassGroup, type CompatView } from '../compat.ts';
import { caseKey, evaluateGate, EXIT, type Baseline, type GateResult } from '../gate.ts';
import { naturalCompare } from '../text.ts';

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

/** Case counts of a group of cases: per status, memory findings, cases, summed duration. */
export type Counts = Record<Status, number> & { findings: number; total: number; ms: number };

/** The counts the page publishes per matrix cell and family (data-* attributes, results-summary). */
export const COUNT_KEYS = [...STATUSES, 'findings', 'total'] as const;

/**
 * The verdict of a matrix cell or a family. FAIL: a failure, crash, timeout,
 * error or memory finding; KNOWN: only failures the baseline lists; NOT RUN:
 * every case skipped.
 */
export type Verdict = 'pass' | 'fail' | 'known' | 'notrun';

/** The whole run's verdict, as the gate decided it. */
export interface GateView {
  gate: GateResult;
  /** CSS class of the verdict badge. */
  kind: 'pass' | 'fail' | 'strict' | 'notrun';
  /** The gate's reason lines: its lines without the verdict line and the indented list of new failures. */
  reasons: string[];
}

/** A list cut at a cap: the ones shown and how many more there are. */
export interface Capped<T> {
  shown: T[];
  more: number;
}

export interface MatrixCell {
  backend: string;
  parameterSet: string;
  suite: string;
  counts: Counts;
  verdict: Verdict;
}

/** One row of the matrix: a backend and a parameter set, a cell per suite (undefined: no cases). */
export interface MatrixRow {
  backend: string;
  parameterSet: string;
  cells: (MatrixCell | undefined)[];
}

export interface MatrixView {
  /** Columns: the suites that have cases, in the order the run recorded them. */
  suites: string[];
  /** Rows grouped by backend, parameter sets in FIPS order. */
  backends: { backend: string; rows: MatrixRow[] }[];
}

export interface CauseView {
  cause: DiagnosedCause;
  /** Families its cases come from, in order of first appearance. */
  families: string[];
  /** `backend: id` of its cases, up to the id cap. */
  ids: Capped<string>;
  /** Shown open: a diagnosed cause, or one of a few. */
  open: boolean;
}

/** A failing case shown in full, and whether the baseline lists it. */
export interface ShownCase {
  result: CaseResult;
  known: boolean;
}

export interface FamilyView {
  suite: string;
  family: string;
  counts: Counts;
  verdict: Verdict;
  fips: FipsRef | undefined;
  /** Parameter sets its cases cover, in FIPS order. */
  params: string[];
  /** Notes on passing cases, with how many cases carry each. */
  caseNotes: [note: string, count: number][];
  /** Cases run through a lower interface with the harness formatting M′ or μ, by how (with counts). */
  derived: [how: string, count: number][];
  /** Failing cases in full (sorted by backend and id), up to the per-family and per-report caps. */
  failing: Capped<ShownCase>;
}

/** The families of one suite, with what a reader must know about the suite. */
export interface SuiteFamilies {
  suite: string;
  notes: string[];
  families: FamilyView[];
}

export interface SkipGroup {
  reason: string;
  count: number;
  /** Skipped cases per backend, in order of first appearance. */
  byBackend: [backend: string, count: number][];
  ids: Capped<string>;
}

export interface TimingRow {
  backend: string;
  suite: string;
  counts: Counts;
  /** Mean duration of its cases. */
  meanMs: number;
  /** The three slowest cases, slowest first. */
  slowest: CaseResult[];
}

export interface ReportView {
  schema: string;
  run: RunInfo;
  backends: BackendEntry[];
  summary: Summary;
  cases: number;
  /** finishedAt − startedAt; NaN when either is not a date. */
  durationMs: number;
  verdict: GateView;
  matrix: MatrixView;
  /** Implementations side by side: a reading per (parameter set, suite/family) and implementation. */
  compat: CompatView;
  /** Cases failing the gate, grouped by bug class, gravest first. */
  bugClasses: BugClassGroup[];
  /** Cases failing the gate, all causes together. */
  failingCases: number;
  causes: CauseView[];
  /** Every family that ran, grouped by suite in run order, families in natural order. */
  suites: SuiteFamilies[];
  caps: { perFamily: number; total: number };
  skips: { count: number; groups: SkipGroup[] };
  vectors: VectorProvenance[];
  timings: TimingRow[];
  bench: BenchView | undefined;
}

function emptyCounts(): Counts {
  return { pass: 0, fail: 0, skip: 0, crash: 0, timeout: 0, error: 0, findings: 0, total: 0, ms: 0 };
}

function add(c: Counts, r: CaseResult): void {
  c[r.status]++;
  c.findings += r.findings.length;
  c.total++;
  c.ms += r.durationMs;
}

function verdictOf(c: Counts, allKnown: boolean): Verdict {
  if (c.fail + c.crash + c.timeout + c.error + c.findings > 0) return allKnown ? 'known' : 'fail';
  if (c.pass === 0) return 'notrun';
  return 'pass';
}

function capped<T>(items: readonly T[], cap: number): Capped<T> {
  return { shown: items.slice(0, cap), more: Math.max(0, items.length - cap) };
}

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

const byParam = (x: string, y: string) => paramRank(x) - paramRank(y);

const GATE_KIND: Record<number, GateView['kind']> = { [EXIT.pass]: 'pass', [EXIT.failures]: 'fail', [EXIT.usage]: 'notrun', [EXIT.strictSkips]: 'strict' };

export function reportView(results: Results, opts: HtmlOptions = {}): ReportView {
  const perFamily = opts.maxCasesPerFamily ?? 50;
  const totalCap = opts.maxCasesTotal ?? 500;
  const idCap = opts.maxIdsPerGroup ?? 500;
  const gate = evaluateGate(results, { strict: opts.strict, baseline: opts.baseline });
  const knownKeys = new Set(gate.knownFailures.map((c) => caseKey(c.backend, c.id)));
  const isKnown = (c: CaseResult) => knownKeys.has(caseKey(c.backend, c.id));
  const run = results.run;

  // One pass over the cases.
  const suitesSeen = new Set<string>();
  const cells = new Map<string, { cell: MatrixCell; unknownBad: number }>();
  const families = new Map<string, { suite: string; family: string; counts: Counts; failing: CaseResult[]; params: Set<string>; notes: Map<string, number>; derived: Map<string, number> }>();
  const timing = new Map<string, TimingRow>();
  const skipped: CaseResult[] = [];
  for (const c of results.cases) {
    suitesSeen.add(c.suite);
    const ck = JSON.stringify([c.backend, c.parameterSet, c.suite]);
    let cell = cells.get(ck);
    if (!cell) cells.set(ck, (cell = { cell: { backend: c.backend, parameterSet: c.parameterSet, suite: c.suite, counts: emptyCounts(), verdict: 'notrun' }, unknownBad: 0 }));
    add(cell.cell.counts, c);
    const failing = isGateFailure(c);
    if (failing && !isKnown(c)) cell.unknownBad++;

    const fk = JSON.stringify([c.suite, c.family]);
    let fam = families.get(fk);
    if (!fam) families.set(fk, (fam = { suite: c.suite, family: c.family, counts: emptyCounts(), failing: [], params: new Set(), notes: new Map(), derived: new Map() }));
    add(fam.counts, c);
    fam.params.add(c.parameterSet);
    if (failing) fam.failing.push(c);
    if (c.note) fam.notes.set(c.note, (fam.notes.get(c.note) ?? 0) + 1);
    if (c.derived) fam.derived.set(c.derived, (fam.derived.get(c.derived) ?? 0) + 1);

    const tk = JSON.stringify([c.backend, c.suite]);
    let tm = timing.get(tk);
    if (!tm) timing.set(tk, (tm = { backend: c.backend, suite: c.suite, counts: emptyCounts(), meanMs: 0, slowest: [] }));
    add(tm.counts, c);
    if (tm.slowest.length < 3 || c.durationMs > tm.slowest[tm.slowest.length - 1]!.durationMs) {
      tm.slowest.push(c);
      tm.slowest.sort((x, y) => y.durationMs - x.durationMs);
      if (tm.slowest.length > 3) tm.slowest.pop();
    }
    if (c.status === 'skip') skipped.push(c);
  }
  for (const { cell, unknownBad } of cells.values()) cell.verdict = verdictOf(cell.counts, unknownBad === 0);
  for (const t of timing.values()) t.meanMs = t.counts.ms / t.counts.total;

  // Suites in the order the run recorded them; any other (an older results.json) after them.
  const recorded = run.suites ?? [];
  const suiteOrder = [...recorded.map((x) => x.name), ...[...suitesSeen].filter((x) => !recorded.some((y) => y.name === x))];
  const suiteRank = (s: string) => suiteOrder.indexOf(s);
  const fipsOf = fipsTable(results);
  const backendOrder = results.backends.map((b) => b.id);
  for (const { cell } of cells.values()) if (!backendOrder.includes(cell.backend)) backendOrder.push(cell.backend);

  const matrixSuites = suiteOrder.filter((x) => suitesSeen.has(x));
  const matrix: MatrixView = {
    suites: matrixSuites,
    backends: backendOrder
      .map((backend) => {
        const params = [...new Set([...cells.values()].filter((c) => c.cell.backend === backend).map((c) => c.cell.parameterSet))].sort(byParam);
        const rows = params.map((parameterSet) => ({ backend, parameterSet, cells: matrixSuites.map((suite) => cells.get(JSON.stringify([backend, parameterSet, suite]))?.cell) }));
        return { backend, rows };
      })
      .filter((b) => b.rows.length > 0),
  };

  const causes = groupCauses(results);

  // Failing cases in full: per family up to its cap, and up to the report's cap over all families in page order.
  let shownTotal = 0;
  const suites: SuiteFamilies[] = [];
  const famList = [...families.values()].sort((x, y) => suiteRank(x.suite) - suiteRank(y.suite) || naturalCompare(x.family, y.family));
  for (const f of famList) {
    if (suites.at(-1)?.suite !== f.suite) suites.push({ suite: f.suite, notes: recorded.find((x) => x.name === f.suite)?.notes ?? [], families: [] });
    const sorted = [...f.failing].sort((x, y) => naturalCompare(x.backend, y.backend) || naturalCompare(x.id, y.id));
    const room = Math.max(0, Math.min(perFamily, totalCap - shownTotal));
    const failing = capped(sorted.map((c) => ({ result: c, known: isKnown(c) })), room);
    shownTotal += failing.shown.length;
    suites.at(-1)!.families.push({
      suite: f.suite,
      family: f.family,
      counts: f.counts,
      verdict: verdictOf(f.counts, f.failing.every(isKnown)),
      fips: fipsOf(f.suite, f.family),
      params: [...f.params].sort(byParam),
      caseNotes: [...f.notes],
      derived: [...f.derived],
      failing,
    });
  }

  const skipGroups = [...groupBy(skipped, (c) => c.reason ?? '(no reason given)')]
    .sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]))
    .map(([reason, list]): SkipGroup => ({
      reason,
      count: list.length,
      byBackend: [...groupBy(list, (c) => c.backend)].map(([b, l]) => [b, l.length]),
      ids: capped(list.map((c) => `${c.backend}: ${c.id}`), idCap),
    }));

  return {
    schema: results.schema,
    run,
    backends: results.backends,
    summary: results.summary,
    cases: results.cases.length,
    durationMs: Date.parse(run.finishedAt) - Date.parse(run.startedAt),
    verdict: { gate, kind: GATE_KIND[gate.exitCode] ?? 'fail', reasons: gate.lines.slice(1).filter((m) => !m.startsWith('  ')) },
    matrix,
    compat: compatView(results),
    bugClasses: bugClassGroups(results, idCap),
    failingCases: causes.reduce((n, c) => n + c.cases.length, 0),
    causes: causes.map((c) => ({
      cause: c,
      families: [...new Set(c.cases.map((x) => x.family))],
      ids: capped(c.cases.map((x) => `${x.backend}: ${x.id}`), idCap),
      open: c.diagnosis !== undefined || causes.length <= 3,
    })),
    suites,
    caps: { perFamily, total: totalCap },
    skips: { count: skipped.length, groups: skipGroups },
    vectors: run.vectors,
    timings: [...timing.values()].sort((x, y) => backendOrder.indexOf(x.backend) - backendOrder.indexOf(y.backend) || suiteRank(x.suite) - suiteRank(y.suite)),
    bench: opts.bench ? benchView(opts.bench) : undefined,
  };
}
