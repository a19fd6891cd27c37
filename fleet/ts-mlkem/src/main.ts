// Module wrapper over the npm package `mlkem` (dajiaji/crystals-kyber-js),
// ML-KEM in TypeScript. Run by build/fleet/ts-mlkem/wrapper after build.sh.
//
// What the API expresses: keygen from d‖z (`deriveKeyPair(seed64)`),
// encapsulation with a given m (`encap(pk, m)`), which runs the FIPS 203 §7.2
// modulus check, decapsulation, random keygen and encapsulation.
// What it cannot: the §7.3 decapsulation-key hash check (decap never checks
// H(ek) inside dk); ML-DSA (the package is ML-KEM only).
// The encapsulation-key check is answered by the library's own check inside
// `encap` (with a dummy m): that is the check FIPS 203 asks for, not a re-implementation.

import { createMlKem1024, createMlKem512, createMlKem768, MlKemError, type MlKemInterface } from 'mlkem';
import { expectArgs, fixed, Rejected, serve, type Handler } from './framing.js';

const VERSION = '2.7.0';
const SETS = [
  { name: 'ML-KEM-512', create: createMlKem512, ek: 800, dk: 1632, c: 768 },
  { name: 'ML-KEM-768', create: createMlKem768, ek: 1184, dk: 2400, c: 1088 },
  { name: 'ML-KEM-1024', create: createMlKem1024, ek: 1568, dk: 3168, c: 1568 },
] as const;

/** The library throws MlKemError for a key or input it refuses. */
function call<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MlKemError) throw new Rejected(e.message);
    throw e;
  }
}

function handlersFor(s: (typeof SETS)[number], kem: MlKemInterface): [string, Handler][] {
  const cmd = (op: string) => `${s.name}/${op}`;
  return [
    [cmd('keyGen'), (a) => {
      const [seed] = expectArgs(a, 1, cmd('keyGen'));
      return call(() => kem.deriveKeyPair(fixed(seed, 64, 'seed d‖z')));
    }],
    [cmd('keyGen/random'), (a) => {
      expectArgs(a, 0, cmd('keyGen/random'));
      return kem.generateKeyPair();
    }],
    [cmd('encap'), (a) => {
      const [ek, m] = expectArgs(a, 2, cmd('encap'));
      const [c, k] = call(() => kem.encap(fixed(ek, s.ek, 'ek'), fixed(m, 32, 'm')));
      return [c, k];
    }],
    [cmd('encap/random'), (a) => {
      const [ek] = expectArgs(a, 1, cmd('encap/random'));
      return call(() => kem.encap(fixed(ek, s.ek, 'ek')));
    }],
    [cmd('decap'), (a) => {
      const [dk, c] = expectArgs(a, 2, cmd('decap'));
      return [call(() => kem.decap(fixed(c, s.c, 'c'), fixed(dk, s.dk, 'dk')))];
    }],
    [cmd('encapKeyCheck'), (a) => {
      const [ek] = expectArgs(a, 1, cmd('encapKeyCheck'));
      try {
        kem.encap(fixed(ek, s.ek, 'ek'), new Uint8Array(32));
        return [Uint8Array.of(1)];
      } catch (e) {
        if (e instanceof MlKemError) return [Uint8Array.of(0)];
        throw e;
      }
    }],
  ];
}

const handlers = new Map<string, Handler>();
for (const s of SETS) for (const h of handlersFor(s, await s.create())) handlers.set(...h);

const names = SETS.map((s) => s.name);
const config = [
  { algorithm: 'ML-KEM', mode: 'keyGen', revision: 'FIPS203', parameterSets: names },
  { algorithm: 'ML-KEM', mode: 'encapDecap', revision: 'FIPS203', parameterSets: names, functions: ['encapsulation', 'decapsulation', 'encapsulationKeyCheck'] },
  { algorithm: 'pqc-harness', revision: '1', features: [...names.flatMap((n) => [`${n}/keyGen/random`, `${n}/encap/random`]), 'pqc-harness/describe'] },
];
const describe = {
  id: 'ts-mlkem',
  name: 'mlkem (npm, TypeScript)',
  version: `mlkem ${VERSION} on Node ${process.versions.node}`,
  kind: 'process',
  notes: ['encapsulation-key check answered by the check inside encap; no decapsulation-key check API'],
};
serve(config, describe, handlers);
