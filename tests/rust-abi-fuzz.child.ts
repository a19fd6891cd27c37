// Child process for tests/rust-abi-props.test.ts: fast-check properties over
// ONE buffer-ABI function of libpqc_native, called straight through koffi.
// Run as `node --import tsx tests/rust-abi-fuzz.child.ts <fn> <runs> <seed> [lib]`.
// It lives in its own process so that a native crash (SIGSEGV, abort) costs
// this one function's test, with the signal named, instead of the vitest fork.
//
// The property: whatever the parameter set, lengths, NULL pointers, context
// length, hash id and bytes, the function returns the status the header
// promises, in the header's order (UNSUPPORTED set > LENGTH > ARGUMENT >
// UNSUPPORTED hash > the operation's own answers), never PQC_ERR_INTERNAL,
// writes nothing outside its output buffers (guard bytes), and leaves the
// outputs untouched when it fails.
// Prints one JSON line {fn, runs, statuses} on success; exits 1 on a failure.

import fc from 'fast-check';

import { loadBufferAbi, DEFAULT_RUST_LIBRARY, type BufferAbi, type BufferAbiName } from '../backends/rust.ts';

const OK = 0, LENGTH = 1, INVALID_KEY = 2, VERIFY = 3, UNSUPPORTED = 4, ARGUMENT = 5;

type Family = 'kem' | 'dsa';
/** Kinds of real objects a buffer can be filled with (so valid paths are reached too). */
type Obj = 'd' | 'ek' | 'dk' | 'c' | 'ss' | 'xi' | 'pk' | 'sk' | 'sig' | 'rnd' | 'mu';
type Arg =
  | { kind: 'in'; obj: Obj }
  | { kind: 'var' } // variable-length input (message, M')
  | { kind: 'ctx' }
  | { kind: 'alg' }
  | { kind: 'out'; obj: Obj };

interface Spec {
  family: Family;
  args: Arg[];
  /** Statuses the operation itself may answer once every argument check passed. */
  answers: number[];
}

const IN = (obj: Obj): Arg => ({ kind: 'in', obj });
const OUT = (obj: Obj): Arg => ({ kind: 'out', obj });
const VAR: Arg = { kind: 'var' };
const CTX: Arg = { kind: 'ctx' };
const ALG: Arg = { kind: 'alg' };

const SPECS: Partial<Record<BufferAbiName, Spec>> = {
  pqc_kem_keygen: { family: 'kem', args: [IN('d'), IN('d'), OUT('ek'), OUT('dk')], answers: [OK] },
  pqc_kem_encaps: { family: 'kem', args: [IN('ek'), IN('d'), OUT('c'), OUT('ss')], answers: [OK, INVALID_KEY] },
  pqc_kem_decaps: { family: 'kem', args: [IN('dk'), IN('c'), OUT('ss')], answers: [OK, INVALID_KEY] },
  pqc_kem_check_encaps_key: { family: 'kem', args: [IN('ek')], answers: [OK, INVALID_KEY] },
  pqc_kem_check_decaps_key: { family: 'kem', args: [IN('dk')], answers: [OK, INVALID_KEY] },
  pqc_dsa_keygen: { family: 'dsa', args: [IN('xi'), OUT('pk'), OUT('sk')], answers: [OK] },
  pqc_dsa_sign: { family: 'dsa', args: [IN('sk'), VAR, CTX, IN('rnd'), OUT('sig')], answers: [OK, INVALID_KEY] },
  pqc_dsa_sign_internal: { family: 'dsa', args: [IN('sk'), VAR, IN('rnd'), OUT('sig')], answers: [OK, INVALID_KEY] },
  pqc_dsa_sign_mu: { family: 'dsa', args: [IN('sk'), IN('mu'), IN('rnd'), OUT('sig')], answers: [OK, INVALID_KEY] },
  pqc_dsa_sign_prehash: { family: 'dsa', args: [IN('sk'), VAR, ALG, CTX, IN('rnd'), OUT('sig')], answers: [OK, INVALID_KEY] },
  pqc_dsa_verify: { family: 'dsa', args: [IN('pk'), VAR, CTX, IN('sig')], answers: [OK, VERIFY] },
  pqc_dsa_verify_internal: { family: 'dsa', args: [IN('pk'), VAR, IN('sig')], answers: [OK, VERIFY] },
  pqc_dsa_verify_mu: { family: 'dsa', args: [IN('pk'), IN('mu'), IN('sig')], answers: [OK, VERIFY] },
  pqc_dsa_verify_prehash: { family: 'dsa', args: [IN('pk'), VAR, ALG, CTX, IN('sig')], answers: [OK, VERIFY] },
};

