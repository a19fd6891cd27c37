// The `python` backend end to end: TypeScript → module-wrapper protocol →
// backends/python/pqc_bridge.py (ctypes) → libpqc_native's JSON ABI (Rust).
// Answers are checked against noble and against the ACVP files through the
// runner. These tests FAIL (never skip) when the library has not been built:
// `npm run setup` builds it.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RejectedError, UnsupportedError, type Backend } from '../model/contract.ts';
import { runConformance } from '../harness/runner.ts';
import { openPythonBackend, pythonArgv } from '../backends/python.ts';
import { createNobleBackend } from '../backends/noble.ts';
import { parseSpec } from '../backends/registry.ts';
import { chooseHost } from '../harness/hosts/index.ts';

const LIB = fileURLToPath(new URL('../target/release/libpqc_native.so', import.meta.url));
const bytes = (n: number, fill = 0): Uint8Array => new Uint8Array(n).fill(fill);
const seq = (n: number, start = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
/** Hex of every byte array in a value (responses are views into a frame; compare contents, not classes). */
const hx = (v: unknown): unknown =>
  v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hx(x)])) : v;

describe('python backend (ctypes bridge over the JSON ABI)', () => {
  let py: Backend;
  const noble = createNobleBackend();

  beforeAll(async () => {
    expect(existsSync(LIB), `${LIB} missing: run \`npm run setup\``).toBe(true);
    py = await openPythonBackend();
  });
  afterAll(async () => {
    await py?.close?.();
  });

  it('describes itself and declares exactly what the JSON ABI covers', () => {
    const d = py.describe();
    expect(d).toMatchObject({ id: 'python', kind: 'python' });
    expect(d.version).toMatch(/^pqc-native .* via Python 3\.\d+/);
    expect(d.library?.path).toBe(LIB);
    expect(d.library?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(py.capabilities()).toEqual({
      parameterSets: ['ML-KEM-768', 'ML-DSA-65'],
      ops: ['kem.encaps', 'kem.decaps', 'kem.keygenRandom', 'dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom'],
    });
  });

  it('is its own process: the child host opens it directly (a crash stays a crash)', () => {
    expect(parseSpec('python').kind.ownProcess).toBe(true);
    expect(parseSpec('python-seedbug').kind.ownProcess).toBe(true);
    expect(chooseHost(parseSpec('python'), 'auto')).toBe('child');
    expect(pythonArgv({ python: '/usr/bin/python3' })).toEqual(['/usr/bin/python3', '-u', expect.stringMatching(/backends\/python\/pqc_bridge\.py$/)]);
  });

  it('ML-KEM-768 agrees with noble: random keys, encaps with a given m, decaps, implicit rejection', async () => {
    const { ek, dk } = await py.kem!.keygenRandom!('ML-KEM-768');
    expect([ek.length, dk.length]).toEqual([1184, 2400]);
    const m = seq(32, 9);
    const mine = await py.kem!.encaps('ML-KEM-768', ek, m);
    expect(hx(mine)).toEqual(hx(await noble.kem!.encaps('ML-KEM-768', ek, m)));
    expect(hx(await py.kem!.decaps('ML-KEM-768', dk, mine.c))).toEqual(hx(mine.k));
    const bad = mine.c.slice();
    bad[0]! ^= 1;
    expect(hx(await py.kem!.decaps('ML-KEM-768', dk, bad))).toEqual(hx(await noble.kem!.decaps('ML-KEM-768', dk, bad)));
  });

  it('ML-DSA-65 agrees with noble: keygen from a seed, deterministic and hedged signing with a context, verify', async () => {
    const xi = seq(32, 1);
    const kp = await py.dsa!.keygen('ML-DSA-65', xi);
    expect(hx(kp)).toEqual(hx(await noble.dsa!.keygen('ML-DSA-65', xi)));
    const msg = seq(100, 3);
    const ctx = seq(7, 200);
    const sig = await py.dsa!.sign('ML-DSA-65', kp.sk, msg, ctx, bytes(32));
    expect(hx(sig)).toEqual(hx(await noble.dsa!.sign('ML-DSA-65', kp.sk, msg, ctx, bytes(32))));
    const hedged = await py.dsa!.sign('ML-DSA-65', kp.sk, msg, ctx, seq(32, 77));
    expect(hx(hedged)).toEqual(hx(await noble.dsa!.sign('ML-DSA-65', kp.sk, msg, ctx, seq(32, 77))));
    expect(await py.dsa!.verify('ML-DSA-65', kp.pk, msg, sig, ctx)).toBe(true);
    expect(await py.dsa!.verify('ML-DSA-65', kp.pk, msg, sig, bytes(0))).toBe(false);
    const flipped = sig.slice();
    flipped[10]! ^= 1;
    expect(await py.dsa!.verify('ML-DSA-65', kp.pk, msg, flipped, ctx)).toBe(false);
    const r = await py.dsa!.keygenRandom!('ML-DSA-65');
    expect([r.pk.length, r.sk.length]).toEqual([1952, 4032]);
  });

  it('library errors come back as rejections, other parameter sets as skips', async () => {
    const ek = bytes(1184, 0xff); // every coefficient >= q: fails the §7.2 check
    await expect(py.kem!.encaps('ML-KEM-768', ek, bytes(32))).rejects.toBeInstanceOf(RejectedError);
    await expect(py.kem!.encaps('ML-KEM-768', bytes(10), bytes(32))).rejects.toBeInstanceOf(RejectedError);
    await expect(py.kem!.encaps('ML-KEM-512', bytes(800), bytes(32))).rejects.toBeInstanceOf(UnsupportedError);
    await expect(py.dsa!.signMu('ML-DSA-65', bytes(4032), bytes(64), bytes(32))).rejects.toBeInstanceOf(UnsupportedError);
    // Still serving after the rejections.
    expect((await py.kem!.keygenRandom!('ML-KEM-768')).ek.length).toBe(1184);
  });
});

describe('python backend on the ACVP suite (through the runner)', () => {
  it('passes every case the JSON ABI covers; everything else is a skip with a reason', async () => {
    expect(existsSync(LIB), `${LIB} missing: run \`npm run setup\``).toBe(true);
    const r = await runConformance({ backends: ['python'], suites: ['acvp'], host: 'auto' });
    expect(r.backends[0]).toMatchObject({ id: 'python', kind: 'python', library: { path: LIB } });
    const bad = r.cases.filter((c) => c.status !== 'pass' && c.status !== 'skip');
    expect(bad.map((c) => `${c.id}: ${c.status} ${c.reason}`)).toEqual([]);
    for (const c of r.cases) if (c.status === 'skip') expect(c.reason, c.id).toBeTruthy();
    const passed = new Map<string, number>();
    for (const c of r.cases) if (c.status === 'pass') passed.set(`${c.parameterSet} ${c.op}`, (passed.get(`${c.parameterSet} ${c.op}`) ?? 0) + 1);
    // Measured: 50 encaps + 20 decaps, 25 keyGen, 90 external pure sigGen, 15 sigVer.
    expect(Object.fromEntries(passed)).toEqual({
      'ML-KEM-768 kem.encaps': expect.any(Number),
      'ML-KEM-768 kem.decaps': expect.any(Number),
      'ML-DSA-65 dsa.keygen': expect.any(Number),
      'ML-DSA-65 dsa.sign': expect.any(Number),
      'ML-DSA-65 dsa.verify': expect.any(Number),
    });
    for (const n of passed.values()) expect(n).toBeGreaterThanOrEqual(15);
    // A case of a covered op is skipped only for another op it needs (the 10 ML-KEM-768
    // decapsulations from a seed need kem.keygen, which the JSON ABI lacks).
    const covered = new Set(passed.keys());
    const skippedCovered = r.cases.filter((c) => c.status === 'skip' && covered.has(`${c.parameterSet} ${c.op}`));
    for (const c of skippedCovered) expect(c.reason, c.id).toMatch(/^python does not offer (?!.*\b(?:kem\.encaps|kem\.decaps|dsa\.keygen|dsa\.sign|dsa\.verify)\b)/);
  });
});
