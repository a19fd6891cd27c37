// An incremental reader of valgrind's XML output (protocol 4, as written by
// `--xml=yes --xml-file=…`): the records the valgrind host needs, as they are
// appended to the file: <error> (kind, what / xwhat, auxwhat, stacks),
// <clientmsg> (our VALGRIND_PRINTF begin/end markers), <fatal_signal> and
// <suppcounts> (what the suppression files hid, at exit).
// Everything else (preamble, <status>, <errorcounts>) is skipped.
//
// Written for this format only: no attributes, no CDATA, no namespaces; the
// five predefined entities and numeric character references are decoded.

import type { Finding, FindingKind, Frame } from '../../model/results.ts';
import { isTimingKind } from '../../model/findings.ts';

export interface XmlNode {
  name: string;
  children: XmlNode[];
  /** Concatenated, entity-decoded text directly inside this element. */
  text: string;
}

export interface VgFrame {
  ip?: string;
  obj?: string;
  fn?: string;
  dir?: string;
  file?: string;
  line?: number;
}

export interface VgError {
  unique: string;
  kind: string;
  /** `<what>` or `<xwhat><text>` (leaks, some others). */
  what: string;
  auxwhat: string[];
  /** The first is where the error happened; later ones go with auxwhat (alloc'd / free'd at). */
  stacks: VgFrame[][];
  leakedBytes?: number;
  leakedBlocks?: number;
}

export type VgRecord =
  | { type: 'error'; error: VgError }
  | { type: 'clientmsg'; text: string }
  | { type: 'fatal_signal'; signame: string; stack: VgFrame[] }
  /** Written once as the process ends: how often each suppression entry matched. */
  | { type: 'suppcounts'; counts: { name: string; count: number }[] };

const RECORD_TAGS = ['error', 'clientmsg', 'fatal_signal', 'suppcounts'] as const;

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

/** Parse one complete element (`<name>…</name>`) into a tree. Throws on malformed input. */
export function parseElement(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->|([^<]+)/g;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(xml)) !== null) {
    if (m.index !== pos) throw new Error(`valgrind XML: unexpected text at ${pos}: ${JSON.stringify(xml.slice(pos, pos + 40))}`);
    pos = re.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[4] !== undefined) {
      top.text += decodeEntities(m[4]);
    } else if (m[2] !== undefined) {
      if (m[1]) {
        if (top.name !== m[2]) throw new Error(`valgrind XML: </${m[2]}> closes <${top.name}>`);
        top.text = top.text.trim();
        stack.pop();
      } else {
        const node: XmlNode = { name: m[2], children: [], text: '' };
        top.children.push(node);
        if (!m[3]) stack.push(node);
      }
    }
  }
  if (pos !== xml.length) throw new Error(`valgrind XML: cannot read from ${pos}: ${JSON.stringify(xml.slice(pos, pos + 40))}`);
  if (stack.length !== 1) throw new Error(`valgrind XML: <${stack[stack.length - 1]!.name}> is not closed`);
  const el = root.children[0];
  if (!el) throw new Error('valgrind XML: no element');
  return el;
}

const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name);
const childText = (n: XmlNode, name: string): string | undefined => child(n, name)?.text;

function frameOf(n: XmlNode): VgFrame {
  const f: VgFrame = {};
  for (const k of ['ip', 'obj', 'fn', 'dir', 'file'] as const) {
    const v = childText(n, k);
    if (v !== undefined) f[k] = v;
  }
  const line = childText(n, 'line');
  if (line !== undefined && /^\d+$/.test(line)) f.line = Number(line);
  return f;
}

function stackOf(n: XmlNode): VgFrame[] {
  return n.children.filter((c) => c.name === 'frame').map(frameOf);
}

