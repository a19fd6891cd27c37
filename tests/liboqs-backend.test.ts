// The liboqs backend against the official ACVP files, plus the adapter's own
// promises: randomness hook restored, lengths checked before C, unsupported
// operations reported as such. These tests FAIL (never skip) when liboqs has
// not been built: `npm run setup` builds it.

import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RejectedError, UnsupportedError } from '../model/contract.ts';
import { DSA, KEM, isDsaParam, isKemParam, type DsaParam, type KemParam } from '../model/params.ts';
import { layoutForVersion, openLiboqsBackend, resolveLiboqsPath, type LiboqsBackend } from '../backends/liboqs.ts';
import { readVectorJson } from './vector-json.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

// --- ACVP reading (straight from the files; no shared loader on purpose) ----

interface AcvpFile<G> { algorithm: string; mode: string; revision: string; testGroups: G[] }


function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex').toUpperCase();
}
/** A test list that is never empty: green on nothing is a failure. */
function nonEmpty<T>(what: string, xs: T[]): T[] {
  if (xs.length === 0) throw new Error(`${what}: zero cases`);
  return xs;
}

type KemKeyGenGroup = { tgId: number; parameterSet: string; tests: { tcId: number; d: string; z: string; ek: string; dk: string }[] };
type EncapDecapGroup = {
  tgId: number;
  parameterSet: string;
  function: 'encapsulation' | 'decapsulation' | 'encapsulationKeyCheck' | 'decapsulationKeyCheck';
  tests: { tcId: number; ek: string; dk: string; c?: string; k?: string; m?: string; testPassed?: boolean; reason?: string }[];
};
type DsaKeyGenGroup = { tgId: number; parameterSet: string; tests: { tcId: number; seed: string; pk: string; sk: string }[] };
type SigGenGroup = {
  tgId: number;
  parameterSet: string;
  deterministic: boolean;
  signatureInterface: 'external' | 'internal';
  preHash?: 'pure' | 'preHash';
  externalMu?: boolean;
  tests: { tcId: number; message?: string; sk: string; context?: string; rnd?: string; mu?: string; hashAlg?: string }[];
};
type SigGenExpected = { testGroups: { tgId: number; tests: { tcId: number; signature: string }[] }[] };

function kemPs(s: string): KemParam {
  if (!isKemParam(s)) throw new Error(`unexpected ML-KEM parameter set ${s}`);
  return s;
}
function dsaPs(s: string): DsaParam {
  if (!isDsaParam(s)) throw new Error(`unexpected ML-DSA parameter set ${s}`);
  return s;
}

const kemKeyGen = readVectorJson<AcvpFile<KemKeyGenGroup>>('acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json');
const encapDecap = readVectorJson<AcvpFile<EncapDecapGroup>>('acvp-server/ML-KEM-encapDecap-FIPS203/internalProjection.json');
const dsaKeyGen = readVectorJson<AcvpFile<DsaKeyGenGroup>>('acvp-server/ML-DSA-keyGen-FIPS204/internalProjection.json');
const sigGenPrompt = readVectorJson<AcvpFile<SigGenGroup>>('acvp-server/ML-DSA-sigGen-FIPS204/prompt.json.gz');
const sigGenExpected = readVectorJson<SigGenExpected>('acvp-server/ML-DSA-sigGen-FIPS204/expectedResults.json');

const kemKeyGenCases = nonEmpty(
  'ML-KEM keyGen',
  kemKeyGen.testGroups.flatMap((g) => g.tests.map((t) => ({ ps: kemPs(g.parameterSet), tgId: g.tgId, ...t }))),
);
function encapDecapCases(fn: EncapDecapGroup['function']) {
  return nonEmpty(
    `ML-KEM encapDecap ${fn}`,
    encapDecap.testGroups.filter((g) => g.function === fn).flatMap((g) => g.tests.map((t) => ({ ps: kemPs(g.parameterSet), tgId: g.tgId, ...t }))),
  );
}
const dsaKeyGenCases = nonEmpty(
  'ML-DSA keyGen',
  dsaKeyGen.testGroups.flatMap((g) => g.tests.map((t) => ({ ps: dsaPs(g.parameterSet), tgId: g.tgId, ...t }))),
);

