// The module-wrapper client: a Backend whose calls travel over the module-wrapper
// protocol to another process (or worker thread), so that a crash or a hang
// costs one call, not the run.
//
// WrapperConnection owns the peer's lifecycle over a Link (link.ts): requests
// go ahead in a window (pipelined; `flush` after each burst for wrappers that
// ask for acvptool's batch mode), answered in order; a per-call timeout from
// the moment the peer starts serving the call; attribution of a death to the
// call being served (signal, exit code, the stderr written since that call
// began), refusal by exit told from a crash (exit-rule.ts); transparent
// respawn, with the calls queued behind a failed one re-sent in order to the
// fresh peer. openWrapperBackend turns any connection into a Backend through
// the shared command table (commands.ts, shared with the server in server.ts).
// The harness's own child host (harness/hosts/child.ts), the worker host
// (harness/hosts/worker.ts), backends/process.ts, backends/python.ts and
// backends/crucible.ts are thin entries on it.

import type { Backend, BackendInfo, Capabilities, DialectDecision, DsaApi, KemApi, Op } from '../../model/contract.ts';
import { backendEntry } from '../../model/backend-entry.ts';
import { CAPS, capText } from '../../model/limits.ts';
import { InexpressibleError, RejectedError, UnsupportedError } from '../../model/contract.ts';
import type { ParamSet } from '../../model/params.ts';
import { CrashError, TimeoutError } from '../../model/errors.ts';
import { ProtocolError, textOf } from './codec.ts';
import {
  DESCRIBE_COMMAND, OP_WIRES, capabilitiesOf, decodeError, decodeResult, isErrorResponse, parseConfig, routeFor, shapeProblem,
  type Arg, type Dialect, type OpWire, type PeerConfig,
} from './commands.ts';
import { classifyExit } from './exit-rule.ts';
import { spawnLink, type Link, type LinkFactory, type SpawnOptions } from './link.ts';

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
/** Requests in flight to one peer at a time. */
export const DEFAULT_WINDOW = 32;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** stderr kept per peer (the tail); a crash report needs the last lines, not megabytes. */
const STDERR_KEEP = 1 << 20;
/** How long close() waits for a killed peer to be gone before it stops waiting. */
const KILL_WAIT_MS = 2_000;

export interface WrapperOptions extends SpawnOptions {
  /** Per call, from the moment the peer starts serving it. Default 30 s. */
  timeoutMs?: number;
  /** For the hello (getConfig) of every fresh peer (valgrind start-up is slow). Default max(60 s, timeoutMs). */
  startupTimeoutMs?: number;
  /** Requests in flight at once (1 = one at a time). Default 32. */
  window?: number;
  /** Processes serving at once (`--jobs`). Default 1. */
  instances?: number;
}

/** Why a peer was replaced. */
export type RespawnCause = 'refusal' | 'crash' | 'timeout' | 'protocol';

export interface ConnectionStats {
  /** Peers started, the first included. */
  spawns: number;
  /** Replacements by what ended the previous peer. */
  respawns: Record<RespawnCause, number>;
}

export interface ConnectionOptions {
  timeoutMs?: number;
  startupTimeoutMs?: number;
  window?: number;
  /** Peers serving at once (`--jobs`): calls go to the least busy. Default 1. */
  instances?: number;
  /**
   * What opens every fresh peer: a getConfig request (module wrappers), or a
   * line the peer prints by itself (a Crucible harness's banner).
   */
  hello?: 'getConfig' | 'banner';
}

interface Call {
  parts: readonly (Uint8Array | string)[];
  command: string;
  /** The hello that opens every peer: a failure here is a start-up failure, not a call's. */
  startup: boolean;
  timeoutMs: number;
  /** Whether a response fits this request (an extra or missing frame would shift every later answer). */
  check?: (s: Uint8Array[]) => string | null;
  resolve(s: Uint8Array[]): void;
  reject(e: Error): void;
  stderrStart: number;
  timer?: NodeJS.Timeout;
}

interface Peer {
  link: Link;
  /** Written, awaiting their responses, oldest first. */
  inflight: Call[];
  stderr: string;
  /** Total stderr characters ever seen; `stderr` holds the tail ending here. */
  stderrTotal: number;
  /** Set once this peer's fate has been dealt with (died, killed, closed). */
  done: boolean;
  gone: Promise<void>;
}

