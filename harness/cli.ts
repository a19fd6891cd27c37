// The user's door: `pqc-harness run|backends|vectors|report`.
// Exit codes: 0 gate passed; 1 a case failed, crashed, timed out, errored or has
// a finding (not in the baseline); 2 usage or input error (bad vector file,
// unknown backend, zero cases); 3 --strict and some case was skipped.

import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SUITES, type Suite } from './case.ts';
import { ALL_OPS } from './contract.ts';
import { HOSTS, openHosted, chooseHost, type HostKind } from './hosts/open.ts';
import { isParamSet, type ParamSet } from './params.ts';
import { runConformance } from './runner.ts';
import { causesText } from './diagnose.ts';
import { DEFAULT_SUITES } from './suites/index.ts';
import { BACKEND_KINDS, DEFAULT_BACKENDS, specKind } from '../backends/registry.ts';
import { summaryTable } from '../reports/console.ts';
import { writeReports } from '../reports/write.ts';
import { baselineFrom, evaluateGate, readBaseline } from '../reports/gate.ts';
import { mergeResults, readResults } from '../reports/merge.ts';
import { manifest } from '../vectors/manifest.ts';
import { locate, readVector, vectorRoots } from '../vectors/store.ts';
import { fetchVectors } from '../vectors/fetch.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `pqc-harness: conformance and memory-safety harness for ML-KEM (FIPS 203) and ML-DSA (FIPS 204)

  pqc-harness run [--backend noble,rust,liboqs] [--suite ${DEFAULT_SUITES.join(',')}] [--param ML-KEM-768,...]
                  [--host auto|${HOSTS.join('|')}] [--out reports/out] [--shard i/n] [--long]
                  [--timeout-ms 30000] [--liboqs PATH] [--baseline FILE] [--strict] [--write-baseline FILE]
  pqc-harness backends [--backend ...]      what is available, versions, capabilities
  pqc-harness vectors where|verify|fetch [--base-url URL] [--force]
  pqc-harness report merge DIR... --out DIR [--baseline FILE] [--strict]
  pqc-harness selftest faults [--out DIR] [--tools child,valgrind,asan]   seeded-fault detection matrix

Exit codes: 0 passed; 1 failures; 2 usage or input error; 3 --strict with skips.`;

function list(v: string | undefined, fallback: readonly string[]): string[] {
  return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [...fallback];
}

function parseShard(s: string | undefined): { index: number; count: number } | undefined {
  if (!s) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(s);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard expects i/n with 1 <= i <= n, got '${s}'`);
  return { index, count };
}

async function cmdRun(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      backend: { type: 'string' },
      suite: { type: 'string' },
      param: { type: 'string' },
      host: { type: 'string', default: 'auto' },
      out: { type: 'string', default: 'reports/out' },
      shard: { type: 'string' },
      long: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string' },
      liboqs: { type: 'string' },
      baseline: { type: 'string' },
      strict: { type: 'boolean', default: false },
      'write-baseline': { type: 'string' },
    },
    strict: true,
  });
  // Interop compares backends with each other: by default it runs only when there are two.
  const backendCount = list(values.backend, DEFAULT_BACKENDS).length;
  const suites = list(values.suite, DEFAULT_SUITES.filter((s) => s !== 'interop' || backendCount > 1));
  for (const s of suites) if (!(SUITES as readonly string[]).includes(s)) throw new UsageError(`unknown suite '${s}'; known: ${DEFAULT_SUITES.join(', ')}`);
  const params = values.param ? list(values.param, []) : undefined;
  for (const p of params ?? []) if (!isParamSet(p)) throw new UsageError(`unknown parameter set '${p}'`);
  const host = values.host as HostKind | 'auto';
  if (host !== 'auto' && !(HOSTS as readonly string[]).includes(host)) throw new UsageError(`unknown host '${host}'; known: auto, ${HOSTS.join(', ')}`);
  const baseline = values.baseline ? await readBaseline(values.baseline) : undefined;
  const timeoutMs = values['timeout-ms'] ? Number(values['timeout-ms']) : undefined;

  const backends = list(values.backend, DEFAULT_BACKENDS);
  for (const b of backends) {
    if (!BACKEND_KINDS.some((k) => specKind(k.spec) === specKind(b))) throw new UsageError(`unknown backend '${b}'; known: ${BACKEND_KINDS.map((k) => k.spec).join(', ')}`);
  }
  const results = await runConformance({
    backends,
    suites: suites as Suite[],
    params: params as ParamSet[] | undefined,
    host,
    shard: parseShard(values.shard),
    long: values.long,
    timeoutMs,
    liboqs: values.liboqs,
    argv: ['run', ...args],
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const out = resolve(values.out);
  const files = await writeReports(results, out, { strict: values.strict, baseline });
  const gate = evaluateGate(results, { strict: values.strict, baseline });
  const known = new Set(gate.knownFailures);
  console.log(summaryTable(results, (c) => known.has(c)));
  const causes = causesText(results);
  if (causes) console.log(`\n${causes}`);
  console.log(`\nwrote ${files.json}\n      ${files.junit}\n      ${files.html}`);
  if (values['write-baseline']) {
    writeFileSync(values['write-baseline'], JSON.stringify(baselineFrom(results), null, 2) + '\n');
  }
  for (const line of gate.lines) console.log(line);
  return gate.exitCode;
}

async function cmdBackends(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { backend: { type: 'string' }, liboqs: { type: 'string' } } });
  const specs = list(values.backend, DEFAULT_BACKENDS);
  console.log('Backend kinds:');
  for (const k of BACKEND_KINDS) console.log(`  ${k.spec.padEnd(15)} ${k.summary}`);
  console.log('');
  for (const spec of specs) {
    try {
      const b = await openHosted(spec, 'inproc', { liboqs: values.liboqs });
      const d = b.describe();
      const caps = b.capabilities();
      console.log(`${spec}: available  ${d.name} ${d.version} (${d.kind}, default host ${chooseHost(spec, 'auto')})`);
      if (d.library) console.log(`  library ${d.library.path} sha256 ${d.library.sha256}`);
      console.log(`  parameter sets: ${caps.parameterSets.join(', ')}`);
      const missing = ALL_OPS.filter((o) => !caps.ops.includes(o));
      console.log(`  operations: ${caps.ops.join(', ')}`);
      if (missing.length) console.log(`  not offered: ${missing.join(', ')}`);
      for (const n of d.notes ?? []) console.log(`  note: ${n}`);
      await b.close?.();
    } catch (e) {
      console.log(`${spec}: NOT available: ${(e as Error).message}`);
    }
  }
  return 0;
}

