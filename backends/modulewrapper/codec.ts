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

/**
 * Streaming decoder: feed it chunks as they arrive (any split, many frames per
 * chunk); it returns every frame completed so far. After a ProtocolError the
 * stream is unusable (framing is lost) and every later push throws again.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
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

  private flat(): Uint8Array {
    if (this.chunks.length !== 1) {
      const all = new Uint8Array(this.buffered);
      let off = 0;
      for (const c of this.chunks) {
        all.set(c, off);
        off += c.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0] ?? new Uint8Array(0);
  }

  private fail(msg: string): never {
    this.failed = new ProtocolError(msg);
    throw this.failed;
  }

  private tryTake(): Uint8Array[] | null {
    if (this.buffered < 4) return null;
    const buf = this.flat();
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const n = dv.getUint32(0, true);
    if (n > this.limits.maxStrings) {
      this.fail(`module-wrapper frame declares ${n} strings (limit ${this.limits.maxStrings}); stream starts with ${describeBytes(buf)}`);
    }
    const head = 4 * (1 + n);
    if (buf.length < head) return null;
    let total = 0;
    const lens: number[] = [];
    for (let i = 0; i < n; i++) {
      const len = dv.getUint32(4 * (1 + i), true);
      total += len;
      if (total > this.limits.maxBytes) {
        this.fail(`module-wrapper frame declares a ${len}-byte string (frame total over the ${this.limits.maxBytes}-byte limit); stream starts with ${describeBytes(buf)}`);
      }
      lens.push(len);
    }
    if (buf.length < head + total) return null;
    const parts: Uint8Array[] = [];
    let off = head;
    for (const len of lens) {
      // Copy: the caller may keep the strings while the buffer is reused.
      parts.push(buf.slice(off, off + len));
      off += len;
    }
    const rest = buf.subarray(off);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return parts;
  }
}

export function textOf(b: Uint8Array | undefined): string {
  return b ? new TextDecoder().decode(b) : '';
}
