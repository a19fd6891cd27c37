import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WrapperBackend } from '../backends/modulewrapper/client.ts';
import { openChildBackend } from '../harness/hosts/child.ts';
import { bundledChild } from '../harness/hosts/bundle.ts';
import { openHosted } from '../harness/hosts/index.ts';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PACKAGE_ROOT } from '../model/package.ts';
import { parseSpec } from '../backends/registry.ts';
import { FAULT_BACKEND } from '../harness/selftest/faults.ts';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { openProcessBackend } from '../backends/process.ts';
import { createNobleBackend } from '../backends/noble.ts';
import { RejectedError, UnsupportedError } from '../model/contract.ts';
import { CrashError, TimeoutError } from '../model/errors.ts';
import { withEnv } from './with-env.ts';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (n: number, f = 0) => new Uint8Array(n).fill(f);
const te = new TextEncoder();

describe('child host serving noble', () => {
  const local = createNobleBackend();
  let child: WrapperBackend;
  beforeAll(async () => {
    child = await openChildBackend('noble', {});
  });
  afterAll(async () => {
    await child?.close?.();
  });

  it('describes and declares what the in-process backend does', () => {
    expect(child.describe().id).toBe('noble');
    expect(child.describe().notes?.at(-1)).toMatch(/child process/);
    expect(child.capabilities().ops).toEqual(local.capabilities().ops);
    expect(child.capabilities().parameterSets).toEqual(local.capabilities().parameterSets);
    expect(child.capabilities().preHash).toEqual(local.capabilities().preHash);
  });

  it('ML-KEM results equal the in-process results', async () => {
    for (const ps of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as const) {
      const d = bytes(32, 1), z = bytes(32, 2), m = bytes(32, 3);
      const [a, b] = await Promise.all([local.kem!.keygen(ps, d, z), child.kem!.keygen(ps, d, z)]);
      expect(hex(b.ek)).toBe(hex(a.ek));
      expect(hex(b.dk)).toBe(hex(a.dk));
      const ea = await local.kem!.encaps(ps, a.ek, m);
      const eb = await child.kem!.encaps(ps, a.ek, m);
      expect([hex(eb.c), hex(eb.k)]).toEqual([hex(ea.c), hex(ea.k)]);
      expect(hex(await child.kem!.decaps(ps, a.dk, ea.c))).toBe(hex(ea.k));
      const badC = ea.c.slice();
      badC[0]! ^= 1;
      expect(hex(await child.kem!.decaps(ps, a.dk, badC))).toBe(hex(await local.kem!.decaps(ps, a.dk, badC)));
      expect(await child.kem!.checkEncapsKey(ps, a.ek)).toBe(true);
      const badEk = a.ek.slice();
      badEk[0] = 0xff;
      badEk[1] = 0xff;
      expect(await child.kem!.checkEncapsKey(ps, badEk)).toBe(await local.kem!.checkEncapsKey(ps, badEk));
      expect(await child.kem!.checkDecapsKey(ps, a.dk)).toBe(true);
      const r = await child.kem!.keygenRandom!(ps);
      expect(r.ek.length).toBe(a.ek.length);
      const er = await child.kem!.encapsRandom!(ps, r.ek);
      expect(hex(await local.kem!.decaps(ps, r.dk, er.c))).toBe(hex(er.k));
    }
  });

  it('ML-DSA results equal the in-process results, for every interface', async () => {
    const ps = 'ML-DSA-65';
    const kp = await local.dsa!.keygen(ps, bytes(32, 4));
    expect(hex((await child.dsa!.keygen(ps, bytes(32, 4))).sk)).toBe(hex(kp.sk));
    const msg = te.encode('message'), ctx = te.encode('context'), rnd = bytes(32, 6), zero = bytes(32), mu = bytes(64, 8);
    const same = async (name: string, a: Promise<Uint8Array>, b: Promise<Uint8Array>) => expect(hex(await b), name).toBe(hex(await a));
    await same('sign', local.dsa!.sign(ps, kp.sk, msg, ctx, rnd), child.dsa!.sign(ps, kp.sk, msg, ctx, rnd));
    await same('sign det', local.dsa!.sign(ps, kp.sk, msg, ctx, zero), child.dsa!.sign(ps, kp.sk, msg, ctx, zero));
    await same('internal', local.dsa!.signInternal(ps, kp.sk, msg, rnd), child.dsa!.signInternal(ps, kp.sk, msg, rnd));
    await same('mu', local.dsa!.signMu(ps, kp.sk, mu, rnd), child.dsa!.signMu(ps, kp.sk, mu, rnd));
    await same('preHash', local.dsa!.signPreHash(ps, kp.sk, msg, 'SHA3-512', ctx, rnd), child.dsa!.signPreHash(ps, kp.sk, msg, 'SHA3-512', ctx, rnd));
    const sig = await local.dsa!.sign(ps, kp.sk, msg, ctx, rnd);
    expect(await child.dsa!.verify(ps, kp.pk, msg, sig, ctx)).toBe(true);
    expect(await child.dsa!.verify(ps, kp.pk, msg, sig, te.encode('other'))).toBe(false);
    const si = await local.dsa!.signInternal(ps, kp.sk, msg, rnd);
    expect(await child.dsa!.verifyInternal(ps, kp.pk, msg, si)).toBe(true);
    const sm = await local.dsa!.signMu(ps, kp.sk, mu, rnd);
    expect(await child.dsa!.verifyMu(ps, kp.pk, mu, sm)).toBe(true);
    const sp = await local.dsa!.signPreHash(ps, kp.sk, msg, 'SHA2-384', ctx, rnd);
    expect(await child.dsa!.verifyPreHash(ps, kp.pk, msg, sp, 'SHA2-384', ctx)).toBe(true);
  });

  it('carries RejectedError and UnsupportedError back as themselves', async () => {
    await expect(child.kem!.encaps('ML-KEM-768', bytes(5), bytes(32))).rejects.toBeInstanceOf(RejectedError);
    const local44 = local.capabilities().preHash?.['ML-DSA-87'] ?? [];
    if (!local44.includes('SHA2-224')) {
      const kp = await local.dsa!.keygen('ML-DSA-87', bytes(32, 1));
      const localErr = await local.dsa!.signPreHash('ML-DSA-87', kp.sk, bytes(1), 'SHA2-224', bytes(0), bytes(32)).catch((e: Error) => e);
      const childErr = await child.dsa!.signPreHash('ML-DSA-87', kp.sk, bytes(1), 'SHA2-224', bytes(0), bytes(32)).catch((e: Error) => e);
      expect((childErr as Error).name).toBe((localErr as Error).name);
    }
    // One 64-byte seed d‖z travels: a seed of the wrong total length goes as it is and is refused;
    // 64 bytes split other than 32/32 cannot be expressed at all.
    await expect(child.kem!.keygen('ML-KEM-768', bytes(31), bytes(32))).rejects.toBeInstanceOf(RejectedError);
    await expect(child.kem!.keygen('ML-KEM-768', bytes(31), bytes(33))).rejects.toBeInstanceOf(UnsupportedError);
  });
});

