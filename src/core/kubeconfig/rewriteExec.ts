/**
 * Replaces one user's exec block in a kubeconfig file and nothing else: the new block is spliced into the text at
 * the old block's place, so every other byte (other contexts, comments, unknown fields, quoting, line endings) stays
 * as the user wrote it. Re-serialising the whole document would reformat it.
 */
import { isMap, isScalar, isSeq, parseDocument, stringify, type YAMLMap } from 'yaml';
import type { ExecSpec } from './kubeconfig';

export type RewriteResult = { ok: true; text: string } | { ok: false; reason: string };

function execObject(exec: ExecSpec) {
  return {
    ...(exec.apiVersion ? { apiVersion: exec.apiVersion } : {}),
    command: exec.command,
    args: exec.args,
    ...(exec.env.length ? { env: exec.env.map((e) => ({ name: e.name, value: e.value })) } : {}),
  };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function rewriteExec(text: string, userName: string, exec: ExecSpec): RewriteResult {
  const doc = parseDocument(text);
  if (doc.errors.length) return { ok: false, reason: `The file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}` };
  const users = doc.get('users');
  if (!isSeq(users)) return { ok: false, reason: 'The file has no users list.' };
  const entry = users.items.find((u) => isMap(u) && (u as YAMLMap).get('name') === userName) as YAMLMap | undefined;
  if (!entry) return { ok: false, reason: `The file has no user named ${userName}.` };
  const user = entry.get('user', true);
  if (!isMap(user)) return { ok: false, reason: `User ${userName} has no user map.` };
  const pair = user.items.find((p) => isScalar(p.key) && p.key.value === 'exec');
  if (!pair || !isScalar(pair.key) || !pair.key.range || !(pair.value as { range?: number[] } | null)?.range) return { ok: false, reason: `User ${userName} has no exec block to rewrite.` };
  if ((user as { flow?: boolean }).flow) return { ok: false, reason: `User ${userName} is written in flow style ({...}); edit its exec block by hand.` };
  const start = pair.key.range[0];
  const end = (pair.value as { range: number[] }).range[1];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = ' '.repeat(start - lineStart(text, start) + 2);
  const body = stringify(execObject(exec), { lineWidth: 0 })
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => indent + line)
    .join(eol);
  const old = text.slice(start, end);
  const trailing = /\r?\n$/.test(old) ? eol : '';
  const replaced = `${text.slice(0, start)}exec:${eol}${body}${trailing}${text.slice(end)}`;
  // The splice must leave a document whose other users, clusters and contexts read the same.
  const check = parseDocument(replaced);
  if (check.errors.length) return { ok: false, reason: `Rewriting would break the file: ${check.errors[0].message.split('\n')[0]}` };
  return { ok: true, text: replaced };
}
