// crash-stderr.ts, causes.ts and diagnoses.ts: crash stderr → findings, known FFI mistakes → diagnoses,
// and (live, when valgrind is installed) what memcheck reports for the seed's
// ctypes bug, read through the valgrind host's own XML reader.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { findingsFromCrash } from '../harness/hosts/crash-stderr.ts';
import { groupCauses } from '../model/causes.ts';
import { encodeFrame } from '../backends/modulewrapper/codec.ts';
import { ValgrindXmlParser, toFinding, type VgError } from '../harness/hosts/valgrind-xml.ts';
import { pythonArgv } from '../backends/python.ts';
import { RESULTS_SCHEMA, summarize, type BackendEntry, type CaseResult, type Finding, type Results } from '../model/results.ts';

const SEEDBUG_STDERR = `munmap_chunk(): invalid pointer
Fatal Python error: Aborted

Current thread 0x00007f6b51662b80 (most recent call first):
  File "/repo/backends/python/pqc_bridge_seedbug.py", line 36 in take
  File "/repo/backends/python/pqc_bridge.py", line 91 in call
  File "/repo/backends/python/pqc_bridge.py", line 111 in kem_encap
  File "/repo/backends/python/modulewrapper.py", line 105 in serve
`;

describe('findingsFromCrash', () => {
  it('reads glibc\'s abort line and the Python faulthandler stack', () => {
    const [f, ...rest] = findingsFromCrash('SIGABRT', SEEDBUG_STDERR);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ tool: 'glibc', kind: 'invalid-free' });
    expect(f!.message).toMatch(/^munmap_chunk\(\): invalid pointer: .*\(SIGABRT\)$/);
    expect(f!.frames.slice(0, 2)).toEqual([
      { fn: 'take', file: '/repo/backends/python/pqc_bridge_seedbug.py', line: 36 },
      { fn: 'call', file: '/repo/backends/python/pqc_bridge.py', line: 91 },
    ]);
  });

  it.each([
    ['free(): invalid pointer', 'invalid-free'],
    ['free(): invalid size', 'invalid-free'],
    ['munmap_chunk(): invalid pointer', 'invalid-free'],
    ['free(): double free detected in tcache 2', 'double-free'],
    ['double free or corruption (out)', 'double-free'],
    ['double free or corruption (fasttop)', 'double-free'],
    ['double free or corruption (!prev)', 'double-free'],
    ['free(): invalid next size (fast)', 'heap-overflow'],
    ['corrupted size vs. prev_size', 'heap-overflow'],
    ['malloc(): corrupted top size', 'heap-overflow'],
    ['realloc(): invalid pointer', 'invalid-free'],
  ])('%s → %s', (line, kind) => {
    const fs = findingsFromCrash('SIGABRT', `${line}\n`);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ tool: 'glibc', kind, frames: [] });
    expect(fs[0]!.message.startsWith(line)).toBe(true);
  });

  it('reads a Python traceback innermost first, and a Node stack', () => {
    const tb = 'Traceback (most recent call last):\n  File "a.py", line 3, in <module>\n    main()\n  File "a.py", line 2, in main\n    lib.free(s)\nfree(): invalid pointer\n';
    expect(findingsFromCrash('SIGABRT', tb)[0]!.frames).toEqual([{ fn: 'main', file: 'a.py', line: 2 }, { fn: '<module>', file: 'a.py', line: 3 }]);
    const node = 'free(): invalid pointer\n    at freeString (file:///app/bind.js:12:7)\n    at /app/main.js:3:1\n';
    expect(findingsFromCrash('SIGABRT', node)[0]!.frames).toEqual([{ fn: 'freeString', file: '/app/bind.js', line: 12 }, { fn: '<anonymous>', file: '/app/main.js', line: 3 }]);
  });

  it('a Rust panic unwinding into extern "C" is an abort finding naming the panic', () => {
    const stderr = [
      "thread '<unnamed>' panicked at src/json_abi.rs:88:9:",
      'index out of bounds: the len is 3 but the index is 7',
      'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
      "thread '<unnamed>' panicked at library/core/src/panicking.rs:226:5:",
      'panic in a function that cannot unwind',
      'thread caused non-unwinding panic. aborting.',
    ].join('\n');
    const [f] = findingsFromCrash('SIGABRT', stderr);
    expect(f).toMatchObject({ tool: 'signal', kind: 'abort' });
    expect(f!.message).toBe('Rust panic across the FFI boundary: panicked at src/json_abi.rs:88:9: index out of bounds: the len is 3 but the index is 7 (panic in a function that cannot unwind) (SIGABRT)');
  });

  it('a caught panic (the library\'s own hook line) or a bare crash is not a finding', () => {
    expect(findingsFromCrash(null, 'pqc_native: caught panic (returned as a status code): boom\n')).toEqual([]);
    expect(findingsFromCrash('SIGSEGV', '')).toEqual([]);
    expect(findingsFromCrash(null, 'mw_echo: giving up on 0xFF\n')).toEqual([]);
    const segv = findingsFromCrash('SIGSEGV', 'Fatal Python error: Segmentation fault\n\nCurrent thread 0x1 (most recent call first):\n  File "/x/b.py", line 9 in go\n');
    expect(segv).toEqual([{ tool: 'signal', kind: 'other', message: 'SIGSEGV: segmentation fault (invalid memory access)', frames: [{ fn: 'go', file: '/x/b.py', line: 9 }] }]);
  });
});

