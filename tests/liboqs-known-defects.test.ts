// The harness finds real defects: liboqs 0.13.0's AVX2 ML-DSA verify accepts
// signatures that violate the z norm bound, and its signer takes out-of-range
// private keys. The committed baseline names exactly these; this test proves
// the run still sees them, and that the baseline turns them into known failures.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../harness/runner.ts';
import { evaluateGate, parseBaseline } from '../reports/gate.ts';

const BASELINE = resolve(import.meta.dirname, '..', 'baselines', 'liboqs-0.13.0.json');

describe('liboqs 0.13.0 known defects (Wycheproof ML-DSA-44)', () => {
  it('fails exactly the baselined cases, and the baseline makes the gate pass', async () => {
    const results = await runConformance({ backends: ['liboqs'], suites: ['wycheproof'], params: ['ML-DSA-44'], host: 'child' });
    const failing = results.cases.filter((c) => c.status !== 'pass' && c.status !== 'skip');
    const baseline = parseBaseline(JSON.parse(readFileSync(BASELINE, 'utf8')), BASELINE);
    const expected = baseline.failures.filter((f) => f.id.includes('mldsa_44_'));
    expect(failing.map((c) => c.id).sort()).toEqual(expected.map((f) => f.id).sort());
    // Each kind of defect is present: norm bound, valid boundary signature rejected, unchecked private key.
    expect(failing.filter((c) => c.family === 'mldsa_44_verify' && c.expected?.valid === false).length).toBeGreaterThan(30);
    expect(failing.filter((c) => c.family === 'mldsa_44_verify' && c.expected?.valid === true).length).toBe(1);
    expect(failing.filter((c) => c.family === 'mldsa_44_sign_noseed').length).toBe(2);

    expect(evaluateGate(results).exitCode).toBe(1);
    const gate = evaluateGate(results, { baseline });
    expect(gate.exitCode).toBe(0);
    expect(gate.knownFailures.length).toBe(failing.length);
  }, 300_000);
});