export class WrapperConnection {
  /** The peers started so far that have not died (one per instance, at most `instances`). */
  private peers: Peer[] = [];
  private closed = false;
  /** Not yet written, oldest first. */
  private queue: Call[] = [];
  private readonly timeoutMs: number;
  private readonly startupTimeoutMs: number;
  private readonly window: number;
  private readonly instances: number;
  private readonly hello: 'getConfig' | 'banner';
  private batch = false;
  /** Calls still to be sent one at a time after a batch-mode peer died with several unanswered. */
  private isolate = 0;
  private errorFrames = true;
  readonly stats: ConnectionStats = { spawns: 0, respawns: { refusal: 0, crash: 0, timeout: 0, protocol: 0 } };

  constructor(private readonly link: LinkFactory, opts: ConnectionOptions = {}) {
    this.timeoutMs = Math.min(opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, MAX_TIMER_MS);
    this.startupTimeoutMs = Math.min(opts.startupTimeoutMs ?? Math.max(60_000, this.timeoutMs), MAX_TIMER_MS);
    this.window = Math.max(1, opts.window ?? DEFAULT_WINDOW);
    this.instances = Math.max(1, opts.instances ?? 1);
    this.hello = opts.hello ?? 'getConfig';
  }

  /** A connection to a program on stdin/stdout. */
  static spawn(argv: readonly string[], opts: WrapperOptions = {}, conn: Omit<ConnectionOptions, 'timeoutMs' | 'startupTimeoutMs' | 'window' | 'instances'> = {}): WrapperConnection {
    return new WrapperConnection(spawnLink(argv, opts), { ...opts, ...conn });
  }

  /**
   * What the peer's getConfig says about the stream: `batch` (answers come
   * when `flush` is sent), and whether it speaks the harness's error frames
   * (if not, an exit with a message is a refusal: exit-rule.ts).
   */
  configure(peer: { batch: boolean; errorFrames: boolean }): void {
    this.batch = peer.batch;
    this.errorFrames = peer.errorFrames;
  }

  /** pid of the first live process, if any. */
  get pid(): number | undefined {
    return this.live()[0]?.link.pid;
  }

  private live(): Peer[] {
    return this.peers.filter((p) => !p.done);
  }

  /** Peers started so far (1 + respawns). */
  get spawns(): number {
    return this.stats.spawns;
  }

  /** Send one request; resolves with the response strings (an error response is returned, not thrown). */
  request(parts: readonly (Uint8Array | string)[], opts: { timeoutMs?: number; check?: (s: Uint8Array[]) => string | null; label?: string } = {}): Promise<Uint8Array[]> {
    if (this.closed) return Promise.reject(new Error('module-wrapper backend is closed'));
    const command = opts.label ?? (typeof parts[0] === 'string' ? parts[0] : textOf(parts[0]));
    return new Promise((resolve, reject) => {
      this.queue.push({ parts, command, startup: false, timeoutMs: Math.min(opts.timeoutMs ?? this.timeoutMs, MAX_TIMER_MS), ...(opts.check ? { check: opts.check } : {}), resolve, reject, stderrStart: 0 });
      this.pump();
    });
  }

  /** Start a peer and return its hello (the getConfig response, or the banner line). */
  start(): Promise<Uint8Array[]> {
    return new Promise((resolve, reject) => this.open({ resolve, reject }));
  }

  /**
   * Write queued requests while a window has room: each to the live peer with
   * the fewest unanswered, starting another peer (up to `instances`) when every
   * live one is busy.
   */
  private pump(): void {
    if (this.closed) return;
    // While isolating (see onDeath), one request at a time, each flushed: a death then names its call.
    const window = this.isolate > 0 ? 1 : this.window;
    const load = (p: Peer) => p.inflight.filter((c) => !c.startup).length;
    const touched = new Set<Peer>();
    while (this.queue.length) {
      const live = this.live();
      let p = live.reduce<Peer | undefined>((best, x) => (!best || load(x) < load(best) ? x : best), undefined);
      if (!p || (load(p) > 0 && live.length < this.instances)) p = this.open(null);
      if (load(p) >= window) break;
      const c = this.queue.shift()!;
      p.inflight.push(c);
      if (p.inflight.length === 1) this.startHead(p);
      p.link.send(c.parts);
      touched.add(p);
    }
    if (this.batch) {
      // acvptool's batch mode: the wrapper may hold its answers until asked.
      for (const p of touched) setImmediate(() => !p.done && p.link.send(['flush']));
    }
  }

