// `crucible:CMD`: any program written for symbolicsoft/crucible's JSON-lines
// harness protocol, mapped onto the backend contract.
//
// The program first prints one line, `{"implementation":"name-version",
// "functions":[...]}`. Each request is one line
// `{"function":F,"inputs":{...hex...},"params":{"param_set":N}}`; each reply
// one line: `{"outputs":{...hex...}}`, `{"error":"..."}` (the input was
// refused: RejectedError) or `{"unsupported":true}` (UnsupportedError).
//
//   ML_KEM_KeyGen  randomness = d‖z (64 B)   → ek, dk     kem.keygen
//   ML_KEM_Encaps  ek, randomness = m (32 B) → c, K       kem.encaps
//   ML_KEM_Decaps  c, dk                      → K         kem.decaps
//   ML_DSA_KeyGen  seed = ξ (32 B)            → pk, sk    dsa.keygen
//   ML_DSA_Sign    sk, message, rnd (32 B)    → sigma     see below
//   ML_DSA_Verify  pk, message, sigma         → valid "01"/"00"
//
// What `message` means for ML_DSA_Sign / ML_DSA_Verify (M with an empty
// context, or M′ of the internal interface) is not fixed by the protocol: a
// known-answer probe decides it (harness/dialect.ts) before any case runs;
// until then neither signing operation is offered. Internal functions of the
// protocol (NTT, compression, ...) are not mapped. The process is driven by
// the module-wrapper client, so a crash or a hang costs one call, as for `process:`.

import { fromHex, toHex } from '../model/bytes.ts';
import { InexpressibleError, RejectedError, UnsupportedError, type BackendInfo, type Capabilities, type DialectDecision, type DsaApi, type KemApi, type Op } from '../model/contract.ts';
import { ALL_PARAMS, isKemParam, psArg, type ParamSet } from '../model/params.ts';
import { ProtocolError, textOf } from './modulewrapper/codec.ts';
import { WrapperConnection, type ProcessBackend, type WrapperOptions } from './modulewrapper/client.ts';
import type { Codec } from './modulewrapper/link.ts';
import { splitCommand } from './process.ts';

/** One JSON object per line, each way. */
export const JSON_LINES: Codec = {
  encode: (parts) => {
    const p = parts[0] ?? '';
    return Buffer.from(`${typeof p === 'string' ? p : textOf(p)}\n`, 'utf8');
  },
  decoder: () => {
    let pending = '';
    return {
      push(chunk) {
        pending += Buffer.from(chunk).toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop()!;
        return lines.filter((l) => l.trim() !== '').map((l) => [Buffer.from(l, 'utf8')]);
      },
    };
  },
};

type Reading = 'external' | 'internal';

export interface CrucibleBackend extends ProcessBackend {
  /** What the program says it is and offers (its first line). */
  readonly banner: { implementation: string; functions: string[] };
  /** One ML_DSA_Sign call as the dialect probe sends it: the signature, or why it was refused. */
  probeSign(ps: ParamSet, sk: Uint8Array, message: Uint8Array, rnd: Uint8Array): Promise<Uint8Array | { refused: string }>;
  /** Route ML_DSA_Sign / ML_DSA_Verify as the evidence says; capabilities and describe() follow. */
  applyMessageReading(reading: Reading | null, decision: DialectDecision): void;
}

function parseBanner(line: Uint8Array | undefined): { implementation: string; functions: string[] } {
  let o: unknown;
  try {
    o = JSON.parse(textOf(line));
  } catch (e) {
    throw new ProtocolError(`a Crucible harness must print {"implementation":...,"functions":[...]} first; got ${JSON.stringify(textOf(line).slice(0, 120))} (${(e as Error).message})`);
  }
  const b = o as { implementation?: unknown; functions?: unknown };
  if (typeof b?.implementation !== 'string' || !Array.isArray(b.functions)) {
    throw new ProtocolError(`a Crucible harness's first line must carry "implementation" (a string) and "functions" (an array); got ${JSON.stringify(o).slice(0, 200)}`);
  }
  return { implementation: b.implementation, functions: b.functions.filter((f): f is string => typeof f === 'string') };
}

