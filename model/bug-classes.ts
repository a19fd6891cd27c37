// Bug classes and their severity: what kind of defect a failing case points
// at, decided from the case's suite, vector family, operation and the vector's
// own labels (Wycheproof flags, the ACVP test type, function and reason; CCTV
// kinds are families), in ONE ordered table. The runner stamps every failing
// case with its class and severity (results.json); the report groups failures
// by them. The first rule that matches wins, so specific rules come first:
// memory faults and crashes before anything the vector says, a flag that names
// the check before a generic "accepted an invalid input".
//
// Severity, as a reviewer of the implementation would rank it:
//   critical  the boundary is unsafe (memory fault, crash) or a forgery or a
//             chosen-ciphertext oracle becomes possible (accepting a modified
//             signature, broken implicit rejection)
//   high      a check FIPS 203/204 requires is missing (ek modulus, dk hash,
//             ‖z‖∞ bound, canonical hints) or a valid input gives a wrong answer
//   medium    refusals of malformed input that only the caller's own mistakes
//             reach (wrong lengths, an over-long context, an out-of-range
//             private key of one's own), rejecting valid input (interoperability)
//   low       the harness could not tell (an error inside the adapter)

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a rule looks at: the case's identity, the vector's labels, and how it failed. */
export interface Classifiable {
  suite: string;
  family: string;
  op: string;
  /** The case status (`fail`, `crash`, …). */
  status: string;
  /** The vector's own labels: Wycheproof flags; ACVP test type, function and reason. */
  flags?: readonly string[];
  /** The vector expects the implementation to refuse the input. */
  expectsRejection?: boolean;
  /** Memory findings tied to the case. */
  findings?: readonly unknown[];
}

/** One condition; every field given must hold. */
interface When {
  suite?: string;
  family?: RegExp;
  op?: RegExp;
  /** At least one of these flags. */
  flag?: readonly string[];
  rejection?: boolean;
  status?: readonly string[];
  findings?: true;
}

export interface BugClass {
  /** `area/defect`, e.g. `verify/z-norm`. */
  id: string;
  severity: Severity;
  /** The defect in words, for the report. */
  what: string;
  /** Any of these conditions puts a failing case in this class. */
  when: readonly When[];
}

const WY_VERIFY = /^mldsa_\d+_verify$/;
const WY_SIGN = /^mldsa_\d+_sign_(no)?seed$/;
const WY_KEM_ENCAPS = /^mlkem_\d+_encaps$/;
const WY_KEM_DECAPS_VALIDATION = /^mlkem_\d+_semi_expanded_decaps$/;
const WY_KEM_TEST = /^mlkem_\d+$/;
const WY_KEM_KEYGEN = /^mlkem_\d+_keygen_seed$/;
const LENGTH_FLAGS = ['IncorrectCiphertextLength', 'IncorrectDecapsulationKeyLength', 'IncorrectPrivateKeyLength', 'IncorrectPublicKeyLength', 'IncorrectSignatureLength'];

/** Failing cases that are not a vector's verdict: memory, crashes, hangs, errors. */
const BOUNDARY: readonly BugClass[] = [
  { id: 'memory/unsafe', severity: 'critical', what: 'a memory error at the boundary (valgrind or ASan finding, glibc abort): the answer cannot be trusted and the process can be corrupted', when: [{ findings: true }] },
  { id: 'robustness/crash', severity: 'critical', what: 'the implementation crashed on this input (signal, abort, panic or unexpected exit)', when: [{ status: ['crash'] }] },
  { id: 'robustness/hang', severity: 'high', what: 'the implementation did not answer within the call timeout', when: [{ status: ['timeout'] }] },
  { id: 'harness/error', severity: 'low', what: 'the backend or its adapter threw something that is neither an answer nor a refusal: look at the wrapper before the library', when: [{ status: ['error'] }] },
];

