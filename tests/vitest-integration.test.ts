// `pqc-harness/vitest` from the packed tarball: examples/vitest-conformance/
// copied into a temporary folder, installed offline with the tarball, and run
// by its own vitest. Expected counts and ids come from the checkout's case
// collector (which cases exist), never from what the example printed.
//
// It proves: one test per case, named by its id; vitest's -t, --shard and a
// reporter (JUnit, JSON) work on them; a wrong answer fails exactly the cases
// it should, each message naming the case id with expected and got; a
// TypeScript module backend (`module:./x.ts`) loads through vitest; a native
// crash costs one test and vitest carries on; in watch mode an edit of the
// implementation reruns its cases with the new code.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCases } from '../harness/runner.ts';
import { DEFAULT_RUST_LIBRARY } from '../backends/rust.ts';
import { inCI } from '../model/config.ts';
import { DSA_PARAMS, KEM_PARAMS } from '../model/params.ts';
import { locate, vectorRoots } from '../vectors/store.ts';
import { installOffline, packTarball, quietEnv, REPO } from './offline-install.ts';

const EXAMPLE = join(REPO, 'examples/vitest-conformance');
const KEYGEN = 'acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json';
const vectorsAt = locate(KEYGEN);
const vectors = vectorsAt ? vectorRoots().find((r) => vectorsAt.startsWith(`${r.dir}/`))?.dir : undefined;
if (!vectors && inCI()) throw new Error(`vitest integration test: no vector root holds ${KEYGEN}; CI must have the vectors`);

interface JsonReport {
  success: boolean;
  testResults: { name: string; assertionResults: { title: string; fullName: string; status: string; failureMessages: string[] }[] }[];
}

