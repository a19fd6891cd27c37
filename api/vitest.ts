// `pqc-harness/vitest`: the conformance suites inside a user's own vitest run.
//
//   import { conformance } from 'pqc-harness/vitest';
//   conformance({ backend: 'noble', suites: ['acvp'], params: ['ML-KEM-768'] });
//
// Registration: one describe per backend, inside it one per suite and one per
// vector family; one test per case (or per `groupSize` cases), named by the
// case id and its parameter set, so `-t tg3/tc7` or `-t ML-DSA-65` picks cases.
// Each test runs its case through the harness's own runner (runCase): the same
// verdicts as `pqc-harness run`, reported by vitest's reporters. A failure
// names the case id and its vector source and carries expected vs got, which
// vitest shows as a diff; a case the backend cannot run is a skip with the
// reason. A backend named by a spec is opened through the hosts on first use
// (native backends in a child process, so a crash costs one case) and closed
// after the file; an object backend runs in the test's own process, and stays
// the caller's to close.
//
// vitest shards by file: a project that shards its run puts its conformance()
// calls in several files (one per suite or family), as examples/vitest-conformance/ does.

import { afterAll, describe, test, vi } from 'vitest';
import type { Backend } from '../model/contract.ts';
import type { Case, Shown, Suite } from '../model/case.ts';
import type { ParamSet } from '../model/params.ts';
import { parseSpec, type BackendSpec } from '../backends/registry.ts';
import { collectCases, runCase, type RunPart } from '../harness/runner.ts';
import { chooseHost, openHosted, type HostKind } from '../harness/hosts/index.ts';
import { guardedBackend } from '../harness/hosts/inproc.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from '../backends/modulewrapper/client.ts';
import { DEFAULT_SUITES, suiteDef } from '../harness/suites/index.ts';

export interface ConformanceOptions {
  /** An object implementing the contract (model/contract.ts), or a backend spec: `noble`, `rust`, `module:./impl.ts`, … */
  backend: Backend | string;
  /** Default: every suite that runs on one backend (acvp, wycheproof, cctv, accumulated, property). */
  suites?: readonly Suite[];
  /** Default: every parameter set the suites have. */
  params?: readonly ParamSet[];
  /** Where a spec'd backend runs (default `auto`: native in a child process, JavaScript in this one). */
  host?: HostKind | 'auto';
  /** Per-call timeout in ms (default 30 000). */
  callTimeoutMs?: number;
  /** The suites' long variants (`--long`). */
  long?: boolean;
  /** A liboqs.so for the `liboqs` backend. */
  liboqs?: string;
  /** Cases per test (default 1): fewer, larger tests for very large suites. */
  groupSize?: number;
}

/** A failed case as vitest shows it: id and source in the message, expected vs got as a diff. */
export class CaseFailure extends Error {
  override name = 'CaseFailure';
  readonly expected?: Shown;
  readonly actual?: Shown;
  constructor(message: string, expected?: Shown, actual?: Shown) {
    super(message);
    if (expected && actual) {
      this.expected = expected;
      this.actual = actual;
    }
  }
}

function sourceOf(c: Case): string {
  const s = c.source;
  if (!s) return '';
  const at = [s.tgId !== undefined ? `tgId ${s.tgId}` : '', s.tcId !== undefined ? `tcId ${s.tcId}` : '', s.line !== undefined ? `line ${s.line}` : ''].filter(Boolean).join(', ');
  return ` (${s.file}${at ? `, ${at}` : ''})`;
}

const STDERR_TAIL_LINES = 12;

/** The message of a case that did not pass: what vitest prints under the test name. */
export function failureMessage(c: Case, r: RunPart): string {
  const lines = [`${c.id} [${c.parameterSet} ${c.op}]${sourceOf(c)}: ${r.status}: ${r.reason ?? 'no reason given'}`];
  if (r.crash) {
    lines.push(`  signal ${r.crash.signal ?? 'none'}, exit code ${r.crash.exitCode ?? 'none'}`);
    const tail = r.crash.stderr.trimEnd().split('\n').slice(-STDERR_TAIL_LINES);
    if (tail.join('')) lines.push('  stderr (last lines):', ...tail.map((l) => `    ${l}`));
  }
  for (const f of r.findings) lines.push(`  ${f.tool} ${f.kind}: ${f.message}${f.frames[0] ? ` at ${f.frames[0].fn}` : ''}`);
  // Also in the text: reporters without a diff view (JUnit, JSON) show only the message.
  if (r.expected) lines.push(`  expected: ${JSON.stringify(r.expected)}`);
  if (r.got) lines.push(`  got:      ${JSON.stringify(r.got)}`);
  if (r.inputs) lines.push(`  inputs:   ${JSON.stringify(r.inputs)}`);
  return lines.join('\n');
}

