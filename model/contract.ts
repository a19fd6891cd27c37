// The backend contract: one interface every implementation under test fulfils,
// whether it runs in this process, in a child, or behind a module wrapper.
// Every method is async so that out-of-process hosts implement it unchanged.

import type { DsaParam, HashAlg, KemParam, ParamSet } from './params.ts';
import type { Finding } from './findings.ts';

/** What kind of implementation a backend is, as describe() reports it. */
export const IMPLEMENTATION_KINDS = ['js', 'cdylib', 'liboqs', 'json-abi', 'process', 'crucible', 'module', 'python'] as const;
export type BackendKind = (typeof IMPLEMENTATION_KINDS)[number];

export interface BackendInfo {
  /** The id used on the command line (`noble`, `rust`, `module:./x.ts`). */
  id: string;
  name: string;
  version: string;
  kind: BackendKind;
  /** What was loaded: a shared library or module path and the SHA-256 of that file. */
  library?: { path: string; sha256: string };
  /** Free-form facts a reader of the report should know (emulations, limits). */
  notes?: string[];
  /** How the harness reads what the backend's declaration left open, decided by known-answer probes. */
  dialect?: DialectDecision[];
}

/** One open question about a backend's interface, the reading kept, and the probes' evidence. */
export interface DialectDecision {
  /** What was open, e.g. `ML-DSA-44 sigGen: what \`message\` means`. */
  question: string;
  /** The reading kept; null when no reading matched (the affected cases are skipped with the evidence). */
  decided: string | null;
  /** One line per probe: which vector, which reading, what came back. */
  evidence: string[];
}

/** Why the peer behind a backend was replaced, and how often (out-of-process hosts). */
export type Respawns = Record<'refusal' | 'crash' | 'timeout' | 'protocol', number>;

/**
 * Operation names, one per contract method. Capabilities and skip reasons speak
 * in these names, so a report can say exactly which entry point is missing.
 */
export const KEM_OPS = ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.checkEncapsKey', 'kem.checkDecapsKey', 'kem.keygenRandom', 'kem.encapsRandom'] as const;
export const DSA_OPS = ['dsa.keygen', 'dsa.sign', 'dsa.signInternal', 'dsa.signMu', 'dsa.signPreHash', 'dsa.verify', 'dsa.verifyInternal', 'dsa.verifyMu', 'dsa.verifyPreHash', 'dsa.keygenRandom'] as const;
export type KemOp = (typeof KEM_OPS)[number];
export type DsaOp = (typeof DSA_OPS)[number];
export type Op = KemOp | DsaOp;
export const ALL_OPS: readonly Op[] = [...KEM_OPS, ...DSA_OPS];

export interface Capabilities {
  parameterSets: ParamSet[];
  ops: Op[];
  /** Pre-hash functions supported per parameter set; absent means all of HASH_ALGS. */
  preHash?: Partial<Record<DsaParam, HashAlg[]>>;
  /**
   * Operations the harness derives from a lower interface of the backend
   * (backends/derived.ts), each with what that tests and leaves untested.
   */
  derived?: Partial<Record<Op, string>>;
  /** Why an operation is not offered, where there is more to say than its absence (an undetermined dialect, with the evidence). */
  notOffered?: Partial<Record<Op, string>>;
}

export interface KemKeyPair { ek: Uint8Array; dk: Uint8Array }
export interface KemEncapsResult { c: Uint8Array; k: Uint8Array }
export interface DsaKeyPair { pk: Uint8Array; sk: Uint8Array }

/**
 * Signing randomness: `rnd` is the 32-byte hedge; deterministic signing is
 * rnd = 32 zero bytes (FIPS 204 Algorithm 2), so it needs no separate entry point.
 */
export interface KemApi {
  /** ML-KEM.KeyGen_internal(d, z). */
  keygen(ps: KemParam, d: Uint8Array, z: Uint8Array): Promise<KemKeyPair>;
  /** ML-KEM.Encaps_internal(ek, m); must reject an ek that fails the §7.2 check. */
  encaps(ps: KemParam, ek: Uint8Array, m: Uint8Array): Promise<KemEncapsResult>;
  /** ML-KEM.Decaps(dk, c); implicit rejection returns a key, never an error. */
  decaps(ps: KemParam, dk: Uint8Array, c: Uint8Array): Promise<Uint8Array>;
  /** FIPS 203 §7.2 encapsulation-key (modulus) check. */
  checkEncapsKey(ps: KemParam, ek: Uint8Array): Promise<boolean>;
  /** FIPS 203 §7.3 decapsulation-key (hash) check. */
  checkDecapsKey(ps: KemParam, dk: Uint8Array): Promise<boolean>;
  keygenRandom?(ps: KemParam): Promise<KemKeyPair>;
  encapsRandom?(ps: KemParam, ek: Uint8Array): Promise<KemEncapsResult>;
}

