// A run whose suites make two cases with one id (a careless suite, or a vector
// file with a repeated tcId) is refused before any case runs, naming the ids:
// results, baselines and merges key on the id, so the run could not be recorded.

import { describe, expect, it, vi } from 'vitest';
import type { Case } from '../model/case.ts';

vi.mock('../harness/suites/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../harness/suites/index.ts')>();
  return {
    ...real,
    suiteDef(name: string) {
      const d = real.suiteDef(name);
      if (name !== 'acvp' || d.kind !== 'per-backend') return d;
      // The first three ML-KEM-512 keyGen cases, the second of them twice.
      const careless = (): Case[] => {
        const some = d.cases({}).filter((c) => c.parameterSet === 'ML-KEM-512').slice(0, 3);
        return [...some, some[1]!];
      };
      return { ...d, cases: careless };
    },
  };
});

const { collectCases, runConformance, DuplicateCaseIdError } = await import('../harness/runner.ts');

describe('duplicate case ids', () => {
  it('collectCases names the id and where each copy came from', () => {
    expect(() => collectCases({ suites: ['acvp'] })).toThrow(DuplicateCaseIdError);
    expect(() => collectCases({ suites: ['acvp'] })).toThrow(
      '1 duplicate case id(s): "acvp/ML-KEM-keyGen/FIPS203/tg1/tc2" (acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json tgId=1 tcId=2 and acvp-server/ML-KEM-keyGen-FIPS203/internalProjection.json tgId=1 tcId=2)',
    );
  });

  it('a run with them stops before opening a backend', async () => {
    await expect(runConformance({ backends: ['noble'], suites: ['acvp'], host: 'inproc' })).rejects.toThrow(DuplicateCaseIdError);
  });
});
