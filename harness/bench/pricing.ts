// The raw-op model: what the cryptography alone of a run's cases costs, priced
// with the in-process medians `bench` measured. A case costs, per call of each
// operation it requires (Case.requires, Case.repeats times), that operation's
// median at the case's parameter set; signing at the mean over several fixed
// messages (signModelUs), so an average number of rejection rounds. A case none
// of whose operations has a price (the FIPS 203 key checks, interop checks) is
// counted at its own durationMs and reported as unmodelled.

import type { BenchResult } from '../../model/bench.ts';
import type { Case } from '../../model/case.ts';
import { benchOpOf } from './ops.ts';

export interface PricedCase {
  backend: string;
  parameterSet: string;
  op: string;
  status: string;
  durationMs: number;
  /** From the Case: every operation it calls, and how often each. */
  requires?: readonly string[];
  repeats?: number;
}

export interface Pricer {
  /** µs of one call, or undefined when there is no price for it. */
  (backend: string, parameterSet: string, op: string): number | undefined;
}

/** Prices from a bench run's medians; `signUs` (backend, set → µs) replaces the fixed-message sign median. */
export function pricer(results: readonly BenchResult[], signUs: ReadonlyMap<string, number> = new Map()): Pricer {
  const median = new Map(results.map((r) => [`${r.backend}\0${r.parameterSet}\0${r.op}`, r.medianUs]));
  return (backend, ps, op) => {
    const bop = benchOpOf(op);
    if (!bop) return undefined;
    if (bop === 'dsa.sign') return signUs.get(`${backend}\0${ps}`) ?? median.get(`${backend}\0${ps}\0${bop}`);
    return median.get(`${backend}\0${ps}\0${bop}`);
  };
}

/** The raw work of one executed case in ms, and whether the model priced it (else its own durationMs). */
export function rawWorkMs(c: PricedCase, price: Pricer): { ms: number; modelled: boolean } {
  let us: number | undefined;
  for (const op of c.requires?.length ? c.requires : [c.op]) {
    const p = price(c.backend, c.parameterSet, op);
    if (p !== undefined) us = (us ?? 0) + p;
  }
  if (us === undefined) return { ms: c.durationMs, modelled: false };
  return { ms: (us * (c.repeats ?? 1)) / 1000, modelled: true };
}

/** What the model needs of a collected case, by `${suite}\0${id}`. */
export function caseShapes(cases: readonly Case[]): Map<string, { requires: string[]; repeats: number }> {
  return new Map(cases.map((c) => [`${c.suite}\0${c.id}`, { requires: [...c.requires], repeats: c.repeats ?? 1 }]));
}
