// The constant-time host (`--host ct`): which inputs are secret (one table);
// the served side marking exactly those around each call and declassifying
// every output; memcheck's taint reports classified into secret-branch /
// secret-index; suppression files read with their reasons; timing causes
// grouped by code location; then, under valgrind, the timing-leak matrix
// (every seeded leak found and tied to its function at -O0 and -O2, the twins
// silent), a process wrapper that links the shim, the rust backend on a few
// ACVP ML-KEM-768 cases, and a json-abi library (marks inside its JSON text).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import koffi from 'koffi';
import { ALL_OPS, kemApi, RejectedError, type Backend, type Op } from '../model/contract.ts';
import { OP_INPUTS, secretArgs } from '../model/secrets.ts';
import { groupCauses } from '../model/causes.ts';
import { summarize, type CaseResult, type Finding, type Results } from '../model/results.ts';
import { inCI } from '../model/config.ts';
import { encodeFrame, FrameDecoder, textOf } from '../backends/modulewrapper/codec.ts';
import { handleRequest, WIRE_BY_OP } from '../backends/modulewrapper/commands.ts';
import { servedBackend } from '../backends/modulewrapper/server.ts';
import type { SecretMarks } from '../backends/secret-marks.ts';
import { parseSpec } from '../backends/registry.ts';
import { DEFAULT_RUST_LIBRARY } from '../backends/rust.ts';
import { classify, toFinding, ValgrindXmlParser, type VgError } from '../harness/hosts/valgrind-xml.ts';
import { SUPPRESSION_DIR, ValgrindCollector, VGMARK_LIB } from '../harness/hosts/valgrind.ts';
import { parseSuppressions, readSuppressions, suppressedNotes } from '../harness/hosts/suppressions.ts';
import { CT_SUPPRESSIONS, CTMARK_LIB, openCtBackend } from '../harness/hosts/ct.ts';
import { CT_EXPECTED, ctC, ctDk, ctExpectedK, ctFixturesMissing, judgeCtCell, runCtMatrix } from '../harness/selftest/ct.ts';
import { CT_BUILDS, CT_LEAKS, CT_VARIANTS, ctFunction } from '../harness/selftest/ct-backend.ts';
import { collectCases } from '../harness/runner.ts';
import { ctMatrixTable } from '../cli/selftest.ts';
import { assertResults } from '../model/validate.ts';
import { runCases } from './run-cases.ts';

// ---- the table ----------------------------------------------------------------

describe('secret inputs per op (model/secrets.ts)', () => {
  it('names every input of every op, in the wire table\'s arity', () => {
    for (const op of ALL_OPS) {
      expect(OP_INPUTS[op], op).toBeDefined();
      expect(OP_INPUTS[op].length, op).toBe(WIRE_BY_OP.get(op)!.args.length);
    }
  });

  it('marks the seeds, the coins, rnd and the private keys, and nothing public', () => {
    const secret = new Set(ALL_OPS.flatMap((op) => OP_INPUTS[op].filter((i) => i.secret).map((i) => i.name)));
    expect([...secret].sort()).toEqual(['d', 'dk', 'm', 'rnd', 'sk', 'xi', 'z']);
    const pub = new Set(ALL_OPS.flatMap((op) => OP_INPUTS[op].filter((i) => !i.secret).map((i) => i.name)));
    for (const name of ['ek', 'c', 'pk', 'msg', 'ctx', 'sig', 'mu', 'mPrime', 'hashAlg']) expect(pub.has(name), name).toBe(true);
    for (const op of ['dsa.verify', 'dsa.verifyInternal', 'dsa.verifyMu', 'dsa.verifyPreHash', 'kem.checkEncapsKey'] as Op[]) {
      expect(secretArgs(op, [1, 2, 3, 4, 5]), op).toEqual([]);
    }
    expect(secretArgs('dsa.signPreHash', ['sk', 'msg', 'SHA2-256', 'ctx', 'rnd'])).toEqual([
      { name: 'sk', value: 'sk' },
      { name: 'rnd', value: 'rnd' },
    ]);
  });
});

// ---- where the marks land ---------------------------------------------------------

