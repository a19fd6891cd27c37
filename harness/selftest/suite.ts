// The `selftest` suite: the harness proving its own detection power (the
// seeded-fault matrix of faults.ts). Written by `pqc-harness selftest`, never
// chosen with `run --suite`; its families check the harness, not a FIPS clause.

import type { SelftestSuite } from '../suites/suite.ts';

export const selftestSuite: SelftestSuite = {
  kind: 'selftest',
  name: 'selftest',
  title: 'Self-test: seeded faults each caught by the tool expected to catch them, and silence on clean code',
  vectorFiles: [],
  fips: [],
};
