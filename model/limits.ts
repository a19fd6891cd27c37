// Caps on text the harness records from outside itself: what a backend says
// (error messages, describe()), what its process writes (stderr), what it
// returns (shown as hex). A backend that answers with megabytes must not make
// reports of gigabytes, nor a run that dies writing them; so every such field
// is cut once, where a result is recorded, and says how much was cut.
// README ("What a backend cannot do to you") lists the same caps.

import type { Shown } from './case.ts';
import type { Finding, Frame } from './findings.ts';
import type { CaseResult } from './results.ts';

/** Each cap, in characters (UTF-16 code units) unless it counts items. */
export const CAPS = {
  /** A case's reason: an error message, or a crash headline with the last lines of stderr. */
  reason: 4096,
  /** A case's note. */
  note: 4096,
  /** A crashed or stalled child's stderr; the end is kept (glibc's abort line and sanitizer reports come last). */
  stderr: 16384,
  /** One value of a case's inputs, expected or got: twice the longest field of any pinned vector (an 8 KiB message is 16 384 hex digits). */
  value: 32768,
  /** Named values in one inputs, expected or got. */
  values: 32,
  /** A value's name. */
  valueName: 256,
  /** A memory finding's message. */
  findingMessage: 4096,
  /** Frames per finding (the innermost are kept). */
  frames: 64,
  /** A frame's function, object, file or source line. */
  frameText: 1024,
  /** describe(): name, version, and the library's SHA-256. */
  name: 256,
  /** describe(): the library path. */
  path: 4096,
  /** describe(): one note. */
  backendNote: 2048,
  /** describe(): how many notes. */
  backendNotes: 32,
} as const;

/** What a cut leaves in place of the rest. */
export function cutMarker(n: number, what = 'characters'): string {
  return `[${n} more ${what} cut]`;
}

/** Whether code unit i starts the low half of a surrogate pair (a cut there would split a character). */
function splitsPair(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff;
}

/**
 * A copy of `s` that shares no memory with the string it was cut from: V8
 * keeps the whole of a string alive for any slice or regex match of it, so a
 * few kilobytes kept from each crash's megabytes of stderr would otherwise keep
 * all of them (a thousand crashes exhausted a 4 GB heap).
 */
function detached(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

/**
 * `s` if it fits in `max` characters; otherwise its first (or, for logs, last)
 * `max` characters and a marker saying how many were cut. Either way a copy
 * that holds nothing else in memory.
 */
export function capText(s: string, max: number, keep: 'head' | 'tail' = 'head'): string {
  if (s.length <= max) return detached(s);
  if (keep === 'head') {
    const end = splitsPair(s, max) ? max - 1 : max;
    return detached(`${s.slice(0, end)}… ${cutMarker(s.length - end)}`);
  }
  const start = splitsPair(s, s.length - max) ? s.length - max + 1 : s.length - max;
  return detached(`${cutMarker(start)} …${s.slice(start)}`);
}

/** Whatever a backend put where text belongs, as text (a thrown object's `message` need not be a string). */
export function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return String(v);
  } catch {
    return `[unprintable ${typeof v}]`;
  }
}

function capValue(v: unknown): string | number | boolean {
  if (typeof v === 'boolean') return v;
  // NaN and the infinities have no JSON form: recorded as text rather than as null.
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  return capText(asText(v), CAPS.value);
}

/** Named values (inputs, expected, got): at most CAPS.values of them, each cut to CAPS.value. */
export function capShown(shown: Shown): Shown {
  const entries = Object.entries(shown);
  const out: Shown = {};
  for (const [k, v] of entries.slice(0, CAPS.values)) out[capText(k, CAPS.valueName)] = capValue(v);
  if (entries.length > CAPS.values) out['…'] = cutMarker(entries.length - CAPS.values, 'values');
  return out;
}

function capFrame(f: Frame): Frame {
  const out: Frame = { fn: capText(asText(f.fn), CAPS.frameText) };
  if (f.obj !== undefined) out.obj = capText(asText(f.obj), CAPS.frameText);
  if (f.file !== undefined) out.file = capText(asText(f.file), CAPS.frameText);
  if (f.line !== undefined) out.line = f.line;
  if (f.source !== undefined) out.source = capText(asText(f.source), CAPS.frameText);
  return out;
}

/** A finding with its message and frames cut to size (frames are parsed from stderr a backend writes). */
export function capFinding(f: Finding): Finding {
  const frames = f.frames.slice(0, CAPS.frames).map(capFrame);
  if (f.frames.length > CAPS.frames) frames.push({ fn: cutMarker(f.frames.length - CAPS.frames, 'frames') });
  return { ...f, message: capText(asText(f.message), CAPS.findingMessage), frames };
}

/** The fields of a case result that carry text from outside the harness. */
export type CaseText = Partial<Pick<CaseResult, 'reason' | 'note' | 'inputs' | 'expected' | 'got' | 'crash' | 'findings'>>;

/** A recorded result with every outside text field cut to its cap (see CAPS). */
export function capCaseText<T extends CaseText>(r: T): T {
  const out: T = { ...r };
  if (r.reason !== undefined) out.reason = capText(asText(r.reason), CAPS.reason);
  if (r.note !== undefined) out.note = capText(asText(r.note), CAPS.note);
  if (r.inputs) out.inputs = capShown(r.inputs);
  if (r.expected) out.expected = capShown(r.expected);
  if (r.got) out.got = capShown(r.got);
  if (r.crash) out.crash = { ...r.crash, stderr: capText(asText(r.crash.stderr), CAPS.stderr, 'tail') };
  if (r.findings) out.findings = r.findings.map(capFinding);
  return out;
}
