// Implementations users bring: module wrappers that report a failed command by
// exiting (Go's FIPS module wrapper, BoringSSL's dialect), dialects decided by
// known-answer probes, operations derived through a lower interface, Crucible
// harnesses, pipelined windows where a peer dies mid-window.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { classifyExit } from '../backends/modulewrapper/exit-rule.ts';
import { openProcessBackend } from '../backends/process.ts';
import { parseSpec } from '../backends/registry.ts';
import { inCI } from '../model/config.ts';
import { CrashError } from '../model/errors.ts';
import { RejectedError } from '../model/contract.ts';
import type { Results } from '../model/results.ts';
import { openHosted } from '../harness/hosts/index.ts';
import { runConformance } from '../harness/runner.ts';
import { evaluateGate } from '../reports/gate.ts';
import { packagePath } from '../model/package.ts';
import { withEnv } from './with-env.ts';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const BORINGSSL = `process:node ${fixture('mw-boringssl-dialect.mjs')}`;
const CRUCIBLE = `crucible:node ${fixture('crucible-noble.mjs')}`;
const GO_WRAPPER = packagePath('build/go-fips/fipstest');
const GO = `process:env GODEBUG=fips140=on ACVP_WRAPPER=1 ${GO_WRAPPER}`;

const bad = (r: Results) => r.cases.filter((c) => c.status === 'fail' || c.status === 'crash' || c.status === 'timeout' || c.status === 'error');
const count = (r: Results, pred: (c: Results['cases'][number]) => boolean) => r.cases.filter(pred).length;

describe('refusal by exit (exit-rule.ts)', () => {
  const goRefusal = 'processing error: command "ML-KEM-768/encap" failed: mlkem: invalid encapsulation key\n';
  it('a non-zero exit after a message, from a wrapper without the harness error frames, is a refusal carrying the message', () => {
    expect(classifyExit({ code: 1, signal: null, stderr: goRefusal, errorFrames: false })).toEqual({ kind: 'refusal', message: goRefusal.trim() });
  });
  it.each([
    ['a signal', { code: null, signal: 'SIGSEGV', stderr: goRefusal, errorFrames: false }],
    ['exit 0 with a call pending', { code: 0, signal: null, stderr: goRefusal, errorFrames: false }],
    ['no message', { code: 1, signal: null, stderr: '  \n', errorFrames: false }],
    ['a wrapper that speaks the error frames', { code: 1, signal: null, stderr: goRefusal, errorFrames: true }],
    ['a Go panic', { code: 2, signal: null, stderr: 'panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n', errorFrames: false }],
    ['a Python traceback', { code: 1, signal: null, stderr: 'Traceback (most recent call last):\n  File "w.py", line 3, in <module>\nValueError: x\n', errorFrames: false }],
    ['an ASan report', { code: 86, signal: null, stderr: '==12==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1\n', errorFrames: false }],
    ["glibc's abort line", { code: 134, signal: null, stderr: 'free(): invalid pointer\n', errorFrames: false }],
    ['a Rust panic', { code: 101, signal: null, stderr: "thread 'main' panicked at src/main.rs:3:5:\nboom\n", errorFrames: false }],
    ['an uncaught Java exception', { code: 1, signal: null, stderr: 'Exception in thread "main" java.lang.IllegalStateException: x\n\tat Main.main(Main.java:3)\n', errorFrames: false }],
  ])('stays a crash: %s', (_, e) => {
    expect(classifyExit(e).kind).toBe('crash');
  });
});

