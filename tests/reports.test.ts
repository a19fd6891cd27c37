// Unit tests of the report views and tools on synthetic Results: JUnit, HTML,
// merge, read/write, and the gate.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize, type CaseResult, type Results } from '../model/results.ts';
import { toJUnit } from '../reports/junit.ts';
import { toHtml } from '../reports/html/page.ts';
import { mergeResults, readResults } from '../reports/merge.ts';
import { writeReports } from '../reports/write.ts';
import { BASELINE_SCHEMA, baselineFrom, evaluateGate, parseBaseline, readBaseline, type Baseline } from '../reports/gate.ts';
import { groupCauses } from '../model/causes.ts';
import { sanitizeText } from '../model/text.ts';
import { shortValue } from '../reports/text.ts';
import { kase, mixedRun, results } from './report-fixtures.ts';
import { suiteDef } from '../harness/suites/index.ts';
import { fipsOf } from '../harness/suites/suite.ts';
import { suiteInfo } from '../harness/run-info.ts';
import { parseXml, walk, type XmlElement } from './xml-check.ts';

function elements(root: XmlElement, name: string): XmlElement[] {
  return [...walk(root)].filter((e) => e.name === name);
}

describe('toJUnit', () => {
  const r = mixedRun();
  const xml = toJUnit(r);
  const doc = parseXml(xml);
  const testcases = elements(doc, 'testcase');
  const byName = new Map(testcases.map((t) => [`${t.attrs.classname} ${t.attrs.name}`, t]));
  const tc = (c: CaseResult) => byName.get(`${c.backend}.${c.suite}.${c.family} ${c.id}`)!;

  it('is well-formed XML with one testcase per case and one testsuite per backend × suite', () => {
    expect(doc.name).toBe('testsuites');
    expect(testcases.length).toBe(r.cases.length);
    const suites = elements(doc, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['noble.acvp', 'rust.acvp', 'rust.wycheproof', 'noble.cctv']);
    for (const s of suites) {
      const tcs = s.children.filter((c) => c.name === 'testcase');
      expect(Number(s.attrs.tests)).toBe(tcs.length);
      expect(Number(s.attrs.failures)).toBe(tcs.filter((t) => t.children.some((c) => c.name === 'failure')).length);
      expect(Number(s.attrs.errors)).toBe(tcs.filter((t) => t.children.some((c) => c.name === 'error')).length);
      expect(Number(s.attrs.skipped)).toBe(tcs.filter((t) => t.children.some((c) => c.name === 'skipped')).length);
    }
    expect(Number(doc.attrs.tests)).toBe(r.cases.length);
  });

  it('names each testcase by case id, classname backend.suite.family, time in seconds', () => {
    for (const c of r.cases) {
      const t = tc(c);
      expect(t, c.id).toBeDefined();
      expect(t.attrs.time).toBe((c.durationMs / 1000).toFixed(3));
    }
    expect(tc(r.cases[9]!).attrs.time).toBe('30.000');
    expect(toJUnit(r)).toBe(xml); // stable
  });

  it('maps statuses: failure, error, skipped, finding on a pass', () => {
    const [ok, , failed, skipped, , crashed, , leaky, , timedOut, errored] = r.cases;
    expect(tc(ok!).children).toEqual([]);
    const f = tc(failed!).children[0]!;
    expect(f.name).toBe('failure');
    expect(f.attrs.message).toBe('ek mismatch <&>"\'');
    expect(f.text).toContain('expected:\n  ek = aaaa');
    expect(f.text).toContain('got:\n  ek = abab');
    expect(tc(skipped!).children[0]).toMatchObject({ name: 'skipped', attrs: { message: 'backend lacks kem.keygen' } });
    const e = tc(crashed!).children[0]!;
    expect(e.name).toBe('error');
    expect(e.attrs.type).toBe('crash');
    expect(e.attrs.message).toContain('SIGABRT');
    expect(e.text).toContain('signal: SIGABRT');
    expect(e.text).toContain('munmap_chunk(): invalid pointer');
    expect(e.text).toContain('<script>alert(1)</script>'); // escaped in the file, decoded here
    expect(e.text).toContain('at pqc_free_string src/lib.rs:42');
    expect(tc(leaky!).children[0]).toMatchObject({ name: 'failure', attrs: { type: 'finding' } });
    expect(tc(timedOut!).children[0]).toMatchObject({ name: 'error', attrs: { type: 'timeout' } });
    expect(tc(errored!).children[0]!.attrs.message).toBe('error: TypeError: x is undefined');
  });

  it('escapes markup and removes characters illegal in XML 1.0', () => {
    expect(xml).toContain('ek mismatch &lt;&amp;&gt;&quot;&#39;');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(xml).not.toContain('[31m');
    const nasty = results([
      kase({ id: 'a<b>&"c\'\u0001\ud800', status: 'error', reason: 'line1\nline2\u001b[0m\u0000', crash: { signal: null, exitCode: 3, stderr: '\ud83d\ude00 ok \udc00 \uffff end' } }),
    ]);
    const x = toJUnit(nasty);
    const t = elements(parseXml(x), 'testcase')[0]!;
    expect(t.attrs.name).toBe('a<b>&"c\'\ufffd\ufffd');
    expect(t.children[0]!.text).toContain('\ud83d\ude00 ok \ufffd \ufffd end'); // pairs kept, lone halves replaced
    expect(t.children[0]!.attrs.message).toBe('error: exit 3 line1');
  });

  it('replaces dots inside classname components so CI sees three levels', () => {
    const x = toJUnit(results([kase({ backend: 'module:./plug.ts' })]));
    expect(elements(parseXml(x), 'testcase')[0]!.attrs.classname).toBe('module:_/plug_ts.acvp.ML-KEM-keyGen');
  });

  it('the checker itself rejects broken XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/does not match/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
    expect(() => parseXml('<a>1 & 2</a>')).toThrow(/bare/);
    expect(() => parseXml('<a>\u0001</a>')).toThrow(/illegal/);
    expect(() => parseXml('<a/><b/>')).toThrow(/more than one root/);
    expect(() => parseXml('<a t=1/>')).toThrow(/unquoted/);
  });
});