describe('koffi hands C the Uint8Array\'s own memory (so a mark on the array is a mark on what C reads)', () => {
  it('for const uint8_t * and const char *, small (on-heap) arrays included', () => {
    const libc = koffi.load('libc.so.6');
    for (const type of ['const uint8_t *', 'const char *']) {
      const memchr = libc.func(`void *memchr(${type} s, int c, size_t n)`) as (s: Uint8Array, c: number, n: number) => unknown;
      for (const size of [3, 32, 4000]) {
        const a = Uint8Array.from({ length: size }, (_, i) => i % 200);
        const p1 = memchr(a, 1, size);
        const p2 = memchr(a, 1, size);
        expect(koffi.address(p1), `${type} ${size}`).toBe(koffi.address(p2));
        // A write through the pointer C got shows in the array: no copy in between.
        new Uint8Array(koffi.view(p1, 1))[0] = 0xee;
        expect(a[1], `${type} ${size}`).toBe(0xee);
      }
    }
  });
});

// ---- the served side ------------------------------------------------------------

type Event = { what: 'secret' | 'declassify' | 'call'; name?: string; bytes?: string };

/** SecretMarks that records what it is asked to do, in order. */
function recordingMarks(log: Event[]): SecretMarks {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    secret: (name, b) => void log.push({ what: 'secret', name, bytes: hex(b) }),
    declassify: (b) => void log.push({ what: 'declassify', bytes: hex(b) }),
    declassifyCString: () => 0,
    declassifyStatus: (st) => st,
  };
}

function fakeBackend(log: Event[], opts: { reject?: boolean } = {}): Backend {
  const k = new Uint8Array(32).fill(0x6b);
  const no = async (): Promise<never> => {
    throw new Error('not in this fake');
  };
  return {
    describe: () => ({ id: 'fake', name: 'fake', version: '0', kind: 'module' }),
    capabilities: () => ({ parameterSets: ['ML-KEM-768', 'ML-DSA-65'], ops: ['kem.keygen', 'kem.decaps', 'dsa.sign'] }),
    kem: {
      keygen: async () => {
        log.push({ what: 'call' });
        return { ek: new Uint8Array([0xe1]), dk: new Uint8Array([0xd1]) };
      },
      encaps: no,
      decaps: async () => {
        log.push({ what: 'call' });
        if (opts.reject) throw new RejectedError('no');
        return k;
      },
      checkEncapsKey: no,
      checkDecapsKey: no,
    },
    dsa: {
      keygen: no, signInternal: no, signMu: no, signPreHash: no, verify: no, verifyInternal: no, verifyMu: no, verifyPreHash: no,
      sign: async () => {
        log.push({ what: 'call' });
        return new Uint8Array([0x51, 0x67]);
      },
    },
  };
}

