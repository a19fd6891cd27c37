// What a crashed process left on stderr, turned into findings on the case it
// was serving: glibc's malloc-check line before abort(), an uncaught Rust panic
// across the FFI boundary, or a fatal signal with the calling language's stack
// (Python faulthandler / traceback, Node). Hosts and the runner call this when
// the crash happens; the source line of the innermost language frame is read
// then too (captureSources), so reports never read the disk.
//
// Signatures measured on this machine class (glibc 2.36, CPython 3.11): the
// seed's ctypes bug aborts with `munmap_chunk(): invalid pointer` (SIGABRT) on
// every JSON call, and faulthandler's stack ends in the bridge's free call.

import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { Finding, FindingKind, Frame } from '../../model/findings.ts';
import { PANIC_UNWIND } from '../../model/diagnoses.ts';

/** glibc's malloc checks: the line it prints before abort(), and what it means. */
export const GLIBC_ABORTS: readonly { re: RegExp; kind: FindingKind; meaning: string }[] = [
  { re: /munmap_chunk\(\): invalid pointer/, kind: 'invalid-free', meaning: 'free() of a pointer malloc never returned (its header looked like an mmapped chunk)' },
  { re: /free\(\): invalid pointer/, kind: 'invalid-free', meaning: 'free() of a pointer malloc never returned' },
  { re: /free\(\): invalid size/, kind: 'invalid-free', meaning: 'free() of a pointer whose chunk header is not a valid size (not a malloc result, or a corrupted header)' },
  { re: /free\(\): unaligned chunk detected in tcache 2|free\(\): unaligned chunk/, kind: 'invalid-free', meaning: 'free() of a misaligned pointer (not a malloc result)' },
  { re: /realloc\(\): invalid (?:pointer|old size)/, kind: 'invalid-free', meaning: 'realloc() of a pointer malloc never returned' },
  { re: /free\(\): double free detected in tcache 2/, kind: 'double-free', meaning: 'the same pointer freed twice' },
  { re: /double free or corruption \((?:fasttop|out|top|!prev)\)/, kind: 'double-free', meaning: 'a pointer freed twice (or a free of memory whose neighbouring chunk is corrupted)' },
  { re: /free\(\): invalid next size \((?:fast|normal)\)/, kind: 'heap-overflow', meaning: 'the next chunk\'s header was overwritten: a write past the end of a heap buffer' },
  { re: /corrupted size vs\. prev_size(?: while consolidating)?/, kind: 'heap-overflow', meaning: 'heap chunk headers disagree: a write past the end of a heap buffer (or after free)' },
  { re: /corrupted double-linked list/, kind: 'heap-overflow', meaning: 'heap free-list pointers overwritten: a write past a buffer or after free' },
  { re: /malloc\(\): (?:corrupted top size|invalid size \(unsorted\)|unaligned tcache chunk detected|mismatching next->prev_size \(unsorted\)|smallbin double linked list corrupted)/, kind: 'heap-overflow', meaning: 'malloc found its metadata overwritten: an earlier write past a buffer or after free' },
  { re: /malloc_consolidate\(\): (?:invalid chunk size|unaligned fastbin chunk detected)/, kind: 'heap-overflow', meaning: 'malloc found its metadata overwritten' },
];

const PANIC_AT = /thread '([^']*)' panicked at (?:'([^\n]*)', )?([^\s:]+:\d+(?::\d+)?)(?::\n([^\n]*))?/;

/** Python faulthandler (`File "f", line N in fn`, innermost first) or traceback (`File "f", line N, in fn`, innermost last). */
function pythonFrames(stderr: string): Frame[] {
  const fault = [...stderr.matchAll(/^\s+File "([^"]+)", line (\d+) in (\S+)/gm)];
  if (fault.length) return fault.map((m) => ({ fn: m[3]!, file: m[1]!, line: Number(m[2]) }));
  const tb = [...stderr.matchAll(/^\s+File "([^"]+)", line (\d+), in (\S+)/gm)];
  return tb.reverse().map((m) => ({ fn: m[3]!, file: m[1]!, line: Number(m[2]) }));
}

