// Where the package's own files are, in the two layouts it runs in:
//   - a checkout: the TypeScript sources run through tsx (this file is
//     <root>/model/package.ts);
//   - the installed package: the compiled JavaScript in dist/ (this file is
//     <root>/dist/model/package.js), built by `npm run build`.
// Data files (native build outputs, vectors/manifest.json, native/ sources,
// the python bridges, suppression files) sit at the root in both, so every
// path the harness computes goes through packagePath(), never through a
// module's own import.meta.url.

import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);

/** Set by the bundler (harness/hosts/bundle.ts): in a bundle, this file's own path says nothing. */
declare const PQC_PACKAGE_ROOT: string | undefined;

/** Running the compiled JavaScript (dist/) rather than the .ts sources. */
export const COMPILED = self.endsWith('.js');

/** Where `npm run build` writes the compiled tree (tsconfig.build.json's outDir). */
export const DIST_DIR = 'dist';

/** The package root: the checkout, or node_modules/pqc-harness. */
export const PACKAGE_ROOT = typeof PQC_PACKAGE_ROOT === 'string' ? PQC_PACKAGE_ROOT : resolve(dirname(self), COMPILED ? '../..' : '..');

/** A file of the package, by its path from the root (`build/liboqs/lib/liboqs.so`). */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** A harness module, named by its source path (`harness/hosts/child-main.ts`): that file, or its compiled twin. */
export function modulePath(source: string): string {
  return COMPILED ? join(PACKAGE_ROOT, DIST_DIR, source.replace(/\.ts$/, '.js')) : join(PACKAGE_ROOT, source);
}

/**
 * The command that runs a harness module in a fresh node: plain node for the
 * compiled JavaScript; node with tsx's loader for a source (tsx is a
 * devDependency: only a checkout runs sources).
 */
export function nodeCommand(source: string): string[] {
  if (COMPILED) return [process.execPath, modulePath(source)];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [process.execPath, '--import', tsx, modulePath(source)];
}

/** A path inside `root`, not inside a node_modules below it: that package's own file, not a dependency's. */
export function isOwnFile(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !rel.split(sep).includes('node_modules');
}
