// The rust backend: native/'s cdylib (RustCrypto ml-kem + ml-dsa) through its
// buffer C ABI, bound with koffi. native/include/pqc_native.h is the contract;
// this file follows it.
//
// Memory rule: every pointer argument is a Uint8Array passed together with its
// own byteLength, so the library can check every length against its table and
// never reads or writes past a buffer, whatever the caller hands in. This
// adapter deliberately does NOT pre-check lengths: a wrong length must reach
// the native side, which answers PQC_ERR_LENGTH (that is behaviour under test).
// Output buffers are allocated per call at the sizes in model/params.ts,
// which are checked against the library's own pqc_kem_sizes/pqc_dsa_sizes when
// the backend opens.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import koffi from 'koffi';
import { libraryIdentity } from './library.ts';
import { secretMarks } from './secret-marks.ts';

import {
  KEM_OPS,
  DSA_OPS,
  RejectedError,
  UnsupportedError,
  type Backend,
  type BackendInfo,
  type Capabilities,
  type DsaApi,
  type KemApi,
} from '../model/contract.ts';
import { ALL_PARAMS, DSA, DSA_PARAMS, HASH_ALG_NAMES, KEM, KEM_PARAMS, SEED, psArg, type DsaParam, type HashAlg, type KemParam } from '../model/params.ts';
import { env } from '../model/config.ts';
import { packagePath } from '../model/package.ts';

/** Where `cargo build --release -p pqc-native` (run by `pqc-harness setup`) puts the library. */
export const DEFAULT_RUST_LIBRARY = packagePath('target/release/libpqc_native.so');

/** Status codes of pqc_native.h, by value. */
export const PQC_STATUS = ['PQC_OK', 'PQC_ERR_LENGTH', 'PQC_ERR_INVALID_KEY', 'PQC_ERR_VERIFY', 'PQC_ERR_UNSUPPORTED', 'PQC_ERR_ARGUMENT', 'PQC_ERR_INTERNAL'] as const;
export type PqcStatusName = (typeof PQC_STATUS)[number];
const OK = 0;
const ERR_LENGTH = 1;
const ERR_INVALID_KEY = 2;
const ERR_VERIFY = 3;
const ERR_UNSUPPORTED = 4;
const ERR_ARGUMENT = 5;

export function statusName(st: number): string {
  return PQC_STATUS[st] ?? `unknown status ${st}`;
}

/** The buffer-ABI prototypes, exactly as pqc_native.h declares them. */
export const BUFFER_ABI = {
  pqc_native_version: 'const char *pqc_native_version(void)',
  pqc_kem_sizes: 'int32_t pqc_kem_sizes(uint32_t ps, void *ek_len, void *dk_len, void *c_len, void *ss_len)',
  pqc_dsa_sizes: 'int32_t pqc_dsa_sizes(uint32_t ps, void *pk_len, void *sk_len, void *sig_len)',
  pqc_kem_keygen:
    'int32_t pqc_kem_keygen(uint32_t ps, const uint8_t *d, size_t d_len, const uint8_t *z, size_t z_len, uint8_t *ek, size_t ek_len, uint8_t *dk, size_t dk_len)',
  pqc_kem_encaps:
    'int32_t pqc_kem_encaps(uint32_t ps, const uint8_t *ek, size_t ek_len, const uint8_t *m, size_t m_len, uint8_t *c, size_t c_len, uint8_t *k, size_t k_len)',
  pqc_kem_decaps: 'int32_t pqc_kem_decaps(uint32_t ps, const uint8_t *dk, size_t dk_len, const uint8_t *c, size_t c_len, uint8_t *k, size_t k_len)',
  pqc_kem_check_encaps_key: 'int32_t pqc_kem_check_encaps_key(uint32_t ps, const uint8_t *ek, size_t ek_len)',
  pqc_kem_check_decaps_key: 'int32_t pqc_kem_check_decaps_key(uint32_t ps, const uint8_t *dk, size_t dk_len)',
  pqc_dsa_keygen: 'int32_t pqc_dsa_keygen(uint32_t ps, const uint8_t *xi, size_t xi_len, uint8_t *pk, size_t pk_len, uint8_t *sk, size_t sk_len)',
  pqc_dsa_sign:
    'int32_t pqc_dsa_sign(uint32_t ps, const uint8_t *sk, size_t sk_len, const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len, const uint8_t *rnd, size_t rnd_len, uint8_t *sig, size_t sig_len)',
  pqc_dsa_sign_internal:
    'int32_t pqc_dsa_sign_internal(uint32_t ps, const uint8_t *sk, size_t sk_len, const uint8_t *mprime, size_t mprime_len, const uint8_t *rnd, size_t rnd_len, uint8_t *sig, size_t sig_len)',
  pqc_dsa_sign_mu:
    'int32_t pqc_dsa_sign_mu(uint32_t ps, const uint8_t *sk, size_t sk_len, const uint8_t *mu, size_t mu_len, const uint8_t *rnd, size_t rnd_len, uint8_t *sig, size_t sig_len)',
  pqc_dsa_sign_prehash:
    'int32_t pqc_dsa_sign_prehash(uint32_t ps, const uint8_t *sk, size_t sk_len, const uint8_t *msg, size_t msg_len, uint32_t hash_alg, const uint8_t *ctx, size_t ctx_len, const uint8_t *rnd, size_t rnd_len, uint8_t *sig, size_t sig_len)',
  pqc_dsa_verify:
    'int32_t pqc_dsa_verify(uint32_t ps, const uint8_t *pk, size_t pk_len, const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len, const uint8_t *sig, size_t sig_len)',
  pqc_dsa_verify_internal:
    'int32_t pqc_dsa_verify_internal(uint32_t ps, const uint8_t *pk, size_t pk_len, const uint8_t *mprime, size_t mprime_len, const uint8_t *sig, size_t sig_len)',
  pqc_dsa_verify_mu:
    'int32_t pqc_dsa_verify_mu(uint32_t ps, const uint8_t *pk, size_t pk_len, const uint8_t *mu, size_t mu_len, const uint8_t *sig, size_t sig_len)',
  pqc_dsa_verify_prehash:
    'int32_t pqc_dsa_verify_prehash(uint32_t ps, const uint8_t *pk, size_t pk_len, const uint8_t *msg, size_t msg_len, uint32_t hash_alg, const uint8_t *ctx, size_t ctx_len, const uint8_t *sig, size_t sig_len)',
  pqc_bench_ns: 'uint64_t pqc_bench_ns(uint32_t op, uint32_t ps, uint32_t iters)',
} as const;
export type BufferAbiName = keyof typeof BUFFER_ABI;

