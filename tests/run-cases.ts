// Runs cases straight through the runner's own classification, without a host.

import type { Case } from '../model/case.ts';
import type { Backend } from '../model/contract.ts';
import { runCase, type RunPart } from '../harness/runner.ts';

export type Ran = RunPart & { id: string };

export async function runCases(b: Backend, cases: readonly Case[]): Promise<Ran[]> {
  const out: Ran[] = [];
  for (const c of cases) out.push({ id: c.id, ...(await runCase(b, c)) });
  return out;
}
