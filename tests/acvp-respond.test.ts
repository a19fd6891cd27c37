// `pqc-harness acvp respond`: prompt-only vector sets answered through a
// backend, offline. The prompt.json / expectedResults.json files among the
// vectors are used as they are; for the modes that only have an
// internalProjection, prompt and expected files are derived here by dropping
// or keeping the answer fields (tests/acvp-derive.ts). Every response is
// compared with the expected answers by this file's own comparison, and by
// `acvp check`.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUST_LIBRARY } from '../backends/rust.ts';
import { createNobleBackend } from '../backends/noble.ts';
import { main } from '../cli/main.ts';
import { ACVP_FILES } from '../harness/suites/acvp.ts';
import { respond, promptTasks } from '../harness/acvp/respond.ts';
import { inCI } from '../model/config.ts';
import { RejectedError, type Backend } from '../model/contract.ts';
import { CrashError, TimeoutError } from '../model/errors.ts';
import { readVectorSet } from '../vectors/acvp.ts';
import { locate } from '../vectors/store.ts';
import { answersByTest, derivePrompt, deriveExpected, type VectorSetDoc } from './acvp-derive.ts';
import { captureOutput } from './capture-output.ts';
import { readVectorJson } from './vector-json.ts';

const console_ = captureOutput();

const tmp = () => mkdtempSync(join(tmpdir(), 'pqc-acvp-'));

/** Where the harness finds a vector file (verified against its pin by the loaders' tests). */
function vectorPath(file: string): string {
  const p = locate(file);
  if (!p) throw new Error(`${file}: not found where the harness looks for vectors`);
  return p;
}

