/**
 * Replaces one user's exec block (or one cluster's endpoint and CA) in a kubeconfig file and nothing else: the new block is spliced into the text at
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
    ...(exec.interactiveMode ? { interactiveMode: exec.interactiveMode } : {}),
    ...(exec.provideClusterInfo ? { provideClusterInfo: true } : {}),
    ...(exec.installHint ? { installHint: exec.installHint } : {}),
  };
}

/**
 * Points one cluster entry at a new endpoint and CA, in place: only the two scalar values change (the repair for a
 * re-created cluster, whose endpoint and CA DescribeCluster gives), so the context and its user stay as they are. A
 * CA read from a file (`certificate-authority`) becomes `certificate-authority-data` at the same place.
 */
export function rewriteCluster(text: string, clusterName: string, server: string, caData: string | undefined): RewriteResult {
  const doc = parseDocument(text);
  if (doc.errors.length) return { ok: false, reason: `The file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}` };
  const clusters = doc.get('clusters');
  if (!isSeq(clusters)) return { ok: false, reason: 'The file has no clusters list.' };
  const entry = clusters.items.find((c) => isMap(c) && (c as YAMLMap).get('name') === clusterName) as YAMLMap | undefined;
  const fields = entry?.get('cluster', true);
  if (!isMap(fields)) return { ok: false, reason: `The file has no cluster named ${clusterName}.` };
  const scalarOf = (key: string) => fields.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as { range?: number[]; value?: unknown } | undefined;
  const edits: { range: number[]; value: string; key?: string }[] = [];
  const serverNode = scalarOf('server');
  if (!isScalar(serverNode) || !serverNode.range) return { ok: false, reason: `Cluster ${clusterName} has no server to change.` };
  // A value that is already right keeps its bytes, quoting included.
  if (serverNode.value !== server) edits.push({ range: serverNode.range, value: server });
  if (caData) {
    const caNode = scalarOf('certificate-authority-data');
    const caFilePair = fields.items.find((p) => isScalar(p.key) && p.key.value === 'certificate-authority');
    if (isScalar(caNode) && caNode.range) {
      if (String(caNode.value).replace(/\s/g, '') !== caData.replace(/\s/g, '')) edits.push({ range: caNode.range, value: caData });
    } else if (caFilePair && isScalar(caFilePair.key) && caFilePair.key.range && isScalar(caFilePair.value) && caFilePair.value.range) {
      // The CA file gives way to EKS's CA as data: the pair is replaced where it stands, key and value.
      edits.push({ range: [caFilePair.key.range[0], caFilePair.value.range[1]], value: caData, key: 'certificate-authority-data' });
    } else return { ok: false, reason: `Cluster ${clusterName} names no CA to replace.` };
  }
  let out = text;
  // From the end, so earlier offsets stay valid. A JSON string is also a valid YAML double-quoted scalar.
  for (const e of edits.sort((a, b) => b.range[0] - a.range[0])) out = `${out.slice(0, e.range[0])}${e.key ? `${e.key}: ` : ''}${JSON.stringify(e.value)}${out.slice(e.range[1])}`;
  const check = parseDocument(out);
  if (check.errors.length) return { ok: false, reason: `Rewriting would break the file: ${check.errors[0].message.split('\n')[0]}` };
  return { ok: true, text: out };
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
  const old = text.slice(start, end);
  // Lists in the file's own style: awscli and kubectl write a list at its key's indentation (`args:` then `- eks`).
  const indentSeq = !/^( *)[\w-]+:[ \t]*\r?\n\1- /m.test(old.includes('- ') ? old : text);
  const body = stringify(execObject(exec), { lineWidth: 0, indentSeq })
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => indent + line)
    .join(eol);
  const trailing = /\r?\n$/.test(old) ? eol : '';
  const replaced = `${text.slice(0, start)}exec:${eol}${body}${trailing}${text.slice(end)}`;
  // The splice must leave a document whose other users, clusters and contexts read the same.
  const check = parseDocument(replaced);
  if (check.errors.length) return { ok: false, reason: `Rewriting would break the file: ${check.errors[0].message.split('\n')[0]}` };
  return { ok: true, text: replaced };
}
