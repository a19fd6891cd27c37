// Shared text helpers for the report views: escaping for XML and HTML,
// shortening hex, ordering ids, durations and dates, plain-text tables, JSON
// inside a script element.
// (Sanitising untrusted text: model/text.ts.)

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

/**
 * JSON for a `<script type="application/json">` element: `<` escaped so no
 * string in the data can close the element, U+2028/U+2029 escaped for readers
 * that evaluate it as JavaScript.
 */
export function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
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

/** A duration in ms with a unit that keeps it short: 3.20 ms, 45 ms, 1.25 s, 2.5 min. */
export function fmtMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** A duration in ms as seconds with a fixed number of decimals, for columns: `12.35 s`. */
export function fmtSeconds(ms: number, digits = 2): string {
  return `${(ms / 1e3).toFixed(digits)} s`;
}

/** µs with a unit that keeps 3-4 significant digits: 12.3 µs, 1.23 ms. */
export function fmtUs(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e4) return `${(us / 1e3).toFixed(1)} ms`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(2)} ms`;
  if (us >= 100) return `${us.toFixed(0)} µs`;
  if (us >= 10) return `${us.toFixed(1)} µs`;
  return `${us.toFixed(2)} µs`;
}

/** Operations per second, rounded to what a reader compares: 52k, 1687, 4.5. */
export function fmtRate(opsPerSec: number): string {
  if (opsPerSec >= 1e4) return `${Math.round(opsPerSec / 1e3)}k`;
  if (opsPerSec >= 100) return String(Math.round(opsPerSec));
  return opsPerSec.toFixed(1);
}

/** An ISO time as `2026-11-29 10:00:00 UTC`; text that is not a date is returned as it is. */
export function fmtDate(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A plain-text table for the console: the first `leftCols` columns left-aligned, the rest right-aligned. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[], leftCols: number): string {
  const width = head.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < leftCols ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ').trimEnd();
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
