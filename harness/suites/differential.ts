// Differential: every implementation of the run against all the others at
// once. Where interop compares pairs, this compares the whole fleet on the
// same input and says who sided with whom.
//
//   kem-outputs   (each ML-KEM set) fast-check draws d, z, m and a random c:
//                 KeyGen(d, z) → (ek, dk); with the majority's keys Encaps(ek, m)
//                 → (c, K); Decaps(dk, c) → K; Decaps(dk, random c) → K (implicit
//                 rejection). Every answer is byte-compared across every
//                 implementation that can express the call.
//   dsa-outputs   (each ML-DSA set) ξ, a message, a context, rnd (32 zero bytes or
//                 random): KeyGen(ξ) → (pk, sk); with the majority's sk Sign → σ;
//                 Verify(pk, msg, σ, ctx) → verdict.
//   kem-verdicts  malformed input, accepted or refused: an encapsulation key with a
//                 coefficient ≥ q or of a wrong length (Encaps, and the §7.2 check),
//                 a ciphertext of a wrong length (Decaps), a decapsulation key with a
//                 corrupted H(ek) (the §7.3 check).
//   dsa-verdicts  a valid signature with a bit flipped, a hint byte rewritten or its
//                 length changed; the public key with a bit flipped or a wrong length;
//                 a 256-byte context: Verify's verdict.
//
// Rules, each with its reason:
// - A call an implementation cannot express (UnsupportedError) is an abstention:
//   it neither agrees nor disagrees. A refusal (RejectedError) is an answer.
// - At each step the largest group of equal answers is the majority; every other
//   implementation is in the minority and fails, its result naming the majority
//   and every other group. A tie has no majority and fails every side. A crash,
//   stall or unexpected error is never an answer: that implementation's result
//   has that status.
// - The first disagreement ends the property run and fast-check shrinks its input
//   to a small one (shown with the seed and path that replay it). The minority
//   then leaves and the property runs again over the others, so one defect does
//   not hide another.
// - Later steps take their inputs from the majority (its keys, its ciphertext, its
//   signature), so an implementation that cannot make keys from a seed still
//   joins at Encaps, Decaps or Verify.
// - Verdict properties take their valid keys and signature from the first
//   implementation of the run that can make them from a seed; whether those are
//   right is the *-outputs families' business.
// - Calls of one step go to every implementation at once (each is its own
//   process or thread); the steps of one input run in order.

import fc from 'fast-check';
import { toHex } from '../../model/bytes.ts';
import type { Shown } from '../../model/case.ts';
import { hasOp, RejectedError, UnsupportedError, type Backend, type Op } from '../../model/contract.ts';
import { CrashError, TimeoutError } from '../../model/errors.ts';
import type { Finding } from '../../model/findings.ts';
import { ALL_PARAMS, DSA, KEM, SEED, isKemParam, type DsaParam, type KemParam, type ParamSet } from '../../model/params.ts';
import { bytes, counterexampleText, cp, flipBit, prop, propertySeed, resize } from './property.ts';
import type { AcrossBackendsSuite, AcrossResult, FipsRule } from './suite.ts';

/** The modulus q of ML-KEM: a 12-bit coefficient ≥ q is not reduced (FIPS 203 §7.2). */
const KEM_Q = 3329;
/** Base seed when none is given: fixed, so runs compare. */
export const DIFFERENTIAL_SEED = 0xd1ff;

export interface DifferentialOptions {
  params?: readonly ParamSet[];
  /** Property runs per family and parameter set (defaults per family below). */
  runs?: number;
  seed?: number;
  afterCheck?: (r: AcrossResult) => void | Promise<void>;
}

interface Named {
  name: string;
  b: Backend;
}

/** What one implementation answered at one step. */
type Answer =
  | { kind: 'value'; key: string; value: Value; shown: string }
  | { kind: 'abstain'; why: string }
  | { kind: 'broken'; status: 'crash' | 'timeout' | 'error'; error: unknown };

