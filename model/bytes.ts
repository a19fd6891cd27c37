// Hex and byte helpers. Vector files mix upper- and lower-case hex: always
// compare bytes, never strings.

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Decode hex; returns undefined on odd length or a non-hex character. */
export function tryHex(s: string): Uint8Array | undefined {
  if (!HEX_RE.test(s)) return undefined;
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

export function fromHex(s: string): Uint8Array {
  const b = tryHex(s);
  if (b === undefined) throw new Error(`not hex: ${s.length > 40 ? s.slice(0, 40) + '…' : s}`);
  return b;
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Index of the first differing byte, or -1. */
export function firstDiff(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export const ZERO32: Readonly<Uint8Array> = new Uint8Array(32);

/**
 * FNV-1a (32-bit) of a string, one step per code point's first UTF-16 unit: a
 * stable, seedless hash for names (shard assignment, property seeds).
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const ch of s) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