function writeJson(path: string, doc: unknown): string {
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

function readJson(path: string): unknown {
  const raw = readFileSync(path);
  return JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'));
}

interface Side {
  unanswered: { tgId: number; tcId: number; op: string; kind: string; reason: string }[];
  tests: number;
  answered: number;
}

async function respondCli(prompt: string, backend: string, extra: string[] = []) {
  const dir = tmp();
  const response = join(dir, 'response.json');
  const code = await main(['acvp', 'respond', prompt, '--backend', backend, '--out', response, ...extra]);
  const sideFile = join(dir, 'response.unanswered.json');
  return {
    code,
    response,
    doc: existsSync(response) ? (readJson(response) as VectorSetDoc) : undefined,
    side: existsSync(sideFile) ? (readJson(sideFile) as Side) : undefined,
  };
}

/** This file's own comparison: every answered test equal, and which expected tests have no answer. */
function compare(response: VectorSetDoc, expected: VectorSetDoc) {
  const got = answersByTest(response);
  const want = answersByTest(expected);
  const differing: string[] = [];
  const missing: string[] = [];
  for (const [key, w] of want) {
    const g = got.get(key);
    if (!g) missing.push(key);
    else if (JSON.stringify(g) !== JSON.stringify(w)) differing.push(key);
    got.delete(key);
  }
  return { differing, missing, extra: [...got.keys()], equal: want.size - differing.length - missing.length };
}

async function checkCli(response: string, expected: string): Promise<number> {
  return main(['acvp', 'check', response, '--expected', expected]);
}

const keyOf = (u: { tgId: number; tcId: number }) => `${u.tgId}/${u.tcId}`;

describe('noble answers the ML-DSA prompt.json files', () => {
  // The vectors README counts the pre-hash tests whose hash is weaker than the
  // parameter set, which noble refuses by policy: 23 in sigVer, 44 in sigGen.
  it.each([
    ['sigVer (prompt.json)', ACVP_FILES.dsaSigVerPrompt, ACVP_FILES.dsaSigVerExpected, 180, 23, 'dsa.verifyPreHash'],
    ['sigGen FIPS204 (prompt.json.gz)', ACVP_FILES.dsaSigGenPrompt, ACVP_FILES.dsaSigGenExpected, 360, 44, 'dsa.signPreHash'],
  ])('%s: every answer equals expectedResults.json; the pre-hash tests noble refuses are listed, not guessed (exit 1)', async (_name, prompt, expectedFile, tests, refused, op) => {
    const r = await respondCli(vectorPath(prompt), 'noble');
    expect(r.code).toBe(1);
    const c = compare(r.doc!, readJson(vectorPath(expectedFile)) as VectorSetDoc);
    expect(c.differing).toEqual([]);
    expect(c.extra).toEqual([]);
    expect(c.equal).toBe(tests - refused);
    expect(r.side!.unanswered.map(keyOf).sort()).toEqual([...c.missing].sort());
    expect(r.side!.unanswered).toHaveLength(refused);
    for (const u of r.side!.unanswered) {
      expect(u).toMatchObject({ op, kind: 'unsupported' });
      expect(u.reason).toMatch(/refuses HashML-DSA with \S+ for ML-DSA-\d+/);
    }
    expect(console_.text()).toMatch(new RegExp(`not answered: tgId=\\d+ tcId=\\d+ ML-DSA-\\d+ ${op.replace('.', '\\.')}: unsupported:`));
    expect(console_.text()).toContain(`${tests - refused} of ${tests} tests answered`);
    // check agrees: the only differences are the tests left out.
    console_.clear();
    expect(await checkCli(r.response, vectorPath(expectedFile))).toBe(1);
    expect(console_.lines.filter((l) => l.endsWith('no answer in the response'))).toHaveLength(refused);
    expect(console_.lines.at(-1)).toBe(`check: ${tests - refused} of ${tests} tests equal; ${refused} difference(s) in ${refused} test(s) (exit 1)`);
  }, 300_000);
});

describe('noble answers prompts derived from internalProjection.json', () => {
  const derived = (file: string) => {
    const doc = readVectorJson<VectorSetDoc>(file);
    const dir = tmp();
    return { prompt: writeJson(join(dir, 'prompt.json'), derivePrompt(doc)), expected: writeJson(join(dir, 'expectedResults.json'), deriveExpected(doc)), doc };
  };

  it('ML-KEM keyGen: the response equals the answers; check exits 0', async () => {
    const d = derived(ACVP_FILES.kemKeyGen);
    // The derived prompt holds no answer: the response cannot have copied one.
    expect(readFileSync(d.prompt, 'utf8')).not.toMatch(/"(ek|dk)"/);
    const r = await respondCli(d.prompt, 'noble');
    expect(r.code).toBe(0);
    expect(r.side).toBeUndefined();
    const c = compare(r.doc!, readJson(d.expected) as VectorSetDoc);
    expect(c).toEqual({ differing: [], missing: [], extra: [], equal: 75 });
    expect(r.doc).toMatchObject({ vsId: 42, algorithm: 'ML-KEM', mode: 'keyGen', revision: 'FIPS203', isSample: false });
    expect(await checkCli(r.response, d.expected)).toBe(0);
  }, 60_000);

  it.each([
    ['ML-KEM encapDecap FIPS203', ACVP_FILES.kemEncapDecap, 165],
    ['ML-KEM encapDecap FIPS203-tr1 (seed-format decapsulation keys)', ACVP_FILES.kemEncapDecapTr1, 195],
    ['ML-DSA keyGen', ACVP_FILES.dsaKeyGen, 75],
  ])('%s: the response equals the answers', async (_name, file, tests) => {
    const d = derived(file);
    const r = await respondCli(d.prompt, 'noble');
    expect(r.code).toBe(0);
    expect(compare(r.doc!, readJson(d.expected) as VectorSetDoc)).toEqual({ differing: [], missing: [], extra: [], equal: tests });
    expect(await checkCli(r.response, d.expected)).toBe(0);
  }, 120_000);

  it('the tr1 seed-format decapsulation prompt gives d and z, no dk, and is answered through keygen', async () => {
    const d = derived(ACVP_FILES.kemEncapDecapTr1);
    const seedGroups = (JSON.parse(readFileSync(d.prompt, 'utf8')) as VectorSetDoc).testGroups.filter((g) => g.keyFormat === 'seed');
    expect(seedGroups).toHaveLength(3);
    for (const g of seedGroups) for (const t of g.tests) expect(Object.keys(t).sort()).toEqual(['c', 'd', 'tcId', 'z']);
  });
});

const RUST_MISSING = !existsSync(DEFAULT_RUST_LIBRARY);

describe('through other hosts', () => {
  it.runIf(RUST_MISSING && inCI())('the rust cdylib is built (CI)', () => {
    expect(existsSync(DEFAULT_RUST_LIBRARY), `${DEFAULT_RUST_LIBRARY} missing: run \`npm run setup\``).toBe(true);
  });

  it.skipIf(RUST_MISSING)('rust in a child host answers sigGen FIPS204-tr1 (seed-format keys) and sigVer: both responses equal expectedResults.json', async () => {
    for (const [prompt, expectedFile, tests] of [
      [ACVP_FILES.dsaSigGenTr1Prompt, ACVP_FILES.dsaSigGenTr1Expected, 720],
      [ACVP_FILES.dsaSigVerPrompt, ACVP_FILES.dsaSigVerExpected, 180],
    ] as const) {
      console_.clear();
      const r = await respondCli(vectorPath(prompt), 'rust');
      expect(r.code, console_.text()).toBe(0);
      expect(compare(r.doc!, readJson(vectorPath(expectedFile)) as VectorSetDoc)).toEqual({ differing: [], missing: [], extra: [], equal: tests });
      expect(await checkCli(r.response, vectorPath(expectedFile))).toBe(0);
    }
  }, 300_000);

  it('process: the harness child serving noble answers ML-KEM encapDecap', async () => {
    const tsx = (await import('node:module')).createRequire(import.meta.url).resolve('tsx');
    const child = new URL('../harness/hosts/child-main.ts', import.meta.url).pathname;
    const doc = readVectorJson<VectorSetDoc>(ACVP_FILES.kemEncapDecap);
    const dir = tmp();
    const prompt = writeJson(join(dir, 'prompt.json'), derivePrompt(doc));
    const r = await respondCli(prompt, `process:'${process.execPath}' --import '${tsx}' '${child}' noble`);
    expect(r.code, console_.text()).toBe(0);
    expect(console_.lines[0]).toMatch(/^ML-KEM encapDecap FIPS203 \(vsId 42\): 165 tests, answered by process:/);
    expect(compare(r.doc!, deriveExpected(doc))).toEqual({ differing: [], missing: [], extra: [], equal: 165 });
  }, 120_000);
});

describe('ACVTS wrapping and gzip', () => {
  it('a prompt wrapped as [{acvVersion}, {...}] and gzipped (name without .gz) gives a response in the same wrapping; --out *.gz is gzipped', async () => {
    const doc = readVectorJson<VectorSetDoc>(ACVP_FILES.dsaKeyGen);
    const dir = tmp();
    const version = { acvVersion: '1.0' };
    const prompt = join(dir, 'vectorset-1234');
    writeFileSync(prompt, gzipSync(JSON.stringify([version, derivePrompt(doc)])));
    const response = join(dir, 'response.json.gz');
    expect(await main(['acvp', 'respond', prompt, '--backend', 'noble', '--out', response])).toBe(0);
    const raw = readFileSync(response);
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    const got = JSON.parse(gunzipSync(raw).toString('utf8')) as [unknown, VectorSetDoc];
    expect(Array.isArray(got)).toBe(true);
    expect(got).toHaveLength(2);
    expect(got[0]).toEqual(version);
    expect(compare(got[1], deriveExpected(doc))).toEqual({ differing: [], missing: [], extra: [], equal: 75 });
    // check reads the wrapped, gzipped response against a bare expected file.
    const expected = writeJson(join(dir, 'expectedResults.json'), deriveExpected(doc));
    expect(await checkCli(response, expected)).toBe(0);
  }, 60_000);

  it('the response is in upper-case hex and the groups and tests keep the prompt order', async () => {
    const doc = readVectorJson<VectorSetDoc>(ACVP_FILES.kemKeyGen);
    const prompt = writeJson(join(tmp(), 'p.json'), derivePrompt(doc));
    const r = await respondCli(prompt, 'noble');
    const t = r.doc!.testGroups[0]!.tests[0]!;
    expect(Object.keys(t)).toEqual(['tcId', 'ek', 'dk']);
    expect(t.ek).toMatch(/^[0-9A-F]+$/);
    expect(r.doc!.testGroups.map((g) => g.tgId)).toEqual(doc.testGroups.map((g) => g.tgId));
    expect(r.doc!.testGroups.flatMap((g) => g.tests.map((x) => x.tcId))).toEqual(doc.testGroups.flatMap((g) => g.tests.map((x) => x.tcId)));
  }, 60_000);
});

/** noble with a part taken away or made to refuse: what a backend that cannot answer looks like. */
function limitedNoble(change: (b: Backend) => Backend): Backend {
  return change(createNobleBackend());
}

describe('what a backend cannot answer is listed with its reason, never guessed', () => {
  const doc = readVectorJson<VectorSetDoc>(ACVP_FILES.kemEncapDecap);
  const promptDoc = derivePrompt(doc);
  const prompt = readVectorSet(promptDoc, 'derived/prompt.json');
  const tasks = promptTasks(prompt, 'derived/prompt.json');
  const byFunction = (fn: string) => new Set(doc.testGroups.filter((g) => g.function === fn).flatMap((g) => g.tests.map((t) => `${g.tgId}/${String(t.tcId)}`)));

  it('an op the backend does not offer: those tests are left out as unsupported', async () => {
    const b = limitedNoble((n) => ({ ...n, capabilities: () => ({ ...n.capabilities(), ops: n.capabilities().ops.filter((op) => op !== 'kem.decaps') }) }));
    const r = await respond(prompt, tasks, b);
    expect(new Set(r.unanswered.map(keyOf))).toEqual(byFunction('decapsulation'));
    for (const u of r.unanswered) expect(u).toMatchObject({ kind: 'unsupported', op: 'kem.decaps', reason: 'noble does not offer kem.decaps' });
    const c = compare(r.response as unknown as VectorSetDoc, deriveExpected(doc));
    expect(c.differing).toEqual([]);
    expect(new Set(c.missing)).toEqual(byFunction('decapsulation'));
  });

  it('a refusal where bytes are due is no answer (rejected); a refusal where testPassed is due is false', async () => {
    const b = limitedNoble((n) => ({
      ...n,
      kem: {
        ...n.kem!,
        encaps: async () => {
          throw new RejectedError('refused for the test');
        },
        checkEncapsKey: async () => {
          throw new RejectedError('refused for the test');
        },
      },
    }));
    const r = await respond(prompt, tasks, b);
    expect(new Set(r.unanswered.map(keyOf))).toEqual(byFunction('encapsulation'));
    for (const u of r.unanswered) expect(u).toMatchObject({ kind: 'rejected', reason: 'the backend rejected the input: refused for the test' });
    const got = answersByTest(r.response as unknown as VectorSetDoc);
    for (const key of byFunction('encapsulationKeyCheck')) expect(got.get(key)?.testPassed, key).toBe(false);
  });

  it('an error, a crash or a timeout costs that one test only', async () => {
    const failures = [new TypeError('adapter bug'), new CrashError('child was killed by SIGABRT', 'SIGABRT', null, 'munmap_chunk(): invalid pointer'), new TimeoutError('no answer in 10 ms', 10, '')];
    let calls = 0;
    const b = limitedNoble((n) => ({
      ...n,
      kem: {
        ...n.kem!,
        decaps: async (ps, dk, c) => {
          const f = failures[calls++];
          if (f) throw f;
          return n.kem!.decaps(ps, dk, c);
        },
      },
    }));
    const r = await respond(prompt, tasks, b);
    expect(r.unanswered.map((u) => [u.kind, u.op, u.reason])).toEqual([
      ['error', 'kem.decaps', 'TypeError: adapter bug'],
      ['crash', 'kem.decaps', 'child was killed by SIGABRT'],
      ['timeout', 'kem.decaps', 'no answer in 10 ms'],
    ]);
    expect(r.answered).toBe(165 - 3);
  });

  it('a stale side file is removed when every test is answered', async () => {
    const dir = tmp();
    const side = join(dir, 'r.unanswered.json');
    writeFileSync(side, '{"stale": true}');
    const p = writeJson(join(dir, 'p.json'), promptDoc);
    expect(await main(['acvp', 'respond', p, '--backend', 'noble', '--out', join(dir, 'r.json')])).toBe(0);
    expect(existsSync(side)).toBe(false);
    expect(console_.text()).toContain(`removed ${side}`);
  }, 60_000);
});

describe('acvp respond: bad input is exit 2, before a backend is opened', () => {
  const prompt = (doc: unknown) => writeJson(join(tmp(), 'p.json'), doc);
  const kemKeyGen = () => derivePrompt(readVectorJson<VectorSetDoc>(ACVP_FILES.kemKeyGen));

  it.each([
    ['a malformed test input names file, tgId, tcId and field', () => {
      const d = kemKeyGen();
      d.testGroups[1]!.tests[3]!.z = 'XYZ';
      return d;
    }, /p\.json tgId=2 tcId=29 field 'z': not hex/],
    ['a mode the harness does not know', () => ({ ...kemKeyGen(), mode: 'sigGen' }), /p\.json field 'mode': no ACVP mode ML-KEM sigGen here/],
    ['a revision the harness does not read', () => ({ ...kemKeyGen(), revision: 'FIPS203-tr9' }), /field 'revision': ML-KEM keyGen revision "FIPS203-tr9" is not one this harness reads/],
    ['no vsId', () => {
      const { vsId: _v, ...rest } = kemKeyGen();
      return rest;
    }, /p\.json field 'vsId': missing: a response must name the vector set it answers/],
    ['zero tests', () => ({ ...kemKeyGen(), testGroups: [] }), /p\.json field 'testGroups': no tests/],
    ['an ACVTS array of three', () => [{ acvVersion: '1.0' }, kemKeyGen(), kemKeyGen()], /this array has 3 element\(s\)/],
  ])('%s', async (_name, make, message) => {
    const p = prompt(make());
    expect(await main(['acvp', 'respond', p, '--backend', 'noble', '--out', join(tmp(), 'r.json')])).toBe(2);
    expect(console_.text()).toMatch(message);
  });

  it('usage: no backend, no --out, two prompts, the prompt as --out', async () => {
    const p = prompt(kemKeyGen());
    expect(await main(['acvp', 'respond', p, '--out', join(tmp(), 'r.json')])).toBe(2);
    expect(console_.text()).toContain('--backend is required');
    expect(await main(['acvp', 'respond', p, '--backend', 'noble'])).toBe(2);
    expect(console_.text()).toContain('--out RESPONSE.json is required');
    expect(await main(['acvp', 'respond', p, p, '--backend', 'noble', '--out', join(tmp(), 'r.json')])).toBe(2);
    expect(await main(['acvp', 'respond', p, '--backend', 'noble', '--out', p])).toBe(2);
    expect(console_.text()).toContain('must be three different files');
    expect(await main(['acvp', 'respond', p, '--backend', 'nope', '--out', join(tmp(), 'r.json')])).toBe(2);
    expect(console_.text()).toContain("unknown backend 'nope'");
  });
});