/** Vector-driven classes, most specific first. */
const VECTOR: readonly BugClass[] = [
  // --- ML-KEM -----------------------------------------------------------------
  {
    id: 'kem/implicit-rejection',
    severity: 'critical',
    what: 'decapsulation of a ciphertext that does not re-encrypt does not return J(z‖c) (FIPS 203 Alg. 18 lines 9–11): an early-exit or partial comparison, or a refusal instead of the implicit-rejection key, is a chosen-ciphertext oracle',
    when: [
      { flag: ['Strcmp', 'MalleableCiphertext', 'modified ciphertext'] },
      { suite: 'cctv', family: /^cctv-strcmp$/ },
      { suite: 'property', family: /^kem-(implicit-rejection|ciphertext-bitflip)$/ },
    ],
  },
  {
    id: 'bounds/ek-modulus',
    severity: 'high',
    what: 'an encapsulation key with a coefficient ≥ q is accepted: the FIPS 203 §7.2 modulus check (ByteEncode12(ByteDecode12(ek)) = ek) is missing',
    when: [
      { flag: ['ModulusOverflow', 'noisy linear system values too large'], rejection: true },
      { suite: 'cctv', family: /^cctv-modulus$/ },
    ],
  },
  {
    id: 'key/dk-hash',
    severity: 'high',
    what: 'a decapsulation key whose embedded H(ek) does not match its ek is accepted: the FIPS 203 §7.3 hash check is missing',
    when: [{ flag: ['InvalidDecapsulationKey', 'modified H'], rejection: true }],
  },
  // --- ML-DSA verification ------------------------------------------------------
  {
    id: 'verify/missing-reduction',
    severity: 'high',
    what: 'a verifier that omits a modular reduction in the NTT path overflows and decides this signature wrongly',
    when: [{ family: WY_VERIFY, flag: ['MissingReduction'] }],
  },
  {
    id: 'verify/z-norm',
    severity: 'high',
    what: 'a signature with ‖z‖∞ ≥ γ1 − β is accepted: the norm check of FIPS 204 Alg. 8 line 13 is missing or off by one (malleable signatures)',
    when: [{ family: WY_VERIFY, flag: ['InfinityNormViolation'], rejection: true }],
  },
  {
    id: 'verify/hint-malleability',
    severity: 'high',
    what: 'a signature with a non-canonical hint encoding is accepted: HintBitUnpack (FIPS 204 Alg. 21) must reject unordered or excess indices (strong unforgeability)',
    when: [{ family: WY_VERIFY, flag: ['InvalidHintsEncoding'], rejection: true }],
  },
  {
    id: 'input/context-length',
    severity: 'medium',
    what: 'a context string over 255 bytes is accepted (FIPS 204 Alg. 2 line 1, Alg. 3 line 1 require an error)',
    when: [{ flag: ['InvalidContext'], rejection: true }, { suite: 'property', family: /^dsa-context-length$/ }],
  },
  {
    id: 'input/length',
    severity: 'medium',
    what: 'an input of the wrong length (key, seed, ciphertext or signature) is accepted instead of refused',
    when: [{ flag: LENGTH_FLAGS, rejection: true }, { suite: 'property', family: /-wrong-length$/ }],
  },
  {
    id: 'verify/forgery',
    severity: 'critical',
    what: 'a modified or invalid signature (or a signature on another message) is accepted: a forgery',
    when: [
      { family: WY_VERIFY, rejection: true },
      { suite: 'acvp', family: /^ML-DSA-sigVer$/, rejection: true },
      { suite: 'property', family: /^dsa-(signature|message)-bitflip$/ },
    ],
  },
  {
    id: 'verify/rejects-valid',
    severity: 'medium',
    what: 'a valid signature is rejected (boundary values, many rejection-loop steps, a key the verifier cannot know is malformed): an interoperability failure',
    when: [{ family: WY_VERIFY, rejection: false }, { suite: 'acvp', family: /^ML-DSA-sigVer$/, rejection: false }],
  },
  // --- ML-DSA signing -----------------------------------------------------------
  {
    id: 'key/range',
    severity: 'medium',
    what: 'an expanded private key whose s1 or s2 has a coefficient outside [−η, η] is used for signing instead of refused',
    when: [{ family: WY_SIGN, flag: ['InvalidPrivateKey'], rejection: true }],
  },
  {
    id: 'sign/rejection-loop',
    severity: 'high',
    what: 'a wrong signature where signing needs many rejection-loop iterations or SHAKE blocks, or hits a boundary value',
    when: [{ family: WY_SIGN, flag: ['ManySteps', 'BoundaryCondition'], rejection: false }],
  },
  {
    id: 'sign/output',
    severity: 'high',
    what: 'signing a valid input gives a signature other than FIPS 204 specifies (or refuses it)',
    when: [{ family: WY_SIGN, rejection: false }, { suite: 'acvp', family: /^ML-DSA-sigGen$/ }],
  },
  // --- answers to valid inputs ----------------------------------------------------
  {
    id: 'kem/sampling',
    severity: 'high',
    what: 'encapsulation or decapsulation goes wrong where matrix expansion must reject many samples (CCTV unlucky seeds)',
    when: [{ suite: 'cctv', family: /^cctv-unluckysample$/ }],
  },
  {
    id: 'kat/keygen',
    severity: 'high',
    what: 'key generation from a seed gives other keys than FIPS 203 Alg. 16 / FIPS 204 Alg. 6 specify',
    when: [{ family: WY_KEM_KEYGEN }, { suite: 'acvp', family: /^ML-(KEM|DSA)-keyGen$/ }],
  },
  {
    id: 'kat/encaps',
    severity: 'high',
    what: 'encapsulation with a given m gives another (c, K) than FIPS 203 Alg. 17 specifies',
    when: [{ family: WY_KEM_ENCAPS, rejection: false }, { suite: 'acvp', family: /^ML-KEM-encapDecap$/, flag: ['encapsulation'] }, { suite: 'cctv', op: /^kem\.encaps$/ }],
  },
  {
    id: 'kem/decaps-output',
    severity: 'high',
    what: 'decapsulation of a valid ciphertext gives another key than FIPS 203 Alg. 18 specifies (or refuses it)',
    when: [{ family: WY_KEM_TEST }, { family: WY_KEM_DECAPS_VALIDATION, rejection: false }, { suite: 'acvp', flag: ['decapsulation'] }, { suite: 'cctv', op: /^kem\.decaps$/ }],
  },
  {
    id: 'key/check-rejects-valid',
    severity: 'medium',
    what: 'a valid key fails the FIPS 203 §7.2 / §7.3 check (interoperability failure)',
    when: [{ suite: 'acvp', flag: ['encapsulationKeyCheck', 'decapsulationKeyCheck'], rejection: false }],
  },
  {
    id: 'kat/accumulated',
    severity: 'high',
    what: 'an accumulated digest over many generated tests (or a NIST KAT hash) differs: some output among them is wrong',
    when: [{ suite: 'accumulated' }],
  },
  // --- properties, and several implementations compared ---------------------------
  { id: 'abi/input-mutation', severity: 'high', what: 'the implementation writes into buffers it was handed as input', when: [{ suite: 'property', family: /-no-mutation$/ }] },
  { id: 'property/violated', severity: 'high', what: 'a property FIPS 203/204 implies (round trip, determinism) does not hold', when: [{ suite: 'property' }] },
  { id: 'interop/disagreement', severity: 'high', what: 'two implementations do not interoperate, or give different bytes for the same deterministic input', when: [{ suite: 'interop' }] },
  { id: 'differential/verdict', severity: 'high', what: 'in the minority of the fleet on accepting or refusing a (malformed) input', when: [{ suite: 'differential', family: /-verdicts$/ }] },
  { id: 'differential/output', severity: 'high', what: 'in the minority of the fleet on the bytes of a deterministic operation', when: [{ suite: 'differential' }] },
];

