// Two views of many implementations side by side, from results.json only:
//
// - the compatibility matrix: a row per (parameter set, suite/family), a column
//   per implementation; each cell reads
//     fail                 a case failed the gate (wrong answer, accepted bad
//                          input, crash, timeout, error, memory finding)
//     pass                 every case that ran gave the expected answer
//     refused-as-expected  every case that ran was a vector expecting a refusal,
//                          and the implementation refused (results: expectsRejection)
//     not-expressible      every case was skipped: the implementation's API
//                          cannot express the operation or its inputs
//   with the count of cases in each reading, and each failing cell listed with
//   its bug classes, causes and FIPS clause;
// - failures grouped by bug class and severity (model/bug-classes.ts).

import { ALL_PARAMS } from '../model/params.ts';
import { bugClass, severityRank, UNCLASSIFIED, type Severity } from '../model/bug-classes.ts';
import type { FipsRef } from '../model/case.ts';
import { causeOf } from '../model/causes.ts';
import { isGateFailure, type CaseResult, type Results } from '../model/results.ts';
import { naturalCompare } from './text.ts';

export const READINGS = ['fail', 'pass', 'refused', 'notexpressible'] as const;
export type Reading = (typeof READINGS)[number];

/** How a reader names each reading. */
export const READING_TEXT: Record<Reading, string> = { fail: 'fail', pass: 'pass', refused: 'refused as expected', notexpressible: 'not expressible' };

/** One case's reading. */
export function readingOf(c: CaseResult): Reading {
  if (isGateFailure(c)) return 'fail';
  if (c.status === 'skip') return 'notexpressible';
  return c.expectsRejection ? 'refused' : 'pass';
}

export type ReadingCounts = Record<Reading, number>;

const zero = (): ReadingCounts => ({ fail: 0, pass: 0, refused: 0, notexpressible: 0 });

/** A cell's reading: any failure fails it; otherwise what its cases that ran were (refusals only: refused-as-expected). */
export function cellReading(n: ReadingCounts): Reading {
  if (n.fail > 0) return 'fail';
  if (n.pass + n.refused === 0) return 'notexpressible';
  return n.pass === 0 ? 'refused' : 'pass';
}

export interface CompatCell {
  backend: string;
  reading: Reading;
  counts: ReadingCounts;
  /** The anchor of its entry in `failures`, for a failing cell. */
  failure?: string;
}

export interface CompatRow {
  parameterSet: string;
  suite: string;
  family: string;
  fips: FipsRef | undefined;
  /** One per implementation, in column order; undefined: no case of this row ran on it. */
  cells: (CompatCell | undefined)[];
}

/** How a failing cell failed: by bug class, and by cause. */
export interface CompatFailure {
  anchor: string;
  backend: string;
  parameterSet: string;
  suite: string;
  family: string;
  fips: FipsRef | undefined;
  classes: { bugClass: string; severity: Severity; count: number }[];
  /** Cause titles (model/causes.ts) with their counts, most frequent first. */
  causes: { title: string; count: number }[];
  /** Failing case ids, up to a cap. */
  ids: string[];
  count: number;
}

/** Per implementation: its counts over the whole run, for a summary. */
export interface CompatColumn {
  backend: string;
  name: string;
  version: string;
  counts: ReadingCounts;
  /** Crashes, timeouts and errors among the failures. */
  broken: number;
}

export interface CompatView {
  columns: CompatColumn[];
  rows: CompatRow[];
  failures: CompatFailure[];
}

const IDS_PER_FAILURE = 20;

/** A parameter set's place in the size table's order; anything else after them. */
export function paramRank(p: string): number {
  const i = ALL_PARAMS.indexOf(p as never);
  return i < 0 ? 99 : i;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return m;
}

/** The FIPS clause each (suite, family) of the run declared (run.suites). */
export function fipsTable(results: Results): (suite: string, family: string) => FipsRef | undefined {
  const m = new Map<string, FipsRef>();
  for (const s of results.run.suites ?? []) for (const f of s.fips ?? []) m.set(JSON.stringify([s.name, f.family]), f);
  return (suite, family) => m.get(JSON.stringify([suite, family]));
}

/** The bug class of a failing case: as recorded, or `unclassified` (a results.json from before bug classes). */
export function classOf(c: CaseResult): { bugClass: string; severity: Severity } {
  return c.bugClass ? { bugClass: c.bugClass, severity: c.severity ?? bugClass(c.bugClass)?.severity ?? UNCLASSIFIED.severity } : { bugClass: UNCLASSIFIED.id, severity: UNCLASSIFIED.severity };
}

