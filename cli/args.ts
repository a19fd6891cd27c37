// Argument helpers shared by the commands: lists, validated numbers, the
// output folder checked before any work, and the usage error (exit 2).

import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseSpec, SpecError, type BackendSpec } from '../backends/registry.ts';
import { HOST_KINDS, isHostKind, type HostKind } from '../harness/hosts/index.ts';
import { isParamSet, type ParamSet } from '../model/params.ts';
import { DEFAULT_SUITES } from '../harness/suites/index.ts';

/** Bad arguments: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>>;

/** node:util parseArgs with its errors turned into usage errors. */
export function parse<O extends Options>(args: string[], options: O, allowPositionals = false): Parsed<O> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function list(v: string | undefined, fallback: readonly string[]): string[] {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [...fallback];
}

/** One backend spec; a malformed one is a usage error. */
export function backendSpec(text: string): BackendSpec {
  try {
    return parseSpec(text);
  } catch (e) {
    throw e instanceof SpecError ? new UsageError(e.message) : e;
  }
}

/** `--host`: auto or a host kind. */
export function hostOption(host: string): HostKind | 'auto' {
  if (host !== 'auto' && !isHostKind(host)) throw new UsageError(`unknown host '${host}'; known: auto, ${HOST_KINDS.join(', ')}`);
  return host;
}

export function backendSpecs(v: string | undefined, fallback: readonly string[]): BackendSpec[] {
  const texts = v ? v.split(',').map((s) => s.trim()) : [...fallback];
  const specs = texts.map(backendSpec);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.text)) throw new UsageError(`backend '${s.text}' is listed twice: each backend id must be unique in a run`);
    seen.add(s.text);
  }
  return specs;
}

export function suiteList(v: string | undefined, fallback: readonly string[]): string[] {
  const suites = list(v, fallback);
  for (const s of suites) if (!DEFAULT_SUITES.includes(s)) throw new UsageError(`unknown suite '${s}'; known: ${DEFAULT_SUITES.join(', ')}`);
  return suites;
}

export function paramList(v: string | undefined): ParamSet[] | undefined {
  if (v === undefined) return undefined;
  const params = list(v, []);
  if (params.length === 0) throw new UsageError('--param needs at least one parameter set');
  for (const p of params) if (!isParamSet(p)) throw new UsageError(`unknown parameter set '${p}'`);
  return params as ParamSet[];
}

/** A whole number in [min, max], or undefined when the option is absent. */
export function intOption(name: string, v: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} expects a whole number from ${min} to ${max}, got '${v}'`);
  return n;
}

export function parseShard(s: string | undefined): { index: number; count: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard expects i/n with 1 <= i <= n, got '${s}'`);
  return { index, count };
}

/**
 * mkdir -p, one level at a time: node's own recursive mkdir never returns for a
 * path it cannot create under an existing folder (/proc/nope: ENOENT forever).
 */
function makeDirs(abs: string): void {
  const missing: string[] = [];
  for (let p = abs; !existsSync(p) && dirname(p) !== p; p = dirname(p)) missing.unshift(p);
  for (const d of missing) mkdirSync(d);
}

/**
 * The output folder, created and proven writable before any case runs: a bad
 * --out must not cost a finished run its results.
 */
export function writableDir(dir: string, option = 'out'): string {
  const abs = resolve(dir);
  const probe = `${abs}/.pqc-harness-probe-${process.pid}`;
  try {
    makeDirs(abs);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (e) {
    throw new UsageError(`--${option} ${dir}: not a writable folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return abs;
}

/** An output file: its folder made and proven writable, the path itself not a folder; checked before any work. */
export function writableFile(path: string, option: string): string {
  const abs = resolve(path);
  writableDir(dirname(abs), option);
  if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--${option} ${path}: is a folder, expected a file name`);
  return abs;
}
