// The property suite: noble passes every property on every set; for each
// property a mutant backend with exactly that defect fails that property and no
// other of its family (ML-KEM-512 / ML-DSA-44 for speed).

import { randomBytes } from 'node:crypto';
import { shake256 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';

import { createNobleBackend } from '../backends/noble.ts';
import { fnv1a32 } from '../model/bytes.ts';
import { equalBytes } from '../model/bytes.ts';
import type { Outcome } from '../model/case.ts';
import type { Backend } from '../model/contract.ts';
import { CrashError } from '../model/errors.ts';
import { DSA_PROPERTIES, KEM_PROPERTIES, checkProperty, propertyCases, propertySeed, propertySuite } from '../harness/suites/property.ts';

import { nobleWith as mutant } from './fixtures/mutants/wrap.ts';

const noble = createNobleBackend();
const nk = noble.kem!;
const nd = noble.dsa!;

function hamming(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Infinity;
  let n = 0;
  for (let i = 0; i < a.length; i++) for (let x = a[i]! ^ b[i]!; x; x &= x - 1) n++;
  return n;
}

function resize(b: Uint8Array, len: number): Uint8Array {
  const o = new Uint8Array(len);
  o.set(b.subarray(0, Math.min(len, b.length)));
  return o;
}

const KEM_MUTANTS: Record<string, () => Backend> = {
  'kem-roundtrip': () =>
    mutant('encaps-wrong-key', {
      async encaps(ps, ek, m) {
        const r = await nk.encaps(ps, ek, m);
        r.k[0]! ^= 1;
        return r;
      },
    }),
  'kem-implicit-rejection': () =>
    mutant('no-implicit-rejection', {
      async decaps(ps, dk, c) {
        const k = await nk.decaps(ps, dk, c);
        const j = shake256(Uint8Array.from([...dk.subarray(dk.length - 32), ...c]), { dkLen: 32 });
        return equalBytes(k, j) ? new Uint8Array(32) : k;
      },
    }),
  'kem-ciphertext-bitflip': () => {
    const made: { c: Uint8Array; k: Uint8Array }[] = [];
    return mutant('accepts-1-bit-off', {
      async encaps(ps, ek, m) {
        const r = await nk.encaps(ps, ek, m);
        made.push({ c: r.c.slice(), k: r.k.slice() });
        return r;
      },
      async decaps(ps, dk, c) {
        const hit = made.find((x) => hamming(x.c, c) === 1);
        return hit ? hit.k.slice() : nk.decaps(ps, dk, c);
      },
    });
  },
  'kem-wrong-length': () =>
    mutant('pads-wrong-lengths', {
      encaps: (ps, ek, m) => nk.encaps(ps, resize(ek, { 'ML-KEM-512': 800, 'ML-KEM-768': 1184, 'ML-KEM-1024': 1568 }[ps]), m),
      decaps: (ps, dk, c) => nk.decaps(ps, dk, resize(c, { 'ML-KEM-512': 768, 'ML-KEM-768': 1088, 'ML-KEM-1024': 1568 }[ps])),
      keygen: (ps, d, z) => nk.keygen(ps, resize(d, 32), resize(z, 32)),
    }),
  'kem-deterministic': () => // Still checks m's length (through noble), so only determinism is broken.
    mutant('encaps-ignores-m', { encaps: (ps, ek, m) => nk.encaps(ps, ek, m.length === 32 ? randomBytes(32) : m) }),
  'kem-no-mutation': () =>
    mutant('decaps-scribbles-on-c', {
      async decaps(ps, dk, c) {
        const k = await nk.decaps(ps, dk, c);
        if (c.length) c[0]! ^= 0xff;
        return k;
      },
    }),
};

const DSA_MUTANTS: Record<string, () => Backend> = {
  'dsa-signature-bitflip': () => {
    const made: { msg: Uint8Array; ctx: Uint8Array; sig: Uint8Array }[] = [];
    return mutant('accepts-flipped-sig-bit', {}, {
      async sign(ps, sk, msg, ctx, rnd) {
        const sig = await nd.sign(ps, sk, msg, ctx, rnd);
        made.push({ msg: msg.slice(), ctx: ctx.slice(), sig: sig.slice() });
        return sig;
      },
      async verify(ps, pk, msg, sig, ctx) {
        if (made.some((x) => equalBytes(x.msg, msg) && equalBytes(x.ctx, ctx) && hamming(x.sig, sig) === 1)) return true;
        return nd.verify(ps, pk, msg, sig, ctx);
      },
    });
  },
  'dsa-message-bitflip': () => {
    const made: { msg: Uint8Array; ctx: Uint8Array; sig: Uint8Array }[] = [];
    return mutant('accepts-flipped-msg-bit', {}, {
      async sign(ps, sk, msg, ctx, rnd) {
        const sig = await nd.sign(ps, sk, msg, ctx, rnd);
        made.push({ msg: msg.slice(), ctx: ctx.slice(), sig: sig.slice() });
        return sig;
      },
      async verify(ps, pk, msg, sig, ctx) {
        if (made.some((x) => equalBytes(x.sig, sig) && equalBytes(x.ctx, ctx) && hamming(x.msg, msg) === 1)) return true;
        return nd.verify(ps, pk, msg, sig, ctx);
      },
    });
  },
  'dsa-context-length': () =>
    mutant('truncates-long-context', {}, {
      sign: (ps, sk, msg, ctx, rnd) => nd.sign(ps, sk, msg, ctx.subarray(0, 255), rnd),
      verify: (ps, pk, msg, sig, ctx) => nd.verify(ps, pk, msg, sig, ctx.subarray(0, 255)),
    }),
  'dsa-wrong-length': () =>
    mutant('throws-on-bad-lengths', {}, {
      async verify(ps, pk, msg, sig, ctx) {
        if (pk.length !== { 'ML-DSA-44': 1312, 'ML-DSA-65': 1952, 'ML-DSA-87': 2592 }[ps]) throw new TypeError('pk length');
        if (sig.length !== { 'ML-DSA-44': 2420, 'ML-DSA-65': 3309, 'ML-DSA-87': 4627 }[ps]) throw new TypeError('sig length');
        return nd.verify(ps, pk, msg, sig, ctx);
      },
      sign: (ps, sk, msg, ctx, rnd) => nd.sign(ps, sk, msg, ctx, resize(rnd, 32)),
    }),
  'dsa-deterministic': () => mutant('sign-ignores-rnd', {}, { sign: (ps, sk, msg, ctx, rnd) => nd.sign(ps, sk, msg, ctx, rnd.length === 32 ? randomBytes(32) : rnd) }),
  'dsa-no-mutation': () =>
    mutant('sign-scribbles-on-sk', {}, {
      async sign(ps, sk, msg, ctx, rnd) {
        const sig = await nd.sign(ps, sk, msg, ctx, rnd);
        sk[0]! ^= 0xff;
        return sig;
      },
    }),
};

async function runFamily(b: Backend, ps: string): Promise<Record<string, Outcome>> {
  const out: Record<string, Outcome> = {};
  for (const c of propertyCases().filter((x) => x.parameterSet === ps)) out[c.family] = await c.run(b);
  return out;
}

describe('property suite', () => {
  it('makes one case per property × parameter set, with fixed recorded seeds', () => {
    expect(propertySuite.name).toBe('property');
    const cases = propertyCases();
    expect(cases).toHaveLength((KEM_PROPERTIES.length + DSA_PROPERTIES.length) * 3);
    const c = cases.find((x) => x.id === 'property/kem-implicit-rejection/ML-KEM-768')!;
    expect(c.requires).toEqual(['kem.keygen', 'kem.encaps', 'kem.decaps']);
    expect(c.inputs!()).toMatchObject({ seed: propertySeed(c.id) });
    // One seed per case, derived from its id alone (FNV-1a): distinct across the suite.
    expect(propertySeed(c.id)).toBe(fnv1a32(c.id) | 0);
    expect(new Set(cases.map((x) => propertySeed(x.id))).size).toBe(cases.length);
  });

  it('noble passes every property on every parameter set', { timeout: 300_000 }, async () => {
    const failing: string[] = [];
    for (const c of propertyCases()) {
      const r = await c.run(noble);
      if (r.status !== 'pass') failing.push(`${c.id}: ${JSON.stringify(r)}`);
    }
    expect(failing).toEqual([]);
  });

  for (const [prop, make] of Object.entries(KEM_MUTANTS)) {
    it(`a KEM mutant fails exactly ${prop}`, async () => {
      const res = await runFamily(make(), 'ML-KEM-512');
      const failed = Object.entries(res).filter(([, r]) => r.status !== 'pass').map(([k]) => k);
      expect(failed).toEqual([prop]);
      const r = res[prop]!;
      if (r.status === 'fail') {
        expect(r.reason).toContain(`property ${prop} failed on ML-KEM-512`);
        expect(r.reason).toMatch(/Reproduce: seed -?\d+, path "[\d:]*"/);
        expect(r.got).toHaveProperty('counterexample');
      }
    });
  }

  for (const [prop, make] of Object.entries(DSA_MUTANTS)) {
    it(`a DSA mutant fails exactly ${prop}`, { timeout: 300_000 }, async () => {
      const res = await runFamily(make(), 'ML-DSA-44');
      const failed = Object.entries(res).filter(([, r]) => r.status !== 'pass').map(([k]) => k);
      expect(failed).toEqual([prop]);
    });
  }

  it('the failure reproduces from the recorded seed and path', async () => {
    const def = KEM_PROPERTIES.find((p) => p.name === 'kem-implicit-rejection')!;
    const b = KEM_MUTANTS['kem-implicit-rejection']!();
    const first = await checkProperty(def.name, 'ML-KEM-512', def.make(b, 'ML-KEM-512'), { seed: 42, numRuns: 25 });
    expect(first.status).toBe('fail');
    if (first.status !== 'fail') return;
    const again = await checkProperty(def.name, 'ML-KEM-512', def.make(b, 'ML-KEM-512'), { seed: Number(first.got!.seed), numRuns: 25, path: String(first.got!.path) });
    expect(again.status).toBe('fail');
    if (again.status === 'fail') expect(again.got!.counterexample).toBe(first.got!.counterexample);
  });

  it('a backend crash is not a property verdict: the CrashError reaches the runner, with the property, seed and path', async () => {
    const b = mutant('crashes', { decaps: async () => { throw new CrashError('child died', 'SIGSEGV', null, 'segfault'); } });
    const c = propertyCases().find((x) => x.id === 'property/kem-roundtrip/ML-KEM-512')!;
    const e = await c.run(b).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(CrashError);
    expect((e as CrashError).signal).toBe('SIGSEGV');
    expect((e as CrashError).stderr).toBe('segfault');
    expect((e as CrashError).message).toMatch(/property kem-roundtrip on ML-KEM-512, seed -?\d+, path "/);
  });

  it('a backend without ML-KEM makes the case skip (UnsupportedError), not fail', async () => {
    const noKem: Backend = { ...noble, kem: undefined };
    const c = propertyCases().find((x) => x.id === 'property/kem-roundtrip/ML-KEM-512')!;
    await expect(c.run(noKem)).rejects.toThrow(/has no ML-KEM API/);
  });
});
