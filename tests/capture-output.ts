// What main() prints, captured for the tests of one file: console.log and
// console.error lines, and (when asked) what goes to process.stderr, such as
// progress lines. Registers its own beforeEach/afterEach.

import { afterEach, beforeEach, vi } from 'vitest';

export interface Output {
  /** Everything captured since the last clear, one entry per call (one array: clear empties it). */
  readonly lines: string[];
  text(): string;
  clear(): void;
}

export function captureOutput(opts: { stderr?: boolean } = {}): Output {
  const out: Output = {
    lines: [],
    text: () => out.lines.join('\n'),
    clear: () => void (out.lines.length = 0),
  };
  beforeEach(() => {
    out.clear();
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.lines.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.lines.push(a.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      if (opts.stderr) out.lines.push(String(s));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());
  return out;
}
