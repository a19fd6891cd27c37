// The bug-class table (model/bug-classes.ts): every Wycheproof flag of the
// pinned files, every ACVP test type / function / reason and every CCTV kind
// puts a failing case in a named class (never `unclassified`); the classes a
// reader relies on are the ones the vectors' own notes describe; and a failing
// case in results.json carries its class and severity, a refusal-expecting
// case its expectsRejection, through the runner (per backend and across backends).

import { describe, expect, it } from 'vitest';
import { createNobleBackend } from '../backends/noble.ts';
import { collectCases, runCase, runConformance } from '../harness/runner.ts';
import { BUG_CLASSES, classifyFailure, SEVERITIES, UNCLASSIFIED, type Classifiable } from '../model/bug-classes.ts';
import type { Case } from '../model/case.ts';
import { RejectedError } from '../model/contract.ts';
import { assertResults } from '../model/validate.ts';
import { toHtml } from '../reports/html/page.ts';
import { nobleWith } from './fixtures/mutants/wrap.ts';

const failing = (c: Case, status = 'fail'): Classifiable => ({ suite: c.suite, family: c.family, op: c.op, status, flags: c.flags, expectsRejection: c.expectsRejection });
const classOf = (c: Case) => classifyFailure(failing(c)).id;

const wycheproof = collectCases({ suites: ['wycheproof'] });
const acvp = collectCases({ suites: ['acvp'] });
const cctv = collectCases({ suites: ['cctv'] });

/** One case per distinct (family kind, flags, expects rejection): the combinations the pinned files hold. */
function distinct(cases: Case[], kind: (c: Case) => string): Case[] {
  const seen = new Map<string, Case>();
  for (const c of cases) {
    const k = JSON.stringify([kind(c), [...(c.flags ?? [])].sort(), c.expectsRejection, c.op]);
    if (!seen.has(k)) seen.set(k, c);
  }
  return [...seen.values()];
}

