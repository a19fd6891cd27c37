// The module-wrapper client: a Backend whose calls travel over the module-wrapper
// protocol to another process, so that a crash or a hang costs one call, not the run.
//
// WrapperConnection owns the process: spawn, pipelined requests answered in
// order, per-call timeout, crash attribution (signal, exit code, the stderr
// written since the call became the one being served) and transparent respawn.
// openWrapperBackend turns any connection into a Backend through the shared
// command table (commands.ts, shared with the server side in server.ts). The
// harness's own child host (harness/hosts/child.ts), backends/process.ts (any
// external module wrapper) and backends/python.ts are thin entries on it.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Backend, BackendInfo, Capabilities, DsaApi, KemApi } from '../../model/contract.ts';
import { UnsupportedError } from '../../model/contract.ts';
import type { ParamSet } from '../../model/params.ts';
import { CrashError, TimeoutError } from '../../model/errors.ts';
import { FrameDecoder, ProtocolError, encodeFrame, textOf } from './codec.ts';
import {
  DESCRIBE_COMMAND, OP_WIRES, capabilitiesOf, decodeError, decodeResult, isErrorResponse, parseConfig, routeFor,
  type Arg, type PeerConfig,
} from './commands.ts';

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** stderr kept per process (the tail); a crash report needs the last lines, not megabytes. */
const STDERR_KEEP = 1 << 20;

export interface WrapperOptions {
  /** Per call, from the moment the child starts serving it. Default 30 s. */
  timeoutMs?: number;
  /** For the getConfig sent to every fresh process (valgrind start-up is slow). Default max(60 s, timeoutMs). */
  startupTimeoutMs?: number;
  /** Extra environment for the child (merged over process.env). */
  env?: Record<string, string>;
  /** Prefix command, e.g. ['valgrind', '--xml=yes', ...]. */
  wrap?: string[];
  cwd?: string;
}

interface Call {
  frame: Uint8Array;
  command: string;
  /** The getConfig that opens every process: a crash here is a start-up failure, not a call's. */
  startup: boolean;
  timeoutMs: number;
  resolve(s: Uint8Array[]): void;
  reject(e: Error): void;
  stderrStart: number;
  timer?: NodeJS.Timeout;
}

interface Proc {
  child: ChildProcess;
  decoder: FrameDecoder;
  inflight: Call[];
  stderr: string;
  /** Total stderr characters ever seen; `stderr` holds the tail ending here. */
  stderrTotal: number;
  /** Set once this process's fate has been dealt with (died, killed, closed). */
  done: boolean;
  exited: Promise<void>;
}

function unrefProc(child: ChildProcess): void {
  // Pending calls keep the event loop alive through their timers; an idle child must not.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as Partial<Socket> | null)?.unref?.();
}

export class WrapperConnection {
  private proc: Proc | null = null;
  private closed = false;
  /** Processes started so far (1 + respawns). */
  spawns = 0;
  private readonly timeoutMs: number;
  private readonly startupTimeoutMs: number;

  constructor(readonly argv: readonly string[], private readonly opts: WrapperOptions = {}) {
    if (!argv.length) throw new Error('empty command');
    this.timeoutMs = Math.min(opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, MAX_TIMER_MS);
    this.startupTimeoutMs = Math.min(opts.startupTimeoutMs ?? Math.max(60_000, this.timeoutMs), MAX_TIMER_MS);
  }

  /** pid of the live process, if any. */
  get pid(): number | undefined {
    return this.proc && !this.proc.done ? this.proc.child.pid : undefined;
  }

  /** Send one request; resolves with the response strings (an error response is returned, not thrown). */
  request(parts: readonly (Uint8Array | string)[], opts: { timeoutMs?: number } = {}): Promise<Uint8Array[]> {
    if (this.closed) return Promise.reject(new Error('module-wrapper backend is closed'));
    const command = typeof parts[0] === 'string' ? parts[0] : textOf(parts[0]);
    return new Promise((resolve, reject) => {
      this.submit({ frame: encodeFrame(parts), command, startup: false, timeoutMs: Math.min(opts.timeoutMs ?? this.timeoutMs, MAX_TIMER_MS), resolve, reject, stderrStart: 0 });
    });
  }

  private submit(call: Call): void {
    const p = this.live();
    p.inflight.push(call);
    if (p.inflight.length === 1) this.startHead(p);
    p.child.stdin?.write(call.frame);
  }

