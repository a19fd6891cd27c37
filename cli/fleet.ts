// `pqc-harness fleet build|list|run`: the fleet of independent implementations
// (fleet/<name>/, read by harness/fleet/registry.ts) as one product feature.
//
//   build  runs each wrapper's pinned, idempotent build.sh and says per wrapper:
//          built, up to date, missing toolchain (which one, what installing it
//          costs, and which wrappers it would add) or failed.
//   list   the wrappers, and whether each is built (available) or why not.
//   run    every built wrapper, plus the project's own backends (noble, rust,
//          liboqs: on by default, `--core none` leaves them out), through the
//          suites in ONE run: one results.json and one report, whose
//          compatibility matrix sets them side by side.
//
// Exit codes: build 0 every wrapper built or up to date (a missing toolchain
// too, unless --strict or CI is set), 1 a build failed (or a toolchain is
// missing under --strict / CI); list 0; run: the gate's code, as `run`.

import { inCI } from '../model/config.ts';
import { buildWrapper, missingToolchains, type BuildOutcome } from '../harness/fleet/build.ts';
import { availability, CORE_IMPLEMENTATIONS, fleetSpec, readFleet, selectFleet, type FleetManifest } from '../harness/fleet/registry.ts';
import { runConformance } from '../harness/runner.ts';
import { causesText } from '../reports/causes-text.ts';
import { compatText } from '../reports/compat-text.ts';
import { baselineFrom, evaluateGate, readBaseline } from '../reports/gate.ts';
import { fmtMs } from '../reports/text.ts';
import { writeAtomic, writeReports } from '../reports/write.ts';
import { backendSpecs, intOption, list, paramList, parse, suiteList, UsageError, writableDir } from './args.ts';

/** The suites `fleet run` runs unless told: the vector suites and the differential across the fleet. */
export const FLEET_SUITES = ['acvp', 'wycheproof', 'cctv', 'differential'] as const;

export const FLEET_USAGE = `pqc-harness fleet build [--only a,b] [--strict]    build the fleet's module wrappers (fleet/*/build.sh)
pqc-harness fleet list  [--only a,b] [--json]      the wrappers, and whether each is built
pqc-harness fleet run   [--suite ${FLEET_SUITES.join(',')}] [--param ...] [--only a,b]
                        [--core noble,rust,liboqs|none] [--jobs CORES] [--timeout-ms N] [--out reports/fleet]
                        [--baseline FILE] [--write-baseline FILE] [--strict]`;

function only(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : list(v, []);
}

