// The one table between the backend contract (model/contract.ts) and the
// module-wrapper command set, used by both sides: the child that serves a
// Backend (server.ts) and the parent that turns a wrapper into a Backend
// (client.ts). See PROTOCOL.md beside this file.

import type { Backend, BackendInfo, Capabilities, Op } from '../../model/contract.ts';
import { ALL_OPS, InexpressibleError, RejectedError, UnsupportedError } from '../../model/contract.ts';
import type { DsaParam, HashAlg, KemParam, ParamSet } from '../../model/params.ts';
import { DSA_PARAMS, KEM_PARAMS, isDsaParam, isHashAlg, isKemParam, isParamSet } from '../../model/params.ts';
import { secretArgs } from '../../model/secrets.ts';
import type { SecretMarks } from '../secret-marks.ts';
import { ProtocolError, textOf } from './codec.ts';

/** A contract argument: bytes, or text (only the pre-hash algorithm name). */
export type Arg = Uint8Array | string;

/** Extension entry's `algorithm` in getConfig, and the command namespace. */
export const EXT_ALGORITHM = 'pqc-harness';
export const DESCRIBE_COMMAND = 'pqc-harness/describe';
/** acvptool's feature asking for `flush` commands (answers may wait until then). */
export const BATCH_FEATURE = 'batch';
/** First string of a three-string error response (see PROTOCOL.md). */
export const ERROR_MARKER = 'pqc-harness/error';
export type ErrorKind = 'rejected' | 'unsupported' | 'error';

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

/** How the server interprets the ambiguous standard ML-DSA `message` field. */
export type DsaInterface = 'internal' | 'external';

/** One way of carrying an op over a standard ACVP command. */
interface StdRoute {
  suffix: string;
  /** Contract args (after ps) → wire strings (after the command name). Throws UnsupportedError if inexpressible. */
  toWire(a: Arg[], peer: PeerConfig): Uint8Array[];
  /** Wire strings → contract args, or null when this request does not mean this op (server side). */
  fromWire(w: Uint8Array[], iface: DsaInterface | null): Arg[] | null;
  /** Whether the peer's getConfig says this op travels over this command (client side). */
  usable(peer: PeerConfig, ps: ParamSet, a: Arg[]): boolean;
}

export type ResultShape = readonly [string, string] | 'bytes' | 'flag';

export interface OpWire {
  op: Op;
  family: 'kem' | 'dsa';
  /** Method name on backend.kem / backend.dsa. */
  method: string;
  /** Argument kinds after the parameter set, in contract order. */
  args: readonly ('bytes' | 'text')[];
  result: ResultShape;
  /** Extension command suffix (`${ps}/${ext}`), arguments in contract order. */
  ext?: string;
  std?: StdRoute;
}

function bytesArg(a: Arg | undefined): Uint8Array {
  if (a instanceof Uint8Array) return a;
  throw new TypeError('expected a byte-string argument');
}
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length + b.length);
  o.set(a, 0);
  o.set(b, a.length);
  return o;
}
function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/** The standard ML-DSA sigGen/sigVer capability the peer declared for ps. */
function dsaMode(peer: PeerConfig, mode: 'sigGen' | 'sigVer', ps: ParamSet): DsaModeCaps | undefined {
  return (mode === 'sigGen' ? peer.sigGen : peer.sigVer).get(ps as DsaParam);
}
/**
 * Whether the standard command's `message` means `iface` for this peer: the
 * interface it declared alone, or, when it declared both, the reading a
 * known-answer probe decided (peer.dialect; undecided = no standard route).
 */
function readsAs(peer: PeerConfig, mode: 'sigGen' | 'sigVer', m: DsaModeCaps | undefined, iface: DsaInterface): boolean {
  if (!m) return false;
  const pure = iface === 'internal' || !m.preHash.length || m.preHash.includes('pure');
  if (isAmbiguous(m)) return peer.dialect.message[mode] === iface && pure;
  // Undeclared interfaces: acvptool's original ML-DSA revision was external-less; assume internal.
  const ifs = m.interfaces.length ? m.interfaces : ['internal'];
  return ifs.includes(iface) && pure;
}
function isAmbiguous(m: DsaModeCaps): boolean {
  return m.interfaces.includes('internal') && m.interfaces.includes('external');
}
/** An empty message for a peer that reads an empty string as "no message" (Go's wrapper) cannot be sent. */
function messageWire(peer: PeerConfig, msg: Arg | undefined): Uint8Array {
  const b = bytesArg(msg);
  if (b.length === 0 && peer.dialect.emptyMessage === 'absent') {
    throw new InexpressibleError('this wrapper reads an empty `message` as no message at all, so an empty message cannot be sent through its standard commands');
  }
  return b;
}