describe.skipIf(!vectors)('examples/vitest-conformance, installed from the packed tarball', () => {
  let work: string;
  let project: string;
  const vitest = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync('npx', ['--no-install', 'vitest', 'run', ...args], { cwd: project, encoding: 'utf8', env: { ...quietEnv(), PQC_VECTORS_DIR: vectors!, ...env } });
  const jsonRun = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const out = join(work, `report-${Math.random().toString(36).slice(2)}.json`);
    const r = vitest([...args, '--reporter=json', `--outputFile=${out}`], env);
    if (!existsSync(out)) throw new Error(`vitest wrote no report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return { status: r.status, report: JSON.parse(readFileSync(out, 'utf8')) as JsonReport };
  };
  const tests = (rep: JsonReport) => rep.testResults.flatMap((f) => f.assertionResults);

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'pqc-vitest-'));
    const tarball = packTarball(join(work, 'pack'));
    project = join(work, 'example');
    cpSync(EXAMPLE, project, { recursive: true, filter: (src) => !src.includes('node_modules') });
    const example = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    installOffline(project, tarball, Object.keys(example.devDependencies).filter((n) => n !== 'pqc-harness'));
  }, 300_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs the ACVP suite on noble: one test per case, named by the case id, in a JUnit report', () => {
    const junit = join(work, 'junit.xml');
    const r = vitest(['test/acvp-ml-kem.test.ts', 'test/acvp-ml-dsa.test.ts', '-t', String.raw`\[(ML-KEM-\d+|ML-DSA-44)\]`, '--reporter=junit', `--outputFile=${junit}`]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    // JUnit names a test by its describe path and title: `noble &gt; acvp &gt; <family> &gt; <title>`.
    const names = [...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]!.split(' &gt; ').at(-1)!);
    const kem = collectCases({ suites: ['acvp'], params: KEM_PARAMS });
    const dsa = collectCases({ suites: ['acvp'], params: DSA_PARAMS });
    // Every case of both files is registered (those -t leaves out are reported skipped).
    expect(names.length).toBe(kem.length + dsa.length);
    for (const c of [...kem, ...dsa]) expect(names, c.id).toContain(`${c.id} [${c.parameterSet}]`);
    expect(xml).not.toMatch(/<failure/);
  });

  it('-t picks one case by its id', () => {
    const { status, report } = jsonRun(['test/acvp-ml-kem.test.ts', '-t', 'ML-KEM-keyGen/FIPS203/tg1/tc1 ']);
    expect(status).toBe(0);
    const ran = tests(report).filter((t) => t.status !== 'skipped');
    expect(ran.map((t) => t.title)).toEqual(['acvp/ML-KEM-keyGen/FIPS203/tg1/tc1 [ML-KEM-512]']);
    expect(ran[0]!.status).toBe('passed');
  });

  it('--shard splits the files between the shards, each file once', () => {
    const files = (i: number) => {
      const { status, report } = jsonRun([`--shard=${i}/2`, '-t', 'keyGen/FIPS203/tg1/tc1 ']);
      expect(status).toBe(0);
      return report.testResults.map((f) => f.name.slice(project.length + 1)).sort();
    };
    const [a, b] = [files(1), files(2)];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.filter((f) => b.includes(f))).toEqual([]);
    expect([...a, ...b].sort()).toEqual(['test/acvp-ml-dsa.test.ts', 'test/acvp-ml-kem.test.ts', 'test/my-kem.test.ts']);
  });

  it('a wrong answer fails exactly the cases that check it, each naming the case id with expected and got', () => {
    const source = readFileSync(join(project, 'my-kem.ts'), 'utf8');
    const honest = 'decaps: async (ps, dk, c) => refuse(() => kems[ps].decapsulate(c, dk)),';
    expect(source).toContain(honest);
    writeFileSync(join(project, 'my-kem-flipped.ts'), source.replace(honest, 'decaps: async (ps, dk, c) => { const k = refuse(() => kems[ps].decapsulate(c, dk)); k[0]! ^= 1; return k; },'));
    writeFileSync(join(project, 'test/flipped.test.ts'), "import { conformance } from 'pqc-harness/vitest';\nconformance({ backend: 'module:./my-kem-flipped.ts', suites: ['acvp'], params: ['ML-KEM-768'] });\n");
    const { status, report } = jsonRun(['test/flipped.test.ts']);
    expect(status).toBe(1);
    const failed = tests(report).filter((t) => t.status === 'failed');
    const decaps = collectCases({ suites: ['acvp'], params: ['ML-KEM-768'] }).filter((c) => c.requires.includes('kem.decaps'));
    expect(decaps.length).toBeGreaterThan(0);
    expect(failed.map((t) => t.title).sort()).toEqual(decaps.map((c) => `${c.id} [${c.parameterSet}]`).sort());
    for (const t of failed) {
      const msg = t.failureMessages[0]!;
      const id = t.title.split(' ')[0]!;
      expect(msg).toContain(`${id} [ML-KEM-768 kem.decaps]`);
      const expected = /expected: \{"k":"([0-9a-f]+)"\}/.exec(msg)?.[1];
      const got = /got: +\{"k":"([0-9a-f]+)"\}/.exec(msg)?.[1];
      expect(expected, msg).toBeDefined();
      // The mutant flips bit 0 of the first byte and nothing else.
      expect(Buffer.from(got!, 'hex')[0]).toBe(Buffer.from(expected!, 'hex')[0]! ^ 1);
      expect(got!.slice(2)).toBe(expected!.slice(2));
    }
  });

  it('watch mode: editing the implementation reruns its cases, with the new code', { timeout: 300_000 }, async () => {
    const decaps = collectCases({ suites: ['acvp'], params: ['ML-KEM-768'] }).find((c) => c.requires.includes('kem.decaps'))!;
    const file = join(project, 'my-kem.ts');
    const source = readFileSync(file, 'utf8');
    const honest = 'decaps: async (ps, dk, c) => refuse(() => kems[ps].decapsulate(c, dk)),';
    const child = spawn('npx', ['--no-install', 'vitest', '--watch', 'test/my-kem.test.ts', '-t', `${decaps.id} `], {
      cwd: project,
      env: { ...quietEnv(), PQC_VECTORS_DIR: vectors!, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const read = (d: Buffer) => (out += d.toString().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''));
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    const waitFor = async (re: RegExp, from: number) => {
      for (const start = Date.now(); !re.test(out.slice(from)); ) {
        if (Date.now() - start > 120_000 || child.exitCode !== null) throw new Error(`no ${re} in vitest's watch output:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      await waitFor(/Tests\s+1 passed/, 0);
      const mark = out.length;
      writeFileSync(file, source.replace(honest, 'decaps: async (ps, dk, c) => { const k = refuse(() => kems[ps].decapsulate(c, dk)); k[0]! ^= 1; return k; },'));
      await waitFor(/Tests\s+1 failed/, mark);
      expect(out.slice(mark)).toContain(`${decaps.id} [ML-KEM-768 kem.decaps]`);
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
      writeFileSync(file, source);
    }
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  const canCrash = python && existsSync(DEFAULT_RUST_LIBRARY);
  if (!canCrash && inCI()) throw new Error(`crash isolation needs python3 and ${DEFAULT_RUST_LIBRARY} (npm run setup)`);
  it.skipIf(!canCrash)('a native crash costs one test; vitest goes on and reports the signal', () => {
    writeFileSync(join(project, 'test/seedbug.test.ts'), "import { conformance } from 'pqc-harness/vitest';\nconformance({ backend: 'python-seedbug', suites: ['acvp'], params: ['ML-KEM-768'] });\n");
    const decaps = collectCases({ suites: ['acvp'], params: ['ML-KEM-768'] }).filter((c) => c.requires.includes('kem.decaps')).slice(0, 2);
    const pattern = decaps.map((c) => `${c.id} `).join('|');
    const { status, report } = jsonRun(['test/seedbug.test.ts', '-t', pattern], { PQC_RUST_LIB: DEFAULT_RUST_LIBRARY });
    expect(status).toBe(1);
    const ran = tests(report).filter((t) => t.status !== 'skipped');
    expect(ran.map((t) => t.title).sort()).toEqual(decaps.map((c) => `${c.id} [${c.parameterSet}]`).sort());
    for (const t of ran) {
      expect(t.status).toBe('failed');
      expect(t.failureMessages[0]).toMatch(/: crash: .*SIGABRT/);
      expect(t.failureMessages[0]).toMatch(/munmap_chunk\(\): invalid pointer/);
    }
  });
});
