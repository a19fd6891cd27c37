// Property tests over EVERY export of libpqc_native's buffer ABI: wrong lengths,
// NULL pointers, oversized contexts, unknown parameter sets and hash ids,
// random and real key bytes. Each function's properties run in a CHILD process
// (tests/rust-abi-fuzz.child.ts, fast-check inside), so a native crash fails
// exactly that function's test with the signal named, and vitest's fork lives.
// Reproduce a failure with the printed command (fixed seed).
//
// Env: PQC_PROPS_RUNS (default 300 per function), PQC_PROPS_SEED (default:
// random per run, printed on failure), PQC_RUST_LIB (library path).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { BUFFER_ABI, DEFAULT_RUST_LIBRARY, type BufferAbiName } from '../backends/rust.ts';
import { env } from '../model/config.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./rust-abi-fuzz.child.ts', import.meta.url));
const LIB = env('PQC_RUST_LIB') ?? DEFAULT_RUST_LIBRARY;
const RUNS = Number(env('PQC_PROPS_RUNS') ?? 300);
const SEED = Number(env('PQC_PROPS_SEED') ?? Math.floor(Math.random() * 0x7fffffff));

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // 'close' only: it fires after the streams drain, also after a signal.
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** stderr minus the library's one-line notes about panics it caught (expected for garbage keys). */
function unexpectedStderr(s: string): string {
  return s
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('pqc_native: caught panic') && !/^assertion failed|^[a-z_ ]+ (out of range|overflow)/i.test(l))
    .join('\n');
}

const FUNCS = Object.keys(BUFFER_ABI) as BufferAbiName[];
const CHECKED = FUNCS.filter((f) => f.startsWith('pqc_kem_') || f.startsWith('pqc_dsa_')).filter((f) => !f.endsWith('_sizes'));

describe('rust buffer ABI: every function answers a status, never crashes (child process)', () => {
  it('library is built', () => {
    expect(existsSync(LIB), `${LIB} missing: run \`npm run setup\``).toBe(true);
  });

  it.each(FUNCS)('%s', async (fn) => {
    const r = await runChild([fn, String(RUNS), String(SEED), LIB]);
    const repro = `node --import tsx tests/rust-abi-fuzz.child.ts ${fn} ${RUNS} ${SEED} ${LIB}`;
    expect(r.signal, `child killed by ${r.signal} (a native crash)\nrepro: ${repro}\n${r.stderr.slice(-3000)}`).toBeNull();
    expect(r.code, `property failed\nrepro: ${repro}\n${r.stderr.slice(-3000)}`).toBe(0);
    const last = r.stdout.trim().split('\n').pop() ?? '';
    const summary = JSON.parse(last) as { fn: string; runs: number; statuses: Record<string, number> };
    expect(summary.fn).toBe(fn);
    expect(summary.runs).toBe(RUNS);
    const total = Object.values(summary.statuses).reduce((a, b) => a + b, 0);
    expect(total).toBe(RUNS);
    if (CHECKED.includes(fn) && RUNS >= 100) {
      // The generators reached each argument check and the operation itself.
      for (const st of ['1', '4', '5']) expect(summary.statuses[st] ?? 0, `${fn}: status ${st} never produced`).toBeGreaterThan(0);
      const ran = (summary.statuses['0'] ?? 0) + (summary.statuses['2'] ?? 0) + (summary.statuses['3'] ?? 0);
      expect(ran, `${fn}: the operation itself never ran`).toBeGreaterThan(0);
    }
    expect(unexpectedStderr(r.stderr)).toBe('');
  });
});
