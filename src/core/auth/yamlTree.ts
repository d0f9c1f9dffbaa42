/**
 * A small YAML tree with source ranges for the embedded aws-auth sections, built from js-yaml's event stream. The
 * embedded strings can hold thousands of entries, and js-yaml's event parser is several times faster than building a
 * full `yaml` Document, which the outer file still uses. The tree keeps what go-yaml v2 needs to decode the text as
 * the authenticator does (see goYaml.ts): tags, anchors and resolved aliases, and every key of a mapping, duplicates
 * included (go-yaml v2 accepts them outside strict mode).
 */
import { COLLECTION_STYLE, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface NodeBase {
  range: [number, number];
  /** The explicit tag as written (`!!str`, `!custom`), if any. */
  tag?: string;
}
export interface YScalar extends NodeBase {
  kind: 'scalar';
  style: ScalarStyle;
  /** The decoded text (for plain scalars, the text before type resolution). */
  value: string;
}
export interface YSeq extends NodeBase {
  kind: 'seq';
  flow: boolean;
  items: YNode[];
}
export interface YPair {
  key: YNode;
  value: YNode;
}
export interface YMap extends NodeBase {
  kind: 'map';
  flow: boolean;
  pairs: YPair[];
}
export interface YAlias extends NodeBase {
  kind: 'alias';
  name: string;
  /** The anchored node, or undefined for an anchor never defined before this alias. */
  target?: YNode;
}
export type YNode = YScalar | YSeq | YMap | YAlias;

export interface YamlProblem {
  message: string;
  /** Offset of the problem in the parsed text. */
  position: number;
}

/** js-yaml recurses per nesting level; deeper input overflows its stack (go-yaml v2 allows 10,000). */
const MAX_DEPTH = 1000;

const STYLES: Record<number, ScalarStyle> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

function scalar(text: string, e: ScalarEvent, at: number): YScalar {
  const style = STYLES[e.style] ?? 'plain';
  const value = getScalarValue(text, e);
  const tag = e.tagStart >= 0 ? text.slice(e.tagStart, e.tagEnd) : undefined;
  if (e.valueStart < 0) return { kind: 'scalar', range: [at, at], style, value, ...(tag ? { tag } : {}) };
  const quoted = style === 'single' || style === 'double';
  const range: [number, number] = quoted ? [e.valueStart - 1, e.valueEnd + 1] : [e.valueStart, e.valueEnd];
  return { kind: 'scalar', range, style, value, ...(tag ? { tag } : {}) };
}

/** Where a flow collection really ends: past its closing bracket. */
function closeFlow(text: string, from: number, bracket: string): number {
  let i = from;
  while (i < text.length && /[\s,]/.test(text[i])) i++;
  return text[i] === bracket ? i + 1 : from;
}

/**
 * Where the second document of the stream starts, or -1. go-yaml's `Unmarshal` reads only the first document, and
 * its parser stops there, so nothing after that marker can make the section fail.
 */
function secondDocumentStart(text: string): number {
  let seenContent = false;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end);
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      if (seenContent || line.startsWith('...')) return pos;
    } else if (line.trim() !== '' && !/^\s*#/.test(line) && !/^%/.test(line)) seenContent = true;
    // `--- value` starts the first document and carries content on the same line.
    if (/^---\s+\S/.test(line) && !line.slice(3).trim().startsWith('#')) seenContent = true;
    pos = end + 1;
  }
  return -1;
}

function events(text: string): { events?: Event[]; problem?: YamlProblem } {
  try {
    return { events: parseEvents(text, { maxDepth: MAX_DEPTH }) };
  } catch (e) {
    const err = e as { reason?: string; message: string; mark?: { position?: number } };
    const message = err.reason ?? err.message.split('\n')[0];
    const position = Math.min(err.mark?.position ?? 0, text.length);
    return { problem: { message, position } };
  }
}

/**
 * Parses the first document of `text`, as go-yaml's `Unmarshal` does. A syntax error comes back as `problem` with
 * its offset; `root` is null for an empty document.
 */
export function parseYamlTree(text: string): { root: YNode | null; problem?: YamlProblem } {
  let parsed = events(text);
  if (parsed.problem) {
    const boundary = secondDocumentStart(text);
    if (boundary >= 0 && boundary <= parsed.problem.position) parsed = events(text.slice(0, boundary));
    if (parsed.problem) return { root: null, problem: parsed.problem };
  }
  type Open = { node: YSeq | YMap; pending?: YNode };
  const stack: Open[] = [];
  const anchors = new Map<string, YNode>();
  let root: YNode | null = null;
  let documents = 0;
  let cursor = 0;

  const attach = (node: YNode) => {
    cursor = Math.max(cursor, node.range[1]);
    const top = stack[stack.length - 1];
    if (!top) {
      if (root === null) root = node;
      return;
    }
    top.node.range[1] = Math.max(top.node.range[1], node.range[1]);
    if (top.node.kind === 'seq') top.node.items.push(node);
    else if (top.pending === undefined) top.pending = node;
    else {
      top.node.pairs.push({ key: top.pending, value: node });
      top.pending = undefined;
    }
  };
  const anchor = (start: number, end: number, node: YNode) => {
    if (start >= 0) anchors.set(text.slice(start, end), node);
  };

  for (const e of parsed.events!) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        documents++;
        if (documents > 1) return { root };
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        const flow = e.style === COLLECTION_STYLE.FLOW;
        const tag = e.tagStart >= 0 ? { tag: text.slice(e.tagStart, e.tagEnd) } : {};
        const node: YSeq | YMap =
          e.type === EVENT_ID.SEQUENCE ? { kind: 'seq', range: [e.start, e.start + 1], flow, items: [], ...tag } : { kind: 'map', range: [e.start, e.start + 1], flow, pairs: [], ...tag };
        // go-yaml registers an anchor when its node starts, so an alias inside it refers to the node itself.
        anchor(e.anchorStart, e.anchorEnd, node);
        cursor = e.start;
        stack.push({ node });
        break;
      }
      case EVENT_ID.SCALAR: {
        const node = scalar(text, e, cursor);
        anchor(e.anchorStart, e.anchorEnd, node);
        attach(node);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(e.anchorStart, e.anchorEnd);
        attach({ kind: 'alias', range: [e.anchorStart - 1, e.anchorEnd], name, target: anchors.get(name) });
        break;
      }
      case EVENT_ID.POP: {
        const open = stack.pop();
        if (!open) break;
        if (open.node.flow) open.node.range[1] = closeFlow(text, open.node.range[1], open.node.kind === 'seq' ? ']' : '}');
        attach(open.node);
        break;
      }
    }
  }
  return { root };
}
