// The CLI as a user runs it: `node bin/pqc-harness.js …` in a real process,
// from the package root, its exit code and output kept.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT, packagePath } from '../model/package.ts';
import type { Results } from '../model/results.ts';

export const BIN = packagePath('bin', 'pqc-harness.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `env` is laid over this process's environment. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, maxBuffer: 64 << 20, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as CliRun;
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** The results.json a run wrote into `dir`. */
export function readRunResults(dir: string): Results {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
}