/** Bytes by field name, a verdict (true: accepted), or a refusal of an input that expected an answer. */
type Value = Record<string, Uint8Array> | boolean | 'refused';

interface Step {
  op: Op;
  /** What is compared, in words: `ek, dk`, `verdict on a signature with a bit flipped`. */
  what: string;
  /** The step's own inputs, for the report. */
  inputs: Record<string, Uint8Array | string | number>;
  /** Bytes answers are compared; a verdict step reads a refusal as "refused". */
  verdict: boolean;
  call(b: Backend): Promise<Record<string, Uint8Array> | boolean>;
}

interface Group {
  key: string;
  shown: string;
  value: Value;
  backends: string[];
}

/** One step's answers did not all agree. */
class Disagreement extends Error {
  override name = 'Disagreement';
  constructor(
    readonly step: Pick<Step, 'op' | 'what'>,
    readonly inputs: Shown,
    readonly groups: Group[],
    /** Index into groups; undefined: a tie, no majority. */
    readonly majority: number | undefined,
    readonly broken: { backend: string; status: 'crash' | 'timeout' | 'error'; error: unknown }[],
  ) {
    super(`${step.op} (${step.what}): ${groups.map((g) => `${g.backends.join(', ')} → ${g.shown}`).join('; ')}${broken.length ? `; ${broken.map((x) => `${x.backend} → ${x.status}`).join('; ')}` : ''}`);
  }

  /** Everyone outside the majority (a tie: everyone), broken answers included. */
  minority(): string[] {
    const out = this.groups.filter((_, i) => i !== this.majority).flatMap((g) => g.backends);
    return [...out, ...this.broken.map((x) => x.backend)];
  }
}

const delta = (max: number) => fc.integer({ min: -max, max }).filter((x) => x !== 0);

/** Bytes for a reason line: 32 bytes (a shared secret) in full, anything longer cut. */
function short(b: Uint8Array): string {
  const h = toHex(b);
  return h.length > 64 ? `${b.length} bytes ${h.slice(0, 48)}…` : h;
}

function keyOf(v: Value): { key: string; shown: string } {
  if (v === 'refused') return { key: 'refused', shown: 'refused the input' };
  if (typeof v === 'boolean') return { key: String(v), shown: v ? 'accepted' : 'refused' };
  const fields = Object.entries(v);
  return { key: fields.map(([k, x]) => `${k}=${toHex(x)}`).join('|'), shown: fields.map(([k, x]) => `${k} ${short(x)}`).join(', ') };
}

function offers(n: Named, ps: ParamSet, op: Op): boolean {
  const caps = n.b.capabilities();
  return caps.parameterSets.includes(ps) && hasOp(caps, op) && (isKemParam(ps) ? !!n.b.kem : !!n.b.dsa);
}

async function answerOf(n: Named, step: Step): Promise<Answer> {
  let value: Value;
  try {
    value = await step.call(n.b);
  } catch (e) {
    if (e instanceof UnsupportedError) return { kind: 'abstain', why: e.message };
    if (e instanceof RejectedError) value = step.verdict ? false : 'refused';
    else if (e instanceof CrashError) return { kind: 'broken', status: 'crash', error: e };
    else if (e instanceof TimeoutError) return { kind: 'broken', status: 'timeout', error: e };
    else return { kind: 'broken', status: 'error', error: e };
  }
  return { kind: 'value', value, ...keyOf(value) };
}

/** Who answered what during one family's runs: participation decides pass versus "nothing compared". */
class Tally {
  readonly answered = new Map<string, number>();
  readonly abstained = new Map<string, string>();
  note(name: string, a: Answer): void {
    if (a.kind === 'abstain') {
      if (!this.abstained.has(name)) this.abstained.set(name, a.why);
    } else this.answered.set(name, (this.answered.get(name) ?? 0) + 1);
  }
}