describe('bug classes', () => {
  it('have unique ids, a severity each, and a description', () => {
    const ids = BUG_CLASSES.map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of BUG_CLASSES) {
      expect(SEVERITIES).toContain(b.severity);
      expect(b.what.length, b.id).toBeGreaterThan(20);
      expect(b.id).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
    }
  });

  it('every Wycheproof flag combination of the pinned files maps to a class', () => {
    const kinds = distinct(wycheproof, (c) => c.family.replace(/_\d+/, '_N'));
    // Sanity: the files hold flags at all, and every flag the files use is seen.
    const flags = new Set(wycheproof.flatMap((c) => c.flags ?? []));
    expect(flags.size).toBeGreaterThan(15);
    const unclassified = kinds.filter((c) => classOf(c) === UNCLASSIFIED.id).map((c) => `${c.id} [${c.flags?.join(',')}]`);
    expect(unclassified).toEqual([]);
    for (const f of flags) expect(wycheproof.some((c) => c.flags?.includes(f) && classOf(c) !== UNCLASSIFIED.id), f).toBe(true);
  });

  // What each flag means, from the vectors' own notes (the `notes` object of each file).
  const BY_FLAG: [family: RegExp, flag: string, rejection: boolean, cls: string][] = [
    [/_verify$/, 'InfinityNormViolation', true, 'verify/z-norm'],
    [/_verify$/, 'InvalidHintsEncoding', true, 'verify/hint-malleability'],
    [/_verify$/, 'ModifiedSignature', true, 'verify/forgery'],
    [/_verify$/, 'IncorrectSignatureLength', true, 'input/length'],
    [/_verify$/, 'IncorrectPublicKeyLength', true, 'input/length'],
    [/_verify$/, 'InvalidContext', true, 'input/context-length'],
    [/_verify$/, 'MissingReduction', true, 'verify/missing-reduction'],
    [/_verify$/, 'MissingReduction', false, 'verify/missing-reduction'],
    [/_verify$/, 'ZeroPublicKey', false, 'verify/rejects-valid'],
    [/_sign_noseed$/, 'InvalidPrivateKey', true, 'key/range'],
    [/_sign_noseed$/, 'IncorrectPrivateKeyLength', true, 'input/length'],
    [/_sign_seed$/, 'IncorrectPrivateKeyLength', true, 'input/length'],
    [/_sign_seed$/, 'InvalidContext', true, 'input/context-length'],
    [/_sign_seed$/, 'ManySteps', false, 'sign/rejection-loop'],
    [/_encaps$/, 'ModulusOverflow', true, 'bounds/ek-modulus'],
    [/_semi_expanded_decaps$/, 'InvalidDecapsulationKey', true, 'key/dk-hash'],
    [/_semi_expanded_decaps$/, 'IncorrectCiphertextLength', true, 'input/length'],
    [/_semi_expanded_decaps$/, 'MalleableCiphertext', false, 'kem/implicit-rejection'],
    [/^mlkem_\d+$/, 'Strcmp', false, 'kem/implicit-rejection'],
  ];
  it.each(BY_FLAG)('Wycheproof %s flagged %s (refusal expected: %s) is %s', (family, flag, rejection, cls) => {
    const hits = wycheproof.filter((c) => family.test(c.family) && c.flags?.includes(flag) && c.expectsRejection === rejection);
    expect(hits.length).toBeGreaterThan(0);
    expect([...new Set(hits.map(classOf))]).toEqual([cls]);
  });

  it('unflagged invalid ML-KEM tests get the flag of what is wrong with them, read from the input', () => {
    const notReduced = wycheproof.filter((c) => /^mlkem_\d+_encaps$/.test(c.family) && c.expectsRejection && (c.inputs!().comment as string) === 'Public key not reduced');
    expect(notReduced.length).toBe(300);
    expect([...new Set(notReduced.map(classOf))]).toEqual(['bounds/ek-modulus']);
    const tooLong = wycheproof.filter((c) => /^mlkem_\d+$/.test(c.family) && /too (long|short)/.test(String(c.inputs!().comment)));
    expect(tooLong.length).toBe(120);
    expect([...new Set(tooLong.map(classOf))]).toEqual(['input/length']);
    // The report keeps the file's own (empty) flags.
    expect(notReduced[0]!.inputs!().flags).toBeUndefined();
  });

  it('every ACVP test type, function and reason maps to a class', () => {
    const kinds = distinct(acvp, (c) => c.family);
    expect(kinds.filter((c) => classOf(c) === UNCLASSIFIED.id).map((c) => c.id)).toEqual([]);
    const pick = (family: string, flag: string) => [...new Set(acvp.filter((c) => c.family === family && c.flags?.includes(flag)).map(classOf))];
    expect(pick('ML-KEM-keyGen', 'AFT')).toEqual(['kat/keygen']);
    expect(pick('ML-KEM-encapDecap', 'encapsulation')).toEqual(['kat/encaps']);
    expect(pick('ML-KEM-encapDecap', 'modified ciphertext')).toEqual(['kem/implicit-rejection']);
    expect(pick('ML-KEM-encapDecap', 'valid decapsulation')).toEqual(['kem/decaps-output']);
    expect(pick('ML-KEM-encapDecap', 'noisy linear system values too large')).toEqual(['bounds/ek-modulus']);
    expect(pick('ML-KEM-encapDecap', 'modified H')).toEqual(['key/dk-hash']);
    expect(pick('ML-KEM-encapDecap', 'valid encapsulation key')).toEqual(['key/check-rejects-valid']);
    expect(pick('ML-DSA-keyGen', 'AFT')).toEqual(['kat/keygen']);
    const sigVer = acvp.filter((c) => c.family === 'ML-DSA-sigVer');
    expect([...new Set(sigVer.filter((c) => c.expectsRejection).map(classOf))]).toEqual(['verify/forgery']);
    expect([...new Set(sigVer.filter((c) => !c.expectsRejection).map(classOf))]).toEqual(['verify/rejects-valid']);
    expect([...new Set(acvp.filter((c) => c.family === 'ML-DSA-sigGen').map(classOf))]).toEqual(['sign/output']);
    // 36 sigVer tests per set expect testPassed false ... across 3 sets, minus the 36 valid per set.
    expect(sigVer.filter((c) => c.expectsRejection).length).toBe(144);
  });

  it('every CCTV kind maps to a class', () => {
    const of = (family: string, op?: string) => [...new Set(cctv.filter((c) => c.family === family && (!op || c.op === op)).map(classOf))];
    expect(of('cctv-strcmp')).toEqual(['kem/implicit-rejection']);
    expect(of('cctv-modulus')).toEqual(['bounds/ek-modulus']);
    expect(of('cctv-unluckysample')).toEqual(['kem/sampling']);
    expect(of('cctv-intermediate', 'kem.encaps')).toEqual(['kat/encaps']);
    expect(of('cctv-intermediate', 'kem.decaps')).toEqual(['kem/decaps-output']);
    expect(cctv.filter((c) => c.family === 'cctv-modulus').every((c) => c.expectsRejection)).toBe(true);
  });

  it('how a case failed comes before what its vector probes', () => {
    const c = wycheproof.find((x) => x.flags?.includes('InfinityNormViolation'))!;
    expect(classifyFailure({ ...failing(c), status: 'crash' })).toMatchObject({ id: 'robustness/crash', severity: 'critical' });
    expect(classifyFailure({ ...failing(c), status: 'timeout' })).toMatchObject({ id: 'robustness/hang' });
    expect(classifyFailure({ ...failing(c), status: 'error' })).toMatchObject({ id: 'harness/error', severity: 'low' });
    expect(classifyFailure({ ...failing(c), findings: [{}] })).toMatchObject({ id: 'memory/unsafe', severity: 'critical' });
    expect(classifyFailure(failing(c))).toMatchObject({ id: 'verify/z-norm', severity: 'high' });
  });

  it('a failing case in results carries its class and severity; a refusal-expecting case its expectsRejection', async () => {
    const lax = nobleWith('lax', {}, { verify: async () => true });
    const norm = wycheproof.find((c) => c.family === 'mldsa_44_verify' && c.flags?.includes('InfinityNormViolation'))!;
    const r = await runCase(lax, norm);
    expect(r).toMatchObject({ status: 'fail', bugClass: 'verify/z-norm', severity: 'high', expectsRejection: true });
    const ok = await runCase(createNobleBackend(), norm);
    expect(ok.status).toBe('pass');
    expect(ok.expectsRejection).toBe(true);
    expect(ok.bugClass).toBeUndefined();
    const valid = wycheproof.find((c) => c.family === 'mldsa_44_verify' && c.flags?.includes('ValidSignature') && !c.expectsRejection)!;
    const refusing = nobleWith('refusing', {}, { verify: async () => { throw new RejectedError('no'); } });
    const rv = await runCase(refusing, valid);
    expect(rv).toMatchObject({ status: 'fail', bugClass: 'verify/rejects-valid', severity: 'medium' });
    expect(rv.expectsRejection).toBeUndefined();
  });

  it('across backends, the runner files a differential minority with its class, and the report groups it', { timeout: 300_000 }, async () => {
    const res = await runConformance({
      backends: ['noble', 'module:tests/fixtures/mutants/none.ts', 'module:tests/fixtures/mutants/flip-shared-secret.ts'],
      suites: ['differential'],
      params: ['ML-KEM-512'],
      host: 'inproc',
    });
    assertResults(JSON.parse(JSON.stringify(res)), 'results.json');
    const bad = res.cases.filter((c) => c.status !== 'pass' && c.status !== 'skip');
    expect(bad.map((c) => [c.backend, c.id, c.bugClass, c.severity])).toEqual([
      ['module:tests/fixtures/mutants/flip-shared-secret.ts', 'differential/kem-outputs/ML-KEM-512/module:tests/fixtures/mutants/flip-shared-secret.ts', 'differential/output', 'high'],
    ]);
    const html = toHtml(res);
    expect(html).toMatch(/<section id="bugclasses">/);
    expect(html).toMatch(/data-bug-class="differential\/output" data-severity="high" data-count="1"/);
  });
});
