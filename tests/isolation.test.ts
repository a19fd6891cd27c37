// A backend never takes the run down, and never corrupts another backend's
// verdict: plugins that exit, hang, throw odd values, answer non-verdicts or
// write into their inputs; wrappers that leave a grandchild holding their
// pipes, take their time to exit, or send frames nobody asked for.

import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { openProcessBackend } from '../backends/process.ts';
import { parseSpec } from '../backends/registry.ts';
import { TimeoutError } from '../model/errors.ts';
import { ProtocolError } from '../backends/modulewrapper/codec.ts';
import type { Results } from '../model/results.ts';
import { validateResults } from '../model/validate.ts';
import { openHosted, type HostKind } from '../harness/hosts/index.ts';
import { runConformance } from '../harness/runner.ts';
import { cli } from './cli-process.ts';

const hostile = (f: string) => `module:${fileURLToPath(new URL(`./fixtures/hostile/${f}`, import.meta.url))}`;
const WRAPPER = fileURLToPath(new URL('./fixtures/mw-boringssl-dialect.mjs', import.meta.url));

const bad = (r: Results, backend: string) => r.cases.filter((c) => c.backend === backend && c.status !== 'pass' && c.status !== 'skip');

/** A process that runs: signalled to death it may linger as a zombie (state Z) until its new parent reaps it. */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe.each(['worker', 'inproc'] as const)('a plugin in the %s host', (host: HostKind) => {
  it('that calls process.exit(0) costs its own call; the run and noble go on', { timeout: 120_000 }, async () => {
    const r = await runConformance({ backends: ['noble', hostile('exits.ts')], suites: ['acvp'], params: ['ML-KEM-768'], host, jobs: 1 });
    expect(bad(r, 'noble')).toEqual([]);
    // Each fresh worker counts its calls anew, so its third encapsulation ends it again: every exit costs that call only.
    const hit = bad(r, hostile('exits.ts'));
    expect(hit.length).toBeGreaterThanOrEqual(1);
    for (const c of hit) {
      expect(c.op).toBe('kem.encaps');
      expect(c.status).toBe(host === 'worker' ? 'crash' : 'error');
      expect(c.reason).toMatch(host === 'worker' ? /exited with code 0/ : /called process\.exit\(0\)/);
    }
    if (host === 'inproc') expect(hit).toHaveLength(1);
    expect(r.cases.filter((c) => c.backend === hostile('exits.ts') && c.status === 'pass').length).toBeGreaterThan(100);
  });

  it('that writes into its inputs cannot change what noble is given', { timeout: 120_000 }, async () => {
    const r = await runConformance({ backends: [hostile('mutates.ts'), 'noble'], suites: ['acvp'], params: ['ML-KEM-768'], host, jobs: 1 });
    expect(bad(r, 'noble')).toEqual([]);
    expect(bad(r, hostile('mutates.ts'))).toEqual([]);
    expect(r.cases.filter((c) => c.backend === 'noble' && c.status === 'pass').length).toBe(r.cases.filter((c) => c.backend === hostile('mutates.ts') && c.status === 'pass').length);
  });

  it('that throws null or undefined gets an error naming what was thrown, and the run ends normally', { timeout: 120_000 }, async () => {
    const r = await runConformance({ backends: [hostile('throws.ts')], suites: ['acvp'], params: ['ML-KEM-768'], host });
    const errors = r.cases.filter((c) => c.status === 'error');
    expect(errors.length).toBeGreaterThan(10);
    expect(errors.some((c) => c.op === 'kem.decaps' && /null/.test(c.reason!))).toBe(true);
    expect(errors.some((c) => c.op === 'kem.encaps' && /undefined/.test(c.reason!))).toBe(true);
  });

  it('whose answer is not a verdict is an error, the same in every host (undefined and "false" are not "reject")', { timeout: 60_000 }, async () => {
    const b = await openHosted(parseSpec(hostile('verdicts.ts')), host);
    try {
      const ek = ml_kem768.keygen(new Uint8Array(64)).publicKey;
      await expect(b.kem!.checkEncapsKey('ML-KEM-768', ek)).rejects.toThrow(/kem\.checkEncapsKey returned undefined; a verdict must be true or false/);
      await expect(b.kem!.checkDecapsKey('ML-KEM-768', new Uint8Array(2400))).rejects.toThrow(/kem\.checkDecapsKey returned the string "false"; a verdict must be true or false/);
    } finally {
      await b.close?.();
    }
  });

  it('whose promise never settles times out (--timeout-ms), and the backend answers the next call', { timeout: 60_000 }, async () => {
    const b = await openHosted(parseSpec(hostile('hangs.ts')), host, { timeoutMs: 300 });
    try {
      const { ek, dk } = await b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32));
      await expect(b.kem!.decaps('ML-KEM-768', dk, new Uint8Array(1088))).rejects.toBeInstanceOf(TimeoutError);
      expect((await b.kem!.encaps('ML-KEM-768', ek, new Uint8Array(32))).k).toHaveLength(32);
    } finally {
      await b.close?.();
    }
  });
});