describe('a BoringSSL-dialect wrapper: internal interface only, errors by exit', () => {
  it('passes ACVP and Wycheproof, derived ML-DSA verify cases included; each refusal by exit costs a respawn', { timeout: 300_000 }, async () => {
    const r = await runConformance({ backends: [BORINGSSL], suites: ['acvp', 'wycheproof'], params: ['ML-KEM-768', 'ML-DSA-65'], host: 'auto' });
    expect(bad(r)).toEqual([]);
    expect(evaluateGate(r).exitCode).toBe(0);
    // Pure and pre-hash vectors ran with the harness formatting M′, and say so.
    const derived = r.cases.filter((c) => c.derived && c.status === 'pass');
    expect(count(r, (c) => !!c.derived && c.suite === 'wycheproof' && c.op === 'dsa.verify' && c.status === 'pass')).toBeGreaterThan(100);
    expect(count(r, (c) => !!c.derived && c.suite === 'acvp' && c.op === 'dsa.sign' && c.status === 'pass')).toBeGreaterThan(50);
    expect(derived.every((c) => /formatted M′/.test(c.derived!))).toBe(true);
    // A context over 255 bytes is the external API's check: skipped, never passed.
    const longCtx = r.cases.filter((c) => c.status === 'skip' && /context of \d+ bytes/.test(c.reason ?? ''));
    expect(longCtx.length).toBeGreaterThan(0);
    expect(r.backends[0]!.respawns!.refusal).toBeGreaterThan(50);
    expect(r.backends[0]!.respawns!.crash).toBe(0);
    for (const c of r.cases.filter((x) => x.status === 'skip')) expect(c.reason).toBeTruthy();
  });

  it('a mutant that exits on valid input fails the gate, naming exactly those cases', { timeout: 120_000 }, async () => {
    const r = await withEnv({ MW_EXIT_ON_VALID: '1' }, () => runConformance({ backends: [BORINGSSL], suites: ['acvp'], params: ['ML-KEM-768'], host: 'auto' }));
    const failing = bad(r);
    const encaps = r.cases.filter((c) => c.op === 'kem.encaps');
    expect(encaps.length).toBeGreaterThan(10);
    expect(failing.map((c) => c.id).sort()).toEqual(encaps.map((c) => c.id).sort());
    expect(failing.every((c) => c.status === 'fail' && /refused by exit \(code 1\).*mutant/.test(c.reason!))).toBe(true);
    expect(evaluateGate(r).exitCode).toBe(1);
  });
});