/** Benchmark op ids (PQC_BENCH_* in pqc_native.h). */
export const BENCH_OPS = { 'kem.keygen': 1, 'kem.encaps': 2, 'kem.decaps': 3, 'dsa.keygen': 4, 'dsa.sign': 5, 'dsa.verify': 6 } as const;
export type BenchOp = keyof typeof BENCH_OPS;

/** PQC_HASH_* id: the index in HASH_ALGS; an unknown name maps to 0xffffffff (the library answers UNSUPPORTED). */
export function hashAlgId(h: HashAlg): number {
  const i = HASH_ALG_NAMES.indexOf(h);
  return i < 0 ? 0xffffffff : i;
}

/** Sizes for a set; a name outside the table is UnsupportedError (the library would say the same). */
function kemSizes(ps: KemParam): (typeof KEM)[KemParam] {
  const s = KEM[ps];
  if (!s) throw new UnsupportedError(`rust: unknown ML-KEM parameter set ${String(ps)}`);
  return s;
}
function dsaSizes(ps: DsaParam): (typeof DSA)[DsaParam] {
  const s = DSA[ps];
  if (!s) throw new UnsupportedError(`rust: unknown ML-DSA parameter set ${String(ps)}`);
  return s;
}

type Fn = (...args: unknown[]) => unknown;
export type BufferAbi = Record<BufferAbiName, Fn>;

/** Loads the library and binds every buffer-ABI function (exported for the property tests). */
export function loadBufferAbi(path: string): BufferAbi {
  const lib = koffi.load(path);
  const out = {} as Record<string, Fn>;
  for (const [name, proto] of Object.entries(BUFFER_ABI)) out[name] = lib.func(proto) as Fn;
  return out as BufferAbi;
}

export function resolveRustLibrary(opts: { library?: string } = {}): string {
  const path = opts.library ?? env('PQC_RUST_LIB') ?? DEFAULT_RUST_LIBRARY;
  if (!existsSync(path)) {
    throw new Error(
      `rust backend: ${path} not found. Run \`npx pqc-harness setup\` (\`npm run setup\` in a checkout; it builds native/ with ` +
        '`cargo build --release --locked -p pqc-native`), or set PQC_RUST_LIB=/path/to/libpqc_native.so.',
    );
  }
  return path;
}


