import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { FrameDecoder, ProtocolError, encodeFrame, textOf } from '../backends/modulewrapper/codec.ts';
import {
  DESCRIBE_COMMAND, ERROR_MARKER, OP_WIRES, WIRE_BY_OP, buildConfig, capabilitiesOf, decodeError, encodeError,
  isErrorResponse, parseConfig, routeFor,
} from '../backends/modulewrapper/commands.ts';
import { serveModuleWrapper, servedBackend } from '../backends/modulewrapper/server.ts';
import { handleRequest } from '../backends/modulewrapper/commands.ts';
import { InexpressibleError, RejectedError, UnsupportedError, type Capabilities } from '../model/contract.ts';
import { createNobleBackend } from '../backends/noble.ts';
import { splitCommand } from '../backends/process.ts';

const te = new TextEncoder();
const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');
const bytes = (n: number, f = 0) => new Uint8Array(n).fill(f);

describe('codec', () => {
  const frames: (Uint8Array | string)[][] = [
    ['getConfig'],
    ['ML-KEM-768/encap', bytes(1184, 7), bytes(32, 9)],
    ['x', new Uint8Array(0), new Uint8Array(0)],
    [],
  ];

  it('encodes the documented layout', () => {
    const f = encodeFrame(['ab', new Uint8Array([1, 2, 3])]);
    expect(hex(f)).toBe('02000000' + '02000000' + '03000000' + '6162' + '010203');
  });

  it('round-trips one frame and many frames per chunk', () => {
    const all = Buffer.concat(frames.map((f) => encodeFrame(f)));
    const got = new FrameDecoder().push(all);
    expect(got.length).toBe(frames.length);
    got.forEach((g, i) => expect(g.map(hex)).toEqual(frames[i]!.map((p) => hex(typeof p === 'string' ? te.encode(p) : p))));
  });

  it('handles every split point and byte-at-a-time feeding', () => {
    const all = Buffer.concat(frames.slice(0, 3).map((f) => encodeFrame(f)));
    const want = frames.slice(0, 3).map((f) => f.map((p) => hex(typeof p === 'string' ? te.encode(p) : p)));
    for (let cut = 0; cut <= all.length; cut += 97) {
      const d = new FrameDecoder();
      const got = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
      expect(got.map((g) => g.map(hex))).toEqual(want);
      expect(d.pending).toBe(0);
    }
    const d = new FrameDecoder();
    const got: Uint8Array[][] = [];
    for (const b of all.subarray(0, 200)) got.push(...d.push(new Uint8Array([b])));
    expect(got.length).toBe(1);
    expect(textOf(got[0]![0])).toBe('getConfig');
    expect(d.pending).toBe(200 - encodeFrame(['getConfig']).length);
  });

  it('refuses absurd counts and lengths with a clear error, and stays failed', () => {
    const d = new FrameDecoder();
    expect(() => d.push(te.encode('hello from a stray printf\n'))).toThrow(/strings \(limit 64\).*text "hello from a stray printf/s);
    expect(() => d.push(new Uint8Array(1))).toThrow(ProtocolError);
    const big = new Uint8Array(8);
    new DataView(big.buffer).setUint32(0, 1, true);
    new DataView(big.buffer).setUint32(4, 0xffffffff, true);
    expect(() => new FrameDecoder().push(big)).toThrow(/4294967295-byte string \(frame total over the 67108864-byte limit\)/);
    expect(() => new FrameDecoder({ maxBytes: 10 }).push(encodeFrame([bytes(11)]))).toThrow(ProtocolError);
    // A log line followed by a real frame: the message shows the text only.
    const mixed = Buffer.concat([te.encode('debug: x=1\n'), encodeFrame([bytes(32, 0x41)])]);
    expect(() => new FrameDecoder().push(mixed)).toThrow(/text "debug: x=1\\n" \(is something printing/);
  });
  it('copies each byte of a large frame once, however it is split (reassembly is linear)', () => {
    // Every copy the decoder can make goes through Uint8Array set/slice: count the bytes they move.
    let copied = 0;
    const typed = Object.getPrototypeOf(Uint8Array.prototype) as Uint8Array;
    const set = vi.spyOn(Uint8Array.prototype, 'set').mockImplementation(function (this: Uint8Array, src: ArrayLike<number>, off?: number) {
      copied += src.length;
      typed.set.call(this, src, off);
    });
    const slice = vi.spyOn(Uint8Array.prototype, 'slice').mockImplementation(function (this: Uint8Array, start?: number, end?: number) {
      const out = typed.slice.call(this, start, end);
      copied += out.length;
      return out;
    });
    try {
      const payload = 16 << 20;
      const frame = encodeFrame([bytes(payload / 2, 1), bytes(payload / 2, 2)]);
      copied = 0;
      const d = new FrameDecoder();
      const got: Uint8Array[][] = [];
      // 64 KiB: what a pipe delivers per 'data' event.
      for (let off = 0; off < frame.length; off += 65536) got.push(...d.push(frame.subarray(off, off + 65536)));
      expect(got).toHaveLength(1);
      expect(got[0]!.map((p) => [p.length, p[0], p[p.length - 1]])).toEqual([[payload / 2, 1, 1], [payload / 2, 2, 2]]);
      // Once into the returned strings, plus a few frame heads that straddled chunks.
      expect(copied).toBeGreaterThanOrEqual(payload);
      expect(copied).toBeLessThan(payload + 64 * 1024);
      // Byte-at-a-time feeding of many small frames stays linear too.
      const small = Buffer.concat(Array.from({ length: 200 }, (_, i) => encodeFrame(['x', bytes(100, i)])));
      copied = 0;
      const d2 = new FrameDecoder();
      let n = 0;
      for (const b of small) n += d2.push(Uint8Array.of(b)).length;
      expect(n).toBe(200);
      expect(copied).toBeLessThan(small.length * 8);
    } finally {
      set.mockRestore();
      slice.mockRestore();
    }
  });
});

describe('command table', () => {
  const noble = createNobleBackend();

  it('getConfig built from capabilities parses back to the same capabilities', () => {
    const caps = noble.capabilities();
    const back = capabilitiesOf(parseConfig(JSON.parse(JSON.stringify(buildConfig(caps)))));
    expect(back.ops).toEqual(caps.ops);
    expect(back.parameterSets).toEqual(caps.parameterSets);
    expect(back.preHash).toEqual(caps.preHash);
  });

  it('every op has a route; extension commands exist exactly for the ambiguous and randomized ops', () => {
    for (const w of OP_WIRES) expect(w.ext || w.std, w.op).toBeTruthy();
    expect(OP_WIRES.filter((w) => !w.std).map((w) => w.op).sort()).toEqual(
      ['dsa.keygenRandom', 'dsa.signPreHash', 'dsa.verifyPreHash', 'kem.encapsRandom', 'kem.keygenRandom'].sort(),
    );
  });

  it('a BoringSSL-style internal-only wrapper gets M\' and mu over standard sigGen, and no pure/pre-hash signing', () => {
    const peer = parseConfig([
      { algorithm: 'ML-DSA', mode: 'keyGen', revision: 'FIPS204', parameterSets: ['ML-DSA-65'] },
      { algorithm: 'ML-DSA', mode: 'sigGen', revision: 'FIPS204', capabilities: [{ parameterSets: ['ML-DSA-65'] }], signatureInterfaces: ['internal'], externalMu: [true, false], deterministic: [true, false] },
      { algorithm: 'ML-DSA', mode: 'sigVer', revision: 'FIPS204', capabilities: [{ parameterSets: ['ML-DSA-65'] }], signatureInterfaces: ['internal'], externalMu: [false] },
      { algorithm: 'acvptool', features: ['batch'] },
    ]);
    const caps = capabilitiesOf(peer);
    expect(caps.parameterSets).toEqual(['ML-DSA-65']);
    expect(caps.ops).toEqual(['dsa.keygen', 'dsa.signInternal', 'dsa.signMu', 'dsa.verifyInternal']);
    const sk = bytes(4032, 1), mp = bytes(10, 2), rnd = bytes(32, 3), mu = bytes(64, 4);
    const r1 = routeFor(peer, WIRE_BY_OP.get('dsa.signInternal')!, 'ML-DSA-65', [sk, mp, rnd])!;
    expect(r1.command).toBe('ML-DSA-65/sigGen');
    expect(r1.wire.map((w) => w.length)).toEqual([4032, 10, 32, 0, 0]);
    const r2 = routeFor(peer, WIRE_BY_OP.get('dsa.signMu')!, 'ML-DSA-65', [sk, mu, rnd])!;
    expect(r2.wire.map((w) => w.length)).toEqual([4032, 0, 32, 0, 64]);
    expect(routeFor(peer, WIRE_BY_OP.get('dsa.sign')!, 'ML-DSA-65', [sk, mp, bytes(0), rnd])).toBeNull();
    expect(() => r2 && routeFor(peer, WIRE_BY_OP.get('dsa.signMu')!, 'ML-DSA-65', [sk, bytes(0), rnd])).toThrow(UnsupportedError);
  });

  it('a wrapper declaring both interfaces is ambiguous: standard sigGen is not used for either', () => {
    const peer = parseConfig([{ algorithm: 'ML-DSA', mode: 'sigGen', parameterSets: ['ML-DSA-44'], signatureInterfaces: ['internal', 'external'], externalMu: [false] }]);
    expect(capabilitiesOf(peer).ops).toEqual([]);
  });

  it('a deterministic-only wrapper is not sent a non-zero rnd', () => {
    const peer = parseConfig([{ algorithm: 'ML-DSA', mode: 'sigGen', parameterSets: ['ML-DSA-44'], signatureInterfaces: ['external'], deterministic: [true] }]);
    const w = WIRE_BY_OP.get('dsa.sign')!;
    expect(routeFor(peer, w, 'ML-DSA-44', [bytes(1), bytes(1), bytes(0), bytes(32)])).not.toBeNull();
    expect(routeFor(peer, w, 'ML-DSA-44', [bytes(1), bytes(1), bytes(0), bytes(32, 1)])).toBeNull();
  });

  it('ML-KEM keyGen sends a seed of the wrong total length as it is, but never reads 64 bytes split other than 32/32 as d and z', () => {
    const peer = parseConfig([{ algorithm: 'ML-KEM', mode: 'keyGen', parameterSets: ['ML-KEM-512'] }]);
    const keygen = WIRE_BY_OP.get('kem.keygen')!;
    // 63 bytes: the wrapper must refuse it, and that refusal is what the case checks.
    expect(routeFor(peer, keygen, 'ML-KEM-512', [bytes(31), bytes(32)])!.wire[0]).toHaveLength(63);
    expect(() => routeFor(peer, keygen, 'ML-KEM-512', [bytes(33), bytes(31)])).toThrow(InexpressibleError);
  });

  it('errors map back to the same classes', () => {
    const r = encodeError(new RejectedError('bad key'));
    expect(isErrorResponse(r)).toBe(true);
    expect(textOf(r[0])).toBe(ERROR_MARKER);
    const e1 = decodeError(r, 'X');
    expect(e1).toBeInstanceOf(RejectedError);
    expect(e1.message).toBe('bad key');
    expect(decodeError(encodeError(new UnsupportedError('nope')), 'X')).toBeInstanceOf(UnsupportedError);
    const e3 = decodeError(encodeError(new TypeError('boom')), 'ML-KEM-768/encap');
    expect(e3.constructor).toBe(Error);
    expect(e3.message).toBe('ML-KEM-768/encap: TypeError: boom');
    expect(isErrorResponse([bytes(32)])).toBe(false);
  });
});

describe('server (in process)', () => {
  const noble = createNobleBackend();
  const served = servedBackend(noble);
  const req = (...p: (string | Uint8Array)[]) => handleRequest(served, p.map((x) => (typeof x === 'string' ? te.encode(x) : x)));

  it('standard and extension commands give the in-process results', async () => {
    const d = bytes(32, 1), z = bytes(32, 2), m = bytes(32, 3);
    const kp = await noble.kem!.keygen('ML-KEM-768', d, z);
    const seed = new Uint8Array([...d, ...z]);
    const r = (await req('ML-KEM-768/keyGen', seed))!;
    expect(r.map(hex)).toEqual([hex(kp.ek), hex(kp.dk)]);
    const enc = await noble.kem!.encaps('ML-KEM-768', kp.ek, m);
    expect((await req('ML-KEM-768/encap', kp.ek, m))!.map(hex)).toEqual([hex(enc.c), hex(enc.k)]);
    expect((await req('ML-KEM-768/decap', kp.dk, enc.c))!.map(hex)).toEqual([hex(enc.k)]);
    expect((await req('ML-KEM-768/encapKeyCheck', kp.ek))!.map(hex)).toEqual(['01']);

    const dk = await noble.dsa!.keygen('ML-DSA-44', bytes(32, 5));
    const msg = te.encode('hello'), ctx = te.encode('ctx'), rnd = bytes(32);
    const sig = await noble.dsa!.sign('ML-DSA-44', dk.sk, msg, ctx, rnd);
    // noble offers `sign`, so standard sigGen means the external interface here.
    expect((await req('ML-DSA-44/sigGen', dk.sk, msg, rnd, ctx, bytes(0)))!.map(hex)).toEqual([hex(sig)]);
    expect((await req('ML-DSA-44/sigGen/external', dk.sk, msg, ctx, rnd))!.map(hex)).toEqual([hex(sig)]);
    expect((await req('ML-DSA-44/sigVer', dk.pk, msg, sig, ctx, bytes(0)))!.map(hex)).toEqual(['01']);
    const ph = await noble.dsa!.signPreHash('ML-DSA-44', dk.sk, msg, 'SHA2-256', ctx, rnd);
    expect((await req('ML-DSA-44/sigGen/preHash', dk.sk, msg, 'SHA2-256', ctx, rnd))!.map(hex)).toEqual([hex(ph)]);
    const mu = bytes(64, 9);
    const smu = await noble.dsa!.signMu('ML-DSA-44', dk.sk, mu, rnd);
    expect((await req('ML-DSA-44/sigGen', dk.sk, bytes(0), rnd, bytes(0), mu))!.map(hex)).toEqual([hex(smu)]);
  });

  it('answers unknown commands and bad input with error responses, flush with nothing', async () => {
    const u = (await req('SHA2-256'))!;
    expect(decodeError(u, 'SHA2-256')).toBeInstanceOf(UnsupportedError);
    const bad = (await req('ML-KEM-768/encap', bytes(5), bytes(32)))!;
    expect(decodeError(bad, 'x')).toBeInstanceOf(RejectedError);
    expect(await req('flush')).toBeNull();
    const desc = (await req(DESCRIBE_COMMAND))!;
    expect(JSON.parse(textOf(desc[0])).id).toBe('noble');
  });

  it('serves pipelined requests in order over a stream', async () => {
    const input = new PassThrough();
    const out: Uint8Array[] = [];
    const done = serveModuleWrapper(noble, input, (b) => out.push(b));
    const all = Buffer.concat([encodeFrame(['getConfig']), encodeFrame(['ML-KEM-512/keyGen', bytes(64, 1)]), encodeFrame([DESCRIBE_COMMAND])]);
    input.write(all.subarray(0, 7));
    input.end(all.subarray(7));
    await done;
    const frames = new FrameDecoder().push(Buffer.concat(out));
    expect(frames.length).toBe(3);
    expect(Array.isArray(JSON.parse(textOf(frames[0]![0])))).toBe(true);
    expect(frames[1]!.map((f) => f.length)).toEqual([800, 1632]);
    expect(JSON.parse(textOf(frames[2]![0])).kind).toBe('js');
  });

  it('a backend with only internal signing serves standard sigGen as M\'', async () => {
    const caps: Capabilities = { parameterSets: ['ML-DSA-44'], ops: ['dsa.keygen', 'dsa.signInternal'] };
    const s = servedBackend({ ...noble, capabilities: () => caps });
    const dk = await noble.dsa!.keygen('ML-DSA-44', bytes(32, 5));
    const mp = te.encode('M prime'), rnd = bytes(32);
    const want = await noble.dsa!.signInternal('ML-DSA-44', dk.sk, mp, rnd);
    const got = await handleRequest(s, [te.encode('ML-DSA-44/sigGen'), dk.sk, mp, rnd, bytes(0), bytes(0)]);
    expect(got!.map(hex)).toEqual([hex(want)]);
    const cfg = s.config as { mode?: string; signatureInterfaces?: string[] }[];
    expect(cfg.find((c) => c.mode === 'sigGen')?.signatureInterfaces).toEqual(['internal']);
  });
});

describe('process: command splitting', () => {
  it('splits like a shell without running one', () => {
    expect(splitCommand('python3 tests/fixtures/mw_echo.py')).toEqual(['python3', 'tests/fixtures/mw_echo.py']);
    expect(splitCommand(`a 'b c' "d \\"e\\" $f" g\\ h  ''`)).toEqual(['a', 'b c', 'd "e" $f', 'g h', '']);
    expect(() => splitCommand(`a 'b`)).toThrow(/unterminated/);
  });
});