/**
 * Ask every implementation offering the step's operation; the majority's value
 * when all that answered agree, else a Disagreement. Undefined when nobody answered.
 */
async function compare(step: Step, active: readonly Named[], ps: ParamSet, tally: Tally): Promise<Value | undefined> {
  const asked = active.filter((n) => offers(n, ps, step.op));
  const answers = await Promise.all(asked.map(async (n) => ({ n, a: await answerOf(n, step) })));
  const groups: Group[] = [];
  const broken: Disagreement['broken'] = [];
  for (const { n, a } of answers) {
    tally.note(n.name, a);
    if (a.kind === 'abstain') continue;
    if (a.kind === 'broken') {
      broken.push({ backend: n.name, status: a.status, error: a.error });
      continue;
    }
    const g = groups.find((x) => x.key === a.key);
    if (g) g.backends.push(n.name);
    else groups.push({ key: a.key, shown: a.shown, value: a.value, backends: [n.name] });
  }
  if (groups.length <= 1 && broken.length === 0) return groups[0]?.value;
  const sizes = groups.map((g) => g.backends.length);
  const top = Math.max(0, ...sizes);
  const majority = sizes.filter((s) => s === top).length === 1 ? sizes.indexOf(top) : undefined;
  const inputs: Shown = {};
  for (const [k, v] of Object.entries(step.inputs)) inputs[k] = v instanceof Uint8Array ? toHex(v) : v;
  throw new Disagreement(step, inputs, groups, majority, broken);
}

const isBytes = (v: Value | undefined): v is Record<string, Uint8Array> => typeof v === 'object';

// --- the families -----------------------------------------------------------------

interface Family {
  name: 'kem-outputs' | 'dsa-outputs' | 'kem-verdicts' | 'dsa-verdicts';
  kem: boolean;
  /** Every operation a step may call: an implementation offering none of them cannot take part. */
  ops: readonly Op[];
  runs: number;
  /** The property over the implementations still in the comparison. */
  make(active: readonly Named[], ps: ParamSet, tally: Tally): fc.IAsyncProperty<[unknown]> | { unavailable: string };
}

const kemOutputs: Family = {
  name: 'kem-outputs',
  kem: true,
  ops: ['kem.keygen', 'kem.encaps', 'kem.decaps'],
  runs: 16,
  make: (active, ps, tally) => {
    const p = ps as KemParam;
    const arb = fc.record({ d: bytes(SEED.kemD), z: bytes(SEED.kemZ), m: bytes(SEED.kemM), c: bytes(KEM[p].c) });
    return prop(arb, async ({ d, z, m, c: junk }) => {
      const keys = await compare({ op: 'kem.keygen', what: 'ek, dk', inputs: { d, z }, verdict: false, call: async (b) => ({ ...(await b.kem!.keygen(p, cp(d), cp(z))) }) }, active, ps, tally);
      if (!isBytes(keys)) return;
      const { ek, dk } = keys as { ek: Uint8Array; dk: Uint8Array };
      const enc = await compare({ op: 'kem.encaps', what: 'c, K', inputs: { ek, m }, verdict: false, call: async (b) => ({ ...(await b.kem!.encaps(p, cp(ek), cp(m))) }) }, active, ps, tally);
      if (isBytes(enc)) {
        const c = enc['c']!;
        await compare({ op: 'kem.decaps', what: 'K of a valid ciphertext', inputs: { dk, c }, verdict: false, call: async (b) => ({ k: await b.kem!.decaps(p, cp(dk), cp(c)) }) }, active, ps, tally);
      }
      await compare({ op: 'kem.decaps', what: 'K of a random ciphertext (implicit rejection)', inputs: { dk, c: junk }, verdict: false, call: async (b) => ({ k: await b.kem!.decaps(p, cp(dk), cp(junk)) }) }, active, ps, tally);
    });
  },
};