describe('a plugin whose describe() returns null', () => {
  it('is a backend that cannot be opened: its cases are errors saying why, and the report is written', { timeout: 60_000 }, async () => {
    const r = await runConformance({ backends: ['noble', hostile('describe-null.ts')], suites: ['acvp'], params: ['ML-KEM-512'], host: 'auto' });
    expect(bad(r, 'noble')).toEqual([]);
    const errors = bad(r, hostile('describe-null.ts'));
    expect(errors.length).toBeGreaterThan(10);
    expect(errors[0]!.reason).toMatch(/unavailable: .*describe did not return a JSON object \(got null\)/);
  });
});

describe('a wrapper and the processes it starts', () => {
  it('a background child holding the pipes does not hold the run: the report is written, and the child is gone', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'pqc-iso-'));
    const pidFile = join(out, 'grandchildren');
    const spec = `process:sh -c 'sleep 300 & echo $! >> ${pidFile}; exec node ${WRAPPER}'`;
    const r = await cli(['run', '--backend', spec, '--suite', 'acvp', '--param', 'ML-KEM-512', '--out', out]);
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.summary.pass).toBeGreaterThan(50);
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(alive(pid), `grandchild ${pid}`).toBe(false);
  });

  it('a crash while a grandchild holds the pipes is a crash with its signal, not a timeout', { timeout: 60_000 }, async () => {
    const b = await openProcessBackend(`sh -c 'sleep 300 & exec env MW_DIE_AT=2 node ${WRAPPER}'`, { timeoutMs: 20_000 });
    try {
      const got = await b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32)).catch((e: Error) => e);
      expect((got as Error).name).toBe('CrashError');
      expect((got as Error).message).toMatch(/killed by SIGKILL/);
    } finally {
      await b.close();
    }
  });

  it('a harness thread busy past the deadline is not the backend timing out: an answer already waiting wins', { timeout: 60_000 }, async () => {
    const b = await openProcessBackend(`node ${WRAPPER}`, { timeoutMs: 300 });
    try {
      const keygen = b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32));
      // The wrapper answers within milliseconds; this thread reads nothing for a second.
      const until = performance.now() + 1_000;
      while (performance.now() < until);
      expect((await keygen).ek).toHaveLength(1184);
      expect(b.connection.stats.respawns.timeout).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('a wrapper that takes long to exit after EOF is killed after the grace period, with what it started', { timeout: 60_000 }, async () => {
    const b = await openProcessBackend(`sh -c 'node ${WRAPPER}; sleep 300'`);
    expect((await b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32))).ek).toHaveLength(1184);
    const t0 = performance.now();
    await b.connection.close(500);
    // Bounded by the grace period and the wait after the kill, not by the wrapper's 300 s.
    expect(performance.now() - t0).toBeLessThan(30_000);
  });

  it('a frame nobody asked for is a protocol error, never the next call’s answer', { timeout: 60_000 }, async () => {
    const b = await openProcessBackend(`env MW_EXTRA_FRAME=1 node ${WRAPPER}`);
    try {
      const kp = await b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32));
      expect(Buffer.from(kp.ek)).toEqual(Buffer.from(ml_kem768.keygen(new Uint8Array(64)).publicKey));
      // The duplicate keyGen answer is either seen while nothing is asked (unasked), or lands on the
      // decap sent next and does not fit it: either way a protocol error, never taken as an answer.
      const { cipherText } = ml_kem768.encapsulate(kp.ek, new Uint8Array(32));
      const first = await b.kem!.decaps('ML-KEM-768', kp.dk, cipherText).catch((e: Error) => e);
      if (first instanceof Error) expect(first).toBeInstanceOf(ProtocolError);
      else expect(Buffer.from(first)).toEqual(Buffer.from(ml_kem768.decapsulate(cipherText, kp.dk)));
      const k = await b.kem!.decaps('ML-KEM-768', kp.dk, cipherText);
      expect(Buffer.from(k)).toEqual(Buffer.from(ml_kem768.decapsulate(cipherText, kp.dk)));
      expect(b.connection.stats.respawns.protocol).toBe(1);
    } finally {
      await b.close();
    }
  });

  it('a response that does not fit its request fails that call as a protocol error; the calls behind it are re-sent', { timeout: 60_000 }, async () => {
    const b = await openProcessBackend(`env MW_EXTRA_FRAME=1 node ${WRAPPER}`);
    try {
      const { publicKey, secretKey } = ml_kem768.keygen(new Uint8Array(64).fill(1));
      const { cipherText } = ml_kem768.encapsulate(publicKey, new Uint8Array(32));
      // keyGen answers twice: its second (two strings) lands on the decap behind it, which expects one.
      const [kg, dec, dec2] = await Promise.allSettled([
        b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32)),
        b.kem!.decaps('ML-KEM-768', secretKey, cipherText),
        b.kem!.decaps('ML-KEM-768', secretKey, cipherText),
      ]);
      expect(kg.status).toBe('fulfilled');
      expect(dec.status).toBe('rejected');
      expect((dec as PromiseRejectedResult).reason).toBeInstanceOf(ProtocolError);
      expect((dec as PromiseRejectedResult).reason.message).toMatch(/does not fit the request/);
      expect(Buffer.from((dec2 as PromiseFulfilledResult<Uint8Array>).value)).toEqual(Buffer.from(ml_kem768.decapsulate(cipherText, secretKey)));
    } finally {
      await b.close();
    }
  });
});

