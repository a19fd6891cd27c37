// valgrind suppression files as the report shows them: every entry carries its
// reason in the comment block just above it (native/valgrind/*.supp), so what
// memcheck hid at exit (<suppcounts>) is reported with why it was hidden.

import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface SuppressionEntry {
  name: string;
  /** The file's base name. */
  file: string;
  /** The first sentence of the last comment paragraph above the entry. */
  reason: string;
}

/**
 * The entries of one suppression file's text, each with the comment paragraph
 * nearest above it (paragraphs are separated by a blank or an empty `#` line;
 * entries in a row share the paragraph above the first).
 */
export function parseSuppressions(text: string, file: string): SuppressionEntry[] {
  const out: SuppressionEntry[] = [];
  let paragraph: string[] = [];
  let open = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const comment = line.startsWith('#') ? line.replace(/^#+\s?/, '').trim() : null;
    if (comment) {
      if (!open) paragraph = [];
      open = true;
      paragraph.push(comment);
    } else if (line === '{') {
      const name = (lines[i + 1] ?? '').trim();
      const block = paragraph.join(' ').replace(/\s+/g, ' ').trim();
      const sentence = /^(.*?[.;])(\s|$)/.exec(block)?.[1] ?? block;
      out.push({ name, file, reason: sentence || '(no reason written above the entry)' });
      while (i < lines.length && lines[i]!.trim() !== '}') i++;
      open = false;
    } else {
      open = false;
    }
  }
  return out;
}

/** Entries of every file that exists, by name. */
export function readSuppressions(files: readonly string[]): Map<string, SuppressionEntry> {
  const out = new Map<string, SuppressionEntry>();
  for (const f of files) {
    if (!existsSync(f)) continue;
    for (const e of parseSuppressions(readFileSync(f, 'utf8'), basename(f))) out.set(e.name, e);
  }
  return out;
}

/** One note per entry that matched: count, name, file and reason. */
export function suppressedNotes(counts: ReadonlyMap<string, number>, entries: ReadonlyMap<string, SuppressionEntry>): string[] {
  return [...counts]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => {
      const e = entries.get(name);
      return `suppressed ${n}× ${name}${e ? ` (${e.file}): ${e.reason}` : ''}`;
    });
}