export function compatView(results: Results): CompatView {
  const fips = fipsTable(results);
  const order = results.backends.map((b) => b.id);
  for (const c of results.cases) if (!order.includes(c.backend)) order.push(c.backend);
  const suiteOrder = (results.run.suites ?? []).map((s) => s.name);
  const suiteRank = (s: string) => (suiteOrder.includes(s) ? suiteOrder.indexOf(s) : suiteOrder.length);

  const rowsByKey = new Map<string, { row: Omit<CompatRow, 'cells'>; cells: Map<string, CaseResult[]> }>();
  const columns = new Map(order.map((id) => {
    const b = results.backends.find((x) => x.id === id);
    return [id, { backend: id, name: b?.name ?? id, version: b?.version ?? '', counts: zero(), broken: 0 } satisfies CompatColumn];
  }));
  for (const c of results.cases) {
    const key = JSON.stringify([c.parameterSet, c.suite, c.family]);
    let r = rowsByKey.get(key);
    if (!r) rowsByKey.set(key, (r = { row: { parameterSet: c.parameterSet, suite: c.suite, family: c.family, fips: fips(c.suite, c.family) }, cells: new Map() }));
    const list = r.cells.get(c.backend) ?? [];
    list.push(c);
    r.cells.set(c.backend, list);
    const col = columns.get(c.backend)!;
    col.counts[readingOf(c)]++;
    if (c.status === 'crash' || c.status === 'timeout' || c.status === 'error') col.broken++;
  }

  const sorted = [...rowsByKey.values()].sort(
    (x, y) => paramRank(x.row.parameterSet) - paramRank(y.row.parameterSet) || suiteRank(x.row.suite) - suiteRank(y.row.suite) || naturalCompare(x.row.family, y.row.family),
  );
  const failures: CompatFailure[] = [];
  const rows = sorted.map(({ row, cells }) => ({
    ...row,
    cells: order.map((backend): CompatCell | undefined => {
      const cases = cells.get(backend);
      if (!cases) return undefined;
      const counts = zero();
      for (const c of cases) counts[readingOf(c)]++;
      const cell: CompatCell = { backend, reading: cellReading(counts), counts };
      if (cell.reading === 'fail') {
        const failing = cases.filter(isGateFailure).sort((x, y) => naturalCompare(x.id, y.id));
        cell.failure = `compat-${failures.length + 1}`;
        const classes = [...countBy(failing, (c) => JSON.stringify(classOf(c)))]
          .map(([k, count]) => ({ ...(JSON.parse(k) as { bugClass: string; severity: Severity }), count }))
          .sort((x, y) => severityRank(x.severity) - severityRank(y.severity) || y.count - x.count);
        const causes = [...countBy(failing, (c) => causeOf(c).title)].map(([title, count]) => ({ title, count })).sort((x, y) => y.count - x.count || x.title.localeCompare(y.title));
        failures.push({ anchor: cell.failure, backend, ...row, classes, causes, ids: failing.slice(0, IDS_PER_FAILURE).map((c) => c.id), count: failing.length });
      }
      return cell;
    }),
  }));
  return { columns: [...columns.values()], rows, failures };
}

/** Failing cases of one bug class. */
export interface BugClassGroup {
  bugClass: string;
  severity: Severity;
  /** The class in words (model/bug-classes.ts); empty for a class this version does not know. */
  what: string;
  count: number;
  /** Cases per implementation, most first. */
  backends: [backend: string, count: number][];
  /** The families its cases come from, each with its FIPS clause. */
  families: { suite: string; family: string; fips: FipsRef | undefined; count: number }[];
  /** `backend: id` of its cases, up to a cap. */
  ids: string[];
}

/** Failures grouped by bug class, gravest first, then most cases. */
export function bugClassGroups(results: Results, idCap = 50): BugClassGroup[] {
  const fips = fipsTable(results);
  const by = new Map<string, CaseResult[]>();
  for (const c of results.cases) {
    if (!isGateFailure(c)) continue;
    const k = classOf(c).bugClass;
    const list = by.get(k) ?? [];
    list.push(c);
    by.set(k, list);
  }
  return [...by]
    .map(([id, cases]): BugClassGroup => {
      const famCounts = countBy(cases, (c) => JSON.stringify([c.suite, c.family]));
      return {
        bugClass: id,
        severity: classOf(cases[0]!).severity,
        what: bugClass(id)?.what ?? '',
        count: cases.length,
        backends: [...countBy(cases, (c) => c.backend)].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])),
        families: [...famCounts].map(([k, count]) => {
          const [suite, family] = JSON.parse(k) as [string, string];
          return { suite, family, fips: fips(suite, family), count };
        }),
        ids: cases.slice(0, idCap).map((c) => `${c.backend}: ${c.id}`),
      };
    })
    .sort((x, y) => severityRank(x.severity) - severityRank(y.severity) || y.count - x.count || x.bugClass.localeCompare(y.bugClass));
}
