// Comparing what a backend returned with what a vector expects, producing an
// Outcome a report can show (expected vs got, hex).

import { equalBytes, firstDiff, toHex } from './bytes.ts';
import type { Outcome, Shown } from './case.ts';

export const PASS: Outcome = { status: 'pass' };

/** Compare named byte outputs; the first mismatch fails with every differing field shown. */
export function expectBytes(pairs: Record<string, [got: Uint8Array, want: Uint8Array]>): Outcome {
  const expected: Shown = {};
  const got: Shown = {};
  const bad: string[] = [];
  for (const [name, [g, w]] of Object.entries(pairs)) {
    if (equalBytes(g, w)) continue;
    expected[name] = toHex(w);
    got[name] = toHex(g);
    const at = firstDiff(g, w);
    bad.push(g.length !== w.length ? `${name}: length ${g.length}, expected ${w.length}` : `${name}: differs from byte ${at}`);
  }
  return bad.length === 0 ? PASS : { status: 'fail', reason: bad.join('; '), expected, got };
}

export function expectVerdict(name: string, got: boolean, want: boolean): Outcome {
  if (got === want) return PASS;
  return {
    status: 'fail',
    reason: `${name}: ${got ? 'accepted' : 'rejected'}, expected ${want ? 'accept' : 'reject'}`,
    expected: { [name]: want },
    got: { [name]: got },
  };
}

/** Hex-encode inputs for display. */
export function shown(values: Record<string, Uint8Array | string | number | boolean | undefined>): Shown {
  const out: Shown = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out[k] = v instanceof Uint8Array ? toHex(v) : v;
  }
  return out;
}