/** The randomizer as this peer expects a deterministic one (acvptool: 32 zero bytes; some wrappers: empty). */
function rndWire(peer: PeerConfig, rnd: Arg | undefined): Uint8Array {
  const b = bytesArg(rnd);
  return peer.dialect.deterministicRnd === 'empty' && b.length === 32 && isZero(b) ? EMPTY : b;
}
/** acvptool sends 32 zero bytes for deterministic groups; a deterministic-only wrapper can do nothing else. */
function rndOk(m: DsaModeCaps | undefined, rnd: Arg | undefined): boolean {
  if (!m || !m.deterministic.length) return true;
  const zero = rnd instanceof Uint8Array && isZero(rnd);
  return m.deterministic.includes(zero);
}

const kemFn = (fn: string) => (peer: PeerConfig, ps: ParamSet) => peer.kemFunctions.get(ps as KemParam)?.has(fn) ?? false;

/** THE table. Order matters on the server: the first std route that accepts a request wins. */
export const OP_WIRES: readonly OpWire[] = [
  {
    op: 'kem.keygen', family: 'kem', method: 'keygen', args: ['bytes', 'bytes'], result: ['ek', 'dk'],
    std: {
      suffix: 'keyGen',
      toWire: ([d, z]) => {
        const db = bytesArg(d), zb = bytesArg(z);
        // One seed d‖z travels: a seed of the wrong total length goes as it is (the wrapper must refuse it),
        // but 64 bytes split other than 32/32 would be read as a different d and z.
        if (db.length + zb.length === 64 && db.length !== 32) {
          throw new InexpressibleError(`ML-KEM keyGen over the module-wrapper protocol carries one 64-byte seed d‖z; cannot express |d|=${db.length}, |z|=${zb.length}`);
        }
        return [concat(db, zb)];
      },
      fromWire: ([seed]) => {
        const s = seed ?? EMPTY;
        if (s.length !== 64) throw new RejectedError(`ML-KEM keyGen seed must be 64 bytes (d‖z), got ${s.length}`);
        return [s.slice(0, 32), s.slice(32)];
      },
      usable: (peer, ps) => peer.kemKeyGen.has(ps as KemParam),
    },
  },
  {
    op: 'kem.encaps', family: 'kem', method: 'encaps', args: ['bytes', 'bytes'], result: ['c', 'k'],
    std: { suffix: 'encap', toWire: (a) => a.map(bytesArg), fromWire: (w) => w.slice(0, 2), usable: kemFn('encapsulation') },
  },
  {
    op: 'kem.decaps', family: 'kem', method: 'decaps', args: ['bytes', 'bytes'], result: 'bytes',
    std: { suffix: 'decap', toWire: (a) => a.map(bytesArg), fromWire: (w) => w.slice(0, 2), usable: kemFn('decapsulation') },
  },
  {
    op: 'kem.checkEncapsKey', family: 'kem', method: 'checkEncapsKey', args: ['bytes'], result: 'flag',
    std: { suffix: 'encapKeyCheck', toWire: (a) => a.map(bytesArg), fromWire: (w) => w.slice(0, 1), usable: kemFn('encapsulationKeyCheck') },
  },
  {
    op: 'kem.checkDecapsKey', family: 'kem', method: 'checkDecapsKey', args: ['bytes'], result: 'flag',
    std: { suffix: 'decapKeyCheck', toWire: (a) => a.map(bytesArg), fromWire: (w) => w.slice(0, 1), usable: kemFn('decapsulationKeyCheck') },
  },
  { op: 'kem.keygenRandom', family: 'kem', method: 'keygenRandom', args: [], result: ['ek', 'dk'], ext: 'keyGen/random' },
  { op: 'kem.encapsRandom', family: 'kem', method: 'encapsRandom', args: ['bytes'], result: ['c', 'k'], ext: 'encap/random' },
  {
    op: 'dsa.keygen', family: 'dsa', method: 'keygen', args: ['bytes'], result: ['pk', 'sk'],
    std: { suffix: 'keyGen', toWire: (a) => a.map(bytesArg), fromWire: (w) => w.slice(0, 1), usable: (peer, ps) => peer.dsaKeyGen.has(ps as DsaParam) },
  },
  { op: 'dsa.keygenRandom', family: 'dsa', method: 'keygenRandom', args: [], result: ['pk', 'sk'], ext: 'keyGen/random' },
  // Standard sigGen: (sk, message, randomizer, context, mu). acvptool never sends both message and mu.
  {
    op: 'dsa.signMu', family: 'dsa', method: 'signMu', args: ['bytes', 'bytes', 'bytes'], result: 'bytes', ext: 'sigGen/mu',
    std: {
      suffix: 'sigGen',
      toWire: ([sk, mu, rnd], peer) => {
        if (bytesArg(mu).length === 0) throw new UnsupportedError('an empty mu cannot be told from "no mu" in the standard sigGen command');
        return [bytesArg(sk), EMPTY, rndWire(peer, rnd), EMPTY, bytesArg(mu)];
      },
      fromWire: ([sk, msg, rnd, ctx, mu]) => (mu?.length ? [sk ?? EMPTY, mu, rnd ?? EMPTY] : (void msg, void ctx, null)),
      usable: (peer, ps, a) => { const m = dsaMode(peer, 'sigGen', ps); return !!m?.externalMu.includes(true) && rndOk(m, a[2]); },
    },
  },
  {
    op: 'dsa.sign', family: 'dsa', method: 'sign', args: ['bytes', 'bytes', 'bytes', 'bytes'], result: 'bytes', ext: 'sigGen/external',
    std: {
      suffix: 'sigGen',
      toWire: ([sk, msg, ctx, rnd], peer) => [bytesArg(sk), messageWire(peer, msg), rndWire(peer, rnd), bytesArg(ctx), EMPTY],
      fromWire: ([sk, msg, rnd, ctx], iface) => (iface === 'external' ? [sk ?? EMPTY, msg ?? EMPTY, ctx ?? EMPTY, rnd ?? EMPTY] : null),
      usable: (peer, ps, a) => { const m = dsaMode(peer, 'sigGen', ps); return readsAs(peer, 'sigGen', m, 'external') && rndOk(m, a[3]); },
    },
  },
  {
    op: 'dsa.signInternal', family: 'dsa', method: 'signInternal', args: ['bytes', 'bytes', 'bytes'], result: 'bytes', ext: 'sigGen/internal',
    std: {
      suffix: 'sigGen',
      toWire: ([sk, mp, rnd], peer) => [bytesArg(sk), bytesArg(mp), rndWire(peer, rnd), EMPTY, EMPTY],
      fromWire: ([sk, mp, rnd, ctx], iface) => {
        if (iface !== 'internal') return null;
        if (ctx?.length) throw new RejectedError('a context string was sent to an internal-interface sigGen');
        return [sk ?? EMPTY, mp ?? EMPTY, rnd ?? EMPTY];
      },
      usable: (peer, ps, a) => { const m = dsaMode(peer, 'sigGen', ps); return readsAs(peer, 'sigGen', m, 'internal') && rndOk(m, a[2]); },
    },
  },
  { op: 'dsa.signPreHash', family: 'dsa', method: 'signPreHash', args: ['bytes', 'bytes', 'text', 'bytes', 'bytes'], result: 'bytes', ext: 'sigGen/preHash' },
  // Standard sigVer: (pk, message, signature, context, mu).
  {
    op: 'dsa.verifyMu', family: 'dsa', method: 'verifyMu', args: ['bytes', 'bytes', 'bytes'], result: 'flag', ext: 'sigVer/mu',
    std: {
      suffix: 'sigVer',
      toWire: ([pk, mu, sig]) => {
        if (bytesArg(mu).length === 0) throw new UnsupportedError('an empty mu cannot be told from "no mu" in the standard sigVer command');
        return [bytesArg(pk), EMPTY, bytesArg(sig), EMPTY, bytesArg(mu)];
      },
      fromWire: ([pk, , sig, , mu]) => (mu?.length ? [pk ?? EMPTY, mu, sig ?? EMPTY] : null),
      usable: (peer, ps) => !!dsaMode(peer, 'sigVer', ps)?.externalMu.includes(true),
    },
  },
  {
    op: 'dsa.verify', family: 'dsa', method: 'verify', args: ['bytes', 'bytes', 'bytes', 'bytes'], result: 'flag', ext: 'sigVer/external',
    std: {
      suffix: 'sigVer',
      toWire: ([pk, msg, sig, ctx], peer) => [bytesArg(pk), messageWire(peer, msg), bytesArg(sig), bytesArg(ctx), EMPTY],
      fromWire: ([pk, msg, sig, ctx], iface) => (iface === 'external' ? [pk ?? EMPTY, msg ?? EMPTY, sig ?? EMPTY, ctx ?? EMPTY] : null),
      usable: (peer, ps) => readsAs(peer, 'sigVer', dsaMode(peer, 'sigVer', ps), 'external'),
    },
  },
  {
    op: 'dsa.verifyInternal', family: 'dsa', method: 'verifyInternal', args: ['bytes', 'bytes', 'bytes'], result: 'flag', ext: 'sigVer/internal',
    std: {
      suffix: 'sigVer',
      toWire: ([pk, mp, sig]) => [bytesArg(pk), bytesArg(mp), bytesArg(sig), EMPTY, EMPTY],
      fromWire: ([pk, mp, sig, ctx], iface) => {
        if (iface !== 'internal') return null;
        if (ctx?.length) throw new RejectedError('a context string was sent to an internal-interface sigVer');
        return [pk ?? EMPTY, mp ?? EMPTY, sig ?? EMPTY];
      },
      usable: (peer, ps) => readsAs(peer, 'sigVer', dsaMode(peer, 'sigVer', ps), 'internal'),
    },
  },
  { op: 'dsa.verifyPreHash', family: 'dsa', method: 'verifyPreHash', args: ['bytes', 'bytes', 'bytes', 'text', 'bytes'], result: 'flag', ext: 'sigVer/preHash' },
];

