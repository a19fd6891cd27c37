// The liboqs backend: the real OQS_KEM_* / OQS_SIG_* C API through koffi.
//
// liboqs 0.13 has no seed entry points except OQS_KEM_keypair_derand, so the
// deterministic operations (ML-KEM encaps m, ML-DSA keygen xi, ML-DSA sign rnd)
// feed their 32 bytes through OQS_randombytes_custom_algorithm, the way liboqs's
// own ACVP runner does. That hook is process-global: every call into the library
// goes through one queue, the hook is installed for the call only, and the
// system RNG is restored in a finally block. The hook serves exactly the byte
// requests it was told to expect; any other request is recorded and turns the
// call into an error (a silently different read would be a wrong answer).
//
// Memory rule: liboqs takes no lengths for keys and ciphertexts, so every
// input length is checked against model/params.ts before any C call, and
// every output buffer is allocated at the size the library itself reports
// (which is checked against the table when the backend opens).

import { existsSync } from 'node:fs';
import koffi from 'koffi';
import { libraryIdentity } from './library.ts';
import { secretMarks } from './secret-marks.ts';

import {
  RejectedError,
  UnsupportedError,
  type Backend,
  type BackendInfo,
  type Capabilities,
  type DsaApi,
  type DsaKeyPair,
  type KemApi,
  type KemEncapsResult,
  type KemKeyPair,
  type Op,
} from '../model/contract.ts';
import { DSA, DSA_PARAMS, KEM, KEM_PARAMS, SEED, type DsaParam, type HashAlg, type KemParam } from '../model/params.ts';
import { env } from '../model/config.ts';
import { packagePath } from '../model/package.ts';

const OQS_SUCCESS = 0;

/** Where native/liboqs/build.sh puts the library. */
export const DEFAULT_LIBOQS_PATH = packagePath('build/liboqs/lib/liboqs.so');

export interface LiboqsOptions {
  /** Path to liboqs.so (CLI `--liboqs PATH`); else $PQC_LIBOQS; else the project's build. */
  library?: string;
}

export function resolveLiboqsPath(opts: LiboqsOptions = {}): string {
  const [path, from] = opts.library
    ? [opts.library, '--liboqs']
    : env('PQC_LIBOQS')
      ? [env('PQC_LIBOQS')!, 'PQC_LIBOQS']
      : [DEFAULT_LIBOQS_PATH, 'the project build'];
  if (!existsSync(path)) {
    throw new Error(
      `liboqs not found at ${path} (from ${from}). Run \`npx pqc-harness setup\` (\`npm run setup\` in a checkout) to build it ` +
        `(native/liboqs/build.sh), or set PQC_LIBOQS=/path/to/liboqs.so (or pass --liboqs PATH).`,
    );
  }
  return path;
}

// ---------------------------------------------------------------------------
// Struct layouts (x86-64 / LP64). Only the size_t length fields are read.

interface Layout {
  name: string;
  kem: { size: number; pk: number; sk: number; ct: number; ss: number; keypairSeed: number };
  sig: { size: number; pk: number; sk: number; sig: number };
}

/** liboqs 0.13 and 0.14: OQS_KEM is 96 bytes; OQS_SIG 88. */
const LAYOUT_013: Layout = {
  name: 'liboqs 0.13/0.14',
  kem: { size: 96, pk: 24, sk: 32, ct: 40, ss: 48, keypairSeed: 56 },
  sig: { size: 88, pk: 24, sk: 32, sig: 40 },
};
/** liboqs >= 0.15: OQS_KEM gains length_encaps_seed@64 (112 bytes); the lengths we read do not move. */
const LAYOUT_015: Layout = {
  name: 'liboqs >= 0.15',
  kem: { size: 112, pk: 24, sk: 32, ct: 40, ss: 48, keypairSeed: 56 },
  sig: { size: 88, pk: 24, sk: 32, sig: 40 },
};

export function layoutForVersion(version: string): Layout {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`liboqs: cannot parse OQS_version() = ${JSON.stringify(version)}`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 0 && minor < 13) {
    throw new Error(`liboqs ${version} is too old: this backend needs >= 0.13 (OQS_KEM_keypair_derand, ML-DSA with context strings)`);
  }
  if (major === 0 && minor <= 14) return LAYOUT_013;
  return LAYOUT_015;
}

