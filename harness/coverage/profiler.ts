// V8 precise coverage of the code running in THIS thread (`run --coverage`),
// through node:inspector's Profiler. It must run in the thread that hosts the
// backend (the runner's thread today; a worker's when JS backends move there)
// and be started before the backend's module is loaded: V8 counts blocks only
// in functions compiled after coverage starts, so a module loaded earlier
// would show whole functions, not their branches.
//
// take() returns plain data (structured-clonable), with the source V8 ran for
// each kept script: for a module loaded through a transpiler (tsx) that is the
// transpiled text with its inline source map, which maps counts back to the
// lines the author wrote.

import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Profiler } from 'node:inspector';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from '../../model/config.ts';

export interface CoveredScript {
  /** Absolute file path. */
  path: string;
  /** The text V8 compiled (a transpiler's output, with its source map, for .ts). */
  source: string;
  functions: Profiler.FunctionCoverage[];
}

export interface CoverageSession {
  /** Counts since start for the scripts whose path `keep` accepts; ends the session. */
  take(keep: (path: string) => boolean): Promise<CoveredScript[]>;
}

function pathOf(url: string): string | undefined {
  if (url.startsWith('file:')) return fileURLToPath(url);
  return url.startsWith('/') ? url : undefined;
}

export async function startCoverage(): Promise<CoverageSession> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  return {
    async take(keep) {
      try {
        const { result } = await session.post('Profiler.takePreciseCoverage');
        handOnToNodeCoverage(result);
        const kept = result.flatMap((s) => {
          const path = pathOf(s.url);
          return path && keep(path) ? [{ s, path }] : [];
        });
        // The debugger is enabled only now, to read back the sources: it is off while cases run.
        await session.post('Debugger.enable');
        const out: CoveredScript[] = [];
        for (const { s, path } of kept) {
          const { scriptSource } = await session.post('Debugger.getScriptSource', { scriptId: s.scriptId });
          out.push({ path, source: scriptSource, functions: s.functions });
        }
        await session.post('Debugger.disable');
        // Under NODE_V8_COVERAGE (c8, the harness's own coverage) node's collection shares these counters: leave it running.
        if (!env('NODE_V8_COVERAGE')) await session.post('Profiler.stopPreciseCoverage');
        return out;
      } finally {
        session.disconnect();
      }
    },
  };
}

/**
 * takePreciseCoverage resets the counters node's NODE_V8_COVERAGE collection
 * reads at exit: write what was taken into that folder, in node's own file
 * format, so the harness's own coverage loses nothing to a `--coverage` run.
 */
function handOnToNodeCoverage(result: Profiler.ScriptCoverage[]): void {
  const dir = env('NODE_V8_COVERAGE');
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `coverage-${process.pid}-${Date.now()}-taken.json`), JSON.stringify({ result }));
}
