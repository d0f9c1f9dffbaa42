/**
 * Finding aws-auth ConfigMaps in a YAML file, so the analyzer and the CLI read the same object the authenticator
 * would. What the authenticator does with its sections is authenticator.ts.
 */
import { Document, isMap, isScalar, parseAllDocuments, YAMLMap } from 'yaml';

import { SECTION_KEYS } from './authenticator';

export interface AwsAuthDocument {
  doc: Document.Parsed;
  /** The `data` mapping. */
  data: YAMLMap;
  /** `kind: ConfigMap` with `metadata`; false for a bare data fragment. */
  isConfigMap: boolean;
  name?: string;
  namespace?: string;
  /** Whether the authenticator reads this object (`authenticatorReads`). */
  read: boolean;
}

/**
 * The one ConfigMap the authenticator reads: it watches namespace kube-system with the field selector
 * `metadata.name=aws-auth` (aws-iam-authenticator pkg/mapper/configmap/configmap.go `New`, `startLoadConfigMap`).
 * A ConfigMap with another name or an explicit other namespace is never read, so explain, the diff and the linter
 * (A27) all treat it as absent. A ConfigMap without a namespace goes where it is applied (`kubectl apply -n`), so it is
 * taken as meant for kube-system, with A27's warning; a bare `data` fragment stands for aws-auth's data.
 */
export function authenticatorReads(d: { isConfigMap: boolean; name?: string; namespace?: string }): boolean {
  return !d.isConfigMap || (d.name === 'aws-auth' && (d.namespace === undefined || d.namespace === 'kube-system'));
}

function get(map: unknown, key: string): unknown {
  return isMap(map) ? map.get(key, true) : undefined;
}

function scalarString(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * Every document in the file that is an aws-auth ConfigMap, or whose `data` holds one of the section keys in any
 * case. The `last-applied-configuration` annotation is a string, so it is never mistaken for data.
 */
export function findAwsAuthDocuments(text: string): AwsAuthDocument[] {
  const docs: AwsAuthDocument[] = [];
  for (const doc of parseAllDocuments(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false, logLevel: 'error' })) {
    if (!('contents' in doc)) continue;
    const root = doc.contents;
    if (!isMap(root)) continue;
    const data = get(root, 'data');
    const kind = scalarString(get(root, 'kind'));
    const name = scalarString(get(get(root, 'metadata'), 'name'));
    const namespace = scalarString(get(get(root, 'metadata'), 'namespace'));
    const hasSectionKey = isMap(data) && data.items.some((p) => SECTION_KEYS.some((k) => k.toLowerCase() === String(isScalar(p.key) ? p.key.value : '').toLowerCase()));
    if ((kind === 'ConfigMap' && name === 'aws-auth' && isMap(data)) || hasSectionKey) {
      const isConfigMap = kind === 'ConfigMap';
      docs.push({ doc: doc as Document.Parsed, data: data as YAMLMap, isConfigMap, name, namespace, read: authenticatorReads({ isConfigMap, name, namespace }) });
    }
  }
  return docs;
}

