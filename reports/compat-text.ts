// The console's view of many implementations (`pqc-harness fleet run`): a row
// per implementation with its cases per reading, then the failures by bug
// class. Same numbers as the HTML report's compatibility and bug-class sections.

import type { Results } from '../model/results.ts';
import { bugClassGroups, compatView } from './compat.ts';
import { textTable } from './text.ts';

export function compatText(results: Results): string {
  const v = compatView(results);
  const rows = v.columns.map((c) => [c.backend, `${c.name} ${c.version}`.trim(), String(c.counts.pass), String(c.counts.refused), String(c.counts.fail), String(c.broken), String(c.counts.notexpressible)]);
  const lines = [textTable(['implementation', 'name and version', 'pass', 'refused as expected', 'fail', 'of which crash/timeout/error', 'not expressible'], rows, 2)];
  const groups = bugClassGroups(results, 0);
  if (groups.length) {
    lines.push('', 'Failures by bug class:');
    for (const g of groups) lines.push(`  ${g.severity.padEnd(8)} ${g.bugClass}: ${g.count} (${g.backends.map(([b, n]) => `${b} ${n}`).join(', ')})`);
  }
  return lines.join('\n');
}
