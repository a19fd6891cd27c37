// Property-based tests (fast-check) run through the backend contract, so they
// apply to every backend: noble, rust, liboqs, any plugin. One case per
// property × parameter set (`property/<name>/<ps>`), each with a FIXED seed so a
// failure reproduces: the failing Outcome carries the seed, fast-check's shrink
// path and the (shrunk) counterexample; replay with
//   fc.assert(property, { seed, path, endOnFailure: true }).
//
// Every call gets fresh copies of its inputs, except in the *-no-mutation
// properties, which check exactly that the backend leaves its inputs alone; so a
// mutating backend fails that property and only that one.

import fc from 'fast-check';
import { shake256 } from '@noble/hashes/sha3.js';
import { equalBytes, fnv1a32, toHex } from '../../model/bytes.ts';
import type { Case, Outcome, Shown } from '../../model/case.ts';
import { dsaApi, kemApi, RejectedError, UnsupportedError, type Backend, type DsaApi, type KemApi, type Op } from '../../model/contract.ts';
import { CrashError, TimeoutError } from '../../model/errors.ts';
import { DSA, DSA_PARAMS, KEM, KEM_PARAMS, SEED, type DsaParam, type KemParam, type ParamSet } from '../../model/params.ts';
import type { FipsRule, PerBackendSuite } from './suite.ts';

/** A property's own complaint (as opposed to an exception from the backend). */
export class PropertyViolation extends Error {
  override name = 'PropertyViolation';
}

export const KEM_RUNS = 25;
export const DSA_RUNS = 12;
/** Cap on shrink steps per arbitrary: a failing property on a slow backend still ends quickly. */
const MAX_SHRINKS = 48;

// Shared with the interop and differential suites, which build fast-check properties the same way.
export const cp = (b: Uint8Array): Uint8Array => b.slice();
export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const byteRange = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });


function violation(msg: string): never {
  throw new PropertyViolation(msg);
}

function expectEqual(what: string, got: Uint8Array, want: Uint8Array): void {
  if (!equalBytes(got, want)) violation(`${what}: got ${short(got)}, expected ${short(want)}`);
}

function short(b: Uint8Array): string {
  const h = toHex(b);
  return `${b.length} bytes ${h.length > 64 ? h.slice(0, 64) + '…' : h}`;
}

export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = b.slice();
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** A wrong-length variant of a valid value: a prefix, or the value padded with zeros. */
export function resize(b: Uint8Array, len: number): Uint8Array {
  if (len <= b.length) return b.slice(0, len);
  const out = new Uint8Array(len);
  out.set(b);
  return out;
}

/** Lengths other than `n`: the near misses, empty, and anything up to 2n. */
function wrongLength(n: number) {
  return fc.oneof(fc.constantFrom(0, n - 1, n + 1), fc.integer({ min: 0, max: 2 * n }).filter((x) => x !== n));
}

/** The call must be refused with RejectedError; any other exception, or acceptance, violates the property. */
async function mustReject(what: string, f: () => Promise<unknown>): Promise<void> {
  let r: unknown;
  try {
    r = await f();
  } catch (e) {
    if (e instanceof RejectedError) return;
    if (e instanceof CrashError || e instanceof TimeoutError || e instanceof UnsupportedError) throw e;
    violation(`${what}: threw ${(e as Error).name ?? 'a non-Error'} (${(e as Error).message ?? String(e)}) instead of RejectedError`);
  }
  violation(`${what}: accepted${r instanceof Uint8Array ? ` and returned ${r.length} bytes` : ''}, expected RejectedError`);
}

/** A verification of bad input must say false (or refuse with RejectedError); never true, never another error. */
async function mustNotVerify(what: string, f: () => Promise<boolean>): Promise<void> {
  let ok: boolean;
  try {
    ok = await f();
  } catch (e) {
    if (e instanceof RejectedError) return;
    if (e instanceof CrashError || e instanceof TimeoutError || e instanceof UnsupportedError) throw e;
    violation(`${what}: threw ${(e as Error).name ?? 'a non-Error'} (${(e as Error).message ?? String(e)}) instead of returning false`);
  }
  if (ok) violation(`${what}: accepted`);
}

// ---------------------------------------------------------------------------
// Property definitions

interface PropertyDef<P extends ParamSet> {
  name: string;
  title: string;
  op: Op;
  requires: Op[];
  /** Build the fast-check property for one set, bound to a backend. */
  make(b: Backend, ps: P): fc.IAsyncProperty<[unknown]>;
}

