/**
 * Adds a cluster, a user and a context to a kubeconfig file in the form `aws eks update-kubeconfig` writes (awscli
 * `customizations/eks/update_kubeconfig.py`: all three named by the cluster ARN, the exec block of
 * `updateKubeconfigExec`), replacing entries of the same name as update-kubeconfig does. New entries are spliced
 * into the text after the last item of each block list, so the user's other entries, comments and formatting stay
 * byte for byte; only a file whose lists are in flow style (`[...]`) or missing is re-serialised as a whole.
 */
import { isMap, isSeq, parseDocument, stringify, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import type { ExecSpec } from './kubeconfig';
import type { RewriteResult } from './rewriteExec';

export interface NewContext {
  /** The cluster ARN: the name update-kubeconfig gives the cluster, the user and the context. */
  name: string;
  server: string;
  caData: string;
  exec: ExecSpec;
}

type Entries = Record<'clusters' | 'users' | 'contexts', Record<string, unknown>>;

function entriesOf(c: NewContext): Entries {
  const exec = { apiVersion: c.exec.apiVersion, command: c.exec.command, args: c.exec.args, ...(c.exec.env.length ? { env: c.exec.env } : {}) };
  return {
    clusters: { cluster: { 'certificate-authority-data': c.caData, server: c.server }, name: c.name },
    users: { name: c.name, user: { exec } },
    contexts: { context: { cluster: c.name, user: c.name }, name: c.name },
  };
}

const lineStartOf = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/** `- key: ...` lines of one list item, the dash at `column`. */
function itemText(value: Record<string, unknown>, column: number, eol: string): string {
  const lines = stringify(value, { lineWidth: 0 }).replace(/\n$/, '').split('\n');
  const pad = ' '.repeat(column);
  return lines.map((l, i) => (i === 0 ? `${pad}- ${l}` : `${pad}  ${l}`)).join(eol) + eol;
}

function wholeDocument(doc: Document, entries: Entries, setCurrent: boolean): string {
  for (const key of Object.keys(entries) as (keyof Entries)[]) {
    const list = doc.get(key);
    const items = isSeq(list) ? (list.toJSON() as { name?: string }[]).filter((x) => x?.name !== entries[key].name) : [];
    doc.set(key, [...items, entries[key]]);
  }
  if (setCurrent) doc.set('current-context', entries.contexts.name);
  return doc.toString({ lineWidth: 0 });
}

export function addContext(text: string, context: NewContext, setCurrent = true): RewriteResult & { reformatted?: boolean } {
  const entries = entriesOf(context);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!text.trim()) {
    const fresh = { apiVersion: 'v1', kind: 'Config', clusters: [entries.clusters], users: [entries.users], contexts: [entries.contexts], 'current-context': context.name, preferences: {} };
    return { ok: true, text: stringify(fresh, { lineWidth: 0 }).replace(/\n/g, eol) };
  }
  const doc = parseDocument(text);
  if (doc.errors.length) return { ok: false, reason: `The file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}` };
  if (!isMap(doc.contents)) return { ok: false, reason: 'The file is not a kubeconfig (its top level is not a mapping).' };
  const lists = (Object.keys(entries) as (keyof Entries)[]).map((key) => ({ key, node: doc.get(key, true) as YAMLSeq | undefined }));
  const spliceable = lists.every(({ node }) => isSeq(node) && !node.flow && node.items.length > 0 && node.items.every((i) => isMap(i) && !(i as YAMLMap).flow && (i as YAMLMap).range));
  if (!spliceable) return { ok: true, text: wholeDocument(doc, entries, setCurrent).replace(/\r?\n/g, eol), reformatted: true };

  // Splices from the end of the text backwards, so earlier offsets stay valid.
  const edits: { start: number; end: number; text: string }[] = [];
  for (const { key, node } of lists) {
    const items = node!.items as YAMLMap[];
    const first = items[0].range!;
    const dash = text.lastIndexOf('-', first[0]);
    const column = dash - lineStartOf(text, dash);
    const existing = items.find((i) => i.get('name') === entries[key].name);
    if (existing) {
      const start = lineStartOf(text, text.lastIndexOf('-', existing.range![0]));
      let end = existing.range![1];
      if (text[end - 1] !== '\n') end = text.indexOf('\n', end) + 1 || text.length;
      edits.push({ start, end, text: itemText(entries[key], column, eol) });
    } else {
      let end = items[items.length - 1].range![1];
      if (text[end - 1] !== '\n') {
        const nl = text.indexOf('\n', end);
        end = nl < 0 ? text.length : nl + 1;
      }
      const prefix = end === text.length && !text.endsWith('\n') ? eol : '';
      edits.push({ start: end, end, text: prefix + itemText(entries[key], column, eol) });
    }
  }
  if (setCurrent) {
    const pair = (doc.contents as YAMLMap).items.find((p) => (p.key as { value?: unknown })?.value === 'current-context');
    const value = pair?.value as { range?: number[] } | null | undefined;
    if (value?.range) edits.push({ start: value.range[0], end: value.range[1], text: JSON.stringify(context.name) });
    else if (!pair) edits.push({ start: text.length, end: text.length, text: `${text.endsWith('\n') ? '' : eol}current-context: ${JSON.stringify(context.name)}${eol}` });
  }
  // Backwards; of two edits at one offset the later one (current-context) is applied first, so it ends up last.
  const order = new Map(edits.map((e, i) => [e, i]));
  edits.sort((a, b) => b.start - a.start || order.get(b)! - order.get(a)!);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const check = parseDocument(out);
  if (check.errors.length) return { ok: false, reason: `Adding the context would break the file: ${check.errors[0].message.split('\n')[0]}` };
  return { ok: true, text: out };
}