export function errorOf(n: XmlNode): VgError {
  const xwhat = child(n, 'xwhat');
  const e: VgError = {
    unique: childText(n, 'unique') ?? '',
    kind: childText(n, 'kind') ?? 'Unknown',
    what: childText(n, 'what') ?? (xwhat ? (childText(xwhat, 'text') ?? '') : ''),
    auxwhat: n.children.filter((c) => c.name === 'auxwhat').map((c) => c.text),
    stacks: n.children.filter((c) => c.name === 'stack').map(stackOf),
  };
  // xauxwhat (protocol 4) carries its text in <text>.
  for (const x of n.children.filter((c) => c.name === 'xauxwhat')) {
    const t = childText(x, 'text');
    if (t) e.auxwhat.push(t);
  }
  if (xwhat) {
    const b = childText(xwhat, 'leakedbytes');
    const k = childText(xwhat, 'leakedblocks');
    if (b !== undefined) e.leakedBytes = Number(b);
    if (k !== undefined) e.leakedBlocks = Number(k);
  }
  return e;
}

function recordOf(xml: string): VgRecord {
  const n = parseElement(xml);
  if (n.name === 'error') return { type: 'error', error: errorOf(n) };
  if (n.name === 'clientmsg') return { type: 'clientmsg', text: childText(n, 'text') ?? '' };
  if (n.name === 'suppcounts') {
    const counts = n.children.filter((c) => c.name === 'pair').map((c) => ({ name: childText(c, 'name') ?? '?', count: Number(childText(c, 'count') ?? 0) }));
    return { type: 'suppcounts', counts };
  }
  const st = child(n, 'stack');
  return { type: 'fatal_signal', signame: childText(n, 'signame') ?? childText(n, 'signo') ?? '?', stack: st ? stackOf(st) : [] };
}

/**
 * Feed the file's text as it grows; get back every record completed so far.
 * A record split across reads is kept until its closing tag arrives.
 */
export class ValgrindXmlParser {
  private buf = '';

  push(text: string): VgRecord[] {
    this.buf += text;
    const out: VgRecord[] = [];
    for (;;) {
      let best: { at: number; tag: string } | null = null;
      for (const tag of RECORD_TAGS) {
        const at = this.buf.indexOf(`<${tag}>`);
        if (at >= 0 && (!best || at < best.at)) best = { at, tag };
      }
      if (!best) {
        // Keep a tail long enough to hold a split opening tag.
        const keep = this.buf.lastIndexOf('<');
        this.buf = keep >= 0 && this.buf.length - keep < 16 ? this.buf.slice(keep) : '';
        break;
      }
      const close = `</${best.tag}>`;
      const end = this.buf.indexOf(close, best.at);
      if (end < 0) {
        this.buf = this.buf.slice(best.at);
        break;
      }
      const xml = this.buf.slice(best.at, end + close.length);
      this.buf = this.buf.slice(end + close.length);
      out.push(recordOf(xml));
    }
    return out;
  }

  /** True when a record has started but not finished (the writer may be mid-record). */
  get pending(): boolean {
    return this.buf.includes('<');
  }
}

// ---------------------------------------------------------------------------
// Classification into the report's Finding.

/** The function of native/shim/ctmark.c that taints a secret input (`--host ct`). */
export const SECRET_MARK_FN = 'pqc_ct_secret';
const CLIENT_REQUEST_ORIGIN = 'Uninitialised value was created by a client request';

/**
 * Whether memcheck names the constant-time host's marking call as the origin
 * of an undefined value (--track-origins=yes; the origin's stack runs through
 * pqc_ct_secret).
 */
export function originIsSecretMark(e: Pick<VgError, 'auxwhat' | 'stacks'>): boolean {
  return e.auxwhat.some((a, i) => a.startsWith(CLIENT_REQUEST_ORIGIN) && (e.stacks[i + 1] ?? []).some((f) => f.fn === SECRET_MARK_FN));
}

/**
 * memcheck `<kind>` (plus its aux text) → FindingKind. `secretCall`: the error
 * happened in a call whose secret inputs the constant-time host had marked.
 * An uninitialised-value error there is a timing finding even when memcheck
 * names another origin: a value computed from several undefined ones carries
 * the origin of one of them only (measured: ml-kem's rejection sampling of A
 * from ρ = G(d) named the XOF's stack buffer, never the marked d), and the
 * same cases give no uninitialised read at all without marks (`--host valgrind`).
 */
