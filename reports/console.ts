// The summary printed at the end of a run: one row per backend × family.

import type { CaseResult, Results, Status } from '../model/results.ts';
import { STATUSES } from '../model/results.ts';
import { textTable } from './text.ts';
import { forTerminal } from '../model/text.ts';

/** A table cell: printable, on one line (ids and families come from results a backend or a merged file supplied). */
function oneLine(s: string): string {
  return forTerminal(s).replace(/[\n\t]/g, ' ');
}

/** `known` marks failures a baseline accepts: a row failing only those reads KNOWN. */
export function summaryTable(results: Results, known: (c: CaseResult) => boolean = () => false): string {
  const rows = new Map<string, Record<Status, number>>();
  const unknownBad = new Map<string, number>();
  for (const c of results.cases) {
    const key = `${c.backend}\u0000${c.suite}\u0000${c.family}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { pass: 0, fail: 0, skip: 0, crash: 0, timeout: 0, error: 0 }));
    r[c.status]++;
    if (c.status !== 'pass' && c.status !== 'skip' && !known(c)) unknownBad.set(key, (unknownBad.get(key) ?? 0) + 1);
  }
  const head = ['backend', 'suite', 'family', ...STATUSES, 'verdict'];
  const body = [...rows].map(([k, r]) => {
    const bad = r.fail + r.crash + r.timeout + r.error;
    return [...k.split('\u0000').map(oneLine), ...STATUSES.map((s) => String(r[s])), unknownBad.get(k) ? 'FAIL' : bad ? 'KNOWN' : r.pass ? 'ok' : 'skipped'];
  });
  const s = results.summary;
  const anyUnknown = [...unknownBad.values()].some((n) => n > 0);
  const anyBad = s.fail + s.crash + s.timeout + s.error + s.findings > 0;
  body.push(['total', '', '', ...STATUSES.map((st) => String(s[st])), anyUnknown ? 'FAIL' : anyBad ? 'KNOWN' : 'ok']);
  return textTable(head, body, 3);
}