/** Number of wire strings each standard command takes after its name. */
const STD_ARITY: Record<string, Record<string, number>> = {
  kem: { keyGen: 1, encap: 2, decap: 2, encapKeyCheck: 1, decapKeyCheck: 1 },
  dsa: { keyGen: 1, sigGen: 5, sigVer: 5 },
};

export const WIRE_BY_OP: ReadonlyMap<Op, OpWire> = new Map(OP_WIRES.map((w) => [w.op, w]));

// ---------------------------------------------------------------------------
// Values <-> strings

export function encodeArgs(w: OpWire, args: Arg[]): Uint8Array[] {
  return args.map((a) => (typeof a === 'string' ? utf8.encode(a) : a));
}
export function decodeExtArgs(w: OpWire, strings: Uint8Array[]): Arg[] {
  if (strings.length !== w.args.length) throw new ProtocolError(`${w.op}: expected ${w.args.length} arguments, got ${strings.length}`);
  return strings.map((s, i) => (w.args[i] === 'text' ? textOf(s) : s));
}

/** A value a backend returned, described for an error message (never the value's own text unbounded). */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? `an object with keys ${Object.keys(v).slice(0, 5).join(', ') || '(none)'}` : `${typeof v} ${String(v)}`;
}

/**
 * Checks what a backend returned against the shape its operation promises.
 * Every host uses this one check (the served side of the child and worker
 * hosts, and the in-process host), so an answer is judged the same way
 * wherever the backend runs: a verdict must be a boolean (`undefined` or the
 * string "false" is not "reject"), bytes must be a Uint8Array.
 */