/** Node: JS `at fn (file:line:col)` lines, or the native `----- Native stack trace -----` of a fatal error. */
function nodeFrames(stderr: string): Frame[] {
  const js = [...stderr.matchAll(/^\s+at (?:(.+?) \()?((?:file:\/\/|\/|node:)[^\s()]*?):(\d+):\d+\)?$/gm)];
  if (js.length) return js.map((m) => ({ fn: m[1] ?? '<anonymous>', file: m[2]!.replace(/^file:\/\//, ''), line: Number(m[3]) }));
  return [...stderr.matchAll(/^\s*\d+: 0x[0-9a-f]+ (.+)$/gm)].map((m) => ({ fn: m[1]!.trim() }));
}

/** RUST_BACKTRACE frames: `  N: symbol` then `at file:line:col`. */
function rustFrames(stderr: string): Frame[] {
  const out: Frame[] = [];
  for (const m of stderr.matchAll(/^\s*\d+: ([^\n]+)(?:\n\s+at ([^\n]+?):(\d+)(?::\d+)?)?$/gm)) {
    if (/^0x[0-9a-f]+ /.test(m[1]!)) continue; // Node's native stack, not Rust's
    const f: Frame = { fn: m[1]!.trim() };
    if (m[2]) {
      f.file = m[2];
      f.line = Number(m[3]);
    }
    out.push(f);
  }
  // Skip the panic machinery: the first frame worth reading is the user's.
  const i = out.findIndex((f) => !/^(?:std::|core::|rust_begin_unwind|__rust|_?rust_panic|<alloc::boxed::Box<F)/.test(f.fn));
  return i > 0 ? out.slice(i) : out;
}

function languageFrames(stderr: string): Frame[] {
  const py = pythonFrames(stderr);
  return py.length ? py : nodeFrames(stderr);
}

const FATAL_SIGNALS: Record<string, string> = {
  SIGSEGV: 'segmentation fault (invalid memory access)',
  SIGBUS: 'bus error (invalid memory access)',
  SIGILL: 'illegal instruction',
  SIGFPE: 'arithmetic exception',
  SIGABRT: 'abort()',
};

/**
 * Findings in a crashed child's stderr: glibc's malloc-check line (tool
 * `glibc`), an uncaught Rust panic across the FFI boundary, or a fatal signal
 * with a language stack (tool `signal`). The frames are the calling language's
 * stack when one was printed (innermost first). A crash with nothing to read
 * yields none: its signal and stderr stay on the result.
 */
export function findingsFromCrash(signal: string | null, stderr: string): Finding[] {
  const text = stderr.slice(-65_536);
  const out: Finding[] = [];
  for (const g of GLIBC_ABORTS) {
    const m = g.re.exec(text);
    if (!m) continue;
    out.push({ tool: 'glibc', kind: g.kind, message: `${m[0]}: ${g.meaning}${signal ? ` (${signal})` : ''}`, frames: languageFrames(text) });
    break; // glibc prints one line, then aborts
  }
  const panic = PANIC_AT.exec(text);
  if (panic && (PANIC_UNWIND.test(text) || signal === 'SIGABRT')) {
    const msg = panic[2] ?? panic[4] ?? '';
    out.push({
      tool: 'signal',
      kind: 'abort',
      message: `Rust panic across the FFI boundary: panicked at ${panic[3]}${msg ? `: ${msg}` : ''}${PANIC_UNWIND.test(text) ? ' (panic in a function that cannot unwind)' : ''}${signal ? ` (${signal})` : ''}`,
      frames: rustFrames(text).concat(languageFrames(text)),
    });
  }
  if (!out.length && signal && FATAL_SIGNALS[signal]) {
    const frames = languageFrames(text);
    if (frames.length) out.push({ tool: 'signal', kind: 'other', message: `${signal}: ${FATAL_SIGNALS[signal]}`, frames });
  }
  return out;
}

const MAX_SOURCE_CHARS = 120;

/**
 * Evidence for the report, captured while the files are at hand: each language
 * frame (a .py / .js / .ts file) gets the text of its source line, and its path
 * relative to the working directory of the run when it lies inside it.
 */
export function captureSources(findings: Finding[], cwd = process.cwd()): Finding[] {
  const cache = new Map<string, string[] | null>();
  const lines = (file: string): string[] | null => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(file, 'utf8').split('\n'));
      } catch {
        cache.set(file, null);
      }
    }
    return cache.get(file)!;
  };
  for (const f of findings) {
    for (const fr of f.frames) {
      if (!fr.file || fr.line === undefined || !/\.(?:py|[cm]?js|[cm]?ts)$/.test(fr.file)) continue;
      const text = lines(fr.file)?.[fr.line - 1]?.trim();
      if (text) fr.source = text.length > MAX_SOURCE_CHARS ? `${text.slice(0, MAX_SOURCE_CHARS - 3)}...` : text;
      if (isAbsolute(fr.file) && !relative(cwd, fr.file).startsWith('..')) fr.file = relative(cwd, fr.file);
    }
  }
  return findings;
}
