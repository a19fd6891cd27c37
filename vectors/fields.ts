// Typed, located access to fields of a vector file. Every error names the file,
// the tgId/tcId (or line) and the field, so a bad vector is found in seconds.

import { tryHex } from '../model/bytes.ts';

export interface Where {
  file: string;
  tgId?: number;
  tcId?: number;
  line?: number;
}

export function whereText(w: Where): string {
  const parts = [w.file];
  if (w.tgId !== undefined) parts.push(`tgId=${w.tgId}`);
  if (w.tcId !== undefined) parts.push(`tcId=${w.tcId}`);
  if (w.line !== undefined) parts.push(`line ${w.line}`);
  return parts.join(' ');
}

export class VectorFormatError extends Error {
  override name = 'VectorFormatError';
  constructor(readonly where: Where, readonly field: string | undefined, problem: string) {
    super(`${whereText(where)}${field ? ` field '${field}'` : ''}: ${problem}`);
  }
}

type Obj = Record<string, unknown>;

export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Field reader bound to one location. */
export class Fields {
  constructor(readonly where: Where, readonly obj: Obj) {}

  fail(field: string | undefined, problem: string): never {
    throw new VectorFormatError(this.where, field, problem);
  }

  has(name: string): boolean {
    return this.obj[name] !== undefined;
  }

  private raw(name: string): unknown {
    const v = this.obj[name];
    if (v === undefined) this.fail(name, 'missing');
    return v;
  }

  str(name: string): string {
    const v = this.raw(name);
    if (typeof v !== 'string') this.fail(name, `expected a string, got ${typeof v}`);
    return v;
  }

  optStr(name: string): string | undefined {
    return this.has(name) ? this.str(name) : undefined;
  }

  int(name: string): number {
    const v = this.raw(name);
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(name, `expected an integer, got ${JSON.stringify(v)}`);
    // Beyond 2^53 JSON numbers are rounded: two ids would read as one.
    if (!Number.isSafeInteger(v)) this.fail(name, `${v} is beyond 2^53 and cannot be read exactly; expected an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`);
    return v;
  }

  bool(name: string): boolean {
    const v = this.raw(name);
    if (typeof v !== 'boolean') this.fail(name, `expected true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** Hex bytes; `len` pins the decoded length (a number or the allowed set). */
  hex(name: string, len?: number | readonly number[]): Uint8Array {
    const s = this.str(name);
    const b = tryHex(s);
    if (!b) {
      const bad = s.search(/[^0-9a-fA-F]/);
      this.fail(name, bad >= 0 ? `not hex: character ${JSON.stringify(s[bad])} at offset ${bad}` : `not hex: odd length ${s.length}`);
    }
    if (len !== undefined) {
      const ok = typeof len === 'number' ? b.length === len : len.includes(b.length);
      if (!ok) this.fail(name, `expected ${typeof len === 'number' ? len : len.join(' or ')} bytes, got ${b.length}`);
    }
    return b;
  }

  optHex(name: string, len?: number): Uint8Array | undefined {
    return this.has(name) ? this.hex(name, len) : undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const s = this.str(name);
    if (!(allowed as readonly string[]).includes(s)) this.fail(name, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`);
    return s as T;
  }

  array(name: string): unknown[] {
    const v = this.raw(name);
    if (!Array.isArray(v)) this.fail(name, 'expected an array');
    return v;
  }
}