const dsaOutputs: Family = {
  name: 'dsa-outputs',
  kem: false,
  ops: ['dsa.keygen', 'dsa.sign', 'dsa.verify'],
  runs: 8,
  make: (active, ps, tally) => {
    const p = ps as DsaParam;
    const arb = fc.record({
      xi: bytes(SEED.dsaXi),
      msg: fc.uint8Array({ minLength: 0, maxLength: 64 }),
      // An empty context now and then: some APIs take no other.
      ctx: fc.oneof({ arbitrary: fc.constant(new Uint8Array(0)), weight: 1 }, { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 16 }), weight: 2 }),
      rnd: fc.oneof(fc.constant(new Uint8Array(SEED.dsaRnd)), bytes(SEED.dsaRnd)),
    });
    return prop(arb, async ({ xi, msg, ctx, rnd }) => {
      const keys = await compare({ op: 'dsa.keygen', what: 'pk, sk', inputs: { xi }, verdict: false, call: async (b) => ({ ...(await b.dsa!.keygen(p, cp(xi))) }) }, active, ps, tally);
      if (!isBytes(keys)) return;
      const { pk, sk } = keys as { pk: Uint8Array; sk: Uint8Array };
      const signed = await compare(
        { op: 'dsa.sign', what: 'signature', inputs: { sk, msg, ctx, rnd }, verdict: false, call: async (b) => ({ signature: await b.dsa!.sign(p, cp(sk), cp(msg), cp(ctx), cp(rnd)) }) },
        active,
        ps,
        tally,
      );
      if (!isBytes(signed)) return;
      const sig = signed['signature']!;
      await compare({ op: 'dsa.verify', what: 'verdict on a valid signature', inputs: { pk, msg, sig, ctx }, verdict: true, call: (b) => b.dsa!.verify(p, cp(pk), cp(msg), cp(sig), cp(ctx)) }, active, ps, tally);
    });
  },
};

/** Set 12-bit coefficient `index` of the encoded t̂ in ek (ByteEncode12: two coefficients per three bytes). */
function setCoefficient(ek: Uint8Array, index: number, value: number): Uint8Array {
  const out = ek.slice();
  const at = 3 * (index >> 1);
  if (index % 2 === 0) {
    out[at] = value & 0xff;
    out[at + 1] = (out[at + 1]! & 0xf0) | (value >> 8);
  } else {
    out[at + 1] = (out[at + 1]! & 0x0f) | ((value & 0x0f) << 4);
    out[at + 2] = value >> 4;
  }
  return out;
}

/** The first implementation still compared that offers every op: the source of valid inputs for a verdict property. */
function reference(active: readonly Named[], ps: ParamSet, ops: readonly Op[]): Named | undefined {
  return active.find((n) => ops.every((op) => offers(n, ps, op)));
}

/** The reference could not make the valid key, ciphertext or signature a verdict property malforms. */
class ReferenceFailure extends Error {
  override name = 'ReferenceFailure';
  constructor(readonly backend: string, readonly op: Op, readonly inner: unknown) {
    super(`${backend}, the source of valid inputs, failed in ${op}: ${(inner as Error)?.name ?? 'Error'}: ${(inner as Error)?.message ?? String(inner)}`);
  }
}

async function fromReference<T>(ref: Named, op: Op, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new ReferenceFailure(ref.name, op, e);
  }
}

