// `--host asan`: the child host with gcc's AddressSanitizer runtime preloaded
// and the backend's native library built with -fsanitize=address.
//
// halt_on_error=1 (decided): neither gcc's nor rustc's ASan build is compiled
// with -fsanitize-recover=address, so every report ends the process anyway;
// asking for it makes that explicit. The child host reports the death as a
// CrashError with the child's stderr; this module parses the ASan report out
// of that stderr into Findings and attaches them to the error, and the runner
// copies them onto the crashed case. Leaks are valgrind's job (detect_leaks=0:
// node's own allocations would drown them, and LSan misses allocations made
// under koffi's stack anyway, unless fast_unwind_on_malloc=0, about 15x slower).

import { execFileSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, DsaApi, KemApi } from '../../model/contract.ts';
import { CrashError } from '../../model/errors.ts';
import type { Finding, FindingKind, Frame } from '../../model/results.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from '../../backends/modulewrapper/client.ts';
import { openChildBackend } from './child.ts';
import { openOwnProcess, type BackendSpec } from '../../backends/registry.ts';
import { env } from '../../model/config.ts';
import { PACKAGE_ROOT, packagePath } from '../../model/package.ts';


/** The exit code ASan uses for a report (ASAN_OPTIONS exitcode). */
export const ASAN_EXIT_CODE = 86;
export const ASAN_OPTIONS = `detect_leaks=0:exitcode=${ASAN_EXIT_CODE}:abort_on_error=0:halt_on_error=1:symbolize=1:print_summary=1`;
/** Per-call timeouts are scaled by this (~3x slower than native, plus headroom). */
export const ASAN_TIMEOUT_SCALE = 4;

// ---------------------------------------------------------------------------
// Report parsing

const HEADER = /^==(\d+)==ERROR: (AddressSanitizer|LeakSanitizer): (.*)$/;
const FRAME = /^\s*#(\d+) (0x[0-9a-f]+)(?: in (.+?))?(?:\s+\(([^()]+)\))?\s*$/;
/** Allocator entry points: an auxiliary stack is named by the first frame past them. */
export const ALLOCATOR_FN = /^(__interceptor_|__interceptor_trampoline_|___interceptor_)?(malloc|calloc|realloc|free|operator new|operator delete|_Znwm|_ZdlPv|__libc_)/;

function splitLocation(rest: string): { fn: string; file?: string; line?: number; obj?: string } {
  // "fn /path/file.c:67" | "fn /path/file.c:67:5" | "fn" ; object in parentheses handled by the caller
  const m = /^(.*) (\S+?):(\d+)(?::\d+)?$/.exec(rest);
  if (m) return { fn: m[1]!, file: m[2]!, line: Number(m[3]) };
  return { fn: rest };
}

export function parseAsanFrame(line: string): Frame | null {
  const m = FRAME.exec(line);
  if (!m) return null;
  const [, , ip, rest, obj] = m;
  if (!rest) return { fn: ip!, ...(obj ? { obj: obj.replace(/\+0x[0-9a-f]+$/, '') } : {}) };
  const loc = splitLocation(rest);
  const f: Frame = { fn: loc.fn };
  if (obj) f.obj = obj.replace(/\+0x[0-9a-f]+$/, '');
  if (loc.file) f.file = loc.file;
  if (loc.line !== undefined) f.line = loc.line;
  return f;
}

export function classifyAsan(headline: string, access?: string): FindingKind {
  const h = headline.toLowerCase();
  if (h.startsWith('heap-use-after-free')) return 'use-after-free';
  if (h.startsWith('attempting double-free')) return 'double-free';
  if (h.startsWith('attempting free on address which was not malloc')) return 'invalid-free';
  if (h.startsWith('bad-free')) return 'invalid-free';
  if (h.startsWith('alloc-dealloc-mismatch') || h.startsWith('new-delete-type-mismatch')) return 'mismatched-free';
  if (h.startsWith('heap-buffer-overflow')) return 'heap-overflow';
  if (h.includes('memory leak') || h.startsWith('detected memory leaks')) return 'leak';
  if (/buffer-overflow|buffer-underflow|use-after-return|use-after-scope|segv|wild/.test(h)) {
    return access === 'WRITE' ? 'invalid-write' : 'invalid-read';
  }
  return 'other';
}

/**
 * Every ASan/LSan report in a stream of stderr text. A report runs from its
 * `==PID==ERROR:` line to the next `==PID==ABORTING` / `SUMMARY:` / next report.
 */
export function parseAsanReports(stderr: string): Finding[] {
  const lines = stderr.split(/\r?\n/);
  const out: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const h = HEADER.exec(lines[i]!);
    if (!h) continue;
    const headline = h[3]!;
    const frames: Frame[] = [];
    const extra: string[] = [];
    let access: string | undefined;
    let stack = 0; // 0 before the first stack, 1 in it, 2 after it
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (HEADER.test(l) || /^==\d+==ABORTING/.test(l) || l.startsWith('SUMMARY: ')) break;
      const acc = /^(READ|WRITE) of size (\d+)/.exec(l);
      if (acc && !access) {
        access = acc[1];
        extra.push(`${acc[1]} of size ${acc[2]}`);
        continue;
      }
      const f = parseAsanFrame(l);
      if (f) {
        if (stack === 0) stack = 1;
        if (stack === 1) frames.push(f);
        else if (extra.length && !extra[extra.length - 1]!.includes(' at ') && !ALLOCATOR_FN.test(f.fn)) {
          // top frame of an auxiliary stack (freed by / allocated by / previously allocated)
          extra[extra.length - 1] += ` at ${f.fn}${f.file ? ` (${f.file}:${f.line})` : ''}`;
        }
        continue;
      }
      if (stack === 1 && l.trim() === '') {
        stack = 2;
        continue;
      }
      if (stack === 2 && /is located|freed by thread|allocated by thread|previously allocated/.test(l)) extra.push(l.trim().replace(/:$/, ''));
    }
    const summary = lines[j]?.startsWith('SUMMARY: ') ? lines[j] : undefined;
    const kind = classifyAsan(headline, access);
    const msg = [`${h[2]}: ${headline.replace(/ on address 0x[0-9a-f]+.*$/, '').replace(/: 0x[0-9a-f]+ in thread.*$/, '').replace(/ on 0x[0-9a-f]+ in thread.*$/, '')}`, ...extra];
    if (summary) msg.push(summary.slice('SUMMARY: '.length));
    out.push({ tool: 'asan', kind, message: msg.join('; '), frames: frames.slice(0, 24) });
    i = j - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Environment