  /** A fresh peer, its hello first in line. */
  private open(first: { resolve(s: Uint8Array[]): void; reject(e: Error): void } | null): Peer {
    this.stats.spawns++;
    let gone!: () => void;
    const p: Peer = { link: undefined as unknown as Link, inflight: [], stderr: '', stderrTotal: 0, done: false, gone: new Promise((r) => (gone = r)) };
    this.peers = [...this.live(), p];
    const hello: Call = {
      parts: ['getConfig'],
      command: this.hello === 'getConfig' ? 'getConfig' : '(start-up banner)',
      startup: true,
      timeoutMs: this.startupTimeoutMs,
      // Only the first peer's hello answers openWrapperBackend; later ones are a liveness check.
      resolve: (s) => first?.resolve(s),
      reject: (e) => first?.reject(e),
      stderrStart: 0,
    };
    p.inflight.push(hello);
    p.link = this.link({
      onMessage: (parts) => this.onMessage(p, parts),
      // Requests are written once every response that arrived together is read: a frame that came
      // with an answer but answers nothing is then seen as unasked, not taken for the next answer.
      onDelivered: () => this.pump(),
      onStderr: (s) => {
        p.stderr += s;
        p.stderrTotal += s.length;
        if (p.stderr.length > 2 * STDERR_KEEP) p.stderr = p.stderr.slice(-STDERR_KEEP);
      },
      onProtocolError: (e) => this.replace(p, e instanceof ProtocolError ? e : new ProtocolError(e.message), 'protocol'),
      onDeath: (d) => {
        gone();
        this.onDeath(p, d);
      },
    });
    this.startHead(p);
    if (this.hello === 'getConfig') p.link.send(hello.parts);
    return p;
  }

  private stderrSince(p: Peer, start: number): string {
    const have = p.stderrTotal - p.stderr.length;
    return p.stderr.slice(Math.max(0, start - have));
  }

  private startHead(p: Peer): void {
    const head = p.inflight[0];
    if (!head) return;
    head.stderrStart = p.stderrTotal;
    const expire = () => {
      if (p.done || p.inflight[0] !== head) return;
      this.replace(p, new TimeoutError(`${head.command}: no response within ${head.timeoutMs} ms; peer killed (SIGKILL)`, head.timeoutMs, this.stderrSince(p, head.stderrStart)), 'timeout');
    };
    // Timers run before the event loop reads pipes and ports: when this thread was busy past the
    // deadline, an answer already waiting would lose the race. setImmediate runs after they are read.
    head.timer = setTimeout(() => setImmediate(expire), head.timeoutMs);
  }

  private onMessage(p: Peer, parts: Uint8Array[]): void {
    if (p.done) return;
    const head = p.inflight[0];
    if (!head) {
      this.replace(p, new ProtocolError('the module wrapper sent a response nobody asked for (an extra frame would be taken as the next answer)'), 'protocol');
      return;
    }
    const misfit = head.check?.(parts);
    if (misfit) {
      this.replace(p, new ProtocolError(`${head.command}: the response does not fit the request (${misfit}); an extra or missing frame would shift every later answer`), 'protocol');
      return;
    }
    p.inflight.shift();
    clearTimeout(head.timer);
    if (!head.startup && this.isolate > 0) this.isolate--;
    this.startHead(p);
    head.resolve(parts);
  }

  /**
   * The peer misbehaved (framing, an unasked or misfit frame) or stalled: kill
   * it, fail the call being served, and re-send the calls behind it to a fresh peer.
   */
  private replace(p: Peer, err: Error, cause: RespawnCause): void {
    if (p.done) return;
    p.done = true;
    p.link.kill();
    const [head, ...rest] = p.inflight;
    p.inflight = [];
    // Replaced with nothing in flight (an unasked frame on an idle peer) still counts.
    if (!head?.startup) this.stats.respawns[cause]++;
    if (!head) return;
    clearTimeout(head.timer);
    if (err instanceof ProtocolError) {
      const tail = this.stderrSince(p, head.stderrStart);
      err.message += tail ? `\npeer stderr:\n${tail}` : '';
    }
    head.reject(err);
    this.requeue(rest, head.startup, err);
  }

