import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, firstDiff, fromHex, toHex, tryHex } from '../model/bytes.ts';

describe('hex and bytes', () => {
  it('decodes upper and lower case to the same bytes', () => {
    expect(equalBytes(fromHex('ABCDEF01'), fromHex('abcdef01'))).toBe(true);
    expect([...fromHex('00ff7f')]).toEqual([0, 255, 127]);
    expect(fromHex('').length).toBe(0);
  });
  it('rejects odd length and non-hex characters', () => {
    expect(tryHex('abc')).toBeUndefined();
    expect(tryHex('zz')).toBeUndefined();
    expect(tryHex('0x00')).toBeUndefined();
    expect(() => fromHex('12 4')).toThrow(/not hex/);
  });
  it('encodes lower-case hex, honouring subarray offsets', () => {
    const b = Uint8Array.from([1, 2, 0xab, 4]);
    expect(toHex(b.subarray(1, 3))).toBe('02ab');
  });
  it('compares and locates differences', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(firstDiff(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 9, 3))).toBe(1);
    expect(firstDiff(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(2);
    expect(firstDiff(Uint8Array.of(1), Uint8Array.of(1))).toBe(-1);
    expect([...concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))]).toEqual([1, 2, 3]);
  });
});
