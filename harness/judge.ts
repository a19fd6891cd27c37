// Comparing what a backend returned with what a vector expects, producing an
// Outcome a report can show (expected vs got, hex).

import { equalBytes, firstDiff, toHex } from '../model/bytes.ts';
import type { Outcome, Shown } from '../model/case.ts';
import { RejectedError } from '../model/contract.ts';

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

/** Render whatever a call returned (bytes, verdicts, or an object of them) for a failing case. */
function shownResult(v: unknown): Shown {
  if (v instanceof Uint8Array) return { result: toHex(v) };
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return { result: v };
  if (v === undefined || v === null) return { result: String(v) };
  if (typeof v === 'object') {
    const out: Shown = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      out[k] = x instanceof Uint8Array ? toHex(x) : typeof x === 'boolean' || typeof x === 'number' || typeof x === 'string' ? x : String(x);
    }
    return out;
  }
  return { result: String(v) };
}

/**
 * The call must be refused. A RejectedError from the backend is a pass; a
 * returned value is a fail that shows what came back. Any other exception
 * (UnsupportedError, a crash, a bug) propagates for the runner to classify.
 */
export async function expectRejected(what: string, call: () => Promise<unknown>): Promise<Outcome> {
  let got: unknown;
  try {
    got = await call();
  } catch (e) {
    if (e instanceof RejectedError) return PASS;
    throw e;
  }
  return { status: 'fail', reason: `${what}: returned a result, expected the input to be rejected`, expected: { [what]: 'rejected' }, got: shownResult(got) };
}
