// The module-wrapper protocol (BoringSSL acvptool), server side, in plain
// Node: copy this file into your own wrapper. A request and a response alike
// are u32le N, N x u32le lengths, then the N byte strings; the first string of
// a request is the command name. Exactly one response per request, in order,
// except `flush`. A failed request is answered with three strings:
// "pqc-harness/error", kind ("rejected" | "unsupported" | "error"), message.

const MAX_STRINGS = 64;
const MAX_TOTAL = 64 << 20;

/** The library refused the input (wrong length, invalid key). */
export class Rejected extends Error {}
/** The library cannot do this at all: the harness skips the case with this message. */
export class Unsupported extends Error {}

export type Handler = (args: Uint8Array[]) => Uint8Array[] | Promise<Uint8Array[]>;

const utf8 = new TextEncoder();

function encodeFrame(parts: Uint8Array[]): Buffer {
  const head = Buffer.alloc(4 * (parts.length + 1));
  head.writeUInt32LE(parts.length, 0);
  parts.forEach((p, i) => head.writeUInt32LE(p.length, 4 * (i + 1)));
  return Buffer.concat([head, ...parts]);
}

function errorFrame(kind: string, message: string): Uint8Array[] {
  return [utf8.encode('pqc-harness/error'), utf8.encode(kind), utf8.encode(message)];
}

/** Split complete frames off the front of `buf`; returns the frames and the unread rest. */
function takeFrames(buf: Buffer): { frames: Uint8Array[][]; rest: Buffer } {
  const frames: Uint8Array[][] = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 4) break;
    const n = buf.readUInt32LE(off);
    if (n === 0 || n > MAX_STRINGS) throw new Error(`request declares ${n} strings`);
    if (buf.length - off < 4 + 4 * n) break;
    const lens = Array.from({ length: n }, (_, i) => buf.readUInt32LE(off + 4 + 4 * i));
    const total = lens.reduce((a, b) => a + b, 0);
    if (total > MAX_TOTAL) throw new Error(`request declares ${total} bytes`);
    if (buf.length - off < 4 + 4 * n + total) break;
    let p = off + 4 + 4 * n;
    frames.push(lens.map((l) => {
      const s = new Uint8Array(buf.subarray(p, p + l));
      p += l;
      return s;
    }));
    off = p;
  }
  return { frames, rest: buf.subarray(off) };
}

/**
 * Serve stdin/stdout until stdin ends. `handlers` maps full command names
 * (`ML-KEM-768/encap`) to functions; getConfig, flush and pqc-harness/describe
 * are answered here. Only frames reach stdout: console.log is sent to stderr.
 */
export function serve(config: unknown, describe: unknown, handlers: ReadonlyMap<string, Handler>): void {
  console.log = console.error;
  console.info = console.error;
  const answer = async (req: Uint8Array[]): Promise<Uint8Array[] | null> => {
    const cmd = Buffer.from(req[0]!).toString('utf8');
    if (cmd === 'getConfig') return [utf8.encode(JSON.stringify(config))];
    if (cmd === 'flush') return null;
    if (cmd === 'pqc-harness/describe') return [utf8.encode(JSON.stringify(describe))];
    const fn = handlers.get(cmd);
    if (!fn) return errorFrame('unsupported', `unknown command ${JSON.stringify(cmd)}`);
    try {
      return await fn(req.slice(1));
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      if (err instanceof Rejected) return errorFrame('rejected', err.message);
      if (err instanceof Unsupported) return errorFrame('unsupported', err.message);
      console.error(err);
      return errorFrame('error', `${cmd}: ${err.name}: ${err.message}`);
    }
  };
  let pending: Buffer = Buffer.alloc(0);
  // One chain: responses leave in request order even when a handler awaits.
  let chain: Promise<void> = Promise.resolve();
  process.stdin.on('data', (chunk: Buffer) => {
    const { frames, rest } = takeFrames(Buffer.concat([pending, chunk]));
    pending = rest;
    for (const req of frames) {
      chain = chain.then(async () => {
        const resp = await answer(req);
        if (resp) process.stdout.write(encodeFrame(resp));
      });
    }
  });
}

/** An argument of exactly `n` bytes, or a rejection naming it. */
export function fixed(arg: Uint8Array | undefined, n: number, what: string): Uint8Array {
  if (!arg || arg.length !== n) throw new Rejected(`${what} must be ${n} bytes, got ${arg?.length ?? 'none'}`);
  return arg;
}

/** Exactly `n` arguments, or a rejection. */
export function expectArgs(args: Uint8Array[], n: number, cmd: string): Uint8Array[] {
  if (args.length !== n) throw new Rejected(`${cmd}: expected ${n} arguments, got ${args.length}`);
  return args;
}