export function checkResult(w: OpWire, r: unknown): void {
  const bad = (what: string): never => {
    throw new TypeError(`${w.op} returned ${describeValue(r)}; ${what}`);
  };
  if (w.result === 'flag') {
    if (typeof r !== 'boolean') bad('a verdict must be true or false');
  } else if (w.result === 'bytes') {
    if (!(r instanceof Uint8Array)) bad('expected a Uint8Array');
  } else {
    const o = r as Record<string, unknown> | null;
    if (!o || typeof o !== 'object') bad(`expected { ${w.result.join(', ')} }`);
    for (const k of w.result) if (!(o![k] instanceof Uint8Array)) bad(`expected ${k} as a Uint8Array, got ${describeValue(o![k])}`);
  }
}

export function encodeResult(w: OpWire, r: unknown): Uint8Array[] {
  checkResult(w, r);
  if (w.result === 'flag') return [new Uint8Array([r ? 1 : 0])];
  if (w.result === 'bytes') return [r as Uint8Array];
  const o = r as Record<string, Uint8Array>;
  return [o[w.result[0]]!, o[w.result[1]]!];
}

/** Why a response cannot be the answer to a request for `w` (string count, flag size), or null when it fits. */
export function shapeProblem(w: OpWire, s: Uint8Array[]): string | null {
  if (isErrorResponse(s)) return null;
  const want = Array.isArray(w.result) ? 2 : 1;
  if (s.length !== want) return `expected ${want} response string${want > 1 ? 's' : ''}, got ${s.length}`;
  if (w.result === 'flag' && s[0]!.length !== 1) return `expected a one-byte flag, got ${s[0]!.length} bytes`;
  return null;
}