async function cmdVectors(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { 'base-url': { type: 'string' }, force: { type: 'boolean', default: false } } });
  switch (sub) {
    case 'where': {
      for (const r of vectorRoots()) console.log(`root (${r.origin}): ${r.dir}`);
      for (const e of manifest()) console.log(`${locate(e.file) ?? 'MISSING'.padEnd(8)}  ${e.file}`);
      return 0;
    }
    case 'verify': {
      let bad = 0;
      for (const e of manifest()) {
        try {
          const { path } = readVector(e.file);
          console.log(`ok        ${e.file}  (${path})`);
        } catch (err) {
          bad++;
          console.log(`FAILED    ${e.file}: ${(err as Error).message}`);
        }
      }
      console.log(`${manifest().length - bad} verified, ${bad} failed`);
      return bad ? 2 : 0;
    }
    case 'fetch': {
      const rep = await fetchVectors({ baseUrl: values['base-url'], force: values.force, log: (s) => console.log(s) });
      const failed = rep.filter((r) => r.status === 'failed').length;
      console.log(`${rep.filter((r) => r.status === 'fetched').length} fetched, ${rep.filter((r) => r.status === 'present').length} already present, ${failed} failed`);
      return failed ? 2 : 0;
    }
    default:
      throw new UsageError(`vectors: expected where, verify or fetch`);
  }
}

async function cmdReport(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'merge') throw new UsageError('report: expected merge');
  const { values, positionals } = parseArgs({
    args: rest,
    options: { out: { type: 'string' }, baseline: { type: 'string' }, strict: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (!values.out || positionals.length === 0) throw new UsageError('report merge DIR... --out DIR [--baseline FILE] [--strict]');
  const gateOpts = { strict: values.strict, baseline: values.baseline ? await readBaseline(values.baseline) : undefined };
  const parts = await Promise.all(positionals.map((d) => readResults(resolve(d, 'results.json'))));
  const merged = mergeResults(parts);
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const files = await writeReports(merged, out, gateOpts);
  console.log(summaryTable(merged));
  const causes = causesText(merged);
  if (causes) console.log(`\n${causes}`);
  console.log(`\nwrote ${files.json}`);
  const gate = evaluateGate(merged, gateOpts);
  for (const line of gate.lines) console.log(line);
  return gate.exitCode;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest);
      case 'backends':
        return await cmdBackends(rest);
      case 'vectors':
        return await cmdVectors(rest);
      case 'report':
        return await cmdReport(rest);
      case 'selftest':
        return await (await import('./selftest/faults.ts')).cmdSelftest(rest);
      case 'bench':
        return await (await import('./bench/bench.ts')).cmdBench(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    const err = e as Error;
    console.error(`pqc-harness: ${err.message}`);
    if (err instanceof UsageError || err.name === 'TypeError' /* parseArgs */) console.error(`\n${USAGE}`);
    return 2;
  }
}