  private onDeath(p: Peer, d: { code: number | null; signal: string | null; error?: Error }): void {
    if (p.done) return;
    p.done = true;
    const [head, ...rest] = p.inflight;
    p.inflight = [];
    if (!head) return; // idle peer exited: the next call starts another
    clearTimeout(head.timer);
    if (this.batch && !head.startup && !this.closed && rest.length) {
      // A batch-mode peer holds its answers until `flush`: with several unanswered, the oldest is
      // not necessarily the one it died on. Send them again one at a time, so the death names its call.
      for (const c of rest) clearTimeout(c.timer);
      this.isolate = 1 + rest.length;
      this.queue.unshift(head, ...rest);
      this.pump();
      return;
    }
    if (!head.startup && this.isolate > 0) this.isolate--;
    const stderr = this.stderrSince(p, head.stderrStart);
    const how = d.error ? `could not start (${d.error.message})` : d.signal ? `was killed by ${d.signal}` : `exited with code ${d.code}`;
    const tail = stderr.trim() ? `\n${stderr.trimEnd().split('\n').slice(-20).join('\n')}` : '';
    let err: Error;
    if (this.closed) err = new Error('module-wrapper backend closed');
    else if (head.startup) err = new CrashError(`module-wrapper peer ${how} during start-up (${head.command})${tail}`, d.signal, d.code, stderr);
    else {
      const v = d.error ? { kind: 'crash' as const, why: how } : classifyExit({ code: d.code, signal: d.signal, stderr, errorFrames: this.errorFrames });
      if (v.kind === 'refusal') {
        this.stats.respawns.refusal++;
        err = new RejectedError(`${head.command}: refused by exit (code ${d.code}): ${v.message}`);
      } else {
        this.stats.respawns.crash++;
        err = new CrashError(`module-wrapper peer ${how} while serving ${head.command}${tail}`, d.signal, d.code, stderr);
      }
    }
    head.reject(err);
    this.requeue(rest, head.startup || this.closed, err);
  }

  /** Calls that were written behind the failed one never got an answer: re-send them, in order, to a fresh peer. */
  private requeue(rest: Call[], startupFailed: boolean, cause: Error): void {
    for (const c of rest) clearTimeout(c.timer);
    if (startupFailed || this.closed) {
      // A peer that cannot start would fail every retry: fail them all once.
      for (const c of [...rest, ...this.queue.splice(0)]) c.reject(cause);
      return;
    }
    this.queue.unshift(...rest.filter((c) => !c.startup));
    this.pump();
  }

  /** End every peer cleanly (EOF), kill each (and what it started) after graceMs. Idempotent. */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    for (const c of this.queue.splice(0)) c.reject(new Error('module-wrapper backend closed'));
    await Promise.all(this.live().map((p) => this.end(p, graceMs)));
  }

  private async end(p: Peer, graceMs: number): Promise<void> {
    p.link.end();
    let t: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((r) => {
      // The timer also keeps the event loop alive while a peer takes its time to exit.
      t = setTimeout(() => {
        p.link.kill();
        setTimeout(r, KILL_WAIT_MS);
      }, graceMs);
    });
    await Promise.race([p.gone, killed]);
    clearTimeout(t);
  }
}

/** A backend that is a process driven through a WrapperConnection (module wrappers, Crucible harnesses). */
export interface ProcessBackend extends Backend {
  readonly connection: WrapperConnection;
  close(): Promise<void>;
}