export interface DsaApi {
  /** ML-DSA.KeyGen_internal(xi). */
  keygen(ps: DsaParam, xi: Uint8Array): Promise<DsaKeyPair>;
  /** ML-DSA.Sign (external, pure): M' = 0 ‖ |ctx| ‖ ctx ‖ M. */
  sign(ps: DsaParam, sk: Uint8Array, msg: Uint8Array, ctx: Uint8Array, rnd: Uint8Array): Promise<Uint8Array>;
  /** ML-DSA.Sign_internal(sk, M', rnd): the message is M' itself. */
  signInternal(ps: DsaParam, sk: Uint8Array, mPrime: Uint8Array, rnd: Uint8Array): Promise<Uint8Array>;
  /** Sign_internal from a caller-supplied 64-byte mu (external mu). */
  signMu(ps: DsaParam, sk: Uint8Array, mu: Uint8Array, rnd: Uint8Array): Promise<Uint8Array>;
  /** HashML-DSA.Sign: M' = 1 ‖ |ctx| ‖ ctx ‖ OID ‖ PH(M). */
  signPreHash(ps: DsaParam, sk: Uint8Array, msg: Uint8Array, hashAlg: HashAlg, ctx: Uint8Array, rnd: Uint8Array): Promise<Uint8Array>;
  verify(ps: DsaParam, pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, ctx: Uint8Array): Promise<boolean>;
  verifyInternal(ps: DsaParam, pk: Uint8Array, mPrime: Uint8Array, sig: Uint8Array): Promise<boolean>;
  verifyMu(ps: DsaParam, pk: Uint8Array, mu: Uint8Array, sig: Uint8Array): Promise<boolean>;
  verifyPreHash(ps: DsaParam, pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, hashAlg: HashAlg, ctx: Uint8Array): Promise<boolean>;
  keygenRandom?(ps: DsaParam): Promise<DsaKeyPair>;
}

export interface Backend {
  describe(): BackendInfo;
  capabilities(): Capabilities;
  kem?: KemApi;
  dsa?: DsaApi;
  /** Release native handles, child processes. Idempotent. */
  close?(): Promise<void>;
  /** Out-of-process hosts: peers started after the first, by cause (a refusal by exit costs a respawn too). */
  stats?(): { respawns: Respawns };
  /**
   * Memory-checking hosts (valgrind, ASan) only: findings attributed to the calls
   * made since the previous drain. The runner drains after every case.
   */
  drainFindings?(): Promise<Finding[]>;
  /**
   * Memory-checking hosts only: findings that belong to the backend rather than
   * a case (valgrind's leak records, written when the child exits). The runner
   * calls it once, after close(), and stores them on the backend's entry.
   */
  exitFindings?(): Promise<Finding[]>;
  /**
   * Memory-checking hosts only: what the checker said at exit besides findings
   * (what its suppression files hid, and why). Called once, after close().
   */
  exitNotes?(): Promise<string[]>;
}

/**
 * Thrown by a backend for a call it cannot perform by policy or design (for
 * example a pre-hash weaker than the parameter set). The runner records the
 * case as `skip` with this reason; any other exception is a rejection or error.
 */
export class UnsupportedError extends Error {
  override name = 'UnsupportedError';
}

/**
 * An UnsupportedError for one call whose arguments the transport cannot carry
 * (a module wrapper's standard command has no way to say it); the same
 * operation may work for other arguments, or be derived from a lower interface
 * (backends/derived.ts).
 */
export class InexpressibleError extends UnsupportedError {
  override name = 'InexpressibleError';
}

/**
 * A backend that refuses input throws this (wrong length, invalid key,
 * context too long). Distinct from a crash or a bug in the adapter.
 */
export class RejectedError extends Error {
  override name = 'RejectedError';
}

/** The backend's ML-KEM API; a backend without one cannot run the case (a skip). */
export function kemApi(b: Backend): KemApi {
  if (!b.kem) throw new UnsupportedError(`${b.describe().id} has no ML-KEM API`);
  return b.kem;
}

/** The backend's ML-DSA API; a backend without one cannot run the case (a skip). */
export function dsaApi(b: Backend): DsaApi {
  if (!b.dsa) throw new UnsupportedError(`${b.describe().id} has no ML-DSA API`);
  return b.dsa;
}

export function hasOp(caps: Capabilities, op: Op): boolean {
  return caps.ops.includes(op);
}