export function asanRuntime(): string {
  const p = execFileSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
  if (!p.startsWith('/') || !existsSync(p)) throw new Error(`asan host: gcc does not know libasan.so (got ${JSON.stringify(p)}); install gcc's libasan (Debian: libasan8, comes with gcc-12)`);
  return p;
}

export const ASAN_TARGET_DIR = packagePath('target/asan');
export const ASAN_RUST_LIB = join(ASAN_TARGET_DIR, 'x86_64-unknown-linux-gnu/release/libpqc_native.so');

function newestUnder(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestUnder(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function asanRustLibStale(): boolean {
  if (!existsSync(ASAN_RUST_LIB)) return true;
  const lib = statSync(ASAN_RUST_LIB).mtimeMs;
  const inputs = [packagePath('native/Cargo.toml'), packagePath('Cargo.toml'), packagePath('Cargo.lock')].filter(existsSync).map((p) => statSync(p).mtimeMs);
  return Math.max(newestUnder(packagePath('native/src')), ...inputs) > lib;
}

/**
 * The ASan build of native/ (`pqc-harness setup --asan`, or `npm run setup -- --asan` in a checkout
 * builds it; a run never starts a compiler). PQC_RUST_ASAN_LIB names another one.
 */
export function asanRustLib(): string {
  const given = env('PQC_RUST_ASAN_LIB');
  if (given) return given;
  if (!existsSync(ASAN_RUST_LIB)) throw new Error(`asan host: the AddressSanitizer build of native/ is missing (${ASAN_RUST_LIB}): run \`npx pqc-harness setup --asan\` (\`npm run setup -- --asan\` in a checkout; about 2 minutes)`);
  if (asanRustLibStale()) throw new Error(`asan host: the AddressSanitizer build of native/ is older than its sources: run \`npx pqc-harness setup --asan\` (\`npm run setup -- --asan\` in a checkout) to rebuild it`);
  return ASAN_RUST_LIB;
}

/** Environment that makes a child an ASan child; `lib` overrides the backend's library. */
export function asanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { LD_PRELOAD: asanRuntime(), ASAN_OPTIONS, ...extra };
}

// ---------------------------------------------------------------------------
// The host

/** Wrap every kem/dsa method: a CrashError gets the ASan findings parsed from its stderr. */
export function attachCrashFindings(b: Backend, parse: (stderr: string) => Finding[] = parseAsanReports): Backend {
  const wrap = <T extends object>(api: T | undefined): T | undefined => {
    if (!api) return undefined;
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(api)) {
      o[k] = typeof v !== 'function'
        ? v
        : async (...args: unknown[]) => {
            try {
              return await (v as (...a: unknown[]) => Promise<unknown>).apply(api, args);
            } catch (e) {
              if (e instanceof CrashError && !e.findings?.length) e.findings = parse(e.stderr);
              throw e;
            }
          };
    }
    return o as T;
  };
  const kem = wrap<KemApi>(b.kem);
  const dsa = wrap<DsaApi>(b.dsa);
  return { ...b, ...(kem ? { kem } : {}), ...(dsa ? { dsa } : {}) };
}

export interface AsanHostOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  liboqs?: string;
}

export async function openAsanBackend(spec: BackendSpec, opts: AsanHostOptions = {}): Promise<Backend> {
  const extra: Record<string, string> = { ...opts.env };
  if (spec.kind.name === 'rust' && !extra['PQC_RUST_LIB']) extra['PQC_RUST_LIB'] = asanRustLib();
  if (opts.liboqs) extra['PQC_LIBOQS'] = opts.liboqs;
  // PYTHONMALLOC=malloc: a CPython wrapper's objects come from malloc, so ASan can say which block a bad pointer is in.
  const wrapper = { env: { PYTHONMALLOC: 'malloc', ...asanEnv(extra) }, timeoutMs: (opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS) * ASAN_TIMEOUT_SCALE, startupTimeoutMs: 120_000 };
  // A wrapper program that is its own process gets the runtime preloaded itself.
  const inner = spec.kind.ownProcess ? await openOwnProcess(spec, wrapper) : await openChildBackend(spec.text, wrapper);
  const instrumented = extra['PQC_RUST_LIB'] ?? extra['PQC_FAULT_LIB'];
  const notes = [
    `AddressSanitizer: gcc's runtime preloaded, ASAN_OPTIONS=${ASAN_OPTIONS}`,
    instrumented ? `instrumented library: ${instrumented.replace(`${PACKAGE_ROOT}/`, '')}` : 'library not built with ASan: only bad frees are caught (overflows need an instrumented build)',
  ];
  const hosted = attachCrashFindings(inner);
  return {
    ...hosted,
    describe: () => {
      const info = inner.describe();
      return { ...info, notes: [...(info.notes ?? []), ...notes] };
    },
  };
}