export interface WrapperBackend extends ProcessBackend {
  readonly peer: PeerConfig;
  /** Send one raw request (the known-answer probes that decide a dialect). */
  probe(parts: readonly (Uint8Array | string)[]): Promise<Uint8Array[]>;
  /**
   * Route by these decisions from now on; capabilities and describe() follow.
   * `notOffered`: operations an undetermined question takes away, with the evidence.
   */
  applyDialect(d: Partial<Dialect>, decisions: readonly DialectDecision[], notOffered?: Capabilities['notOffered']): void;
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
    conn.configure({ batch: peer.batch, errorFrames: peer.extension });
    if (peer.features.has(DESCRIBE_COMMAND)) {
      const d = await conn.request([DESCRIBE_COMMAND]);
      if (isErrorResponse(d)) throw decodeError(d, DESCRIBE_COMMAND);
      info = describedInfo(textOf(d[0]), fallback);
    }
  } catch (e) {
    await conn.close(1_000);
    throw e;
  }
  if (adjust) info = adjust(info);
  let why: Capabilities['notOffered'] = {};
  const withReasons = (c: Capabilities): Capabilities => {
    const reasons = Object.fromEntries(Object.entries(why ?? {}).filter(([op]) => !c.ops.includes(op as Op)));
    return Object.keys(reasons).length ? { ...c, notOffered: reasons } : c;
  };
  let caps: Capabilities = capabilitiesOf(peer);

  const call = async (w: OpWire, ps: ParamSet, args: Arg[]): Promise<unknown> => {
    const route = routeFor(peer, w, ps, args);
    if (!route) {
      // Offered, but not with these arguments (a deterministic-only signer asked to hedge): this call only.
      if (caps.ops.includes(w.op) && caps.parameterSets.includes(ps)) throw new InexpressibleError(`${info.id}: the module wrapper's commands cannot carry this ${w.op} call on ${ps}`);
      throw new UnsupportedError(`${info.id}: the module wrapper offers no command for ${w.op} on ${ps}`);
    }
    const resp = await conn.request([route.command, ...route.wire], { check: (s) => shapeProblem(w, s) });
    if (isErrorResponse(resp)) throw decodeError(resp, route.command);
    return decodeResult(w, resp);
  };
  const api = (family: 'kem' | 'dsa'): Record<string, unknown> | undefined => {
    const wires = OP_WIRES.filter((w) => w.family === family);
    // A family is there when the peer declares anything of it (a dialect decided later only changes routes).
    if (!wires.some((w) => caps.ops.includes(w.op)) && !(family === 'dsa' && (peer.sigGen.size || peer.sigVer.size))) return undefined;
    const o: Record<string, unknown> = {};
    for (const w of wires) {
      // Optional contract methods exist only when offered; required ones always (and say Unsupported).
      const optional = w.method === 'keygenRandom' || w.method === 'encapsRandom';
      if (optional && !caps.ops.includes(w.op)) continue;
      o[w.method] = (ps: ParamSet, ...args: Arg[]) => call(w, ps, args);
    }
    return o;
  };
  // The API objects are made once; every call routes by the current peer config
  // (so a dialect decided later applies to them, and hosts may wrap them).
  const kem = api('kem') as KemApi | undefined;
  const dsa = api('dsa') as DsaApi | undefined;
  return {
    connection: conn,
    peer,
    describe: () => info,
    capabilities: () => caps,
    ...(kem ? { kem } : {}),
    ...(dsa ? { dsa } : {}),
    stats: () => ({ respawns: { ...conn.stats.respawns } }),
    probe: (parts) => conn.request(parts),
    applyDialect(d, decisions, notOffered) {
      peer.dialect = { ...peer.dialect, ...d, message: { ...peer.dialect.message, ...d.message } };
      why = { ...why, ...notOffered };
      caps = withReasons(capabilitiesOf(peer));
      info = { ...info, dialect: [...(info.dialect ?? []), ...decisions] };
    },
    close: () => conn.close(),
  };
}

/** A wrapper's own describe() answer, kept only where it is well formed; the rest comes from what the harness knows. */
function describedInfo(text: string, fallback: BackendInfo): BackendInfo {
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError(`${DESCRIBE_COMMAND} did not return JSON: ${(e as Error).message}`);
  }
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new ProtocolError(`${DESCRIBE_COMMAND} did not return a JSON object (got ${JSON.stringify(d)})`);
  // Checked field by field as a run records it: what is malformed is left out and named in the notes.
  const o = d as Record<string, unknown>;
  // Its own id where it gives one (a run records the spec as written instead).
  const id = typeof o['id'] === 'string' && o['id'] ? capText(o['id'], CAPS.name) : fallback.id;
  const { capabilities: _, ...info } = backendEntry(id, fallback.kind, { name: fallback.name, version: fallback.version, ...o }, { parameterSets: [], ops: [] });
  return info;
}
