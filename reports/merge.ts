// Merging results from several runs or shards into one Results, and reading a
// results.json from disk with validation. A merge either makes an honest whole
// or refuses, naming the files: no part twice, no shards of different splits,
// no missing shard unless the merge is asked to be partial (and then says so).

import { RESULTS_SCHEMA, summarize, type BackendEntry, type CaseResult, type MergeInfo, type Results, type RunInfo, type VectorProvenance } from '../model/results.ts';
import { FileReadError, readRegularFile } from '../model/files.ts';
import { assertResults } from '../model/validate.ts';
import { mergeCoverage } from './merge-coverage.ts';

function distinct(values: readonly string[]): string {
  return [...new Set(values)].join(', ');
}

function mergeBackend(into: BackendEntry, b: BackendEntry): void {
  if (into.version !== b.version || into.kind !== b.kind) {
    throw new MergeError(`merge: backend "${b.id}" differs between parts: ${into.kind} ${into.version} vs ${b.kind} ${b.version}`);
  }
  if (into.library && b.library && into.library.sha256 !== b.library.sha256) {
    const note = `parts loaded different library files: ${into.library.path} (sha256 ${into.library.sha256}) and ${b.library.path} (sha256 ${b.library.sha256})`;
    into.notes = [...(into.notes ?? []), note];
  }
  for (const n of b.notes ?? []) if (!into.notes?.includes(n)) into.notes = [...(into.notes ?? []), n];
  if (b.coverage) into.coverage = into.coverage ? mergeCoverage(into.coverage, b.coverage) : structuredClone(b.coverage);
}

/** One results.json to merge, and where it was read from (errors name it). */
export interface MergePart {
  where: string;
  results: Results;
}

/** The parts cannot make one honest whole (duplicated, mismatched or missing shards): exit 2. */
export class MergeError extends Error {
  override name = 'MergeError';
}

const shardName = (p: MergePart) => `${p.where} (shard ${p.results.run.shard!.index}/${p.results.run.shard!.count})`;

/**
 * What the parts are, checked before anything is merged: each file once; all
 * shards or no shards; shards of one count, each index once, and every index
 * present unless `partial` (a merge of some shards, recorded as partial); a
 * part that is itself a partial merge keeps the whole partial. Parts from
 * different harness versions merge with a warning.
 */
function mergeInfo(parts: readonly MergePart[], partial: boolean): MergeInfo {
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p.where)) throw new MergeError(`merge: ${p.where} is given twice`);
    seen.add(p.where);
  }
  const info: MergeInfo = { parts: parts.length };
  const sharded = parts.filter((p) => p.results.run.shard);
  if (sharded.length > 0 && sharded.length < parts.length) {
    const whole = parts.filter((p) => !p.results.run.shard).map((p) => p.where);
    throw new MergeError(`merge: cannot mix shards and whole runs: ${sharded.map(shardName).join(', ')} are shards; ${whole.join(', ')} ${whole.length === 1 ? 'is' : 'are'} not`);
  }
  const missing: number[] = [];
  if (sharded.length > 0) {
    const counts = new Set(sharded.map((p) => p.results.run.shard!.count));
    if (counts.size > 1) throw new MergeError(`merge: shards of different splits cannot be merged: ${sharded.map(shardName).join(', ')}`);
    const count = [...counts][0]!;
    const byIndex = new Map<number, MergePart>();
    for (const p of sharded) {
      const i = p.results.run.shard!.index;
      const prev = byIndex.get(i);
      if (prev) throw new MergeError(`merge: shard ${i}/${count} is given twice: ${prev.where} and ${p.where}`);
      byIndex.set(i, p);
    }
    const merged = [...byIndex.keys()].sort((a, b) => a - b);
    for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(i);
    if (missing.length && !partial) {
      throw new MergeError(
        `merge: incomplete: shards ${merged.join(',')} of ${count} (${sharded.map((p) => p.where).join(', ')}); missing ${missing.join(', ')}. ` +
          'Merge every shard, or pass --partial to merge these and mark the result partial (it then cannot pass the gate)',
      );
    }
    info.shards = { count, merged };
  }
  const partials = parts.filter((p) => p.results.run.merged?.partial);
  if (partials.length && !partial) throw new MergeError(`merge: ${partials.map((p) => p.where).join(', ')} ${partials.length === 1 ? 'is' : 'are'} already a partial merge; pass --partial to merge it anyway (the result stays partial)`);
  for (const p of partials) missing.push(...p.results.run.merged!.partial!.missing);
  if (missing.length || partials.length) info.partial = { missing: [...new Set(missing)].sort((a, b) => a - b) };
  const versions = new Map<string, string[]>();
  for (const p of parts) versions.set(p.results.run.harnessVersion, [...(versions.get(p.results.run.harnessVersion) ?? []), p.where]);
  if (versions.size > 1) {
    info.warnings = [`parts come from different harness versions: ${[...versions].map(([v, w]) => `${v} (${w.join(', ')})`).join('; ')}; their verdicts may not be comparable`];
  }
  return info;
}