const kemVerdicts: Family = {
  name: 'kem-verdicts',
  kem: true,
  ops: ['kem.encaps', 'kem.checkEncapsKey', 'kem.decaps', 'kem.checkDecapsKey'],
  runs: 32,
  make: (active, ps, tally) => {
    const p = ps as KemParam;
    const sz = KEM[p];
    const ref = reference(active, ps, ['kem.keygen', 'kem.encaps']);
    if (!ref) return { unavailable: 'no implementation of the run makes ML-KEM keys from a seed and encapsulates with a given m, so there is no valid key to malform' };
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('ek-coefficient' as const), index: fc.nat({ max: 256 * sz.k - 1 }), value: fc.integer({ min: KEM_Q, max: 4095 }) }),
      fc.record({ kind: fc.constant('ek-length' as const), by: delta(4) }),
      fc.record({ kind: fc.constant('c-length' as const), by: delta(4) }),
      fc.record({ kind: fc.constant('dk-hash' as const), bit: fc.nat({ max: 255 }) }),
    );
    const arb = fc.record({ d: bytes(SEED.kemD), z: bytes(SEED.kemZ), m: bytes(SEED.kemM), mutation });
    return prop(arb, async ({ d, z, m, mutation: mu }) => {
      const { ek, dk } = await fromReference(ref, 'kem.keygen', () => ref.b.kem!.keygen(p, cp(d), cp(z)));
      if (mu.kind === 'ek-coefficient' || mu.kind === 'ek-length') {
        const bad = mu.kind === 'ek-coefficient' ? setCoefficient(ek, mu.index, mu.value) : resize(ek, ek.length + mu.by);
        const what = mu.kind === 'ek-coefficient' ? `an ek whose coefficient ${mu.index} is ${mu.value} (≥ q)` : `an ek ${mu.by > 0 ? 'longer' : 'shorter'} by ${Math.abs(mu.by)} byte(s)`;
        await compare({ op: 'kem.encaps', what: `verdict on ${what}`, inputs: { ek: bad, m }, verdict: true, call: async (b) => {
          await b.kem!.encaps(p, cp(bad), cp(m));
          return true;
        } }, active, ps, tally);
        await compare({ op: 'kem.checkEncapsKey', what: `§7.2 check of ${what}`, inputs: { ek: bad }, verdict: true, call: (b) => b.kem!.checkEncapsKey(p, cp(bad)) }, active, ps, tally);
      } else if (mu.kind === 'c-length') {
        const { c } = await fromReference(ref, 'kem.encaps', () => ref.b.kem!.encaps(p, cp(ek), cp(m)));
        const bad = resize(c, c.length + mu.by);
        await compare({ op: 'kem.decaps', what: `verdict on a ciphertext ${mu.by > 0 ? 'longer' : 'shorter'} by ${Math.abs(mu.by)} byte(s)`, inputs: { dk, c: bad }, verdict: true, call: async (b) => {
          await b.kem!.decaps(p, cp(dk), cp(bad));
          return true;
        } }, active, ps, tally);
      } else {
        // dk = dkPKE (384k) ‖ ek (384k + 32) ‖ H(ek) (32) ‖ z (32): flip a bit of H(ek).
        const bad = flipBit(dk, 8 * (sz.dk - 64) + mu.bit);
        await compare({ op: 'kem.checkDecapsKey', what: `§7.3 check of a dk whose H(ek) has bit ${mu.bit} flipped`, inputs: { dk: bad }, verdict: true, call: (b) => b.kem!.checkDecapsKey(p, cp(bad)) }, active, ps, tally);
      }
    });
  },
};

