// JUnit XML view of results.json, for CI test tabs.
//
// Layout (stable across runs): one <testsuite> per backend × suite, named
// `${backend}.${suite}`, in first-seen order; one <testcase> per case with
// name = case id and classname = `${backend}.${suite}.${family}` (dots inside
// a component become `_`, so CI tools that split classname on dots see exactly
// three levels). Status mapping:
//   fail                     -> <failure> (reason, expected vs got, findings)
//   crash / timeout / error  -> <error>   (signal, exit code, stderr, findings)
//   skip                     -> <skipped message="reason"/>
//   pass with findings       -> <failure type="finding"> (the gate fails on findings)
// Hex values longer than 256 characters are shortened (first 64…last 64, with
// the byte count) and stderr is cut at 2 KiB: 20 000 crashing ML-DSA cases
// would otherwise make a half-gigabyte file. results.json keeps everything.

import type { Shown } from '../model/case.ts';
import type { CaseResult, Finding, Results } from '../model/results.ts';
import { escapeAttr, escapeMarkup, shortValue } from './text.ts';

/** JUnit is for CI tabs; the full values and stderr stay in results.json. */
const STDERR_LIMIT = 2048;
const VALUE_KEEP = 256;

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function component(s: string): string {
  return s.replace(/\./g, '_');
}

function showLines(label: string, shown: Shown | undefined): string[] {
  if (!shown) return [];
  const keys = Object.keys(shown);
  if (keys.length === 0) return [];
  return [`${label}:`, ...keys.map((k) => `  ${k} = ${shortValue(shown[k]!, 64, 64, VALUE_KEEP).text}`)];
}

function findingLines(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  for (const f of findings) {
    out.push(`finding [${f.tool}] ${f.kind}: ${f.message}`);
    for (const fr of f.frames) {
      const where = [fr.file && `${fr.file}${fr.line !== undefined ? `:${fr.line}` : ''}`, fr.obj && `(${fr.obj})`].filter(Boolean).join(' ');
      out.push(`    at ${fr.fn}${where ? ` ${where}` : ''}`);
    }
  }
  return out;
}

function sourceLine(c: CaseResult): string[] {
  if (!c.source) return [];
  const s = c.source;
  const parts = [s.file, s.tgId !== undefined ? `tgId=${s.tgId}` : '', s.tcId !== undefined ? `tcId=${s.tcId}` : '', s.line !== undefined ? `line=${s.line}` : ''];
  return [`source: ${parts.filter(Boolean).join(' ')}`];
}

function body(c: CaseResult): string {
  const lines: string[] = [];
  if (c.reason) lines.push(c.reason);
  lines.push(...sourceLine(c));
  lines.push(...showLines('inputs', c.inputs), ...showLines('expected', c.expected), ...showLines('got', c.got));
  if (c.crash) {
    lines.push(`signal: ${c.crash.signal ?? 'none'}`, `exit code: ${c.crash.exitCode ?? 'none'}`);
    if (c.crash.stderr) {
      const err = c.crash.stderr.length > STDERR_LIMIT ? `${c.crash.stderr.slice(0, STDERR_LIMIT)}\n… (${c.crash.stderr.length - STDERR_LIMIT} more characters in results.json)` : c.crash.stderr;
      lines.push('stderr:', err);
    }
  }
  lines.push(...findingLines(c.findings));
  return escapeMarkup(lines.join('\n'));
}

function testcase(c: CaseResult): string {
  const head = `    <testcase name="${escapeAttr(c.id)}" classname="${escapeAttr(`${component(c.backend)}.${component(c.suite)}.${component(c.family)}`)}" time="${seconds(c.durationMs)}"`;
  const firstLine = (s: string) => s.split('\n')[0] ?? '';
  switch (c.status) {
    case 'pass':
      if (c.findings.length === 0) return `${head}/>`;
      return `${head}>\n      <failure type="finding" message="${escapeAttr(`${c.findings.length} memory finding(s): ${c.findings[0]?.kind ?? ''}`)}">${body(c)}</failure>\n    </testcase>`;
    case 'skip':
      return `${head}>\n      <skipped message="${escapeAttr(c.reason ?? 'skipped')}"/>\n    </testcase>`;
    case 'fail':
      return `${head}>\n      <failure type="fail" message="${escapeAttr(firstLine(c.reason ?? 'failed'))}">${body(c)}</failure>\n    </testcase>`;
    case 'crash':
    case 'timeout':
    case 'error': {
      const msg = c.crash ? `${c.status}: ${c.crash.signal ?? `exit ${c.crash.exitCode ?? '?'}`}${c.reason ? ` ${firstLine(c.reason)}` : ''}` : `${c.status}: ${firstLine(c.reason ?? '')}`;
      return `${head}>\n      <error type="${c.status}" message="${escapeAttr(msg)}">${body(c)}</error>\n    </testcase>`;
    }
  }
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function tally(cases: readonly CaseResult[]): Tally {
  const t: Tally = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  for (const c of cases) {
    t.tests++;
    t.ms += c.durationMs;
    if (c.status === 'fail' || (c.status === 'pass' && c.findings.length > 0)) t.failures++;
    else if (c.status === 'crash' || c.status === 'timeout' || c.status === 'error') t.errors++;
    else if (c.status === 'skip') t.skipped++;
  }
  return t;
}

function counts(t: Tally): string {
  return `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${seconds(t.ms)}"`;
}

export function toJUnit(results: Results): string {
  const groups = new Map<string, CaseResult[]>();
  for (const c of results.cases) {
    const k = `${c.backend}\u0000${c.suite}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(c);
  }
  const versions = new Map(results.backends.map((b) => [b.id, b.version]));
  const run = results.run;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="pqc-harness" ${counts(tally(results.cases))}>`];
  let n = 0;
  for (const cases of groups.values()) {
    const first = cases[0]!;
    out.push(
      `  <testsuite name="${escapeAttr(`${first.backend}.${first.suite}`)}" id="${n++}" ${counts(tally(cases))} timestamp="${escapeAttr(run.startedAt)}">`,
      '    <properties>',
      `      <property name="backend" value="${escapeAttr(first.backend)}"/>`,
      `      <property name="backendVersion" value="${escapeAttr(versions.get(first.backend) ?? 'unknown')}"/>`,
      `      <property name="suite" value="${escapeAttr(first.suite)}"/>`,
      `      <property name="host" value="${escapeAttr(run.host)}"/>`,
      `      <property name="platform" value="${escapeAttr(run.platform)}"/>`,
      `      <property name="node" value="${escapeAttr(run.node)}"/>`,
      `      <property name="harnessVersion" value="${escapeAttr(run.harnessVersion)}"/>`,
      '    </properties>',
    );
    for (const c of cases) out.push(testcase(c));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