/** A response already judged by shapeProblem (the connection's check, before it counts as an answer). */
export function decodeResult(w: OpWire, s: Uint8Array[]): unknown {
  if (w.result === 'flag') return s[0]![0] !== 0;
  if (w.result === 'bytes') return s[0];
  return { [w.result[0]]: s[0], [w.result[1]]: s[1] };
}

// ---------------------------------------------------------------------------
// Errors: the protocol has no error frame; the harness uses a three-string
// response [ERROR_MARKER, kind, message]. No standard command answers with
// three strings, so the shape alone cannot collide with a real answer.

export function encodeError(e: unknown): Uint8Array[] {
  const err = e instanceof Error ? e : new Error(String(e));
  const kind: ErrorKind =
    err instanceof RejectedError || err.name === 'RejectedError' ? 'rejected'
      : err instanceof UnsupportedError || err.name === 'UnsupportedError' ? 'unsupported'
        : 'error';
  const msg = kind === 'error' && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return [utf8.encode(ERROR_MARKER), utf8.encode(kind), utf8.encode(msg)];
}

export function isErrorResponse(s: Uint8Array[]): boolean {
  return s.length === 3 && textOf(s[0]) === ERROR_MARKER;
}

/** The exception a parent raises for an error response. */
export function decodeError(s: Uint8Array[], command: string): Error {
  const kind = textOf(s[1]);
  const msg = textOf(s[2]);
  if (kind === 'rejected') return new RejectedError(msg);
  if (kind === 'unsupported') return new UnsupportedError(msg);
  return new Error(`${command}: ${msg}`);
}

// ---------------------------------------------------------------------------
// getConfig: built from a backend's capabilities (server), parsed into a
// PeerConfig and capabilities (client).

export interface DsaModeCaps {
  interfaces: string[];
  externalMu: boolean[];
  preHash: string[];
  deterministic: boolean[];
}

/**
 * How a peer reads what getConfig leaves open, decided by known-answer probes
 * (harness/dialect.ts) and recorded with their evidence.
 */
export interface Dialect {
  /**
   * What `message` means in the standard sigGen / sigVer commands of a peer that
   * declares both signature interfaces; absent or null: undetermined, so no
   * standard route carries pure or internal signing.
   */
  message: { sigGen?: DsaInterface | null; sigVer?: DsaInterface | null };
  /** How a deterministic signature's randomizer is sent: 32 zero bytes (acvptool's way) or an empty string. */
  deterministicRnd: 'zeros' | 'empty';
  /** Whether an empty external `message` reaches the implementation, or is read as "no message". */
  emptyMessage: 'carried' | 'absent';
}