const frame = (...parts: (string | Uint8Array)[]) => new FrameDecoder().push(encodeFrame(parts))[0]!;
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('the served side marks secret inputs around the call (backends/modulewrapper/commands.ts)', () => {
  it('decaps: dk marked before the call, c never; k and dk declassified after', async () => {
    const log: Event[] = [];
    const dk = new Uint8Array([1, 2, 3]);
    const c = new Uint8Array([9, 9]);
    const resp = await handleRequest(servedBackend(fakeBackend(log), recordingMarks(log)), frame('ML-KEM-768/decap', dk, c));
    expect(hexOf(resp![0]!)).toBe('6b'.repeat(32));
    expect(log).toEqual([
      { what: 'secret', name: 'dk', bytes: '010203' },
      { what: 'call' },
      { what: 'declassify', bytes: '6b'.repeat(32) },
      { what: 'declassify', bytes: '010203' },
    ]);
  });

  it('keyGen over the standard command: d and z marked one by one; both outputs declassified', async () => {
    const log: Event[] = [];
    const seed = Uint8Array.from({ length: 64 }, (_, i) => i);
    await handleRequest(servedBackend(fakeBackend(log), recordingMarks(log)), frame('ML-KEM-768/keyGen', seed));
    expect(log.filter((e) => e.what === 'secret')).toEqual([
      { what: 'secret', name: 'd', bytes: hexOf(seed.subarray(0, 32)) },
      { what: 'secret', name: 'z', bytes: hexOf(seed.subarray(32)) },
    ]);
    expect(log.filter((e) => e.what === 'declassify').map((e) => e.bytes)).toEqual(['e1', 'd1', hexOf(seed.subarray(0, 32)), hexOf(seed.subarray(32))]);
  });

  it('sign: sk and rnd marked, the message and the context not', async () => {
    const log: Event[] = [];
    await handleRequest(servedBackend(fakeBackend(log), recordingMarks(log)), frame('ML-DSA-65/sigGen/external', new Uint8Array([0x5e]), new Uint8Array([0x4d]), new Uint8Array([0xc7]), new Uint8Array([0x7d])));
    expect(log.filter((e) => e.what === 'secret')).toEqual([
      { what: 'secret', name: 'sk', bytes: '5e' },
      { what: 'secret', name: 'rnd', bytes: '7d' },
    ]);
  });

  it('a call that throws still declassifies its secrets; without marks nothing is marked', async () => {
    const log: Event[] = [];
    const resp = await handleRequest(servedBackend(fakeBackend(log, { reject: true }), recordingMarks(log)), frame('ML-KEM-768/decap', new Uint8Array([7]), new Uint8Array([8])));
    expect(textOf(resp![1])).toBe('rejected');
    expect(log).toEqual([{ what: 'secret', name: 'dk', bytes: '07' }, { what: 'call' }, { what: 'declassify', bytes: '07' }]);
    const plain: Event[] = [];
    await handleRequest(servedBackend(fakeBackend(plain)), frame('ML-KEM-768/decap', new Uint8Array([7]), new Uint8Array([8])));
    expect(plain).toEqual([{ what: 'call' }]);
  });
});

// ---- memcheck records -------------------------------------------------------------

const fr = (fn: string, file?: string, line?: number, obj = '/x/lib.so') =>
  `<frame><ip>0x1</ip><obj>${obj}</obj><fn>${fn}</fn>${file ? `<dir>/src</dir><file>${file}</file><line>${line}</line>` : ''}</frame>`;
const MARK_ORIGIN = `<auxwhat>Uninitialised value was created by a client request</auxwhat><stack>${fr('pqc_ct_secret', 'ctmark.c', 33, '/b/libctmark.so')}${fr('0x4F', undefined, undefined, '/k/koffi.node')}</stack>`;
const STACK_ORIGIN = `<auxwhat>Uninitialised value was created by a stack allocation</auxwhat><stack>${fr('ml_kem::crypto::XOF', 'crypto.rs', 63)}</stack>`;
const OTHER_REQUEST_ORIGIN = `<auxwhat>Uninitialised value was created by a client request</auxwhat><stack>${fr('their_own_poison', 'x.c', 5)}</stack>`;
const err = (kind: string, what: string, top: string, origin: string) =>
  `<error><unique>0x9</unique><tid>1</tid><kind>${kind}</kind><what>${what}</what><stack>${top}</stack>${origin}</error>\n`;
const COND = 'Conditional jump or move depends on uninitialised value(s)';
const VALUE = 'Use of uninitialised value of size 8';
const clientmsg = (text: string) => `<clientmsg><tid>1</tid><text>${text}\n</text></clientmsg>\n`;
const errorOfXml = (xml: string): VgError => {
  const [r] = new ValgrindXmlParser().push(xml);
  if (r?.type !== 'error') throw new Error('not an error record');
  return r.error;
};