/** The class of a failure no rule knows: a reason to add a rule. */
export const UNCLASSIFIED: BugClass = { id: 'unclassified', severity: 'medium', what: 'no rule of model/bug-classes.ts matches this failure', when: [] };

/** THE table, in match order. */
export const BUG_CLASSES: readonly BugClass[] = [...BOUNDARY, ...VECTOR];

function holds(w: When, c: Classifiable): boolean {
  if (w.findings && !(c.findings && c.findings.length > 0)) return false;
  if (w.status && !w.status.includes(c.status)) return false;
  if (w.suite !== undefined && w.suite !== c.suite) return false;
  if (w.family && !w.family.test(c.family)) return false;
  if (w.op && !w.op.test(c.op)) return false;
  if (w.flag && !w.flag.some((f) => c.flags?.includes(f))) return false;
  if (w.rejection !== undefined && w.rejection !== (c.expectsRejection === true)) return false;
  return true;
}

/** The class of a failing case: the first row with a condition that holds. */
export function classifyFailure(c: Classifiable): BugClass {
  return BUG_CLASSES.find((b) => b.when.some((w) => holds(w, c))) ?? UNCLASSIFIED;
}

/** A class by id (the report's descriptions), or undefined for an id this version does not know. */
export function bugClass(id: string): BugClass | undefined {
  return id === UNCLASSIFIED.id ? UNCLASSIFIED : BUG_CLASSES.find((b) => b.id === id);
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
