// Framing of BoringSSL acvptool's module-wrapper protocol (util/fipstools/acvp/ACVP.md):
// a message is a u32le count N, then N u32le lengths, then the N byte strings.
// Requests and responses use the same framing; the first string of a request
// is the command name. This file only frames bytes; meaning lives in commands.ts.

/** The peer sent bytes that cannot be a module-wrapper frame (or one over the limits). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export interface FrameLimits {
  /** Largest number of strings in one frame. */
  maxStrings: number;
  /** Largest total payload (sum of the string lengths) of one frame, in bytes. */
  maxBytes: number;
}

/**
 * Generous for ML-KEM / ML-DSA (the largest ACVP message is 64 KiB, keys a few
 * KiB) yet small enough that a stray `printf` on stdout, read as a length, is
 * caught at once instead of waiting forever for gigabytes that never come.
 */
export const DEFAULT_LIMITS: FrameLimits = { maxStrings: 64, maxBytes: 64 * 1024 * 1024 };

const utf8 = new TextEncoder();

/** Encode one frame. Strings may be given as text (UTF-8) or bytes. */
export function encodeFrame(parts: readonly (Uint8Array | string)[]): Uint8Array {
  const bufs = parts.map((p) => (typeof p === 'string' ? utf8.encode(p) : p));
  const head = 4 * (1 + bufs.length);
  let total = head;
  for (const b of bufs) total += b.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, bufs.length, true);
  bufs.forEach((b, i) => dv.setUint32(4 * (1 + i), b.length, true));
  let off = head;
  for (const b of bufs) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

/** Show the start of bad input: leading printable text as text (a wrapper that wrote a log line on stdout), else hex. */
function describeBytes(b: Uint8Array): string {
  const printable = (c: number) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127);
  let n = 0;
  while (n < b.length && n < 80 && printable(b[n]!)) n++;
  if (n >= 4) return `text ${JSON.stringify(new TextDecoder().decode(b.subarray(0, n)))} (is something printing to stdout?)`;
  return `bytes ${Buffer.from(b.subarray(0, 48)).toString('hex')}`;
}

function u32le(b: Uint8Array, at: number): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
}

/**
 * Streaming decoder: feed it chunks as they arrive (any split, many frames per
 * chunk); it returns every frame completed so far. After a ProtocolError the
 * stream is unusable (framing is lost) and every later push throws again.
 *
 * Chunks are kept as they came until a whole frame is in, then each byte is
 * copied once, into the string it belongs to: reassembly is linear in the
 * frame size however the pipe splits it (joining the buffer on every chunk made
 * a 32 MiB frame take seconds and a 60 MiB one gigabytes).
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  /** Index of the first chunk still holding unread bytes (shifting an array per chunk would be quadratic). */
  private first = 0;
  private buffered = 0;
  /** The frame at the front, once its head (count and lengths) is in. */
  private head: { bytes: number; lens: number[]; total: number } | null = null;
  private failed: ProtocolError | null = null;
  private readonly limits: FrameLimits;

  constructor(limits: Partial<FrameLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): Uint8Array[][] {
    if (this.failed) throw this.failed;
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Uint8Array[][] = [];
    for (;;) {
      const frame = this.tryTake();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private fail(msg: string): never {
    this.failed = new ProtocolError(msg);
    throw this.failed;
  }

  /** The first n buffered bytes (n is small: a frame head), copied only when they straddle chunks. */
  private peek(n: number): Uint8Array {
    const c0 = this.chunks[this.first]!;
    if (c0.length >= n) return c0.subarray(0, n);
    const out = new Uint8Array(n);
    let off = 0;
    for (let i = this.first; off < n; i++) {
      const part = this.chunks[i]!.subarray(0, n - off);
      out.set(part, off);
      off += part.length;
    }
    return out;
  }

  /** Removes the first n buffered bytes; `into` receives them (the one copy), or they are dropped. */
  private consume(n: number, into?: Uint8Array): void {
    let off = 0;
    while (off < n) {
      const c = this.chunks[this.first]!;
      const k = Math.min(c.length, n - off);
      into?.set(k === c.length ? c : c.subarray(0, k), off);
      off += k;
      if (k === c.length) this.first++;
      else this.chunks[this.first] = c.subarray(k);
    }
    this.buffered -= n;
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first > 1024 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  /** The head of the frame at the front, checked against the limits; null until all of it is in. */
  private readHead(): { bytes: number; lens: number[]; total: number } | null {
    if (this.buffered < 4) return null;
    const n = u32le(this.peek(4), 0);
    if (n > this.limits.maxStrings) {
      this.fail(`module-wrapper frame declares ${n} strings (limit ${this.limits.maxStrings}); stream starts with ${describeBytes(this.peek(Math.min(this.buffered, 80)))}`);
    }
    const bytes = 4 * (1 + n);
    if (this.buffered < bytes) return null;
    const h = this.peek(bytes);
    let payload = 0;
    const lens: number[] = [];
    for (let i = 0; i < n; i++) {
      const len = u32le(h, 4 * (1 + i));
      payload += len;
      if (payload > this.limits.maxBytes) {
        this.fail(`module-wrapper frame declares a ${len}-byte string (frame total over the ${this.limits.maxBytes}-byte limit); stream starts with ${describeBytes(this.peek(Math.min(this.buffered, 80)))}`);
      }
      lens.push(len);
    }
    return { bytes, lens, total: bytes + payload };
  }

  private tryTake(): Uint8Array[] | null {
    this.head ??= this.readHead();
    const head = this.head;
    if (!head || this.buffered < head.total) return null;
    this.head = null;
    this.consume(head.bytes);
    // Fresh arrays: the caller may keep the strings while later chunks arrive.
    return head.lens.map((len) => {
      const part = new Uint8Array(len);
      this.consume(len, part);
      return part;
    });
  }
}

export function textOf(b: Uint8Array | undefined): string {
  return b ? new TextDecoder().decode(b) : '';
}
