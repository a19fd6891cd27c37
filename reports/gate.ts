// The gate: turns a run into an exit code for CI, optionally against a baseline
// of known failures. Exit codes (documented in reports/README.md):
//   0  gate passes
//   1  a failure (fail / crash / timeout / error / memory finding) not in the baseline,
//      or a partial merge (shards missing)
//   2  usage or input error (the CLI's own; also: nothing was tested)
//   3  strict mode and skips present (and nothing worse)

import { gateStatus, isGateFailure, STATUSES, type CaseResult, type GateStatus, type MergeInfo, type Results } from '../model/results.ts';
import { FileReadError, readRegularFile } from '../model/files.ts';
import { capText } from '../model/limits.ts';
import { forTerminal } from '../model/text.ts';

export const BASELINE_SCHEMA = 'pqc-harness/baseline@1';

const LIST_NEW = 10;
/** A `new:` line shows the start of the reason; the report has all of it. */
const REASON_SHOWN = 200;

export const EXIT = { pass: 0, failures: 1, usage: 2, strictSkips: 3 } as const;

export interface BaselineEntry {
  backend: string;
  id: string;
  /** The case status, or `finding` for a case that passed but had memory findings. */
  status: GateStatus;
  /** Why this failure is known and accepted (for the reader of the baseline). */
  why?: string;
}

export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  failures: BaselineEntry[];
}

export interface GateOptions {
  /** Skips fail the gate (exit 3) when nothing worse happened. */
  strict?: boolean;
  /** Known failures that do not fail the gate while they fail the same way. */
  baseline?: Baseline;
}

export interface GateResult {
  exitCode: number;
  passed: boolean;
  /** PASS, FAIL, FAIL (strict: skips), FAIL (partial merge) or NOT TESTED. */
  verdict: string;
  /** Gate failures not in the baseline, or in it with a different status. */
  newFailures: CaseResult[];
  /** Gate failures the baseline lists with the same status. */
  knownFailures: CaseResult[];
  /** `backend: id` of baseline entries whose case ran and now passes. */
  fixed: string[];
  /** `backend: id` of baseline entries whose case did not run (absent: filtered out, renamed, removed; or skipped). */
  missing: string[];
  skips: CaseResult[];
  /** Console lines: the verdict, then one line per reason (and the first new failures). */
  lines: string[];
}

/** The key of a case across runs: backend id and case id (unambiguous). */
export function caseKey(backend: string, id: string): string {
  return JSON.stringify([backend, id]);
}

/** `backend: id`, as fixed and missing list them. */
function label(key: string): string {
  const [backend, id] = JSON.parse(key) as [string, string];
  return `${backend}: ${id}`;
}

/** `partial: shards 1,3 of 4 (missing 2, 4)` for a partial merge; undefined for a whole one. */
export function partialText(m: MergeInfo | undefined): string | undefined {
  if (!m?.partial) return undefined;
  const missing = m.partial.missing.length ? ` (missing ${m.partial.missing.join(', ')})` : '';
  return m.shards ? `partial: shards ${m.shards.merged.join(',')} of ${m.shards.count}${missing}` : `partial: merged from a partial merge${missing}`;
}

/** What a merged document was made of, for the report: `3 parts; shards 1,2,3 of 3`. */
export function mergedText(m: MergeInfo): string {
  const out = [`${m.parts} part${m.parts === 1 ? '' : 's'}`];
  const partial = partialText(m);
  if (partial) out.push(partial);
  else if (m.shards) out.push(`shards ${m.shards.merged.join(',')} of ${m.shards.count}`);
  for (const w of m.warnings ?? []) out.push(`warning: ${w}`);
  return out.join('; ');
}

