// What a memory checker, a sanitizer, glibc or a crash left behind, tied to a
// case: the kind of fault, the tool's message and the stack (innermost first).

export type FindingKind =
  | 'invalid-free'
  | 'double-free'
  | 'mismatched-free'
  | 'leak'
  | 'invalid-read'
  | 'invalid-write'
  | 'uninitialised'
  | 'use-after-free'
  | 'heap-overflow'
  /** Constant-time host: a conditional jump or move on a secret-derived value. */
  | 'secret-branch'
  /** Constant-time host: a secret-derived value used as a memory address (a table index). */
  | 'secret-index'
  | 'abort'
  | 'other';

export interface Frame {
  fn: string;
  obj?: string;
  file?: string;
  line?: number;
  /** The text of that source line, read when the run happened (reports never read the disk). */
  source?: string;
}

export interface Finding {
  tool: 'valgrind' | 'asan' | 'glibc' | 'signal';
  kind: FindingKind;
  message: string;
  frames: Frame[];
}

/** Findings of the constant-time host: a secret steered a branch or an address. */
export const TIMING_KINDS: readonly FindingKind[] = ['secret-branch', 'secret-index'];

export function isTimingKind(kind: string): boolean {
  return (TIMING_KINDS as readonly string[]).includes(kind);
}