type KemSeeds = { d: Uint8Array; z: Uint8Array; m: Uint8Array };
const kemSeeds = fc.record({ d: bytes(SEED.kemD), z: bytes(SEED.kemZ), m: bytes(SEED.kemM) });

/** A property over `arb` with shrinking capped at MAX_SHRINKS. */
export function prop<T>(arb: fc.Arbitrary<T>, body: (t: T) => Promise<void>): fc.IAsyncProperty<[unknown]> {
  return fc.asyncProperty(fc.limitShrink(arb, MAX_SHRINKS) as fc.Arbitrary<unknown>, (t) => body(t as T));
}

async function kemFresh(api: KemApi, ps: KemParam, s: KemSeeds) {
  const { ek, dk } = await api.keygen(ps, cp(s.d), cp(s.z));
  const { c, k } = await api.encaps(ps, cp(ek), cp(s.m));
  return { ek, dk, c, k };
}

const KEM_FULL: Op[] = ['kem.keygen', 'kem.encaps', 'kem.decaps'];

export const KEM_PROPERTIES: PropertyDef<KemParam>[] = [
  {
    name: 'kem-roundtrip',
    title: 'KeyGen(d, z), Encaps(ek, m): Decaps(dk, c) returns the same key; sizes match FIPS 203',
    op: 'kem.decaps',
    requires: KEM_FULL,
    make: (b, ps) =>
      prop(kemSeeds, async (s) => {
        const api = kemApi(b);
        const sz = KEM[ps];
        const { ek, dk, c, k } = await kemFresh(api, ps, s);
        for (const [n, v, want] of [['ek', ek, sz.ek], ['dk', dk, sz.dk], ['c', c, sz.c], ['k', k, sz.ss]] as const) {
          if (v.length !== want) violation(`${n} is ${v.length} bytes, expected ${want}`);
        }
        expectEqual('Decaps(dk, c)', await api.decaps(ps, cp(dk), cp(c)), k);
      }),
  },
  {
    name: 'kem-implicit-rejection',
    title: 'Decaps of a modified ciphertext returns SHAKE256(z ‖ c′, 32), z = last 32 bytes of dk (computed independently)',
    op: 'kem.decaps',
    requires: KEM_FULL,
    // The change touches 2..32 bytes (or replaces c entirely): single-bit flips are kem-ciphertext-bitflip's.
    make: (b, ps) =>
      prop(
        fc.record({
          s: kemSeeds,
          mod: fc.oneof(
            fc.record({ kind: fc.constant('random' as const), c: bytes(KEM[ps].c) }),
            fc.record({
              kind: fc.constant('xor' as const),
              at: fc.nat({ max: KEM[ps].c - 2 }),
              mask: fc.uint8Array({ minLength: 2, maxLength: 32, min: 1 }),
            }),
          ),
        }),
        async ({ s, mod }) => {
          const api = kemApi(b);
          const { dk, c, k } = await kemFresh(api, ps, s);
          let bad: Uint8Array;
          if (mod.kind === 'random') bad = mod.c;
          else {
            bad = c.slice();
            mod.mask.forEach((x, i) => {
              if (mod.at + i < bad.length) bad[mod.at + i]! ^= x;
            });
          }
          if (equalBytes(bad, c)) return; // a random c equal to the real one: nothing to reject
          const z = dk.slice(dk.length - 32);
          expectEqual('z = last 32 bytes of dk', z, s.z);
          const want = shake256(Uint8Array.from([...z, ...bad]), { dkLen: 32 });
          const got = await api.decaps(ps, cp(dk), cp(bad));
          expectEqual('Decaps(dk, modified c) vs SHAKE256(z ‖ c′)', got, want);
          if (equalBytes(got, k)) violation('Decaps(dk, modified c) returned the real shared key');
        },
      ),
  },
  {
    name: 'kem-ciphertext-bitflip',
    title: 'flipping any single bit of the ciphertext changes the decapsulated key',
    op: 'kem.decaps',
    requires: KEM_FULL,
    make: (b, ps) =>
      prop(fc.record({ s: kemSeeds, bit: fc.nat({ max: KEM[ps].c * 8 - 1 }) }), async ({ s, bit }) => {
        const api = kemApi(b);
        const { dk, c, k } = await kemFresh(api, ps, s);
        const got = await api.decaps(ps, cp(dk), flipBit(c, bit));
        if (equalBytes(got, k)) violation(`Decaps(dk, c with bit ${bit} flipped) returned the real shared key`);
      }),
  },
  {
    name: 'kem-wrong-length',
    title: 'wrong-length d, z, ek, m, dk and c are refused with RejectedError, never accepted or crashed on',
    op: 'kem.decaps',
    requires: KEM_FULL,
    make: (b, ps) => {
      const sz = KEM[ps];
      const which = fc.oneof(
        fc.record({ arg: fc.constant('d' as const), len: wrongLength(SEED.kemD) }),
        fc.record({ arg: fc.constant('z' as const), len: wrongLength(SEED.kemZ) }),
        fc.record({ arg: fc.constant('ek' as const), len: wrongLength(sz.ek) }),
        fc.record({ arg: fc.constant('m' as const), len: wrongLength(SEED.kemM) }),
        fc.record({ arg: fc.constant('dk' as const), len: wrongLength(sz.dk) }),
        fc.record({ arg: fc.constant('c' as const), len: wrongLength(sz.c) }),
      );
      return prop(fc.record({ s: kemSeeds, w: which }), async ({ s, w }) => {
        const api = kemApi(b);
        const { ek, dk, c } = await kemFresh(api, ps, s);
        const what = `${w.arg} of ${w.len} bytes`;
        switch (w.arg) {
          case 'd':
            return mustReject(`KeyGen with ${what}`, () => api.keygen(ps, resize(s.d, w.len), cp(s.z)));
          case 'z':
            return mustReject(`KeyGen with ${what}`, () => api.keygen(ps, cp(s.d), resize(s.z, w.len)));
          case 'ek':
            return mustReject(`Encaps with ${what}`, () => api.encaps(ps, resize(ek, w.len), cp(s.m)));
          case 'm':
            return mustReject(`Encaps with ${what}`, () => api.encaps(ps, cp(ek), resize(s.m, w.len)));
          case 'dk':
            return mustReject(`Decaps with ${what}`, () => api.decaps(ps, resize(dk, w.len), cp(c)));
          case 'c':
            return mustReject(`Decaps with ${what}`, () => api.decaps(ps, cp(dk), resize(c, w.len)));
        }
      });
    },
  },
  {
    name: 'kem-deterministic',
    title: 'KeyGen(d, z), Encaps(ek, m) and Decaps(dk, c) give the same output twice',
    op: 'kem.keygen',
    requires: KEM_FULL,
    make: (b, ps) =>
      prop(fc.record({ s: kemSeeds, junk: bytes(KEM[ps].c) }), async ({ s, junk }) => {
        const api = kemApi(b);
        const a = await api.keygen(ps, cp(s.d), cp(s.z));
        const a2 = await api.keygen(ps, cp(s.d), cp(s.z));
        expectEqual('KeyGen ek, second call', a2.ek, a.ek);
        expectEqual('KeyGen dk, second call', a2.dk, a.dk);
        const e = await api.encaps(ps, cp(a.ek), cp(s.m));
        const e2 = await api.encaps(ps, cp(a.ek), cp(s.m));
        expectEqual('Encaps c, second call', e2.c, e.c);
        expectEqual('Encaps k, second call', e2.k, e.k);
        for (const [n, ct] of [['valid c', e.c], ['random c', junk]] as const) {
          const k1 = await api.decaps(ps, cp(a.dk), cp(ct));
          const k2 = await api.decaps(ps, cp(a.dk), cp(ct));
          expectEqual(`Decaps(${n}), second call`, k2, k1);
        }
      }),
  },
  {
    name: 'kem-no-mutation',
    title: 'KeyGen, Encaps and Decaps leave their input buffers unchanged',
    op: 'kem.decaps',
    requires: KEM_FULL,
    make: (b, ps) =>
      prop(fc.record({ s: kemSeeds, junk: bytes(KEM[ps].c) }), async ({ s, junk }) => {
        const api = kemApi(b);
        const d = cp(s.d);
        const z = cp(s.z);
        const { ek, dk } = await api.keygen(ps, d, z);
        expectEqual('d after KeyGen', d, s.d);
        expectEqual('z after KeyGen', z, s.z);
        const ek0 = cp(ek);
        const m = cp(s.m);
        const { c } = await api.encaps(ps, ek, m);
        expectEqual('ek after Encaps', ek, ek0);
        expectEqual('m after Encaps', m, s.m);
        const dk0 = cp(dk);
        for (const [n, ct] of [['valid c', cp(c)], ['random c', cp(junk)]] as const) {
          const ct0 = cp(ct);
          await api.decaps(ps, dk, ct);
          expectEqual(`c after Decaps(${n})`, ct, ct0);
          expectEqual(`dk after Decaps(${n})`, dk, dk0);
        }
      }),
  },
];

