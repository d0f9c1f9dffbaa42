/**
 * A small YAML tree with source ranges for the embedded sections, built from js-yaml's event stream. The embedded
 * strings can hold thousands of entries, and js-yaml's event parser is several times faster than building a full
 * `yaml` Document, which the outer file still uses. Plain scalars resolve as YAML 1.1 does, because the
 * authenticator reads aws-auth with go-yaml (`yes` is a boolean there).
 */
import { COLLECTION_STYLE, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';
export type ScalarType = 'str' | 'null' | 'bool' | 'int' | 'float';

export interface YScalar {
  kind: 'scalar';
  range: [number, number];
  style: ScalarStyle;
  type: ScalarType;
  /** The decoded text (for plain scalars, the text before type resolution). */
  value: string;
}
export interface YSeq {
  kind: 'seq';
  range: [number, number];
  flow: boolean;
  items: YNode[];
}
export interface YPair {
  key: YNode;
  value: YNode;
}
export interface YMap {
  kind: 'map';
  range: [number, number];
  flow: boolean;
  pairs: YPair[];
}
export interface YAlias {
  kind: 'alias';
  range: [number, number];
}
export type YNode = YScalar | YSeq | YMap | YAlias;

export interface YamlProblem {
  message: string;
  /** Offset of the problem in the parsed text. */
  position: number;
}

const STYLES: Record<number, ScalarStyle> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

/** YAML 1.1 resolution of plain scalars, as go-yaml v2 does it. */
function resolvePlain(text: string): ScalarType {
  // Most plain scalars are keys and names: anything not starting like a null, bool or number is a string.
  if (text !== '' && !/[-+.~0-9nNyYtTfFoO]/.test(text[0])) return 'str';
  if (/^(?:~|null|Null|NULL|)$/.test(text)) return 'null';
  if (/^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(text)) return 'bool';
  if (/^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/.test(text)) return 'int';
  if (/^[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(text) && /[0-9]|inf|nan/i.test(text)) return 'float';
  return 'str';
}

function scalar(text: string, e: ScalarEvent, at: number): YScalar {
  const style = STYLES[e.style] ?? 'plain';
  const value = getScalarValue(text, e);
  if (e.valueStart < 0) return { kind: 'scalar', range: [at, at], style, type: style === 'plain' ? 'null' : 'str', value };
  const quoted = style === 'single' || style === 'double';
  const range: [number, number] = quoted ? [e.valueStart - 1, e.valueEnd + 1] : [e.valueStart, e.valueEnd];
  return { kind: 'scalar', range, style, type: style === 'plain' ? resolvePlain(value) : 'str', value };
}

/** Where a flow collection really ends: past its closing bracket. */
function closeFlow(text: string, from: number, bracket: string): number {
  let i = from;
  while (i < text.length && /[\s,]/.test(text[i])) i++;
  return text[i] === bracket ? i + 1 : from;
}

/**
 * Parses the first document of `text`. A syntax error, or a duplicate key (go-yaml rejects those), comes back as
 * `problem` with its offset; `root` is null for an empty document.
 */
export function parseYamlTree(text: string): { root: YNode | null; problem?: YamlProblem } {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: 64 });
  } catch (e) {
    const err = e as { reason?: string; message: string; mark?: { position?: number } };
    return { root: null, problem: { message: err.reason ?? err.message.split('\n')[0], position: Math.min(err.mark?.position ?? 0, text.length) } };
  }
  type Open = { node: YSeq | YMap; pending?: YNode };
  const stack: Open[] = [];
  let root: YNode | null = null;
  let documents = 0;
  let problem: YamlProblem | undefined;
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
      const key = top.pending;
      top.pending = undefined;
      if (!problem && key.kind === 'scalar' && top.node.pairs.some((p) => p.key.kind === 'scalar' && p.key.value === key.value)) {
        problem = { message: `mapping key "${key.value}" already defined`, position: key.range[0] };
      }
      top.node.pairs.push({ key, value: node });
    }
  };

  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        documents++;
        if (documents > 1) return { root, problem };
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        const flow = e.style === COLLECTION_STYLE.FLOW;
        const node: YSeq | YMap = e.type === EVENT_ID.SEQUENCE ? { kind: 'seq', range: [e.start, e.start + 1], flow, items: [] } : { kind: 'map', range: [e.start, e.start + 1], flow, pairs: [] };
        cursor = e.start;
        stack.push({ node });
        break;
      }
      case EVENT_ID.SCALAR:
        attach(scalar(text, e, cursor));
        break;
      case EVENT_ID.ALIAS:
        attach({ kind: 'alias', range: [e.anchorStart - 1, e.anchorEnd] });
        break;
      case EVENT_ID.POP: {
        const open = stack.pop();
        if (!open) break;
        if (open.node.flow) open.node.range[1] = closeFlow(text, open.node.range[1], open.node.kind === 'seq' ? ']' : '}');
        attach(open.node);
        break;
      }
    }
  }
  return { root, problem };
}
