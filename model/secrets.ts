// Which inputs of each contract operation are secret: the one table the
// constant-time host (`--host ct`) marks from, whatever the backend. A secret
// is anything whose value must not steer a branch or an address: the key
// generation seeds (d, z, ξ), the encapsulation coins m, the signing
// randomness rnd, and the private keys dk and sk. Everything else (public
// keys, ciphertexts, messages, contexts, signatures, the pre-hash name) is
// public. Outputs are not listed: every output is declassified before it
// crosses back to JS, the shared secret included (a caller compares it).
//
// Inputs are named as in model/contract.ts, in contract order after the
// parameter set.

import type { Op } from './contract.ts';

export interface OpInput {
  name: string;
  secret: boolean;
}

const s = (name: string): OpInput => ({ name, secret: true });
const p = (name: string): OpInput => ({ name, secret: false });

/** THE table: every op's inputs, in contract order, secret or public. */
export const OP_INPUTS: Readonly<Record<Op, readonly OpInput[]>> = {
  'kem.keygen': [s('d'), s('z')],
  'kem.encaps': [p('ek'), s('m')],
  'kem.decaps': [s('dk'), p('c')],
  'kem.checkEncapsKey': [p('ek')],
  // The §7.3 check hashes the public ek inside dk, but dk carries dkPKE: secret.
  'kem.checkDecapsKey': [s('dk')],
  'kem.keygenRandom': [],
  'kem.encapsRandom': [p('ek')],
  'dsa.keygen': [s('xi')],
  'dsa.sign': [s('sk'), p('msg'), p('ctx'), s('rnd')],
  'dsa.signInternal': [s('sk'), p('mPrime'), s('rnd')],
  'dsa.signMu': [s('sk'), p('mu'), s('rnd')],
  'dsa.signPreHash': [s('sk'), p('msg'), p('hashAlg'), p('ctx'), s('rnd')],
  'dsa.verify': [p('pk'), p('msg'), p('sig'), p('ctx')],
  'dsa.verifyInternal': [p('pk'), p('mPrime'), p('sig')],
  'dsa.verifyMu': [p('pk'), p('mu'), p('sig')],
  'dsa.verifyPreHash': [p('pk'), p('msg'), p('sig'), p('hashAlg'), p('ctx')],
  'dsa.keygenRandom': [],
};

/** The secret arguments of one call, with their names (args in contract order, after ps). */
export function secretArgs<T>(op: Op, args: readonly T[]): { name: string; value: T }[] {
  const inputs = OP_INPUTS[op];
  const out: { name: string; value: T }[] = [];
  inputs.forEach((inp, i) => {
    if (inp.secret && i < args.length) out.push({ name: inp.name, value: args[i]! });
  });
  return out;
}

/** Whether input `name` of `op` is secret (a backend that re-encodes its inputs asks this). */
export function isSecretInput(op: Op, name: string): boolean {
  return OP_INPUTS[op].some((i) => i.name === name && i.secret);
}