const dsaVerdicts: Family = {
  name: 'dsa-verdicts',
  kem: false,
  ops: ['dsa.verify'],
  runs: 32,
  make: (active, ps, tally) => {
    const p = ps as DsaParam;
    const sz = DSA[p];
    const ref = reference(active, ps, ['dsa.keygen', 'dsa.sign']);
    if (!ref) return { unavailable: 'no implementation of the run makes ML-DSA keys from a seed and signs, so there is no valid signature to malform' };
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('sig-bit' as const), bit: fc.nat({ max: 8 * sz.sig - 1 }) }),
      fc.record({ kind: fc.constant('sig-hint' as const), offset: fc.nat({ max: sz.hint - 1 }), value: fc.nat({ max: 255 }) }),
      fc.record({ kind: fc.constant('sig-length' as const), by: delta(8) }),
      fc.record({ kind: fc.constant('pk-bit' as const), bit: fc.nat({ max: 8 * sz.pk - 1 }) }),
      fc.record({ kind: fc.constant('pk-length' as const), by: delta(8) }),
      fc.record({ kind: fc.constant('ctx-256' as const) }),
    );
    const arb = fc.record({ xi: bytes(SEED.dsaXi), msg: fc.uint8Array({ minLength: 0, maxLength: 32 }), mutation });
    return prop(arb, async ({ xi, msg, mutation: mu }) => {
      const empty = new Uint8Array(0);
      const { pk, sk } = await fromReference(ref, 'dsa.keygen', () => ref.b.dsa!.keygen(p, cp(xi)));
      const sig = await fromReference(ref, 'dsa.sign', () => ref.b.dsa!.sign(p, cp(sk), cp(msg), empty, new Uint8Array(SEED.dsaRnd)));
      let vpk = pk;
      let vsig = sig;
      let ctx = empty;
      let what: string;
      switch (mu.kind) {
        case 'sig-bit':
          vsig = flipBit(sig, mu.bit);
          what = `a signature with bit ${mu.bit} flipped`;
          break;
        case 'sig-hint': {
          vsig = sig.slice();
          vsig[sz.sig - sz.hint + mu.offset] = mu.value;
          what = `a signature whose hint byte ${mu.offset} is rewritten to ${mu.value}`;
          break;
        }
        case 'sig-length':
          vsig = resize(sig, sig.length + mu.by);
          what = `a signature ${mu.by > 0 ? 'longer' : 'shorter'} by ${Math.abs(mu.by)} byte(s)`;
          break;
        case 'pk-bit':
          vpk = flipBit(pk, mu.bit);
          what = `a public key with bit ${mu.bit} flipped`;
          break;
        case 'pk-length':
          vpk = resize(pk, pk.length + mu.by);
          what = `a public key ${mu.by > 0 ? 'longer' : 'shorter'} by ${Math.abs(mu.by)} byte(s)`;
          break;
        case 'ctx-256':
          ctx = new Uint8Array(SEED.maxCtx + 1);
          what = 'a valid signature checked under a 256-byte context';
          break;
      }
      await compare({ op: 'dsa.verify', what: `verdict on ${what}`, inputs: { pk: vpk, msg, sig: vsig, ctx }, verdict: true, call: (b) => b.dsa!.verify(p, cp(vpk), cp(msg), cp(vsig), cp(ctx)) }, active, ps, tally);
    });
  },
};

export const DIFFERENTIAL_FAMILIES: readonly Family[] = [kemOutputs, dsaOutputs, kemVerdicts, dsaVerdicts];

// --- running ----------------------------------------------------------------------

function brokenResult(base: Omit<AcrossResult, 'status' | 'durationMs'>, x: Disagreement['broken'][number], reason: string): Omit<AcrossResult, 'durationMs'> {
  const e = x.error;
  if (e instanceof CrashError) {
    const findings: Finding[] | undefined = e.findings;
    return { ...base, status: 'crash', culprit: x.backend, reason, crash: { signal: e.signal, exitCode: e.exitCode, stderr: e.stderr }, ...(findings ? { findings } : {}) };
  }
  if (e instanceof TimeoutError) return { ...base, status: 'timeout', culprit: x.backend, reason, crash: { signal: 'SIGKILL', exitCode: null, stderr: e.stderr } };
  return { ...base, status: 'error', culprit: x.backend, reason: `${reason}: ${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}` };
}

