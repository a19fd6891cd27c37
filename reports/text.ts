// Shared text helpers for the report views: escaping, sanitising untrusted
// strings (stderr, vector data), shortening hex, and grouping failures by cause.

import { FAILING, type CaseResult, type Finding } from './schema.ts';

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

/** True when the case fails the gate: a failing status or any memory finding. */
export function isGateFailure(c: CaseResult): boolean {
  return FAILING.includes(c.status) || c.findings.length > 0;
}

/** Status as the gate sees it: the case status, or `finding` for a pass/skip with findings. */
export type GateStatus = CaseResult['status'] | 'finding';
export function gateStatus(c: CaseResult): GateStatus {
  if (FAILING.includes(c.status)) return c.status;
  return c.findings.length > 0 ? 'finding' : c.status;
}

/** Strips per-run noise (addresses, pids, long hex, sizes of temporaries) so equal causes compare equal. */
export function normaliseMessage(s: string): string {
  return sanitizeText(s)
    .replace(/==\d+==/g, '==PID==')
    .replace(/0x[0-9a-fA-F]+/g, '0x…')
    .replace(/\b[0-9a-fA-F]{16,}\b/g, '<hex>')
    // Block sizes follow the data (a 2,288-byte encaps reply, a smaller decaps one): same bug.
    .replace(/\b\d[\d,]*(-byte| bytes?\b)/g, 'N$1')
    .replace(/\bsize \d[\d,]*/g, 'size N')
    // Where a finding happened (which call, a repeat) is not part of what it is.
    .replace(/; (?:during call|between calls|in process \d+ before|repeated \d+×) .*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A frame of the calling language's stack (Python faulthandler, Node), not a native one. */
function isLanguageFrame(fr: Finding['frames'][number] | undefined): boolean {
  return !!fr?.file && /\.(?:py|[cm]?js|[cm]?ts)$/.test(fr.file);
}

/**
 * How many top frames define a finding's cause. Native stacks (valgrind, ASan):
 * three. A crash seen from outside (glibc's abort line, a fatal signal) carries
 * the calling language's stack instead, whose innermost frame is the line that
 * crashed: that one line is the cause, whichever entry point led to it (82
 * tests dying at one line are one bug).
 */
function frameDepth(f: Finding): number {
  return isLanguageFrame(f.frames[0]) ? 1 : 3;
}

function frameName(fr: Finding['frames'][number], withLine: boolean): string {
  // An unsymbolised frame (`0x4a3b…`) differs per process; its object does not.
  const fn = fr.fn && !/^0x[0-9a-f]+$/i.test(fr.fn) ? fr.fn : fr.obj || fr.fn || '?';
  if (!withLine || !fr.file) return fn;
  return `${fn} (${fr.file.slice(fr.file.lastIndexOf('/') + 1)}${fr.line !== undefined ? `:${fr.line}` : ''})`;
}

function frameKey(f: Finding): string {
  const depth = frameDepth(f);
  return f.frames
    .slice(0, depth)
    .map((fr) => frameName(fr, depth === 1))
    .join(' ← ');
}

/** The first meaningful line of a crashed child's stderr (glibc's or the sanitizer's headline). */
export function stderrHeadline(stderr: string): string {
  const lines = sanitizeText(stderr.slice(0, 16_384))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^=+\d*=*$/.test(l));
  const pick = lines.find((l) => /error|abort|invalid|free|overflow|segv|signal|panic|fault/i.test(l)) ?? lines[0] ?? '';
  return normaliseMessage(pick);
}

export interface Cause {
  /** Grouping key. */
  key: string;
  /** What the cases share, in words. */
  title: string;
  kind: string;
  message: string;
  frames: string;
  cases: CaseResult[];
}

/**
 * The cause of one failing case: its first finding (kind + message + top 3 frames),
 * else its crash (signal + stderr headline), else its status and reason text.
 */
export function causeOf(c: CaseResult): Omit<Cause, 'cases'> {
  const f = c.findings[0];
  if (f) {
    const message = normaliseMessage(f.message);
    const frames = frameKey(f);
    return { key: `finding|${f.kind}|${message}|${frames}`, title: `${f.tool} ${f.kind}: ${message}`, kind: f.kind, message, frames };
  }
  if (c.crash) {
    const head = stderrHeadline(c.crash.stderr);
    const sig = c.crash.signal ?? `exit ${c.crash.exitCode ?? '?'}`;
    const message = head || normaliseMessage(c.reason ?? '');
    return { key: `crash|${c.status}|${sig}|${message}`, title: `${c.status} (${sig})${message ? `: ${message}` : ''}`, kind: c.status, message, frames: '' };
  }
  const message = normaliseMessage(c.reason ?? '(no reason given)');
  return { key: `status|${c.status}|${message}`, title: `${c.status}: ${message}`, kind: c.status, message, frames: '' };
}

/** Groups failing cases by cause, largest group first (ties by title, so the order is stable). */
export function groupCauses(cases: readonly CaseResult[]): Cause[] {
  const groups = new Map<string, Cause>();
  for (const c of cases) {
    if (!isGateFailure(c)) continue;
    const k = causeOf(c);
    let g = groups.get(k.key);
    if (!g) groups.set(k.key, (g = { ...k, cases: [] }));
    g.cases.push(c);
  }
  return [...groups.values()].sort((a, b) => b.cases.length - a.cases.length || a.title.localeCompare(b.title));
}

/** Numeric-aware comparison for case ids (`…/tc2` before `…/tc10`). */
export const naturalCompare = new Intl.Collator('en', { numeric: true }).compare;
