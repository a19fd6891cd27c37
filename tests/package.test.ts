// The package as a user gets it: `npm pack`, installed from the tarball into an
// empty project without the network, then used through `npx pqc-harness` and
// the library API. One end-to-end run (packing builds dist/, about a minute in all).
//
// It proves: the tarball ships compiled JavaScript with types and the data
// files the harness reads, and no TypeScript sources, tests or build outputs;
// it installs offline; it runs without tsx (not installed in the project);
// the child host starts from the compiled tree; `--version` / `--help` behave;
// `setup` names every missing toolchain before building anything; a
// TypeScript consumer type-checks against the shipped declarations.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCI } from '../model/config.ts';
import { assertResults } from '../model/validate.ts';
import { locate, vectorRoots } from '../vectors/store.ts';
import { installOffline, packTarball, quietEnv, REPO } from './offline-install.ts';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
const KEYGEN = 'acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json';

/** The folder the checkout reads vectors from, given to the installed package as PQC_VECTORS_DIR. */
function vectorsDir(): string | undefined {
  const p = locate(KEYGEN);
  return p ? vectorRoots().find((r) => p.startsWith(`${r.dir}/`))?.dir : undefined;
}

const vectors = vectorsDir();
if (!vectors && inCI()) throw new Error(`package test: no vector root holds ${KEYGEN}; CI must have the vectors`);

describe.skipIf(!vectors)('the packed tarball, installed into an empty project offline', () => {
  let work: string;
  let project: string;
  let tarball: string;
  const npx = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync('npx', ['--no-install', 'pqc-harness', ...args], { cwd: project, encoding: 'utf8', env: { ...quietEnv(), PQC_VECTORS_DIR: vectors!, ...env } });

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'pqc-pkg-'));
    tarball = packTarball(join(work, 'pack'));
    project = join(work, 'project');
    execFileSync('mkdir', ['-p', project]);
    installOffline(project, tarball, ['@types/node']);
  }, 300_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships compiled JavaScript, declarations and data files; no sources, tests or build outputs', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'bin/pqc-harness.js',
      'dist/api/index.js',
      'dist/api/index.d.ts',
      'dist/api/vitest.js',
      'dist/api/vitest.d.ts',
      'dist/cli/main.js',
      'dist/harness/hosts/child-main.js',
      'vectors/manifest.json',
      'model/results.schema.json',
      'backends/python/pqc_bridge.py',
      'native/src/lib.rs',
      'native/include/pqc_native.h',
      'native/valgrind/node.supp',
      'scripts/setup.sh',
      'Cargo.lock',
    ]) {
      expect(files, f).toContain(f);
    }
    const forbidden = files.filter((f) => (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) || /^(tests|target|build|node_modules|\.cache)\//.test(f) || /\.test\.|tsbuildinfo/.test(f));
    expect(forbidden).toEqual([]);
  });

  it('installs without tsx: nothing of the dev loop is in the project', () => {
    for (const dev of ['tsx', 'typescript', 'vitest']) expect(existsSync(join(project, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'fast-check')), 'fast-check is a run-time dependency').toBe(true);
  });

  it('--version and --help', () => {
    const v = npx(['--version']);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe(pkg.version);
    const h = npx(['--help']);
    expect(h.status).toBe(0);
    expect(h.stderr).toBe('');
    expect(h.stdout).toMatch(/pqc-harness run/);
    expect(h.stdout).toMatch(/pqc-harness setup/);
    const rh = npx(['run', '--help']);
    expect(rh.status).toBe(0);
    expect(rh.stdout).toMatch(/--coverage/);
  });

  it('backends --backend noble', () => {
    const r = npx(['backends', '--backend', 'noble']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/noble: available\s+@noble\/post-quantum/);
  });

  it('run --backend noble --suite acvp --param ML-KEM-512, in process and in a child host', () => {
    for (const host of ['auto', 'child']) {
      const out = join(work, `out-${host}`);
      const r = npx(['run', '--backend', 'noble', '--suite', 'acvp', '--param', 'ML-KEM-512', '--host', host, '--out', out]);
      expect(r.status, `${host}: ${r.stderr}`).toBe(0);
      const doc: unknown = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
      assertResults(doc, `${out}/results.json`);
      expect(doc.run.harnessVersion).toBe(pkg.version);
      expect(doc.cases.length).toBeGreaterThan(0);
      expect(doc.cases.every((c) => c.status === 'pass' && c.parameterSet === 'ML-KEM-512')).toBe(true);
      if (host === 'child') expect(doc.backends[0]!.notes?.at(-1)).toMatch(/hosted in a child process/);
    }
  });

  it('a TypeScript consumer type-checks against the shipped declarations (skipLibCheck off)', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { runConformance, RejectedError, type Backend, type Results } from 'pqc-harness';",
        "const results: Promise<Results> = runConformance({ backends: ['noble'], suites: ['acvp'], params: ['ML-KEM-512'], host: 'auto' });",
        'export const passed = results.then((r) => r.summary.pass satisfies number);',
        'export const mine: Backend = {',
        "  describe: () => ({ id: 'mine', name: 'mine', version: '0', kind: 'module' }),",
        "  capabilities: () => ({ parameterSets: ['ML-KEM-768'], ops: ['kem.decaps'] }),",
        '};',
        "export const refusal = new RejectedError('no');",
        '// @ts-expect-error the harness knows no such parameter set (an `any` type would make this line an error)',
        "runConformance({ backends: ['noble'], suites: ['acvp'], params: ['Kyber768'], host: 'auto' });",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['consumer.ts'] }),
    );
    const r = spawnSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', project], { encoding: 'utf8' });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it('setup names every missing toolchain and what needs it, and builds nothing', () => {
    const r = spawnSync(process.execPath, [join(project, 'node_modules/pqc-harness/bin/pqc-harness.js'), 'setup'], { cwd: project, encoding: 'utf8', env: { ...quietEnv(), PATH: join(work, 'no-tools') } });
    expect(r.status).toBe(1);
    for (const tool of ['bash', 'cargo', 'cmake', 'ninja', 'gcc']) expect(r.stderr).toMatch(new RegExp(`^  ${tool}: needed for `, 'm'));
    expect(r.stderr).toMatch(/nothing built/);
    expect(existsSync(join(project, 'node_modules/pqc-harness/build'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/pqc-harness/target'))).toBe(false);
  });
});