describe('crash isolation', () => {
  let b: WrapperBackend;
  let ek: Uint8Array;
  let dk: Uint8Array;
  beforeAll(async () => {
    b = await openChildBackend(`module:${fixture('faulty-kem.ts')}`, { timeoutMs: 2_000 });
    ({ ek, dk } = await b.kem!.keygen('ML-KEM-768', bytes(32, 1), bytes(32, 2)));
  });
  afterAll(async () => {
    await b?.close?.();
  });
  const m = (first: number) => {
    const x = bytes(32, 5);
    x[0] = first;
    return x;
  };

  it('an abort costs exactly that call; the child respawns', async () => {
    const pid = b.connection.pid;
    const spawns = b.connection.spawns;
    const err = await b.kem!.encaps('ML-KEM-768', ek, m(0xab)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrashError);
    expect((err as CrashError).signal).toBe('SIGABRT');
    expect((err as CrashError).exitCode).toBeNull();
    expect((err as CrashError).message).toMatch(/killed by SIGABRT while serving ML-KEM-768\/encap/);
    const ok = await b.kem!.encaps('ML-KEM-768', ek, m(1));
    expect(hex(await b.kem!.decaps('ML-KEM-768', dk, ok.c))).toBe(hex(ok.k));
    expect(b.connection.spawns).toBe(spawns + 1);
    expect(b.connection.pid).not.toBe(pid);
  });

  it('pipelined calls: only the crashing one fails, those queued behind it are rerun', async () => {
    const results = await Promise.allSettled([
      b.kem!.encaps('ML-KEM-768', ek, m(1)),
      b.kem!.encaps('ML-KEM-768', ek, m(0xab)),
      b.kem!.encaps('ML-KEM-768', ek, m(2)),
      b.kem!.decaps('ML-KEM-768', dk, bytes(1088, 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(CrashError);
  });

  it('the CrashError carries the stderr written during that call', async () => {
    await b.kem!.encaps('ML-KEM-768', ek, m(3)); // some earlier, unrelated activity
    const err = (await b.kem!.encaps('ML-KEM-768', ek, m(0xac)).catch((e: unknown) => e)) as CrashError;
    expect(err).toBeInstanceOf(CrashError);
    expect(err.signal).toBe('SIGABRT');
    expect(err.stderr).toContain('munmap_chunk(): invalid pointer');
    expect(err.message).toContain('munmap_chunk(): invalid pointer');
  });

  it('a hang times out, the child is killed and respawned', async () => {
    await b.kem!.encaps('ML-KEM-768', ek, m(1)); // a live child (the previous test crashed one)
    const spawns = b.connection.spawns;
    const t0 = performance.now();
    const err = await b.kem!.encaps('ML-KEM-768', ek, m(0xad)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(2_000);
    expect(performance.now() - t0).toBeLessThan(5_000);
    const ok = await b.kem!.encaps('ML-KEM-768', ek, m(1));
    expect(ok.k.length).toBe(32);
    expect(b.connection.spawns).toBe(spawns + 1);
  });

  it('console output in the child does not corrupt the stream; thrown errors are not crashes', async () => {
    await b.kem!.encaps('ML-KEM-768', ek, m(1));
    const spawns = b.connection.spawns;
    expect((await b.kem!.encaps('ML-KEM-768', ek, m(0xae))).c.length).toBe(1088);
    await expect(b.kem!.encaps('ML-KEM-768', ek, m(0xaf))).rejects.toBeInstanceOf(RejectedError);
    expect(b.connection.spawns).toBe(spawns);
  });

  it('bytes written straight to fd 1 are a ProtocolError that names the text; the child is replaced', async () => {
    await b.kem!.encaps('ML-KEM-768', ek, m(1));
    const spawns = b.connection.spawns;
    await expect(b.kem!.encaps('ML-KEM-768', ek, m(0xb0))).rejects.toThrow(/text "native printf noise/);
    expect((await b.kem!.encaps('ML-KEM-768', ek, m(1))).k.length).toBe(32);
    expect(b.connection.spawns).toBe(spawns + 1);
  });

  it('runs under a wrap prefix (how valgrind / ASan hosts plug in)', async () => {
    const w = await openChildBackend(`module:${fixture('faulty-kem.ts')}`, { wrap: ['env', 'PQC_WRAPPED=1'] });
    try {
      expect(w.describe().version).toBe('1-wrapped');
      expect((await w.kem!.keygen('ML-KEM-768', bytes(32, 1), bytes(32, 2))).ek.length).toBe(1184);
    } finally {
      await w.close!();
    }
  });

  it('close() ends the child; later calls are refused', async () => {
    const x = await openChildBackend(`module:${fixture('faulty-kem.ts')}`, {});
    await x.close!();
    expect(x.connection.pid).toBeUndefined();
    await expect(x.kem!.checkEncapsKey('ML-KEM-768', ek)).rejects.toThrow(/closed/);
    await x.close!();
  });

  it('a backend that cannot load fails at open, with its stderr', async () => {
    await expect(openChildBackend('module:/nonexistent/backend.ts', {})).rejects.toThrow(/during start-up[\s\S]*nonexistent/);
  });
});

describe('process: backends', () => {
  it('drives a standalone Python module wrapper', async () => {
    const py = await openProcessBackend(`python3 ${fixture('mw_echo.py')}`);
    try {
      expect(py.describe()).toMatchObject({ id: 'mw_echo', kind: 'python' });
      expect(py.capabilities().ops).toEqual(['kem.checkEncapsKey', 'kem.checkDecapsKey']);
      const local = createNobleBackend();
      for (const ps of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as const) {
        const { ek, dk } = await local.kem!.keygen(ps, bytes(32, 7), bytes(32, 8));
        expect(await py.kem!.checkEncapsKey(ps, ek)).toBe(true);
        expect(await py.kem!.checkDecapsKey(ps, dk)).toBe(true);
        const badEk = ek.slice();
        badEk[0] = 0xff;
        badEk[1] = 0xff;
        expect(await py.kem!.checkEncapsKey(ps, badEk)).toBe(await local.kem!.checkEncapsKey(ps, badEk));
        const badDk = dk.slice();
        badDk[badDk.length - 40]! ^= 1; // inside H(ek)
        expect(await py.kem!.checkDecapsKey(ps, badDk)).toBe(await local.kem!.checkDecapsKey(ps, badDk));
      }
      await expect(py.kem!.checkEncapsKey('ML-KEM-768', bytes(3))).rejects.toBeInstanceOf(RejectedError);
      await expect(py.kem!.encaps('ML-KEM-768', bytes(1184), bytes(32))).rejects.toBeInstanceOf(UnsupportedError);
    } finally {
      await py.close!();
    }
  });

  it('an external wrapper that exits mid-call is a crash with its exit code, then respawned', async () => {
    const py = await openProcessBackend(`python3 ${fixture('mw_echo.py')}`, { env: { MW_ECHO_CRASH_ON_FF: '1' } });
    try {
      const err = (await py.kem!.checkEncapsKey('ML-KEM-512', bytes(800, 0xff)).catch((e: unknown) => e)) as CrashError;
      expect(err).toBeInstanceOf(CrashError);
      expect(err.exitCode).toBe(3);
      expect(err.signal).toBeNull();
      expect(err.stderr).toContain('giving up on 0xFF');
      expect(await py.kem!.checkEncapsKey('ML-KEM-512', bytes(800, 0))).toBe(true);
    } finally {
      await py.close!();
    }
  });

  it('a wrapper without the describe extension gets the default description', async () => {
    const cmd = `python3 ${fixture('mw_echo.py')}`;
    const py = await openProcessBackend(cmd, { env: { MW_ECHO_NO_DESCRIBE: '1' } });
    try {
      expect(py.describe()).toEqual({ id: `process:${cmd}`, name: cmd, version: 'unknown', kind: 'process' });
      expect(py.capabilities().ops).toEqual(['kem.checkEncapsKey', 'kem.checkDecapsKey']);
    } finally {
      await py.close!();
    }
  });

  it('a program that never answers getConfig fails at open with a start-up timeout', async () => {
    const b = await openProcessBackend(`'${process.execPath}' -e "process.stdin.on('data', () => {})"`, { startupTimeoutMs: 1_500 }).catch((e: unknown) => e);
    expect(b).toBeInstanceOf(TimeoutError);
  });

  it('drives the harness child itself through process:', async () => {
    const tsx = (await import('node:module')).createRequire(import.meta.url).resolve('tsx');
    const main = fileURLToPath(new URL('../harness/hosts/child-main.ts', import.meta.url));
    const b = await openProcessBackend(`'${process.execPath}' --import '${tsx}' '${main}' noble`);
    try {
      expect(b.describe().id).toBe('noble');
      const kp = await b.dsa!.keygen('ML-DSA-44', bytes(32, 1));
      expect(kp.pk.length).toBe(1312);
    } finally {
      await b.close!();
    }
  });
});

describe('the bundled child (what the child, valgrind and ct hosts run in a checkout)', () => {
  it('serves a registry backend, and a seeded module of the package sharing its error classes', async () => {
    const noble = await bundledChild(parseSpec('noble'));
    expect(noble!.spec).toBe('noble');
    const fault = await bundledChild(parseSpec(`module:${FAULT_BACKEND}`));
    expect(fault!.spec).toMatch(/^module:.*\.cache\/bundles\/[0-9a-f]{16}\/harness\/selftest\/fault-backend\.mjs$/);
    const a = await openChildBackend(noble!.spec, { entry: noble!.entry });
    const b = await openChildBackend(fault!.spec, { entry: fault!.entry });
    try {
      const kp = await a.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32));
      expect(Buffer.from(kp.ek)).toEqual(Buffer.from(ml_kem768.keygen(new Uint8Array(64)).publicKey));
      // A refusal thrown by the bundled module arrives as the harness's RejectedError, not a bare Error.
      const noSuchFault = new Uint8Array(1088).fill(255);
      await expect(b.kem!.decaps('ML-KEM-768', new Uint8Array(2400), noSuchFault)).rejects.toThrow(RejectedError);
      await expect(b.kem!.decaps('ML-KEM-768', new Uint8Array(2400), noSuchFault)).rejects.toThrow('no fault #255');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('harness processes bundling at once agree on one folder and leave no staging folder behind', async () => {
    const script = `import { bundledChild } from './harness/hosts/bundle.ts'; import { parseSpec } from './backends/registry.ts'; console.log((await bundledChild(parseSpec('rust'))).entry);`;
    const one = () =>
      new Promise<string>((done, fail) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d));
        p.on('exit', (code) => (code === 0 ? done(out.trim()) : fail(new Error(`exit ${code}`))));
      });
    const entries = await Promise.all([one(), one(), one()]);
    expect(new Set(entries).size).toBe(1);
    const bundles = dirname(dirname(dirname(entries[0]!)));
    expect(readdirSync(bundles).filter((d) => d.includes('.tmp-'))).toEqual([]);
  });

  it('serves the plain child host when the run is not collecting its own coverage', async () => {
    const b = await withEnv({ NODE_V8_COVERAGE: undefined }, () => openHosted(parseSpec('noble'), 'child'));
    try {
      const children = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'args='], { encoding: 'utf8' });
      expect(children).toMatch(/\.cache\/bundles\/[0-9a-f]{16}\/harness\/hosts\/child-main\.mjs noble/);
      const kp = await b.kem!.keygen('ML-KEM-768', new Uint8Array(32), new Uint8Array(32));
      expect(Buffer.from(kp.ek)).toEqual(Buffer.from(ml_kem768.keygen(new Uint8Array(64)).publicKey));
    } finally {
      await b.close?.();
    }
  });

  it("names the TypeScript sources in the child's stack traces", async () => {
    await expect(withEnv({ NODE_V8_COVERAGE: undefined }, () => openHosted(parseSpec('json-abi:/nonexistent/libpqc.so'), 'child'))).rejects.toThrow(/backends\/json-abi\.ts:\d+/);
  });

  it('is not used for a module outside the package, or one already JavaScript', async () => {
    expect(await bundledChild(parseSpec('module:/tmp/elsewhere/impl.ts'))).toBeNull();
    expect(await bundledChild(parseSpec(`module:${fileURLToPath(new URL('./fixtures/crucible-noble.mjs', import.meta.url))}`))).toBeNull();
  });
});
