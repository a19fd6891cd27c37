// Text a backend controls never drives the terminal: names, versions and notes
// in `backends`, failure reasons in the gate's `new:` lines, the summary and the
// causes are printed without escape sequences or control characters.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { forTerminal } from '../model/text.ts';
import { captureOutput } from './capture-output.ts';

const ESCAPES = resolve(import.meta.dirname, 'fixtures', 'hostile', 'escapes.ts');
/** Anything but printable text, tab and newline. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const out = captureOutput();

describe('forTerminal', () => {
  it('removes CSI, OSC and other escape sequences, C0/C1 controls and bidi overrides; keeps text, tabs and newlines', () => {
    expect(forTerminal('a\x1b[31mred\x1b[0m b')).toBe('ared b');
    expect(forTerminal('x\x1b]0;title\x07y')).toBe('xy');
    expect(forTerminal('x\x1b]8;;http://e.invalid\x1b\\link\x1b]8;;\x1b\\y')).toBe('xlinky');
    expect(forTerminal('a\rb\bc\x00d\x7fe\x9b2Jf')).toBe('abcdef');
    expect(forTerminal('esc c \x1bc, lone \x1b')).toBe('esc c , lone ');
    expect(forTerminal('bidi \u202eevil\u202c \u2066x\u2069')).toBe('bidi evil x');
    // An unterminated OSC string swallows at most the rest of its line.
    expect(forTerminal('a\x1b]0;no end\nnext line')).toBe('a\nnext line');
    expect(forTerminal('tab\tnl\nünïcødé ✓ 鍵')).toBe('tab\tnl\nünïcødé ✓ 鍵');
  });
});

describe('what the console prints', () => {
  it('`backends` shows a hostile name, version and notes as plain text', async () => {
    expect(await main(['backends', '--backend', `module:${ESCAPES}`])).toBe(0);
    const text = out.text();
    expect(text).toContain('nameRED');
    expect(text).toContain('note: noteRED');
    expect(text).not.toMatch(CONTROL);
  });

  it('`run`: the summary, the causes and the gate lines carry no escape sequence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pqc-escapes-'));
    expect(await main(['run', '--backend', `module:${ESCAPES}`, '--suite', 'acvp', '--param', 'ML-KEM-512', '--out', dir])).toBe(1);
    const text = out.text();
    expect(text).toMatch(/new: module:.*escapes\.ts: .*keygen refused RED/);
    expect(text).toContain('Causes:');
    expect(text).not.toMatch(CONTROL);
  }, 60_000);
});
