// `module:PATH`: a JS/TS module whose default export is a Backend (or a
// function returning one), so anyone can put an implementation through the
// harness without touching it.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '../model/contract.ts';

export async function openModuleBackend(path: string): Promise<Backend> {
  const abs = resolve(path);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    throw new Error(`module backend ${abs}: cannot load: ${(e as Error).message}`);
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