/** The results of one family on one parameter set: one per implementation of the run. */
async function runFamily(fam: Family, ps: ParamSet, named: readonly Named[], seed: number, runs: number): Promise<AcrossResult[]> {
  const t0 = performance.now();
  const idOf = (name: string) => `differential/${fam.name}/${ps}/${name}`;
  const out = new Map<string, Omit<AcrossResult, 'durationMs'>>();
  const base = (name: string) => ({ id: idOf(name), family: fam.name, parameterSet: ps, op: fam.ops[0]!, backends: [name] });
  const capable = named.filter((n) => fam.ops.some((op) => offers(n, ps, op)));
  for (const n of named) if (!capable.includes(n)) out.set(n.name, { ...base(n.name), status: 'skip', reason: `${n.name} offers none of ${fam.ops.join(', ')} for ${ps}` });
  const tally = new Tally();
  let active = capable;
  for (let round = 0; active.length >= 2; round++) {
    const prop = fam.make(active, ps, tally);
    if ('unavailable' in prop) {
      for (const n of active) out.set(n.name, { ...base(n.name), status: 'skip', reason: prop.unavailable });
      active = [];
      break;
    }
    const ownSeed = (seed ^ propertySeed(`differential/${fam.name}/${ps}#${round}`)) | 0;
    const details = await fc.check(prop, { seed: ownSeed, numRuns: runs });
    const replay: Shown = { seed: ownSeed, numRuns: runs };
    if (!details.failed) {
      for (const n of active) out.set(n.name, { ...base(n.name), status: 'pass', inputs: { ...replay, comparedWith: active.length - 1 } });
      active = [];
      break;
    }
    const cx = counterexampleText(details);
    const shownInput: Shown = { ...replay, path: details.counterexamplePath ?? '', counterexample: cx };
    const err = details.errorInstance;
    if (err instanceof ReferenceFailure) {
      // The source of valid inputs failed on a valid input: that is its result; the others go on with the next source.
      const why = `${ps} ${fam.name}: ${err.backend}, the source of valid inputs, failed in ${err.op} (seed ${ownSeed}, path "${details.counterexamplePath}")`;
      const at = { ...base(err.backend), op: err.op, inputs: shownInput };
      out.set(
        err.backend,
        err.inner instanceof RejectedError
          ? { ...at, status: 'fail', culprit: err.backend, reason: `${why}: it refused a valid input (${err.inner.message})` }
          : brokenResult(at, { backend: err.backend, status: 'error', error: err.inner }, why),
      );
      active = active.filter((n) => n.name !== err.backend);
      continue;
    }
    if (!(err instanceof Disagreement)) {
      // The property itself broke: nobody is to blame but the run.
      const why = `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`;
      for (const n of active) out.set(n.name, { ...base(n.name), status: 'error', reason: `${ps} ${fam.name}: the property could not run: ${why} (seed ${ownSeed}, path "${details.counterexamplePath}")`, inputs: shownInput });
      active = [];
      break;
    }
    const sides = err.groups.map((g, i) => `${i === err.majority ? `the majority (${g.backends.length} of ${err.groups.reduce((s, x) => s + x.backends.length, 0)})` : 'with'} ${g.backends.join(', ')}: ${g.shown}`);
    const where = `${ps} ${err.step.op} (${err.step.what})`;
    const minority = new Set(err.minority());
    for (const g of err.groups) {
      if (err.groups.indexOf(g) === err.majority) continue;
      const majority = err.majority === undefined ? undefined : err.groups[err.majority]!;
      for (const name of g.backends) {
        const reason = `${where}: ${name} gave ${g.shown}${g.backends.length > 1 ? ` (sided with ${g.backends.filter((x) => x !== name).join(', ')})` : ''}; ${majority ? `the majority (${majority.backends.length}: ${majority.backends.join(', ')}) gave ${majority.shown}` : `no majority: ${sides.join('; ')}`}. Minimal input ${cx} (seed ${ownSeed}, path "${details.counterexamplePath}")`;
        out.set(name, {
          ...base(name),
          op: err.step.op,
          status: 'fail',
          culprit: name,
          reason,
          inputs: { ...shownInput, ...err.inputs },
          ...(majority ? { expected: { backends: majority.backends.join(', '), answer: majority.shown } } : {}),
          got: { backends: g.backends.join(', '), answer: g.shown },
        });
      }
    }
    for (const x of err.broken) {
      out.set(x.backend, { ...brokenResult({ ...base(x.backend), op: err.step.op, inputs: { ...shownInput, ...err.inputs } }, x, `${where}: ${x.backend} ${x.status === 'error' ? 'threw' : x.status === 'crash' ? 'crashed' : 'stalled'} while ${sides.join('; ') || 'nobody else answered'}`) });
    }
    active = active.filter((n) => !minority.has(n.name));
  }
  for (const n of active) out.set(n.name, { ...base(n.name), status: 'skip', reason: `only ${n.name} is left to express ${fam.ops.join(', ')} for ${ps}: nothing to compare it with` });
  // Taking part means answering at least once; an implementation that abstained from every input compared nothing.
  for (const [name, r] of out) {
    if (r.status === 'pass' && !tally.answered.has(name)) out.set(name, { ...r, status: 'skip', reason: `${name} could express none of the inputs drawn: ${tally.abstained.get(name) ?? 'it abstained'}` });
  }
  const each = Math.round(((performance.now() - t0) / Math.max(1, out.size)) * 1000) / 1000;
  return named.map((n) => ({ ...out.get(n.name)!, durationMs: each }));
}