describe('dialects decided by evidence', () => {
  it('a wrapper declaring both interfaces is probed: the reading whose known answer comes back is kept, with the evidence', { timeout: 120_000 }, async () => {
    const b = await withEnv({ MW_DECLARE_BOTH: '1' }, () => openHosted(parseSpec(BORINGSSL), 'child'));
    try {
      const d = b.describe().dialect!;
      expect(d.map((x) => x.decided)).toEqual(['internal; deterministic randomizer 32 zero bytes', 'internal']);
      expect(d[0]!.evidence.join('\n')).toMatch(/read as internal.*the expected signature/);
      expect(d[0]!.evidence.join('\n')).toMatch(/read as external.*refused/);
      expect(b.capabilities().ops).toContain('dsa.signInternal');
    } finally {
      await b.close!();
    }
  });

  it('when no reading matches, the question stays open: the operations go, and their cases skip with the evidence', { timeout: 120_000 }, async () => {
    const r = await withEnv({ MW_DECLARE_BOTH: '1', MW_BAD_SIGS: '1' }, () => runConformance({ backends: [BORINGSSL], suites: ['acvp'], params: ['ML-DSA-44'], host: 'auto' }));
    const d = r.backends[0]!.dialect!;
    expect(d[0]!.decided).toBeNull();
    expect(r.backends[0]!.capabilities.ops).not.toContain('dsa.sign');
    const signing = r.cases.filter((c) => c.family === 'ML-DSA-sigGen' && c.op !== 'dsa.signMu');
    expect(signing.length).toBeGreaterThan(100);
    for (const c of signing) {
      expect(c.status).toBe('skip');
      expect(c.reason).toMatch(/undetermined: no known-answer probe matched \(sigGen read as external.*refused.*sigGen read as internal.*a different answer/);
    }
    expect(bad(r)).toEqual([]);
  });
});

describe('pipelining through a window', () => {
  it('a peer that dies on the k-th request of a full window costs exactly that call; the calls behind it are re-sent in order', async () => {
    // Request 1 is getConfig; the 6th request is the 5th keyGen.
    const b = await withEnv({ MW_DIE_AT: '6' }, () => openProcessBackend(`node ${fixture('mw-boringssl-dialect.mjs')}`));
    try {
      const seeds = Array.from({ length: 12 }, (_, i) => new Uint8Array(64).fill(i + 1));
      const got = await Promise.allSettled(seeds.map((s) => b.kem!.keygen('ML-KEM-768', s.subarray(0, 32), s.subarray(32))));
      expect(got.map((g) => g.status)).toEqual(seeds.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')));
      const dead = got[4] as PromiseRejectedResult;
      expect(dead.reason).toBeInstanceOf(CrashError);
      expect((dead.reason as CrashError).signal).toBe('SIGKILL');
      got.forEach((g, i) => {
        if (g.status === 'fulfilled') expect(Buffer.from(g.value.ek)).toEqual(Buffer.from(ml_kem768.keygen(seeds[i]!).publicKey));
      });
      expect(b.connection.stats.respawns.crash).toBe(1);
    } finally {
      await b.close();
    }
  });

  it("a wrapper in acvptool's batch mode gets its flush, and a refusal mid-batch is still pinned on its own call", async () => {
    const b = await withEnv({ MW_BATCH: '1' }, () => openProcessBackend(`node ${fixture('mw-boringssl-dialect.mjs')}`));
    try {
      expect(b.peer.batch).toBe(true);
      const { publicKey } = ml_kem768.keygen(new Uint8Array(64).fill(9));
      const bad768 = new Uint8Array(10);
      const calls = [publicKey, publicKey, bad768, publicKey].map((ek, i) => b.kem!.encaps('ML-KEM-768', ek, new Uint8Array(32).fill(i)));
      const got = await Promise.allSettled(calls);
      expect(got.map((g) => g.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((got[2] as PromiseRejectedResult).reason).toBeInstanceOf(RejectedError);
      expect(Buffer.from((got[3] as PromiseFulfilledResult<{ c: Uint8Array }>).value.c)).toEqual(Buffer.from(ml_kem768.encapsulate(publicKey, new Uint8Array(32).fill(3)).cipherText));
    } finally {
      await b.close();
    }
  });
});

describe('crucible: harnesses', () => {
  it('run through the contract; `message` read as M by default is decided by a probe', { timeout: 120_000 }, async () => {
    const r = await runConformance({ backends: [CRUCIBLE], suites: ['acvp'], params: ['ML-KEM-768', 'ML-DSA-65'], host: 'auto' });
    expect(r.backends[0]!.kind).toBe('crucible');
    expect(r.backends[0]!.dialect![0]!.decided).toBe('external');
    expect(bad(r)).toEqual([]);
    expect(count(r, (c) => c.op === 'kem.encaps' && c.status === 'pass')).toBeGreaterThan(10);
    // The protocol carries no context: only empty-context signing runs, the rest says why it is skipped.
    expect(count(r, (c) => c.op === 'dsa.sign' && c.status === 'pass')).toBeGreaterThan(0);
    expect(count(r, (c) => c.op === 'dsa.sign' && c.status === 'skip' && /carries no context/.test(c.reason ?? ''))).toBeGreaterThan(0);
  });

  it('a harness reading M′ is found out by the probe, and pure signing then runs derived through it', { timeout: 120_000 }, async () => {
    const r = await withEnv({ CRUCIBLE_MESSAGE: 'internal' }, () => runConformance({ backends: [CRUCIBLE], suites: ['acvp'], params: ['ML-DSA-65'], host: 'auto' }));
    expect(r.backends[0]!.dialect![0]!.decided).toBe('internal');
    expect(bad(r)).toEqual([]);
    expect(count(r, (c) => c.op === 'dsa.signInternal' && c.status === 'pass' && !c.derived)).toBeGreaterThan(10);
    expect(count(r, (c) => c.op === 'dsa.sign' && c.status === 'pass' && /formatted M′/.test(c.derived ?? ''))).toBeGreaterThan(10);
  });
});

describe("Go's FIPS 140-3 module wrapper (a real external implementation)", () => {
  const built = existsSync(GO_WRAPPER);
  it.runIf(!built && inCI())('is built by set-up (CI)', () => {
    expect.fail(`${GO_WRAPPER} is missing: scripts/setup.sh builds it with the Go toolchain (go test -c crypto/internal/fips140test)`);
  });
  it.skipIf(!built)(
    'passes ACVP and Wycheproof for ML-KEM-768 and ML-DSA-65 with no crash and no failure; its external and μ signing groups run',
    { timeout: 600_000 },
    async () => {
      const r = await runConformance({ backends: [GO], suites: ['acvp', 'wycheproof'], params: ['ML-KEM-768', 'ML-DSA-65'], host: 'auto' });
      expect(bad(r)).toEqual([]);
      expect(evaluateGate(r).exitCode).toBe(0);
      const d = r.backends[0]!.dialect!;
      expect(d.map((x) => x.decided)).toEqual(['external; deterministic randomizer 32 zero bytes', 'external', 'absent']);
      for (const [op, family] of [['dsa.sign', 'ML-DSA-sigGen'], ['dsa.signMu', 'ML-DSA-sigGen'], ['dsa.verify', 'ML-DSA-sigVer'], ['dsa.verifyMu', 'ML-DSA-sigVer']] as const) {
        expect(count(r, (c) => c.suite === 'acvp' && c.family === family && c.op === op && c.status === 'pass' && !c.derived), `${family} ${op}`).toBeGreaterThanOrEqual(15);
      }
      // Every refusal of invalid input was an exit, judged a refusal, and cost a respawn.
      expect(r.backends[0]!.respawns!.refusal).toBeGreaterThan(100);
      expect(r.backends[0]!.respawns!.crash).toBe(0);
      for (const c of r.cases.filter((x) => x.status === 'skip')) expect(c.reason).toMatch(/does not offer|cannot|context of/);
    },
  );
});
