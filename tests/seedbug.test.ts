// The story the product exists for, end to end and natively: the seed's ctypes
// bug (backends/python/pqc_bridge_seedbug.py) next to the correct bridge, on the
// ACVP ML-KEM-768 encapDecap cases. Every twin case that calls a JSON-returning
// function aborts in glibc; the run carries on (a fresh Python per crash); the
// crashes read as ONE cause with the c_char_p diagnosis and its fix; and the
// correct binding of the same library passing the same cases proves the keys
// were right. FAILS (never skips) when the library has not been built.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

import { groupCauses } from '../model/causes.ts';
import { causesText } from '../reports/causes-text.ts';
import { runConformance } from '../harness/runner.ts';
import { toHtml } from '../reports/html/page.ts';
import type { CaseResult, Results } from '../model/results.ts';

const LIB = fileURLToPath(new URL('../target/release/libpqc_native.so', import.meta.url));
/** Contract ops whose bridge call goes through a JSON-returning function of the library. */
const JSON_OPS = new Set(['kem.encaps', 'kem.decaps', 'kem.keygenRandom', 'dsa.keygen', 'dsa.sign', 'dsa.verify', 'dsa.keygenRandom']);

describe('python vs python-seedbug on ACVP ML-KEM-768 encapDecap (native host)', () => {
  let r: Results;
  let wallMs = 0;
  const of = (backend: string): CaseResult[] => r.cases.filter((c) => c.backend === backend && c.family === 'ML-KEM-encapDecap');

  beforeAll(async () => {
    expect(existsSync(LIB), `${LIB} missing: run \`npm run setup\``).toBe(true);
    const t0 = performance.now();
    r = await runConformance({ backends: ['python', 'python-seedbug'], suites: ['acvp'], params: ['ML-KEM-768'], host: 'auto' });
    wallMs = performance.now() - t0;
  });

  it('the correct bridge passes every case it can run', () => {
    const py = of('python');
    expect(py.filter((c) => c.status !== 'skip').every((c) => c.status === 'pass')).toBe(true);
    expect(py.filter((c) => c.status === 'pass').length).toBeGreaterThanOrEqual(50);
  });

  it('every twin case that calls a JSON function aborts in glibc, and the run goes on to the end', () => {
    const py = of('python');
    const twin = of('python-seedbug');
    expect(twin.map((c) => c.id)).toEqual(py.map((c) => c.id)); // a result for every case: the run continued
    const ran = twin.filter((c) => c.status !== 'skip');
    expect(ran.length).toBeGreaterThanOrEqual(50);
    expect(ran.every((c) => JSON_OPS.has(c.op))).toBe(true);
    for (const c of ran) {
      expect(c.status, c.id).toBe('crash');
      expect(c.crash?.signal, c.id).toBe('SIGABRT');
      // Measured on glibc 2.36 / CPython 3.11: always this line (free(): invalid pointer / invalid size are the
      // same bug with other object headers; the diagnosis accepts them too).
      expect(c.crash?.stderr, c.id).toContain('munmap_chunk(): invalid pointer');
      const f = c.findings[0]!;
      expect(f).toMatchObject({ tool: 'glibc', kind: 'invalid-free' });
      expect(f.message).toMatch(/^munmap_chunk\(\): invalid pointer/);
      // faulthandler's stack names the line with the bad free.
      expect(f.frames[0]).toMatchObject({ fn: 'take', file: expect.stringMatching(/pqc_bridge_seedbug\.py$/) });
    }
    // The crashed cases are exactly the ones the correct bridge passed.
    expect(ran.map((c) => c.id)).toEqual(py.filter((c) => c.status === 'pass').map((c) => c.id));
    // Skips are the same, with reasons.
    for (const c of twin.filter((x) => x.status === 'skip')) expect(c.reason).toMatch(/does not offer/);
    console.info(`seedbug run: ${ran.length} crashes (one fresh Python each), wall ${Math.round(wallMs)} ms`);
  });

  it('groups all crashes as ONE cause with the c_char_p diagnosis, the fix, and proof the answers were right', () => {
    const crashed = r.cases.filter((c) => c.status === 'crash');
    const causes = groupCauses(r);
    expect(causes).toHaveLength(1);
    const [cause] = causes;
    expect(cause!.cases.map((c) => c.id).sort()).toEqual(crashed.map((c) => c.id).sort());
    expect(cause!.backends).toEqual(['python-seedbug']);
    expect(cause!.diagnosis).toMatchObject({ id: 'ctypes-c_char_p-owned-free', bindingBug: true });
    expect(cause!.diagnosis!.title).toMatch(/c_char_p/);
    expect(cause!.diagnosis!.fix).toMatch(/c_void_p[\s\S]*string_at/);
    expect(cause!.diagnosis!.evidence.join('\n')).toMatch(/take \(backends\/python\/pqc_bridge_seedbug\.py:\d+\)/);
    expect(cause!.answers).toMatchObject({ backend: 'python', sameLibrary: true, passed: crashed.length, of: crashed.length });

    const text = causesText(r);
    expect(text.split('\n')[0]).toBe(`Causes: ${crashed.length} cases, 1 cause: ${cause!.diagnosis!.title}`);
    expect(text).toContain('Fix: Declare `restype = ctypes.c_void_p`');
    expect(text).toContain(`through the correct binding \`python\``);
    expect(text).toContain('The bug is in the binding, not the crypto.');

    const html = toHtml(r);
    expect(html).toContain(`${crashed.length} case(s), 1 cause:`);
    expect(html).toContain('data-diagnosis="ctypes-c_char_p-owned-free"');
    expect(html).toContain('<strong>Fix:</strong> Declare `restype = ctypes.c_void_p`');
    expect(html).toContain('The bug is in the binding, not the crypto.');
  });
});

