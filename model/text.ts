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