/** Every family on every parameter set, over every backend given (name → open backend; at least two). */
export async function runDifferential(backends: Record<string, Backend>, opts: DifferentialOptions = {}): Promise<AcrossResult[]> {
  const named = Object.entries(backends).map(([name, b]) => ({ name, b }));
  if (named.length < 2) throw new Error(`the differential suite needs at least two backends, got ${named.length}`);
  const seed = opts.seed ?? DIFFERENTIAL_SEED;
  const out: AcrossResult[] = [];
  for (const fam of DIFFERENTIAL_FAMILIES) {
    for (const ps of opts.params ?? ALL_PARAMS) {
      if (fam.kem !== isKemParam(ps)) continue;
      for (const r of await runFamily(fam, ps, named, seed, opts.runs ?? fam.runs)) {
        await opts.afterCheck?.(r);
        out.push(r);
      }
    }
  }
  return out;
}

const FIPS: readonly FipsRule[] = [
  { match: /^kem-outputs$/, standard: 'FIPS 203', clause: '§6.1–6.3 Alg. 16–18 (KeyGen, Encaps, Decaps _internal)', what: 'deterministic ML-KEM answers agree byte for byte across implementations, implicit rejection included' },
  { match: /^kem-verdicts$/, standard: 'FIPS 203', clause: '§7.2, §7.3 input checks', what: 'malformed keys and ciphertexts are refused alike across implementations' },
  { match: /^dsa-outputs$/, standard: 'FIPS 204', clause: '§6.1 Alg. 6, §5.2 Alg. 2, §5.3 Alg. 3', what: 'deterministic ML-DSA answers agree byte for byte across implementations' },
  { match: /^dsa-verdicts$/, standard: 'FIPS 204', clause: '§5.3 Alg. 3, §6.3 Alg. 8', what: 'malformed signatures, keys and contexts are refused alike across implementations' },
];

export const differentialSuite: AcrossBackendsSuite = {
  kind: 'across-backends',
  name: 'differential',
  title: 'Differential: every implementation against all the others, majority and minority named',
  vectorFiles: [],
  fips: FIPS,
  notes: [
    'Every implementation that can express a call gets the same input; the largest group of equal answers is the majority and the others fail, naming who sided with whom. A tie fails every side.',
    'An operation an implementation cannot express is an abstention; a refusal is an answer. Inputs come from fast-check with a fixed seed and are shrunk on a disagreement; the minority then leaves and the comparison runs again over the rest.',
    'Verdict families malform a key, ciphertext or signature made by the first implementation of the run that can make one from a seed.',
  ],
  run: (backends, opts) => runDifferential(backends, opts),
};