  /** The live process, spawning one (and queueing its getConfig) if needed. */
  private live(): Proc {
    if (this.proc && !this.proc.done) return this.proc;
    const [cmd, ...args] = [...(this.opts.wrap ?? []), ...this.argv];
    const child = spawn(cmd!, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...this.opts.env },
      ...(this.opts.cwd ? { cwd: this.opts.cwd } : {}),
    });
    this.spawns++;
    let onExit!: () => void;
    const p: Proc = { child, decoder: new FrameDecoder(), inflight: [], stderr: '', stderrTotal: 0, done: false, exited: new Promise((r) => (onExit = r)) };
    this.proc = p;
    unrefProc(child);
    child.stdin?.on('error', () => {
      /* EPIPE after the child died: 'close' reports it */
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      p.stderr += s;
      p.stderrTotal += s.length;
      if (p.stderr.length > 2 * STDERR_KEEP) p.stderr = p.stderr.slice(-STDERR_KEEP);
    });
    child.stdout?.on('data', (chunk: Buffer) => this.onData(p, chunk));
    // Await 'close' only: it comes after stdout/stderr are drained (awaiting 'exit' then 'close' can hang).
    child.on('close', (code, signal) => {
      onExit();
      this.onDeath(p, code, signal, null);
    });
    child.on('error', (e) => {
      // Spawn failure (ENOENT...): there may be no 'close' worth waiting for.
      if (child.pid === undefined) {
        onExit();
        this.onDeath(p, null, null, e);
      }
    });
    p.inflight.push({
      frame: encodeFrame(['getConfig']),
      command: 'getConfig',
      startup: true,
      timeoutMs: this.startupTimeoutMs,
      resolve: (s) => this.onConfig(s),
      reject: (e) => this.onConfigError(e),
      stderrStart: 0,
    });
    this.startHead(p);
    child.stdin?.write(p.inflight[0]!.frame);
    return p;
  }

  // The first process's getConfig answers openWrapperBackend; later ones are only a liveness check.
  private configWaiter: { resolve(s: Uint8Array[]): void; reject(e: Error): void } | null = null;
  private onConfig(s: Uint8Array[]): void {
    this.configWaiter?.resolve(s);
    this.configWaiter = null;
  }
  private onConfigError(e: Error): void {
    this.configWaiter?.reject(e);
    this.configWaiter = null;
  }

  /** Start a process and return its getConfig response. */
  start(): Promise<Uint8Array[]> {
    return new Promise((resolve, reject) => {
      this.configWaiter = { resolve, reject };
      this.live();
    });
  }

  private stderrSince(p: Proc, start: number): string {
    const have = p.stderrTotal - p.stderr.length;
    return p.stderr.slice(Math.max(0, start - have));
  }

  private startHead(p: Proc): void {
    const head = p.inflight[0];
    if (!head) return;
    head.stderrStart = p.stderrTotal;
    head.timer = setTimeout(() => this.onTimeout(p, head), head.timeoutMs);
  }

  private onData(p: Proc, chunk: Uint8Array): void {
    if (p.done) return;
    let frames: Uint8Array[][];
    try {
      frames = p.decoder.push(chunk);
    } catch (e) {
      this.kill(p, e as Error);
      return;
    }
    for (const f of frames) {
      const head = p.inflight.shift();
      if (!head) {
        this.kill(p, new ProtocolError('module wrapper sent a response nobody asked for'));
        return;
      }
      clearTimeout(head.timer);
      this.startHead(p);
      head.resolve(f);
    }
  }

  /** The process misbehaved (framing) or stalled: SIGKILL it, fail the head, move the rest on. */
  private kill(p: Proc, err: Error, head?: Call): void {
    if (p.done) return;
    p.done = true;
    p.child.kill('SIGKILL');
    const first = head ?? p.inflight[0];
    const rest = p.inflight.filter((c) => c !== first);
    p.inflight = [];
    if (first) {
      clearTimeout(first.timer);
      if (err instanceof ProtocolError) {
        const tail = this.stderrSince(p, first.stderrStart);
        err.message += tail ? `\nchild stderr:\n${tail}` : '';
      }
      first.reject(err);
    }
    this.requeue(rest, first?.startup ?? false, err);
  }

  private onTimeout(p: Proc, head: Call): void {
    if (p.done || p.inflight[0] !== head) return;
    const err = new TimeoutError(`${head.command}: no response within ${head.timeoutMs} ms; child killed (SIGKILL)`, head.timeoutMs, this.stderrSince(p, head.stderrStart));
    this.kill(p, err, head);
  }

  private onDeath(p: Proc, code: number | null, signal: NodeJS.Signals | null, spawnError: Error | null): void {
    if (p.done) return;
    p.done = true;
    const [first, ...rest] = p.inflight;
    p.inflight = [];
    if (!first) return; // idle child exited: the next call respawns
    clearTimeout(first.timer);
    const stderr = this.stderrSince(p, first.stderrStart);
    const how = spawnError ? `could not start (${spawnError.message})` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const what = this.closed ? 'module-wrapper backend closed' : first.startup ? `module-wrapper child ${how} during start-up (getConfig)` : `module-wrapper child ${how} while serving ${first.command}`;
    const tail = stderr.trim() ? `\n${stderr.trimEnd().split('\n').slice(-20).join('\n')}` : '';
    const err = this.closed ? new Error(what) : new CrashError(what + tail, signal, code, stderr);
    first.reject(err);
    this.requeue(rest, first.startup || this.closed, err);
  }

  /** Calls that were queued behind the failed one never started: rerun them on a fresh process. */
  private requeue(rest: Call[], startupFailed: boolean, cause: Error): void {
    for (const c of rest) clearTimeout(c.timer);
    if (startupFailed || this.closed) {
      // A child that cannot start would fail every retry: fail them all once.
      for (const c of rest) c.reject(cause);
      return;
    }
    for (const c of rest) if (!c.startup) this.submit(c);
  }

  /** End the child cleanly (EOF on stdin), SIGKILL after graceMs. Idempotent. */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    const p = this.proc;
    if (!p || p.done) return;
    p.child.stdin?.end();
    const t = setTimeout(() => p.child.kill('SIGKILL'), graceMs); // also keeps the event loop alive meanwhile
    await p.exited;
    clearTimeout(t);
  }
}

