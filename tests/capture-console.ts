// The CLI's console output, captured for a test file that calls main() in
// this process: every console.log / console.error line, and stderr silenced.

import { afterEach, beforeEach, vi } from 'vitest';

/** Registers the capture around each test; `lines` is emptied before each one and by `clear()`. */
export function captureConsole(): { lines: string[]; clear(): void; text(): string } {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());
  return { lines, clear: () => void (lines.length = 0), text: () => lines.join('\n') };
}