/**
 * Union of several Results (all the shards of one run, or runs of different
 * backends), after mergeInfo's checks. Cases are keyed by backend + id: a case
 * in two parts means the parts overlap (a run merged twice), an error naming
 * both. Backends are deduplicated by id (same version and kind required),
 * vectors by content; the run spans the earliest start to the latest finish
 * and records what was merged in run.merged; the summary is recomputed.
 * Shards are taken in shard order, so the merged case order does not depend on
 * the order the shard files were listed in.
 */
export function mergeResults(parts: readonly MergePart[], opts: { partial?: boolean } = {}): Results {
  if (parts.length === 0) throw new MergeError('merge: no results to merge');
  const merged = mergeInfo(parts, opts.partial ?? false);
  const ordered = merged.shards ? [...parts].sort((a, b) => a.results.run.shard!.index - b.results.run.shard!.index) : parts;

  const backends = new Map<string, BackendEntry>();
  const vectors = new Map<string, VectorProvenance>();
  const vectorByFile = new Map<string, VectorProvenance>();
  const cases = new Map<string, { c: CaseResult; where: string }>();

  for (const { where, results: part } of ordered) {
    if (part.schema !== RESULTS_SCHEMA) throw new MergeError(`merge: ${where}: unsupported schema ${JSON.stringify(part.schema)}`);
    for (const b of part.backends) {
      const have = backends.get(b.id);
      if (have) mergeBackend(have, b);
      else backends.set(b.id, structuredClone(b));
    }
    for (const v of part.run.vectors) {
      const fileKey = JSON.stringify([v.source, v.repo, v.file]);
      const prev = vectorByFile.get(fileKey);
      if (prev && (prev.sha256 !== v.sha256 || prev.commit !== v.commit)) {
        throw new MergeError(`merge: vector file ${v.file} (${v.source}) differs between parts: ${prev.commit}/${prev.sha256} vs ${v.commit}/${v.sha256}`);
      }
      vectorByFile.set(fileKey, v);
      vectors.set(JSON.stringify([v.source, v.repo, v.commit, v.file, v.sha256]), v);
    }
    for (const c of part.cases) {
      const key = JSON.stringify([c.backend, c.id]);
      const prev = cases.get(key);
      if (prev) throw new MergeError(`merge: case "${c.id}" on backend "${c.backend}" is in both ${prev.where} and ${where}: the parts overlap (a run given twice?)`);
      cases.set(key, { c, where });
    }
  }

  const runs = ordered.map((p) => p.results.run);
  const first = runs[0]!;
  const run: RunInfo = {
    startedAt: runs.map((r) => r.startedAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)),
    finishedAt: runs.map((r) => r.finishedAt).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)),
    harnessVersion: distinct(runs.map((r) => r.harnessVersion)),
    node: distinct(runs.map((r) => r.node)),
    platform: distinct(runs.map((r) => r.platform)),
    host: distinct(runs.map((r) => r.host)),
    argv: [...first.argv],
    merged,
    vectors: [...vectors.values()],
  };

  const all = [...cases.values()].map((x) => x.c);
  return { schema: RESULTS_SCHEMA, run, backends: [...backends.values()], cases: all, summary: summarize(all) };
}

/** Reads and validates a results.json; errors name the file. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = readRegularFile(path).toString('utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read results: ${e instanceof FileReadError ? e.reason : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  assertResults(doc, path);
  return doc;
}
