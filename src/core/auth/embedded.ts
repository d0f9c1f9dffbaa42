/**
 * mapRoles and mapUsers are YAML inside a YAML string. Parsing the string loses where each character came from
 * (block indentation, quotes, escapes), so this module rebuilds the embedded text together with a map from each
 * embedded offset back to the host document. Where the map cannot be exact (folded scalars, multi-line quoted
 * scalars), every position maps to the whole scalar.
 */
import { Scalar } from 'yaml';

export interface EmbeddedText {
  /** The string value the authenticator sees. */
  text: string;
  /** Host range of the whole scalar, including quotes or the block header. */
  hostStart: number;
  hostEnd: number;
  /** Host offset of each embedded offset (length text.length + 1), or undefined when positions are not exact. */
  offsets?: Int32Array;
  /** How the scalar is written, which decides how replacement text must be encoded. */
  style: 'block' | 'plain' | 'single' | 'double' | 'folded';
  /** Indentation of block scalar content lines. */
  indent: number;
  /** The host's line break, which replacement text must use. */
  eol: '\n' | '\r\n';
}

/** Maps an embedded range to a host range; inexact maps answer the whole scalar. */
export function toHostRange(e: EmbeddedText, start: number, end: number): { offset: number; length: number; exact: boolean } {
  if (!e.offsets) return { offset: e.hostStart, length: e.hostEnd - e.hostStart, exact: false };
  const s = Math.max(0, Math.min(start, e.text.length));
  const en = Math.max(s, Math.min(end, e.text.length));
  // A block scalar cut off at the end of the file has a virtual final newline: keep ranges inside the scalar.
  const hs = Math.min(e.offsets[s], e.hostEnd);
  const he = Math.min(en > s ? e.offsets[en - 1] + 1 : hs, e.hostEnd);
  return { offset: hs, length: Math.max(0, he - hs), exact: true };
}

