// Merging results from several runs or shards into one Results, and reading a
// results.json from disk with validation.

import { readFile } from 'node:fs/promises';
import { RESULTS_SCHEMA, summarize, type BackendEntry, type CaseResult, type Results, type RunInfo, type VectorProvenance } from '../model/results.ts';
import { assertResults } from '../model/validate.ts';
import { mergeCoverage } from './merge-coverage.ts';

function sameCase(a: CaseResult, b: CaseResult): boolean {
  return a.status === b.status;
}

function distinct(values: readonly string[]): string {
  return [...new Set(values)].join(', ');
}

function mergeBackend(into: BackendEntry, b: BackendEntry): void {
  if (into.version !== b.version || into.kind !== b.kind) {
    throw new Error(`merge: backend "${b.id}" differs between parts: ${into.kind} ${into.version} vs ${b.kind} ${b.version}`);
  }
  if (into.library && b.library && into.library.sha256 !== b.library.sha256) {
    const note = `parts loaded different library files: ${into.library.path} (sha256 ${into.library.sha256}) and ${b.library.path} (sha256 ${b.library.sha256})`;
    into.notes = [...(into.notes ?? []), note];
  }
  for (const n of b.notes ?? []) if (!into.notes?.includes(n)) into.notes = [...(into.notes ?? []), n];
  if (b.coverage) into.coverage = into.coverage ? mergeCoverage(into.coverage, b.coverage) : structuredClone(b.coverage);
}

/**
 * Union of several Results (shards, or runs of different backends). Cases are
 * keyed by backend + id: a duplicate with the same status is dropped, one with
 * a different status is an error. Backends are deduplicated by id (same
 * version and kind required), vectors by content; the run spans the earliest
 * start to the latest finish; the summary is recomputed. Parts that all carry a
 * shard are taken in shard order, so the merged case order does not depend on
 * the order the shard files were listed in.
 */
export function mergeResults(parts: Results[]): Results {
  if (parts.length === 0) throw new Error('merge: no results to merge');
  const ordered = parts.every((p) => p.run.shard) ? [...parts].sort((a, b) => a.run.shard!.index - b.run.shard!.index) : parts;

  const backends = new Map<string, BackendEntry>();
  const vectors = new Map<string, VectorProvenance>();
  const vectorByFile = new Map<string, VectorProvenance>();
  const cases = new Map<string, CaseResult>();

  for (const part of ordered) {
    if (part.schema !== RESULTS_SCHEMA) throw new Error(`merge: unsupported schema ${JSON.stringify(part.schema)}`);
    for (const b of part.backends) {
      const have = backends.get(b.id);
      if (have) mergeBackend(have, b);
      else backends.set(b.id, structuredClone(b));
    }
    for (const v of part.run.vectors) {
      const fileKey = JSON.stringify([v.source, v.repo, v.file]);
      const prev = vectorByFile.get(fileKey);
      if (prev && (prev.sha256 !== v.sha256 || prev.commit !== v.commit)) {
        throw new Error(`merge: vector file ${v.file} (${v.source}) differs between parts: ${prev.commit}/${prev.sha256} vs ${v.commit}/${v.sha256}`);
      }
      vectorByFile.set(fileKey, v);
      vectors.set(JSON.stringify([v.source, v.repo, v.commit, v.file, v.sha256]), v);
    }
    for (const c of part.cases) {
      const key = JSON.stringify([c.backend, c.id]);
      const prev = cases.get(key);
      if (!prev) cases.set(key, c);
      else if (!sameCase(prev, c)) throw new Error(`merge: case "${c.id}" on backend "${c.backend}" appears twice with different statuses (${prev.status} vs ${c.status})`);
    }
  }

  const runs = ordered.map((p) => p.run);
  const first = runs[0]!;
  const run: RunInfo = {
    startedAt: runs.map((r) => r.startedAt).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)),
    finishedAt: runs.map((r) => r.finishedAt).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)),
    harnessVersion: distinct(runs.map((r) => r.harnessVersion)),
    node: distinct(runs.map((r) => r.node)),
    platform: distinct(runs.map((r) => r.platform)),
    host: distinct(runs.map((r) => r.host)),
    argv: [...first.argv],
    vectors: [...vectors.values()],
  };
  // A merge of every shard is no longer a shard; a single part keeps its own.
  if (ordered.length === 1 && first.shard) run.shard = { ...first.shard };

  const all = [...cases.values()];
  return { schema: RESULTS_SCHEMA, run, backends: [...backends.values()], cases: all, summary: summarize(all) };
}

/** Reads and validates a results.json; errors name the file. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read results: ${(e as Error).message}`);
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
