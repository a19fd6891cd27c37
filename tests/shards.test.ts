// Shards merged equal an unsharded real run: same cases, same statuses.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../model/results.ts';
import { shardOf } from '../harness/runner.ts';
import { fnv1a32 } from '../model/bytes.ts';
import { cli, readRunResults } from './cli-process.ts';


const read = readRunResults;
const code = async (args: string[]) => (await cli(args)).code;
const key = (r: Results) => r.cases.map((c) => `${c.backend} ${c.id} ${c.status}`).sort();

describe('--shard i/n and report merge', () => {
  it('shard assignment is stable and spreads cases', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `acvp/x/tc${i}`);
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[shardOf('noble', id, 4)]!++;
    for (const n of counts) expect(n).toBeGreaterThan(600);
    // The hash is FNV-1a (published test vectors), over backend NUL id: nothing per process or per run.
    expect([fnv1a32(''), fnv1a32('a'), fnv1a32('foobar')]).toEqual([0x811c9dc5, 0xe40c292c, 0xbf9cf968]);
    expect(shardOf('noble', 'a/b', 7)).toBe(fnv1a32('noble\0a/b') % 7);
  });

  it('merging every shard gives the unsharded run', async () => {
    const base = mkdtempSync(join(tmpdir(), 'pqc-shards-'));
    const args = ['run', '--backend', 'rust', '--suite', 'acvp', '--param', 'ML-KEM-768,ML-DSA-44'];
    const dirs = [1, 2, 3].map((i) => join(base, `shard${i}`));
    const codes = await Promise.all([
      code([...args, '--out', join(base, 'full')]),
      ...dirs.map((d, i) => code([...args, '--shard', `${i + 1}/3`, '--out', d])),
    ]);
    expect(codes).toEqual([0, 0, 0, 0]);
    const parts = dirs.map(read);
    for (const p of parts) expect(p.cases.length).toBeGreaterThan(50);
    expect(parts.reduce((n, p) => n + p.cases.length, 0)).toBe(read(join(base, 'full')).cases.length);

    expect(await code(['report', 'merge', ...dirs, '--out', join(base, 'merged')])).toBe(0);
    const merged = read(join(base, 'merged'));
    const full = read(join(base, 'full'));
    expect(key(merged)).toEqual(key(full));
    expect(merged.summary).toEqual(full.summary);
    expect(readFileSync(join(base, 'merged', 'junit.xml'), 'utf8').match(/<testcase /g)?.length).toBe(full.cases.length);
  }, 180_000);
});
