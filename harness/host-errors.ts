// Errors a host raises when the process behind a backend dies or stalls.
// The runner turns them into `crash` and `timeout` results; nothing else does.

export class CrashError extends Error {
  override name = 'CrashError';
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
