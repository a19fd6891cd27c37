// Turns the V8 counts of an implementation's scripts into the coverage block of
// its backend entry: per file, lines and branches reached, and every
// line and branch no case reached. The counting is c8's: v8-to-istanbul maps
// V8's byte ranges to lines (through a source map when the script has one) and
// istanbul-lib-coverage sums them, so the numbers match what c8 would print for
// the same run. Pure data in, data out: it can run in any thread.

import { relative } from 'node:path';
import libCoverage from 'istanbul-lib-coverage';
import { isOwnFile } from '../../model/package.ts';
import v8ToIstanbul from 'v8-to-istanbul';
import type { BackendCoverage, CoverageBranch, CoverageCount, CoverageFile } from '../../model/results.ts';
import type { CoveredScript } from './profiler.ts';

function count(c: { covered: number; total: number }): CoverageCount {
  return { covered: c.covered, total: c.total };
}

function fileCoverage(root: string, data: libCoverage.FileCoverageData): CoverageFile {
  const fc = libCoverage.createFileCoverage(data);
  const sum = fc.toSummary();
  const unreachedLines = Object.entries(fc.getLineCoverage())
    .filter(([, hits]) => hits === 0)
    .map(([line]) => Number(line))
    .sort((a, b) => a - b);
  const unreachedBranches: CoverageBranch[] = [];
  for (const [k, hits] of Object.entries(data.b)) {
    hits.forEach((n, i) => {
      const loc = data.branchMap[k]?.locations[i];
      if (n === 0 && loc) unreachedBranches.push({ line: loc.start.line, column: loc.start.column });
    });
  }
  unreachedBranches.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    path: relative(root, data.path),
    lines: count(sum.lines),
    branches: count(sum.branches),
    unreachedLines,
    unreachedBranches,
  };
}

export async function summarizeCoverage(root: string, scripts: readonly CoveredScript[]): Promise<BackendCoverage> {
  const map = libCoverage.createCoverageMap({});
  for (const s of scripts) {
    const conv = v8ToIstanbul(s.path, 0, { source: s.source });
    await conv.load();
    conv.applyCoverage(s.functions);
    map.merge(conv.toIstanbul());
    conv.destroy();
  }
  // A source map may name files outside the root (a bundled dependency): they are not the implementation's.
  const files = map
    .files()
    .filter((f) => isOwnFile(root, f))
    .sort()
    .map((f) => fileCoverage(root, map.fileCoverageFor(f).toJSON() as libCoverage.FileCoverageData));
  const total = (k: 'lines' | 'branches'): CoverageCount =>
    files.reduce((acc, f) => ({ covered: acc.covered + f[k].covered, total: acc.total + f[k].total }), { covered: 0, total: 0 });
  return { tool: 'v8', root, lines: total('lines'), branches: total('branches'), files };
}
