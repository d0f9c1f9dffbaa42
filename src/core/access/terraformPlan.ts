/**
 * Reads a Terraform plan (`terraform show -json PLANFILE`, format 1.x) into the before and after access of each EKS
 * cluster it changes: aws-auth through kubernetes_config_map, kubernetes_config_map_v1 and
 * kubernetes_config_map_v1_data (kube-system/aws-auth; data values as the plan holds them, `yamlencode` output
 * included), aws_eks_access_entry, aws_eks_access_policy_association and aws_eks_cluster's access_config. Only what
 * the plan manages is known: entries Terraform does not manage are not in either state.
 */
import type { AccessEntryInfo, AuthenticationMode } from '../auth/authenticator';
import type { AccessState } from './accessDiff';

const CONFIG_MAPS = ['kubernetes_config_map', 'kubernetes_config_map_v1', 'kubernetes_config_map_v1_data'];
const MODES: AuthenticationMode[] = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

export interface PlannedCluster {
  cluster: string;
  before: AccessState;
  after: AccessState;
  /** What the plan leaves unknown until apply, or could not be tied to this cluster. */
  notes: string[];
}

interface ResourceChange {
  address?: string;
  type?: string;
  change?: { actions?: string[]; before?: unknown; after?: unknown; after_unknown?: unknown };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Terraform writes nested blocks as lists of objects. */
const block = (v: unknown): Obj | undefined => obj(Array.isArray(v) ? v[0] : v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const unknown = (u: unknown, key: string): boolean => {
  const o = obj(u);
  return !!o && o[key] !== undefined && o[key] !== false;
};

/** Throws an Error saying what is wrong when the text is not a plan in Terraform's JSON format. */
export function readTerraformPlan(text: string, defaultMode: AuthenticationMode = 'API_AND_CONFIG_MAP'): PlannedCluster[] {
  let plan: Obj | undefined;
  try {
    plan = obj(JSON.parse(text));
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message} (write the plan with: terraform show -json PLANFILE > plan.json)`);
  }
  // The format's own rule: ignore unknown properties, reject an unknown major version.
  const version = str(plan?.format_version);
  if (version && !version.startsWith('1.') && version !== '1') throw new Error(`format_version ${version} is not supported (1.x is): upgrade eks-auth, or write the plan with Terraform 1.x`);
  if (!plan || !Array.isArray(plan.resource_changes)) throw new Error('no resource_changes: expected the output of terraform show -json PLANFILE');
  const changes = plan.resource_changes as ResourceChange[];
  const clusters = new Map<string, PlannedCluster>();
  const notes: string[] = [];
  const clusterOf = (name: string) => {
    let c = clusters.get(name);
    if (!c) {
      c = { cluster: name, before: { mode: defaultMode, accessEntries: [] }, after: { mode: defaultMode, accessEntries: [] }, notes: [] };
      clusters.set(name, c);
    }
    return c;
  };
  const sides = (ch: ResourceChange) => ({ before: obj(ch.change?.before), after: obj(ch.change?.after), afterUnknown: ch.change?.after_unknown });

  // Clusters and their modes first, so entries and aws-auth find them.
  for (const ch of changes.filter((c) => c.type === 'aws_eks_cluster')) {
    const { before, after } = sides(ch);
    const name = str(after?.name) ?? str(before?.name);
    if (!name) continue;
    const c = clusterOf(name);
    const mode = (o?: Obj) => str(block(o?.access_config)?.authentication_mode) as AuthenticationMode | undefined;
    const b = mode(before);
    const a = mode(after);
    if (b && MODES.includes(b)) c.before.mode = b;
    if (a && MODES.includes(a)) c.after.mode = a;
    else if (b && MODES.includes(b)) c.after.mode = b;
    if (!before && after && block(after.access_config)?.bootstrap_cluster_creator_admin_permissions !== false) c.after.creatorAdmin = true;
  }

  const entries: { cluster: string; side: 'before' | 'after'; entry: AccessEntryInfo }[] = [];
  for (const ch of changes.filter((c) => c.type === 'aws_eks_access_entry')) {
    const { before, after, afterUnknown } = sides(ch);
    for (const [side, o] of [['before', before], ['after', after]] as const) {
      if (!o) continue;
      const cluster = str(o.cluster_name);
      const principalArn = str(o.principal_arn);
      if (side === 'after' && (unknown(afterUnknown, 'principal_arn') || unknown(afterUnknown, 'cluster_name'))) {
        notes.push(`${ch.address}: its principal or cluster is known only after apply, so its access is not in the diff`);
        continue;
      }
      if (!cluster || !principalArn) continue;
      entries.push({ cluster, side, entry: { principalArn, type: str(o.type) ?? 'STANDARD', username: str(o.user_name), kubernetesGroups: strings(o.kubernetes_groups), policies: [] } });
    }
  }
  for (const { cluster, side, entry } of entries) clusterOf(cluster)[side].accessEntries.push(entry);

  for (const ch of changes.filter((c) => c.type === 'aws_eks_access_policy_association')) {
    const { before, after, afterUnknown } = sides(ch);
    for (const [side, o] of [['before', before], ['after', after]] as const) {
      if (!o) continue;
      if (side === 'after' && (unknown(afterUnknown, 'principal_arn') || unknown(afterUnknown, 'policy_arn'))) {
        notes.push(`${ch.address}: its principal or policy is known only after apply, so it is not in the diff`);
        continue;
      }
      const cluster = str(o.cluster_name);
      const principalArn = str(o.principal_arn);
      const policyArn = str(o.policy_arn);
      if (!cluster || !principalArn || !policyArn) continue;
      const scope = block(o.access_scope);
      const state = clusterOf(cluster)[side];
      let entry = state.accessEntries.find((e) => e.principalArn === principalArn);
      if (!entry) {
        // An association for an entry the plan does not manage: the entry exists, with EKS's defaults.
        entry = { principalArn, type: 'STANDARD', kubernetesGroups: [], policies: [] };
        state.accessEntries.push(entry);
      }
      entry.policies!.push({ policyArn, accessScope: { type: str(scope?.type) ?? 'cluster', namespaces: strings(scope?.namespaces) } });
    }
  }

  const awsAuth: { before?: Record<string, string>; after?: Record<string, string>; address?: string }[] = [];
  for (const ch of changes.filter((c) => CONFIG_MAPS.includes(c.type ?? ''))) {
    const { before, after, afterUnknown } = sides(ch);
    const meta = block((after ?? before)?.metadata);
    if (str(meta?.name) !== 'aws-auth' || (str(meta?.namespace) ?? 'default') !== 'kube-system') continue;
    if (unknown(afterUnknown, 'data')) notes.push(`${ch.address}: its data is known only after apply, so the aws-auth after the change is unknown`);
    const data = (o?: Obj) => (o ? Object.fromEntries(Object.entries(obj(o.data) ?? {}).filter((kv): kv is [string, string] => typeof kv[1] === 'string')) : undefined);
    awsAuth.push({ before: data(before), after: unknown(afterUnknown, 'data') ? data(before) : data(after), address: ch.address });
  }
  if (awsAuth.length) {
    if (!clusters.size) clusterOf('(the cluster of the kubernetes provider)');
    const targets = [...clusters.values()];
    if (targets.length > 1) notes.push(`aws-auth (${awsAuth.map((a) => a.address).join(', ')}) is compared on each of the ${targets.length} clusters in the plan: the plan does not say which one the kubernetes provider points at`);
    for (const c of targets) {
      for (const a of awsAuth) {
        if (a.before) c.before.awsAuth = { ...(c.before.awsAuth ?? {}), ...a.before };
        if (a.after) c.after.awsAuth = { ...(c.after.awsAuth ?? {}), ...a.after };
      }
    }
  }
  for (const c of clusters.values()) c.notes.push(...notes);
  return [...clusters.values()];
}