type DsaIn = { xi: Uint8Array; msg: Uint8Array; ctx: Uint8Array; rnd: Uint8Array };
const dsaIn = fc.record({
  xi: bytes(SEED.dsaXi),
  msg: byteRange(0, 64),
  ctx: byteRange(0, 16),
  // deterministic (zero rnd) or hedged
  rnd: fc.oneof(fc.constant(new Uint8Array(SEED.dsaRnd)), bytes(SEED.dsaRnd)),
});

async function dsaFresh(api: DsaApi, ps: DsaParam, s: DsaIn) {
  const { pk, sk } = await api.keygen(ps, cp(s.xi));
  const sig = await api.sign(ps, cp(sk), cp(s.msg), cp(s.ctx), cp(s.rnd));
  if (!(await api.verify(ps, cp(pk), cp(s.msg), cp(sig), cp(s.ctx)))) violation('Verify rejected a valid signature');
  return { pk, sk, sig };
}

const DSA_FULL: Op[] = ['dsa.keygen', 'dsa.sign', 'dsa.verify'];

export const DSA_PROPERTIES: PropertyDef<DsaParam>[] = [
  {
    name: 'dsa-signature-bitflip',
    title: 'SUF-CMA: a signature with any single bit flipped is rejected',
    op: 'dsa.verify',
    requires: DSA_FULL,
    make: (b, ps) =>
      prop(fc.record({ s: dsaIn, bit: fc.nat({ max: DSA[ps].sig * 8 - 1 }) }), async ({ s, bit }) => {
        const api = dsaApi(b);
        const { pk, sig } = await dsaFresh(api, ps, s);
        await mustNotVerify(`Verify of the signature with bit ${bit} flipped`, () => api.verify(ps, cp(pk), cp(s.msg), flipBit(sig, bit), cp(s.ctx)));
      }),
  },
  {
    name: 'dsa-message-bitflip',
    title: 'EUF-CMA: the signature does not verify for the message with any single bit flipped',
    op: 'dsa.verify',
    requires: DSA_FULL,
    make: (b, ps) =>
      prop(
        fc.record({ s: dsaIn, msg: byteRange(1, 64), bitFrac: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
        async ({ s: s0, msg, bitFrac }) => {
          const s = { ...s0, msg };
          const api = dsaApi(b);
          const { pk, sig } = await dsaFresh(api, ps, s);
          const bit = Math.floor(bitFrac * msg.length * 8);
          await mustNotVerify(`Verify for the message with bit ${bit} flipped`, () => api.verify(ps, cp(pk), flipBit(msg, bit), cp(sig), cp(s.ctx)));
        },
      ),
  },
  {
    name: 'dsa-context-length',
    title: 'contexts of 0..255 bytes sign and verify; 256 bytes or more are refused (RejectedError) and never verify',
    op: 'dsa.sign',
    requires: DSA_FULL,
    make: (b, ps) =>
      prop(fc.record({ s: dsaIn, len: fc.oneof(fc.constantFrom(0, 1, 255, 256, 257), fc.nat({ max: 300 })), fill: fc.nat({ max: 255 }) }), async ({ s, len, fill }) => {
        const api = dsaApi(b);
        const ctx = new Uint8Array(len).fill(fill);
        const { pk, sk } = await api.keygen(ps, cp(s.xi));
        if (len <= 255) {
          let sig: Uint8Array;
          try {
            sig = await api.sign(ps, cp(sk), cp(s.msg), cp(ctx), cp(s.rnd));
          } catch (e) {
            if (e instanceof RejectedError) violation(`Sign refused a ${len}-byte context: ${e.message}`);
            throw e;
          }
          if (!(await api.verify(ps, cp(pk), cp(s.msg), cp(sig), cp(ctx)))) violation(`Verify rejected a valid signature with a ${len}-byte context`);
        } else {
          await mustReject(`Sign with a ${len}-byte context`, () => api.sign(ps, cp(sk), cp(s.msg), cp(ctx), cp(s.rnd)));
          // A signature made with the first 255 bytes of that context must not verify under the long one.
          const sig = await api.sign(ps, cp(sk), cp(s.msg), ctx.slice(0, 255), cp(s.rnd));
          await mustNotVerify(`Verify with a ${len}-byte context`, () => api.verify(ps, cp(pk), cp(s.msg), cp(sig), cp(ctx)));
        }
      }),
  },
  {
    name: 'dsa-wrong-length',
    title: 'wrong-length xi, sk, rnd are refused with RejectedError; wrong-length pk and signatures never verify; no crash',
    op: 'dsa.verify',
    requires: DSA_FULL,
    make: (b, ps) => {
      const sz = DSA[ps];
      const which = fc.oneof(
        fc.record({ arg: fc.constant('xi' as const), len: wrongLength(SEED.dsaXi) }),
        fc.record({ arg: fc.constant('sk' as const), len: wrongLength(sz.sk) }),
        fc.record({ arg: fc.constant('rnd' as const), len: wrongLength(SEED.dsaRnd) }),
        fc.record({ arg: fc.constant('pk' as const), len: wrongLength(sz.pk) }),
        fc.record({ arg: fc.constant('sig' as const), len: wrongLength(sz.sig) }),
      );
      return prop(fc.record({ s: dsaIn, w: which }), async ({ s, w }) => {
        const api = dsaApi(b);
        const what = `${w.arg} of ${w.len} bytes`;
        if (w.arg === 'xi') return mustReject(`KeyGen with ${what}`, () => api.keygen(ps, resize(s.xi, w.len)));
        const { pk, sk, sig } = await dsaFresh(api, ps, s);
        switch (w.arg) {
          case 'sk':
            return mustReject(`Sign with ${what}`, () => api.sign(ps, resize(sk, w.len), cp(s.msg), cp(s.ctx), cp(s.rnd)));
          case 'rnd':
            return mustReject(`Sign with ${what}`, () => api.sign(ps, cp(sk), cp(s.msg), cp(s.ctx), resize(s.rnd, w.len)));
          case 'pk':
            return mustNotVerify(`Verify with ${what}`, () => api.verify(ps, resize(pk, w.len), cp(s.msg), cp(sig), cp(s.ctx)));
          case 'sig':
            return mustNotVerify(`Verify with ${what}`, () => api.verify(ps, cp(pk), cp(s.msg), resize(sig, w.len), cp(s.ctx)));
        }
      });
    },
  },
  {
    name: 'dsa-deterministic',
    title: 'KeyGen(xi) and Sign(sk, M, ctx, rnd) give the same output twice (zero rnd and a given rnd)',
    op: 'dsa.sign',
    requires: DSA_FULL,
    make: (b, ps) =>
      prop(dsaIn, async (s) => {
        const api = dsaApi(b);
        const a = await api.keygen(ps, cp(s.xi));
        const a2 = await api.keygen(ps, cp(s.xi));
        expectEqual('KeyGen pk, second call', a2.pk, a.pk);
        expectEqual('KeyGen sk, second call', a2.sk, a.sk);
        const s1 = await api.sign(ps, cp(a.sk), cp(s.msg), cp(s.ctx), cp(s.rnd));
        const s2 = await api.sign(ps, cp(a.sk), cp(s.msg), cp(s.ctx), cp(s.rnd));
        expectEqual(`Sign (rnd ${toHex(s.rnd).slice(0, 16)}…), second call`, s2, s1);
      }),
  },
  {
    name: 'dsa-no-mutation',
    title: 'KeyGen, Sign and Verify leave their input buffers unchanged',
    op: 'dsa.sign',
    requires: DSA_FULL,
    make: (b, ps) =>
      prop(dsaIn, async (s) => {
        const api = dsaApi(b);
        const xi = cp(s.xi);
        const { pk, sk } = await api.keygen(ps, xi);
        expectEqual('xi after KeyGen', xi, s.xi);
        const sk0 = cp(sk);
        const [msg, ctx, rnd] = [cp(s.msg), cp(s.ctx), cp(s.rnd)];
        const sig = await api.sign(ps, sk, msg, ctx, rnd);
        expectEqual('sk after Sign', sk, sk0);
        expectEqual('message after Sign', msg, s.msg);
        expectEqual('context after Sign', ctx, s.ctx);
        expectEqual('rnd after Sign', rnd, s.rnd);
        const pk0 = cp(pk);
        const sig0 = cp(sig);
        await api.verify(ps, pk, msg, sig, ctx);
        expectEqual('pk after Verify', pk, pk0);
        expectEqual('signature after Verify', sig, sig0);
        expectEqual('message after Verify', msg, s.msg);
        expectEqual('context after Verify', ctx, s.ctx);
      }),
  },
];

// ---------------------------------------------------------------------------
// Running a property as a case

/** FNV-1a of the case id: a fixed, recorded seed per case (fits fast-check's 32-bit seed). */
export function propertySeed(id: string): number {
  return fnv1a32(id) | 0;
}

/** Counterexample values for a report: bytes as hex. */
export function showValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return `0x${toHex(v)}`;
  if (Array.isArray(v)) return v.map(showValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, showValue(x)]));
  return v;
}

