// `pqc-harness fleet build|list|run` end to end, as a user runs it: a real
// process, the real fleet/ folder, real wrappers. A missing toolchain is
// simulated by a PATH without it; the run uses the quick Go wrappers beside
// noble and checks the one results.json and its report's compatibility matrix.

import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inCI } from '../model/config.ts';
import type { Results } from '../model/results.ts';
import { assertResults } from '../model/validate.ts';
import { fleetArgv, fleetSpec, parseManifest, readFleet, selectFleet } from '../harness/fleet/registry.ts';
import { splitCommand } from '../backends/process.ts';
import { cli } from './cli-process.ts';
import { PACKAGE_ROOT } from '../model/package.ts';

const ROOT = PACKAGE_ROOT;

/** A PATH with every folder of ours except those holding `go`: Go is missing, node and bash are not. */
function pathWithoutGo(): string {
  return (process.env['PATH'] ?? '')
    .split(':')
    .filter((d) => d && !existsSync(join(d, 'go')))
    .join(':');
}

describe('the fleet registry (harness/fleet/registry.ts)', () => {
  const good = { name: 'x', upstream: 'u', language: 'Go', version: '1', independent: 'x', command: ['build/fleet/x/wrapper', '--flag'], toolchain: 'go', expresses: 'e', cannot: 'c' };

  it('reads every fleet.json of fleet/, each named as its folder', () => {
    const fleet = readFleet();
    expect(fleet.length).toBeGreaterThanOrEqual(14);
    expect(new Set(fleet.map((m) => m.independent)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(fleet.map((m) => m.language)).size).toBeGreaterThanOrEqual(5);
  });

  it('names the file and the field of a bad fleet.json', () => {
    expect(() => parseManifest({ ...good, version: 3 }, 'fleet/x/fleet.json', 'x')).toThrow(/^fleet\/x\/fleet\.json: field "version" must be a non-empty string, got 3$/);
    expect(() => parseManifest({ ...good, command: [] }, 'f.json', 'x')).toThrow(/f\.json: field "command" must be a non-empty array/);
    expect(() => parseManifest({ ...good, name: 'y' }, 'f.json', 'x')).toThrow(/f\.json: field "name" is "y", but the folder is "x"/);
    expect(() => parseManifest([], 'f.json', 'x')).toThrow(/f\.json: expected a JSON object/);
    expect(() => readFleet('/nonexistent/fleet')).toThrow(/no fleet folder/);
    expect(() => selectFleet([parseManifest(good, 'f.json', 'x')], ['x', 'z'])).toThrow(/unknown fleet wrapper 'z'; known: x/);
  });

  it('turns a wrapper into a process: backend named after it, its program resolved against the package root', () => {
    const m = parseManifest({ ...good, command: ["build/fleet/x/it's", '--flag'] }, 'f.json', 'x');
    const spec = fleetSpec(m);
    expect(spec.text).toBe('x');
    expect(spec.kind.name).toBe('process');
    expect(splitCommand(spec.arg!)).toEqual([join(ROOT, "build/fleet/x/it's"), '--flag']);
    expect(fleetArgv(m)[0]).toBe(join(ROOT, "build/fleet/x/it's"));
  });
});

describe('pqc-harness fleet', () => {
  it('list --json: one entry per fleet/*/fleet.json, {name, upstream, language, version, available, reason?}', async () => {
    const { code, stdout } = await cli(['fleet', 'list', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    const folders = readdirSync(join(ROOT, 'fleet')).filter((d) => existsSync(join(ROOT, 'fleet', d, 'fleet.json'))).sort();
    expect(rows.map((r) => r['name'])).toEqual(folders);
    expect(folders.length).toBeGreaterThanOrEqual(14);
    for (const r of rows) {
      const keys = Object.keys(r);
      expect(keys.slice(0, 5)).toEqual(['name', 'upstream', 'language', 'version', 'available']);
      for (const k of ['name', 'upstream', 'language', 'version']) expect(typeof r[k], `${r['name']}.${k}`).toBe('string');
      expect(typeof r['available']).toBe('boolean');
      // A reason exactly when the wrapper is not built, naming the command that builds it.
      if (r['available']) expect(keys).toHaveLength(5);
      else expect(r['reason']).toMatch(new RegExp(`not built .*pqc-harness fleet build --only ${r['name']}`));
    }
  });

  it('list: an unknown --only name is a usage error naming the known ones', async () => {
    const { code, stderr } = await cli(['fleet', 'list', '--only', 'go-circl,nope']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown fleet wrapper 'nope'; known: c-liboqs-ref, go-circl/);
  });

  it('build: a missing toolchain is named with what it costs and the wrappers it would add; CI and --strict make it fail', { timeout: 20 * 60_000 }, async () => {
    const env = { ...process.env, PATH: pathWithoutGo(), CI: '' };
    const only = ['fleet', 'build', '--only', 'go-circl,go-stdlib,ts-mlkem'];
    const r = await cli(only, env);
    expect(r.stdout).toMatch(/^go-circl: missing toolchain: Go >= 1\.26/m);
    expect(r.stdout).toMatch(/^go-stdlib: missing toolchain: /m);
    expect(r.stdout).toMatch(/^ts-mlkem: (built|up to date)/m);
    expect(r.stdout).toMatch(/missing a toolchain, 0 failed/);
    expect(r.stdout).toMatch(/missing toolchain 'go': Go >= 1\.26 \(go\.dev\/dl tarball, about 70 MB download, 250 MB installed\)\n {2}would add 2 wrapper\(s\): go-circl, go-stdlib \(2 code base\(s\): cloudflare-circl, go-fips140-module; Go\)/);
    expect(r.code).toBe(0);
    expect((await cli([...only, '--strict'], env)).code).toBe(1);
    expect((await cli(only, { ...env, CI: 'true' })).code).toBe(1);
  });

  it('run: noble and two Go wrappers in one run: one results.json, a compatibility matrix with every reading', { timeout: 20 * 60_000 }, async (ctx) => {
    const go = readFleet().filter((m) => ['go-circl', 'go-trailofbits-mldsa'].includes(m.name));
    const built = await cli(['fleet', 'build', '--only', go.map((m) => m.name).join(',')]);
    if (/missing toolchain/.test(built.stdout)) {
      if (inCI()) throw new Error(`CI must build the Go wrappers:\n${built.stdout}`);
      ctx.skip(built.stdout.split('\n').find((l) => l.includes('missing toolchain'))!);
    }
    expect(built.code, built.stdout).toBe(0);
    const out = mkdtempSync(join(tmpdir(), 'pqc-fleet-'));
    const r = await cli(['fleet', 'run', '--only', 'go-circl,go-trailofbits-mldsa', '--core', 'noble', '--suite', 'acvp,wycheproof,cctv,differential', '--param', 'ML-KEM-768,ML-DSA-44', '--out', out]);
    expect(r.stdout).toMatch(/^fleet run: 3 implementation\(s\), 3 independent code base\(s\), 2 language\(s\): noble, go-circl, go-trailofbits-mldsa$/m);
    // CIRCL signs with out-of-range keys and trailofbits/ml-dsa accepts ‖z‖∞ = γ1 − β (docs/findings.md):
    // the gate fails on exactly those, each named with its class.
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stdout).toMatch(/^ {2}high {5}verify\/z-norm: 2 \(go-trailofbits-mldsa 2\)\n {2}medium {3}key\/range: 2 \(go-circl 2\)$/m);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results;
    assertResults(results, 'results.json');
    expect(results.backends.map((b) => b.id)).toEqual(['noble', 'go-circl', 'go-trailofbits-mldsa']);
    expect(results.run.argv.slice(0, 2)).toEqual(['fleet', 'run']);
    expect(new Set(results.cases.map((c) => c.suite))).toEqual(new Set(['acvp', 'wycheproof', 'cctv', 'differential']));
    // Each wrapper compared with the others on the bytes it can express.
    expect(results.cases.find((c) => c.id === 'differential/dsa-outputs/ML-DSA-44/go-trailofbits-mldsa')).toMatchObject({ status: 'pass', inputs: { comparedWith: 2 } });
    const failing = results.cases.filter((c) => c.status !== 'pass' && c.status !== 'skip');
    expect(failing.map((c) => [c.backend, c.id, c.bugClass, c.severity])).toEqual([
      ['go-circl', 'wycheproof/mldsa_44_sign_noseed/tc52', 'key/range', 'medium'],
      ['go-circl', 'wycheproof/mldsa_44_sign_noseed/tc53', 'key/range', 'medium'],
      ['go-trailofbits-mldsa', 'wycheproof/mldsa_44_verify/tc125', 'verify/z-norm', 'high'],
      ['go-trailofbits-mldsa', 'wycheproof/mldsa_44_verify/tc126', 'verify/z-norm', 'high'],
    ]);

    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/<section id="compat">/);
    const summary = JSON.parse(/<script type="application\/json" id="results-summary">(.*?)<\/script>/s.exec(html)![1]!) as { compat: { backend: string; parameterSet: string; family: string; reading: string; refused: number; pass: number; fail: number }[] };
    const cell = (backend: string, parameterSet: string, family: string) => summary.compat.find((c) => c.backend === backend && c.parameterSet === parameterSet && c.family === family);
    // fail: the two boundary signatures; the failing cell is listed with its class and FIPS clause.
    expect(cell('go-trailofbits-mldsa', 'ML-DSA-44', 'mldsa_44_verify')).toMatchObject({ reading: 'fail', fail: 2 });
    expect(html).toMatch(/<details class="compat-failure" id="compat-\d+" data-backend="go-trailofbits-mldsa" data-family="mldsa_44_verify"><summary>.*verify\/z-norm.*FIPS 204 §5\.3 Alg\. 3/);
    // refused as expected: every CCTV modulus key refused.
    expect(cell('go-circl', 'ML-KEM-768', 'cctv-modulus')).toMatchObject({ reading: 'refused', refused: 2 * 780, pass: 0 });
    // not expressible: trailofbits has no ML-KEM.
    expect(cell('go-trailofbits-mldsa', 'ML-KEM-768', 'ML-KEM-keyGen')).toMatchObject({ reading: 'notexpressible' });
    // pass, with refusals among the cases: ACVP sigVer accepts the valid signatures and refuses the 12 modified ones.
    expect(cell('go-circl', 'ML-DSA-44', 'ML-DSA-sigVer')).toMatchObject({ reading: 'pass', refused: 12 });
    expect(r.stdout).toMatch(/^implementation\s+name and version\s+pass\s+refused as expected\s+fail/m);
  });
});
