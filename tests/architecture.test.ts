// The architecture as a test: the import graph of the harness's own sources
// (type imports included) has no cycle, no two top-level folders import each
// other, and every folder imports only the folders it may (README, "Architecture").

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../model/package.ts';

const ROOT = PACKAGE_ROOT;
const SOURCE_DIRS = ['model', 'vectors', 'backends', 'harness', 'reports', 'cli', 'api', 'bin'];

/** Which top-level folders each folder may import (besides itself). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  model: [],
  vectors: ['model'],
  backends: ['model'],
  harness: ['model', 'vectors', 'backends'],
  reports: ['model'],
  cli: ['model', 'vectors', 'backends', 'harness', 'reports'],
  api: ['model', 'vectors', 'backends', 'harness', 'reports'],
  bin: ['cli'],
};

function sources(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(?:ts|mts|js|mjs)$/.test(n) && !/\.d\.ts$/.test(n)) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(ROOT, d));
  return out;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** file → the project files it imports (relative specifiers only). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const g = new Map<string, string[]>();
  for (const f of files) {
    const out: string[] = [];
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (!spec.startsWith('.')) continue;
      const base = resolve(dirname(f), spec);
      const hit = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')].find((c) => known.has(c));
      if (hit && hit !== f) out.push(hit);
    }
    g.set(f, out);
  }
  return g;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const top = (f: string): string => relative(ROOT, f).split('/')[0]!;

describe('architecture', () => {
  const graph = importGraph(sources());

  it('reads a real graph (every top-level folder has sources and imports)', () => {
    for (const d of SOURCE_DIRS) expect([...graph.keys()].some((f) => top(f) === d), d).toBe(true);
    expect([...graph.values()].reduce((n, e) => n + e.length, 0)).toBeGreaterThan(200);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('has no two top-level folders importing each other, and every folder imports only what it may', () => {
    const pairs = new Set<string>();
    const forbidden: string[] = [];
    for (const [f, out] of graph) {
      for (const t of out) {
        const [a, b] = [top(f), top(t)];
        if (a === b) continue;
        pairs.add(`${a} -> ${b}`);
        if (!(MAY_IMPORT[a] ?? []).includes(b)) forbidden.push(`${relative(ROOT, f)} imports ${relative(ROOT, t)}`);
      }
    }
    const twoWay = [...pairs].filter((p) => {
      const [a, b] = p.split(' -> ');
      return a! < b! && pairs.has(`${b} -> ${a}`);
    });
    expect(twoWay).toEqual([]);
    expect(forbidden).toEqual([]);
  });

  it('finds a cycle and a forbidden import when there is one (the checker itself works)', () => {
    const a = join(ROOT, 'model/a.ts');
    const b = join(ROOT, 'reports/b.ts');
    const g = new Map([[a, [b]], [b, [a]]]);
    expect(cycles(g)).toEqual([['model/a.ts', 'reports/b.ts']]);
  });
});

describe('configuration', () => {
  it('README lists every environment variable the harness reads, and no other', async () => {
    const { CONFIG_VARS } = await import('../model/config.ts');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const listed = [...section.slice(0, section.indexOf('\n## ', 3) >>> 0).matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(listed).toEqual(CONFIG_VARS.map((v) => v.name));
  });

  it('no source file reads process.env except model/config.ts', () => {
    const readers = sources().filter((f) => /process\.env(?:\.|\[)/.test(readFileSync(f, 'utf8').replace(/\.\.\.process\.env/g, '')));
    expect(readers.map((f) => relative(ROOT, f))).toEqual(['model/config.ts']);
  });
});