/** fast-check's counterexample as the reports show it, or `none`. */
export function counterexampleText(details: { counterexample: readonly unknown[] | null }): string {
  return details.counterexample ? JSON.stringify(showValue(details.counterexample[0])) : 'none';
}

export interface PropertyRunOptions {
  seed: number;
  numRuns: number;
  /** Replay a shrink path from an earlier failure. */
  path?: string;
}

/** Run one property; pass with a note, or fail with seed, path and counterexample. Backend crashes propagate. */
export async function checkProperty(name: string, ps: ParamSet, prop: fc.IAsyncProperty<[unknown]>, o: PropertyRunOptions): Promise<Outcome> {
  const details = await fc.check(prop, { seed: o.seed, numRuns: o.numRuns, ...(o.path ? { path: o.path, endOnFailure: true } : {}) });
  if (!details.failed) {
    return { status: 'pass', note: `${details.numRuns} runs, seed ${o.seed}` };
  }
  const err = details.errorInstance;
  // Let the runner classify what is not the property's verdict: a skip, a crash, a stall.
  if (err instanceof UnsupportedError || err instanceof TimeoutError) throw err;
  if (err instanceof CrashError) {
    const wrapped = new CrashError(`${err.message} (property ${name} on ${ps}, seed ${details.seed}, path "${details.counterexamplePath}")`, err.signal, err.exitCode, err.stderr);
    if (err.findings) wrapped.findings = err.findings;
    throw wrapped;
  }
  const message = err instanceof Error ? `${err.name === 'PropertyViolation' ? '' : `${err.name}: `}${err.message}` : String(err);
  const counterexample = counterexampleText(details);
  const got: Shown = {
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    shrinks: details.numShrinks,
    counterexample,
  };
  return {
    status: 'fail',
    reason:
      `property ${name} failed on ${ps} after ${details.numRuns} run(s): ${message}. ` +
      `Reproduce: seed ${details.seed}, path "${details.counterexamplePath}", counterexample ${counterexample.length > 600 ? counterexample.slice(0, 600) + '…' : counterexample}`,
    got,
  };
}

