// Text from outside the harness (a backend's messages, a child's stderr,
// vector data) made safe to store and show: no ANSI escape sequences, nothing
// that XML 1.0 cannot carry.

/** ANSI escape sequences (colour codes in ASan / valgrind stderr). */
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
/**
 * Characters that are not XML 1.0 `Char`s: C0 controls other than tab, LF, CR;
 * lone surrogates; U+FFFE and U+FFFF. (With the `u` flag a lone surrogate is
 * one code point, so it falls outside every allowed range.)
 */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Removes ANSI colour codes and replaces characters illegal in XML 1.0 with U+FFFD. */
export function sanitizeText(s: string): string {
  return s.replace(ANSI, '').replace(NOT_XML_CHAR, '\uFFFD');
}

/**
 * What a terminal acts on rather than prints: CSI sequences (ESC [ or the 8-bit
 * CSI), string commands up to BEL or ST (OSC: window titles, hyperlinks,
 * clipboard writes; DCS, SOS, PM, APC), and any other ESC sequence.
 */
const TERMINAL_SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?/g;
/**
 * Controls left after that: C0 other than tab and newline (a carriage return or
 * backspace overwrites what was printed), DEL, C1, and the bidirectional
 * overrides and isolates that reorder what the reader sees.
 */
const TERMINAL_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as the console may print it: escape sequences and control characters
 * removed, newlines and tabs kept. Everything a backend can influence (names,
 * versions, notes, failure reasons, stderr) passes through this before it
 * reaches a terminal.
 */
export function forTerminal(s: string): string {
  return s.replace(TERMINAL_SEQUENCE, '').replace(TERMINAL_CONTROL, '');
}

/** 1000000 as "1 000 000": counts in prose and progress lines. */
export function groupDigits(n: number): string {
  return n.toLocaleString('en-US').replace(/,/g, ' ');
}