export interface PeerConfig {
  raw: unknown[];
  dialect: Dialect;
  /** The peer listed acvptool's `batch` feature: it may hold answers until `flush`. */
  batch: boolean;
  /** The peer lists the `pqc-harness` extension entry, so it speaks the harness's error frames. */
  extension: boolean;
  kemKeyGen: Set<KemParam>;
  kemFunctions: Map<KemParam, Set<string>>;
  dsaKeyGen: Set<DsaParam>;
  sigGen: Map<DsaParam, DsaModeCaps>;
  sigVer: Map<DsaParam, DsaModeCaps>;
  /** Extension commands the peer offers (full names). */
  features: Set<string>;
  /** Pre-hash support from the extension entry. */
  preHash?: Partial<Record<DsaParam, HashAlg[]>>;
}

const KEM_FUNCTIONS: [Op, string][] = [
  ['kem.encaps', 'encapsulation'],
  ['kem.decaps', 'decapsulation'],
  ['kem.checkEncapsKey', 'encapsulationKeyCheck'],
  ['kem.checkDecapsKey', 'decapsulationKeyCheck'],
];

/** The interface the standard ML-DSA commands mean on a server with these ops. */
export function serverDsaInterface(ops: readonly Op[], mode: 'sigGen' | 'sigVer'): DsaInterface | null {
  const [ext, int] = mode === 'sigGen' ? (['dsa.sign', 'dsa.signInternal'] as const) : (['dsa.verify', 'dsa.verifyInternal'] as const);
  if (ops.includes(ext)) return 'external';
  if (ops.includes(int)) return 'internal';
  return null;
}

/** getConfig for a backend served over the protocol. */
export function buildConfig(caps: Capabilities, opts: { describe?: boolean } = {}): unknown[] {
  const has = (op: Op) => caps.ops.includes(op);
  const kemPs = caps.parameterSets.filter(isKemParam);
  const dsaPs = caps.parameterSets.filter(isDsaParam);
  const out: unknown[] = [];
  if (kemPs.length && has('kem.keygen')) out.push({ algorithm: 'ML-KEM', mode: 'keyGen', revision: 'FIPS203', parameterSets: kemPs });
  const fns = KEM_FUNCTIONS.filter(([op]) => has(op)).map(([, f]) => f);
  if (kemPs.length && fns.length) out.push({ algorithm: 'ML-KEM', mode: 'encapDecap', revision: 'FIPS203', parameterSets: kemPs, functions: fns });
  if (dsaPs.length && has('dsa.keygen')) out.push({ algorithm: 'ML-DSA', mode: 'keyGen', revision: 'FIPS204', parameterSets: dsaPs });
  for (const mode of ['sigGen', 'sigVer'] as const) {
    const iface = serverDsaInterface(caps.ops, mode);
    const mu = has(mode === 'sigGen' ? 'dsa.signMu' : 'dsa.verifyMu');
    if (!dsaPs.length || (!iface && !mu)) continue;
    out.push({
      algorithm: 'ML-DSA', mode, revision: 'FIPS204',
      capabilities: [{ parameterSets: dsaPs }],
      signatureInterfaces: iface ? [iface] : ['internal'],
      externalMu: mu ? [true, false] : [false],
      preHash: ['pure'],
      ...(mode === 'sigGen' ? { deterministic: [true, false] } : {}),
    });
  }
  const features: string[] = [];
  for (const w of OP_WIRES) {
    if (!w.ext || !has(w.op)) continue;
    for (const ps of w.family === 'kem' ? kemPs : dsaPs) features.push(`${ps}/${w.ext}`);
  }
  if (opts.describe !== false) features.push(DESCRIBE_COMMAND);
  out.push({ algorithm: EXT_ALGORITHM, revision: '1', features, ...(caps.preHash ? { preHash: caps.preHash } : {}) });
  return out;
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function boolList(v: unknown): boolean[] {
  return Array.isArray(v) ? v.filter((x): x is boolean => typeof x === 'boolean') : [];
}
/** parameterSets at top level (older revisions) or inside capabilities[] (FIPS204 sigGen/sigVer). */
function paramSetsOf(o: Record<string, unknown>): string[] {
  const top = strList(o['parameterSets']);
  const inner = Array.isArray(o['capabilities'])
    ? (o['capabilities'] as unknown[]).flatMap((c) => (c && typeof c === 'object' ? strList((c as Record<string, unknown>)['parameterSets']) : []))
    : [];
  return [...new Set([...top, ...inner])];
}

export function parseConfig(raw: unknown): PeerConfig {
  if (!Array.isArray(raw)) throw new ProtocolError('getConfig did not return a JSON array');
  const cfg: PeerConfig = {
    raw, dialect: { message: {}, deterministicRnd: 'zeros', emptyMessage: 'carried' }, batch: false, extension: false,
    kemKeyGen: new Set(), kemFunctions: new Map(), dsaKeyGen: new Set(), sigGen: new Map(), sigVer: new Map(), features: new Set(),
  };
  for (const item of raw) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const alg = o['algorithm'];
    const mode = o['mode'];
    if (alg === 'acvptool') {
      cfg.batch = strList(o['features']).includes(BATCH_FEATURE);
    } else if (alg === EXT_ALGORITHM) {
      cfg.extension = true;
      for (const f of strList(o['features'])) cfg.features.add(f);
      const ph = o['preHash'];
      if (ph && typeof ph === 'object') {
        const m: Partial<Record<DsaParam, HashAlg[]>> = {};
        for (const [k, v] of Object.entries(ph as Record<string, unknown>)) if (isDsaParam(k)) m[k] = strList(v).filter(isHashAlg);
        cfg.preHash = m;
      }
    } else if (alg === 'ML-KEM') {
      const ps = paramSetsOf(o).filter(isKemParam);
      if (mode === 'keyGen') ps.forEach((p) => cfg.kemKeyGen.add(p));
      if (mode === 'encapDecap') {
        const fns = o['functions'] === undefined ? ['encapsulation', 'decapsulation'] : strList(o['functions']);
        for (const p of ps) {
          const set = cfg.kemFunctions.get(p) ?? new Set<string>();
          fns.forEach((f) => set.add(f));
          cfg.kemFunctions.set(p, set);
        }
      }
    } else if (alg === 'ML-DSA') {
      const ps = paramSetsOf(o).filter(isDsaParam);
      if (mode === 'keyGen') ps.forEach((p) => cfg.dsaKeyGen.add(p));
      if (mode === 'sigGen' || mode === 'sigVer') {
        const m: DsaModeCaps = {
          interfaces: strList(o['signatureInterfaces']),
          externalMu: boolList(o['externalMu']),
          preHash: strList(o['preHash']),
          deterministic: boolList(o['deterministic']),
        };
        for (const p of ps) (mode === 'sigGen' ? cfg.sigGen : cfg.sigVer).set(p, m);
      }
    }
  }
  return cfg;
}