function readSize(view: DataView, offset: number): number {
  const v = view.getBigUint64(offset, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`liboqs: implausible length ${v} at offset ${offset}`);
  return Number(v);
}

// ---------------------------------------------------------------------------


/** koffi type names are process-global: declare the callback type once, however many times liboqs is opened. */
let randCbType: ReturnType<typeof koffi.proto> | undefined;
function randCallbackType(): ReturnType<typeof koffi.proto> {
  randCbType ??= koffi.proto('void OqsRandombytesCb(void *buf, size_t n)');
  return randCbType;
}

function checkLen(what: string, ps: string, got: Uint8Array, want: number): void {
  if (!(got instanceof Uint8Array)) throw new RejectedError(`${ps}: ${what} must be a Uint8Array`);
  if (got.length !== want) throw new RejectedError(`${ps}: ${what} must be ${want} bytes, got ${got.length}`);
}

/** A pointer argument that is never NULL, even for an empty input. */
function nonEmpty(b: Uint8Array): Uint8Array {
  return b.length > 0 ? b : new Uint8Array(1);
}

const UNSUPPORTED_INTERNAL =
  'liboqs 0.13 exposes no ML-DSA internal interface (Sign_internal/Verify_internal on M\'); only the external pure API with a context string is public';
const UNSUPPORTED_MU = 'liboqs 0.13 exposes no ML-DSA external-mu entry point';
const UNSUPPORTED_PREHASH = 'liboqs 0.13 exposes no HashML-DSA (pre-hash) API';

type KemHandle = { ptr: bigint; lengths: { ek: number; dk: number; c: number; ss: number } };
type SigHandle = { ptr: bigint; lengths: { pk: number; sk: number; sig: number } };

/** The contract plus one diagnostic: how many operation-level C calls were made. */
export interface LiboqsBackend extends Backend {
  /** Count of OQS_KEM_* / OQS_SIG_* operation calls so far (tests use it to prove a rejection never reached C). */
  nativeCalls(): number;
}