describe('toHtml', () => {
  const r = mixedRun();
  const html = toHtml(r);
  const embedded = JSON.parse(/<script type="application\/json" id="results-summary">([^<]*)<\/script>/.exec(html)![1]!);

  it('is self-contained: no external resources, a strict CSP', () => {
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('escapes case data', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('ek mismatch &lt;&amp;&gt;&quot;&#39;');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('embeds machine-readable numbers equal to results.json', () => {
    expect(embedded.summary).toEqual(r.summary);
    expect(embedded.cases).toBe(r.cases.length);
    expect(embedded.gate).toMatchObject({ exitCode: 1, passed: false });
    const cell = embedded.matrix.find((m: { backend: string; suite: string; parameterSet: string }) => m.backend === 'noble' && m.suite === 'acvp' && m.parameterSet === 'ML-KEM-768');
    expect(cell).toMatchObject({ pass: 2, fail: 1, skip: 2, verdict: 'fail', total: 5 });
    for (const st of ['pass', 'fail', 'skip', 'crash', 'timeout', 'error', 'findings'] as const) {
      expect(html).toContain(`data-status="${st}" data-status-count="${r.summary[st]}"`);
    }
  });

  it('shows verdict, environment, vectors, FIPS clauses, causes and skips', () => {
    expect(html).toMatch(/id="verdict" class="verdict fail" data-exit-code="1">FAIL</);
    expect(html).toContain('v20.20.2');
    expect(html).toContain('975de31eb83d');
    expect(html).toContain('FIPS 203 §6.1, Algorithm 16 ML-KEM.KeyGen_internal');
    expect(html).toContain('FIPS 204 §5.3 Alg. 3 ML-DSA.Verify');
    expect(html).toContain('2 case(s), 1 cause:</span> glibc invalid-free: munmap_chunk(): invalid pointer at 0x…');
    expect(html).toMatch(/data-skip-count="2"><summary><span class="chip s-skip">2 skip<\/span> backend lacks kem.keygen/);
    // hex shortened, full value kept in the title for the copy button
    expect(html).toContain(`aaaaaaaaaaaaaaaa…aaaaaaaaaaaaaaaa (1184 bytes)`);
    expect(html).toContain(`title="${'aa'.repeat(1184)}"`);
  });

  it('a passing run is PASS; an all-skipped run is NOT TESTED', () => {
    expect(toHtml(results([kase(), kase()]))).toMatch(/class="verdict pass"[^>]*>PASS</);
    expect(toHtml(results([kase({ status: 'skip', reason: 'x' })]))).toMatch(/>NOT TESTED</);
    expect(toHtml(results([kase(), kase({ status: 'skip', reason: 'x' })]), { strict: true })).toMatch(/>FAIL \(strict: skips\)</);
  });

  it('with a baseline, tolerated failures show as KNOWN and the verdict passes', () => {
    const run = mixedRun();
    const page = toHtml(run, { baseline: baselineFrom(run) });
    expect(page).toMatch(/class="verdict pass"[^>]*>PASS</);
    expect(page).toContain('data-backend="noble" data-param="ML-KEM-768" data-suite="acvp" data-verdict="known"');
    expect(page).toContain('known (baseline)');
    expect(page).toContain('6 known failure(s) tolerated, 0 new');
  });

  it('renders 20 000 cases quickly, failing ones only up to the cap', () => {
    const cases: CaseResult[] = [];
    for (let i = 0; i < 20_000; i++) {
      const fam = ['ML-KEM-keyGen', 'ML-KEM-encapDecap', 'ML-DSA-sigVer'][i % 3]!;
      cases.push(
        kase({
          id: `${fam}/tc${i}`,
          family: fam,
          backend: i % 2 ? 'noble' : 'rust',
          parameterSet: fam.startsWith('ML-KEM') ? 'ML-KEM-768' : 'ML-DSA-65',
          status: i % 10 === 0 ? 'fail' : i % 7 === 0 ? 'skip' : 'pass',
          reason: i % 10 === 0 ? 'shared secret mismatch' : i % 7 === 0 ? 'unsupported' : undefined,
          expected: i % 10 === 0 ? { k: 'aa'.repeat(32) } : undefined,
          got: i % 10 === 0 ? { k: 'bb'.repeat(32) } : undefined,
        }),
      );
    }
    const big = results(cases);
    const t0 = performance.now();
    const out = toHtml(big);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000);
    expect(out.length).toBeLessThan(5_000_000);
    expect((out.match(/<details class="case"/g) ?? []).length).toBe(150); // 3 families × 50
    expect(out).toContain('more failing case(s) in this family are not shown in full');
    expect(out).toContain(`${big.summary.fail} case(s), 1 cause:`);
  });
});

describe('mergeResults', () => {
  const shard = (index: number, cases: CaseResult[], start: string, end: string): Results => {
    const r = results(cases);
    r.run.shard = { index, count: 2 };
    r.run.startedAt = start;
    r.run.finishedAt = end;
    return r;
  };
  const a = shard(1, [kase({ id: 'a1' }), kase({ id: 'a2', status: 'fail', reason: 'x' })], '2026-11-29T10:00:00.000Z', '2026-11-29T10:05:00.000Z');
  const b = shard(2, [kase({ id: 'b1' }), kase({ id: 'b2', status: 'skip', reason: 'y' })], '2026-11-29T09:59:00.000Z', '2026-11-29T10:04:00.000Z');
  const part = (where: string, r: Results) => ({ where, results: r });

  it('unions cases in shard order, dedups backends and vectors, spans the run, records the shards, recomputes the summary', () => {
    const m = mergeResults([part('b.json', b), part('a.json', a)]);
    expect(m.cases.map((c) => c.id)).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(m.backends.map((x) => x.id)).toEqual(['noble']);
    expect(m.run.vectors).toHaveLength(1);
    expect(m.run.startedAt).toBe('2026-11-29T09:59:00.000Z');
    expect(m.run.finishedAt).toBe('2026-11-29T10:05:00.000Z');
    expect(m.run.shard).toBeUndefined();
    expect(m.run.merged).toEqual({ parts: 2, shards: { count: 2, merged: [1, 2] } });
    expect(m.summary).toEqual({ pass: 2, fail: 1, skip: 1, crash: 0, timeout: 0, error: 0, findings: 0 });
  });

  it('refuses a case in two parts, whether the copies agree or not', () => {
    const one = (id: string, status: CaseResult['status']) => results([kase({ id, status, ...(status === 'fail' ? { reason: 'x' } : {}) })]);
    expect(() => mergeResults([part('r1.json', one('a2', 'fail')), part('r2.json', one('a2', 'fail'))])).toThrow('merge: case "a2" on backend "noble" is in both r1.json and r2.json: the parts overlap');
    expect(() => mergeResults([part('r1.json', one('a2', 'fail')), part('r2.json', one('a2', 'pass'))])).toThrow(/case "a2" on backend "noble" is in both r1.json and r2.json/);
  });

  it('keeps backends apart and refuses mismatched backend versions or vector files', () => {
    const whole = results([kase({ id: 'n1' })]);
    const other = results([kase({ id: 'r1', backend: 'rust' })]);
    expect(mergeResults([part('n.json', whole), part('r.json', other)]).backends.map((x) => x.id)).toEqual(['noble', 'rust']);
    const v2 = structuredClone(b);
    v2.backends[0]!.version = '2.0.0';
    expect(() => mergeResults([part('a.json', a), part('b.json', v2)])).toThrow(/backend "noble" differs/);
    const vec = structuredClone(b);
    vec.run.vectors[0]!.sha256 = 'cd'.repeat(32);
    expect(() => mergeResults([part('a.json', a), part('b.json', vec)])).toThrow(/vector file .* differs/);
    expect(() => mergeResults([])).toThrow(/no results/);
    const libA = structuredClone(a);
    const libB = structuredClone(b);
    libA.backends[0]!.library = { path: '/a/lib.so', sha256: '11'.repeat(32) };
    libB.backends[0]!.library = { path: '/b/lib.so', sha256: '22'.repeat(32) };
    expect(mergeResults([part('a.json', libA), part('b.json', libB)]).backends[0]!.notes?.[0]).toMatch(/different library files: \/a\/lib.so .* and \/b\/lib.so/);
  });

  it('readResults validates and names the file; writeReports round-trips', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pqc-reports-'));
    const files = await writeReports(mixedRun(), join(dir, 'out'));
    expect(files).toEqual({ json: join(dir, 'out', 'results.json'), junit: join(dir, 'out', 'junit.xml'), html: join(dir, 'out', 'index.html') });
    const back = await readResults(files.json);
    expect(back).toEqual(JSON.parse(await readFile(files.json, 'utf8')));
    expect(back.summary).toEqual(mixedRun().summary);
    parseXml(await readFile(files.junit, 'utf8'));
    expect(await readFile(files.html, 'utf8')).toContain('<!doctype html>');

    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"schema": "pqc-harness/results@1", "run": {}');
    await expect(readResults(bad)).rejects.toThrow(`${bad}: not valid JSON`);
    await writeFile(bad, JSON.stringify({ schema: 'pqc-harness/results@0' }));
    await expect(readResults(bad)).rejects.toThrow(`${bad}: unsupported results schema "pqc-harness/results@0"`);
    const wrong = mixedRun();
    (wrong.cases[0] as { status: string }).status = 'ok';
    await writeFile(bad, JSON.stringify(wrong));
    await expect(readResults(bad)).rejects.toThrow(/bad\.json: does not match pqc-harness\/results@1:\n {2}\/cases\/0\/status: "ok" is not one of/);
    await expect(readResults(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: cannot read results/);
  });
});

describe('evaluateGate', () => {
  const pass = kase({ id: 'p' });
  const fail = kase({ id: 'f', status: 'fail', reason: 'mismatch' });
  const crash = kase({ id: 'c', status: 'crash', crash: { signal: 'SIGSEGV', exitCode: null, stderr: '' } });
  const skip = kase({ id: 's', status: 'skip', reason: 'no op' });
  const leak = kase({ id: 'l', findings: [{ tool: 'valgrind', kind: 'leak', message: '8 bytes lost', frames: [] }] });

  it('exit 0 when everything that ran passed, skips allowed', () => {
    const g = evaluateGate(results([pass, skip]));
    expect(g).toMatchObject({ exitCode: 0, passed: true, newFailures: [], knownFailures: [], fixed: [], missing: [] });
    expect(g.skips.map((c) => c.id)).toEqual(['s']);
    expect(g.lines[0]).toBe('gate: PASS (exit 0)');
  });

  it('exit 1 on a failure, crash or finding', () => {
    for (const bad of [fail, crash, leak]) expect(evaluateGate(results([pass, bad])).exitCode).toBe(1);
    const g = evaluateGate(results([pass, fail, crash]), { strict: true });
    expect(g.exitCode).toBe(1);
    expect(g.newFailures.map((c) => c.id)).toEqual(['f', 'c']);
    expect(g.lines).toContain('  new: noble: f (fail: mismatch)');
  });

  it('exit 3 in strict mode with skips and nothing worse', () => {
    expect(evaluateGate(results([pass, skip]), { strict: true }).exitCode).toBe(3);
    expect(evaluateGate(results([pass]), { strict: true }).exitCode).toBe(0);
  });

  it('exit 2 when nothing was tested', () => {
    expect(evaluateGate(results([])).exitCode).toBe(2);
    expect(evaluateGate(results([skip])).lines[1]).toMatch(/all 1 cases were skipped/);
  });

  it('a baseline tolerates known failures with the same status, reports fixed and missing', () => {
    const run = results([pass, fail, crash, leak]);
    const baseline = baselineFrom(run);
    expect(baseline).toEqual({
      schema: BASELINE_SCHEMA,
      failures: [
        { backend: 'noble', id: 'c', status: 'crash' },
        { backend: 'noble', id: 'f', status: 'fail' },
        { backend: 'noble', id: 'l', status: 'finding' },
      ],
    });
    const g = evaluateGate(run, { baseline });
    expect(g.exitCode).toBe(0);
    expect(g.knownFailures.map((c) => c.id)).toEqual(['f', 'c', 'l']);

    // f now passes, c now fails differently, l did not run, a new failure appears.
    const next = results([pass, kase({ id: 'f' }), kase({ id: 'c', status: 'fail', reason: 'now wrong' }), kase({ id: 'n', status: 'error', reason: 'boom' })]);
    const g2 = evaluateGate(next, { baseline });
    expect(g2.exitCode).toBe(1);
    expect(g2.newFailures.map((c) => c.id)).toEqual(['c', 'n']);
    expect(g2.fixed).toEqual(['noble: f']);
    expect(g2.missing).toEqual(['noble: l']);
  });

  it('baselines are validated with clear errors', async () => {
    expect(() => parseBaseline({ schema: 'x', failures: [] }, 'b.json')).toThrow(/b\.json: unsupported baseline schema "x"/);
    expect(() => parseBaseline({ schema: BASELINE_SCHEMA, failures: [{ backend: 'a', id: 'b', status: 'broken' }] }, 'b.json')).toThrow(/b\.json: failures\[0\]/);
    const ok: Baseline = { schema: BASELINE_SCHEMA, failures: [{ backend: 'a', id: 'b', status: 'finding' }] };
    expect(parseBaseline(JSON.parse(JSON.stringify(ok)), 'b.json')).toEqual(ok);
    const dir = await mkdtemp(join(tmpdir(), 'pqc-baseline-'));
    await writeFile(join(dir, 'b.json'), JSON.stringify(ok));
    expect(await readBaseline(join(dir, 'b.json'))).toEqual(ok);
    await expect(readBaseline(join(dir, 'none.json'))).rejects.toThrow(/none\.json: cannot read baseline/);
  });
});

describe('helpers', () => {
  it('groups failures by finding, crash or reason', () => {
    const r = mixedRun();
    const causes = groupCauses(r);
    expect(causes.map((c) => c.cases.length)).toEqual([2, 1, 1, 1, 1]);
    expect(causes[0]!.frames).toBe('free ← pqc_free_string ← ffi_call');
    expect(summarize(causes.flatMap((c) => c.cases)).pass).toBe(1); // the leak-only pass
  });

  it('shortens hex and sanitises text', () => {
    expect(shortValue('ab'.repeat(100)).text).toBe(`${'ab'.repeat(8)}…${'ab'.repeat(8)} (100 bytes)`);
    expect(shortValue('abcd').shortened).toBe(false);
    expect(sanitizeText('\x1b[1;31mred\x1b[0m\u0000')).toBe('red\ufffd');
  });

  it('maps every family to a FIPS clause through its suite', () => {
    const families: [suite: string, family: string, standard: string][] = [
      ['acvp', 'ML-KEM-keyGen', 'FIPS 203'], ['acvp', 'ML-KEM-encapDecap', 'FIPS 203'], ['acvp', 'ML-DSA-keyGen', 'FIPS 204'], ['acvp', 'ML-DSA-sigGen', 'FIPS 204'], ['acvp', 'ML-DSA-sigVer', 'FIPS 204'],
      ['wycheproof', 'mlkem_768_encaps', 'FIPS 203'], ['wycheproof', 'mlkem_512_keygen_seed', 'FIPS 203'], ['wycheproof', 'mlkem_1024_semi_expanded_decaps', 'FIPS 203'], ['wycheproof', 'mlkem_768', 'FIPS 203'],
      ['wycheproof', 'mldsa_44_sign_seed', 'FIPS 204'], ['wycheproof', 'mldsa_65_sign_noseed', 'FIPS 204'], ['wycheproof', 'mldsa_87_verify', 'FIPS 204'],
      ['cctv', 'cctv-strcmp', 'FIPS 203'], ['cctv', 'cctv-unluckysample', 'FIPS 203'], ['cctv', 'cctv-modulus', 'FIPS 203'], ['cctv', 'cctv-intermediate', 'FIPS 203'],
      ['accumulated', 'ML-KEM-accumulated-100', 'FIPS 203'], ['accumulated', 'ML-DSA-accumulated-10000', 'FIPS 204'],
    ];
    for (const [suite, f, std] of families) expect(fipsOf(suiteDef(suite).fips, f)?.standard, f).toBe(std);
    expect(fipsOf(suiteDef('wycheproof').fips, 'mlkem_768_encaps')!.clause).toMatch(/§7\.2/);
    expect(fipsOf(suiteDef('accumulated').fips, 'nist-kat', 'ML-DSA-65')!.standard).toBe('FIPS 204');
    expect(fipsOf(suiteDef('property').fips, 'roundtrip', 'ML-KEM-512')!.standard).toBe('FIPS 203');
    expect(suiteDef('selftest').fips).toEqual([]);
  });

  it('records the FIPS clause of each family that ran in results.json, and the report shows it from there', () => {
    const info = suiteInfo('acvp', [{ family: 'ML-KEM-keyGen', parameterSet: 'ML-KEM-768' }, { family: 'ML-KEM-keyGen', parameterSet: 'ML-KEM-512' }]);
    expect(info.fips).toEqual([{ family: 'ML-KEM-keyGen', standard: 'FIPS 203', clause: expect.stringMatching(/Algorithm 16/), what: expect.any(String) }]);
    const r = results([kase({ suite: 'acvp', family: 'ML-KEM-keyGen' })]);
    r.run.suites = [info];
    expect(toHtml(r)).toContain('Algorithm 16 ML-KEM.KeyGen_internal');
    r.run.suites = [];
    expect(toHtml(r)).toContain('no FIPS mapping');
  });
});

describe('gate: findings at process exit', () => {
  it('a backend leak at exit fails the gate until a baseline lists it', async () => {
    const { kase: mk, results: mkResults } = await import('./report-fixtures.ts');
    const { evaluateGate: gate, baselineFrom: fromRun, EXIT_FINDINGS_ID } = await import('../reports/gate.ts');
    const r = mkResults([mk({ id: 'a' })]);
    expect(gate(r).exitCode).toBe(0);
    r.backends[0]!.findings = [{ tool: 'valgrind', kind: 'leak', message: '64 bytes definitely lost', frames: [{ fn: 'pqc_leak' }] }];
    const g = gate(r);
    expect(g.exitCode).toBe(1);
    expect(g.lines.join('\n')).toContain(`backend ${r.backends[0]!.id}: 1 memory finding(s) at exit (leak)`);
    const base = fromRun(r);
    expect(base.failures).toContainEqual({ backend: r.backends[0]!.id, id: EXIT_FINDINGS_ID, status: 'finding' });
    expect(gate(r, { baseline: base }).exitCode).toBe(0);
  });
});

describe('foreign wrappers in the report', () => {
  it('shows each backend’s respawns and dialect decisions with their evidence, and marks derived cases', () => {
    const r = results([kase({ id: 'd/1', derived: 'derived: the harness formatted M′' }), kase({ id: 'd/2', derived: 'derived: the harness formatted M′' })]);
    r.backends[0] = {
      ...r.backends[0]!,
      respawns: { refusal: 7, crash: 1, timeout: 0, protocol: 0 },
      dialect: [{ question: 'sigGen: what `message` means', decided: null, evidence: ['sigGen read as external (ACVP tgId 1 tcId 1): refused (bad)'] }],
    };
    const html = toHtml(r);
    expect(html).toContain('7 after a refusal by exit, 1 after a crash');
    expect(html).toMatch(/sigGen: what `message` means: <strong>undetermined<\/strong>/);
    expect(html).toContain('sigGen read as external (ACVP tgId 1 tcId 1): refused (bad)');
    expect(html).toMatch(/<span class="chip s-known">derived<\/span> 2 case\(s\): derived: the harness formatted M′/);
  });
});
