// Writes the three views of one run into a directory: results.json (the source
// of truth), junit.xml and index.html.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isBench, type Bench } from './bench.ts';
import { join } from 'node:path';
import type { Results } from './schema.ts';
import { toJUnit } from './junit.ts';
import { toHtml, type HtmlOptions } from './html.ts';

/** Write to a temporary name, then rename, so a reader never sees half a file. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/** A bench.json already in the output folder (from `pqc-harness bench --out DIR`) joins the HTML report. */
async function benchIn(outDir: string): Promise<Bench | undefined> {
  try {
    const doc: unknown = JSON.parse(await readFile(join(outDir, 'bench.json'), 'utf8'));
    return isBench(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

export async function writeReports(results: Results, outDir: string, htmlOptions: HtmlOptions = {}): Promise<{ json: string; junit: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  if (!htmlOptions.bench) {
    const bench = await benchIn(outDir);
    if (bench) htmlOptions = { ...htmlOptions, bench };
  }
  const json = join(outDir, 'results.json');
  const junit = join(outDir, 'junit.xml');
  const html = join(outDir, 'index.html');
  await writeAtomic(json, `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomic(junit, toJUnit(results));
  await writeAtomic(html, toHtml(results, htmlOptions));
  return { json, junit, html };
}
