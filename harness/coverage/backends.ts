// `run --coverage`: which backends of a run can have their implementation's
// coverage measured, and writing the measurement (or the reason there is none)
// into each backend's entry.
//
// Measured: a JavaScript backend (a kind with a coverage root) running in the
// runner's thread. Not measured, with a note: native code (V8 sees only
// JavaScript), and a JS backend hosted in a child process (its counts live in
// that process).

import type { BackendSpec } from '../../backends/registry.ts';
import type { BackendEntry } from '../../model/results.ts';
import type { HostKind } from '../hosts/index.ts';
import type { CoverageSession } from './profiler.ts';
import { summarizeCoverage } from './summarize.ts';
import { isOwnFile } from '../../model/package.ts';

export interface CoverageTarget {
  spec: BackendSpec;
  host: HostKind;
  entry: BackendEntry;
  /** The backend opened (a backend that did not open ran no code). */
  opened: boolean;
}

function rootOf(t: CoverageTarget): { root: string } | { why: string } {
  if (!t.spec.kind.coverageRoot) return { why: `${t.spec.text} is not JavaScript (V8 coverage sees only JavaScript)` };
  if (t.host !== 'inproc') return { why: `${t.spec.text} ran in a ${t.host} host; coverage is measured in process only (--host inproc)` };
  if (!t.opened) return { why: `${t.spec.text} did not open` };
  return { root: t.spec.kind.coverageRoot(t.spec.arg) };
}

/** Takes the session's counts once (taking resets them) and files them under each backend they belong to. */
export async function recordCoverage(session: CoverageSession, targets: readonly CoverageTarget[]): Promise<void> {
  const plans = targets.map((t) => ({ t, plan: rootOf(t) }));
  const roots = plans.flatMap(({ plan }) => ('root' in plan ? [plan.root] : []));
  const scripts = await session.take((path) => roots.some((r) => isOwnFile(r, path)));
  for (const { t, plan } of plans) {
    if ('why' in plan) {
      t.entry.notes = [...(t.entry.notes ?? []), `coverage: not measured: ${plan.why}`];
      continue;
    }
    t.entry.coverage = await summarizeCoverage(plan.root, scripts.filter((s) => isOwnFile(plan.root, s.path)));
  }
}
