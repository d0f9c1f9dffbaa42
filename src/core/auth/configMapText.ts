/** The aws-auth ConfigMap as an editable YAML document, and its data read back for saving. */
import { Document, isMap, isScalar, parseDocument, Scalar, YAMLMap } from 'yaml';
import { DecodedItem, loadAwsAuth, mappingMatches, SECTION_KEYS } from './authenticator';
import { findAwsAuthDocuments } from './awsAuth';
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
  const doc = parseDocument(text, { logLevel: 'error' });
  if (doc.errors.length) throw new Error(`The file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  return dataOf(doc.get('data', true));
}

/** What a file gives the authenticator: aws-auth's data, or nothing, with the ConfigMaps it never reads. */
export interface AwsAuthFile {
  /** Undefined when the file holds no object the authenticator reads. */
  data?: Record<string, string>;
  /** `namespace/name` of each aws-auth-like ConfigMap the authenticator ignores. */
  ignored: string[];
}

/**
 * The `data` the authenticator would read from a file that may hold several documents (kubectl output, a Helm
 * render): kube-system/aws-auth (or a bare data fragment), by the one rule of `authenticatorReads`, which the
 * linter's A27 applies too. A ConfigMap with another name or namespace is ignored, as the authenticator ignores it.
 */
export function readAwsAuthFile(text: string): AwsAuthFile {
  const docs = findAwsAuthDocuments(text);
  if (!docs.length) {
    const single = parseDocument(text, { logLevel: 'error' });
    if (single.errors.length) throw new Error(`The file is not valid YAML: ${single.errors[0].message.split('\n')[0]}`);
    return { data: dataOf(single.get('data', true)), ignored: [] };
  }
  const ignored = docs.filter((d) => !d.read).map((d) => `${d.namespace ?? ''}/${d.name ?? ''}`);
  const read = docs.filter((d) => d.read);
  // kube-system/aws-auth written out wins over one that relies on `kubectl apply -n`.
  const chosen = read.find((d) => d.namespace === 'kube-system') ?? read[0];
  return { data: chosen ? dataOf(chosen.data as YAMLMap) : undefined, ignored };
}

function dataOf(data: unknown): Record<string, string> {
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

/** What saving this text would make the authenticator drop as a whole section: saving it needs confirmation. */
export function sectionDroppingProblems(text: string): string[] {
  const out = lintAwsAuth(text)
    .filter((p) => p.severity === 'error' && p.code === 'A01')
    .map((p) => `${p.code}: ${p.message}`);
  let data: Record<string, string>;
  try {
    data = readConfigMapData(text);
  } catch {
    return out;
  }
  const model = loadAwsAuth(data);
  for (const key of SECTION_KEYS) {
    const section = model.sections[key];
    if (section.error) out.push(`${key}: ${section.error.message}: the authenticator drops the whole section`);
    else if (section.notAList) out.push(`${key} is not a list: nothing in it maps`);
  }
  return out;
}

const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
const isNodeMapping = (i: DecodedItem) => i.username.startsWith('system:node:') && NODE_GROUPS.every((g) => i.groups.includes(g));
const isAdminMapping = (i: DecodedItem) => i.groups.includes('system:masters');

/**
 * What a save would take away that the cluster grants now, read through the authenticator model on both sides:
 * sections that disappear, node roles that stop joining, identities that lose system:masters. Empty when the save
 * takes nothing away. Saving anything on this list needs a confirmation that names it.
 */
export function accessLostBySave(before: Record<string, string>, after: Record<string, string>): string[] {
  const was = loadAwsAuth(before);
  const will = loadAwsAuth(after);
  const out: string[] = [];
  for (const key of SECTION_KEYS) {
    const had = was.sections[key];
    const count = key === 'mapAccounts' ? had.accounts.length : had.items.length;
    const gone = will.sections[key].state === 'absent' || will.sections[key].state === 'skipped';
    if (count && gone) out.push(`${key} is removed: its ${count} ${key === 'mapAccounts' ? 'accounts' : 'mappings'} stop working`);
  }
  const still = (item: DecodedItem, keeps: (i: DecodedItem) => boolean) => [...will.roles, ...will.users].some((i) => mappingMatches(i, item.arn) && keeps(i));
  for (const item of [...was.roles, ...was.users]) {
    if (isNodeMapping(item) && !still(item, isNodeMapping)) out.push(`the node role ${item.arn} loses its mapping: nodes that use it can no longer join (they go NotReady)`);
    if (isAdminMapping(item) && !still(item, isAdminMapping)) out.push(`${item.arn} loses system:masters (cluster-admin)`);
  }
  return out;
}