describe('memcheck taint reports → findings', () => {
  it('a branch on the marked secret is secret-branch, an address is secret-index', () => {
    const branch = errorOfXml(err('UninitCondition', COND, fr('pqc_ctfix_secret_bit_leaky', 'ct.c', 112), MARK_ORIGIN));
    const index = errorOfXml(err('UninitValue', VALUE, fr('pqc_ctfix_table_leaky', 'ct.c', 87), MARK_ORIGIN));
    expect(classify(branch)).toBe('secret-branch');
    expect(classify(index)).toBe('secret-index');
    const f = toFinding(branch, 'during call #4 ML-KEM-768/decap with secret inputs dk (96 bytes)');
    expect(f.message).toBe(`${COND}; the value derives from a secret input of the call; during call #4 ML-KEM-768/decap with secret inputs dk (96 bytes)`);
    expect(f.frames[0]).toEqual({ fn: 'pqc_ctfix_secret_bit_leaky', obj: '/x/lib.so', file: '/src/ct.c', line: 112 });
  });

  it('another origin is an ordinary uninitialised read, unless the call had marked secrets', () => {
    const stack = errorOfXml(err('UninitCondition', COND, fr('ml_kem::algebra::rej_uniform', 'algebra.rs', 73), STACK_ORIGIN));
    const poison = errorOfXml(err('UninitValue', VALUE, fr('lookup', 'x.c', 9), OTHER_REQUEST_ORIGIN));
    expect(classify(stack)).toBe('uninitialised');
    expect(classify(poison)).toBe('uninitialised');
    // memcheck names one origin of a value mixed from several: in a call with marked secrets it is a timing finding.
    const mixed = toFinding(stack, 'during call #3 ML-KEM-768/keyGen with secret inputs d (32 bytes), z (32 bytes)', true);
    expect(mixed.kind).toBe('secret-branch');
    expect(mixed.message).toMatch(/created by a stack allocation at ml_kem::crypto::XOF \(crypto\.rs:63\); mixed with the secret inputs of the call/);
    expect(toFinding(poison, 'x', true).kind).toBe('secret-index');
  });

  it('the collector names the call\'s secrets, classifies by them, and counts suppressions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-ct-test-'));
    try {
      const c = new ValgrindCollector(dir);
      const stackErr = err('UninitCondition', COND, fr('rej_uniform', 'algebra.rs', 73), STACK_ORIGIN);
      writeFileSync(
        join(dir, 'vg.7.xml'),
        '<?xml version="1.0"?>\n<valgrindoutput>\n' +
          clientmsg('pqc-vg-begin 1 ML-KEM-768/decap') + clientmsg('pqc-ct-secret dk 2400') + stackErr + clientmsg('pqc-vg-end 1 ML-KEM-768/decap errors=1') +
          clientmsg('pqc-vg-begin 2 ML-KEM-768/encapKeyCheck') + stackErr.replace('<line>73</line>', '<line>74</line>') + clientmsg('pqc-vg-end 2 ML-KEM-768/encapKeyCheck errors=2') +
          '<suppcounts><pair><count>12</count><name>ct-rust-mlkem-sample-A-from-rho</name></pair><pair><count>0</count><name>unused</name></pair></suppcounts>\n',
      );
      const [first, second] = c.drainCalls();
      expect(first!.kind).toBe('secret-branch');
      expect(first!.message).toMatch(/during call #1 ML-KEM-768\/decap with secret inputs dk \(2400 bytes\)$/);
      expect(second!.kind).toBe('uninitialised');
      expect(second!.message).toMatch(/during call #2 ML-KEM-768\/encapKeyCheck$/);
      expect([...c.suppressed]).toEqual([['ct-rust-mlkem-sample-A-from-rho', 12], ['unused', 0]]);
      const notes = suppressedNotes(c.suppressed, readSuppressions([join(SUPPRESSION_DIR, 'ct-rust.supp')]));
      expect(notes).toEqual([expect.stringMatching(/^suppressed 12× ct-rust-mlkem-sample-A-from-rho \(ct-rust\.supp\): ρ and A are public/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- suppression files ------------------------------------------------------------

describe('suppression files: one entry per reason, each with its reason', () => {
  it('reads the paragraph nearest above each entry', () => {
    const text = '# header about the file.\n\n# Why one. More words.\n{\n   one\n   Memcheck:Cond\n   fun:f\n}\n\n# An old paragraph.\n#\n# Why two; detail.\n\n{\n   two\n   Memcheck:Value8\n   fun:x\n}\n{\n   two-b\n   Memcheck:Cond\n   fun:x\n}\n';
    expect(parseSuppressions(text, 'x.supp')).toEqual([
      { name: 'one', file: 'x.supp', reason: 'Why one.' },
      { name: 'two', file: 'x.supp', reason: 'Why two;' },
      { name: 'two-b', file: 'x.supp', reason: 'Why two;' },
    ]);
    expect(parseSuppressions('{\n   bare\n   Memcheck:Cond\n   fun:f\n}\n', 'y.supp')[0]!.reason).toBe('(no reason written above the entry)');
  });

  it('every entry of every file in native/valgrind/ has a reason and a unique name; the ct files exist', () => {
    const files = readdirSync(SUPPRESSION_DIR).filter((f) => f.endsWith('.supp'));
    for (const f of Object.values(CT_SUPPRESSIONS)) expect(files).toContain(f);
    const names = new Set<string>();
    for (const f of files) {
      for (const e of parseSuppressions(readFileSync(join(SUPPRESSION_DIR, f), 'utf8'), f)) {
        expect(e.reason, `${f}: ${e.name}`).not.toMatch(/^\(no reason/);
        expect(names.has(e.name), `${e.name} twice`).toBe(false);
        names.add(e.name);
      }
    }
    expect([...names].filter((n) => n.startsWith('ct-')).length).toBeGreaterThan(0);
  });
});

// ---- causes ----------------------------------------------------------------------

function timingCase(id: string, op: string, f: Finding): CaseResult {
  return { id, backend: 'rust', suite: 'acvp', family: 'f', parameterSet: 'ML-KEM-768', op, source: null, status: 'fail', durationMs: 1, findings: [f] };
}
function resultsOf(cases: CaseResult[]): Results {
  return {
    schema: 'pqc-harness/results@1',
    run: { startedAt: '', finishedAt: '', harnessVersion: '0', node: '', platform: '', host: 'ct', argv: [], vectors: [] },
    backends: [{ id: 'rust', name: 'rust', version: '0', kind: 'cdylib', capabilities: { parameterSets: [], ops: [] } }],
    cases,
    summary: summarize(cases),
  };
}

describe('timing findings are grouped by code location', () => {
  const at = (fn: string, file: string, line: number, obj = '/t/libpqc_native.so') => ({ fn, file, line, obj });
  const finding = (kind: Finding['kind'], message: string, frames: Finding['frames']): Finding => ({ tool: 'valgrind', kind, message, frames });

  it('one location reached from keygen and decaps is one cause; another line is another', () => {
    const sample = (line: number, msg: string) =>
      finding('secret-branch', msg, [at('ml_kem::algebra::rejection_sample', '/r/algebra.rs', line), at('UnknownInlinedFun', '/r/algebra.rs', 46), at('matrix_sample_ntt<typenum::UInt<U1, B0>>', '/r/algebra.rs', 83)]);
    const causes = groupCauses(resultsOf([
      timingCase('a', 'kem.keygen', sample(73, `${COND}; mixed with the secret inputs; during call #1 ML-KEM-768/keyGen with secret inputs d (32 bytes)`)),
      timingCase('b', 'kem.decaps', sample(73, `${COND}; the value derives from a secret input of the call; during call #9 ML-KEM-768/decap with secret inputs dk (2400 bytes)`)),
      timingCase('c', 'kem.keygen', sample(68, COND)),
    ]));
    expect(causes.map((c) => [c.cases.length, c.frames])).toEqual([
      [2, 'ml_kem::algebra::rejection_sample (algebra.rs:73) ← matrix_sample_ntt (algebra.rs:83)'],
      [1, 'ml_kem::algebra::rejection_sample (algebra.rs:68) ← matrix_sample_ntt (algebra.rs:83)'],
    ]);
    expect(causes[0]!.title).toBe(`valgrind secret-branch: ${COND}`);
  });

  it('a comparison through libc or core is located at the library frame that made it', () => {
    const f = finding('secret-branch', COND, [
      { fn: 'bcmp', obj: '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so' },
      { fn: 'equal_same_length<u8, u8>', file: '/rustc/abc/library/core/src/slice/cmp.rs', line: 154 },
      at('eq<u8, U32>', '/r/hybrid-array/src/lib.rs', 895),
      { fn: 'eq<Array<u8>>', file: '/rustc/abc/library/core/src/cmp.rs', line: 2123 },
      at('ml_kem::pke::EncryptionKey<P>::from_bytes', '/r/pke.rs', 213),
    ]);
    expect(groupCauses(resultsOf([timingCase('a', 'kem.decaps', f)]))[0]!.frames).toBe('bcmp in eq (lib.rs:895) ← ml_kem::pke::EncryptionKey::from_bytes (pke.rs:213)');
  });
});

// ---- the matrix judge --------------------------------------------------------------

describe('timing-leak matrix judge', () => {
  const hit = (fn: string, kind: Finding['kind'] = 'secret-branch'): Finding => ({ tool: 'valgrind', kind, message: COND, frames: [{ fn: 'bcmp' }, { fn }] });
  const cell = (variant: 'leaky' | 'ct', findings: Finding[], error: string | null = null) => ({ build: 'O2' as const, leak: 'memcmp' as const, variant, findings, error });

  it('a leak counts only when found in its own function, with nothing elsewhere; a twin only when silent', () => {
    expect(judgeCtCell(cell('leaky', [hit('pqc_ctfix_memcmp_leaky')])).pass).toBe(true);
    expect(judgeCtCell(cell('leaky', [])).pass).toBe(false);
    expect(judgeCtCell(cell('leaky', [hit('pqc_ctfix_memcmp_leaky', 'secret-index')])).pass).toBe(false);
    expect(judgeCtCell(cell('leaky', [hit('pqc_ctfix_memcmp_leaky'), hit('Builtins_TestEqualStrictHandler')])).reason).toMatch(/1 finding\(s\) outside pqc_ctfix_memcmp_leaky/);
    expect(judgeCtCell(cell('leaky', [hit('pqc_ctfix_memcmp_leaky')], 'wrong k')).pass).toBe(false);
    expect(judgeCtCell(cell('ct', [])).pass).toBe(true);
    expect(judgeCtCell(cell('ct', [hit('pqc_ctfix_memcmp_ct')])).pass).toBe(false);
    expect(judgeCtCell(cell('ct', [], 'wrong k')).pass).toBe(false);
  });
});

// ---- under valgrind ------------------------------------------------------------------

const hasValgrind = spawnSync('valgrind', ['--version']).status === 0;
const ctMissing = [...ctFixturesMissing(), ...[VGMARK_LIB, CTMARK_LIB].filter((p) => !existsSync(p))];
const canRun = hasValgrind && ctMissing.length === 0;

// In CI the constant-time mode is part of what must be proven: missing tools fail, never skip.
it.runIf(inCI() && !canRun)('valgrind, the marking shim and the timing-leak fixture are installed (CI)', () => {
  expect.fail(`valgrind ${hasValgrind ? 'present' : 'missing'}; missing builds: ${ctMissing.join(', ') || 'none'}`);
});

describe.skipIf(!canRun)('selftest ct: the timing-leak matrix under the ct host', () => {
  it(
    'finds every seeded leak in its own function at -O0 and -O2, and nothing in the constant-time twins',
    async () => {
      const t0 = performance.now();
      const r = await runCtMatrix();
      process.stderr.write(`timing-leak matrix (${Math.round((performance.now() - t0) / 1000)} s):\n${ctMatrixTable(r)}\n`);
      assertResults(JSON.parse(JSON.stringify(r)), 'timing-leak matrix');
      expect(r.cases).toHaveLength(CT_BUILDS.length * CT_LEAKS.length * CT_VARIANTS.length);
      for (const c of r.cases) expect({ id: c.id, status: c.status, reason: c.reason }).toEqual({ id: c.id, status: 'pass', reason: expect.stringMatching(/^as expected/) });
      for (const build of CT_BUILDS) {
        for (const leak of CT_LEAKS) {
          const leaky = r.cases.find((c) => c.id === `ct-matrix/${build}/${leak}/leaky`)!;
          const fn = ctFunction(leak, 'leaky');
          expect(leaky.findings.some((f) => f.kind === CT_EXPECTED[leak] && f.frames.some((x) => x.fn === fn && x.line !== undefined)), `${build} ${leak}`).toBe(true);
          expect(r.cases.find((c) => c.id === `ct-matrix/${build}/${leak}/ct`)!.findings).toEqual([]);
        }
      }
    },
    900_000,
  );
});

const PYTHON = '/usr/bin/python3';
const MW_CT = fileURLToPath(new URL('./fixtures/mw_ct.py', import.meta.url));

describe.skipIf(!canRun || !existsSync(PYTHON))('a process wrapper that links the shim (`process:`)', () => {
  it(
    'its own marks are honoured: the leaky compare is found in the library, the twin is silent',
    async () => {
      const b = await openCtBackend(parseSpec(`process:${PYTHON} ${MW_CT}`));
      try {
        const dk = ctDk();
        const c = ctC();
        const leaky = await kemApi(b).decaps('ML-KEM-768', dk, Uint8Array.from([0, ...c]));
        expect(hexOf(leaky)).toBe(hexOf(ctExpectedK('memcmp', dk, c)));
        const found = await b.drainFindings();
        expect(found.some((f) => f.kind === 'secret-branch' && f.frames.some((x) => x.fn === 'pqc_ctfix_memcmp_leaky'))).toBe(true);
        const twin = await kemApi(b).decaps('ML-KEM-768', dk, Uint8Array.from([1, ...c]));
        expect(hexOf(twin)).toBe(hexOf(leaky));
        expect(await b.drainFindings()).toEqual([]);
      } finally {
        await b.close?.();
      }
    },
    600_000,
  );
});

describe.skipIf(!canRun || !existsSync(DEFAULT_RUST_LIBRARY))('--host ct on the rust backend', () => {
  it(
    'a few ACVP ML-KEM-768 cases pass with no finding; the public leaks the host saw are suppressed and reported with their reasons',
    async () => {
      const all = collectCases({ suites: ['acvp'], params: ['ML-KEM-768'] });
      const pick = (op: string, n: number) => all.filter((c) => c.op === op).slice(0, n);
      const cases = [...pick('kem.keygen', 2), ...pick('kem.encaps', 1), ...pick('kem.decaps', 2)];
      expect(cases).toHaveLength(5);
      const b = await openCtBackend(parseSpec('rust'));
      let notes: string[];
      try {
        const ran = await runCases(b, cases);
        for (const r of ran) expect({ id: r.id, status: r.status, findings: r.findings }).toEqual({ id: r.id, status: 'pass', findings: [] });
      } finally {
        await b.close?.();
        notes = await b.exitNotes();
      }
      expect(await b.exitFindings()).toEqual([]);
      // The marks reached the library: keygen's A sampling and decaps's check of the ek inside dk
      // branched on marked data and were hidden by ct-rust.supp entries, which the report names with why.
      expect(notes).toEqual(expect.arrayContaining([
        expect.stringMatching(/^suppressed \d+× ct-rust-mlkem-sample-A-from-rho \(ct-rust\.supp\): ρ and A are public/),
        expect.stringMatching(/^suppressed \d+× ct-rust-mlkem-dk-ek-modulus-check \(ct-rust\.supp\): /),
      ]));
    },
    600_000,
  );
});

describe.skipIf(!canRun || !existsSync(DEFAULT_RUST_LIBRARY))('--host ct on a json-abi library', () => {
  it(
    'the secret field\'s hex is marked in the JSON the library parses; its findings are the library\'s, none is node\'s or koffi\'s',
    async () => {
      const b = await openCtBackend(parseSpec(`json-abi:${DEFAULT_RUST_LIBRARY}`));
      try {
        const kem = kemApi(b);
        // Random keygen has no secret input: nothing is marked, nothing is reported.
        const { ek, dk } = await kem.keygenRandom!('ML-KEM-768');
        expect(await b.drainFindings()).toEqual([]);
        const { c, k } = await kem.encaps('ML-KEM-768', ek, new Uint8Array(32).fill(7));
        const found = await b.drainFindings();
        expect(found.length).toBeGreaterThan(0);
        for (const f of found) {
          expect(f.kind, f.message).toMatch(/^secret-(branch|index)$/);
          // The served side marked m itself (32 bytes); json-abi moved the mark to m's hex in the JSON text (64).
          expect(f.message).toMatch(/with secret inputs m \(32 bytes\), m \(64 bytes\)/);
          expect(f.frames.some((x) => x.obj?.endsWith('libpqc_native.so'))).toBe(true);
          expect(f.frames[0]!.obj ?? '', f.frames[0]!.fn).not.toMatch(/\/node$|koffi\.node$/);
        }
        expect(hexOf(await kem.decaps('ML-KEM-768', dk, c))).toBe(hexOf(k));
      } finally {
        await b.close?.();
      }
    },
    600_000,
  );
});
