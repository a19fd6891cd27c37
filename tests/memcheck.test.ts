// Memory-check hosts (issue [D]): the valgrind XML reader and the ASan report
// parser on small hand-written samples; per-call attribution from the marker
// stream; the seeded-fault matrix end to end (every fault detected by the
// expected tool, nothing on clean code); and `--host valgrind` on the real
// rust backend giving zero findings on ACVP ML-KEM-768.

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValgrindXmlParser, classify, parseElement, toFinding, type VgRecord } from '../harness/hosts/valgrind-xml.ts';
import { ValgrindCollector, VGMARK_LIB } from '../harness/hosts/valgrind.ts';
import { parseAsanReports, parseAsanFrame, classifyAsan } from '../harness/hosts/asan.ts';
import { EXPECTED, TOOLS, fixturesMissing, judgeCell, runFaultMatrix } from '../harness/selftest/faults.ts';
import { matrixTable } from '../cli/selftest.ts';
import { FAULTS } from '../harness/selftest/fault-backend.ts';
import { runConformance } from '../harness/runner.ts';
import { assertResults } from '../model/validate.ts';
import { DEFAULT_RUST_LIBRARY } from '../backends/rust.ts';
import { inCI } from '../model/config.ts';

// ---- hand-written valgrind XML (protocol 4) ---------------------------------

const frame = (fn: string, file?: string, line?: number, obj = '/x/libpqc_fault.so') =>
  `<frame><ip>0x4848F2F</ip><obj>${obj}</obj><fn>${fn}</fn>${file ? `<dir>/src</dir><file>${file}</file><line>${line}</line>` : ''}</frame>`;

const PREAMBLE = `<?xml version="1.0"?>
<valgrindoutput>
<protocolversion>4</protocolversion>
<protocoltool>memcheck</protocoltool>
<preamble><line>Memcheck, a memory error detector</line></preamble>
<pid>4242</pid>
<status><state>RUNNING</state><time>00:00:00:00.731 </time></status>
`;

const clientmsg = (text: string) => `<clientmsg><tid>1</tid><text>${text}\n</text></clientmsg>\n`;

const ERR_INVALID_FREE = `<error>
  <unique>0x1</unique><tid>1</tid>
  <kind>InvalidFree</kind>
  <what>Invalid free() / delete / delete[] / realloc()</what>
  <stack>${frame('free', undefined, undefined, '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so')}${frame('pqc_fault_invalid_free', 'fault.c', 37)}</stack>
  <auxwhat>Address 0x7860bc0 is 32 bytes inside a block of size 64 alloc'd</auxwhat>
  <stack>${frame('malloc', undefined, undefined, '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so')}${frame('pqc_fault_invalid_free', 'fault.c', 34)}</stack>
</error>
`;

const ERR_DOUBLE_FREE = `<error>
  <unique>0x2</unique><tid>1</tid>
  <kind>InvalidFree</kind>
  <what>Invalid free() / delete / delete[] / realloc()</what>
  <stack>${frame('free')}${frame('pqc_fault_double_free', 'fault.c', 47)}</stack>
  <auxwhat>Address 0x759b9e0 is 0 bytes inside a block of size 48 free'd</auxwhat>
  <stack>${frame('free')}${frame('pqc_fault_double_free', 'fault.c', 46)}</stack>
  <auxwhat>Block was alloc'd at</auxwhat>
  <stack>${frame('malloc')}${frame('pqc_fault_double_free', 'fault.c', 43)}</stack>
</error>
`;

const ERR_UAF = `<error><unique>0x3</unique><tid>1</tid><kind>InvalidRead</kind><what>Invalid read of size 1</what>
<stack>${frame('pqc_fault_use_after_free', 'fault.c', 79)}</stack>
<auxwhat>Address 0x645cfc1 is 17 bytes inside a block of size 56 free'd</auxwhat>
<stack>${frame('free')}${frame('pqc_fault_use_after_free', 'fault.c', 78)}</stack></error>
`;

const ERR_OVERFLOW = `<error><unique>0x4</unique><tid>1</tid><kind>InvalidWrite</kind><what>Invalid write of size 1</what>
<stack>${frame('pqc_fault_heap_overflow', 'fault.c', 67)}</stack>
<auxwhat>Address 0x8db4fa8 is 0 bytes after a block of size 40 alloc'd</auxwhat>
<stack>${frame('malloc')}${frame('pqc_fault_heap_overflow', 'fault.c', 63)}</stack></error>
`;

