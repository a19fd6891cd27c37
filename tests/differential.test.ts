// The differential suite: N implementations compared at once. Three noble
// instances agree; a mutant that differs in one operation is named as the
// minority, with the majority, the step and the minimal input; a tie fails both
// sides; an abstaining backend is not counted; a crash is filed as a crash.

import { describe, expect, it } from 'vitest';
import { createNobleBackend } from '../backends/noble.ts';
import { SUITE_NAMES, suiteDef } from '../harness/suites/index.ts';
import { differentialSuite, runDifferential } from '../harness/suites/differential.ts';
import { CrashError } from '../model/errors.ts';
import { UnsupportedError, type Backend } from '../model/contract.ts';
import { nobleWith } from './fixtures/mutants/wrap.ts';

const fleet = (extra: Record<string, Backend>) => ({ a: createNobleBackend(), b: createNobleBackend(), c: createNobleBackend(), ...extra });
const byId = <T extends { id: string }>(rs: T[], id: string): T => {
  const r = rs.find((x) => x.id === id);
  if (!r) throw new Error(`no result ${id}; have ${rs.map((x) => x.id).join(', ')}`);
  return r;
};

describe('differential suite', () => {
  it('is in the suite table as an across-backends suite, after interop', () => {
    expect(suiteDef('differential').kind).toBe('across-backends');
    expect(SUITE_NAMES.indexOf('differential')).toBe(SUITE_NAMES.indexOf('interop') + 1);
  });

  it('needs two backends', async () => {
    await expect(runDifferential({ a: createNobleBackend() })).rejects.toThrow(/at least two/);
  });

  it('three agreeing implementations pass every family, one result per implementation', { timeout: 300_000 }, async () => {
    const rs = await runDifferential(fleet({}), { params: ['ML-KEM-512', 'ML-DSA-44'], runs: 3 });
    // kem-outputs, kem-verdicts on 512; dsa-outputs, dsa-verdicts on 44; three backends each.
    expect(rs).toHaveLength(4 * 3);
    expect(rs.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
    expect(byId(rs, 'differential/kem-outputs/ML-KEM-512/b').inputs).toMatchObject({ seed: expect.any(Number), comparedWith: 2 });
  });

  it('a mutant whose decapsulation flips a bit of K is the minority, with the majority and the minimal input', { timeout: 300_000 }, async () => {
    const flip = nobleWith('flip', {
      decaps: async (ps, dk, c) => {
        const k = Uint8Array.from(await createNobleBackend().kem!.decaps(ps, dk, c));
        k[0]! ^= 1;
        return k;
      },
    });
    const rs = await runDifferential(fleet({ flip }), { params: ['ML-KEM-768'] });
    const bad = byId(rs, 'differential/kem-outputs/ML-KEM-768/flip');
    expect(bad.status).toBe('fail');
    expect(bad.op).toBe('kem.decaps');
    expect(bad.backends).toEqual(['flip']);
    expect(bad.reason).toMatch(/^ML-KEM-768 kem\.decaps \(K of a valid ciphertext\): flip gave k [0-9a-f]{64}; the majority \(3: a, b, c\) gave k [0-9a-f]{64}\. Minimal input \{"d":"0x[0-9a-f]{64}","z":"0x[0-9a-f]{64}","m":"0x[0-9a-f]{64}","c":"0x[0-9a-f]+"\} \(seed -?\d+, path "[\d:]*"\)$/);
    // The step's own inputs, for replaying it by hand.
    expect(bad.inputs).toMatchObject({ dk: expect.stringMatching(/^[0-9a-f]{4800}$/), c: expect.stringMatching(/^[0-9a-f]{2176}$/) });
    expect(bad.expected).toEqual({ backends: 'a, b, c', answer: expect.stringMatching(/^k /) });
    expect(bad.got).toEqual({ backends: 'flip', answer: expect.stringMatching(/^k /) });
    // The majority went on without the mutant and agreed.
    for (const n of ['a', 'b', 'c']) expect(byId(rs, `differential/kem-outputs/ML-KEM-768/${n}`).status).toBe('pass');
    // The verdict family never reaches the broken decaps output: the mutant passes there.
    expect(byId(rs, 'differential/kem-verdicts/ML-KEM-768/flip').status).toBe('pass');
  });

  it('a verifier that accepts everything is named in dsa-verdicts, siding with nobody', { timeout: 300_000 }, async () => {
    const lax = nobleWith('lax', {}, { verify: async () => true });
    const rs = await runDifferential(fleet({ lax }), { params: ['ML-DSA-44'] });
    const bad = byId(rs, 'differential/dsa-verdicts/ML-DSA-44/lax');
    expect(bad.status).toBe('fail');
    expect(bad.reason).toMatch(/^ML-DSA-44 dsa\.verify \(verdict on .+\): lax gave accepted; the majority \(3: a, b, c\) gave refused\./);
    expect(byId(rs, 'differential/dsa-outputs/ML-DSA-44/lax').status).toBe('pass');
  });

  it('a missing §7.2 check is the minority on checkEncapsKey, while its encapsulation still refuses', { timeout: 300_000 }, async () => {
    const lax = nobleWith('lax', { checkEncapsKey: async () => true });
    const rs = await runDifferential(fleet({ lax }), { params: ['ML-KEM-512'] });
    const bad = byId(rs, 'differential/kem-verdicts/ML-KEM-512/lax');
    expect(bad.status).toBe('fail');
    expect(bad.op).toBe('kem.checkEncapsKey');
    expect(bad.reason).toMatch(/§7\.2 check of an ek .*: lax gave accepted; the majority \(3: a, b, c\) gave refused/);
  });

  it('two implementations that disagree have no majority: both fail, each naming the other side', { timeout: 300_000 }, async () => {
    const flip = nobleWith('flip', {
      encaps: async (ps, ek, m) => {
        const r = await createNobleBackend().kem!.encaps(ps, ek, m);
        return { c: r.c, k: r.k.map((x, i) => (i === 0 ? x ^ 1 : x)) };
      },
    });
    const rs = await runDifferential({ a: createNobleBackend(), flip }, { params: ['ML-KEM-512'] });
    for (const n of ['a', 'flip']) {
      const r = byId(rs, `differential/kem-outputs/ML-KEM-512/${n}`);
      expect(r.status).toBe('fail');
      expect(r.reason).toMatch(/kem\.encaps \(c, K\): .*no majority: with a: c .*; with flip: c /);
    }
  });

  it('an implementation that cannot express a call abstains; one that crashes is filed as a crash', { timeout: 300_000 }, async () => {
    const mute = nobleWith('mute', {}, {
      keygen: async () => {
        throw new UnsupportedError('no seeded keygen');
      },
      sign: async () => {
        throw new UnsupportedError('no signing');
      },
      verify: async () => {
        throw new UnsupportedError('no verify');
      },
    });
    const boom = nobleWith('boom', {}, {
      sign: async () => {
        throw new CrashError('the peer died', 'SIGSEGV', null, 'Segmentation fault');
      },
    });
    const rs = await runDifferential(fleet({ mute, boom }), { params: ['ML-DSA-44'], runs: 2 });
    const m = byId(rs, 'differential/dsa-outputs/ML-DSA-44/mute');
    expect(m.status).toBe('skip');
    expect(m.reason).toMatch(/mute could express none of the inputs drawn: no seeded keygen/);
    const b = byId(rs, 'differential/dsa-outputs/ML-DSA-44/boom');
    expect(b.status).toBe('crash');
    expect(b.crash).toEqual({ signal: 'SIGSEGV', exitCode: null, stderr: 'Segmentation fault' });
    expect(b.reason).toMatch(/dsa\.sign \(signature\): boom crashed while the majority \(3 of 3\) a, b, c: signature /);
    for (const n of ['a', 'b', 'c']) expect(byId(rs, `differential/dsa-outputs/ML-DSA-44/${n}`).status).toBe('pass');
  });

  it('a source of valid inputs that crashes is filed as a crash; the others go on with the next source', { timeout: 300_000 }, async () => {
    const boom = nobleWith('boom', {
      keygen: async () => {
        throw new CrashError('the peer died', 'SIGABRT', null, 'free(): invalid pointer');
      },
    });
    const rs = await runDifferential({ boom, ...fleet({}) }, { params: ['ML-KEM-512'], runs: 2 });
    const b = byId(rs, 'differential/kem-verdicts/ML-KEM-512/boom');
    expect(b.status).toBe('crash');
    expect(b.op).toBe('kem.keygen');
    expect(b.reason).toMatch(/^ML-KEM-512 kem-verdicts: boom, the source of valid inputs, failed in kem\.keygen \(seed -?\d+, path "/);
    for (const n of ['a', 'b', 'c']) expect(byId(rs, `differential/kem-verdicts/ML-KEM-512/${n}`).status).toBe('pass');
    // Where it is one voice among others, the same crash is its answer at that step.
    expect(byId(rs, 'differential/kem-outputs/ML-KEM-512/boom')).toMatchObject({ status: 'crash', op: 'kem.keygen' });
  });

  it('declares a FIPS clause for each of its families', () => {
    for (const f of ['kem-outputs', 'kem-verdicts', 'dsa-outputs', 'dsa-verdicts']) expect(differentialSuite.fips.some((r) => r.match.test(f)), f).toBe(true);
  });
});
