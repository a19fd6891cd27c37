// A Link moves requests and responses between the harness and one live peer
// (a process, or a worker thread in harness/hosts/worker.ts) and reports, once,
// how that peer ended. The connection (client.ts) owns everything else:
// ordering, pipelining, timeouts, attribution, respawn.
//
// spawnLink runs a program with its own process group, so that ending it also
// ends whatever it started: a wrapper that leaves a background child holding
// its pipes must not keep the harness waiting (or alive) after it is gone. Its
// death is taken from 'exit', with a short, bounded wait for the last bytes of
// stdout and stderr, never from 'close' alone (a grandchild can hold the pipes
// open forever).

import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { FrameDecoder, encodeFrame } from './codec.ts';

export interface LinkEvents {
  /** One response (the strings of one frame, or one line as a single string). */
  onMessage(parts: Uint8Array[]): void;
  /** Every response that arrived together has been delivered (the moment to write more requests). */
  onDelivered(): void;
  onStderr(text: string): void;
  /** The byte stream cannot be read any more (framing lost, a limit exceeded). */
  onProtocolError(e: Error): void;
  /** Called exactly once. */
  onDeath(d: { code: number | null; signal: string | null; error?: Error }): void;
}

export interface Link {
  send(parts: readonly (Uint8Array | string)[]): void;
  /** Ask the peer to finish (EOF on stdin). */
  end(): void;
  /** End it now, with everything it started. */
  kill(): void;
  readonly pid: number | undefined;
}

export type LinkFactory = (ev: LinkEvents) => Link;

/** How requests and responses are written on a byte stream. */
export interface Codec {
  encode(parts: readonly (Uint8Array | string)[]): Uint8Array;
  decoder(): { push(chunk: Uint8Array): Uint8Array[][] };
}

/** BoringSSL acvptool's framing: u32le count, u32le lengths, the strings. */
export const FRAMES: Codec = { encode: encodeFrame, decoder: () => new FrameDecoder() };

export interface SpawnOptions {
  /** Extra environment (merged over the harness's own). */
  env?: Record<string, string>;
  /** Prefix command, e.g. ['valgrind', '--xml=yes', ...]. */
  wrap?: readonly string[];
  cwd?: string;
  codec?: Codec;
}

/** After 'exit', how long the last output may take to arrive before the peer counts as gone. */
const DRAIN_MS = 250;

export function spawnLink(argv: readonly string[], opts: SpawnOptions = {}): LinkFactory {
  if (!argv.length) throw new Error('empty command');
  const codec = opts.codec ?? FRAMES;
  return (ev) => {
    const [cmd, ...args] = [...(opts.wrap ?? []), ...argv];
    const child = spawn(cmd!, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env },
      detached: true,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    // Pending calls keep the event loop alive through their timers; an idle child must not.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as Partial<Socket> | null)?.unref?.();
    const decoder = codec.decoder();
    let dead = false;
    let broken = false;
    let exit: { code: number | null; signal: string | null } | null = null;
    let open = 2; // stdout and stderr
    let drain: NodeJS.Timeout | undefined;
    const die = (d: { code: number | null; signal: string | null; error?: Error }): void => {
      if (dead) return;
      dead = true;
      clearTimeout(drain);
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.stdin?.destroy();
      ev.onDeath(d);
    };
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    child.stdin?.on('error', () => {
      /* EPIPE after the child died: its exit reports it */
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => ev.onStderr(s));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (broken) return;
      let msgs: Uint8Array[][];
      try {
        msgs = decoder.push(chunk);
      } catch (e) {
        broken = true;
        ev.onProtocolError(e as Error);
        return;
      }
      for (const m of msgs) ev.onMessage(m);
      if (msgs.length) ev.onDelivered();
    });
    const streamDone = (): void => {
      if (--open === 0 && exit) die(exit);
    };
    child.stdout?.on('end', streamDone);
    child.stderr?.on('end', streamDone);
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // The process group goes with it: a background grandchild must not outlive the wrapper.
      killGroup();
      if (open === 0) die(exit);
      else drain = setTimeout(() => die(exit!), DRAIN_MS);
    });
    child.on('error', (e) => {
      // Spawn failure (ENOENT...): there is no exit to wait for.
      if (child.pid === undefined) die({ code: null, signal: null, error: e });
    });
    return {
      send: (parts) => {
        if (!dead) child.stdin?.write(codec.encode(parts));
      },
      end: () => child.stdin?.end(),
      kill: killGroup,
      get pid() {
        return dead ? undefined : child.pid;
      },
    };
  };
}
