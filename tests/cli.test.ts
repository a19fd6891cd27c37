// The CLI end to end, as a user runs it: a real process, real vectors, real files.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Results } from '../model/results.ts';
import { cli } from './cli-process.ts';

const MUTANTS = resolve(import.meta.dirname, 'fixtures', 'mutants');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string; results: Results; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'pqc-cli-'));
  const r = await cli(['run', ...args, '--out', out]);
  return { ...r, out, results: JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results };
}

describe('pqc-harness run --backend noble --suite acvp', () => {
  it('reports all 1770 ACVP cases, none failing, every skip with a reason', async () => {
    const { code, stdout, results, out } = await run(['--backend', 'noble', '--suite', 'acvp']);
    expect(results.cases.length).toBe(1770);
    expect(results.summary).toMatchObject({ fail: 0, crash: 0, timeout: 0, error: 0 });
    const skips = results.cases.filter((c) => c.status === 'skip');
    // noble refuses a pre-hash weaker than the parameter set: 44 + 95 sigGen, 23 sigVer (vectors README).
    expect(skips.filter((c) => c.family === 'ML-DSA-sigGen').length).toBe(44 + 95);
    expect(skips.filter((c) => c.family === 'ML-DSA-sigVer').length).toBe(23);
    for (const s of skips) expect(s.reason).toMatch(/refuses HashML-DSA with \S+ for ML-DSA-\d+/);
    expect(results.summary.pass).toBe(1770 - skips.length);
    expect(code).toBe(0);
    expect(stdout).toMatch(/noble\s+acvp\s+ML-DSA-sigGen\s+941\s+0\s+139/);

    const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'model', 'results.schema.json'), 'utf8'));
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
    expect(validate(results), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(results.run.vectors.map((v) => v.file)).toContain('acvp-server/ML-DSA-sigGen-FIPS204-tr1/prompt.json.gz');
    expect(results.backends[0]).toMatchObject({ id: 'noble', name: '@noble/post-quantum', version: '0.7.1', kind: 'js' });
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBe(1770);
  }, 180_000);
});

describe('mutant plugin backends fail the gate and name the cases', () => {
  it('a flipped bit of the ML-KEM shared secret fails every decapsulation', async () => {
    const { code, results } = await run(['--backend', `module:${MUTANTS}/flip-shared-secret.ts`, '--suite', 'acvp', '--param', 'ML-KEM-512']);
    expect(code).toBe(1);
    const failed = results.cases.filter((c) => c.status === 'fail');
    expect(failed.length).toBe(10 + 20);
    for (const c of failed) {
      expect(c.op).toBe('kem.decaps');
      expect(c.reason).toBe('k: differs from byte 0');
      expect(c.expected!.k).not.toBe(c.got!.k);
      expect(c.inputs!.c).toMatch(/^[0-9a-f]+$/);
    }
  }, 60_000);

  it('an ignored ML-DSA context fails the external pure cases with a non-empty context, and only those', async () => {
    const { code, results } = await run(['--backend', `module:${MUTANTS}/ignore-context.ts`, '--suite', 'acvp', '--param', 'ML-DSA-44']);
    expect(code).toBe(1);
    const failed = results.cases.filter((c) => c.status === 'fail');
    expect(failed.length).toBeGreaterThan(20);
    for (const c of failed) {
      expect(['dsa.sign', 'dsa.verify']).toContain(c.op);
      expect(c.inputs!.context).not.toBe('');
    }
    // Signing cases with an empty context still pass: the mutant is only wrong where it matters.
    const emptyCtxSigns = results.cases.filter((c) => c.op === 'dsa.sign' && c.status === 'pass');
    expect(emptyCtxSigns.length).toBeGreaterThan(0);
  }, 120_000);

  it('a missing encapsulation-key check fails exactly the keys that should be rejected', async () => {
    const { code, results, stdout } = await run(['--backend', `module:${MUTANTS}/no-encaps-key-check.ts`, '--suite', 'acvp', '--param', 'ML-KEM-768']);
    expect(code).toBe(1);
    const failed = results.cases.filter((c) => c.status === 'fail');
    expect(failed.length).toBe(10);
    for (const c of failed) {
      expect(c.op).toBe('kem.checkEncapsKey');
      expect(c.expected).toEqual({ testPassed: false });
      expect(stdout).toContain(c.id);
    }
  }, 60_000);
});

describe('usage and input errors exit 2 with a clear message', () => {
  it('unknown backend, suite, parameter set, shard', async () => {
    const backend = await cli(['run', '--backend', 'nope']);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toContain("unknown backend 'nope'");
    const suite = await cli(['run', '--suite', 'nope']);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toContain("unknown suite 'nope'");
    const param = await cli(['run', '--param', 'ML-KEM-769']);
    expect(param.code).toBe(2);
    expect(param.stderr).toContain("unknown parameter set 'ML-KEM-769'");
    const shard = await cli(['run', '--shard', '3/2']);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('--shard expects i/n');
    expect((await cli(['frobnicate'])).code).toBe(2);
  }, 60_000);

  it('numbers that are not positive integers, and a spec without its value, are usage errors naming the option', async () => {
    const bad = [
      [['--timeout-ms', 'abc'], '--timeout-ms'],
      [['--timeout-ms', '0'], '--timeout-ms'],
      [['--timeout-ms=-5'], '--timeout-ms'],
      [['--jobs', '1.5'], '--jobs'],
      [['--backend', 'process:'], "backend 'process:' needs a value: process:CMD"],
    ] as const;
    const runs = await Promise.all(bad.map(([args]) => cli(['run', '--suite', 'acvp', '--param', 'ML-KEM-512', ...args])));
    runs.forEach((r, i) => {
      expect(r.code, bad[i]![0].join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toContain(bad[i]![1]);
    });
  }, 60_000);

  it('backends lists availability, versions and capabilities', async () => {
    const r = await cli(['backends', '--backend', 'noble,json-abi:/nonexistent/lib.so']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/noble: available\s+@noble\/post-quantum 0\.7\.1/);
    expect(r.stdout).toContain('json-abi:/nonexistent/lib.so: NOT available');
    const unknown = await cli(['backends', '--backend', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown backend 'nope'; known: noble, rust/);
  });

  it('vectors verify checks every pinned file', async () => {
    const r = await cli(['vectors', 'verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^57 verified, 0 failed$/m);
  });
});
