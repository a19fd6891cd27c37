// Shared text helpers for the report views: escaping for XML and HTML,
// shortening hex, ordering ids. (Sanitising untrusted text: model/text.ts.)

import { sanitizeText } from '../model/text.ts';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes for XML or HTML text and double- or single-quoted attribute values. */
export function escapeMarkup(s: string | number | boolean): string {
  return sanitizeText(String(s)).replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

/** As escapeMarkup, but keeps newlines and tabs in attribute values (parsers normalise raw ones to spaces). */
export function escapeAttr(s: string | number | boolean): string {
  return escapeMarkup(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const HEX = /^[0-9a-fA-F]+$/;

export function isHex(s: string): boolean {
  return s.length > 0 && s.length % 2 === 0 && HEX.test(s);
}

/** `0123…cdef (N bytes)` for hex longer than `keep` characters (seeds and keys of 32 bytes stay whole); long text cut after 2·head. */
export function shortValue(v: string | number | boolean, head = 16, tail = 16, keep = 80): { text: string; shortened: boolean } {
  const s = String(v);
  if (s.length <= Math.max(keep, head + tail + 8)) return { text: s, shortened: false };
  if (isHex(s)) return { text: `${s.slice(0, head)}…${s.slice(-tail)} (${s.length / 2} bytes)`, shortened: true };
  return { text: `${s.slice(0, head * 2)}… (${s.length} chars)`, shortened: true };
}

/** Numeric-aware comparison for case ids (`…/tc2` before `…/tc10`). */
export const naturalCompare = new Intl.Collator('en', { numeric: true }).compare;