function propertyCase<P extends ParamSet>(def: PropertyDef<P>, ps: P, numRuns: number): Case {
  const id = `property/${def.name}/${ps}`;
  const seed = propertySeed(id);
  return {
    id,
    suite: 'property',
    family: def.name,
    parameterSet: ps,
    op: def.op,
    source: null,
    requires: def.requires,
    inputs: () => ({ seed, numRuns, property: def.title }),
    timeoutMs: 10 * 60_000,
    repeats: numRuns,
    run: (b) => checkProperty(def.name, ps, def.make(b, ps), { seed, numRuns }),
  };
}

export function propertyCases(): Case[] {
  return [
    ...KEM_PROPERTIES.flatMap((d) => KEM_PARAMS.map((ps) => propertyCase(d, ps, KEM_RUNS))),
    ...DSA_PROPERTIES.flatMap((d) => DSA_PARAMS.map((ps) => propertyCase(d, ps, DSA_RUNS))),
  ];
}

/** Property families are named after the property (`kem-roundtrip`, `dsa-signature-bitflip`): one rule per scheme. */
const FIPS: readonly FipsRule[] = [
  { match: /kem/i, standard: 'FIPS 203', clause: '§6–7 (ML-KEM)', what: 'ML-KEM behaviour' },
  { match: /dsa/i, standard: 'FIPS 204', clause: '§5–6 (ML-DSA)', what: 'ML-DSA behaviour' },
];

export const propertySuite: PerBackendSuite = {
  kind: 'per-backend',
  name: 'property',
  title: 'Property-based tests (fast-check, fixed seeds) through the contract: round trips, implicit rejection, bit flips, contexts, lengths, determinism, input immutability',
  vectorFiles: [],
  fips: FIPS,
  cases: () => propertyCases(),
};