// Under memcheck the bad free does not abort: valgrind names it, and the frames
// show the pointer is 32 bytes inside a bytes object from PyBytes_FromStringAndSize.
describe.skipIf(!existsSync('/usr/bin/valgrind'))('python-seedbug under --host valgrind', () => {
  it('every JSON call has an invalid free inside a PyBytes_FromStringAndSize block, grouped as one c_char_p cause', async () => {
    const r = await runConformance({ backends: ['python-seedbug'], suites: ['acvp'], params: ['ML-KEM-768'], host: 'valgrind' });
    const ran = r.cases.filter((c) => c.status !== 'skip');
    expect(ran.length).toBe(70);
    for (const c of ran) {
      expect(c.status, c.id).not.toBe('pass');
      expect(c.findings.length, c.id).toBeGreaterThan(0);
      expect(c.findings[0]).toMatchObject({ tool: 'valgrind', kind: 'invalid-free' });
      expect(c.findings[0]!.message).toMatch(/32 bytes inside a block of size [\d,]+ alloc'd at PyBytes_FromStringAndSize/);
    }
    const causes = groupCauses(r);
    expect(causes).toHaveLength(1);
    expect(causes[0]!.cases.length).toBe(70);
    expect(causes[0]!.diagnosis).toMatchObject({ id: 'ctypes-c_char_p-owned-free', bindingBug: true });
    // The lost pointers: CString memory the binding never freed, reported at exit.
    expect(r.backends[0]!.findings?.some((f) => f.kind === 'leak')).toBe(true);
  }, 600_000);
});

// Under ASan (runtime preloaded into the Python process itself) the same free is a bad-free inside the bytes object.
describe('python-seedbug under --host asan', () => {
  it('every JSON call is an ASan invalid free, grouped as one c_char_p cause', async () => {
    const r = await runConformance({ backends: ['python-seedbug'], suites: ['acvp'], params: ['ML-KEM-768'], host: 'asan' });
    const ran = r.cases.filter((c) => c.status !== 'skip');
    expect(ran.length).toBe(70);
    for (const c of ran) {
      expect(c.status, c.id).toBe('crash');
      expect(c.findings.find((f) => f.tool === 'asan'), c.id).toMatchObject({ kind: 'invalid-free' });
    }
    const causes = groupCauses(r);
    expect(causes).toHaveLength(1);
    expect(causes[0]!.diagnosis).toMatchObject({ id: 'ctypes-c_char_p-owned-free', bindingBug: true });
  }, 300_000);
});