function byKey<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** vitest loads the module (so a TypeScript implementation works as it does in the user's own tests). */
const viteLoad = (abs: string) => vi.importActual(abs);

async function openSpec(spec: BackendSpec, opts: ConformanceOptions): Promise<Backend> {
  // A module runs in the test's own worker by default: vitest loads it (TypeScript included) and already isolates the test file.
  const host = spec.kind.name === 'module' && !opts.host ? 'inproc' : chooseHost(spec, opts.host ?? 'auto');
  return openHosted(spec, host, { timeoutMs: opts.callTimeoutMs, liboqs: opts.liboqs, load: viteLoad });
}

function title(group: readonly Case[]): string {
  const first = group[0]!;
  if (group.length === 1) return `${first.id} [${first.parameterSet}]`;
  return `${first.id} … ${group.at(-1)!.id} (${group.length} cases) [${[...new Set(group.map((c) => c.parameterSet))].join(', ')}]`;
}

/** Registers the chosen suites against one backend in the calling test file. */
export function conformance(opts: ConformanceOptions): void {
  const spec = typeof opts.backend === 'string' ? parseSpec(opts.backend) : undefined;
  const name = spec ? spec.text : (opts.backend as Backend).describe().id;
  const suites = opts.suites ?? DEFAULT_SUITES.filter((s) => suiteDef(s).kind === 'per-backend');
  for (const s of suites) {
    if (suiteDef(s).kind !== 'per-backend') throw new Error(`conformance(): suite '${s}' does not run on one backend (it compares several); run it with \`pqc-harness run\``);
  }
  const groupSize = opts.groupSize ?? 1;
  if (!Number.isSafeInteger(groupSize) || groupSize < 1) throw new Error(`conformance(): groupSize must be a whole number >= 1, got ${groupSize}`);
  // Collected while vitest collects: a missing or corrupt vector file fails the file, loudly, and zero cases is an error.
  const cases = collectCases({ suites, params: opts.params, long: opts.long, backends: [name] });

  let opening: Promise<Backend> | undefined;
  // An object is checked as the in-process host checks a module: inputs copied, answers' shapes judged, calls timed out.
  const backend = (): Promise<Backend> =>
    (opening ??= spec ? openSpec(spec, opts) : Promise.resolve(guardedBackend(opts.backend as Backend, opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS)));

  const runGroup = async (group: readonly Case[], skip: (note: string) => never): Promise<void> => {
    const b = await backend();
    const failed: { c: Case; r: RunPart }[] = [];
    const skipped: string[] = [];
    for (const c of group) {
      const r = await runCase(b, c);
      if (r.status === 'skip') skipped.push(`${c.id}: ${r.reason ?? ''}`);
      else if (r.status !== 'pass') failed.push({ c, r });
    }
    if (failed.length === 1) {
      const { c, r } = failed[0]!;
      throw new CaseFailure(failureMessage(c, r), r.expected, r.got);
    }
    if (failed.length > 1) throw new CaseFailure(`${failed.length} of ${group.length} cases did not pass:\n${failed.map(({ c, r }) => failureMessage(c, r)).join('\n')}`);
    if (skipped.length === group.length) skip(skipped.length === 1 ? skipped[0]! : `${skipped.length} cases skipped; first: ${skipped[0]}`);
  };

  describe(name, () => {
    afterAll(async () => {
      // Only what conformance() opened is closed here: an object backend is the caller's.
      if (spec && opening) await (await opening.catch(() => undefined))?.close?.();
    });
    for (const [suite, inSuite] of byKey(cases, (c) => c.suite)) {
      describe(suite, () => {
        for (const [family, inFamily] of byKey(inSuite, (c) => c.family)) {
          describe(family, () => {
            for (const group of chunks(inFamily, groupSize)) {
              const timeout = Math.max(...group.map((c) => c.timeoutMs ?? 0)) || undefined;
              test(title(group), (ctx) => runGroup(group, (note) => ctx.skip(note)), timeout);
            }
          });
        }
      });
    }
  });
}
