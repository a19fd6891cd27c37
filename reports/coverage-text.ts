// The console's view of `run --coverage`: per JS backend, the lines and branches
// its suites reached, and each file's unreached lines as ranges.
// Also the small formatters the HTML section shares.

import type { BackendEntry, CoverageCount, Results } from '../model/results.ts';

export function percent(c: CoverageCount): string {
  return c.total === 0 ? '—' : `${((100 * c.covered) / c.total).toFixed(1)}%`;
}

export function ratio(c: CoverageCount): string {
  return `${c.covered}/${c.total} (${percent(c)})`;
}

/** Ascending line numbers as ranges: `3-5, 9, 12-13`. */
export function lineRanges(lines: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

export function covered(results: Pick<Results, 'backends'>): (BackendEntry & { coverage: NonNullable<BackendEntry['coverage']> })[] {
  return results.backends.filter((b): b is BackendEntry & { coverage: NonNullable<BackendEntry['coverage']> } => b.coverage !== undefined);
}

/** Empty when no backend has coverage. */
export function coverageText(results: Results, maxRangesChars = 160): string {
  const lines: string[] = [];
  for (const b of covered(results)) {
    const c = b.coverage;
    lines.push(`Coverage of ${b.id} (${c.root}) by the suites: lines ${ratio(c.lines)}, branches ${ratio(c.branches)}`);
    for (const f of c.files) {
      const ranges = lineRanges(f.unreachedLines);
      const shown = ranges.length > maxRangesChars ? `${ranges.slice(0, ranges.lastIndexOf(',', maxRangesChars))}, …` : ranges;
      lines.push(`  ${f.path}: lines ${percent(f.lines)}, branches ${percent(f.branches)}${shown ? `; unreached lines ${shown}` : ''}`);
    }
  }
  return lines.join('\n');
}