/** The command that carries `op` for `ps` to this peer, preferring extension commands; null if none. */
export function routeFor(peer: PeerConfig, w: OpWire, ps: ParamSet, args: Arg[]): { command: string; wire: Uint8Array[] } | null {
  if (w.ext && peer.features.has(`${ps}/${w.ext}`)) return { command: `${ps}/${w.ext}`, wire: encodeArgs(w, args) };
  if (w.std && w.std.usable(peer, ps, args)) return { command: `${ps}/${w.std.suffix}`, wire: w.std.toWire(args, peer) };
  return null;
}

/** Whether the peer can run `op` for `ps` at all (ignoring argument-dependent limits). */
function peerHas(peer: PeerConfig, w: OpWire, ps: ParamSet): boolean {
  if (w.ext && peer.features.has(`${ps}/${w.ext}`)) return true;
  if (!w.std) return false;
  // Probe with a non-zero rnd and a non-empty mu: the most general call shape.
  const probe: Arg[] = w.args.map(() => new Uint8Array([1]));
  return w.std.usable(peer, ps, probe) || w.std.usable(peer, ps, w.args.map(() => new Uint8Array(1)));
}

/** Contract capabilities implied by a peer's getConfig. */
export function capabilitiesOf(peer: PeerConfig): Capabilities {
  const ops = new Set<Op>();
  const sets = new Set<ParamSet>();
  for (const w of OP_WIRES) {
    for (const ps of w.family === 'kem' ? KEM_PARAMS : DSA_PARAMS) {
      if (peerHas(peer, w, ps)) {
        ops.add(w.op);
        sets.add(ps);
      }
    }
  }
  const caps: Capabilities = {
    parameterSets: [...KEM_PARAMS, ...DSA_PARAMS].filter((p) => sets.has(p)),
    ops: ALL_OPS.filter((op) => ops.has(op)),
  };
  if (peer.preHash) caps.preHash = peer.preHash;
  return caps;
}