export function classify(e: Pick<VgError, 'kind' | 'auxwhat'> & Partial<Pick<VgError, 'stacks'>>, secretCall = false): FindingKind {
  const aux = e.auxwhat.join('\n');
  const secret = secretCall || originIsSecretMark({ auxwhat: e.auxwhat, stacks: e.stacks ?? [] });
  const inFreed = /inside a block of size \d+ free'd|bytes inside a recently re-allocated block|block of size \d+ free'd/.test(aux);
  switch (e.kind) {
    case 'InvalidFree':
      // A second free of the same block: the address is the start of a block already free'd.
      return /is 0 bytes inside a block of size \d+ free'd/.test(aux) ? 'double-free' : 'invalid-free';
    case 'MismatchedFree':
      return 'mismatched-free';
    case 'InvalidRead':
      return inFreed ? 'use-after-free' : 'invalid-read';
    case 'InvalidWrite':
      return inFreed ? 'use-after-free' : 'invalid-write';
    // A branch on a secret; an undefined value used as an address (or jump target) is a secret index.
    case 'UninitCondition':
      return secret ? 'secret-branch' : 'uninitialised';
    case 'UninitValue':
      return secret ? 'secret-index' : 'uninitialised';
    case 'SyscallParam':
      return /uninitialised/i.test(aux) ? 'uninitialised' : 'other';
    default:
      return e.kind.startsWith('Leak_') ? 'leak' : 'other';
  }
}

export function isLeak(e: Pick<VgError, 'kind'>): boolean {
  return e.kind.startsWith('Leak_');
}

export function toFrame(f: VgFrame): Frame {
  const out: Frame = { fn: f.fn ?? f.ip ?? '???' };
  if (f.obj) out.obj = f.obj;
  if (f.file) out.file = f.dir ? `${f.dir}/${f.file}` : f.file;
  if (f.line !== undefined) out.line = f.line;
  return out;
}

function where(f: VgFrame | undefined): string {
  if (!f) return '?';
  const loc = f.file ? `${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : (f.obj ?? '');
  return `${f.fn ?? f.ip ?? '???'}${loc ? ` (${loc})` : ''}`;
}

const MAX_FRAMES = 24;
const ALLOCATOR_FN = /^(malloc|calloc|realloc|free|memalign|posix_memalign|aligned_alloc|operator new|operator delete)\b/;

/**
 * One memcheck error as a Finding; `context` (the call it happened in) is
 * appended to the message; `secretCall` as for classify().
 */
export function toFinding(e: VgError, context?: string, secretCall = false): Finding {
  const parts = [e.what];
  const kind = classify(e, secretCall);
  e.auxwhat.forEach((a, i) => {
    if (a.startsWith(CLIENT_REQUEST_ORIGIN) && originIsSecretMark(e)) {
      // The origin stack is the host's marking call, the same every time: say what it means instead.
      parts.push('the value derives from a secret input of the call');
      return;
    }
    // auxwhat i goes with stack i+1 (alloc'd / free'd at): name its top frame.
    const st = e.stacks[i + 1];
    // Name the first frame past the allocator (malloc / free / operator delete replacements).
    const top = st?.find((f) => !ALLOCATOR_FN.test(f.fn ?? '')) ?? st?.[0];
    parts.push(top ? `${a} at ${where(top)}` : a);
  });
  if (isTimingKind(kind) && !originIsSecretMark(e)) {
    parts.push('mixed with the secret inputs of the call (memcheck names one origin of several)');
  }
  if (context) parts.push(context);
  // A timing finding keeps its whole stack: which object a generic encoder was packing (a key or a signature) is deep in it.
  const depth = isTimingKind(kind) ? Infinity : MAX_FRAMES;
  return { tool: 'valgrind', kind, message: parts.join('; '), frames: (e.stacks[0] ?? []).slice(0, depth).map(toFrame) };
}
