// The one table of parameter-set sizes (FIPS 203 Table 3, FIPS 204 Table 2).
// Everything else that needs a length reads it from here.

export type KemParam = 'ML-KEM-512' | 'ML-KEM-768' | 'ML-KEM-1024';
export type DsaParam = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';
export type ParamSet = KemParam | DsaParam;

export interface KemSizes {
  readonly kind: 'kem';
  readonly k: number;
  readonly ek: number;
  readonly dk: number;
  readonly c: number;
  readonly ss: 32;
  /** FIPS 203 security category. */
  readonly category: 1 | 3 | 5;
}

export interface DsaSizes {
  readonly kind: 'dsa';
  readonly pk: number;
  readonly sk: number;
  readonly sig: number;
  /** Collision strength in bits (lambda); HashML-DSA's pre-hash should match it. */
  readonly lambda: 128 | 192 | 256;
  /** Bytes of the hint encoding that ends a signature: ω + k (FIPS 204 Table 1, Alg. 20 HintBitPack). */
  readonly hint: number;
  readonly category: 2 | 3 | 5;
}

export const KEM: Readonly<Record<KemParam, KemSizes>> = {
  'ML-KEM-512': { kind: 'kem', k: 2, ek: 800, dk: 1632, c: 768, ss: 32, category: 1 },
  'ML-KEM-768': { kind: 'kem', k: 3, ek: 1184, dk: 2400, c: 1088, ss: 32, category: 3 },
  'ML-KEM-1024': { kind: 'kem', k: 4, ek: 1568, dk: 3168, c: 1568, ss: 32, category: 5 },
};

export const DSA: Readonly<Record<DsaParam, DsaSizes>> = {
  'ML-DSA-44': { kind: 'dsa', pk: 1312, sk: 2560, sig: 2420, lambda: 128, hint: 80 + 4, category: 2 },
  'ML-DSA-65': { kind: 'dsa', pk: 1952, sk: 4032, sig: 3309, lambda: 192, hint: 55 + 6, category: 3 },
  'ML-DSA-87': { kind: 'dsa', pk: 2592, sk: 4896, sig: 4627, lambda: 256, hint: 75 + 8, category: 5 },
};

/** Fixed-size inputs shared by every set. */
export const SEED = { kemD: 32, kemZ: 32, kemM: 32, dsaXi: 32, dsaRnd: 32, dsaMu: 64, maxCtx: 255 } as const;

export const KEM_PARAMS = Object.keys(KEM) as KemParam[];
export const DSA_PARAMS = Object.keys(DSA) as DsaParam[];
export const ALL_PARAMS: readonly ParamSet[] = [...KEM_PARAMS, ...DSA_PARAMS];

export function isKemParam(p: string): p is KemParam {
  return Object.hasOwn(KEM, p);
}
export function isDsaParam(p: string): p is DsaParam {
  return Object.hasOwn(DSA, p);
}
export function isParamSet(p: string): p is ParamSet {
  return isKemParam(p) || isDsaParam(p);
}

/**
 * HashML-DSA pre-hash functions as ACVP names them, with output length in bytes
 * (SHAKE lengths per FIPS 204 §5.4), the DER OID that goes into M', and the
 * name node:crypto knows the hash by.
 */
export const HASH_ALGS = {
  'SHA2-224': { outLen: 28, oid: '0609608648016503040204', node: 'sha224' },
  'SHA2-256': { outLen: 32, oid: '0609608648016503040201', node: 'sha256' },
  'SHA2-384': { outLen: 48, oid: '0609608648016503040202', node: 'sha384' },
  'SHA2-512': { outLen: 64, oid: '0609608648016503040203', node: 'sha512' },
  'SHA2-512/224': { outLen: 28, oid: '0609608648016503040205', node: 'sha512-224' },
  'SHA2-512/256': { outLen: 32, oid: '0609608648016503040206', node: 'sha512-256' },
  'SHA3-224': { outLen: 28, oid: '0609608648016503040207', node: 'sha3-224' },
  'SHA3-256': { outLen: 32, oid: '0609608648016503040208', node: 'sha3-256' },
  'SHA3-384': { outLen: 48, oid: '0609608648016503040209', node: 'sha3-384' },
  'SHA3-512': { outLen: 64, oid: '060960864801650304020A', node: 'sha3-512' },
  'SHAKE-128': { outLen: 32, oid: '060960864801650304020B', node: 'shake128' },
  'SHAKE-256': { outLen: 64, oid: '060960864801650304020C', node: 'shake256' },
} as const;
export type HashAlg = keyof typeof HASH_ALGS;
export const HASH_ALG_NAMES = Object.keys(HASH_ALGS) as HashAlg[];
export function isHashAlg(h: string): h is HashAlg {
  return Object.hasOwn(HASH_ALGS, h);
}

/** The number a parameter set is named by (512/768/1024, 44/65/87): the C ABIs' and Crucible's argument. */
export function psArg(ps: ParamSet): number {
  return Number(ps.slice(ps.lastIndexOf('-') + 1));
}
