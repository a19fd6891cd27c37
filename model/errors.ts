// Errors a host raises when the process behind a backend dies or stalls.
// The runner turns them into `crash` and `timeout` results; nothing else does.

import type { Finding } from './findings.ts';

export class CrashError extends Error {
  override name = 'CrashError';
  /** Memory findings parsed from the crash (e.g. the ASan report on stderr); the runner attaches them to the case. */
  findings?: Finding[];
  constructor(
    message: string,
    readonly signal: string | null,
    readonly exitCode: number | null,
    /** The child's stderr since the call began (glibc's abort line lives here). */
    readonly stderr: string,
  ) {
    super(message);
  }
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(message: string, readonly timeoutMs: number, readonly stderr: string) {
    super(message);
  }
}
