// Which part of FIPS 203 / FIPS 204 each vector family exercises, so an auditor
// reading the report can go from a family to the clause it tests. One table;
// the first rule whose pattern matches the family name wins.
//
// Section and algorithm numbers are those of the final standards (August 2024).

export interface FipsRef {
  /** Pattern over the family name. */
  match: RegExp;
  standard: 'FIPS 203' | 'FIPS 204';
  /** Sections and algorithms, as the standard numbers them. */
  clause: string;
  /** What the family checks, in words. */
  what: string;
}

export const FIPS_MAP: readonly FipsRef[] = [
  // NIST ACVP (families named as the ACVP-Server folders, without the -FIPS20x suffix).
  { match: /^ML-KEM-keyGen$/, standard: 'FIPS 203', clause: '§6.1, Algorithm 16 ML-KEM.KeyGen_internal', what: 'key pair from seeds d, z' },
  { match: /^ML-KEM-encapDecap$/, standard: 'FIPS 203', clause: '§6.2 Alg. 17 Encaps_internal, §6.3 Alg. 18 Decaps_internal; §7.2 / §7.3 input checks', what: 'encapsulation, decapsulation (incl. implicit rejection), encapsulation- and decapsulation-key checks' },
  { match: /^ML-DSA-keyGen$/, standard: 'FIPS 204', clause: '§6.1, Algorithm 6 ML-DSA.KeyGen_internal', what: 'key pair from seed ξ' },
  { match: /^ML-DSA-sigGen$/, standard: 'FIPS 204', clause: '§5.2 Alg. 2 ML-DSA.Sign, §5.4 Alg. 4 HashML-DSA.Sign, §6.2 Alg. 7 Sign_internal', what: 'signature generation: pure, pre-hash, internal and external-μ interfaces' },
  { match: /^ML-DSA-sigVer$/, standard: 'FIPS 204', clause: '§5.3 Alg. 3 ML-DSA.Verify, §5.4 Alg. 5 HashML-DSA.Verify, §6.3 Alg. 8 Verify_internal', what: 'signature verification, including rejection of invalid signatures' },
  // Wycheproof (families named as the test files, without `_test`).
  { match: /^mlkem_\d+_keygen_seed$/, standard: 'FIPS 203', clause: '§6.1 Alg. 16 KeyGen_internal (§7.1 Alg. 19 ML-KEM.KeyGen)', what: 'key generation from the 64-byte seed d‖z' },
  { match: /^mlkem_\d+_encaps$/, standard: 'FIPS 203', clause: '§7.2 Alg. 20 ML-KEM.Encaps input checks, §6.2 Alg. 17', what: 'encapsulation; rejection of malformed encapsulation keys (type and modulus checks)' },
  { match: /^mlkem_\d+_semi_expanded_decaps$/, standard: 'FIPS 203', clause: '§7.3 Alg. 21 ML-KEM.Decaps input checks, §6.3 Alg. 18', what: 'decapsulation with an expanded key; decapsulation-key hash check, ciphertext length' },
  { match: /^mlkem_\d+$/, standard: 'FIPS 203', clause: '§6.1 Alg. 16, §6.3 Alg. 18; §7.3 input checks', what: 'key generation from seed and decapsulation, including implicit rejection' },
  { match: /^mldsa_\d+_sign_seed$/, standard: 'FIPS 204', clause: '§6.1 Alg. 6 (key from seed), §5.2 Alg. 2 ML-DSA.Sign, §6.2 Alg. 7', what: 'signing with a key expanded from ξ; context-string limits' },
  { match: /^mldsa_\d+_sign_noseed$/, standard: 'FIPS 204', clause: '§5.2 Alg. 2 ML-DSA.Sign, §6.2 Alg. 7 Sign_internal', what: 'signing with an expanded private key; malformed keys' },
  { match: /^mldsa_\d+_verify$/, standard: 'FIPS 204', clause: '§5.3 Alg. 3 ML-DSA.Verify, §6.3 Alg. 8 Verify_internal', what: 'verification edge cases: malformed signatures, hint encoding, norm bounds, context' },
  // C2SP CCTV (ML-KEM).
  { match: /^cctv-strcmp/, standard: 'FIPS 203', clause: '§6.3 Alg. 18 Decaps_internal, steps 9–10', what: 'ciphertext comparison must cover every byte (vectors that pass a strcmp()-based compare)' },
  { match: /^cctv-unlucky/, standard: 'FIPS 203', clause: '§4.2.2 Alg. 7 SampleNTT, used by §5.1 Alg. 13 / §5.2 Alg. 14', what: 'seeds needing an unusually long XOF read in rejection sampling' },
  { match: /^cctv-modulus/, standard: 'FIPS 203', clause: '§7.2 encapsulation-key modulus check', what: 'encapsulation keys with a coefficient ≥ q must be rejected' },
  { match: /^cctv-intermediate/, standard: 'FIPS 203', clause: '§5.1–5.3 Alg. 13–15 K-PKE, §6.1–6.3 Alg. 16–18', what: 'end-to-end values of the intermediate-value vectors' },
  { match: /^cctv-(pq-crystals|kat)/, standard: 'FIPS 203', clause: '§6.1–6.3 Alg. 16–18', what: 'reference-implementation known answers' },
  // Accumulated digests (CCTV): many pseudorandom inputs folded into one SHAKE digest.
  { match: /(ML-KEM|mlkem|kem).*accumulated|accumulated.*(ML-KEM|mlkem|kem)/i, standard: 'FIPS 203', clause: '§6.1–6.3 Alg. 16–18 (many pseudorandom inputs)', what: 'key generation, encapsulation and decapsulation over many inputs, compared as one digest' },
  { match: /(ML-DSA|mldsa|dsa).*accumulated|accumulated.*(ML-DSA|mldsa|dsa)/i, standard: 'FIPS 204', clause: '§6.1–6.3 Alg. 6–8 (many pseudorandom inputs)', what: 'key generation, signing and verification over many inputs, compared as one digest' },
  // Fallbacks for property, interop and self-test families.
  { match: /kem/i, standard: 'FIPS 203', clause: '§6–7 (ML-KEM)', what: 'ML-KEM behaviour' },
  { match: /dsa/i, standard: 'FIPS 204', clause: '§5–6 (ML-DSA)', what: 'ML-DSA behaviour' },
];

/** The FIPS reference for a family, or undefined when no rule matches. */
export function fipsFor(family: string, parameterSet?: string): FipsRef | undefined {
  const hit = FIPS_MAP.find((r) => r.match.test(family));
  if (hit || !parameterSet) return hit;
  // Family name alone says too little (`cctv-accumulated`): add the parameter set.
  const both = `${family} ${parameterSet}`;
  return FIPS_MAP.find((r) => r.match.test(both));
}