// ---------------------------------------------------------------------------

function backend(id: string, over: Partial<BackendEntry> = {}): BackendEntry {
  return { id, name: id, version: '1', kind: 'process', capabilities: { parameterSets: [], ops: [] }, ...over };
}
function kase(id: string, backendId: string, over: Partial<CaseResult> = {}): CaseResult {
  return { id, backend: backendId, suite: 'acvp', family: 'ML-KEM-encapDecap', parameterSet: 'ML-KEM-768', op: 'kem.encaps', source: null, status: 'pass', durationMs: 1, findings: [], ...over };
}
function run(backends: BackendEntry[], cases: CaseResult[]): Results {
  return {
    schema: RESULTS_SCHEMA,
    run: { startedAt: '', finishedAt: '', harnessVersion: '0', node: '', platform: '', host: 'auto', argv: [], vectors: [] },
    backends,
    cases,
    summary: summarize(cases),
  };
}
const crashWith = (findings: Finding[], stderr = '', signal: string | null = 'SIGABRT'): Partial<CaseResult> => ({ status: 'crash', reason: 'died', crash: { signal, exitCode: null, stderr }, findings });
const lib = { path: '/lib/libpqc_native.so', sha256: 'ab'.repeat(32) };

describe('diagnoses', () => {
  it('two entry points crashing at one line are one cause; a binding of the same library proves the answers', () => {
    const decapStderr = SEEDBUG_STDERR.replace('kem_encap', 'kem_decap');
    const r = run(
      [backend('twin', { kind: 'python', library: lib }), backend('good', { kind: 'python', library: lib }), backend('noble', { kind: 'js' })],
      [
        kase('a', 'twin', crashWith(findingsFromCrash('SIGABRT', SEEDBUG_STDERR), SEEDBUG_STDERR)),
        kase('b', 'twin', { op: 'kem.decaps', ...crashWith(findingsFromCrash('SIGABRT', decapStderr), decapStderr) }),
        kase('a', 'good'),
        kase('b', 'good'),
        kase('a', 'noble'),
        kase('b', 'noble'),
      ],
    );
    const causes = groupCauses(r);
    expect(causes).toHaveLength(1);
    expect(causes[0]!.frames).toBe('take (pqc_bridge_seedbug.py:36)');
    expect(causes[0]!.diagnosis?.id).toBe('ctypes-c_char_p-owned-free');
    expect(causes[0]!.answers).toMatchObject({ backend: 'good', sameLibrary: true, passed: 2, of: 2 });
  });

  it('without a binding of the same library, the answers are not vouched for', () => {
    const r = run([backend('twin', { kind: 'python', library: lib }), backend('noble', { kind: 'js' })], [
      kase('a', 'twin', crashWith(findingsFromCrash('SIGABRT', SEEDBUG_STDERR), SEEDBUG_STDERR)),
      kase('a', 'noble'),
    ]);
    const a = groupCauses(r)[0]!.answers!;
    expect(a).toMatchObject({ backend: 'noble', sameLibrary: false, passed: 1 });
    expect(a.text).toMatch(/library's own answers are unchecked/);
    const stderr = 'free(): invalid pointer\n';
    const alone = groupCauses(run([backend('twin', { kind: 'python' })], [kase('a', 'twin', crashWith(findingsFromCrash('SIGABRT', stderr), stderr))]));
    // No Python frame on stderr, but a Python backend and glibc's line: still the ctypes mistake.
    expect(alone[0]!.diagnosis?.id).toBe('ctypes-c_char_p-owned-free');
    expect(alone[0]!.answers?.text).toMatch(/^No other binding of this library ran these cases/);
  });

  // Measured with valgrind 3.19 on the twin (see model/diagnoses.ts header); shaped as valgrind-xml.ts toFinding builds it.
  const vgInvalidFree: Finding = {
    tool: 'valgrind',
    kind: 'invalid-free',
    message: "Invalid free() / delete / delete[] / realloc(); Address 0x6084230 is 32 bytes inside a block of size 7,218 alloc'd at malloc (vg_replace_malloc.c:381); during ML-KEM-768/encap",
    frames: [
      { fn: 'free', obj: '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so' },
      { fn: '0x4E5B9F5', obj: '/usr/lib/x86_64-linux-gnu/libffi.so.8.1.2' },
      { fn: '0x4E5A40D', obj: '/usr/lib/x86_64-linux-gnu/libffi.so.8.1.2' },
      { fn: 'ffi_call', obj: '/usr/lib/x86_64-linux-gnu/libffi.so.8.1.2' },
      { fn: '0x4E4E5A0', obj: '/usr/lib/python3.11/lib-dynload/_ctypes.cpython-311-x86_64-linux-gnu.so' },
    ],
  };

  it.each([
    ['valgrind: invalid free inside a ctypes bytes object', [vgInvalidFree], '', 'SIGABRT', 'ctypes-c_char_p-owned-free'],
    ['valgrind: the lost owned string', [{ tool: 'valgrind', kind: 'leak', message: '7,186 bytes in 1 blocks are definitely lost', frames: [{ fn: 'realloc' }, { fn: '<alloc::ffi::c_str::CString>::_from_vec_unchecked' }, { fn: 'pqc_native::json_abi::to_c' }, { fn: 'ffi_call' }, { fn: '0x1', obj: '/usr/lib/python3.11/lib-dynload/_ctypes.so' }] }], '', null, 'ctypes-c_char_p-owned-leak'],
    ['koffi: a JS string given to free', [{ tool: 'valgrind', kind: 'invalid-free', message: "Invalid free(); Address 0x1ffefff8 is on thread 1's stack", frames: [{ fn: 'free' }, { fn: 'pqc_free_string' }, { fn: '0x5', obj: '/app/node_modules/koffi/build/koffi/linux_x64/koffi.node' }] }], '', 'SIGSEGV', 'koffi-js-string-free'],
    ['koffi: str return leaks', [{ tool: 'valgrind', kind: 'leak', message: '64 bytes definitely lost', frames: [{ fn: 'malloc' }, { fn: 'alloc::ffi::c_str::CString::into_raw' }, { fn: '0x9', obj: '/x/koffi.node' }] }], '', null, 'koffi-str-owned-leak'],
    ['wrong allocator', [{ tool: 'valgrind', kind: 'mismatched-free', message: 'Mismatched free() / delete / delete []', frames: [{ fn: 'free' }] }], '', 'SIGABRT', 'wrong-allocator'],
    ['invalid free through a Rust allocator', [{ tool: 'asan', kind: 'invalid-free', message: 'attempting free on address which was not malloc()-ed', frames: [{ fn: 'free' }, { fn: '__rust_dealloc' }, { fn: 'pqc_free_string' }] }], '', 'SIGABRT', 'wrong-allocator'],
    ['panic across FFI', findingsFromCrash('SIGABRT', "thread 'main' panicked at src/lib.rs:1:1:\nboom\npanic in a function that cannot unwind\n"), '', 'SIGABRT', 'rust-panic-across-ffi'],
  ] as [string, Finding[], string, string | null, string][])('%s', (_, findings, stderr, signal, id) => {
    const r = run([backend('b', { kind: 'json-abi', notes: ['koffi'] })], [kase('a', 'b', findings[0]!.kind === 'leak' ? { status: 'fail', reason: 'leak', findings } : crashWith(findings, stderr, signal))]);
    const [c] = groupCauses(r);
    expect(c!.diagnosis?.id).toBe(id);
    expect(c!.diagnosis!.fix.length).toBeGreaterThan(40);
  });

  it('a plain wrong answer has no FFI diagnosis', () => {
    const r = run([backend('b')], [kase('a', 'b', { status: 'fail', reason: 'k mismatch' })]);
    expect(groupCauses(r)[0]!.diagnosis).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------
// Live: the twin under memcheck, by hand (the valgrind host drives the same thing).

const LIB = fileURLToPath(new URL('../target/release/libpqc_native.so', import.meta.url));
const PY = '/usr/bin/python3';
const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;

function memcheck(variant: 'python' | 'python-seedbug'): VgError[] {
  const dir = mkdtempSync(join(tmpdir(), 'pqc-vg-py-'));
  try {
    const xml = join(dir, 'vg.xml');
    const reqs = [['getConfig'], ['ML-KEM-768/keyGen/random'], ['ML-DSA-65/keyGen', new Uint8Array(32)]];
    const input = Buffer.concat(reqs.map((r) => encodeFrame(r)));
    const p = spawnSync('valgrind', ['--xml=yes', `--xml-file=${xml}`, '--leak-check=full', '--show-leak-kinds=definite', '--keep-debuginfo=yes', ...pythonArgv({ variant, python: PY })], {
      input,
      env: { ...process.env, PYTHONMALLOC: 'malloc' },
      timeout: 120_000,
    });
    expect(p.error).toBeUndefined();
    return new ValgrindXmlParser().push(readFileSync(xml, 'utf8')).flatMap((r) => (r.type === 'error' ? [r.error] : []));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasValgrind || !existsSync(PY) || !existsSync(LIB))('the seed bug under valgrind (/usr/bin/python3, PYTHONMALLOC=malloc)', () => {
  it('is an invalid free inside a bytes object from PyBytes_FromStringAndSize, diagnosed as the c_char_p mistake; the correct bridge is clean', () => {
    const errs = memcheck('python-seedbug');
    const bad = errs.filter((e) => e.kind === 'InvalidFree');
    expect(bad).toHaveLength(1); // memcheck reports an identical error once (the markers' error count sees both)
    const e = bad[0]!;
    expect(e.auxwhat[0]).toMatch(/^Address 0x[0-9a-f]+ is 32 bytes inside a block of size [\d,]+ alloc'd$/);
    expect(e.stacks[1]!.map((f) => f.fn)).toContain('PyBytes_FromStringAndSize');
    expect(e.stacks[0]!.map((f) => f.fn)).toContain('ffi_call');
    // The lost owned strings: definite leaks from the library's CString.
    const leaks = errs.filter((x) => x.kind === 'Leak_DefinitelyLost' && x.stacks[0]!.some((f) => /CString/.test(f.fn ?? '')));
    expect(leaks.length).toBeGreaterThanOrEqual(1);

    const f = toFinding(e, 'during ML-KEM-768/keyGen/random');
    const r = run([backend('python-seedbug', { kind: 'python' })], [kase('a', 'python-seedbug', { status: 'fail', reason: 'memory finding', findings: [f] })]);
    expect(groupCauses(r)[0]!.diagnosis?.id).toBe('ctypes-c_char_p-owned-free');

    const good = memcheck('python');
    expect(good.filter((x) => x.kind === 'InvalidFree')).toEqual([]);
    expect(good.filter((x) => x.kind === 'Leak_DefinitelyLost' && x.stacks[0]!.some((fr) => /CString|pqc_native/.test(fr.fn ?? '')))).toEqual([]);
  });
});

describe('cause grouping of refusal messages', () => {
  it('one kind of refusal is one cause, whatever lengths and numbers its message carries', () => {
    // The 41 messages Go's FIPS wrapper gave for one refusal kind (length of a malformed ciphertext), made here with 41 lengths.
    const lengths = [4, 1090, 1092, 1119, ...Array.from({ length: 37 }, (_, i) => 1200 + 7 * i)];
    const stderr = (n: number) => `processing error: command "ML-KEM-768/decap" failed: mlkem: invalid ciphertext length: got length=${n}, want 1088\n`;
    const cases = lengths.map((n, i) => kase(`wycheproof/mlkem_768/tc${i}`, 'go', { status: 'fail', reason: `backend rejected the input: ${stderr(n)}` }));
    const causes = groupCauses(run([backend('go', { kind: 'process' })], cases));
    expect(causes).toHaveLength(1);
    expect(causes[0]!.cases).toHaveLength(41);
    expect(causes[0]!.title).toContain('"ML-KEM-768/decap"');
    // Another refusal kind, and the same kind on another parameter set, stay apart.
    const other = groupCauses(run([backend('go', { kind: 'process' })], [
      ...cases,
      kase('x/1', 'go', { status: 'fail', reason: 'backend rejected the input: mlkem: invalid encapsulation key' }),
      kase('x/2', 'go', { status: 'fail', reason: `backend rejected the input: ${stderr(5).replace('ML-KEM-768', 'ML-KEM-1024')}` }),
    ]));
    expect(other.map((c) => c.cases.length)).toEqual([41, 1, 1]);
  });
});

describe('cause grouping of memory findings', () => {
  it('where a finding happened (which call, how often memcheck repeated it) is not part of its cause', () => {
    const what = "Invalid free() / delete / delete[] / realloc(); Address 0x4a3b2c0 is 32 bytes inside a block of size 2,321 alloc'd at PyBytes_FromStringAndSize (/usr/bin/python3.11)";
    const finding = (suffix: string): Finding => ({ tool: 'valgrind', kind: 'invalid-free', message: `${what}${suffix}`, frames: [{ fn: 'free' }] });
    const suffixes = ['', '; repeated 3× during call #12 ML-KEM-768/encap (memcheck reports identical errors once; this is the most recent distinct one)', '; during call #40 ML-KEM-768/decap', '; between calls #2 and #3'];
    const cases = suffixes.map((s, i) => kase(`acvp/x/${i}`, 'py', { status: 'fail', findings: [finding(s)] }));
    const causes = groupCauses(run([backend('py', { kind: 'python' })], cases));
    expect(causes.map((c) => c.cases.length)).toEqual([4]);
    // A different kind of fault stays apart.
    const other = kase('acvp/x/9', 'py', { status: 'fail', findings: [{ ...finding(''), kind: 'invalid-read', message: 'Invalid read of size 8' }] });
    expect(groupCauses(run([backend('py', { kind: 'python' })], [...cases, other])).map((c) => c.cases.length)).toEqual([4, 1]);
  });
});
