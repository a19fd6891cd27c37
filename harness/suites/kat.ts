// NIST KAT hashes: the first entry (count = 0) of the NIST PQC `.rsp` KAT file
// for ML-KEM-768 and ML-DSA-65, rebuilt through the backend contract and hashed
// with SHA-256, compared with the hash liboqs (tests/KATs/{kem,sig}/kats.json,
// key "single") and PQClean publish.
//
// The procedure is liboqs 0.13.0 tests/kat_kem.c and tests/kat_sig.c:
//   drbg.init(0x00..0x2f)                     (48 bytes, no personalization)
//   "count = 0"; seed = drbg(48)
//   [sig only] "mlen = 33"; msg = drbg(33)    (drawn from the outer DRBG)
//   drbg.init(seed)
//   KEM: keypair draws d‖z = drbg(64) in ONE call (mlkem-native kem.c:
//        randombytes(coins, 2*32)); encaps draws m = drbg(32).
//   SIG: keypair draws xi = drbg(32); sign draws rnd = drbg(32) because
//        liboqs builds ML-DSA with DILITHIUM_RANDOMIZED_SIGNING (config.h);
//        pure ML-DSA with an empty context; sm = sig ‖ msg.
// Every value is printed as `name = HEX` (upper case) and a newline; there is no
// blank line after the last (only) entry. Call boundaries matter: each
// randombytes() call ends with a DRBG update, so drbg(64) != drbg(32)‖drbg(32).

import { ecb } from '@noble/ciphers/aes.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../model/bytes.ts';
import type { Case, Outcome } from '../../model/case.ts';
import { dsaApi, kemApi, type Backend } from '../../model/contract.ts';
import type { DsaParam, KemParam } from '../../model/params.ts';

/**
 * NIST SP 800-90A CTR_DRBG with AES-256, no derivation function, as in the NIST
 * PQC KAT generator (rng.c) and liboqs rand_nist.c. AES is @noble/ciphers.
 */
export class NistKatDrbg {
  private key = new Uint8Array(32);
  private v = new Uint8Array(16);
  reseedCounter = 0;

  constructor(entropy: Uint8Array, personalization?: Uint8Array) {
    if (entropy.length !== 48) throw new Error(`NIST KAT DRBG: entropy must be 48 bytes, got ${entropy.length}`);
    const material = Uint8Array.from(entropy);
    if (personalization) {
      if (personalization.length !== 48) throw new Error('NIST KAT DRBG: personalization must be 48 bytes');
      for (let i = 0; i < 48; i++) material[i]! ^= personalization[i]!;
    }
    this.update(material);
    this.reseedCounter = 1;
  }

  private block(): Uint8Array {
    // V = V + 1 (128-bit big endian), then one AES-256 block of V.
    for (let j = 15; j >= 0; j--) {
      if (this.v[j] === 0xff) this.v[j] = 0;
      else {
        this.v[j]!++;
        break;
      }
    }
    return ecb(this.key, { disablePadding: true }).encrypt(this.v);
  }

  private update(provided: Uint8Array | null): void {
    const temp = new Uint8Array(48);
    for (let i = 0; i < 3; i++) temp.set(this.block(), 16 * i);
    if (provided) for (let i = 0; i < 48; i++) temp[i]! ^= provided[i]!;
    this.key = temp.slice(0, 32);
    this.v = temp.slice(32, 48);
  }

  /** One `randombytes(x, n)` call. */
  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 16) out.set(this.block().subarray(0, Math.min(16, n - i)), i);
    this.update(null);
    this.reseedCounter++;
    return out;
  }
}

const KAT_ENTROPY = Uint8Array.from({ length: 48 }, (_, i) => i);

function line(name: string, b: Uint8Array): string {
  return `${name} = ${b.length === 0 ? '00' : toHex(b).toUpperCase()}\n`;
}

/** The count-0 `.rsp` entry for an ML-KEM set, made through the contract. */
export async function kemKatEntry(b: Backend, ps: KemParam): Promise<string> {
  const api = kemApi(b);
  const outer = new NistKatDrbg(KAT_ENTROPY);
  const seed = outer.randomBytes(48);
  const drbg = new NistKatDrbg(seed);
  const coins = drbg.randomBytes(64);
  const { ek, dk } = await api.keygen(ps, coins.slice(0, 32), coins.slice(32, 64));
  const m = drbg.randomBytes(32);
  const { c, k } = await api.encaps(ps, ek, m);
  return `count = 0\n${line('seed', seed)}${line('pk', ek)}${line('sk', dk)}${line('ct', c)}${line('ss', k)}`;
}

/** The count-0 `.rsp` entry for an ML-DSA set, made through the contract. */
export async function dsaKatEntry(b: Backend, ps: DsaParam): Promise<string> {
  const api = dsaApi(b);
  const outer = new NistKatDrbg(KAT_ENTROPY);
  const seed = outer.randomBytes(48);
  const msg = outer.randomBytes(33);
  const drbg = new NistKatDrbg(seed);
  const xi = drbg.randomBytes(32);
  const { pk, sk } = await api.keygen(ps, xi);
  const rnd = drbg.randomBytes(32);
  const sig = await api.sign(ps, sk, msg, new Uint8Array(0), rnd);
  const sm = new Uint8Array(sig.length + msg.length);
  sm.set(sig);
  sm.set(msg, sig.length);
  return `count = 0\n${line('seed', seed)}mlen = ${msg.length}\n${line('msg', msg)}${line('pk', pk)}${line('sk', sk)}smlen = ${sm.length}\n${line('sm', sm)}`;
}

export function sha256Hex(s: string): string {
  return toHex(sha256(new TextEncoder().encode(s)));
}

/** liboqs 0.13.0 tests/KATs/{kem,sig}/kats.json "single"; PQClean publishes the same values. */
export const KAT_SHA256 = {
  'ML-KEM-768': '5352539586b6c3df58be6158a6250aeff402bd73060b0a3de68850ac074c17c3',
  'ML-DSA-65': '7cb96242eac9907a55b5c84c202f0ebd552419c50b2e986dc2e28f07ecebf072',
} as const;

function judge(ps: string, entry: string, want: string): Outcome {
  const got = sha256Hex(entry);
  if (got === want) return { status: 'pass', note: `SHA-256 of the count-0 entry: ${got}` };
  return {
    status: 'fail',
    reason: `${ps}: SHA-256 of the count-0 NIST KAT entry differs`,
    expected: { sha256: want },
    got: { sha256: got, entry: entry.length > 4000 ? entry.slice(0, 4000) + '…' : entry },
  };
}

/** The `nist-kat` family; part of the accumulated suite. */
export function katCases(): Case[] {
  return [
    {
      id: 'accumulated/nist-kat/ML-KEM-768',
      suite: 'accumulated',
      family: 'nist-kat',
      parameterSet: 'ML-KEM-768',
      op: 'kem.encaps',
      source: null,
      requires: ['kem.keygen', 'kem.encaps'],
      run: async (b) => judge('ML-KEM-768', await kemKatEntry(b, 'ML-KEM-768'), KAT_SHA256['ML-KEM-768']),
    },
    {
      id: 'accumulated/nist-kat/ML-DSA-65',
      suite: 'accumulated',
      family: 'nist-kat',
      parameterSet: 'ML-DSA-65',
      op: 'dsa.sign',
      source: null,
      requires: ['dsa.keygen', 'dsa.sign'],
      run: async (b) => judge('ML-DSA-65', await dsaKatEntry(b, 'ML-DSA-65'), KAT_SHA256['ML-DSA-65']),
    },
  ];
}
