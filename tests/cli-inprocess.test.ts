// The CLI's main() in this process (the end-to-end tests in cli.test.ts run it
// as a subprocess, which V8 coverage of this process cannot see).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import type { Results } from '../model/results.ts';

let out: string[] = [];
beforeEach(() => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

const MUTANT = resolve(import.meta.dirname, 'fixtures', 'mutants', 'flip-shared-secret.ts');

describe('pqc-harness main()', () => {
  it('run, write-baseline, baseline, merge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-main-'));
    const base = join(dir, 'baseline.json');
    const a = ['run', '--backend', `module:${MUTANT}`, '--suite', 'acvp', '--param', 'ML-KEM-512'];
    expect(await main([...a, '--out', join(dir, 'r1'), '--write-baseline', base])).toBe(1);
    expect(out.join('\n')).toMatch(/module:.*flip-shared-secret\.ts\s+acvp\s+ML-KEM-encapDecap\s+90\s+30\s+0\s+0\s+0\s+0\s+FAIL/);
    const baseline = JSON.parse(readFileSync(base, 'utf8')) as { failures: unknown[] };
    expect(baseline.failures).toHaveLength(30);

    out = [];
    expect(await main([...a, '--out', join(dir, 'r2'), '--baseline', base])).toBe(0);
    expect(out.join('\n')).toContain('30 known failure(s) from the baseline');
    expect(out.join('\n')).toMatch(/ML-KEM-encapDecap\s+90\s+30\s+0\s+0\s+0\s+0\s+KNOWN/);

    expect(await main(['report', 'merge', join(dir, 'r1'), '--out', join(dir, 'm'), '--baseline', base])).toBe(0);
    const merged = JSON.parse(readFileSync(join(dir, 'm', 'results.json'), 'utf8')) as Results;
    expect(merged.cases).toHaveLength(145);
  }, 120_000);

  it('strict mode fails on skips (exit 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-main-'));
    expect(await main(['run', '--backend', 'json-abi:target/release/libpqc_native.so', '--host', 'inproc', '--suite', 'acvp', '--param', 'ML-KEM-768', '--strict', '--out', dir])).toBe(3);
  }, 60_000);

  it('help, usage errors and the vectors listing', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(out.join('\n')).toContain('Exit codes: 0 passed; 1 failures; 2 usage or input error; 3 --strict with skips.');
    expect(await main([])).toBe(2);
    expect(await main(['report', 'merge'])).toBe(2);
    expect(await main(['vectors', 'nope'])).toBe(2);
    expect(await main(['selftest', 'nope'])).toBe(2);
    out = [];
    expect(await main(['vectors', 'where'])).toBe(0);
    expect(out.join('\n')).toMatch(/root \(shared\): .*shared\/vectors/);
    expect(out.filter((l) => l.includes('MISSING'))).toEqual([]);
  });
});