const ERR_UNINIT = `<error><unique>0x5</unique><tid>1</tid><kind>UninitCondition</kind>
<what>Conditional jump or move depends on uninitialised value(s)</what>
<stack>${frame('pqc_fault_uninit', 'fault.c', 88)}</stack></error>
`;

const ERR_MISMATCH = `<error><unique>0x6</unique><tid>1</tid><kind>MismatchedFree</kind>
<what>Mismatched free() / delete / delete []</what>
<stack>${frame('operator delete(void*)')}${frame('drop_thing', 'lib.cc', 9)}</stack>
<auxwhat>Address 0x1 is 0 bytes inside a block of size 8 alloc'd</auxwhat>
<stack>${frame('malloc')}${frame('make_thing', 'lib.cc', 3)}</stack></error>
`;

const ERR_LEAK = `<error>
  <unique>0x7</unique><tid>1</tid>
  <kind>Leak_DefinitelyLost</kind>
  <xwhat>
    <text>77 bytes in 1 blocks are definitely lost in loss record 1,480 of 2,211</text>
    <leakedbytes>77</leakedbytes>
    <leakedblocks>1</leakedblocks>
  </xwhat>
  <stack>${frame('malloc')}${frame('pqc_fault_leak', 'fault.c', 53)}</stack>
</error>
`;

const TAIL = `<status><state>FINISHED</state><time>00:00:01:55.679 </time></status>
<errorcounts><pair><count>1</count><unique>0x1</unique></pair></errorcounts>
<suppcounts></suppcounts>
</valgrindoutput>
`;

const errorsOf = (rs: VgRecord[]) => rs.flatMap((r) => (r.type === 'error' ? [r.error] : []));

describe('valgrind XML reader', () => {
  it('parses elements, decodes entities, rejects mismatched tags', () => {
    const n = parseElement('<a><b>x &lt;y&gt; &amp; &#65;&#x42;</b><c/><b>2</b></a>');
    expect(n.name).toBe('a');
    expect(n.children.map((c) => c.name)).toEqual(['b', 'c', 'b']);
    expect(n.children[0]!.text).toBe('x <y> & AB');
    expect(() => parseElement('<a><b></a>')).toThrow(/closes/);
    expect(() => parseElement('<a>')).toThrow(/not closed/);
  });

  it('reads error records: kind, what/xwhat, auxwhat, every stack', () => {
    const rs = new ValgrindXmlParser().push(PREAMBLE + ERR_INVALID_FREE + ERR_LEAK + TAIL);
    const [inv, leak] = errorsOf(rs);
    expect(inv!.kind).toBe('InvalidFree');
    expect(inv!.what).toMatch(/^Invalid free/);
    expect(inv!.auxwhat).toEqual(["Address 0x7860bc0 is 32 bytes inside a block of size 64 alloc'd"]);
    expect(inv!.stacks).toHaveLength(2);
    expect(inv!.stacks[0]![1]).toEqual({ ip: '0x4848F2F', obj: '/x/libpqc_fault.so', fn: 'pqc_fault_invalid_free', dir: '/src', file: 'fault.c', line: 37 });
    expect(leak!.kind).toBe('Leak_DefinitelyLost');
    expect(leak!.what).toMatch(/77 bytes in 1 blocks are definitely lost/);
    expect(leak!.leakedBytes).toBe(77);
    expect(leak!.leakedBlocks).toBe(1);
  });

  it('is incremental: any split of the stream gives the same records', () => {
    const text = PREAMBLE + clientmsg('pqc-vg-begin 3 ML-KEM-768/decap') + ERR_DOUBLE_FREE + clientmsg('pqc-vg-end 3 ML-KEM-768/decap errors=1') + ERR_UAF + TAIL;
    const whole = new ValgrindXmlParser().push(text);
    expect(whole.map((r) => r.type)).toEqual(['clientmsg', 'error', 'clientmsg', 'error', 'suppcounts']);
    for (const step of [1, 7, 64, 333]) {
      const p = new ValgrindXmlParser();
      const got: VgRecord[] = [];
      for (let i = 0; i < text.length; i += step) got.push(...p.push(text.slice(i, i + step)));
      expect(got).toEqual(whole);
    }
    const p = new ValgrindXmlParser();
    expect(p.push(PREAMBLE + ERR_UAF.slice(0, 50))).toEqual([]);
    expect(p.pending).toBe(true);
    expect(p.push(ERR_UAF.slice(50))).toHaveLength(1);
  });

  it('classifies memcheck kinds into finding kinds', () => {
    const kinds = errorsOf(new ValgrindXmlParser().push(PREAMBLE + ERR_INVALID_FREE + ERR_DOUBLE_FREE + ERR_UAF + ERR_OVERFLOW + ERR_UNINIT + ERR_MISMATCH + ERR_LEAK + TAIL)).map((e) => classify(e));
    expect(kinds).toEqual(['invalid-free', 'double-free', 'use-after-free', 'invalid-write', 'uninitialised', 'mismatched-free', 'leak']);
    expect(classify({ kind: 'UninitValue', auxwhat: [] })).toBe('uninitialised');
    expect(classify({ kind: 'InvalidRead', auxwhat: ['Address 0x0 is not stack\'d, malloc\'d or (recently) free\'d'] })).toBe('invalid-read');
    expect(classify({ kind: 'Leak_IndirectlyLost', auxwhat: [] })).toBe('leak');
    expect(classify({ kind: 'Overlap', auxwhat: [] })).toBe('other');
  });

  it('turns an error into a Finding naming the frames and the allocating caller', () => {
    const [e] = errorsOf(new ValgrindXmlParser().push(PREAMBLE + ERR_DOUBLE_FREE));
    const f = toFinding(e!, 'during call #3 ML-KEM-768/decap');
    expect(f.tool).toBe('valgrind');
    expect(f.kind).toBe('double-free');
    expect(f.frames[1]).toEqual({ fn: 'pqc_fault_double_free', obj: '/x/libpqc_fault.so', file: '/src/fault.c', line: 47 });
    expect(f.message).toContain("free'd at pqc_fault_double_free (fault.c:46)");
    expect(f.message).toContain('during call #3 ML-KEM-768/decap');
  });
});