/** External, pure sigGen cases joined with their expected signatures (tgId, then tcId). */
function sigGenCases(deterministic: boolean) {
  const expected = new Map<string, string>();
  for (const g of sigGenExpected.testGroups) for (const t of g.tests) expected.set(`${g.tgId}/${t.tcId}`, t.signature);
  return nonEmpty(
    `ML-DSA sigGen external pure deterministic=${deterministic}`,
    sigGenPrompt.testGroups
      .filter((g) => g.signatureInterface === 'external' && g.preHash === 'pure' && g.deterministic === deterministic)
      .flatMap((g) =>
        g.tests.map((t) => {
          const sig = expected.get(`${g.tgId}/${t.tcId}`);
          if (sig === undefined) throw new Error(`sigGen tgId ${g.tgId} tcId ${t.tcId}: no expected result`);
          if (t.message === undefined || t.context === undefined) throw new Error(`sigGen tcId ${t.tcId}: no message/context`);
          const rnd = deterministic ? '00'.repeat(32) : t.rnd;
          if (rnd === undefined) throw new Error(`sigGen tcId ${t.tcId}: randomized case without rnd`);
          return { ps: dsaPs(g.parameterSet), tgId: g.tgId, tcId: t.tcId, sk: t.sk, message: t.message, context: t.context, rnd, signature: sig };
        }),
      ),
  );
}

// --- the backend under test -------------------------------------------------

// No skip: a missing library must be a failure of every test below, with the
// reason (vitest would only mark the tests skipped if beforeAll threw).
let opened: LiboqsBackend | undefined;
let openError: unknown;
beforeAll(async () => {
  try {
    opened = await openLiboqsBackend({});
  } catch (e) {
    openError = e;
  }
});
afterAll(async () => {
  await opened?.close?.();
});
function backend(): LiboqsBackend {
  if (opened) return opened;
  throw openError instanceof Error ? openError : new Error(`liboqs backend did not open: ${String(openError)}`);
}

