/**
 * Where a mapping fix opens aws-auth: at the entry for the principal that misses, read through the authenticator
 * model (its decoded items carry ranges in the section text, mapped back to the file through embedded.ts), or where a
 * new entry for it would go. Offsets in the file's text; the editor turns them into a cursor.
 */
import { isScalar, Node as YamlNode, Pair, Scalar } from 'yaml';
import { parseArn } from '../auth/arn';
import { isSkippable, loadSection, SectionKey, SectionModel, storeOf } from '../auth/authenticator';
import { findAwsAuthDocuments } from '../auth/awsAuth';
import { EmbeddedText, embeddedFromScalar, toHostRange } from '../auth/embedded';
import { awsAuthEntryFor } from './explain';

export interface AwsAuthFixLocation {
  /** `entry`: the mapping that names the principal; `newEntry`: the end of the section a new one goes in; `data`: the `data:` key. */
  kind: 'entry' | 'newEntry' | 'data';
  offset: number;
}

/** The section a new mapping for this principal goes in: mapUsers for an IAM user, mapRoles otherwise. */
function sectionFor(principalArn: string): 'mapRoles' | 'mapUsers' {
  return parseArn(principalArn)?.kind === 'user' ? 'mapUsers' : 'mapRoles';
}

/** The end of the last non-blank line of a section, in the file: where a new list entry is typed after Enter. */
function endOfSection(e: EmbeddedText): number {
  const end = e.text.replace(/\s+$/, '').length;
  if (end === 0) return e.hostStart;
  const host = toHostRange(e, end - 1, end);
  return host.exact ? host.offset + host.length : e.hostStart;
}

/**
 * The offset a mapping fix for `principalArn` puts the cursor at in an aws-auth file, or undefined when the file has
 * no aws-auth the authenticator reads (then the editor keeps its own position).
 */
export function awsAuthFixLocation(text: string, principalArn: string): AwsAuthFixLocation | undefined {
  const read = findAwsAuthDocuments(text).filter((d) => d.read);
  // The object the authenticator reads, as readAwsAuthFile picks it: kube-system/aws-auth written out first.
  const doc = read.find((d) => d.namespace === 'kube-system') ?? read[0];
  if (!doc) return undefined;
  const sections: Record<SectionKey, SectionModel> = { mapRoles: loadSection('mapRoles', undefined), mapUsers: loadSection('mapUsers', undefined), mapAccounts: loadSection('mapAccounts', undefined) };
  const embedded = new Map<SectionKey, EmbeddedText>();
  for (const pair of doc.data.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    // Only the exact keys are read (ParseMap), and only a string value.
    if (key !== 'mapRoles' && key !== 'mapUsers' && key !== 'mapAccounts') continue;
    if (!isScalar(pair.value) || typeof pair.value.value !== 'string') continue;
    const e = embeddedFromScalar(text, pair.value as Scalar);
    embedded.set(key, e);
    if (!isSkippable(e.text)) sections[key] = loadSection(key, e.text);
  }
  const entry = awsAuthEntryFor(principalArn, storeOf(sections));
  const inSection = entry && embedded.get(entry.section);
  if (entry && inSection) {
    // The ARN's key line (rolearn / userarn) when the entry has one, else the entry's first line.
    const start = entry.fields.arn?.keyRange[0] ?? entry.range[0];
    return { kind: 'entry', offset: toHostRange(inSection, start, start).offset };
  }
  const section = embedded.get(sectionFor(principalArn));
  if (section) return { kind: 'newEntry', offset: endOfSection(section) };
  return { kind: 'data', offset: findDataKey(doc.doc.contents) ?? doc.data.range?.[0] ?? 0 };
}

/** The offset of the `data` key of a ConfigMap (the line a new section goes under). */
function findDataKey(root: unknown): number | undefined {
  const items = (root as { items?: Pair<YamlNode, YamlNode>[] } | undefined)?.items ?? [];
  const pair = items.find((p) => isScalar(p.key) && p.key.value === 'data');
  return pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
}
