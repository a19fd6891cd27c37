// The node child that memcheck runs, as one bundled JavaScript file in a
// checkout. Under memcheck, node through tsx's loader took 34 s to start the
// child (the loader thread and a module graph of a hundred .ts files, every
// instruction instrumented); the bundle starts in 18 s, as the installed
// package's compiled JavaScript does. Each start counts: a crash under
// valgrind respawns the child.
//
// The bundle is rebuilt on every open (esbuild takes milliseconds), so it is
// never stale. A `module:` backend inside the package (the self-tests' seeded
// backends) is bundled with the child, sharing its chunks, so the errors it
// throws are the classes the served side checks with instanceof. A module
// outside the package, and the installed package, keep the normal command:
// a user's module resolves its own dependencies from its own folder.

import { createHash } from 'node:crypto';
import { extname, join, relative, resolve } from 'node:path';
import type { BackendSpec } from '../../backends/registry.ts';
import { COMPILED, PACKAGE_ROOT, packagePath } from '../../model/package.ts';

const CHILD_MAIN = 'harness/hosts/child-main.ts';
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];

/** The bundled child's entry file, and the spec it is given (a bundled module's path rewritten). */
export interface BundledChild {
  entry: string;
  spec: string;
}

function insidePackage(path: string): boolean {
  const rel = relative(PACKAGE_ROOT, path);
  return !rel.startsWith('..') && !rel.startsWith('/') && !rel.split('/').includes('node_modules');
}

/** The bundle for `spec`, or null where the normal command serves (compiled package, a module of the user's). */
export async function bundledChild(spec: BackendSpec): Promise<BundledChild | null> {
  if (COMPILED) return null;
  const module = spec.kind.name === 'module' ? resolve(spec.arg!) : undefined;
  if (module && (!insidePackage(module) || !TS_EXTENSIONS.includes(extname(module)))) return null;
  const entries = [packagePath(CHILD_MAIN), ...(module ? [module] : [])];
  const outdir = packagePath('.cache', 'bundles', createHash('sha256').update(entries.join('\0')).digest('hex').slice(0, 16));
  // esbuild is a devDependency: present exactly where sources run (COMPILED is false).
  const { build } = await import('esbuild');
  await build({
    entryPoints: entries.map((e) => ({ in: e, out: relative(PACKAGE_ROOT, e).replace(/\.[cm]?ts$/, '') })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // model/package.ts finds the package root from its own file; in a bundle that file is elsewhere.
    define: { PQC_PACKAGE_ROOT: JSON.stringify(PACKAGE_ROOT) },
    logLevel: 'error',
  });
  const out = (e: string) => join(outdir, `${relative(PACKAGE_ROOT, e).replace(/\.[cm]?ts$/, '')}.mjs`);
  return { entry: out(entries[0]!), spec: module ? `module:${out(module)}` : spec.text };
}