function selected(v: string | undefined): FleetManifest[] {
  try {
    return selectFleet(readFleet(), only(v));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `build`: one line per wrapper as it finishes, then what each missing toolchain costs. */
async function cmdBuild(args: string[]): Promise<number> {
  const { values } = parse(args, { only: { type: 'string' }, strict: { type: 'boolean', default: false } });
  const fleet = selected(values.only);
  const t0 = performance.now();
  const outcomes: BuildOutcome[] = [];
  for (const m of fleet) {
    process.stderr.write(`fleet build: ${m.name} …\n`);
    const o = await buildWrapper(m);
    outcomes.push(o);
    const took = fmtMs(o.ms);
    if (o.state === 'built') console.log(`${m.name}: built in ${took}: ${o.line}`);
    else if (o.state === 'up to date') console.log(`${m.name}: up to date (${took})`);
    else if (o.state === 'missing toolchain') console.log(`${m.name}: missing toolchain: ${o.reason}`);
    else console.log(`${m.name}: FAILED (${o.signal ?? `exit ${o.exitCode}`}, ${took}):\n${o.output.replace(/^/gm, '    ')}`);
  }
  const count = (s: BuildOutcome['state']) => outcomes.filter((o) => o.state === s).length;
  const failed = count('failed');
  const missing = missingToolchains(outcomes);
  console.log(`\nfleet build: ${count('built')} built, ${count('up to date')} up to date, ${count('missing toolchain')} missing a toolchain, ${failed} failed (${fmtMs(performance.now() - t0)})`);
  for (const t of missing) {
    const added = fleet.filter((m) => t.wrappers.includes(m.name));
    const bases = [...new Set(added.map((m) => m.independent))];
    const langs = [...new Set(added.map((m) => m.language))];
    console.log(`missing toolchain '${t.toolchain}': ${t.reason}\n  would add ${added.length} wrapper(s): ${t.wrappers.join(', ')} (${bases.length} code base(s): ${bases.join(', ')}; ${langs.join(', ')})`);
  }
  const strict = values.strict || inCI();
  if (failed > 0) return 1;
  if (missing.length > 0 && strict) {
    console.log(`fleet build: ${values.strict ? '--strict' : 'CI'}: every wrapper must build`);
    return 1;
  }
  return 0;
}

/** `list`: text, or `--json` as [{name, upstream, language, version, available, reason?}]. */
async function cmdList(args: string[]): Promise<number> {
  const { values } = parse(args, { only: { type: 'string' }, json: { type: 'boolean', default: false } });
  const rows = selected(values.only).map((m) => {
    const a = availability(m);
    return { name: m.name, upstream: m.upstream, language: m.language, version: m.version, available: a.available, ...(a.reason ? { reason: a.reason } : {}) };
  });
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  for (const r of rows) console.log(`${r.name.padEnd(22)} ${r.language.padEnd(10)} ${r.available ? 'built    ' : 'not built'}  ${r.version}\n${' '.repeat(23)}${r.upstream}${r.reason ? `\n${' '.repeat(23)}${r.reason}` : ''}`);
  const built = rows.filter((r) => r.available).length;
  console.log(`\n${built} of ${rows.length} wrapper(s) built${built < rows.length ? ': `pqc-harness fleet build` builds what the toolchains allow' : ''}`);
  return 0;
}

/** `run`: every built wrapper (and the core backends) through the suites, one results.json and one report. */
async function cmdFleetRun(args: string[]): Promise<number> {
  const { values } = parse(args, {
    suite: { type: 'string' },
    param: { type: 'string' },
    only: { type: 'string' },
    core: { type: 'string' },
    jobs: { type: 'string' },
    'timeout-ms': { type: 'string' },
    out: { type: 'string', default: 'reports/fleet' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    strict: { type: 'boolean', default: false },
  });
  const fleet = selected(values.only);
  // Each check may start a shell (`command -v`): once per wrapper.
  const avail = new Map(fleet.map((m) => [m, availability(m)]));
  const built = fleet.filter((m) => avail.get(m)!.available);
  const notBuilt = fleet.filter((m) => !built.includes(m));
  if (values.only && notBuilt.length) throw new UsageError(notBuilt.map((m) => `${m.name}: ${avail.get(m)!.reason}`).join('\n'));
  const core = values.core === 'none' ? [] : backendSpecs(values.core, Object.keys(CORE_IMPLEMENTATIONS));
  const specs = [...core, ...built.map(fleetSpec)];
  if (specs.length === 0) throw new UsageError('nothing to run: no fleet wrapper is built (run `pqc-harness fleet build`) and --core none');
  const suites = suiteList(values.suite, specs.length > 1 ? FLEET_SUITES : FLEET_SUITES.filter((s) => s !== 'differential'));
  const params = paramList(values.param);
  // As `run`: instances per wrapper default to the cores (the slowest wrappers, pure Python, then finish on both).
  const jobs = intOption('jobs', values.jobs, 1, 256);
  const timeoutMs = intOption('timeout-ms', values['timeout-ms'], 1, 2 ** 31 - 1);
  const baseline = values.baseline ? await readBaseline(values.baseline) : undefined;
  const out = writableDir(values.out!);

  const bases = new Set([...core.map((s) => CORE_IMPLEMENTATIONS[s.text]?.independent ?? s.text), ...built.map((m) => m.independent)]);
  const langs = new Set([...core.map((s) => CORE_IMPLEMENTATIONS[s.text]?.language ?? '?'), ...built.map((m) => m.language)]);
  console.log(`fleet run: ${specs.length} implementation(s), ${bases.size} independent code base(s), ${langs.size} language(s): ${specs.map((s) => s.text).join(', ')}`);
  for (const m of notBuilt) console.log(`  not run: ${m.name}: ${avail.get(m)!.reason}`);
  const t0 = performance.now();
  const results = await runConformance({
    backends: specs,
    suites,
    params,
    host: 'auto',
    jobs,
    timeoutMs,
    argv: ['fleet', 'run', ...args],
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const gateOpts = { strict: values.strict, baseline };
  const files = await writeReports(results, out, gateOpts);
  const gate = evaluateGate(results, gateOpts);
  console.log(`\n${compatText(results)}`);
  const causes = causesText(results);
  if (causes) console.log(`\n${causes}`);
  console.log(`\n${results.cases.length} cases in ${fmtMs(performance.now() - t0)}; wrote ${files.json}\n      ${files.junit}\n      ${files.html}`);
  if (values['write-baseline']) await writeAtomic(values['write-baseline'], JSON.stringify(baselineFrom(results), null, 2) + '\n');
  for (const line of gate.lines) console.log(line);
  return gate.exitCode;
}

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = { build: cmdBuild, list: cmdList, run: cmdFleetRun };

export async function cmdFleet(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '-h' || sub === '--help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(FLEET_USAGE);
    return 0;
  }
  const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (!run) throw new UsageError(sub === undefined ? 'fleet needs a subcommand: build, list or run' : `unknown fleet subcommand '${sub}'; known: ${Object.keys(SUBCOMMANDS).join(', ')}`);
  return run(rest);
}
