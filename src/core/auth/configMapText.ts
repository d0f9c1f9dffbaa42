/** The aws-auth ConfigMap as an editable YAML document, and its data read back for saving. */
import { Document, isMap, isScalar, parseDocument, Scalar } from 'yaml';
import { lintAwsAuth } from './lint';

export function renderConfigMap(data: Record<string, string>, resourceVersion: string): string {
  const doc = new Document({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system', resourceVersion }, data });
  const dataNode = doc.get('data', true);
  if (isMap(dataNode)) {
    for (const pair of dataNode.items) if (isScalar(pair.value) && String(pair.value.value).includes('\n')) pair.value.type = Scalar.BLOCK_LITERAL;
  }
  return doc.toString({ lineWidth: 0 });
}

/** Reads `data` back from an edited document; throws an Error saying what blocks saving. */
export function readConfigMapData(text: string): Record<string, string> {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`The file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const data = doc.get('data', true);
  if (data === undefined || data === null) return {};
  if (!isMap(data)) throw new Error('data must be a mapping of keys to strings');
  const out: Record<string, string> = {};
  for (const pair of data.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!isScalar(pair.value) || (pair.value.value !== null && typeof pair.value.value !== 'string')) {
      throw new Error(`data.${key} must be a string (write "${key}: |" with the YAML indented under it)`);
    }
    out[key] = pair.value.value === null ? '' : (pair.value.value as string);
  }
  return out;
}

/** Problems that make the authenticator drop a whole section: saving them needs explicit confirmation. */
export function sectionDroppingProblems(text: string): string[] {
  return lintAwsAuth(text)
    .filter((p) => p.severity === 'error' && ['A01', 'A03', 'A04'].includes(p.code))
    .map((p) => `${p.code}: ${p.message}`);
}
