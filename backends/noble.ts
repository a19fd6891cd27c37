// `noble`: @noble/post-quantum (pure JS), in process.
//
// noble has no separate ML-KEM key-check API, so both checks are emulated from
// what noble itself does, and say so in describe().notes:
//   - encapsulation-key check: does encapsulate() reject the key (its §7.2 modulus check)?
//   - decapsulation-key check: does decapsulate() reject the key (its §7.3 hash check)?

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128_32, shake256_64 } from '@noble/hashes/sha3.js';
import {
  ALL_OPS,
  RejectedError,
  UnsupportedError,
  type Backend,
  type Capabilities,
  type DsaApi,
  type KemApi,
} from '../model/contract.ts';
import { noblePackageDir } from './noble-package.ts';
import { ALL_PARAMS, DSA, DSA_PARAMS, HASH_ALGS, KEM, type DsaParam, type HashAlg, type KemParam } from '../model/params.ts';

const kems = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 } as const;
const dsas = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const hashes = {
  'SHA2-224': sha224,
  'SHA2-256': sha256,
  'SHA2-384': sha384,
  'SHA2-512': sha512,
  'SHA2-512/224': sha512_224,
  'SHA2-512/256': sha512_256,
  'SHA3-224': sha3_224,
  'SHA3-256': sha3_256,
  'SHA3-384': sha3_384,
  'SHA3-512': sha3_512,
  'SHAKE-128': shake128_32,
  'SHAKE-256': shake256_64,
} as const satisfies Record<HashAlg, unknown>;

/**
 * noble refuses a pre-hash whose collision strength (outLen·4 bits) is below
 * the parameter set's lambda (its `checkHash`). Stating the rule here lets the
 * harness skip those cases with a reason instead of failing them.
 */
export function noblePreHashAllowed(ps: DsaParam, h: HashAlg): boolean {
  return HASH_ALGS[h].outLen * 4 >= DSA[ps].lambda;
}

function preHashRefusal(ps: DsaParam, h: HashAlg): string {
  return `noble-post-quantum refuses HashML-DSA with ${h} for ${ps}: collision strength ${HASH_ALGS[h].outLen * 4} bits < lambda ${DSA[ps].lambda}`;
}

/** Run a noble call; its argument errors become RejectedError (the input was refused). */
function refuse<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new RejectedError((e as Error).message);
  }
}

/** The installed version, read from the package's own package.json (its exports map hides it). */
function nobleVersion(): string {
  return (JSON.parse(readFileSync(join(noblePackageDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

const kem: KemApi = {
  async keygen(ps: KemParam, d, z) {
    const { publicKey, secretKey } = refuse(() => kems[ps].keygen(Uint8Array.from([...d, ...z])));
    return { ek: publicKey, dk: secretKey };
  },
  async encaps(ps, ek, m) {
    const { cipherText, sharedSecret } = refuse(() => kems[ps].encapsulate(ek, m));
    return { c: cipherText, k: sharedSecret };
  },
  async decaps(ps, dk, c) {
    return refuse(() => kems[ps].decapsulate(c, dk));
  },
  async checkEncapsKey(ps, ek) {
    if (ek.length !== KEM[ps].ek) return false;
    try {
      kems[ps].encapsulate(ek, new Uint8Array(32));
      return true;
    } catch {
      return false;
    }
  },
  async checkDecapsKey(ps, dk) {
    if (dk.length !== KEM[ps].dk) return false;
    try {
      kems[ps].decapsulate(new Uint8Array(KEM[ps].c), dk);
      return true;
    } catch {
      return false;
    }
  },
  async keygenRandom(ps) {
    return kem.keygen(ps, randomBytes(32), randomBytes(32));
  },
  async encapsRandom(ps, ek) {
    return kem.encaps(ps, ek, randomBytes(32));
  },
};

function signer(ps: DsaParam, h: HashAlg) {
  if (!noblePreHashAllowed(ps, h)) throw new UnsupportedError(preHashRefusal(ps, h));
  return dsas[ps].prehash(hashes[h]);
}

const dsa: DsaApi = {
  async keygen(ps, xi) {
    const { publicKey, secretKey } = refuse(() => dsas[ps].keygen(xi));
    return { pk: publicKey, sk: secretKey };
  },
  async sign(ps, sk, msg, ctx, rnd) {
    return refuse(() => dsas[ps].sign(msg, sk, { context: ctx, extraEntropy: rnd }));
  },
  async signInternal(ps, sk, mPrime, rnd) {
    return refuse(() => dsas[ps].internal.sign(mPrime, sk, { extraEntropy: rnd }));
  },
  async signMu(ps, sk, mu, rnd) {
    return refuse(() => dsas[ps].internal.sign(mu, sk, { extraEntropy: rnd, externalMu: true }));
  },
  async signPreHash(ps, sk, msg, hashAlg, ctx, rnd) {
    const s = signer(ps, hashAlg);
    return refuse(() => s.sign(msg, sk, { context: ctx, extraEntropy: rnd }));
  },
  // noble's verify throws on malformed input (wrong lengths); FIPS 204 verification
  // simply returns false there, so a throw is a rejection, i.e. false.
  async verify(ps, pk, msg, sig, ctx) {
    return verdict(() => dsas[ps].verify(sig, msg, pk, { context: ctx }));
  },
  async verifyInternal(ps, pk, mPrime, sig) {
    return verdict(() => dsas[ps].internal.verify(sig, mPrime, pk));
  },
  async verifyMu(ps, pk, mu, sig) {
    return verdict(() => dsas[ps].internal.verify(sig, mu, pk, { externalMu: true }));
  },
  async verifyPreHash(ps, pk, msg, sig, hashAlg, ctx) {
    const s = signer(ps, hashAlg);
    return verdict(() => s.verify(sig, msg, pk, { context: ctx }));
  },
  async keygenRandom(ps) {
    return dsa.keygen(ps, randomBytes(32));
  },
};

function verdict(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

export function createNobleBackend(): Backend {
  const version = nobleVersion();
  const capabilities: Capabilities = {
    parameterSets: [...ALL_PARAMS],
    ops: [...ALL_OPS],
    preHash: Object.fromEntries(
      DSA_PARAMS.map((ps) => [ps, (Object.keys(hashes) as HashAlg[]).filter((h) => noblePreHashAllowed(ps, h))]),
    ),
  };
  return {
    describe: () => ({
      id: 'noble',
      name: '@noble/post-quantum',
      version,
      kind: 'js',
      notes: [
        'ML-KEM encapsulation-key check emulated: the key passes when encapsulate() accepts it (noble runs the FIPS 203 §7.2 modulus check there).',
        'ML-KEM decapsulation-key check emulated: the key passes when decapsulate() accepts it (noble runs the FIPS 203 §7.3 hash check there).',
        'HashML-DSA with a pre-hash weaker than the parameter set is refused by noble (policy); those cases are skipped.',
      ],
    }),
    capabilities: () => capabilities,
    kem,
    dsa,
  };
}
