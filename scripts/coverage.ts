// `npm test`'s coverage of the harness's own code, child processes included.
//
// vitest's coverage (V8, in its workers) cannot see the processes the harness
// starts: child hosts (harness/hosts/child-main.ts), the CLI the tests spawn,
// conformance children. So this runs vitest with NODE_V8_COVERAGE set: node
// writes every process's counts into one folder, with the source maps tsx
// gave it. Those files are converted with v8-to-istanbul (as c8 does), merged
// with vitest's own report, and printed.
//
// Not counted from that folder: scripts without a source map (vitest's
// workers run the sources through vite, without one node knows: vitest's own
// report has those), and anything outside vitest.config.ts's coverage.include.
//
// usage: node --import tsx scripts/coverage.ts [vitest args...]   (exit code: vitest's)

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import v8ToIstanbul from 'v8-to-istanbul';
import type { Profiler } from 'node:inspector';
import config from '../vitest.config.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = join(ROOT, 'coverage');
// Outside coverage/: vitest empties that folder when it starts.
const RAW = join(ROOT, '.cache', 'v8-coverage');

interface NodeCoverageFile {
  result: Profiler.ScriptCoverage[];
  'source-map-cache'?: Record<string, { lineLengths: number[]; data: { sourcesContent?: (string | null)[] } & Record<string, unknown> }>;
}

/** coverage.include's `dir/**\/*.ts` patterns as folder prefixes. */
function includedFolders(): string[] {
  const include = config.test?.coverage?.include ?? [];
  return include.map((p) => {
    const m = /^([\w/.-]+)\/\*\*\/\*\.ts$/.exec(p);
    if (!m) throw new Error(`scripts/coverage.ts: coverage.include pattern '${p}' is not of the form dir/**/*.ts`);
    return `${m[1]}/`;
  });
}

async function processCoverage(folders: readonly string[]): Promise<libCoverage.CoverageMap> {
  const map = libCoverage.createCoverageMap({});
  const files = readdirSync(RAW)
    .filter((n) => n.endsWith('.json'))
    .map((n) => JSON.parse(readFileSync(join(RAW, n), 'utf8')) as NodeCoverageFile);
  // One cache for all files: `run --coverage` writes the counts it takes in a file of its own, without
  // maps; its process's exit file has them, and tsx gives every process the same output for a file.
  const maps: NonNullable<NodeCoverageFile['source-map-cache']> = Object.assign({}, ...files.map((f) => f['source-map-cache'] ?? {}));
  for (const file of files) {
    for (const script of file.result) {
      if (!script.url.startsWith('file:')) continue;
      const path = fileURLToPath(script.url);
      const rel = relative(ROOT, path);
      if (!folders.some((f) => rel.startsWith(f)) || !rel.endsWith('.ts')) continue;
      const sm = maps[script.url];
      if (!sm) continue;
      const conv = v8ToIstanbul(path, 0, {
        source: sm.lineLengths.map((n) => '.'.repeat(n)).join('\n'),
        originalSource: readFileSync(path, 'utf8'),
        sourceMap: { sourcemap: sm.data as never },
      });
      await conv.load();
      conv.applyCoverage(script.functions);
      map.merge(conv.toIstanbul());
      conv.destroy();
    }
  }
  return map;
}

async function main(): Promise<number> {
  rmSync(RAW, { recursive: true, force: true });
  mkdirSync(RAW, { recursive: true });
  const vitest = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--coverage', '--coverage.reporter=json', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_V8_COVERAGE: RAW },
  });
  const own = join(OUT, 'coverage-final.json');
  if (!existsSync(own)) console.error(`coverage: vitest wrote no ${own}`);
  const ownData = existsSync(own) ? (JSON.parse(readFileSync(own, 'utf8')) as libCoverage.CoverageMapData) : {};
  const children = await processCoverage(includedFolders());
  // vitest lists every included file, with zeros for those its workers never loaded. Such a file is
  // taken from the processes alone: merging its zeros (statements and branches counted vitest's way)
  // would dilute the processes' numbers. A file run on both sides is merged (lines exactly; statements
  // and branches then mix the two granularities).
  for (const f of children.files()) {
    const o = ownData[f] as libCoverage.FileCoverageData | undefined;
    if (o && Object.values(o.s).every((n) => n === 0)) delete ownData[f];
  }
  const merged = libCoverage.createCoverageMap(ownData);
  merged.merge(children);
  const context = libReport.createContext({ dir: join(OUT, 'merged'), coverageMap: merged });
  console.log(`\nCoverage of the harness's own code (vitest's workers + ${children.files().length} files run in child processes):`);
  for (const r of ['text-summary', 'text', 'json'] as const) reports.create(r).execute(context);
  return vitest.status ?? 1;
}

process.exitCode = await main();
