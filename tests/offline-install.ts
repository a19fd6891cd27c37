// Installing the packed tarball into a fresh project without the network, as
// a user would install it from a file: `npm pack` in this checkout, then
// `npm ci --offline` in the project.
//
// `npm install --offline` cannot do it: npm 11 resolves versions from full
// registry documents, and the cache holds only the tarballs `npm ci` fetched
// (and abbreviated documents). So the project gets a package-lock.json whose
// entries are this checkout's own lockfile entries for the packages needed
// (same versions and integrity, so the cached tarballs serve them) plus one
// for the tarball, and `npm ci --offline` installs exactly that.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { PACKAGE_ROOT } from '../model/package.ts';

export const REPO = PACKAGE_ROOT;

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
}

interface PackageJson extends LockEntry {
  name: string;
  version: string;
  bin?: Record<string, string>;
  license?: string;
  engines?: Record<string, string>;
}

/** Child processes of these steps must not collect V8 coverage of npm itself. */
export function quietEnv(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e['NODE_V8_COVERAGE'];
  return e;
}

const PACK_LOCK = join(REPO, '.cache', 'pack.lock');
const STALE_LOCK_MS = 10 * 60_000;

/** One `npm pack` at a time: each rebuilds dist/ in this checkout, and test files run in parallel. */
function withPackLock<T>(f: () => T): T {
  mkdirSync(join(REPO, '.cache'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(PACK_LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(PACK_LOCK).mtimeMs > STALE_LOCK_MS) rmSync(PACK_LOCK, { recursive: true, force: true });
      } catch {
        // Released between the two calls: try again.
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return f();
  } finally {
    rmSync(PACK_LOCK, { recursive: true, force: true });
  }
}

/** `npm pack` of this checkout (prepack builds dist/); returns the tarball's path. */
export function packTarball(outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const out = withPackLock(() => execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], { cwd: REPO, encoding: 'utf8', env: quietEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
  const name = out.trim().split('\n').at(-1)!;
  return join(outDir, name);
}

function closure(lock: Record<string, LockEntry>, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const e = lock[`node_modules/${name}`];
    if (!e) throw new Error(`package-lock.json has no entry for ${name}: run npm install in the checkout`);
    seen.add(name);
    const peers = Object.keys(e.peerDependencies ?? {}).filter((p) => !e.peerDependenciesMeta?.[p]?.optional);
    for (const d of [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {}), ...peers]) visit(d);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

/**
 * Writes `dir/package.json` (keeping one that is there) with the tarball and
 * `extra` (names that this checkout's lockfile pins) as devDependencies, a
 * matching lockfile, and runs `npm ci --offline`.
 */
export function installOffline(dir: string, tarball: string, extra: readonly string[] = []): void {
  const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;
  const spec = `file:${relative(dir, tarball)}`;
  let project: PackageJson;
  try {
    project = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    project = { name: basename(dir).toLowerCase().replace(/[^a-z0-9-]/g, '-'), version: '1.0.0', private: true, type: 'module' };
  }
  const versionOf = (name: string) => repoLock.packages[`node_modules/${name}`]?.version ?? '';
  project.devDependencies = { ...Object.fromEntries(extra.map((n) => [n, versionOf(n)])), [pkg.name]: spec };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(project, null, 2)}\n`);

  const packages: Record<string, LockEntry> = {
    '': { name: project.name, version: project.version, devDependencies: project.devDependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      dev: true,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
      peerDependencies: pkg.peerDependencies,
      peerDependenciesMeta: pkg.peerDependenciesMeta,
    },
  };
  // Without `resolved` npm would ask the registry where each tarball is; with it, the cached tarball answers.
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: quietEnv() }).trim().replace(/\/$/, '');
  for (const name of closure(repoLock.packages, [...Object.keys(pkg.dependencies ?? {}), ...extra])) {
    const e = repoLock.packages[`node_modules/${name}`]!;
    const resolved = `${registry}/${name}/-/${name.split('/').at(-1)}-${e.version}.tgz`;
    packages[`node_modules/${name}`] = { ...e, resolved, dev: true };
  }
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: project.name, version: project.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  try {
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: quietEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`npm ci --offline in ${dir} failed (a package missing from the npm cache? \`npm ci\` in the checkout fills it):\n${stderr}`);
  }
}
