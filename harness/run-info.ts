// The environment block of results.json (`run`), shared by every command that
// writes one, and the harness's own version.

import { readFileSync } from 'node:fs';
import { packagePath } from '../model/package.ts';
import type { RunInfo, SuiteInfo, VectorProvenance } from '../model/results.ts';
import { manifestEntry } from '../vectors/manifest.ts';
import { suiteDef } from './suites/index.ts';
import { fipsOf } from './suites/suite.ts';

export function harnessVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

export function runInfo(fields: Pick<RunInfo, 'startedAt' | 'host' | 'vectors'> & Partial<Pick<RunInfo, 'argv' | 'shard' | 'suites'>>): RunInfo {
  return {
    startedAt: fields.startedAt,
    finishedAt: new Date().toISOString(),
    harnessVersion: harnessVersion(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    host: fields.host,
    argv: fields.argv ?? [],
    ...(fields.shard ? { shard: fields.shard } : {}),
    ...(fields.suites ? { suites: fields.suites } : {}),
    vectors: fields.vectors,
  };
}

/** Provenance (repository, commit, SHA-256) of every vector file the suites read. */
export function vectorProvenance(suites: readonly string[]): VectorProvenance[] {
  const files = [...new Set(suites.flatMap((s) => suiteDef(s).vectorFiles))];
  return files.map((f) => {
    const e = manifestEntry(f);
    return { source: e.source, repo: e.repo, commit: e.commit, file: e.file, sha256: e.sha256 };
  });
}

/**
 * What a reader must know about each suite that ran: title, notes, and the FIPS
 * clause of each of its families that has cases (the reports read it from here).
 */
export function suiteInfo(name: string, families: Iterable<{ family: string; parameterSet: string }>): SuiteInfo {
  const d = suiteDef(name);
  const fips = new Map<string, NonNullable<SuiteInfo['fips']>[number]>();
  for (const f of families) {
    if (fips.has(f.family)) continue;
    const ref = fipsOf(d.fips, f.family, f.parameterSet);
    if (ref) fips.set(f.family, { family: f.family, ...ref });
  }
  return {
    name: d.name,
    title: d.title,
    ...(d.notes?.length ? { notes: [...d.notes] } : {}),
    ...(fips.size ? { fips: [...fips.values()] } : {}),
  };
}