const KEM_PS = [512, 768, 1024];
const DSA_PS = [44, 65, 87];
const SIZES: Record<number, Partial<Record<Obj, number>>> = {
  512: { ek: 800, dk: 1632, c: 768 },
  768: { ek: 1184, dk: 2400, c: 1088 },
  1024: { ek: 1568, dk: 3168, c: 1568 },
  44: { pk: 1312, sk: 2560, sig: 2420 },
  65: { pk: 1952, sk: 4032, sig: 3309 },
  87: { pk: 2592, sk: 4896, sig: 4627 },
};
function size(ps: number, obj: Obj): number {
  if (obj === 'd' || obj === 'xi' || obj === 'rnd' || obj === 'ss') return 32;
  if (obj === 'mu') return 64;
  return SIZES[ps]![obj]!;
}

/** Real keys, ciphertexts and signatures per set, made once with the library itself. */
function makeReal(abi: BufferAbi): Record<number, Partial<Record<Obj, Uint8Array>>> {
  const real: Record<number, Partial<Record<Obj, Uint8Array>>> = {};
  const seed = new Uint8Array(32).fill(1);
  for (const ps of KEM_PS) {
    const ek = new Uint8Array(size(ps, 'ek')), dk = new Uint8Array(size(ps, 'dk'));
    const c = new Uint8Array(size(ps, 'c')), k = new Uint8Array(32);
    if (abi.pqc_kem_keygen(ps, seed, 32, seed, 32, ek, ek.length, dk, dk.length) !== OK) throw new Error('setup keygen');
    if (abi.pqc_kem_encaps(ps, ek, ek.length, seed, 32, c, c.length, k, 32) !== OK) throw new Error('setup encaps');
    real[ps] = { ek, dk, c };
  }
  for (const ps of DSA_PS) {
    const pk = new Uint8Array(size(ps, 'pk')), sk = new Uint8Array(size(ps, 'sk')), sig = new Uint8Array(size(ps, 'sig'));
    if (abi.pqc_dsa_keygen(ps, seed, 32, pk, pk.length, sk, sk.length) !== OK) throw new Error('setup dsa keygen');
    if (abi.pqc_dsa_sign(ps, sk, sk.length, null, 0, null, 0, seed, 32, sig, sig.length) !== OK) throw new Error('setup sign');
    real[ps] = { pk, sk, sig };
  }
  return real;
}

/** How one buffer argument is passed. */
type Mode = 'right' | 'real' | 'wrongLen' | 'null0' | 'nullN';
interface BufPlan { mode: Mode; len: number; fill: number }

const bufPlan = fc.record({
  mode: fc.constantFrom<Mode>('right', 'right', 'right', 'real', 'real', 'real', 'real', 'wrongLen', 'null0', 'nullN'),
  len: fc.nat({ max: 600 }),
  fill: fc.nat({ max: 0xffffffff }),
});