// ---------------------------------------------------------------------------
// Server side: one request → one response.

export interface Served {
  backend: Backend;
  caps: Capabilities;
  config: unknown[];
  describe: () => BackendInfo;
  /** In a child of the constant-time host: every call runs with its secret inputs marked (model/secrets.ts). */
  marks?: SecretMarks | null;
}

function parseCommand(name: string): { ps: ParamSet; suffix: string } | null {
  const i = name.indexOf('/');
  if (i < 0) return null;
  const ps = name.slice(0, i);
  return isParamSet(ps) ? { ps, suffix: name.slice(i + 1) } : null;
}

async function invoke(s: Served, w: OpWire, ps: ParamSet, args: Arg[]): Promise<Uint8Array[]> {
  if (!s.caps.ops.includes(w.op) || !s.caps.parameterSets.includes(ps)) throw new UnsupportedError(`${s.describe().id} does not offer ${w.op} for ${ps}`);
  const api = (w.family === 'kem' ? s.backend.kem : s.backend.dsa) as unknown as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined> | undefined;
  const fn = api?.[w.method];
  if (typeof fn !== 'function') throw new UnsupportedError(`${s.describe().id} has no ${w.op}`);
  if (!s.marks) return encodeResult(w, await fn.call(api, ps, ...args));
  return markedCall(s.marks, w, args, async () => encodeResult(w, await fn.call(api, ps, ...args)));
}

/**
 * The constant-time host's bracket around one call: the secret inputs are
 * marked just before the backend runs, and declassified with every output
 * before anything else reads them (the response encoder, a caller comparing
 * shared secrets), so only the library's own use of a secret is reported.
 */
async function markedCall(marks: SecretMarks, w: OpWire, args: Arg[], call: () => Promise<Uint8Array[]>): Promise<Uint8Array[]> {
  const secrets = secretArgs(w.op, args).filter((a): a is { name: string; value: Uint8Array } => a.value instanceof Uint8Array);
  for (const a of secrets) marks.secret(a.name, a.value);
  try {
    const out = await call();
    for (const o of out) marks.declassify(o);
    return out;
  } finally {
    for (const a of secrets) marks.declassify(a.value);
  }
}

/**
 * Answer one request. Returns null for requests that get no response (`flush`).
 * Backend exceptions become error responses; a crash in the backend is the
 * parent's business.
 */
export async function handleRequest(s: Served, frame: Uint8Array[]): Promise<Uint8Array[] | null> {
  const name = textOf(frame[0]);
  const args = frame.slice(1);
  try {
    if (name === 'getConfig') return [utf8.encode(JSON.stringify(s.config))];
    if (name === 'flush') return null;
    if (name === DESCRIBE_COMMAND) return [utf8.encode(JSON.stringify(s.describe()))];
    const cmd = parseCommand(name);
    if (!cmd) throw new UnsupportedError(`unknown command ${JSON.stringify(name)}`);
    const family = isKemParam(cmd.ps) ? 'kem' : 'dsa';
    const ext = OP_WIRES.find((w) => w.family === family && w.ext === cmd.suffix);
    if (ext) return await invoke(s, ext, cmd.ps, decodeExtArgs(ext, args));
    const arity = STD_ARITY[family]?.[cmd.suffix];
    if (arity === undefined) throw new UnsupportedError(`unknown command ${JSON.stringify(name)}`);
    if (args.length !== arity) throw new ProtocolError(`${name}: expected ${arity} arguments, got ${args.length}`);
    const mode = cmd.suffix === 'sigGen' || cmd.suffix === 'sigVer' ? cmd.suffix : null;
    const iface = mode ? serverDsaInterface(s.caps.ops, mode) : null;
    for (const w of OP_WIRES) {
      if (w.family !== family || w.std?.suffix !== cmd.suffix) continue;
      const a = w.std.fromWire(args, iface);
      if (a) return await invoke(s, w, cmd.ps, a);
    }
    throw new UnsupportedError(`${name}: this backend cannot serve that request`);
  } catch (e) {
    return encodeError(e);
  }
}