export interface WrapperBackend extends Backend {
  readonly connection: WrapperConnection;
  readonly peer: PeerConfig;
}

/** Turn a connection into a Backend: getConfig → capabilities, describe, one method per contract op. */
export async function openWrapperBackend(conn: WrapperConnection, fallback: BackendInfo, adjust?: (info: BackendInfo) => BackendInfo): Promise<WrapperBackend> {
  let peer: PeerConfig;
  let info: BackendInfo = fallback;
  try {
    const cfg = await conn.start();
    if (cfg.length !== 1) throw new ProtocolError(`getConfig: expected one response string, got ${cfg.length}`);
    let json: unknown;
    try {
      json = JSON.parse(textOf(cfg[0]));
    } catch (e) {
      throw new ProtocolError(`getConfig did not return JSON: ${(e as Error).message}`);
    }
    peer = parseConfig(json);
    if (peer.features.has(DESCRIBE_COMMAND)) {
      const d = await conn.request([DESCRIBE_COMMAND]);
      if (isErrorResponse(d)) throw decodeError(d, DESCRIBE_COMMAND);
      info = JSON.parse(textOf(d[0])) as BackendInfo;
    }
  } catch (e) {
    await conn.close(1_000);
    throw e;
  }
  if (adjust) info = adjust(info);
  const caps: Capabilities = capabilitiesOf(peer);

  const call = async (w: (typeof OP_WIRES)[number], ps: ParamSet, args: Arg[]): Promise<unknown> => {
    const route = routeFor(peer, w, ps, args);
    if (!route) throw new UnsupportedError(`${info.id}: the module wrapper offers no command for ${w.op} on ${ps}`);
    const resp = await conn.request([route.command, ...route.wire]);
    if (isErrorResponse(resp)) throw decodeError(resp, route.command);
    return decodeResult(w, route.command, resp);
  };
  const api = (family: 'kem' | 'dsa'): Record<string, unknown> | undefined => {
    const wires = OP_WIRES.filter((w) => w.family === family);
    if (!wires.some((w) => caps.ops.includes(w.op))) return undefined;
    const o: Record<string, unknown> = {};
    for (const w of wires) {
      // Optional contract methods exist only when offered; required ones always (and say Unsupported).
      const optional = w.method === 'keygenRandom' || w.method === 'encapsRandom';
      if (optional && !caps.ops.includes(w.op)) continue;
      o[w.method] = (ps: ParamSet, ...args: Arg[]) => call(w, ps, args);
    }
    return o;
  };
  const kem = api('kem') as KemApi | undefined;
  const dsa = api('dsa') as DsaApi | undefined;
  return {
    connection: conn,
    peer,
    describe: () => info,
    capabilities: () => caps,
    ...(kem ? { kem } : {}),
    ...(dsa ? { dsa } : {}),
    close: () => conn.close(),
  };
}
