// Building the fleet: each wrapper's own fleet/<name>/build.sh, run from the
// package root. The scripts are idempotent and pinned; their contract is
//   exit 0   built, or up to date (the last line of stdout says which)
//   exit 3   a toolchain is missing (the last line of stderr names it and
//            what installing it costs)
//   other    the build failed (its output says why)
// One wrapper at a time: the compilers behind them (cargo, Maven, cmake) use
// every core already.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../model/package.ts';
import { fleetDir, type FleetManifest } from './registry.ts';

/** build.sh's exit status for "toolchain missing". */
export const TOOLCHAIN_MISSING = 3;

export type BuildOutcome =
  | { state: 'built'; name: string; line: string; ms: number }
  | { state: 'up to date'; name: string; line: string; ms: number }
  | { state: 'missing toolchain'; name: string; toolchain: string; reason: string; ms: number }
  | { state: 'failed'; name: string; exitCode: number | null; signal: string | null; output: string; ms: number };

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

/** The tail of a failed build's output: enough to see the error, not the whole compile log. */
function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`… (${all.length - lines} lines before)`, ...all.slice(-lines)] : all).join('\n');
}

/** Run one wrapper's build.sh; never throws for a failed build (the outcome says it). */
export async function buildWrapper(m: FleetManifest, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<BuildOutcome> {
  const t0 = performance.now();
  const script = join(fleetDir(), m.name, 'build.sh');
  const { code, signal, stdout, stderr } = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', [script], { cwd: PACKAGE_ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => resolve({ code: null, signal: null, stdout: out, stderr: `${err}\ncannot run bash ${script}: ${e.message}` }));
    child.on('close', (c, s) => resolve({ code: c, signal: s, stdout: out, stderr: err }));
  });
  const ms = Math.round(performance.now() - t0);
  if (code === 0) {
    const line = lastLine(stdout);
    return /: up to date\b/.test(line) ? { state: 'up to date', name: m.name, line, ms } : { state: 'built', name: m.name, line, ms };
  }
  if (code === TOOLCHAIN_MISSING) {
    // build.sh says "<name>: toolchain missing: Go >= 1.26 (…)" or "<name>: cargo not found: …": keep what is missing and what it costs.
    const reason = lastLine(stderr).replace(new RegExp(`^${m.name}: `), '').replace(/^toolchain missing: /, '') || `'${m.toolchain}' not found`;
    return { state: 'missing toolchain', name: m.name, toolchain: m.toolchain, reason, ms };
  }
  return { state: 'failed', name: m.name, exitCode: code, signal, output: tail(`${stdout}${stderr}`), ms };
}

/** What a missing toolchain costs: the wrappers (and their languages) it would add. */
export interface MissingToolchain {
  toolchain: string;
  /** build.sh's reason (what to install, its size), the same for each wrapper listed. */
  reason: string;
  wrappers: string[];
}

/** Missing toolchains, one per distinct reason (Maven missing and a JDK too old are two, though both are `mvn` wrappers). */
export function missingToolchains(outcomes: readonly BuildOutcome[]): MissingToolchain[] {
  const by = new Map<string, MissingToolchain>();
  for (const o of outcomes) {
    if (o.state !== 'missing toolchain') continue;
    const entry = by.get(o.reason) ?? { toolchain: o.toolchain, reason: o.reason, wrappers: [] };
    entry.wrappers.push(o.name);
    by.set(o.reason, entry);
  }
  return [...by.values()];
}
