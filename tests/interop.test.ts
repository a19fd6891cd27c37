// Interop: two noble instances agree on everything; a mutant that differs from
// noble in one operation is caught, and the message names both backends and the op.

import { describe, expect, it } from 'vitest';

import { createNobleBackend } from '../backends/noble.ts';
import { CrashError } from '../model/errors.ts';
import { RejectedError, type Backend, type DsaApi, type KemApi } from '../model/contract.ts';
import { interopSuite, runInterop, type InteropResult } from '../harness/suites/interop.ts';
import { runConformance } from '../harness/runner.ts';
import { isGateFailure } from '../model/results.ts';
import { assertResults } from '../model/validate.ts';

import { nobleWith } from './fixtures/mutants/wrap.ts';

const noble = createNobleBackend();
const noble2 = createNobleBackend();

const mutant = (kem: Partial<KemApi> = {}, dsa: Partial<DsaApi> = {}): Backend => nobleWith('mutant', kem, dsa);

const bad = (rs: InteropResult[]) => rs.filter((r) => r.status !== 'pass');

describe('interop', () => {
  it('registers a suite named interop', () => {
    expect(interopSuite.name).toBe('interop');
  });

  it('needs two backends', async () => {
    await expect(runInterop({ noble })).rejects.toThrow(/at least two/);
  });

  it('two noble instances agree on every check, set and pair', { timeout: 300_000 }, async () => {
    const rs = await runInterop({ noble, noble2 });
    // 2 ordered pairs × 3 sets × 2 cross checks + 1 pair × 3 sets × 2 agree checks
    expect(rs).toHaveLength(18);
    expect(bad(rs)).toEqual([]);
    expect(rs.map((r) => r.id)).toContain('interop/kem-cross/ML-KEM-768/noble->noble2');
    expect(rs.map((r) => r.id)).toContain('interop/kem-cross/ML-KEM-768/noble2->noble');
    expect(rs.map((r) => r.id)).toContain('interop/dsa-agree/ML-DSA-87/noble+noble2');
    for (const r of rs) expect(r.inputs?.seed).toEqual(expect.any(Number));
  });

  it('an encaps that differs in one ciphertext byte is caught, naming both backends and kem.encaps', async () => {
    const m = mutant({
      async encaps(ps, ek, msg) {
        const r = await noble.kem!.encaps(ps, ek, msg);
        r.c[5]! ^= 0x10;
        return r;
      },
    });
    const rs = await runInterop({ noble, mutant: m }, { params: ['ML-KEM-512'] });
    const agreeR = rs.find((r) => r.id === 'interop/kem-agree/ML-KEM-512/noble+mutant')!;
    expect(agreeR.status).toBe('fail');
    expect(agreeR.op).toBe('kem.encaps');
    expect(agreeR.reason).toMatch(/noble and mutant disagree on kem\.encaps \(c\)/);
    expect(agreeR.reason).toMatch(/Minimal input .*"d":"0x/);
    expect(agreeR.reason).toMatch(/seed -?\d+, path "/);
    expect(agreeR.expected).toMatchObject({ backend: 'noble' });
    expect(agreeR.got).toMatchObject({ backend: 'mutant' });
    // Keys by noble, ciphertext by the mutant: noble decapsulates a different key.
    const cross = rs.find((r) => r.id === 'interop/kem-cross/ML-KEM-512/noble->mutant')!;
    expect(cross.status).toBe('fail');
    expect(cross.reason).toMatch(/keys made by noble: mutant encapsulated/);
    // The other direction (mutant's keys, noble encapsulates, mutant's honest decaps) interoperates.
    expect(rs.find((r) => r.id === 'interop/kem-cross/ML-KEM-512/mutant->noble')!.status).toBe('pass');
  });

  it('a signer that hedges differently is caught by dsa-agree (dsa.sign) while its signatures still verify', async () => {
    const m = mutant({}, {
      sign: (ps, sk, msg, ctx, rnd) => noble.dsa!.sign(ps, sk, msg, ctx, rnd.map((x) => x ^ 1)),
    });
    const rs = await runInterop({ noble, mutant: m }, { params: ['ML-DSA-44'] });
    const byId = Object.fromEntries(rs.map((r) => [r.id, r]));
    expect(byId['interop/dsa-cross/ML-DSA-44/noble->mutant']!.status).toBe('pass');
    expect(byId['interop/dsa-cross/ML-DSA-44/mutant->noble']!.status).toBe('pass');
    const a = byId['interop/dsa-agree/ML-DSA-44/noble+mutant']!;
    expect(a.status).toBe('fail');
    expect(a.op).toBe('dsa.sign');
    expect(a.reason).toContain('noble and mutant disagree on dsa.sign (signature)');
  });

  it('a backend that refuses a valid input fails with the culprit named', async () => {
    const m = mutant({}, { verify: async () => { throw new RejectedError('no thanks'); } });
    const rs = await runInterop({ noble, mutant: m }, { params: ['ML-DSA-44'] });
    const r = rs.find((x) => x.id === 'interop/dsa-cross/ML-DSA-44/noble->mutant')!;
    expect(r.status).toBe('fail');
    expect(r.culprit).toBe('mutant');
    expect(r.op).toBe('dsa.verify');
    expect(r.reason).toMatch(/noble and mutant disagree on dsa\.verify: mutant dsa\.verify threw RejectedError: no thanks/);
  });

  it('a crash in one backend is a crash result naming the culprit, with its stderr; afterCheck sees every result', async () => {
    const m = mutant({ decaps: async () => { throw new CrashError('child died', 'SIGABRT', null, 'free(): invalid size'); } });
    const seen: string[] = [];
    const rs = await runInterop({ noble, mutant: m }, { params: ['ML-KEM-512'], kemRuns: 2, afterCheck: (r) => void seen.push(r.id) });
    expect(seen).toEqual(rs.map((r) => r.id));
    const r = rs.find((x) => x.id === 'interop/kem-cross/ML-KEM-512/mutant->noble')!;
    expect(r.status).toBe('crash');
    expect(r.culprit).toBe('mutant');
    expect(r.op).toBe('kem.decaps');
    expect(r.crash).toEqual({ signal: 'SIGABRT', exitCode: null, stderr: 'free(): invalid size' });
    expect(r.reason).toMatch(/^mutant crashed in kem\.decaps during kem-cross with noble on ML-KEM-512/);
  });

  it('pairs skip sets or operations a backend lacks', async () => {
    const kemOnly: Backend = { ...noble, capabilities: () => ({ ...noble.capabilities(), parameterSets: ['ML-KEM-512'] }) };
    const rs = await runInterop({ noble, kemOnly }, { params: ['ML-KEM-512', 'ML-DSA-44'] });
    expect(rs.filter((r) => r.parameterSet === 'ML-DSA-44').every((r) => r.status === 'skip' && /kemOnly does not offer ML-DSA-44/.test(r.reason!))).toBe(true);
    expect(rs.filter((r) => r.parameterSet === 'ML-KEM-512').every((r) => r.status === 'pass')).toBe(true);
  });

  it('a backend that does not open is an error per parameter set, not silently left out of the checks', { timeout: 120_000 }, async () => {
    const broken = 'json-abi:/nonexistent/libpqc.so';
    const res = await runConformance({ backends: ['noble', 'module:tests/fixtures/mutants/none.ts', broken], suites: ['interop'], params: ['ML-KEM-512', 'ML-DSA-44'], host: 'inproc' });
    assertResults(JSON.parse(JSON.stringify(res)), 'results.json');
    const failing = res.cases.filter(isGateFailure);
    expect(failing.map((c) => [c.id, c.backend, c.status])).toEqual([
      [`interop/unopened/${broken}/ML-KEM-512`, broken, 'error'],
      [`interop/unopened/${broken}/ML-DSA-44`, broken, 'error'],
    ]);
    expect(failing[0]!.reason).toMatch(/unavailable/);
    // The two that opened are still checked against each other.
    expect(res.cases.filter((c) => c.status === 'pass').length).toBeGreaterThan(0);
  });
});
