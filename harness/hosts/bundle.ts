// The node child as one bundled JavaScript file in a checkout. Under memcheck,
// node through tsx's loader took 34 s to start the child (the loader thread and
// a module graph of a hundred .ts files, every instruction instrumented); the
// bundle starts in 18 s, as the installed package's compiled JavaScript does.
// Outside memcheck it starts in 0.12 s instead of 0.30 s, and a run starts a
// child per instance and per respawn.
//
// The bundle is built once per process (esbuild takes milliseconds), so it is
// never staler than the running harness. Its files go to a folder named by
// their content, written whole under a temporary name and then renamed into
// place: several harness processes (vitest forks, parallel runs) starting
// children at once never read a half-written bundle. A `module:` backend
// inside the package (the self-tests' seeded backends) is bundled with the
// child, sharing its chunks, so the errors it throws are the classes the
// served side checks with instanceof. A module outside the package, and the
// installed package, keep the normal command: a user's module resolves its own
// dependencies from its own folder.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import type { BackendSpec } from '../../backends/registry.ts';
import { COMPILED, PACKAGE_ROOT, isOwnFile, packagePath } from '../../model/package.ts';

const CHILD_MAIN = 'harness/hosts/child-main.ts';
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];

/** The bundled child's entry file, and the spec it is given (a bundled module's path rewritten). */
export interface BundledChild {
  entry: string;
  spec: string;
}

const built = new Map<string, Promise<string>>();

/** The bundle for `spec`, or null where the normal command serves (compiled package, a module of the user's). */
export async function bundledChild(spec: BackendSpec): Promise<BundledChild | null> {
  if (COMPILED) return null;
  const module = spec.kind.name === 'module' ? resolve(spec.arg!) : undefined;
  if (module && (!isOwnFile(PACKAGE_ROOT, module) || !TS_EXTENSIONS.includes(extname(module)))) return null;
  const entries = [packagePath(CHILD_MAIN), ...(module ? [module] : [])];
  const key = entries.join('\0');
  let dir = built.get(key);
  if (!dir) {
    dir = buildBundle(entries);
    built.set(key, dir);
    dir.catch(() => built.delete(key));
  }
  const outdir = await dir;
  const out = (e: string) => join(outdir, `${relative(PACKAGE_ROOT, e).replace(/\.[cm]?ts$/, '')}.mjs`);
  return { entry: out(entries[0]!), spec: module ? `module:${out(module)}` : spec.text };
}

/** Build the bundle in memory, publish it under its content's hash; the folder. */
async function buildBundle(entries: string[]): Promise<string> {
  const staging = packagePath('.cache', 'bundles', 'staging');
  // esbuild is a devDependency: present exactly where sources run (COMPILED is false).
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    entryPoints: entries.map((e) => ({ in: e, out: relative(PACKAGE_ROOT, e).replace(/\.[cm]?ts$/, '') })),
    outdir: staging,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // A child started with --enable-source-maps names the .ts sources in its stack traces, as under tsx.
    sourcemap: 'linked',
    sourcesContent: false,
    // model/package.ts finds the package root from its own file; in a bundle that file is elsewhere.
    define: { PQC_PACKAGE_ROOT: JSON.stringify(PACKAGE_ROOT) },
    logLevel: 'error',
  });
  const files = outputFiles.map((f) => ({ rel: relative(staging, f.path), contents: f.contents }));
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.rel).update('\0').update(f.contents).update('\0');
  const outdir = packagePath('.cache', 'bundles', hash.digest('hex').slice(0, 16));
  if (existsSync(outdir)) return outdir;
  const tmp = `${outdir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  for (const f of files) {
    mkdirSync(dirname(join(tmp, f.rel)), { recursive: true });
    writeFileSync(join(tmp, f.rel), f.contents);
  }
  try {
    renameSync(tmp, outdir);
  } catch (e) {
    // Another process published the same content first: theirs is as good.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(outdir)) throw e;
  }
  return outdir;
}
