// `report merge` makes an honest whole or refuses, naming the files: no part
// twice, no shards of different splits, no whole runs mixed with shards, no
// missing shard unless --partial (then the merge says so and cannot pass the
// gate); shards merged and harness-version warnings are recorded.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import type { Results } from '../model/results.ts';
import { captureOutput } from './capture-output.ts';

const out = captureOutput();

const base = mkdtempSync(join(tmpdir(), 'pqc-merge-'));
const dir = (name: string) => join(base, name);
const json = (name: string) => join(dir(name), 'results.json');
const read = (name: string) => JSON.parse(readFileSync(json(name), 'utf8')) as Results;
const RUN = ['run', '--backend', 'noble', '--suite', 'acvp', '--param', 'ML-KEM-512'];

async function merge(...args: string[]): Promise<{ code: number; text: string }> {
  out.clear();
  const code = await main(['report', 'merge', ...args]);
  return { code, text: out.text() };
}

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  for (const [name, shard] of [['s1of2', '1/2'], ['s2of2', '2/2'], ['s1of3', '1/3'], ['whole', undefined]] as const) {
    expect(await main([...RUN, ...(shard ? ['--shard', shard] : []), '--out', dir(name)])).toBe(0);
  }
  cpSync(dir('s1of2'), dir('s1copy'), { recursive: true });
  cpSync(dir('s2of2'), dir('s2newer'), { recursive: true });
  const newer = read('s2newer');
  newer.run.harnessVersion = '9.9.9';
  writeFileSync(json('s2newer'), JSON.stringify(newer));
  vi.restoreAllMocks();
}, 120_000);

describe('report merge refuses what cannot be one run (exit 2, naming the files)', () => {
  it('a missing shard', async () => {
    const r = await merge(dir('s1of2'), '--out', dir('m1'));
    expect(r.code).toBe(2);
    expect(r.text).toContain(`merge: incomplete: shards 1 of 2 (${json('s1of2')}); missing 2.`);
  });

  it('the same folder twice, and two copies of one shard', async () => {
    expect(await merge(dir('s1of2'), dir('s1of2'), '--out', dir('m2'))).toMatchObject({ code: 2, text: expect.stringContaining(`merge: ${json('s1of2')} is given twice`) });
    expect(await merge(dir('s1of2'), dir('s1copy'), dir('s2of2'), '--out', dir('m3'))).toMatchObject({
      code: 2,
      text: expect.stringContaining(`merge: shard 1/2 is given twice: ${json('s1of2')} and ${json('s1copy')}`),
    });
  });

  it('shards of different splits', async () => {
    const r = await merge(dir('s1of2'), dir('s1of3'), '--out', dir('m4'));
    expect(r.code).toBe(2);
    expect(r.text).toContain(`merge: shards of different splits cannot be merged: ${json('s1of2')} (shard 1/2), ${json('s1of3')} (shard 1/3)`);
  });

  it('shards mixed with a whole run', async () => {
    const r = await merge(dir('s1of2'), dir('s2of2'), dir('whole'), '--out', dir('m5'));
    expect(r.code).toBe(2);
    expect(r.text).toContain(`merge: cannot mix shards and whole runs: ${json('s1of2')} (shard 1/2), ${json('s2of2')} (shard 2/2) are shards; ${json('whole')} is not`);
  });
});

describe('report merge records what it merged', () => {
  it('every shard: the whole run, with its shards recorded', async () => {
    const r = await merge(dir('s2of2'), dir('s1of2'), '--out', dir('all'));
    expect(r.code).toBe(0);
    const m = read('all');
    expect(m.run.merged).toEqual({ parts: 2, shards: { count: 2, merged: [1, 2] } });
    expect(m.cases.map((c) => c.id).sort()).toEqual(read('whole').cases.map((c) => c.id).sort());
    expect(readFileSync(join(dir('all'), 'index.html'), 'utf8')).toContain('2 parts; shards 1,2 of 2');
  });

  it('--partial: merged, marked partial in results.json, the report and the gate, which cannot pass', async () => {
    const r = await merge(dir('s1of3'), '--partial', '--out', dir('part'));
    expect(r.code).toBe(1);
    expect(r.text).toContain('gate: FAIL (partial merge) (exit 1)');
    expect(r.text).toContain('partial: shards 1 of 3 (missing 2, 3): a partial merge cannot pass the gate');
    const m = read('part');
    expect(m.summary.fail + m.summary.error + m.summary.crash + m.summary.timeout).toBe(0);
    expect(m.run.merged).toEqual({ parts: 1, shards: { count: 3, merged: [1] }, partial: { missing: [2, 3] } });
    const html = readFileSync(join(dir('part'), 'index.html'), 'utf8');
    expect(html).toContain('partial: shards 1 of 3 (missing 2, 3)');
    expect(html).toMatch(/id="verdict"[^>]*>FAIL \(partial merge\)</);
    // A partial merge merged again stays partial, and only on request.
    expect((await merge(dir('part'), '--out', dir('part2'))).text).toContain(`merge: ${json('part')} is already a partial merge; pass --partial`);
    expect((await merge(dir('part'), '--partial', '--out', dir('part2'))).code).toBe(1);
    expect(read('part2').run.merged?.partial).toEqual({ missing: [2, 3] });
  });

  it('parts from different harness versions: merged with a loud warning, recorded', async () => {
    const r = await merge(dir('s1of2'), dir('s2newer'), '--out', dir('versions'));
    expect(r.code).toBe(0);
    const warning = `parts come from different harness versions: ${read('s1of2').run.harnessVersion} (${json('s1of2')}); 9.9.9 (${json('s2newer')}); their verdicts may not be comparable`;
    expect(r.text).toContain(`pqc-harness report merge: WARNING: ${warning}`);
    expect(read('versions').run.merged?.warnings).toEqual([warning]);
  });
});
