// A module backend over the timing-leak FIXTURE native/fixture/ct.c (self-tests
// only; never a real backend), built at -O0 and -O2 (both loaded).
// `kem.decaps(ML-KEM-768, dk, c)` runs one fixture function chosen by the
// first CT_SELECTOR bytes of c: c[0] the leak (CT_LEAKS), c[1] the variant
// (CT_VARIANTS), c[2] the build (CT_BUILDS). The function gets dk (a secret:
// the constant-time host marks it, model/secrets.ts) and the rest of c
// (public), and writes the 32-byte k this returns.

import { libraryIdentity } from '../../backends/library.ts';
import { existsSync } from 'node:fs';
import { packagePath } from '../../model/package.ts';
import koffi from 'koffi';
import { RejectedError, UnsupportedError, type Backend, type KemApi } from '../../model/contract.ts';

export const CT_LEAKS = ['memcmp', 'table', 'secret-bit', 'loop-bound'] as const;
export type CtLeak = (typeof CT_LEAKS)[number];
export const CT_VARIANTS = ['leaky', 'ct'] as const;
export type CtVariant = (typeof CT_VARIANTS)[number];
export const CT_BUILDS = ['O0', 'O2'] as const;
export type CtBuild = (typeof CT_BUILDS)[number];

/** Bytes of c that select the function; the function sees the rest. */
export const CT_SELECTOR = 3;
/** The fixture writes this many bytes of k. */
export const CT_K = 32;

export const CT_FIXTURE_LIBS: Record<CtBuild, string> = {
  O0: packagePath('build/fixture/libpqc_ct_O0.so'),
  O2: packagePath('build/fixture/libpqc_ct_O2.so'),
};

/** The C function of one cell. */
export function ctFunction(leak: CtLeak, variant: CtVariant): string {
  return `pqc_ctfix_${leak.replace('-', '_')}_${variant}`;
}

type FixtureFn = (dk: Uint8Array, dkLen: number, c: Uint8Array, cLen: number, k: Uint8Array) => void;

export default function openCtFixtureBackend(): Backend {
  const fns = new Map<string, FixtureFn>();
  const libs: { path: string; sha256: string }[] = [];
  for (const build of CT_BUILDS) {
    const path = CT_FIXTURE_LIBS[build];
    if (!existsSync(path)) throw new Error(`timing-leak fixture ${path} not found: run \`npm run setup\` (it builds native/fixture/ct.c)`);
    libs.push(libraryIdentity(path));
    const lib = koffi.load(path);
    for (const leak of CT_LEAKS) {
      for (const variant of CT_VARIANTS) {
        const name = ctFunction(leak, variant);
        fns.set(`${build}/${name}`, lib.func(`void ${name}(const uint8_t *dk, size_t dk_len, const uint8_t *c, size_t c_len, uint8_t *k)`) as FixtureFn);
      }
    }
  }

  const unsupported = async (): Promise<never> => {
    throw new UnsupportedError('timing-leak fixture: only kem.decaps is offered');
  };
  const kem: KemApi = {
    keygen: unsupported,
    encaps: unsupported,
    checkEncapsKey: unsupported,
    checkDecapsKey: unsupported,
    async decaps(ps, dk, c) {
      if (ps !== 'ML-KEM-768') throw new RejectedError(`timing-leak fixture: ML-KEM-768 only, not ${ps}`);
      const leak = CT_LEAKS[c[0] ?? -1];
      const variant = CT_VARIANTS[c[1] ?? -1];
      const build = CT_BUILDS[c[2] ?? -1];
      if (!leak || !variant || !build) throw new RejectedError(`timing-leak fixture: no cell [${[...c.subarray(0, CT_SELECTOR)].join(', ')}]`);
      const fn = fns.get(`${build}/${ctFunction(leak, variant)}`)!;
      const rest = c.subarray(CT_SELECTOR);
      const k = new Uint8Array(CT_K);
      fn(dk, dk.length, rest, rest.length, k);
      return k;
    },
  };
  return {
    describe: () => ({
      id: 'ct-fixture',
      name: 'pqc-harness timing-leak fixture',
      version: '1',
      kind: 'cdylib',
      library: { ...libs[0]! },
      notes: [
        'self-test fixture with seeded timing leaks and their constant-time twins; never a real backend',
        ...libs.map((l) => `loaded ${l.path} (sha256 ${l.sha256})`),
      ],
    }),
    capabilities: () => ({ parameterSets: ['ML-KEM-768'], ops: ['kem.decaps'] }),
    kem,
  };
}