describe('the worst offenders in one run, beside noble', () => {
  // Every kind of misbehaviour at once, through the CLI as a user runs it: a
  // wrapper leaving a background grandchild on its pipes, process.exit(0),
  // writing into inputs, throw null, a promise that never settles, 5 MB
  // messages. The run must end with every report written, exit 1, and noble's
  // verdicts exactly those of noble alone.
  it('ends with a complete, valid report and exit 1; noble is unaffected', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'pqc-worst-'));
    const pidFile = join(out, 'grandchildren');
    const offenders = [
      `process:sh -c 'sleep 300 & echo $! >> ${pidFile}; exec env MW_DIE_AT=5 node ${WRAPPER}'`,
      ...['exits.ts', 'mutates.ts', 'throws.ts', 'hangs.ts', 'huge-messages.ts'].map(hostile),
    ];
    const args = ['--suite', 'acvp', '--param', 'ML-KEM-768', '--timeout-ms', '1000'];
    const [all, alone] = await Promise.all([
      cli(['run', '--backend', ['noble', ...offenders].join(','), ...args, '--out', out]),
      cli(['run', '--backend', 'noble', ...args, '--out', join(out, 'alone')]),
    ]);
    expect(alone.code).toBe(0);
    expect(all.code, all.stderr).toBe(1);
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    expect(validateResults(r)).toEqual([]);
    for (const f of ['junit.xml', 'index.html']) expect(existsSync(join(out, f)), f).toBe(true);

    const verdicts = (x: Results) => x.cases.filter((c) => c.backend === 'noble').map((c) => `${c.id} ${c.status}`);
    const nobleAlone = JSON.parse(readFileSync(join(out, 'alone', 'results.json'), 'utf8')) as Results;
    expect(verdicts(r)).toEqual(verdicts(nobleAlone));
    expect(verdicts(r).length).toBeGreaterThan(60);

    // Every backend has a verdict on every case: nothing lost, whatever it did.
    const ids = new Set(nobleAlone.cases.map((c) => c.id));
    for (const b of offenders) expect(new Set(r.cases.filter((c) => c.backend === b).map((c) => c.id)), b).toEqual(ids);
    for (const b of offenders.filter((o) => o !== hostile('mutates.ts'))) expect(bad(r, b).length, `${b} misbehaved somewhere`).toBeGreaterThan(0);
    // The zeroing plugin answered right and only its own inputs were zeroed.
    expect(bad(r, hostile('mutates.ts'))).toEqual([]);
    expect(statSync(join(out, 'results.json')).size).toBeLessThan(20 << 20);
    for (const pid of readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)) expect(alive(pid), `grandchild ${pid}`).toBe(false);
  });
});
