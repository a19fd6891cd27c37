// `module:PATH`: a JS/TS module whose default export is a Backend (or a
// function returning one), so anyone can put an implementation through the
// harness without touching it.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '../model/contract.ts';

/** Loads a module by absolute path; a test runner passes its own (vitest loads TypeScript). */
export type ModuleLoader = (absPath: string) => Promise<unknown>;

const nodeImport: ModuleLoader = (abs) => import(pathToFileURL(abs).href);

export async function openModuleBackend(path: string, load: ModuleLoader = nodeImport): Promise<Backend> {
  const abs = resolve(path);
  let mod: { default?: unknown };
  try {
    mod = (await load(abs)) as { default?: unknown };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Node 20 has no TypeScript loader of its own; a checkout runs through tsx, the installed package does not.
    const hint = err.code === 'ERR_UNKNOWN_FILE_EXTENSION' ? ' (node cannot load TypeScript by itself: compile the module to JavaScript, or run pqc-harness through tsx: `npx tsx node_modules/pqc-harness/bin/pqc-harness.js ...`)' : '';
    throw new Error(`module backend ${abs}: cannot load: ${err.message}${hint}`);
  }
  const exported = typeof mod.default === 'function' ? await (mod.default as () => unknown)() : mod.default;
  if (!isBackend(exported)) {
    throw new Error(`module backend ${abs}: default export must be a Backend (describe(), capabilities(), kem and/or dsa) or a function returning one`);
  }
  return exported;
}

function isBackend(x: unknown): x is Backend {
  const b = x as Partial<Backend> | null;
  return !!b && typeof b.describe === 'function' && typeof b.capabilities === 'function' && (b.kem !== undefined || b.dsa !== undefined);
}
