// `--host valgrind`: the child host (node + child-main.ts + the backend) runs
// under memcheck. Every process writes its own XML file (`--xml-file=DIR/vg.%p.xml`,
// so a respawn after a crash starts a new file); the child brackets each served
// command with VALGRIND_PRINTF markers from the vgmark shim (PQC_VG_MARK), and
// this side reads the files incrementally after each case (drainFindings) and
// ties each error to the command in flight. Leaks are reported when a process
// exits, so they belong to the backend (exitFindings), not to a case.

import { mkdtempSync, readdirSync, rmSync, openSync, readSync, closeSync, fstatSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import type { Backend } from '../../model/contract.ts';
import type { Finding } from '../../model/results.ts';
import { DEFAULT_CALL_TIMEOUT_MS, type ProcessBackend } from '../../backends/modulewrapper/client.ts';
import { bundledChild } from './bundle.ts';
import { openChildBackend, type ChildBackendOptions } from './child.ts';
import { openOwnProcess, type BackendSpec } from '../../backends/registry.ts';
import { env } from '../../model/config.ts';
import { PACKAGE_ROOT, packagePath } from '../../model/package.ts';
import { ValgrindXmlParser, isLeak, toFinding, toFrame, type VgRecord } from './valgrind-xml.ts';
import { readSuppressions, suppressedNotes } from './suppressions.ts';

export const VGMARK_LIB = packagePath('build/shim/libvgmark.so');
export const SUPPRESSION_DIR = packagePath('native/valgrind');
/** Suppression files always passed (each entry documents why it is noise). */
export const DEFAULT_SUPPRESSIONS = ['node.supp', 'koffi.supp', 'python.supp'].map((f) => join(SUPPRESSION_DIR, f));

/** node -e 0 takes ~11 s under memcheck; tsx + koffi + the backend more. */
export const VALGRIND_STARTUP_TIMEOUT_MS = 180_000;
/** Per-call timeouts are scaled by this (memcheck runs native code ~20-50x slower). */
export const VALGRIND_TIMEOUT_SCALE = 20;
/** How long close() lets the child exit (the leak scan runs then) before SIGKILL. */
export const VALGRIND_EXIT_GRACE_MS = 120_000;

/** What memcheck looks for: leaks at exit (the valgrind host), or origins of undefined values (the ct host). */
export interface MemcheckMode {
  leaks: boolean;
  /** --track-origins=yes: every uninitialised-value report names where the value came from. */
  origins: boolean;
}
export const MEMCHECK: MemcheckMode = { leaks: true, origins: false };

export function valgrindArgs(xmlFile: string, suppressions: readonly string[] = DEFAULT_SUPPRESSIONS, mode: MemcheckMode = MEMCHECK): string[] {
  return [
    'valgrind',
    '--tool=memcheck',
    '--xml=yes',
    `--xml-file=${xmlFile}`,
    '--keep-debuginfo=yes',
    '--error-exitcode=99',
    '--smc-check=all-non-file',
    ...(mode.leaks ? ['--leak-check=full', '--show-leak-kinds=definite', '--errors-for-leak-kinds=definite'] : ['--leak-check=no']),
    // Past 1000 distinct errors memcheck stops reporting: a long run must not go quiet.
    ...(mode.origins ? ['--track-origins=yes', '--error-limit=no'] : []),
    '--num-callers=40',
    ...suppressions.filter((s) => existsSync(s)).map((s) => `--suppressions=${s}`),
  ];
}

interface FileState {
  offset: number;
  decoder: StringDecoder;
  parser: ValgrindXmlParser;
  /** The command being served, between its begin and end markers. */
  current: { seq: number; command: string } | null;
  /** The valgrind'd process (from the file name vg.PID.xml). */
  pid: string;
  /** Last finished command (an error after it and before the next begin is "between calls"). */
  last: { seq: number; command: string } | null;
  /** memcheck's error count at the previous end marker (duplicates included). */
  countAtLastEnd: number;
  /** Distinct error records written since the previous end marker. */
  recordsSinceEnd: number;
  /** The most recent distinct error record, for attributing repeats. */
  lastError: Finding | null;
  /** Secret inputs the constant-time host marked in the current call (`pqc-ct-secret NAME N`). */
  secrets: string[];
}

const BEGIN = /^pqc-vg-begin (\d+) (.*)$/;
const END = /^pqc-vg-end (\d+) (\S+)/;
const SECRET = /^pqc-ct-secret (\S+) (\d+)$/;

/** Where an error happened: the call, and the secrets the constant-time host marked in it. */
function duringCall(call: { seq: number; command: string }, secrets: readonly string[]): string {
  return `during call #${call.seq} ${call.command}${secrets.length ? ` with secret inputs ${secrets.join(', ')}` : ''}`;
}

/**
 * Reads every `vg.*.xml` in a directory as the files grow, and sorts what it finds
 * into per-call findings and exit (leak) findings.
 */
export class ValgrindCollector {
  private files = new Map<string, FileState>();
  private pendingCalls: Finding[] = [];
  private pendingExit: Finding[] = [];
  /** Every marker pair seen (a sanity check for tests: attribution really ran). */
  markers = 0;
  /** Errors the suppression files hid, by entry name, summed over every process that exited. */
  readonly suppressed = new Map<string, number>();

  constructor(readonly dir: string) {}

  /** Read whatever the XML files gained since the last poll. */
  poll(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.xml')).sort();
    } catch {
      return;
    }
    for (const name of names) {
      let st = this.files.get(name);
      if (!st) {
        st = {
          pid: /^vg\.(\d+)\.xml$/.exec(name)?.[1] ?? name,
          offset: 0,
          decoder: new StringDecoder('utf8'),
          parser: new ValgrindXmlParser(),
          current: null,
          last: null,
          countAtLastEnd: 0,
          recordsSinceEnd: 0,
          lastError: null,
          secrets: [],
        };
        this.files.set(name, st);
      }
      const fd = openSync(join(this.dir, name), 'r');
      try {
        const size = fstatSync(fd).size;
        if (size <= st.offset) continue;
        const buf = Buffer.alloc(size - st.offset);
        const n = readSync(fd, buf, 0, buf.length, st.offset);
        st.offset += n;
        // StringDecoder keeps a UTF-8 sequence split across reads for the next one.
        for (const r of st.parser.push(st.decoder.write(buf.subarray(0, n)))) this.take(st, r);
      } finally {
        closeSync(fd);
      }
    }
  }

  private take(st: FileState, r: VgRecord): void {
    if (r.type === 'clientmsg') {
      const text = r.text.trim();
      let m = BEGIN.exec(text);
      if (m) {
        st.current = { seq: Number(m[1]), command: m[2]! };
        st.secrets = [];
        return;
      }
      m = SECRET.exec(text);
      if (m) {
        st.secrets.push(`${m[1]} (${m[2]} bytes)`);
        return;
      }
      m = END.exec(text);
      if (m) {
        this.markers++;
        const call = st.current ?? { seq: Number(m[1]), command: m[2]! };
        // memcheck writes an identical error once and only counts its repeats: a call
        // whose count grew by more than the records it produced repeated an earlier error.
        const count = Number(/errors=(\d+)/.exec(text)?.[1] ?? st.countAtLastEnd);
        const repeats = count - st.countAtLastEnd - st.recordsSinceEnd;
        if (repeats > 0 && st.lastError) {
          const what = st.lastError.message.replace(/; (during call|between calls|in process) .*$/, '');
          this.pendingCalls.push({
            ...st.lastError,
            message: `${what}; repeated ${repeats}× ${duringCall(call, st.secrets)} (memcheck reports identical errors once; this is the most recent distinct one)`,
          });
        }
        st.countAtLastEnd = count;
        st.recordsSinceEnd = 0;
        st.last = call;
        st.current = null;
      }
      return;
    }
    if (r.type === 'suppcounts') {
      for (const { name, count } of r.counts) this.suppressed.set(name, (this.suppressed.get(name) ?? 0) + count);
      return;
    }
    if (r.type === 'fatal_signal') {
      const ctx = st.current ? `during call #${st.current.seq} ${st.current.command}` : 'outside any call';
      this.pendingCalls.push({ tool: 'valgrind', kind: 'other', message: `process terminated by ${r.signame}; ${ctx}`, frames: r.stack.slice(0, 24).map(toFrame) });
      return;
    }
    const e = r.error;
    if (isLeak(e)) {
      this.pendingExit.push(toFinding(e, 'reported when the child process exited'));
      return;
    }
    const ctx = st.current
      ? duringCall(st.current, st.secrets)
      : st.last
        ? `between calls (after #${st.last.seq} ${st.last.command})`
        : `in process ${st.pid} before its first call (start-up)`;
    const f = toFinding(e, ctx, !!st.current && st.secrets.length > 0);
    st.recordsSinceEnd++;
    st.lastError = f;
    this.pendingCalls.push(f);
  }

  /** Findings from calls since the last drain (leaks excluded: see drainExit). */
  drainCalls(): Finding[] {
    this.poll();
    const out = this.pendingCalls;
    this.pendingCalls = [];
    return out;
  }

  /** Leak records (valgrind writes them as a process exits). */
  drainExit(): Finding[] {
    this.poll();
    const out = this.pendingExit;
    this.pendingExit = [];
    return out;
  }
}

