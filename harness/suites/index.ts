// The one table of suites, by name.

import type { Suite } from '../case.ts';
import { accumulatedSuite } from './accumulated.ts';
import { acvpSuite } from './acvp.ts';
import { cctvSuite } from './cctv.ts';
import { interopSuite } from './interop.ts';
import { propertySuite } from './property.ts';
import type { SuiteDef } from './suite.ts';
import { wycheproofSuite } from './wycheproof.ts';

export const SUITE_TABLE: Partial<Record<Suite, SuiteDef>> = {
  acvp: acvpSuite,
  wycheproof: wycheproofSuite,
  cctv: cctvSuite,
  accumulated: accumulatedSuite,
  property: propertySuite,
  // Runs across every pair of backends in the run (harness/runner.ts runAcross).
  interop: interopSuite,
};

export const DEFAULT_SUITES = Object.keys(SUITE_TABLE) as Suite[];

export function suiteDef(name: string): SuiteDef {
  const s = SUITE_TABLE[name as Suite];
  if (!s) throw new Error(`unknown suite '${name}'; known: ${Object.keys(SUITE_TABLE).join(', ')}`);
  return s;
}
