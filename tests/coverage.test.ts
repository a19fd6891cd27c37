// `run --coverage`: V8 coverage of the implementation under test.
//
// The CLI runs in a child process (as a user runs it): V8 coverage is per
// isolate, and taking it inside vitest's own worker would reset the counters
// vitest's coverage of the harness reads. The fixture backend
// (tests/fixtures/coverage/one-branch.ts) has one branch no ACVP case reaches;
// the expected lines come from markers in the fixture's text.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec } from '../backends/registry.ts';
import { recordCoverage } from '../harness/coverage/backends.ts';
import type { CoverageSession } from '../harness/coverage/profiler.ts';
import type { BackendCoverage, BackendEntry, CoverageFile } from '../model/results.ts';
import { assertResults } from '../model/validate.ts';
import { mergeCoverage } from '../reports/merge-coverage.ts';
import { lineRanges } from '../reports/coverage-text.ts';
import { REPO } from './offline-install.ts';

const FIXTURE = 'tests/fixtures/coverage/one-branch.ts';
const fixtureLines = readFileSync(join(REPO, FIXTURE), 'utf8').split('\n');
const lineOf = (marker: string) => fixtureLines.findIndex((l) => l.endsWith(`// marker: ${marker}`)) + 1;

const work = mkdtempSync(join(tmpdir(), 'pqc-coverage-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('run --coverage on JS backends', () => {
  const out = join(work, 'out');
  const run = spawnSync(process.execPath, [join(REPO, 'bin/pqc-harness.js'), 'run', '--backend', `noble,module:${FIXTURE}`, '--suite', 'acvp', '--param', 'ML-KEM-512', '--coverage', '--out', out], {
    cwd: REPO,
    encoding: 'utf8',
  });

  it('runs and writes a valid results.json with a coverage block per backend', () => {
    expect(run.status, run.stderr).toBe(0);
    const doc: unknown = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assertResults(doc, 'results.json');
    expect(doc.backends.map((b) => b.coverage?.tool)).toEqual(['v8', 'v8']);
  });

  const entry = (id: string): BackendEntry => {
    const doc = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { backends: BackendEntry[] };
    return doc.backends.find((b) => b.id === id)!;
  };

  it('reports the fixture branch no case reaches, at its exact line, and not the lines the cases ran', () => {
    const cov = entry(`module:${FIXTURE}`).coverage!;
    expect(cov.root).toBe(join(REPO, 'tests/fixtures/coverage'));
    // Only the module's own folder: noble and the harness files it imports are not the implementation.
    expect(cov.files.map((f) => f.path)).toEqual(['one-branch.ts']);
    const file = cov.files[0]!;
    expect(lineOf('unreached')).toBeGreaterThan(0);
    expect(file.unreachedLines).toContain(lineOf('unreached'));
    expect(file.unreachedLines).not.toContain(lineOf('reached'));
    expect(file.unreachedLines).not.toContain(lineOf('branch'));
    expect(file.unreachedBranches.map((b) => b.line)).toEqual([lineOf('branch')]);
    expect(file.lines.total - file.lines.covered).toBe(file.unreachedLines.length);
    expect(file.branches.total - file.branches.covered).toBe(1);
  });

  it("reports noble's own files only, with lines the ML-KEM-512 ACVP cases never reach", () => {
    const cov = entry('noble').coverage!;
    expect(cov.root).toMatch(/node_modules\/@noble\/post-quantum$/);
    const kem = cov.files.find((f) => f.path === 'ml-kem.js');
    expect(kem, cov.files.map((f) => f.path).join(', ')).toBeDefined();
    expect(kem!.lines.covered).toBeGreaterThan(0);
    expect(kem!.unreachedLines.length).toBeGreaterThan(0);
    expect(cov.files.every((f) => !f.path.startsWith('..') && !f.path.includes('node_modules'))).toBe(true);
    // Only ML-KEM ran: ML-DSA's module was loaded (its top level ran) but most of it was never called.
    const dsa = cov.files.find((f) => f.path === 'ml-dsa.js')!;
    expect(dsa.lines.covered / dsa.lines.total).toBeLessThan(kem!.lines.covered / kem!.lines.total);
  });

  it('shows the unreached lines on the console and in the HTML report', () => {
    const file = entry(`module:${FIXTURE}`).coverage!.files[0]!;
    const ranges = lineRanges(file.unreachedLines);
    expect(run.stdout).toMatch(new RegExp(`one-branch\\.ts: lines [\\d.]+%, branches [\\d.]+%; unreached lines ${ranges}`));
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const section = html.slice(html.indexOf('<section id="coverage">'));
    expect(section).toContain(`data-coverage-backend="module:${FIXTURE}"`);
    expect(section).toContain(`<code>${ranges}</code>`);
    expect(section).toContain(`<code>${file.unreachedBranches.map((b) => `${b.line}:${b.column}`).join(', ')}</code>`);
  });
});

describe('coverage bookkeeping', () => {
  it('says why a backend was not measured (native code, or a JS backend outside the runner)', async () => {
    const session: CoverageSession = { take: async () => [] };
    const entries = ['rust', 'noble'].map((id): BackendEntry => ({ id, name: id, version: '1', kind: 'js', capabilities: { parameterSets: [], ops: [] } }));
    await recordCoverage(session, [
      { spec: parseSpec('rust'), host: 'child', entry: entries[0]!, opened: true },
      { spec: parseSpec('noble'), host: 'child', entry: entries[1]!, opened: true },
    ]);
    expect(entries[0]!.coverage).toBeUndefined();
    expect(entries[0]!.notes).toEqual(['coverage: not measured: rust is not JavaScript (V8 coverage sees only JavaScript)']);
    expect(entries[1]!.notes?.[0]).toMatch(/^coverage: not measured: noble ran in a child host/);
  });

  const file = (over: Partial<CoverageFile>): CoverageFile => ({ path: 'a.js', lines: { covered: 7, total: 10 }, branches: { covered: 2, total: 4 }, unreachedLines: [], unreachedBranches: [], ...over });
  const cov = (files: CoverageFile[]): BackendCoverage => ({ tool: 'v8', root: '/impl', lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 }, files });

  it('merging shards: a line or branch stays unreached only if no shard reached it', () => {
    // Shard 1 never called the function on lines 5-6 (so V8 listed no block in it); shard 2 called it but skipped its branch.
    const a = file({ unreachedLines: [2, 5, 6, 9], unreachedBranches: [{ line: 2, column: 0 }, { line: 9, column: 4 }] });
    const b = file({ unreachedLines: [2, 6], unreachedBranches: [{ line: 2, column: 0 }, { line: 6, column: 8 }] });
    const m = mergeCoverage(cov([a, file({ path: 'only-a.js' })]), cov([b]));
    const merged = m.files.find((f) => f.path === 'a.js')!;
    expect(merged.unreachedLines).toEqual([2, 6]);
    expect(merged.lines).toEqual({ covered: 8, total: 10 });
    expect(merged.unreachedBranches).toEqual([{ line: 2, column: 0 }, { line: 6, column: 8 }]);
    expect(merged.branches).toEqual({ covered: 2, total: 4 });
    expect(m.files.map((f) => f.path)).toEqual(['a.js', 'only-a.js']);
    expect(m.lines).toEqual({ covered: 15, total: 20 });
  });
});