export interface ValgrindHostOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  suppressions?: string[];
  /** Keep the XML files (default: removed on close unless PQC_KEEP_VG_XML is set). */
  keepXml?: boolean;
  /** Default MEMCHECK (leaks at exit); the ct host asks for origins instead. */
  mode?: MemcheckMode;
  /** What describe() says the host is (default: memcheck with XML findings). */
  note?: string;
  /** Flags for the child's node (not for a backend that is its own process). */
  nodeFlags?: string[];
  /** Default VALGRIND_STARTUP_TIMEOUT_MS. */
  startupTimeoutMs?: number;
}

export interface ValgrindBackend extends Backend {
  readonly collector: ValgrindCollector;
  drainFindings(): Promise<Finding[]>;
  exitFindings(): Promise<Finding[]>;
  exitNotes(): Promise<string[]>;
}

export function valgrindAvailable(): string | null {
  if (!existsSync(VGMARK_LIB)) return `${VGMARK_LIB} is missing: run \`npx pqc-harness setup\` (\`npm run setup\` in a checkout; it builds native/shim/vgmark.c)`;
  return null;
}

export async function openValgrindBackend(spec: BackendSpec, opts: ValgrindHostOptions & Pick<ChildBackendOptions, 'liboqs'> = {}): Promise<ValgrindBackend> {
  const missing = valgrindAvailable();
  if (missing) throw new Error(`valgrind host: ${missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'pqc-vg-'));
  const collector = new ValgrindCollector(dir);
  const suppressions = opts.suppressions ?? DEFAULT_SUPPRESSIONS;
  const base = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  let inner: ProcessBackend;
  const common = {
    wrap: valgrindArgs(join(dir, 'vg.%p.xml'), suppressions, opts.mode),
    // PYTHONMALLOC=malloc: a CPython backend's allocations become visible to memcheck (pymalloc arenas are noise).
    // NODE_V8_COVERAGE off (empty): V8's coverage bookkeeping under memcheck would only slow the child down.
    env: { PYTHONMALLOC: 'malloc', NODE_V8_COVERAGE: '', ...opts.env, PQC_VG_MARK: VGMARK_LIB, ...(opts.liboqs ? { PQC_LIBOQS: opts.liboqs } : {}) },
    startupTimeoutMs: opts.startupTimeoutMs ?? VALGRIND_STARTUP_TIMEOUT_MS,
    timeoutMs: Math.max(base * VALGRIND_TIMEOUT_SCALE, 120_000),
  };
  try {
    if (spec.kind.ownProcess) {
      // The wrapper program is the process to check: memcheck runs it itself. For the python
      // bridges that is Debian's /usr/bin/python3 (a pyenv build gave hundreds of false errors;
      // PATH may hold a shim).
      const python = env('PQC_PYTHON') ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
      inner = await openOwnProcess(spec, { ...common, python });
    } else {
      // Node starts twice as fast under memcheck from one bundled file as through tsx's loader.
      const bundled = await bundledChild(spec);
      inner = await openChildBackend(bundled?.spec ?? spec.text, {
        ...common,
        ...(bundled ? { entry: bundled.entry } : {}),
        ...(opts.nodeFlags ? { nodeFlags: opts.nodeFlags } : {}),
        ...(opts.liboqs ? { liboqs: opts.liboqs } : {}),
      });
    }
  } catch (e) {
    const why = collector.drainCalls().map((f) => `\n  ${f.kind}: ${f.message}`).join('');
    if (!opts.keepXml && !env('PQC_KEEP_VG_XML')) rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}${why}`);
  }
  let closed = false;
  return {
    ...inner,
    collector,
    describe: () => {
      const info = inner.describe();
      return { ...info, notes: [...(info.notes ?? []), `${opts.note ?? 'memcheck (valgrind) with XML findings'}; suppressions: ${suppressions.map((s) => s.replace(`${PACKAGE_ROOT}/`, '')).join(', ')}`] };
    },
    drainFindings: async () => collector.drainCalls(),
    exitFindings: async () => {
      // Leaks appear once the process has exited: only meaningful after close().
      // Without leak checking memcheck still writes a stray "possibly lost" record at exit now and then: not this mode's business.
      const exit = collector.drainExit();
      const leaks = (opts.mode ?? MEMCHECK).leaks ? exit : [];
      const stray = collector.drainCalls();
      return [...leaks, ...stray];
    },
    // memcheck writes its suppression counts as a process exits: only meaningful after close().
    exitNotes: async () => suppressedNotes(collector.suppressed, readSuppressions(suppressions)),
    close: async () => {
      if (closed) return;
      closed = true;
      // EOF on stdin, then wait: memcheck's exit-time leak scan of a node heap takes seconds.
      await inner.connection.close(VALGRIND_EXIT_GRACE_MS);
      collector.poll();
      if (!opts.keepXml && !env('PQC_KEEP_VG_XML')) {
        // Read everything first: exitFindings() after close() works from memory.
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