describe('liboqs backend: identity and capabilities', () => {
  it('describes the library it loaded', () => {
    const info = backend().describe();
    expect(info.id).toBe('liboqs');
    expect(info.name).toBe('liboqs');
    expect(info.kind).toBe('liboqs');
    expect(info.version).toMatch(/^0\.13\./);
    const path = resolveLiboqsPath({});
    expect(info.library?.path).toBe(path);
    expect(info.library?.sha256).toBe(createHash('sha256').update(readFileSync(realpathSync(path))).digest('hex'));
    expect(info.notes?.some((n) => n.includes('emulated'))).toBe(true);
  });

  it('declares the six sets and only the public operations', () => {
    const caps = backend().capabilities();
    expect([...caps.parameterSets].sort()).toEqual(['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'ML-KEM-1024', 'ML-KEM-512', 'ML-KEM-768']);
    for (const op of ['kem.keygen', 'kem.encaps', 'kem.decaps', 'kem.keygenRandom', 'kem.encapsRandom', 'dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom'] as const) {
      expect(caps.ops).toContain(op);
    }
    // liboqs 0.13's encaps/decaps reject bad keys (measured at open), so the checks are declared.
    expect(caps.ops).toContain('kem.checkEncapsKey');
    expect(caps.ops).toContain('kem.checkDecapsKey');
    for (const op of ['dsa.signInternal', 'dsa.verifyInternal', 'dsa.signMu', 'dsa.verifyMu', 'dsa.signPreHash', 'dsa.verifyPreHash'] as const) {
      expect(caps.ops).not.toContain(op);
    }
  });

  it('refuses a missing library with a message that says what to do', async () => {
    await expect(openLiboqsBackend({ library: join(REPO, 'build', 'no-such-liboqs.so') })).rejects.toThrow(/npm run setup|PQC_LIBOQS/);
  });

  it('chooses the struct layout from the version', () => {
    expect(layoutForVersion('0.13.0').kem.size).toBe(96);
    expect(layoutForVersion('0.14.1-dev').kem.size).toBe(96);
    expect(layoutForVersion('0.15.0').kem.size).toBe(112);
    expect(() => layoutForVersion('0.12.0')).toThrow(/too old/);
    expect(() => layoutForVersion('garbage')).toThrow(/parse/);
  });
});

describe('ML-KEM keyGen (ACVP ML-KEM-keyGen-FIPS203)', () => {
  it.each(kemKeyGenCases.map((c) => [`${c.ps} tcId ${c.tcId}`, c] as const))('%s', async (_n, c) => {
    const { ek, dk } = await backend().kem!.keygen(c.ps, hex(c.d), hex(c.z));
    expect(toHex(ek)).toBe(c.ek.toUpperCase());
    expect(toHex(dk)).toBe(c.dk.toUpperCase());
  });
});

describe('ML-KEM encapDecap (ACVP ML-KEM-encapDecap-FIPS203)', () => {
  it.each(encapDecapCases('encapsulation').map((c) => [`encapsulation ${c.ps} tcId ${c.tcId}`, c] as const))('%s', async (_n, c) => {
    const r = await backend().kem!.encaps(c.ps, hex(c.ek), hex(c.m!));
    expect(toHex(r.c)).toBe(c.c!.toUpperCase());
    expect(toHex(r.k)).toBe(c.k!.toUpperCase());
  });

  it.each(encapDecapCases('decapsulation').map((c) => [`decapsulation ${c.ps} tcId ${c.tcId} (${c.reason})`, c] as const))('%s', async (_n, c) => {
    const k = await backend().kem!.decaps(c.ps, hex(c.dk), hex(c.c!));
    expect(toHex(k)).toBe(c.k!.toUpperCase());
  });

  it.each(encapDecapCases('encapsulationKeyCheck').map((c) => [`encapsulationKeyCheck ${c.ps} tcId ${c.tcId} (${c.reason?.trim()})`, c] as const))(
    '%s',
    async (_n, c) => {
      expect(await backend().kem!.checkEncapsKey(c.ps, hex(c.ek))).toBe(c.testPassed);
    },
  );

  it.each(encapDecapCases('decapsulationKeyCheck').map((c) => [`decapsulationKeyCheck ${c.ps} tcId ${c.tcId} (${c.reason?.trim()})`, c] as const))(
    '%s',
    async (_n, c) => {
      expect(await backend().kem!.checkDecapsKey(c.ps, hex(c.dk))).toBe(c.testPassed);
    },
  );
});

describe('ML-DSA keyGen (ACVP ML-DSA-keyGen-FIPS204, xi through the randomness hook)', () => {
  it.each(dsaKeyGenCases.map((c) => [`${c.ps} tcId ${c.tcId}`, c] as const))('%s', async (_n, c) => {
    const { pk, sk } = await backend().dsa!.keygen(c.ps, hex(c.seed));
    expect(toHex(pk)).toBe(c.pk.toUpperCase());
    expect(toHex(sk)).toBe(c.sk.toUpperCase());
  });
});

describe('ML-DSA sigGen external pure (ACVP ML-DSA-sigGen-FIPS204)', () => {
  const det = sigGenCases(true);
  // A few per parameter set: 5 of each deterministic group.
  const detSome = det.filter((c, i) => det.findIndex((d) => d.tgId === c.tgId) + 5 > i);
  it.each(detSome.map((c) => [`deterministic ${c.ps} tgId ${c.tgId} tcId ${c.tcId}`, c] as const))('%s', async (_n, c) => {
    const sig = await backend().dsa!.sign(c.ps, hex(c.sk), hex(c.message), hex(c.context), hex(c.rnd));
    expect(toHex(sig)).toBe(c.signature.toUpperCase());
  });

  const rnd = sigGenCases(false);
  const rndSome = rnd.filter((c, i) => rnd.findIndex((d) => d.tgId === c.tgId) + 3 > i);
  it.each(rndSome.map((c) => [`hedged ${c.ps} tgId ${c.tgId} tcId ${c.tcId}`, c] as const))('%s', async (_n, c) => {
    const sig = await backend().dsa!.sign(c.ps, hex(c.sk), hex(c.message), hex(c.context), hex(c.rnd));
    expect(toHex(sig)).toBe(c.signature.toUpperCase());
  });

  it('signs and verifies its own signatures, and rejects a changed message or context', async () => {
    for (const ps of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
      const { pk, sk } = await backend().dsa!.keygen(ps, new Uint8Array(32).fill(9));
      const msg = new TextEncoder().encode('pqc-harness');
      const ctx = new Uint8Array([1, 2, 3]);
      const sig = await backend().dsa!.sign(ps, sk, msg, ctx, new Uint8Array(32));
      expect(sig.length).toBe(DSA[ps].sig);
      expect(await backend().dsa!.verify(ps, pk, msg, sig, ctx)).toBe(true);
      expect(await backend().dsa!.verify(ps, pk, msg, sig, new Uint8Array([1, 2]))).toBe(false);
      expect(await backend().dsa!.verify(ps, pk, new Uint8Array([0]), sig, ctx)).toBe(false);
      expect(await backend().dsa!.verify(ps, pk, msg, sig.subarray(0, sig.length - 1), ctx)).toBe(false);
      // Empty message and empty context are fine.
      const sig0 = await backend().dsa!.sign(ps, sk, new Uint8Array(0), new Uint8Array(0), new Uint8Array(32));
      expect(await backend().dsa!.verify(ps, pk, new Uint8Array(0), sig0, new Uint8Array(0))).toBe(true);
    }
  });

  it('context length: 255 signs, 256 is rejected before C; verify with 256 is false', async () => {
    const ps = 'ML-DSA-44';
    const { pk, sk } = await backend().dsa!.keygen(ps, new Uint8Array(32).fill(1));
    const sig = await backend().dsa!.sign(ps, sk, new Uint8Array([7]), new Uint8Array(255).fill(0x55), new Uint8Array(32));
    expect(await backend().dsa!.verify(ps, pk, new Uint8Array([7]), sig, new Uint8Array(255).fill(0x55))).toBe(true);
    const before = backend().nativeCalls();
    await expect(backend().dsa!.sign(ps, sk, new Uint8Array([7]), new Uint8Array(256), new Uint8Array(32))).rejects.toBeInstanceOf(RejectedError);
    expect(backend().nativeCalls()).toBe(before);
    expect(await backend().dsa!.verify(ps, pk, new Uint8Array([7]), sig, new Uint8Array(256))).toBe(false);
  });
});

describe('randomness hook', () => {
  it('is restored after deterministic calls: randomized keygens differ', async () => {
    await backend().kem!.encaps('ML-KEM-768', (await backend().kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32))).ek, new Uint8Array(32));
    const a = await backend().kem!.keygenRandom!('ML-KEM-768');
    const c = await backend().kem!.keygenRandom!('ML-KEM-768');
    expect(toHex(a.ek)).not.toBe(toHex(c.ek));

    await backend().dsa!.keygen('ML-DSA-65', new Uint8Array(32));
    const x = await backend().dsa!.keygenRandom!('ML-DSA-65');
    const y = await backend().dsa!.keygenRandom!('ML-DSA-65');
    expect(toHex(x.pk)).not.toBe(toHex(y.pk));
    // Not the all-zero-seed key either (the hook's last value is gone).
    const z = await backend().dsa!.keygen('ML-DSA-65', new Uint8Array(32));
    expect(toHex(x.pk)).not.toBe(toHex(z.pk));
  });

  it('is restored after a call liboqs rejects', async () => {
    const { ek } = await backend().kem!.keygen('ML-KEM-512', new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    const bad = ek.slice();
    bad[0] = 0xff;
    bad[1] = bad[1]! | 0x0f; // first coefficient 0xFFF >= q
    await expect(backend().kem!.encaps('ML-KEM-512', bad, new Uint8Array(32))).rejects.toBeInstanceOf(RejectedError);
    const r1 = await backend().kem!.encapsRandom!('ML-KEM-512', ek);
    const r2 = await backend().kem!.encapsRandom!('ML-KEM-512', ek);
    expect(toHex(r1.c)).not.toBe(toHex(r2.c));
  });

  it('randomized operations round-trip', async () => {
    for (const ps of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as const) {
      const { ek, dk } = await backend().kem!.keygenRandom!(ps);
      const { c, k } = await backend().kem!.encapsRandom!(ps, ek);
      expect(toHex(await backend().kem!.decaps(ps, dk, c))).toBe(toHex(k));
    }
  });

  it('serializes concurrent callers (the hook is process-global)', async () => {
    const ps = 'ML-KEM-768';
    const { ek } = await backend().kem!.keygen(ps, new Uint8Array(32).fill(3), new Uint8Array(32).fill(4));
    const ms = Array.from({ length: 24 }, (_, i) => new Uint8Array(32).fill(i));
    const seq: string[] = [];
    for (const m of ms) seq.push(toHex((await backend().kem!.encaps(ps, ek, m)).k));
    const par = await Promise.all(ms.map((m) => backend().kem!.encaps(ps, ek, m)));
    expect(par.map((r) => toHex(r.k))).toEqual(seq);
  });
});

describe('bad input', () => {
  it('wrong lengths are rejected before any C call', async () => {
    const before = backend().nativeCalls();
    const calls: [string, () => Promise<unknown>][] = [];
    for (const ps of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as const) {
      const s = KEM[ps];
      calls.push(
        [`${ps} keygen d`, () => backend().kem!.keygen(ps, new Uint8Array(31), new Uint8Array(32))],
        [`${ps} keygen z`, () => backend().kem!.keygen(ps, new Uint8Array(32), new Uint8Array(33))],
        [`${ps} encaps ek`, () => backend().kem!.encaps(ps, new Uint8Array(s.ek - 1), new Uint8Array(32))],
        [`${ps} encaps m`, () => backend().kem!.encaps(ps, new Uint8Array(s.ek), new Uint8Array(31))],
        [`${ps} decaps dk`, () => backend().kem!.decaps(ps, new Uint8Array(s.dk - 1), new Uint8Array(s.c))],
        [`${ps} decaps c`, () => backend().kem!.decaps(ps, new Uint8Array(s.dk), new Uint8Array(s.c + 1))],
        [`${ps} encapsRandom ek`, () => backend().kem!.encapsRandom!(ps, new Uint8Array(0))],
      );
    }
    for (const ps of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
      const s = DSA[ps];
      calls.push(
        [`${ps} keygen xi`, () => backend().dsa!.keygen(ps, new Uint8Array(16))],
        [`${ps} sign sk`, () => backend().dsa!.sign(ps, new Uint8Array(s.sk - 1), new Uint8Array(1), new Uint8Array(0), new Uint8Array(32))],
        [`${ps} sign rnd`, () => backend().dsa!.sign(ps, new Uint8Array(s.sk), new Uint8Array(1), new Uint8Array(0), new Uint8Array(31))],
        [`${ps} verify pk`, () => backend().dsa!.verify(ps, new Uint8Array(s.pk + 1), new Uint8Array(1), new Uint8Array(s.sig), new Uint8Array(0))],
      );
    }
    for (const [name, call] of calls) {
      await expect(call(), name).rejects.toBeInstanceOf(RejectedError);
    }
    expect(backend().nativeCalls()).toBe(before);
  });

  it('key checks of a wrong-length key are false, without C', async () => {
    const before = backend().nativeCalls();
    expect(await backend().kem!.checkEncapsKey('ML-KEM-768', new Uint8Array(KEM['ML-KEM-768'].ek - 1))).toBe(false);
    expect(await backend().kem!.checkDecapsKey('ML-KEM-768', new Uint8Array(KEM['ML-KEM-768'].dk + 1))).toBe(false);
    expect(backend().nativeCalls()).toBe(before);
  });

  it('decaps with a modified H(ek) in dk is rejected by liboqs', async () => {
    for (const ps of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as const) {
      const { ek, dk } = await backend().kem!.keygen(ps, new Uint8Array(32).fill(5), new Uint8Array(32).fill(6));
      const { c } = await backend().kem!.encaps(ps, ek, new Uint8Array(32).fill(8));
      const bad = dk.slice();
      bad[bad.length - 64] = bad[bad.length - 64]! ^ 0x80;
      await expect(backend().kem!.decaps(ps, bad, c)).rejects.toBeInstanceOf(RejectedError);
      expect(await backend().kem!.checkDecapsKey(ps, bad)).toBe(false);
      expect(await backend().kem!.checkDecapsKey(ps, dk)).toBe(true);
    }
  });

  it('unsupported ML-DSA variants throw UnsupportedError with a reason', async () => {
    const ps = 'ML-DSA-65';
    const s = DSA[ps];
    const sk = new Uint8Array(s.sk);
    const pk = new Uint8Array(s.pk);
    const sig = new Uint8Array(s.sig);
    const r32 = new Uint8Array(32);
    const checks: Promise<unknown>[] = [
      backend().dsa!.signInternal(ps, sk, new Uint8Array(3), r32),
      backend().dsa!.verifyInternal(ps, pk, new Uint8Array(3), sig),
      backend().dsa!.signMu(ps, sk, new Uint8Array(64), r32),
      backend().dsa!.verifyMu(ps, pk, new Uint8Array(64), sig),
      backend().dsa!.signPreHash(ps, sk, new Uint8Array(3), 'SHA2-512', new Uint8Array(0), r32),
      backend().dsa!.verifyPreHash(ps, pk, new Uint8Array(3), sig, 'SHA2-512', new Uint8Array(0)),
    ];
    for (const p of checks) {
      await expect(p).rejects.toBeInstanceOf(UnsupportedError);
      await expect(p).rejects.toThrow(/liboqs 0\.13/);
    }
  });
});

describe('opening liboqs twice in one process', () => {
  it('works (koffi type names are process-global) and both handles agree', async () => {
    const a = await openLiboqsBackend({});
    const b = await openLiboqsBackend({});
    const d = new Uint8Array(32).fill(1);
    const z = new Uint8Array(32).fill(2);
    const ka = await a.kem!.keygen('ML-KEM-768', d, z);
    const kb = await b.kem!.keygen('ML-KEM-768', d, z);
    expect(Buffer.from(kb.ek).equals(Buffer.from(ka.ek))).toBe(true);
    await a.close?.();
    await b.close?.();
  });
});