export function evaluateGate(results: Results, opts: GateOptions = {}): GateResult {
  const known = new Map<string, GateStatus>();
  for (const e of opts.baseline?.failures ?? []) known.set(caseKey(e.backend, e.id), e.status);

  const newFailures: CaseResult[] = [];
  const knownFailures: CaseResult[] = [];
  const skips: CaseResult[] = [];
  const seen = new Set<string>();
  const failing = new Set<string>();
  const skipped = new Set<string>();
  let tested = 0;
  for (const c of results.cases) {
    const key = caseKey(c.backend, c.id);
    seen.add(key);
    if (c.status !== 'skip') tested++;
    if (isGateFailure(c)) {
      failing.add(key);
      if (known.get(key) === gateStatus(c)) knownFailures.push(c);
      else newFailures.push(c);
    } else if (c.status === 'skip') {
      skips.push(c);
      skipped.add(key);
    }
  }
  // Findings at process exit (valgrind's leak scan) belong to a backend, not a case.
  const exitFindings = results.backends.filter((b) => (b.findings?.length ?? 0) > 0);
  for (const b of exitFindings) seen.add(caseKey(b.id, EXIT_FINDINGS_ID));
  const newExitFindings = exitFindings.filter((b) => known.get(caseKey(b.id, EXIT_FINDINGS_ID)) !== 'finding');
  for (const b of exitFindings) if (!newExitFindings.includes(b)) failing.add(caseKey(b.id, EXIT_FINDINGS_ID));
  const fixed: string[] = [];
  const missing: string[] = [];
  for (const key of known.keys()) {
    if (!seen.has(key) || skipped.has(key)) missing.push(label(key));
    else if (!failing.has(key)) fixed.push(label(key));
  }

  const lines: string[] = [];
  let exitCode: number = EXIT.pass;
  if (tested === 0) {
    exitCode = EXIT.usage;
    lines.push(results.cases.length === 0 ? 'nothing was tested: the run has no cases' : `nothing was tested: all ${results.cases.length} cases were skipped`);
  } else if (newFailures.length > 0 || newExitFindings.length > 0) {
    exitCode = EXIT.failures;
    if (newFailures.length > 0) lines.push(`${newFailures.length} failing case(s)${opts.baseline ? ' not in the baseline' : ''}`);
  } else if (opts.strict && skips.length > 0) {
    exitCode = EXIT.strictSkips;
    lines.push(`strict: ${skips.length} skipped case(s)`);
  }
  // Cases that never ran cannot pass: a partial merge fails the gate whatever its cases say.
  const partial = partialText(results.run.merged);
  if (partial) {
    if (exitCode === EXIT.pass || exitCode === EXIT.strictSkips) exitCode = EXIT.failures;
    lines.push(`${partial}: a partial merge cannot pass the gate`);
  }
  for (const b of newExitFindings) lines.push(`backend ${b.id}: ${b.findings!.length} memory finding(s) at exit (${[...new Set(b.findings!.map((f) => f.kind))].join(', ')})`);
  if (knownFailures.length > 0) lines.push(`${knownFailures.length} known failure(s) from the baseline`);
  if (fixed.length > 0) lines.push(`${fixed.length} baseline failure(s) now pass: update the baseline`);
  if (missing.length > 0) lines.push(`${missing.length} baseline case(s) did not run`);
  for (const c of newFailures.slice(0, LIST_NEW)) lines.push(`  new: ${c.backend}: ${c.id} (${gateStatus(c)}${c.reason ? `: ${capText(c.reason.split('\n')[0]!, REASON_SHOWN)}` : ''})`);
  if (newFailures.length > LIST_NEW) lines.push(`  … and ${newFailures.length - LIST_NEW} more (see the report)`);
  const verdict = exitCode === EXIT.pass ? 'PASS' : exitCode === EXIT.strictSkips ? 'FAIL (strict: skips)' : exitCode === EXIT.usage ? 'NOT TESTED' : partial ? 'FAIL (partial merge)' : 'FAIL';
  lines.unshift(`gate: ${verdict} (exit ${exitCode})`);
  // Lines carry backend ids and failure reasons: printable as they are, whatever a backend wrote.
  return { exitCode, passed: exitCode === EXIT.pass, verdict, newFailures, knownFailures, fixed, missing, skips, lines: lines.map(forTerminal) };
}

/** A baseline listing every gate failure of a run, sorted for stable diffs. */
export function baselineFrom(results: Results): Baseline {
  const failures = results.cases
    .filter(isGateFailure)
    .map((c) => ({ backend: c.backend, id: c.id, status: gateStatus(c) }))
    .concat(results.backends.filter((b) => b.findings?.length).map((b) => ({ backend: b.id, id: EXIT_FINDINGS_ID, status: 'finding' as const })))
    .sort((a, b) => (a.backend < b.backend ? -1 : a.backend > b.backend ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { schema: BASELINE_SCHEMA, failures };
}

const BASELINE_STATUSES: readonly string[] = [...STATUSES, 'finding'];

/** The baseline id under which a backend's findings at exit (leaks) are known. */
export const EXIT_FINDINGS_ID = '(exit)';

/** Checks a parsed baseline; `where` names the file in errors. */
export function parseBaseline(doc: unknown, where: string): Baseline {
  const d = doc as Partial<Baseline> | null;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error(`${where}: not a baseline (expected a JSON object)`);
  if (d.schema !== BASELINE_SCHEMA) throw new Error(`${where}: unsupported baseline schema ${JSON.stringify(d.schema)}; expected "${BASELINE_SCHEMA}"`);
  if (!Array.isArray(d.failures)) throw new Error(`${where}: "failures" must be an array`);
  d.failures.forEach((e, i) => {
    const ok = typeof e === 'object' && e !== null && typeof e.backend === 'string' && typeof e.id === 'string' && BASELINE_STATUSES.includes(e.status);
    if (!ok) throw new Error(`${where}: failures[${i}] must be { backend: string, id: string, status: ${BASELINE_STATUSES.join('|')} }, got ${JSON.stringify(e)}`);
  });
  return {
    schema: BASELINE_SCHEMA,
    failures: d.failures.map((e) => ({ backend: e.backend, id: e.id, status: e.status, ...(typeof e.why === 'string' ? { why: e.why } : {}) })),
  };
}

export async function readBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = readRegularFile(path).toString('utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read baseline: ${e instanceof FileReadError ? e.reason : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: baseline is not valid JSON: ${(e as Error).message}`);
  }
  return parseBaseline(doc, path);
}
