// From failing cases to causes: cases that fail for one reason form one group
// ("82 cases, 1 cause"), and a group that matches a known FFI mistake
// (diagnoses.ts) carries its diagnosis, its fix and, for a binding bug, whether
// the library's answers were right. A view of results.json only: it reads no
// file, so the same results render the same anywhere.

import type { CaseResult, Results } from './results.ts';
import { isGateFailure } from './results.ts';
import { isTimingKind, type Finding } from './findings.ts';
import { sanitizeText } from './text.ts';
import { checkAnswers, DIAGNOSES, type AnswerCheck, type CaseGroup, type Diagnosis } from './diagnoses.ts';

/** Strips per-run noise (addresses, pids, long hex, sizes of temporaries) so equal causes compare equal. */
export function normaliseMessage(s: string): string {
  return sanitizeText(s)
    // Where a finding happened (which call, a repeat) is not part of what it is; stripped before numbers become N.
    .replace(/; (?:during call|between calls|in process \d+ before|repeated \d+×) .*$/, '')
    .replace(/==\d+==/g, '==PID==')
    .replace(/0x[0-9a-fA-F]+/g, '0x…')
    .replace(/\b[0-9a-fA-F]{16,}\b/g, '<hex>')
    // Block sizes follow the data (a 2,288-byte encaps reply, a smaller decaps one): same bug.
    .replace(/\b\d[\d,]*(-byte| bytes?\b)/g, 'N$1')
    .replace(/\bsize \d[\d,]*/g, 'size N')
    // Lengths, counts and offsets in a refusal message vary with the input, not with the refusal
    // ("got length=1090", 1092, 1119, 4, ...): one kind of refusal is one cause. Numbers inside
    // names (ML-KEM-768, SHA2-256, vgpreload_memcheck-amd64) stay.
    .replace(/(?<![\w.-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w.])/g, 'N')
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

/**
 * A frame of the C runtime, valgrind's replacement of one (memcmp, bcmp), or a
 * language's standard library (Rust's core/std sources under /rustc/): never
 * the library's own code location, only the way to it.
 */
function isRuntimeFrame(fr: Finding['frames'][number]): boolean {
  return /vgpreload_|\/libc\.so|\/ld-linux/.test(fr.obj ?? '') || (fr.file ?? '').startsWith('/rustc/');
}

/** A function name without its generic arguments (Rust and C++ monomorphised names run to hundreds of characters). */
function withoutGenerics(fn: string): string {
  let out = fn;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/<[^<>]*>/g, '');
  }
  return out;
}

/**
 * Where a timing finding is: the library's first own frame, with file:line (the
 * branch or the indexed load), and its caller (a generic comparison is only
 * located by who called it), prefixed by the runtime function it went through
 * (`bcmp in …`). The same location reached from keygen and from decaps is one
 * cause.
 */
function timingLocation(f: Finding): string {
  const i = f.frames.findIndex((fr) => !isRuntimeFrame(fr));
  if (i < 0) return f.frames[0] ? frameName(f.frames[0], true) : '?';
  const via = i > 0 ? `${withoutGenerics(frameName(f.frames[0]!, false))} in ` : '';
  // valgrind names an inlined frame it cannot name UnknownInlinedFun: a line of the same function, not a caller.
  const caller = f.frames.slice(i + 1).find((fr) => !isRuntimeFrame(fr) && fr.fn !== 'UnknownInlinedFun');
  return `${via}${[f.frames[i]!, ...(caller ? [caller] : [])].map((fr) => withoutGenerics(frameName(fr, true))).join(' ← ')}`;
}

function frameKey(f: Finding): string {
  // Timing findings (`--host ct`): one cause per code location.
  if (isTimingKind(f.kind)) return timingLocation(f);
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

export interface Cause extends CaseGroup {
  /** Grouping key. */
  key: string;
  kind: string;
  message: string;
  frames: string;
}

/**
 * The cause of one failing case: its first finding (kind + message + top 3 frames),
 * else its crash (signal + stderr headline), else its status and reason text.
 */
export function causeOf(c: CaseResult): Omit<Cause, 'cases'> {
  const f = c.findings[0];
  if (f) {
    // A timing finding is its location; what memcheck said of the value's origin varies from case to case.
    const message = normaliseMessage(isTimingKind(f.kind) ? f.message.split('; ')[0]! : f.message);
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

/** Failing cases clustered by cause, largest group first (ties by title, so the order is stable). */
function clusterByCause(cases: readonly CaseResult[]): Cause[] {
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

export interface DiagnosedCause extends Cause {
  /** Backends whose cases share this cause. */
  backends: string[];
  diagnosis?: Diagnosis;
  /** For a binding bug: whether another binding of the same library passed the same cases. */
  answers?: AnswerCheck;
}

/** Failing cases grouped by root cause, each with a diagnosis when a known FFI mistake matches. */
export function groupCauses(results: Results): DiagnosedCause[] {
  const backends = new Map(results.backends.map((b) => [b.id, b]));
  return clusterByCause(results.cases).map((cause) => {
    const out: DiagnosedCause = { ...cause, backends: [...new Set(cause.cases.map((c) => c.backend))] };
    for (const r of DIAGNOSES) {
      const evidence = r.match({ cause, backends });
      if (!evidence) continue;
      out.diagnosis = { id: r.id, title: r.title, explanation: r.explanation, fix: r.fix, bindingBug: r.bindingBug, evidence };
      if (r.bindingBug) out.answers = checkAnswers(cause, results, backends);
      break;
    }
    return out;
  });
}