/** Deterministic bytes from a 32-bit seed (xorshift32); content, not crypto. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const GUARD = 16;
const CANARY = 0xa5;

function main(): void {
  const [fnName, runsArg, seedArg, libArg] = process.argv.slice(2);
  const name = fnName as BufferAbiName;
  const spec = SPECS[name];
  const abi = loadBufferAbi(libArg ?? DEFAULT_RUST_LIBRARY);
  const statuses: Record<number, number> = {};
  const runs = Number(runsArg ?? 200);
  const seed = Number(seedArg ?? Date.now() & 0x7fffffff);

  if (!spec) {
    // The non-buffer exports: sizes, version and bench must answer, never crash.
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...KEM_PS, ...DSA_PS), fc.nat({ max: 0xffffffff })), fc.boolean(), fc.nat({ max: 8 }), (ps, withPtrs, op) => {
        const outs = [0, 1, 2, 3].map(() => (withPtrs ? new BigUint64Array(1) : null));
        let st: number;
        if (name === 'pqc_kem_sizes') st = abi.pqc_kem_sizes(ps, ...outs) as number;
        else if (name === 'pqc_dsa_sizes') st = abi.pqc_dsa_sizes(ps, ...outs.slice(0, 3)) as number;
        else if (name === 'pqc_bench_ns') st = Number(abi.pqc_bench_ns(op, [ps, 512, 768, 65][op % 4], 1)) > 0 ? OK : UNSUPPORTED;
        else if (name === 'pqc_native_version') st = String(abi.pqc_native_version()).startsWith('pqc-native') ? OK : -1;
        else throw new Error(`no spec for ${name}`);
        statuses[st] = (statuses[st] ?? 0) + 1;
        if (name.endsWith('_sizes')) {
          const valid = (name === 'pqc_kem_sizes' ? KEM_PS : DSA_PS).includes(ps);
          if (st !== (valid ? OK : UNSUPPORTED)) throw new Error(`${name}(${ps}) = ${st}`);
        } else if (st === -1) throw new Error('bad version string');
      }),
      { numRuns: runs, seed },
    );
    console.log(JSON.stringify({ fn: name, runs, seed, statuses }));
    return;
  }

  const family = spec.family;
  const validPs = family === 'kem' ? KEM_PS : DSA_PS;
  const real = makeReal(abi);
  const psArb = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...validPs) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 43, 45, 511, 513, 769, 1023, 0xffffffff, ...(family === 'kem' ? DSA_PS : KEM_PS)) },
  );
  const argArbs = spec.args.map((a) =>
    a.kind === 'alg' ? fc.oneof({ weight: 5, arbitrary: fc.nat({ max: 11 }) }, { weight: 1, arbitrary: fc.nat({ max: 0xffffffff }) }) : bufPlan,
  );

  fc.assert(
    fc.property(psArb, fc.tuple(...argArbs), fc.nat({ max: validPs.length - 1 }), (ps, plans, altPs) => {
      const sizePs = validPs.includes(ps) ? ps : validPs[altPs]!;
      const callArgs: unknown[] = [ps];
      const outs: { region: Uint8Array; view: Uint8Array }[] = [];
      let lengthBad = false, argBad = false, algBad = false;

      spec.args.forEach((a, i) => {
        const plan = plans[i] as BufPlan | number;
        if (a.kind === 'alg') {
          const alg = plan as number;
          if (alg >= 12) algBad = true;
          callArgs.push(alg);
          return;
        }
        const p = plan as BufPlan;
        const fixed = a.kind === 'in' || a.kind === 'out' ? size(sizePs, a.obj) : undefined;
        let len: number;
        let buf: Uint8Array | null;
        switch (p.mode) {
          case 'null0':
            len = 0;
            buf = null;
            break;
          case 'nullN':
            len = fixed ?? p.len + 1;
            buf = null;
            break;
          case 'wrongLen':
            len = fixed === undefined ? p.len : p.len === fixed ? fixed + 1 : p.len;
            buf = bytes(len, p.fill);
            break;
          case 'real': {
            const obj = a.kind === 'in' || a.kind === 'out' ? a.obj : undefined;
            const r = obj ? real[sizePs]?.[obj] : undefined;
            buf = r ? r.slice() : bytes(fixed ?? p.len % 300, p.fill);
            len = buf.length;
            break;
          }
          default:
            len = fixed ?? (a.kind === 'ctx' ? p.len % 300 : p.len);
            buf = bytes(len, p.fill);
        }
        if (fixed !== undefined && len !== fixed) lengthBad = true;
        if (buf === null && len > 0) argBad = true;
        if (a.kind === 'ctx' && len > 255) argBad = true;
        if (a.kind === 'out' && buf !== null) {
          // Output inside a guarded region, pre-filled with a canary.
          const region = new Uint8Array(len + 2 * GUARD).fill(CANARY);
          const view = region.subarray(GUARD, GUARD + len);
          outs.push({ region, view });
          buf = view;
        }
        callArgs.push(buf, len);
      });

      const st = abi[name](...callArgs) as number;
      statuses[st] = (statuses[st] ?? 0) + 1;

      let want: number[];
      if (!validPs.includes(ps)) want = [UNSUPPORTED];
      else if (lengthBad) want = [LENGTH];
      else if (argBad) want = [ARGUMENT];
      else if (algBad) want = [UNSUPPORTED];
      else want = spec.answers;
      if (!want.includes(st)) throw new Error(`${name}: status ${st}, expected one of ${want.join('/')}`);

      for (const { region, view } of outs) {
        for (let i = 0; i < GUARD; i++) {
          if (region[i] !== CANARY || region[region.length - 1 - i] !== CANARY) throw new Error(`${name}: wrote outside an output buffer`);
        }
        if (st !== OK && view.some((b) => b !== CANARY)) throw new Error(`${name}: status ${st} but an output buffer was written`);
      }
    }),
    { numRuns: runs, seed },
  );
  console.log(JSON.stringify({ fn: name, runs, seed, statuses }));
}

main();