/** Encodes embedded replacement text for the host scalar, or undefined when it cannot be written there. */
export function encodeForHost(e: EmbeddedText, text: string): string | undefined {
  switch (e.style) {
    case 'block':
      return text.replace(/\n/g, e.eol + ' '.repeat(e.indent));
    case 'double':
      return text.replace(/[\\"]/g, (c) => '\\' + c).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
    case 'single':
      return text.includes('\n') ? undefined : text.replace(/'/g, "''");
    case 'plain':
      return text.includes('\n') || /[:#]\s|^[-?:,[\]{}#&*!|>'"%@`]/.test(text) ? undefined : text;
    default:
      return undefined;
  }
}

export function embeddedFromScalar(host: string, node: Scalar): EmbeddedText {
  const [start, valueEnd] = node.range ?? [0, 0];
  const value = typeof node.value === 'string' ? node.value : String(node.value ?? '');
  const base = { text: value, hostStart: start, hostEnd: valueEnd, indent: 0, eol: hostEol(host) };
  switch (node.type) {
    case Scalar.BLOCK_LITERAL:
      return blockLiteral(host, start, valueEnd, value) ?? { ...base, style: 'block' };
    case Scalar.BLOCK_FOLDED:
      return { ...base, style: 'folded' };
    case Scalar.QUOTE_DOUBLE:
      return { ...base, style: 'double', offsets: doubleQuoted(host, start, valueEnd, value) };
    case Scalar.QUOTE_SINGLE:
      return { ...base, style: 'single', offsets: singleQuoted(host, start, valueEnd, value) };
    default: {
      const src = host.slice(start, valueEnd);
      if (src !== value) return { ...base, style: 'plain' };
      const offsets = new Int32Array(value.length + 1);
      for (let i = 0; i <= value.length; i++) offsets[i] = start + i;
      return { ...base, style: 'plain', offsets };
    }
  }
}

/** The line break a document uses: CRLF when its first line break is one. */
export function hostEol(host: string): '\n' | '\r\n' {
  const nl = host.indexOf('\n');
  return nl > 0 && host[nl - 1] === '\r' ? '\r\n' : '\n';
}

function blockLiteral(host: string, start: number, end: number, value: string): EmbeddedText | undefined {
  const headerEnd = host.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return undefined;
  const header = host.slice(start, headerEnd);
  const explicit = /^\|[+-]?([1-9])|^\|([1-9])[+-]?/.exec(header);
  // The block's parent indentation: an explicit indicator counts from it.
  const lineStart = host.lastIndexOf('\n', start - 1) + 1;
  const parentIndent = /^ */.exec(host.slice(lineStart, start))![0].length;
  const lines: { at: number; text: string }[] = [];
  let pos = headerEnd + 1;
  while (pos < end) {
    const nl = host.indexOf('\n', pos);
    const lineEnd = nl < 0 || nl > end ? end : nl;
    // YAML reads CRLF as one line break: the \r belongs to the break, not to the content.
    const contentEnd = lineEnd > pos && host[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    lines.push({ at: pos, text: host.slice(pos, contentEnd) });
    pos = lineEnd + 1;
  }
  let indent: number;
  if (explicit) indent = parentIndent + Number(explicit[1] ?? explicit[2]);
  else {
    const first = lines.find((l) => l.text.trim() !== '');
    if (!first) return undefined;
    indent = /^ */.exec(first.text)![0].length;
  }
  // One slot per host character is an upper bound on the embedded length; sections can be hundreds of KB.
  const offsets = new Int32Array(end - headerEnd + 2);
  const parts: string[] = [];
  let n = 0;
  for (const line of lines) {
    const content = line.text.length > indent ? line.text.slice(indent) : '';
    const base = line.at + indent;
    for (let i = 0; i < content.length; i++) offsets[n++] = base + i;
    offsets[n++] = line.at + line.text.length;
    parts.push(content);
  }
  const text = parts.join('\n') + '\n';
  // Chomping only changes trailing newlines; anything else differing means this reading is wrong, so fall back.
  if (text.trimEnd() !== value.trimEnd()) return undefined;
  const trimmed = value.length <= text.length ? value : text;
  const out = offsets.slice(0, trimmed.length + 1);
  if (trimmed.length >= n) out[trimmed.length] = end;
  return { text: trimmed, hostStart: start, hostEnd: end, offsets: out, style: 'block', indent, eol: hostEol(host) };
}

function doubleQuoted(host: string, start: number, end: number, value: string): Int32Array | undefined {
  const src = host.slice(start, end);
  if (!src.startsWith('"') || src.includes('\n')) return undefined;
  const offsets: number[] = [];
  let i = 1;
  const simple: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/', r: '\r', '0': '\0', ' ': ' ', b: '\b', e: '\x1b', f: '\f', v: '\v', a: '\x07' };
  let text = '';
  while (i < src.length - 1) {
    const ch = src[i];
    if (ch !== '\\') {
      offsets.push(start + i);
      text += ch;
      i++;
      continue;
    }
    const next = src[i + 1];
    if (next in simple) {
      offsets.push(start + i);
      text += simple[next];
      i += 2;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const cp = String.fromCodePoint(parseInt(src.slice(i + 2, i + 2 + len), 16));
      for (let k = 0; k < cp.length; k++) offsets.push(start + i);
      text += cp;
      i += 2 + len;
    } else return undefined;
  }
  if (text !== value) return undefined;
  offsets.push(start + src.length - 1);
  return Int32Array.from(offsets);
}

function singleQuoted(host: string, start: number, end: number, value: string): Int32Array | undefined {
  const src = host.slice(start, end);
  if (!src.startsWith("'") || src.includes('\n')) return undefined;
  const offsets: number[] = [];
  let text = '';
  for (let i = 1; i < src.length - 1; i++) {
    offsets.push(start + i);
    text += src[i];
    if (src[i] === "'" && src[i + 1] === "'") i++;
  }
  if (text !== value) return undefined;
  offsets.push(start + src.length - 1);
  return Int32Array.from(offsets);
}
