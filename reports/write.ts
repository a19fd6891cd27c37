// Writes the views of a run into a directory: results.json (the source of
// truth), junit.xml and index.html; and bench.json with its chart bench.html.
// Every file (these, and the other commands' outputs) is written under a
// temporary name and renamed, so a reader never sees half a file. results.json
// is checked against its own schema first: a document `report merge` would
// reject is a harness bug, said loudly, and kept as results.invalid.json for
// the bug report instead of written as results.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBench, type Bench } from '../model/bench.ts';
import type { Results } from '../model/results.ts';
import { benchHtml } from './bench/html.ts';
import { toHtml } from './html/page.ts';
import type { HtmlOptions } from './html/view.ts';
import { assertResults } from '../model/validate.ts';
import { toJUnit } from './junit.ts';

/** Write under a temporary name, then rename: a reader never sees half a file. */
export async function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content);
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

/** The results a run or merge would write are not a valid results@1 document: a bug in the harness. */
export class InvalidResultsError extends Error {
  override name = 'InvalidResultsError';
}

/** results.json's text, checked as it will be read back (JSON drops undefined and turns NaN into null). */
async function resultsText(results: Results, outDir: string): Promise<string> {
  const text = `${JSON.stringify(results, null, 2)}\n`;
  try {
    assertResults(JSON.parse(text), 'results');
  } catch (e) {
    const kept = join(outDir, 'results.invalid.json');
    await writeAtomic(kept, text);
    throw new InvalidResultsError(`harness bug: refusing to write results.json that its own schema rejects (kept as ${kept}; please report it):\n${(e as Error).message}`);
  }
  return text;
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
  await writeAtomic(json, await resultsText(results, outDir));
  await writeAtomic(junit, toJUnit(results));
  await writeAtomic(html, toHtml(results, htmlOptions));
  return { json, junit, html };
}

/** Writes DIR/bench.json and DIR/bench.html. */
export async function writeBench(b: Bench, outDir: string): Promise<{ json: string; html: string }> {
  await mkdir(outDir, { recursive: true });
  const json = join(outDir, 'bench.json');
  const html = join(outDir, 'bench.html');
  await writeAtomic(json, `${JSON.stringify(b, null, 2)}\n`);
  await writeAtomic(html, benchHtml(b));
  return { json, html };
}
