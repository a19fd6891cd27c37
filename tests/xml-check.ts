// A small strict XML 1.0 well-formedness checker for the JUnit tests: throws on
// anything a conforming parser would reject that our writer could plausibly
// produce (illegal characters, bad or unknown entity references, raw `<` or `&`,
// unbalanced or mismatched tags, duplicate attributes, unquoted values, more
// than one root). Returns a tiny element tree with decoded text and attributes.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Decoded character data directly inside this element. */
  text: string;
}

const LEGAL = /^[\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function fail(msg: string, at: number): never {
  throw new Error(`XML not well-formed at offset ${at}: ${msg}`);
}

function decode(raw: string, at: number, inAttr: boolean): string {
  if (raw.includes('<')) fail('raw "<" in character data or attribute', at);
  if (!inAttr && raw.includes(']]>')) fail('"]]>" in character data', at);
  return raw.replace(/&([^;]*);|&/g, (m, body: string | undefined) => {
    if (body === undefined) fail('bare "&"', at);
    if (body in PREDEFINED) return PREDEFINED[body]!;
    const num = /^#x([0-9a-fA-F]+)$/.exec(body) ?? /^#([0-9]+)$/.exec(body);
    if (!num) fail(`unknown entity &${body};`, at);
    const cp = parseInt(num[1]!, body.startsWith('#x') ? 16 : 10);
    const ch = cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    if (!ch || !LEGAL.test(ch)) fail(`character reference to an illegal character ${m}`, at);
    return ch;
  });
}

export function parseXml(src: string): XmlElement {
  if (!LEGAL.test(src)) {
    const i = [...src].findIndex((c) => !LEGAL.test(c));
    fail(`illegal XML 1.0 character U+${src.codePointAt(i)?.toString(16) ?? '?'}`, i);
  }
  let i = 0;
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration', 0);
    if (!/^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z][-A-Za-z0-9._]*")?(\s+standalone="(yes|no)")?\s*\?>$/.test(src.slice(0, end + 2))) fail('bad XML declaration', 0);
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < src.length) {
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment', i);
      if (src.slice(i + 4, end).includes('--')) fail('"--" inside a comment', i);
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) fail('CDATA outside the root element', i);
      const end = src.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA', i);
      stack[stack.length - 1]!.text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction', i);
      i = end + 2;
    } else if (src.startsWith('</', i)) {
      const m = NAME.exec(src.slice(i + 2));
      if (!m) fail('bad end tag', i);
      const top = stack.pop();
      if (!top || top.name !== m[0]) fail(`end tag </${m[0]}> does not match <${top?.name ?? '(none)'}>`, i);
      let j = i + 2 + m[0].length;
      while (/\s/.test(src[j] ?? '')) j++;
      if (src[j] !== '>') fail('bad end tag', i);
      i = j + 1;
    } else if (src[i] === '<') {
      const m = NAME.exec(src.slice(i + 1));
      if (!m) fail('bad start tag', i);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      let j = i + 1 + m[0].length;
      for (;;) {
        const ws = /^\s*/.exec(src.slice(j))![0].length;
        j += ws;
        if (src.startsWith('/>', j) || src[j] === '>') break;
        if (ws === 0) fail('attributes must be separated by white space', j);
        const an = NAME.exec(src.slice(j));
        if (!an) fail(`bad attribute in <${el.name}>`, j);
        j += an[0].length;
        const eq = /^\s*=\s*/.exec(src.slice(j));
        if (!eq) fail(`attribute ${an[0]} without "="`, j);
        j += eq[0].length;
        const q = src[j];
        if (q !== '"' && q !== "'") fail(`unquoted value for ${an[0]}`, j);
        const end = src.indexOf(q, j + 1);
        if (end < 0) fail('unterminated attribute value', j);
        if (an[0] in el.attrs) fail(`duplicate attribute ${an[0]}`, j);
        el.attrs[an[0]] = decode(src.slice(j + 1, end), j, true);
        j = end + 1;
      }
      const selfClosing = src.startsWith('/>', j);
      i = j + (selfClosing ? 2 : 1);
      if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
      else if (root) fail('more than one root element', i);
      else root = el;
      if (!selfClosing) stack.push(el);
    } else {
      const next = src.indexOf('<', i);
      const end = next < 0 ? src.length : next;
      const raw = src.slice(i, end);
      if (stack.length === 0) {
        if (raw.trim() !== '') fail('text outside the root element', i);
      } else stack[stack.length - 1]!.text += decode(raw, i, false);
      i = end;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]!.name}>`, src.length);
  if (!root) fail('no root element', 0);
  return root;
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}
