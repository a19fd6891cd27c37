// The fleet: module-wrapper programs over independent ML-KEM / ML-DSA
// implementations, one folder each under fleet/<name>/ with a fleet.json that
// says what it is (upstream, language, pinned version, which code base it
// shares with others), how to run it once built, which toolchain builds it,
// and what its API can and cannot express. This module reads those files
// (every error names the file and the field), tells which wrappers are built,
// and turns a built one into a `process:` backend whose id is its name.
//
// Rules, each with its reason:
// - The folder name is the wrapper's name and its backend id: a wrapper is
//   found by its folder, and results.json names it the way fleet.json does.
// - `command` is resolved against the package root (packagePath), never the
//   current folder: `fleet run` works from anywhere.
// - A wrapper is available when its command's program exists and is
//   executable: what `fleet build` produced, nothing guessed.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../model/package.ts';
import { parseSpec, type BackendSpec } from '../../backends/registry.ts';

/** fleet/<name>/fleet.json. */
export interface FleetManifest {
  name: string;
  upstream: string;
  language: string;
  version: string;
  /** The upstream code base: wrappers that share one count once as an independent implementation. */
  independent: string;
  /** The built program and its arguments, paths relative to the package root. */
  command: string[];
  /** The command that must be on PATH to build it (`go`, `mvn`, `cargo`, `python3`, `node`, `cc`). */
  toolchain: string;
  expresses: string;
  cannot: string;
}

/**
 * The project's own backends as implementations (`fleet run` adds them): the
 * code base each wraps and its language, counted like a fleet.json's.
 */
export const CORE_IMPLEMENTATIONS: Readonly<Record<string, { independent: string; language: string }>> = {
  noble: { independent: 'noble-post-quantum', language: 'TypeScript' },
  rust: { independent: 'rustcrypto-ml-kem-ml-dsa', language: 'Rust' },
  liboqs: { independent: 'liboqs', language: 'C' },
};

const STRING_FIELDS = ['name', 'upstream', 'language', 'version', 'independent', 'toolchain', 'expresses', 'cannot'] as const;

/** The folder that holds the wrappers. */
export function fleetDir(): string {
  return packagePath('fleet');
}

/** A fleet.json that is not what the registry reads. */
export class FleetManifestError extends Error {
  override name = 'FleetManifestError';
}

/** One fleet.json, checked: every field present and of its type, `name` equal to the folder's. */
export function parseManifest(doc: unknown, file: string, folder: string): FleetManifest {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new FleetManifestError(`${file}: expected a JSON object`);
  const o = doc as Record<string, unknown>;
  for (const k of STRING_FIELDS) {
    if (typeof o[k] !== 'string' || (o[k] as string).trim() === '') throw new FleetManifestError(`${file}: field "${k}" must be a non-empty string, got ${JSON.stringify(o[k])}`);
  }
  const cmd = o['command'];
  if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every((a) => typeof a === 'string' && a !== '')) {
    throw new FleetManifestError(`${file}: field "command" must be a non-empty array of non-empty strings, got ${JSON.stringify(cmd)}`);
  }
  if (o['name'] !== folder) throw new FleetManifestError(`${file}: field "name" is ${JSON.stringify(o['name'])}, but the folder is ${JSON.stringify(folder)}`);
  const m = Object.fromEntries(STRING_FIELDS.map((k) => [k, o[k]])) as Omit<FleetManifest, 'command'>;
  return { ...m, command: cmd as string[] };
}

/** Every wrapper of the fleet (the folders of fleet/ that hold a fleet.json), sorted by name. */
export function readFleet(dir = fleetDir()): FleetManifest[] {
  if (!existsSync(dir)) throw new FleetManifestError(`${dir}: no fleet folder (the wrappers' sources ship with a checkout of pqc-harness, not with the npm package)`);
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'fleet.json')))
    .map((e) => e.name)
    .sort();
  return names.map((name) => {
    const file = join(dir, name, 'fleet.json');
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new FleetManifestError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    return parseManifest(doc, file, name);
  });
}

/** The wrappers named (`--only a,b`), in fleet order; an unknown name is an error listing the known ones. */
export function selectFleet(fleet: readonly FleetManifest[], only?: readonly string[]): FleetManifest[] {
  if (!only) return [...fleet];
  const known = new Set(fleet.map((m) => m.name));
  const unknown = only.filter((n) => !known.has(n));
  if (unknown.length) throw new FleetManifestError(`unknown fleet wrapper${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${[...known].join(', ')}`);
  return fleet.filter((m) => only.includes(m.name));
}

/** The wrapper's argv, its program resolved against the package root. */
export function fleetArgv(m: FleetManifest): string[] {
  const [program, ...args] = m.command;
  return [packagePath(program!), ...args];
}

export interface Availability {
  available: boolean;
  /** Why not: what is missing and the command that builds it. */
  reason?: string;
}

/** The shell finds `tool` (as build.sh's `command -v` would). */
function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0;
}

/** Built (its program exists and is executable), or why not. */
export function availability(m: FleetManifest): Availability {
  const program = fleetArgv(m)[0]!;
  try {
    accessSync(program, constants.X_OK);
    return { available: true };
  } catch {
    const tool = onPath(m.toolchain) ? '' : `; its toolchain '${m.toolchain}' is not on PATH`;
    return { available: false, reason: `not built (${m.command[0]} is missing): run \`pqc-harness fleet build --only ${m.name}\`${tool}` };
  }
}

/** Quote one argument for the `process:` command line (backends/process.ts splits it like a shell). */
function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The wrapper as a backend: a `process:` spec whose id (its text) is the
 * wrapper's name, so results, the report and baselines say `go-circl`.
 */
export function fleetSpec(m: FleetManifest): BackendSpec {
  const { kind, arg } = parseSpec(`process:${fleetArgv(m).map(quote).join(' ')}`);
  return { text: m.name, kind, arg };
}