export async function openCrucibleBackend(cmd: string, opts: WrapperOptions = {}): Promise<CrucibleBackend> {
  const argv = splitCommand(cmd);
  if (!argv.length) throw new Error('crucible: backend needs a command (crucible:CMD)');
  const conn = WrapperConnection.spawn(argv, { ...opts, codec: JSON_LINES }, { hello: 'banner' });
  let banner: CrucibleBackend['banner'];
  try {
    banner = parseBanner((await conn.start())[0]);
  } catch (e) {
    await conn.close(1_000);
    throw e;
  }
  // Its replies carry errors, so an exit is a crash, never a refusal.
  conn.configure({ batch: false, errorFrames: true });
  const has = (f: string) => banner.functions.includes(f);
  let reading: Reading | null = null;
  let info: BackendInfo = {
    id: `crucible:${cmd}`,
    name: banner.implementation,
    version: banner.implementation.includes('-') ? banner.implementation.slice(banner.implementation.lastIndexOf('-') + 1) : 'unknown',
    kind: 'crucible',
    notes: [`Crucible JSON-lines harness: ${argv.join(' ')}`, `functions: ${banner.functions.join(', ')}`],
  };

  const call = async (fn: string, ps: ParamSet, inputs: Record<string, Uint8Array>): Promise<Record<string, Uint8Array>> => {
    const req = JSON.stringify({ function: fn, inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toHex(v)])), params: { param_set: psArg(ps) } });
    const [line] = await conn.request([req], { label: `${fn} (${ps})` });
    let o: { outputs?: Record<string, unknown>; error?: unknown; unsupported?: unknown };
    try {
      o = JSON.parse(textOf(line)) as typeof o;
    } catch (e) {
      throw new ProtocolError(`${fn}: the reply is not JSON: ${(e as Error).message}`);
    }
    if (o.unsupported === true) throw new UnsupportedError(`${info.id}: ${fn} is unsupported for ${ps}`);
    if (o.error !== undefined) throw new RejectedError(`${fn}: ${String(o.error)}`);
    if (!o.outputs || typeof o.outputs !== 'object') throw new ProtocolError(`${fn}: a reply needs "outputs", "error" or "unsupported"; got ${textOf(line).slice(0, 200)}`);
    const out: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(o.outputs)) {
      if (typeof v !== 'string') throw new ProtocolError(`${fn}: output ${k} is not a hex string`);
      out[k] = fromHex(v);
    }
    return out;
  };
  const field = (fn: string, out: Record<string, Uint8Array>, k: string): Uint8Array => {
    const v = out[k];
    if (!v) throw new ProtocolError(`${fn}: the reply has no output "${k}" (has ${Object.keys(out).join(', ') || 'none'})`);
    return v;
  };
  const sign = async (ps: ParamSet, sk: Uint8Array, message: Uint8Array, rnd: Uint8Array) => field('ML_DSA_Sign', await call('ML_DSA_Sign', ps, { sk, message, rnd }), 'sigma');
  const verify = async (ps: ParamSet, pk: Uint8Array, message: Uint8Array, sigma: Uint8Array) => {
    const v = field('ML_DSA_Verify', await call('ML_DSA_Verify', ps, { pk, message, sigma }), 'valid');
    if (v.length !== 1 || v[0]! > 1) throw new ProtocolError(`ML_DSA_Verify: "valid" must be "01" or "00", got ${toHex(v)}`);
    return v[0] === 1;
  };
  const noCtx = (ctx: Uint8Array): void => {
    if (ctx.length) throw new InexpressibleError('the Crucible protocol carries no context string: only an empty context can be sent');
  };
  const unsupported = (op: Op) => async (): Promise<never> => {
    throw new UnsupportedError(`${info.id}: the Crucible protocol has no ${op}`);
  };

  const kem: KemApi = {
    keygen: async (ps, d, z) => {
      const o = await call('ML_KEM_KeyGen', ps, { randomness: Buffer.concat([d, z]) });
      return { ek: field('ML_KEM_KeyGen', o, 'ek'), dk: field('ML_KEM_KeyGen', o, 'dk') };
    },
    encaps: async (ps, ek, m) => {
      const o = await call('ML_KEM_Encaps', ps, { ek, randomness: m });
      return { c: field('ML_KEM_Encaps', o, 'c'), k: field('ML_KEM_Encaps', o, 'K') };
    },
    decaps: async (ps, dk, c) => field('ML_KEM_Decaps', await call('ML_KEM_Decaps', ps, { c, dk }), 'K'),
    checkEncapsKey: unsupported('kem.checkEncapsKey'),
    checkDecapsKey: unsupported('kem.checkDecapsKey'),
  };
  const dsa: DsaApi = {
    keygen: async (ps, xi) => {
      const o = await call('ML_DSA_KeyGen', ps, { seed: xi });
      return { pk: field('ML_DSA_KeyGen', o, 'pk'), sk: field('ML_DSA_KeyGen', o, 'sk') };
    },
    sign: async (ps, sk, msg, ctx, rnd) => {
      if (reading !== 'external') throw new UnsupportedError(`${info.id}: ML_DSA_Sign does not read its message as M`);
      noCtx(ctx);
      return sign(ps, sk, msg, rnd);
    },
    signInternal: async (ps, sk, mp, rnd) => {
      if (reading !== 'internal') throw new UnsupportedError(`${info.id}: ML_DSA_Sign does not read its message as M′`);
      return sign(ps, sk, mp, rnd);
    },
    verify: async (ps, pk, msg, sig, ctx) => {
      if (reading !== 'external') throw new UnsupportedError(`${info.id}: ML_DSA_Verify does not read its message as M`);
      noCtx(ctx);
      return verify(ps, pk, msg, sig);
    },
    verifyInternal: async (ps, pk, mp, sig) => {
      if (reading !== 'internal') throw new UnsupportedError(`${info.id}: ML_DSA_Verify does not read its message as M′`);
      return verify(ps, pk, mp, sig);
    },
    signMu: unsupported('dsa.signMu'),
    signPreHash: unsupported('dsa.signPreHash'),
    verifyMu: unsupported('dsa.verifyMu'),
    verifyPreHash: unsupported('dsa.verifyPreHash'),
  };

  const capabilities = (): Capabilities => {
    const ops: Op[] = [];
    if (has('ML_KEM_KeyGen')) ops.push('kem.keygen');
    if (has('ML_KEM_Encaps')) ops.push('kem.encaps');
    if (has('ML_KEM_Decaps')) ops.push('kem.decaps');
    if (has('ML_DSA_KeyGen')) ops.push('dsa.keygen');
    if (has('ML_DSA_Sign') && reading) ops.push(reading === 'external' ? 'dsa.sign' : 'dsa.signInternal');
    if (has('ML_DSA_Verify') && reading) ops.push(reading === 'external' ? 'dsa.verify' : 'dsa.verifyInternal');
    const kemOps = ops.some((o) => o.startsWith('kem.'));
    const dsaOps = ops.some((o) => o.startsWith('dsa.'));
    return { parameterSets: ALL_PARAMS.filter((ps) => (isKemParam(ps) ? kemOps : dsaOps)), ops };
  };
  return {
    connection: conn,
    banner,
    describe: () => info,
    capabilities,
    kem,
    dsa,
    stats: () => ({ respawns: { ...conn.stats.respawns } }),
    async probeSign(ps, sk, message, rnd) {
      try {
        return await sign(ps, sk, message, rnd);
      } catch (e) {
        return { refused: (e as Error).message.split('\n')[0]! };
      }
    },
    applyMessageReading(r, decision) {
      reading = r;
      info = { ...info, dialect: [...(info.dialect ?? []), decision] };
    },
    close: () => conn.close(),
  };
}
