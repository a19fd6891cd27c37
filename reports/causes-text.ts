// The console's list of failure causes, printed after the summary table: a view
// of the grouped, diagnosed causes (model/causes.ts).

import type { CaseResult, Results } from '../model/results.ts';
import { groupCauses } from '../model/causes.ts';
import { where } from '../model/diagnoses.ts';
import { isTimingKind } from '../model/findings.ts';
import { forTerminal } from '../model/text.ts';

/** Where a cause's cases come from: `python-seedbug: ML-KEM-768 kem.encaps 50, kem.decaps 20`. */
function spread(cases: readonly CaseResult[]): string {
  const by = new Map<string, Map<string, number>>();
  for (const c of cases) {
    const k = `${c.backend}: ${c.parameterSet}`;
    const m = by.get(k) ?? new Map<string, number>();
    m.set(c.op, (m.get(c.op) ?? 0) + 1);
    by.set(k, m);
  }
  return [...by].map(([k, m]) => `${k} ${[...m].map(([op, n]) => `${op} ${n}`).join(', ')}`).join('; ');
}

const MAX_CAUSES_SHOWN = 10;

/** The console's cause list, printed after the summary table; '' when nothing failed. */
export function causesText(results: Results): string {
  const causes = groupCauses(results);
  if (!causes.length) return '';
  const n = causes.reduce((a, c) => a + c.cases.length, 0);
  const head = `Causes: ${n} case${n === 1 ? '' : 's'}, ${causes.length} cause${causes.length === 1 ? '' : 's'}`;
  const lines = [causes.length === 1 ? `${head}: ${causes[0]!.diagnosis?.title ?? causes[0]!.title}` : head];
  causes.slice(0, MAX_CAUSES_SHOWN).forEach((c, i) => {
    lines.push(`  ${i + 1}. ${c.cases.length} case${c.cases.length === 1 ? '' : 's'} (${spread(c.cases)})`);
    lines.push(`     ${c.title}`);
    const f = c.cases.find((x) => x.findings[0]?.frames.length)?.findings[0];
    // A timing finding's cause is its code location (model/causes.ts).
    if (isTimingKind(c.kind)) lines.push(`     at ${c.frames}`);
    else if (f) lines.push(`     at ${f.frames.slice(0, 3).map(where).join(' ← ')}`);
    if (c.diagnosis) {
      lines.push(`     Diagnosis: ${c.diagnosis.title}.`);
      lines.push(`     Evidence: ${c.diagnosis.evidence.join('; ')}`);
      lines.push(`     Fix: ${c.diagnosis.fix}`);
    }
    if (c.answers) lines.push(`     Answers: ${c.answers.text}`);
  });
  if (causes.length > MAX_CAUSES_SHOWN) lines.push(`  … ${causes.length - MAX_CAUSES_SHOWN} more cause(s) in the report`);
  // Titles quote failure reasons and stderr: nothing in them may drive the terminal.
  return forTerminal(lines.join('\n'));
}
