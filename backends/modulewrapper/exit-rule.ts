// When a wrapper process dies while serving a request: did it refuse the
// request, or did it crash? The rule (PROTOCOL.md, "Refusal by exit"):
//
//   A wrapper that does not speak the harness's error frames (no `pqc-harness`
//   entry in its getConfig) and exits with a non-zero status, not by a signal,
//   after writing a message to stderr, has REFUSED the request: Go's FIPS
//   module wrapper and BoringSSL's modulewrapper report every failed command
//   this way (`processing error: command "ML-KEM-768/encap" failed: ...`, exit 1).
//   It stays a CRASH when the process was killed by a signal, when it exits 0
//   or without a message, when the harness's error frames were available to it,
//   or when stderr shows a fault rather than a refusal: a sanitizer report,
//   glibc's malloc abort line, a Go panic, a Python traceback, a Rust panic, an
//   uncaught Java or Node exception.

export type ExitVerdict = { kind: 'refusal'; message: string } | { kind: 'crash'; why: string };

/** stderr that shows a fault, not a refusal, and what it is. */
const FAULT_SIGNS: readonly { re: RegExp; what: string }[] = [
  { re: /==\d+==ERROR: (?:AddressSanitizer|LeakSanitizer|MemorySanitizer|ThreadSanitizer)|runtime error: /, what: 'a sanitizer report' },
  { re: /munmap_chunk\(\)|free\(\): |double free or corruption|malloc\(\): |corrupted size vs\. prev_size|corrupted double-linked list|malloc_consolidate\(\)|realloc\(\): invalid/, what: "glibc's malloc abort" },
  { re: /^panic: [\s\S]*^goroutine \d+ \[/m, what: 'a Go panic' },
  { re: /^Traceback \(most recent call last\):/m, what: 'a Python traceback' },
  { re: /^Fatal Python error: /m, what: 'a fatal Python error' },
  { re: /thread '[^']*' panicked at /, what: 'a Rust panic' },
  { re: /^Exception in thread "[^"]*" /m, what: 'an uncaught Java exception' },
  { re: /^\s+at .+ \((?:file:\/\/|node:|\/)[^)]*:\d+:\d+\)$/m, what: 'an uncaught JavaScript exception' },
];

/** The refusal message a wrapper printed: its last non-empty stderr lines, bounded. */
function refusalMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const text = lines.slice(-3).join('\n');
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

export function classifyExit(e: { code: number | null; signal: string | null; stderr: string; errorFrames: boolean }): ExitVerdict {
  if (e.signal) return { kind: 'crash', why: `killed by ${e.signal}` };
  if (e.code === 0 || e.code === null) return { kind: 'crash', why: `exited with code ${e.code} while a request was pending` };
  const fault = FAULT_SIGNS.find((s) => s.re.test(e.stderr));
  if (fault) return { kind: 'crash', why: `exited with code ${e.code} after ${fault.what}` };
  if (e.errorFrames) return { kind: 'crash', why: `exited with code ${e.code}; it speaks the harness's error frames, so an exit is not a refusal` };
  const message = refusalMessage(e.stderr);
  if (!message) return { kind: 'crash', why: `exited with code ${e.code} without a message on stderr` };
  return { kind: 'refusal', message };
}
