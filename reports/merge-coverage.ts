// Coverage of one backend measured in several parts (shards of one run):
// something is reached when any part reached it.
//   - Lines are exact: a line stays unreached only if every part that loaded
//     its file left it unreached; each file's line total is the same in every part.
//   - Branches are V8 blocks, which V8 lists only where it has a count for them
//     (none inside a function that never ran): a branch stays unreached if every
//     part that loaded its file lists it, or left its line unreached. The total
//     is the largest any part saw.
//   - A file only some parts loaded is taken from those parts.

import type { BackendCoverage, CoverageBranch, CoverageFile } from '../model/results.ts';

const branchKey = (b: CoverageBranch) => `${b.line}:${b.column}`;

function mergeFile(a: CoverageFile, b: CoverageFile): CoverageFile {
  const bLines = new Set(b.unreachedLines);
  const aLines = new Set(a.unreachedLines);
  const unreachedLines = a.unreachedLines.filter((l) => bLines.has(l));
  const stillUnreached = (x: CoverageBranch, other: CoverageFile, otherLines: Set<number>) =>
    otherLines.has(x.line) || other.unreachedBranches.some((y) => branchKey(y) === branchKey(x));
  const candidates = new Map([...a.unreachedBranches, ...b.unreachedBranches].map((x) => [branchKey(x), x]));
  const unreachedBranches = [...candidates.values()]
    .filter((x) => stillUnreached(x, a, aLines) && stillUnreached(x, b, bLines))
    .sort((x, y) => x.line - y.line || x.column - y.column);
  const lineTotal = Math.max(a.lines.total, b.lines.total);
  const branchTotal = Math.max(a.branches.total, b.branches.total);
  return {
    path: a.path,
    lines: { covered: lineTotal - unreachedLines.length, total: lineTotal },
    branches: { covered: Math.max(0, branchTotal - unreachedBranches.length), total: branchTotal },
    unreachedLines,
    unreachedBranches,
  };
}

export function mergeCoverage(a: BackendCoverage, b: BackendCoverage): BackendCoverage {
  if (a.root !== b.root) throw new Error(`merge: coverage of one backend measured over different folders: ${a.root} and ${b.root}`);
  const files = new Map(a.files.map((f) => [f.path, f]));
  for (const f of b.files) {
    const have = files.get(f.path);
    files.set(f.path, have ? mergeFile(have, f) : f);
  }
  const all = [...files.values()].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const sum = (k: 'lines' | 'branches') => all.reduce((acc, f) => ({ covered: acc.covered + f[k].covered, total: acc.total + f[k].total }), { covered: 0, total: 0 });
  return { tool: 'v8', root: a.root, lines: sum('lines'), branches: sum('branches'), files: all };
}