export async function openRustBackend(opts: { library?: string } = {}): Promise<Backend> {
  const path = resolveRustLibrary(opts);
  const { path: realPath, sha256 } = libraryIdentity(path);
  const abi = loadBufferAbi(realPath);
  const version = String(abi.pqc_native_version());

  // The library's size table must be the harness's table, or every length check lies.
  const n = new BigUint64Array(4);
  for (const ps of KEM_PARAMS) {
    n.fill(0n);
    const st = abi.pqc_kem_sizes(psArg(ps), n.subarray(0, 1), n.subarray(1, 2), n.subarray(2, 3), n.subarray(3, 4)) as number;
    const s = KEM[ps];
    if (st !== OK || Number(n[0]) !== s.ek || Number(n[1]) !== s.dk || Number(n[2]) !== s.c || Number(n[3]) !== s.ss) {
      throw new Error(`rust backend: ${realPath} reports ${ps} sizes ${n.join('/')} (status ${statusName(st)}), harness table says ${s.ek}/${s.dk}/${s.c}/${s.ss}`);
    }
  }
  for (const ps of DSA_PARAMS) {
    n.fill(0n);
    const st = abi.pqc_dsa_sizes(psArg(ps), n.subarray(0, 1), n.subarray(1, 2), n.subarray(2, 3)) as number;
    const s = DSA[ps];
    if (st !== OK || Number(n[0]) !== s.pk || Number(n[1]) !== s.sk || Number(n[2]) !== s.sig) {
      throw new Error(`rust backend: ${realPath} reports ${ps} sizes ${n.subarray(0, 3).join('/')} (status ${statusName(st)}), harness table says ${s.pk}/${s.sk}/${s.sig}`);
    }
  }

  let closed = false;
  // Under `--host ct` the status is declassified before this file branches on it.
  const marks = secretMarks();
  function call(name: BufferAbiName, ...args: unknown[]): number {
    if (closed) throw new Error('rust backend: used after close()');
    const st = abi[name](...args) as number;
    return marks ? marks.declassifyStatus(st) : st;
  }

  /** Throws for any status but OK (and VERIFY, which the verify wrappers handle). */
  function check(name: BufferAbiName, st: number): void {
    if (st === OK) return;
    const msg = `rust: ${name}: ${statusName(st)}`;
    if (st === ERR_LENGTH || st === ERR_INVALID_KEY || st === ERR_ARGUMENT) throw new RejectedError(msg);
    if (st === ERR_UNSUPPORTED) throw new UnsupportedError(msg);
    throw new Error(msg);
  }

  function verdict(name: BufferAbiName, st: number): boolean {
    if (st === ERR_VERIFY) return false;
    check(name, st);
    return true;
  }

  /** FIPS 203 §7.2/§7.3 checks: a wrong length fails the check's type test, so it is `false`. */
  function keyCheck(name: BufferAbiName, st: number): boolean {
    if (st === ERR_INVALID_KEY || st === ERR_LENGTH) return false;
    check(name, st);
    return true;
  }

  const kem: KemApi = {
    async keygen(ps, d, z) {
      const s = kemSizes(ps);
      const ek = new Uint8Array(s.ek);
      const dk = new Uint8Array(s.dk);
      check('pqc_kem_keygen', call('pqc_kem_keygen', psArg(ps), d, d.length, z, z.length, ek, ek.length, dk, dk.length));
      return { ek, dk };
    },
    async encaps(ps, ek, m) {
      const c = new Uint8Array(kemSizes(ps).c);
      const k = new Uint8Array(kemSizes(ps).ss);
      check('pqc_kem_encaps', call('pqc_kem_encaps', psArg(ps), ek, ek.length, m, m.length, c, c.length, k, k.length));
      return { c, k };
    },
    async decaps(ps, dk, c) {
      const k = new Uint8Array(kemSizes(ps).ss);
      check('pqc_kem_decaps', call('pqc_kem_decaps', psArg(ps), dk, dk.length, c, c.length, k, k.length));
      return k;
    },
    async checkEncapsKey(ps, ek) {
      return keyCheck('pqc_kem_check_encaps_key', call('pqc_kem_check_encaps_key', psArg(ps), ek, ek.length));
    },
    async checkDecapsKey(ps, dk) {
      return keyCheck('pqc_kem_check_decaps_key', call('pqc_kem_check_decaps_key', psArg(ps), dk, dk.length));
    },
    async keygenRandom(ps) {
      return kem.keygen(ps, randomBytes(SEED.kemD), randomBytes(SEED.kemZ));
    },
    async encapsRandom(ps, ek) {
      return kem.encaps(ps, ek, randomBytes(SEED.kemM));
    },
  };

  const dsa: DsaApi = {
    async keygen(ps, xi) {
      const pk = new Uint8Array(dsaSizes(ps).pk);
      const sk = new Uint8Array(dsaSizes(ps).sk);
      check('pqc_dsa_keygen', call('pqc_dsa_keygen', psArg(ps), xi, xi.length, pk, pk.length, sk, sk.length));
      return { pk, sk };
    },
    async sign(ps, sk, msg, ctx, rnd) {
      const sig = new Uint8Array(dsaSizes(ps).sig);
      check('pqc_dsa_sign', call('pqc_dsa_sign', psArg(ps), sk, sk.length, msg, msg.length, ctx, ctx.length, rnd, rnd.length, sig, sig.length));
      return sig;
    },
    async signInternal(ps, sk, mPrime, rnd) {
      const sig = new Uint8Array(dsaSizes(ps).sig);
      check('pqc_dsa_sign_internal', call('pqc_dsa_sign_internal', psArg(ps), sk, sk.length, mPrime, mPrime.length, rnd, rnd.length, sig, sig.length));
      return sig;
    },
    async signMu(ps, sk, mu, rnd) {
      const sig = new Uint8Array(dsaSizes(ps).sig);
      check('pqc_dsa_sign_mu', call('pqc_dsa_sign_mu', psArg(ps), sk, sk.length, mu, mu.length, rnd, rnd.length, sig, sig.length));
      return sig;
    },
    async signPreHash(ps, sk, msg, hashAlg, ctx, rnd) {
      const sig = new Uint8Array(dsaSizes(ps).sig);
      const st = call('pqc_dsa_sign_prehash', psArg(ps), sk, sk.length, msg, msg.length, hashAlgId(hashAlg), ctx, ctx.length, rnd, rnd.length, sig, sig.length);
      check('pqc_dsa_sign_prehash', st);
      return sig;
    },
    async verify(ps, pk, msg, sig, ctx) {
      return verdict('pqc_dsa_verify', call('pqc_dsa_verify', psArg(ps), pk, pk.length, msg, msg.length, ctx, ctx.length, sig, sig.length));
    },
    async verifyInternal(ps, pk, mPrime, sig) {
      return verdict('pqc_dsa_verify_internal', call('pqc_dsa_verify_internal', psArg(ps), pk, pk.length, mPrime, mPrime.length, sig, sig.length));
    },
    async verifyMu(ps, pk, mu, sig) {
      return verdict('pqc_dsa_verify_mu', call('pqc_dsa_verify_mu', psArg(ps), pk, pk.length, mu, mu.length, sig, sig.length));
    },
    async verifyPreHash(ps, pk, msg, sig, hashAlg, ctx) {
      const st = call('pqc_dsa_verify_prehash', psArg(ps), pk, pk.length, msg, msg.length, hashAlgId(hashAlg), ctx, ctx.length, sig, sig.length);
      return verdict('pqc_dsa_verify_prehash', st);
    },
    async keygenRandom(ps) {
      return dsa.keygen(ps, randomBytes(SEED.dsaXi));
    },
  };

  const info: BackendInfo = {
    id: 'rust',
    name: 'pqc-native (RustCrypto ml-kem + ml-dsa, buffer C ABI)',
    version,
    kind: 'cdylib',
    library: { path: realPath, sha256 },
    notes: [
      'ML-KEM decaps imports dk through ml-kem, which checks H(ek) and the ek modulus: an inconsistent dk is rejected (PQC_ERR_INVALID_KEY) rather than decapsulated.',
      'HashML-DSA: every pre-hash is allowed with every parameter set (no strength policy).',
    ],
  };
  const caps: Capabilities = { parameterSets: [...ALL_PARAMS], ops: [...KEM_OPS, ...DSA_OPS] };

  return {
    describe: () => ({ ...info, library: { ...info.library! }, notes: [...info.notes!] }),
    capabilities: () => ({ parameterSets: [...caps.parameterSets], ops: [...caps.ops] }),
    kem,
    dsa,
    async close() {
      // koffi keeps the library mapped for the process; dropping our handle is all there is.
      closed = true;
    },
  };
}

/** Native timing of one op: total nanoseconds for `iters` runs (0 = failed). */
export function benchNs(abi: BufferAbi, op: BenchOp, ps: KemParam | DsaParam, iters: number): bigint {
  const v = abi.pqc_bench_ns(BENCH_OPS[op], psArg(ps), iters);
  return typeof v === 'bigint' ? v : BigInt(v as number);
}
