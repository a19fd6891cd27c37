// THE table of suites: a row carries a suite's name, how its cases are made and
// its FIPS map. Adding a suite is adding a row (and its file); the results
// schema's suite enum is checked against this table by a test.

import { accumulatedSuite } from './accumulated.ts';
import { acvpSuite } from './acvp.ts';
import { cctvSuite } from './cctv.ts';
import { differentialSuite } from './differential.ts';
import { interopSuite } from './interop.ts';
import { propertySuite } from './property.ts';
import { selftestSuite } from '../selftest/suite.ts';
import type { SuiteDef } from './suite.ts';
import { wycheproofSuite } from './wycheproof.ts';

export const SUITE_TABLE: readonly SuiteDef[] = [acvpSuite, wycheproofSuite, cctvSuite, accumulatedSuite, propertySuite, interopSuite, differentialSuite, selftestSuite];

/** Every suite name, in report order. */
export const SUITE_NAMES: readonly string[] = SUITE_TABLE.map((s) => s.name);

/** The suites `run` accepts (all but the self-tests), which is also the default. */
export const DEFAULT_SUITES: readonly string[] = SUITE_TABLE.filter((s) => s.kind !== 'selftest').map((s) => s.name);

export function suiteDef(name: string): SuiteDef {
  const s = SUITE_TABLE.find((x) => x.name === name);
  if (!s) throw new Error(`unknown suite '${name}'; known: ${DEFAULT_SUITES.join(', ')}`);
  return s;
}
