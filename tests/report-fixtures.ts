// Synthetic Results for the report tests: a small builder, no backends needed.

import { RESULTS_SCHEMA, summarize, type BackendEntry, type CaseResult, type Results } from '../model/results.ts';
import { suiteInfo } from '../harness/run-info.ts';
import { SUITE_NAMES } from '../harness/suites/index.ts';

export function backend(id: string, over: Partial<BackendEntry> = {}): BackendEntry {
  return {
    id,
    name: `${id} backend`,
    version: '1.0.0',
    kind: 'js',
    capabilities: { parameterSets: ['ML-KEM-768', 'ML-DSA-65'], ops: ['kem.keygen', 'kem.encaps', 'kem.decaps', 'dsa.sign', 'dsa.verify'] },
    ...over,
  };
}

let seq = 0;
export function kase(over: Partial<CaseResult> = {}): CaseResult {
  seq++;
  return {
    id: `ML-KEM-keyGen/tg1/tc${seq}`,
    backend: 'noble',
    suite: 'acvp',
    family: 'ML-KEM-keyGen',
    parameterSet: 'ML-KEM-768',
    op: 'kem.keygen',
    source: { file: 'acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json', tgId: 1, tcId: seq },
    status: 'pass',
    durationMs: 1.5,
    findings: [],
    ...over,
  };
}

export function results(cases: CaseResult[], over: Partial<Results> = {}): Results {
  const ids = [...new Set(cases.map((c) => c.backend))];
  return {
    schema: RESULTS_SCHEMA,
    run: {
      startedAt: '2026-11-29T10:00:00.000Z',
      finishedAt: '2026-11-29T10:01:00.000Z',
      harnessVersion: '0.1.0',
      node: 'v20.20.2',
      platform: 'linux-x64',
      host: 'child',
      argv: ['run', '--backend', ids.join(',')],
      // As the runner records them: each suite that ran, with the FIPS clauses of its families.
      suites: [...new Set(cases.map((c) => c.suite))].filter((s) => SUITE_NAMES.includes(s)).map((s) => suiteInfo(s, cases.filter((c) => c.suite === s))),
      vectors: [
        { source: 'NIST ACVP-Server', repo: 'usnistgov/ACVP-Server', commit: '975de31eb83d87039ec88934fdc47d8c312b892d', file: 'acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json', sha256: 'ab'.repeat(32) },
      ],
    },
    backends: ids.map((id) => backend(id)),
    cases,
    summary: summarize(cases),
    ...over,
  };
}

/** A run with every status, a crash, a finding-only pass, and hostile strings. */
export function mixedRun(): Results {
  const sig = 'ff'.repeat(2420);
  const stderr = '\x1b[31m==123== Invalid free()\x1b[0m\nmunmap_chunk(): invalid pointer\u0000\u0007 <script>alert(1)</script>\n';
  const frames = [{ fn: 'free', obj: 'libc.so.6' }, { fn: 'pqc_free_string', file: 'src/lib.rs', line: 42 }, { fn: 'ffi_call' }, { fn: 'main' }];
  const cases: CaseResult[] = [
    kase({ id: 'kg/1' }),
    kase({ id: 'kg/2' }),
    kase({ id: 'kg/3', status: 'fail', reason: 'ek mismatch <&>"\'', expected: { ek: 'aa'.repeat(1184) }, got: { ek: 'ab'.repeat(1184) }, inputs: { d: '00'.repeat(32), z: '11'.repeat(32) } }),
    kase({ id: 'kg/4', status: 'skip', reason: 'backend lacks kem.keygen' }),
    kase({ id: 'kg/5', status: 'skip', reason: 'backend lacks kem.keygen' }),
    kase({ id: 'sig/1', backend: 'rust', suite: 'acvp', family: 'ML-DSA-sigGen', parameterSet: 'ML-DSA-65', op: 'dsa.sign', status: 'crash', reason: 'child died', crash: { signal: 'SIGABRT', exitCode: null, stderr }, findings: [{ tool: 'glibc', kind: 'invalid-free', message: 'munmap_chunk(): invalid pointer at 0x7f001234', frames }] }),
    kase({ id: 'sig/2', backend: 'rust', suite: 'acvp', family: 'ML-DSA-sigGen', parameterSet: 'ML-DSA-65', op: 'dsa.sign', status: 'crash', reason: 'child died', crash: { signal: 'SIGABRT', exitCode: null, stderr }, findings: [{ tool: 'glibc', kind: 'invalid-free', message: 'munmap_chunk(): invalid pointer at 0x7f00abcd', frames }] }),
    kase({ id: 'sig/3', backend: 'rust', suite: 'acvp', family: 'ML-DSA-sigGen', parameterSet: 'ML-DSA-65', op: 'dsa.sign', status: 'pass', expected: { sig }, findings: [{ tool: 'valgrind', kind: 'leak', message: '32 bytes definitely lost', frames }] }),
    kase({ id: 'ver/1', backend: 'rust', suite: 'wycheproof', family: 'mldsa_65_verify', parameterSet: 'ML-DSA-65', op: 'dsa.verify', source: { file: 'wycheproof/testvectors_v1/mldsa_65_verify_test.json', tgId: 1, tcId: 7 } }),
    kase({ id: 'ver/2', backend: 'rust', suite: 'wycheproof', family: 'mldsa_65_verify', parameterSet: 'ML-DSA-65', op: 'dsa.verify', status: 'timeout', reason: 'no answer in 30000 ms', durationMs: 30000 }),
    kase({ id: 'ver/3', backend: 'rust', suite: 'wycheproof', family: 'mldsa_65_verify', parameterSet: 'ML-DSA-65', op: 'dsa.verify', status: 'error', reason: 'TypeError: x is undefined' }),
    kase({ id: 'cctv/1', backend: 'noble', suite: 'cctv', family: 'cctv-strcmp', parameterSet: 'ML-KEM-768', op: 'kem.decaps', source: { file: 'cctv/ML-KEM/strcmp/ML-KEM-768.txt', line: 3 } }),
  ];
  return results(cases);
}