export async function openLiboqsBackend(opts: LiboqsOptions = {}): Promise<LiboqsBackend> {
  const path = resolveLiboqsPath(opts);
  const { path: realPath, sha256 } = libraryIdentity(path);
  const lib = koffi.load(path);

  // --- bindings (pointers to OQS_KEM / OQS_SIG are opaque `void *`, BigInt in koffi 3).
  // Uint8Array arguments to plain `uint8_t *` parameters hand C a pointer to the
  // array's own memory (no copy), so an overflow hits the real buffer. ---
  const OQS_version = lib.func('const char *OQS_version(void)');
  const OQS_init = lib.func('void OQS_init(void)');
  const OQS_KEM_new = lib.func('void *OQS_KEM_new(const char *method_name)');
  const OQS_KEM_free = lib.func('void OQS_KEM_free(void *kem)');
  const OQS_KEM_keypair_derand = lib.func('int OQS_KEM_keypair_derand(void *kem, uint8_t *pk, uint8_t *sk, const uint8_t *seed)');
  const OQS_KEM_keypair = lib.func('int OQS_KEM_keypair(void *kem, uint8_t *pk, uint8_t *sk)');
  const OQS_KEM_encaps = lib.func('int OQS_KEM_encaps(void *kem, uint8_t *ct, uint8_t *ss, const uint8_t *pk)');
  const OQS_KEM_decaps = lib.func('int OQS_KEM_decaps(void *kem, uint8_t *ss, const uint8_t *ct, const uint8_t *sk)');
  const OQS_SIG_new = lib.func('void *OQS_SIG_new(const char *method_name)');
  const OQS_SIG_free = lib.func('void OQS_SIG_free(void *sig)');
  const OQS_SIG_keypair = lib.func('int OQS_SIG_keypair(void *sig, uint8_t *pk, uint8_t *sk)');
  const OQS_SIG_sign_with_ctx_str = lib.func(
    'int OQS_SIG_sign_with_ctx_str(void *sig, uint8_t *signature, size_t *signature_len, const uint8_t *message, size_t message_len, const uint8_t *ctx_str, size_t ctx_str_len, const uint8_t *sk)',
  );
  const OQS_SIG_verify_with_ctx_str = lib.func(
    'int OQS_SIG_verify_with_ctx_str(void *sig, const uint8_t *message, size_t message_len, const uint8_t *signature, size_t signature_len, const uint8_t *ctx_str, size_t ctx_str_len, const uint8_t *pk)',
  );
  const RandCb = randCallbackType();
  const OQS_randombytes_custom_algorithm = lib.func('void OQS_randombytes_custom_algorithm(OqsRandombytesCb *cb)');
  const OQS_randombytes_switch_algorithm = lib.func('int OQS_randombytes_switch_algorithm(const char *name)');

  OQS_init();
  const version = String(OQS_version());
  const layout = layoutForVersion(version);

  // --- the randomness hook -------------------------------------------------
  // `expected` is the exact sequence of byte requests the current call may make.
  let expected: Uint8Array[] = [];
  let hookError: string | null = null;
  let hookReads: number[] = [];
  const cb = koffi.register((buf: bigint, nRaw: number | bigint) => {
    // Never throw into C: record, fill deterministically, and fail the call afterwards.
    try {
      const n = Number(nRaw);
      hookReads.push(n);
      const out = new Uint8Array(koffi.view(buf, n));
      const next = expected.shift();
      if (next === undefined) {
        hookError ??= `liboqs asked for ${n} random bytes where none were expected`;
        out.fill(0);
      } else if (next.length !== n) {
        hookError ??= `liboqs asked for ${n} random bytes where ${next.length} were queued`;
        out.fill(0);
      } else {
        out.set(next);
      }
    } catch (e) {
      hookError ??= `randomness hook failed: ${(e as Error).message}`;
    }
  }, koffi.pointer(RandCb));

  // One native call at a time (the hook is process-global).
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => T): Promise<T> {
    const run = queue.then(fn);
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Run `call` with the hook serving exactly `chunks`; restore the system RNG
   * afterwards. Returns the OQS_STATUS. A hook mismatch throws (not Rejected:
   * it is a harness/library disagreement, a wrong answer otherwise).
   */
  let nativeCalls = 0;
  // Under `--host ct` an OQS_STATUS is declassified before this file branches on it.
  const marks = secretMarks();
  const status = (st: number): number => (marks ? marks.declassifyStatus(st) : st);
  function withRandomness(what: string, chunks: Uint8Array[], call: () => number): number {
    nativeCalls++;
    expected = chunks.map((c) => c.slice());
    hookError = null;
    hookReads = [];
    let st: number;
    OQS_randombytes_custom_algorithm(cb);
    try {
      st = status(call());
    } finally {
      const restored = OQS_randombytes_switch_algorithm('system');
      expected = [];
      if (restored !== OQS_SUCCESS) {
        throw new Error('liboqs: OQS_randombytes_switch_algorithm("system") failed; the process RNG is in an unknown state');
      }
    }
    if (hookError !== null) throw new Error(`${what}: ${hookError} (reads: [${hookReads.join(', ')}])`);
    const left = chunks.length - hookReads.length;
    if (st === OQS_SUCCESS && left !== 0) {
      throw new Error(`${what}: liboqs succeeded but read ${hookReads.length} of ${chunks.length} queued random chunks (reads: [${hookReads.join(', ')}])`);
    }
    return st;
  }

  /** Run a call that must not consume randomness (any read is an error). */
  function noRandomness(what: string, call: () => number): number {
    return withRandomness(what, [], call);
  }

  /** A call on the system RNG (randomized operations), still serialized with the rest. */
  function systemRandom(call: () => number): number {
    nativeCalls++;
    return status(call());
  }

  // --- handles, with lengths checked against the parameter table ------------
  const kems = new Map<KemParam, KemHandle>();
  const sigs = new Map<DsaParam, SigHandle>();
  let closed = false;
  try {
    for (const ps of KEM_PARAMS) {
      const ptr = OQS_KEM_new(ps) as bigint | null;
      if (!ptr) throw new Error(`liboqs: OQS_KEM_new("${ps}") returned NULL (algorithm not enabled in this build?)`);
      const v = new DataView(koffi.view(ptr, layout.kem.size));
      const lengths = { ek: readSize(v, layout.kem.pk), dk: readSize(v, layout.kem.sk), c: readSize(v, layout.kem.ct), ss: readSize(v, layout.kem.ss) };
      const seedLen = readSize(v, layout.kem.keypairSeed);
      kems.set(ps, { ptr, lengths });
      const want = KEM[ps];
      if (lengths.ek !== want.ek || lengths.dk !== want.dk || lengths.c !== want.c || lengths.ss !== want.ss || seedLen !== SEED.kemD + SEED.kemZ) {
        throw new Error(
          `liboqs ${version}: OQS_KEM("${ps}") lengths read with the ${layout.name} layout are ` +
            `ek=${lengths.ek} dk=${lengths.dk} c=${lengths.c} ss=${lengths.ss} keypair_seed=${seedLen}; ` +
            `FIPS 203 says ek=${want.ek} dk=${want.dk} c=${want.c} ss=${want.ss} seed=64. Wrong struct layout or wrong library.`,
        );
      }
    }
    for (const ps of DSA_PARAMS) {
      const ptr = OQS_SIG_new(ps) as bigint | null;
      if (!ptr) throw new Error(`liboqs: OQS_SIG_new("${ps}") returned NULL (algorithm not enabled in this build?)`);
      const v = new DataView(koffi.view(ptr, layout.sig.size));
      const lengths = { pk: readSize(v, layout.sig.pk), sk: readSize(v, layout.sig.sk), sig: readSize(v, layout.sig.sig) };
      sigs.set(ps, { ptr, lengths });
      const want = DSA[ps];
      if (lengths.pk !== want.pk || lengths.sk !== want.sk || lengths.sig !== want.sig) {
        throw new Error(
          `liboqs ${version}: OQS_SIG("${ps}") lengths read with the ${layout.name} layout are ` +
            `pk=${lengths.pk} sk=${lengths.sk} sig=${lengths.sig}; FIPS 204 says pk=${want.pk} sk=${want.sk} sig=${want.sig}. ` +
            `Wrong struct layout or wrong library.`,
        );
      }
    }
  } catch (e) {
    for (const h of kems.values()) OQS_KEM_free(h.ptr);
    for (const h of sigs.values()) OQS_SIG_free(h.ptr);
    koffi.unregister(cb);
    throw e;
  }

  function kemHandle(ps: KemParam): KemHandle {
    if (closed) throw new Error('liboqs backend is closed');
    const h = kems.get(ps);
    if (!h) throw new RejectedError(`unknown ML-KEM parameter set ${String(ps)}`);
    return h;
  }
  function sigHandle(ps: DsaParam): SigHandle {
    if (closed) throw new Error('liboqs backend is closed');
    const h = sigs.get(ps);
    if (!h) throw new RejectedError(`unknown ML-DSA parameter set ${String(ps)}`);
    return h;
  }

  // --- raw operations (synchronous; callers hold the queue) ------------------
  function rawEncaps(ps: KemParam, ek: Uint8Array, m: Uint8Array): { status: number; c: Uint8Array; k: Uint8Array } {
    const h = kemHandle(ps);
    const c = new Uint8Array(h.lengths.c);
    const k = new Uint8Array(h.lengths.ss);
    const status = withRandomness(`${ps} encaps`, [m], () => OQS_KEM_encaps(h.ptr, c, k, ek) as number);
    return { status, c, k };
  }
  function rawDecaps(ps: KemParam, dk: Uint8Array, c: Uint8Array): { status: number; k: Uint8Array } {
    const h = kemHandle(ps);
    const k = new Uint8Array(h.lengths.ss);
    const status = noRandomness(`${ps} decaps`, () => OQS_KEM_decaps(h.ptr, k, c, dk) as number);
    return { status, k };
  }

  // --- measured key-check behaviour -----------------------------------------
  // FIPS 203 §7.2/§7.3 checks are not public API in liboqs 0.13. mlkem-native
  // (liboqs's ML-KEM) runs them inside encaps and decaps and returns an error.
  // Probe that once here so a different liboqs (PQC_LIBOQS) is judged on what
  // it does, not on what this one does.
  const probe = (() => {
    const ps: KemParam = 'ML-KEM-768';
    const h = kemHandle(ps);
    const ek = new Uint8Array(h.lengths.ek);
    const dk = new Uint8Array(h.lengths.dk);
    const seed = new Uint8Array(64).fill(7);
    const st = noRandomness('probe keygen', () => OQS_KEM_keypair_derand(h.ptr, ek, dk, seed) as number);
    if (st !== OQS_SUCCESS) throw new Error(`liboqs: probe OQS_KEM_keypair_derand(${ps}) failed`);
    // Non-reduced ek: first 12-bit coefficient set to 0xFFF (>= q = 3329).
    const badEk = ek.slice();
    badEk[0] = 0xff;
    badEk[1] = (badEk[1]! & 0xf0) | 0x0f;
    const good = rawEncaps(ps, ek, new Uint8Array(32));
    const bad = rawEncaps(ps, badEk, new Uint8Array(32));
    // dk with a modified H(ek) (dk = dkPKE ‖ ek ‖ H(ek) ‖ z; H sits 64 bytes from the end).
    const badDk = dk.slice();
    badDk[dk.length - 64] = badDk[dk.length - 64]! ^ 0x01;
    const goodDec = rawDecaps(ps, dk, good.c);
    const badDec = rawDecaps(ps, badDk, good.c);
    return {
      encapsRejectsNonReduced: good.status === OQS_SUCCESS && bad.status !== OQS_SUCCESS,
      decapsRejectsBadHash: goodDec.status === OQS_SUCCESS && badDec.status !== OQS_SUCCESS,
    };
  })();

  const notes: string[] = [
    `built from ${realPath}; struct layout ${layout.name}`,
    'ML-KEM encaps m, ML-DSA keygen xi and ML-DSA sign rnd are supplied through OQS_randombytes_custom_algorithm (exactly one 32-byte read each, enforced); the system RNG is restored after every call',
    'ML-KEM keygen uses OQS_KEM_keypair_derand(d‖z)',
    `ML-DSA internal interface, external mu and HashML-DSA are not public API in liboqs ${version}: unsupported`,
  ];
  if (probe.encapsRejectsNonReduced) {
    notes.push('checkEncapsKey is emulated: liboqs has no public ML-KEM key-check API, but OQS_KEM_encaps runs the FIPS 203 §7.2 modulus check and returns OQS_ERROR (measured at open); checkEncapsKey = "encaps with m = 0 succeeds"');
  } else {
    notes.push('checkEncapsKey unsupported: OQS_KEM_encaps accepted a non-reduced encapsulation key (measured at open)');
  }
  if (probe.decapsRejectsBadHash) {
    notes.push('checkDecapsKey is emulated: OQS_KEM_decaps runs the FIPS 203 §7.3 hash check and returns OQS_ERROR on a dk whose H(ek) does not match (measured at open); checkDecapsKey = "decaps of a zero ciphertext succeeds"');
  } else {
    notes.push('checkDecapsKey unsupported: OQS_KEM_decaps accepted a dk with a modified H(ek) (measured at open)');
  }
  notes.push('key checks return false for a key of the wrong length (the FIPS 203 type check) without calling C');

  const kemOps: Op[] = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.keygenRandom', 'kem.encapsRandom'];
  if (probe.encapsRejectsNonReduced) kemOps.push('kem.checkEncapsKey');
  if (probe.decapsRejectsBadHash) kemOps.push('kem.checkDecapsKey');
  const caps: Capabilities = {
    parameterSets: [...KEM_PARAMS, ...DSA_PARAMS],
    ops: [...kemOps, 'dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom'],
  };

  const info: BackendInfo = {
    id: 'liboqs',
    name: 'liboqs',
    version,
    kind: 'liboqs',
    library: { path, sha256 },
    notes,
  };

  // --- ML-KEM ---------------------------------------------------------------
  const kem: KemApi = {
    keygen(ps, d, z) {
      return serial((): KemKeyPair => {
        const h = kemHandle(ps);
        checkLen('d', ps, d, SEED.kemD);
        checkLen('z', ps, z, SEED.kemZ);
        const seed = new Uint8Array(64);
        seed.set(d, 0);
        seed.set(z, 32);
        const ek = new Uint8Array(h.lengths.ek);
        const dk = new Uint8Array(h.lengths.dk);
        const st = noRandomness(`${ps} keygen`, () => OQS_KEM_keypair_derand(h.ptr, ek, dk, seed) as number);
        if (st !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_KEM_keypair_derand returned ${st}`);
        return { ek, dk };
      });
    },
    encaps(ps, ek, m) {
      return serial((): KemEncapsResult => {
        const h = kemHandle(ps);
        checkLen('ek', ps, ek, h.lengths.ek);
        checkLen('m', ps, m, SEED.kemM);
        const r = rawEncaps(ps, ek, m);
        if (r.status !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_KEM_encaps returned ${r.status} (encapsulation key rejected)`);
        return { c: r.c, k: r.k };
      });
    },
    decaps(ps, dk, c) {
      return serial((): Uint8Array => {
        const h = kemHandle(ps);
        checkLen('dk', ps, dk, h.lengths.dk);
        checkLen('c', ps, c, h.lengths.c);
        const r = rawDecaps(ps, dk, c);
        if (r.status !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_KEM_decaps returned ${r.status} (decapsulation key rejected)`);
        return r.k;
      });
    },
    checkEncapsKey(ps, ek) {
      return serial((): boolean => {
        const h = kemHandle(ps);
        if (!probe.encapsRejectsNonReduced) {
          throw new UnsupportedError(`liboqs ${version} has no ML-KEM encapsulation-key check, and its encaps accepts a non-reduced key`);
        }
        if (!(ek instanceof Uint8Array) || ek.length !== h.lengths.ek) return false;
        return rawEncaps(ps, ek, new Uint8Array(SEED.kemM)).status === OQS_SUCCESS;
      });
    },
    checkDecapsKey(ps, dk) {
      return serial((): boolean => {
        const h = kemHandle(ps);
        if (!probe.decapsRejectsBadHash) {
          throw new UnsupportedError(`liboqs ${version} has no ML-KEM decapsulation-key check, and its decaps accepts a dk with a wrong H(ek)`);
        }
        if (!(dk instanceof Uint8Array) || dk.length !== h.lengths.dk) return false;
        return rawDecaps(ps, dk, new Uint8Array(h.lengths.c)).status === OQS_SUCCESS;
      });
    },
    keygenRandom(ps) {
      return serial((): KemKeyPair => {
        const h = kemHandle(ps);
        const ek = new Uint8Array(h.lengths.ek);
        const dk = new Uint8Array(h.lengths.dk);
        const st = systemRandom(() => OQS_KEM_keypair(h.ptr, ek, dk) as number);
        if (st !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_KEM_keypair returned ${st}`);
        return { ek, dk };
      });
    },
    encapsRandom(ps, ek) {
      return serial((): KemEncapsResult => {
        const h = kemHandle(ps);
        checkLen('ek', ps, ek, h.lengths.ek);
        const c = new Uint8Array(h.lengths.c);
        const k = new Uint8Array(h.lengths.ss);
        const st = systemRandom(() => OQS_KEM_encaps(h.ptr, c, k, ek) as number);
        if (st !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_KEM_encaps returned ${st} (encapsulation key rejected)`);
        return { c, k };
      });
    },
  };

  // --- ML-DSA ---------------------------------------------------------------
  function sign(ps: DsaParam, sk: Uint8Array, msg: Uint8Array, ctx: Uint8Array, rnd: Uint8Array): Uint8Array {
    const h = sigHandle(ps);
    checkLen('sk', ps, sk, h.lengths.sk);
    checkLen('rnd', ps, rnd, SEED.dsaRnd);
    if (!(msg instanceof Uint8Array)) throw new RejectedError(`${ps}: message must be a Uint8Array`);
    if (!(ctx instanceof Uint8Array)) throw new RejectedError(`${ps}: context must be a Uint8Array`);
    if (ctx.length > SEED.maxCtx) throw new RejectedError(`${ps}: context is ${ctx.length} bytes; FIPS 204 allows at most ${SEED.maxCtx}`);
    const sig = new Uint8Array(h.lengths.sig);
    const sigLen = new BigUint64Array([BigInt(h.lengths.sig)]);
    const st = withRandomness(`${ps} sign`, [rnd], () =>
      OQS_SIG_sign_with_ctx_str(h.ptr, sig, sigLen, nonEmpty(msg), msg.length, nonEmpty(ctx), ctx.length, sk) as number,
    );
    if (st !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_SIG_sign_with_ctx_str returned ${st}`);
    const n = Number(sigLen[0]);
    if (n !== h.lengths.sig) throw new Error(`${ps}: liboqs reported a ${n}-byte signature; FIPS 204 says ${h.lengths.sig}`);
    return sig;
  }

  const dsa: DsaApi = {
    keygen(ps, xi) {
      return serial((): DsaKeyPair => {
        const h = sigHandle(ps);
        checkLen('xi', ps, xi, SEED.dsaXi);
        const pk = new Uint8Array(h.lengths.pk);
        const sk = new Uint8Array(h.lengths.sk);
        const st = withRandomness(`${ps} keygen`, [xi], () => OQS_SIG_keypair(h.ptr, pk, sk) as number);
        if (st !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_SIG_keypair returned ${st}`);
        return { pk, sk };
      });
    },
    sign(ps, sk, msg, ctx, rnd) {
      return serial(() => sign(ps, sk, msg, ctx, rnd));
    },
    verify(ps, pk, msg, sig, ctx) {
      return serial((): boolean => {
        const h = sigHandle(ps);
        checkLen('pk', ps, pk, h.lengths.pk);
        if (!(msg instanceof Uint8Array) || !(sig instanceof Uint8Array) || !(ctx instanceof Uint8Array)) {
          throw new RejectedError(`${ps}: message, signature and context must be Uint8Arrays`);
        }
        // Signature and context carry explicit lengths: liboqs judges them itself
        // (a wrong-length signature or a context over 255 bytes must verify false).
        const st = noRandomness(`${ps} verify`, () =>
          OQS_SIG_verify_with_ctx_str(h.ptr, nonEmpty(msg), msg.length, nonEmpty(sig), sig.length, nonEmpty(ctx), ctx.length, pk) as number,
        );
        return st === OQS_SUCCESS;
      });
    },
    keygenRandom(ps) {
      return serial((): DsaKeyPair => {
        const h = sigHandle(ps);
        const pk = new Uint8Array(h.lengths.pk);
        const sk = new Uint8Array(h.lengths.sk);
        const st = systemRandom(() => OQS_SIG_keypair(h.ptr, pk, sk) as number);
        if (st !== OQS_SUCCESS) throw new RejectedError(`${ps}: OQS_SIG_keypair returned ${st}`);
        return { pk, sk };
      });
    },
    async signInternal(_ps: DsaParam, _sk: Uint8Array, _mPrime: Uint8Array, _rnd: Uint8Array): Promise<Uint8Array> {
      throw new UnsupportedError(UNSUPPORTED_INTERNAL);
    },
    async verifyInternal(_ps: DsaParam, _pk: Uint8Array, _mPrime: Uint8Array, _sig: Uint8Array): Promise<boolean> {
      throw new UnsupportedError(UNSUPPORTED_INTERNAL);
    },
    async signMu(_ps: DsaParam, _sk: Uint8Array, _mu: Uint8Array, _rnd: Uint8Array): Promise<Uint8Array> {
      throw new UnsupportedError(UNSUPPORTED_MU);
    },
    async verifyMu(_ps: DsaParam, _pk: Uint8Array, _mu: Uint8Array, _sig: Uint8Array): Promise<boolean> {
      throw new UnsupportedError(UNSUPPORTED_MU);
    },
    async signPreHash(_ps: DsaParam, _sk: Uint8Array, _msg: Uint8Array, _h: HashAlg, _ctx: Uint8Array, _rnd: Uint8Array): Promise<Uint8Array> {
      throw new UnsupportedError(UNSUPPORTED_PREHASH);
    },
    async verifyPreHash(_ps: DsaParam, _pk: Uint8Array, _msg: Uint8Array, _sig: Uint8Array, _h: HashAlg, _ctx: Uint8Array): Promise<boolean> {
      throw new UnsupportedError(UNSUPPORTED_PREHASH);
    },
  };

  return {
    describe: () => ({ ...info, library: { ...info.library! }, notes: [...notes] }),
    capabilities: () => ({ parameterSets: [...caps.parameterSets], ops: [...caps.ops] }),
    nativeCalls: () => nativeCalls,
    kem,
    dsa,
    close() {
      return serial(() => {
        if (closed) return;
        closed = true;
        for (const h of kems.values()) OQS_KEM_free(h.ptr);
        for (const h of sigs.values()) OQS_SIG_free(h.ptr);
        kems.clear();
        sigs.clear();
        koffi.unregister(cb);
      });
    },
  };
}