describe('valgrind collector: per-call attribution from the marker stream', () => {
  it('ties each error to the call in flight, sets leaks aside, follows a growing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-vg-test-'));
    try {
      const c = new ValgrindCollector(dir);
      const f = join(dir, 'vg.100.xml');
      writeFileSync(f, PREAMBLE + clientmsg('pqc-vg-begin 1 getConfig') + clientmsg('pqc-vg-end 1 getConfig errors=0'));
      expect(c.drainCalls()).toEqual([]);
      // A record split across two writes: nothing until it completes.
      const call = clientmsg('pqc-vg-begin 2 ML-KEM-768/decap') + ERR_INVALID_FREE + clientmsg('pqc-vg-end 2 ML-KEM-768/decap errors=1');
      appendFileSync(f, call.slice(0, 200));
      expect(c.drainCalls()).toEqual([]);
      appendFileSync(f, call.slice(200));
      const got = c.drainCalls();
      expect(got).toHaveLength(1);
      expect(got[0]!.kind).toBe('invalid-free');
      expect(got[0]!.message).toMatch(/during call #2 ML-KEM-768\/decap$/);
      appendFileSync(f, ERR_UNINIT);
      expect(c.drainCalls()[0]!.message).toMatch(/between calls \(after #2 ML-KEM-768\/decap\)/);
      // A second process (respawn) writes its own file.
      writeFileSync(join(dir, 'vg.101.xml'), PREAMBLE + clientmsg('pqc-vg-begin 1 ML-KEM-768/decap') + ERR_UAF);
      expect(c.drainCalls()[0]!.message).toMatch(/during call #1 ML-KEM-768\/decap/);
      appendFileSync(f, ERR_LEAK + TAIL);
      expect(c.drainCalls()).toEqual([]);
      const exit = c.drainExit();
      expect(exit.map((x) => x.kind)).toEqual(['leak']);
      expect(exit[0]!.message).toMatch(/reported when the child process exited/);
      expect(c.markers).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- ASan reports -----------------------------------------------------------

const ASAN_UAF = `some earlier line
=================================================================
==8693==ERROR: AddressSanitizer: heap-use-after-free on address 0x604000178d49 at pc 0x7f7886302486 bp 0x7f70bf53afd0 sp 0x7f70bf53afc8
READ of size 1 at 0x604000178d49 thread T0
    #0 0x7f7886302485 in pqc_fault_use_after_free native/fixture/fault.c:79
    #1 0x7f70bf5e7544  (/work/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node+0xab544)
    #2 0xc45d94 in v8impl::(anonymous namespace)::FunctionCallbackWrapper::Invoke(v8::FunctionCallbackInfo<v8::Value> const&) (/usr/bin/node+0xc45d94)

0x604000178d49 is located 17 bytes inside of 56-byte region [0x604000178d38,0x604000178d70)
freed by thread T0 here:
    #0 0x7f78870b76a8 in __interceptor_free ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52
    #1 0x7f7886302470 in pqc_fault_use_after_free native/fixture/fault.c:78

previously allocated by thread T0 here:
    #0 0x7f78870b89cf in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69
    #1 0x7f7886302440 in pqc_fault_use_after_free native/fixture/fault.c:76:16

SUMMARY: AddressSanitizer: heap-use-after-free native/fixture/fault.c:79 in pqc_fault_use_after_free
Shadow bytes around the buggy address:
  0x0c0880027150: fa fa fd fd fd fd fd fd fa fa fd fd fd fd fd fd
==8693==ABORTING
`;

const ASAN_BAD_FREE = `==11==ERROR: AddressSanitizer: attempting free on address which was not malloc()-ed: 0x60600019e580 in thread T0
    #0 0x7f6c1a4b76a8 in __interceptor_free ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52
    #1 0x7f6bd3689362 in pqc_fault_invalid_free native/fixture/fault.c:37

0x60600019e580 is located 32 bytes inside of 64-byte region [0x60600019e560,0x60600019e5a0)
allocated by thread T0 here:
    #0 0x7f6c1a4b89cf in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:69
    #1 0x7f6bd3689340 in pqc_fault_invalid_free native/fixture/fault.c:34

SUMMARY: AddressSanitizer: bad-free ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52 in __interceptor_free
==11==ABORTING
`;

describe('ASan report parser', () => {
  it('parses frames with file:line, with an object only, and C++ names', () => {
    expect(parseAsanFrame('    #0 0x7f7886302485 in pqc_fault_use_after_free native/fixture/fault.c:79')).toEqual({ fn: 'pqc_fault_use_after_free', file: 'native/fixture/fault.c', line: 79 });
    expect(parseAsanFrame('    #1 0x7f70bf5e7544  (/a/koffi.node+0xab544)')).toEqual({ fn: '0x7f70bf5e7544', obj: '/a/koffi.node' });
    expect(parseAsanFrame('    #4 0xc45d94 in v8impl::Invoke(v8::Info<v8::Value> const&) (/usr/bin/node+0xc45d94)')).toEqual({ fn: 'v8impl::Invoke(v8::Info<v8::Value> const&)', obj: '/usr/bin/node' });
    expect(parseAsanFrame('    #1 0x1 in f /src/a.rs:76:16')).toEqual({ fn: 'f', file: '/src/a.rs', line: 76 });
    expect(parseAsanFrame('not a frame')).toBeNull();
  });

  it('turns reports into findings: kind, message, the error stack only', () => {
    const [uaf] = parseAsanReports(ASAN_UAF);
    expect(uaf!.tool).toBe('asan');
    expect(uaf!.kind).toBe('use-after-free');
    expect(uaf!.frames.map((f) => f.fn)).toEqual(['pqc_fault_use_after_free', '0x7f70bf5e7544', 'v8impl::(anonymous namespace)::FunctionCallbackWrapper::Invoke(v8::FunctionCallbackInfo<v8::Value> const&)']);
    expect(uaf!.message).toContain('READ of size 1');
    expect(uaf!.message).toContain('freed by thread T0 here at pqc_fault_use_after_free (native/fixture/fault.c:78)');
    expect(uaf!.message).toContain('previously allocated by thread T0 here at pqc_fault_use_after_free (native/fixture/fault.c:76)');
    const [bad] = parseAsanReports(ASAN_BAD_FREE);
    expect(bad!.kind).toBe('invalid-free');
    expect(bad!.frames[1]).toEqual({ fn: 'pqc_fault_invalid_free', file: 'native/fixture/fault.c', line: 37 });
    expect(parseAsanReports(ASAN_UAF + ASAN_BAD_FREE)).toHaveLength(2);
    expect(parseAsanReports('free(): invalid pointer\n')).toEqual([]);
  });

  it('classifies the report headlines', () => {
    expect(classifyAsan('attempting double-free on 0x1 in thread T0:')).toBe('double-free');
    expect(classifyAsan('alloc-dealloc-mismatch (operator new vs free) on 0x1')).toBe('mismatched-free');
    expect(classifyAsan('heap-buffer-overflow on address 0x1')).toBe('heap-overflow');
    expect(classifyAsan('stack-buffer-overflow on address 0x1', 'WRITE')).toBe('invalid-write');
    expect(classifyAsan('SEGV on unknown address 0x000000000000')).toBe('invalid-read');
  });
});

// ---- the fault matrix, end to end --------------------------------------------

const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;
const canRun = hasValgrind && fixturesMissing().length === 0 && existsSync(VGMARK_LIB);

// In CI the memory-fault mode is part of what must be proven: missing tools fail, never skip.
it.runIf(inCI() && !canRun)('valgrind, the shim and the fault fixture are installed (CI)', () => {
  expect.fail(`valgrind ${hasValgrind ? 'present' : 'missing'}; missing builds: ${[...fixturesMissing(), ...(existsSync(VGMARK_LIB) ? [] : [VGMARK_LIB])].join(', ') || 'none'}`);
});

describe('fault matrix judge', () => {
  it('needs exactly the expected outcome', () => {
    const inv = { tool: 'valgrind' as const, kind: 'invalid-free' as const, message: '', frames: [] };
    expect(judgeCell({ kind: 'invalid-free' }, { crashed: null, error: null, answered: true, findings: [inv] }).pass).toBe(true);
    expect(judgeCell({ kind: 'invalid-free' }, { crashed: null, error: null, answered: true, findings: [] }).pass).toBe(false);
    expect(judgeCell({ none: true }, { crashed: null, error: null, answered: true, findings: [inv] }).pass).toBe(false);
    expect(judgeCell({ none: true }, { crashed: null, error: null, answered: true, findings: [] }).pass).toBe(true);
    // every fault is caught by at least one tool
    for (const f of FAULTS.filter((x) => x !== 'clean')) expect(TOOLS.some((t) => !('none' in EXPECTED[f][t]))).toBe(true);
  });
});

describe.skipIf(!canRun)('fault matrix under child, valgrind and asan (one process per tool)', () => {
  it(
    'detects every seeded fault with the expected tool and finds nothing in clean code',
    async () => {
      const t0 = performance.now();
      const r = await runFaultMatrix();
      const secs = Math.round((performance.now() - t0) / 1000);
      process.stderr.write(`fault matrix (${secs} s):\n${matrixTable(r)}\n`);
      assertResults(JSON.parse(JSON.stringify(r)), 'fault matrix');
      expect(r.cases).toHaveLength(FAULTS.length * TOOLS.length);
      for (const c of r.cases) expect({ id: c.id, status: c.status, reason: c.reason }).toEqual({ id: c.id, status: 'pass', reason: expect.stringMatching(/^as expected/) });
      for (const t of TOOLS) {
        const clean = r.cases.find((c) => c.id === `fault-matrix/${t}/clean`)!;
        expect(clean.findings).toEqual([]);
      }
      // the leak is attributed to its fixture function, not left on the backend
      const leak = r.cases.find((c) => c.id === 'fault-matrix/valgrind/leak')!;
      expect(leak.findings.some((f) => f.kind === 'leak' && f.frames.some((fr) => fr.fn === 'pqc_fault_leak'))).toBe(true);
      // ASan findings come from the crash's stderr and name the faulting function
      const uaf = r.cases.find((c) => c.id === 'fault-matrix/asan/use-after-free')!;
      expect(uaf.crash?.exitCode).toBe(86);
      expect(uaf.findings[0]!.frames[0]!.fn).toBe('pqc_fault_use_after_free');
    },
    600_000,
  );
});

describe.skipIf(!canRun || !existsSync(DEFAULT_RUST_LIBRARY))('--host valgrind on the rust backend', () => {
  it(
    'ACVP ML-KEM-768 and ML-DSA-65 pass with zero findings (koffi noise suppressed, nothing else)',
    async () => {
      const t0 = performance.now();
      const r = await runConformance({ backends: ['rust'], suites: ['acvp'], params: ['ML-KEM-768', 'ML-DSA-65'], host: 'valgrind' });
      process.stderr.write(`valgrind rust ACVP ML-KEM-768 + ML-DSA-65: ${r.cases.length} cases in ${Math.round((performance.now() - t0) / 1000)} s\n`);
      expect(r.cases.length).toBe(145 + 445);
      expect(r.summary.findings).toBe(0);
      expect(r.backends[0]!.findings ?? []).toEqual([]);
      expect(r.summary.fail + r.summary.crash + r.summary.timeout + r.summary.error).toBe(0);
      expect(r.summary.pass).toBeGreaterThan(0);
    },
    900_000,
  );
});
