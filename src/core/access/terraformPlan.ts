/**
 * Reads a Terraform plan (`terraform show -json PLANFILE`, format 1.x) into the before and after access of each EKS
 * cluster it changes. It follows hashicorp/terraform `internal/command/jsonplan/plan.go` (the `plan` and `Change`
 * structs, `marshalResourceChange`, `omitUnknowns`, `unknownAsBool`, `actionString`) and `jsonconfig/config.go`
 * (the `configuration` block); docs/change-safety.md cites each rule with its lines. What it reads:
 * aws-auth through kubernetes_config_map(_v1) and kubernetes_config_map_v1_data (kube-system/aws-auth),
 * aws_eks_access_entry, aws_eks_access_policy_association, aws_eks_cluster (access_config), aws_eks_node_group and
 * aws_eks_fargate_profile (their roles must keep joining), and RBAC bindings (kubernetes_cluster_role_binding(_v1),
 * kubernetes_role_binding(_v1)). Only what the plan manages is known: anything else in the cluster is in neither state.
 */
import { trimTrailingIndex } from '../linearText';
import { AccessEntryInfo, AuthenticationMode } from '../auth/authenticator';
import type { AccessState } from './accessDiff';
import type { Binding } from './explain';
import { actionsOf, applyIdentity, block, blocks, obj, readJsonPlan, referencesOf, sensitive, sides, str, strings, unknownAt, type Obj, type ResourceChange } from './jsonPlan';

const CONFIG_MAPS = ['kubernetes_config_map', 'kubernetes_config_map_v1', 'kubernetes_config_map_v1_data'];
const CLUSTER_ROLE_BINDINGS = ['kubernetes_cluster_role_binding', 'kubernetes_cluster_role_binding_v1'];
const ROLE_BINDINGS = ['kubernetes_role_binding', 'kubernetes_role_binding_v1'];
const MODES: AuthenticationMode[] = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];
/** EKS creates these entries itself for managed node groups and Fargate profiles once the API is on. */
const EKS_CREATED = 'terraform-aws-eks docs/UPGRADE-20.0.md: "EKS automatically adds access entries for the roles used by EKS managed node groups and Fargate profiles"';
const APPLY_IDENTITY = 'the identity that runs apply';

export interface PlannedCluster {
  cluster: string;
  /** What the plan does to the cluster itself: create, destroy, replace, update, or nothing (not in the plan). */
  change: 'create' | 'destroy' | 'replace' | 'update' | 'none';
  /** The aws_eks_cluster resource address, when the cluster is in the plan. */
  address?: string;
  before: AccessState;
  after: AccessState;
  /** What the plan leaves unknown until apply, or could not be tied to this cluster. */
  notes: string[];
}

/** Throws an Error saying what is wrong when the text is not a plan in Terraform's JSON format. */
export function readTerraformPlan(text: string, defaultMode: AuthenticationMode = 'API_AND_CONFIG_MAP'): PlannedCluster[] {
  const { plan, changes } = readJsonPlan(text);
  const ofType = (...types: string[]) => changes.filter((c) => types.includes(c.type ?? ''));
  const clusters = new Map<string, PlannedCluster>();
  const byAddress = new Map<string, PlannedCluster>();
  const notes: string[] = [];
  const identity = applyIdentity(plan);
  const clusterOf = (name: string) => {
    let c = clusters.get(name);
    if (!c) {
      const state = (): AccessState => ({ mode: defaultMode, accessEntries: [], ...(identity ? { callerArn: identity, callerLabel: APPLY_IDENTITY } : {}) });
      c = { cluster: name, change: 'none', before: state(), after: state(), notes: [] };
      clusters.set(name, c);
    }
    return c;
  };

  // Clusters and their modes first, so entries and aws-auth find them.
  for (const ch of ofType('aws_eks_cluster')) {
    const { before, after } = sides(ch);
    const act = actionsOf(ch);
    const name = str(after?.name) ?? str(before?.name);
    if (!name) {
      notes.push(`${ch.address}: its name is known only after apply, so its access is not in the diff`);
      continue;
    }
    const c = clusterOf(name);
    c.address = ch.address;
    c.before.clusterSource = c.after.clusterSource = ch.address;
    byAddress.set(ch.address ?? '', c);
    c.change = act.replaced ? 'replace' : act.creates ? 'create' : act.deletes ? 'destroy' : (ch.change?.actions ?? []).includes('update') ? 'update' : 'none';
    const mode = (o?: Obj) => {
      const m = str(block(o?.access_config)?.authentication_mode) as AuthenticationMode | undefined;
      return m && MODES.includes(m) ? m : undefined;
    };
    c.before.mode = mode(before) ?? defaultMode;
    // EKS's own default for a new cluster without access_config is CONFIG_MAP (CreateCluster accessConfig).
    c.after.mode = mode(after) ?? (act.creates ? 'CONFIG_MAP' : c.before.mode);
    if (c.change === 'create') c.before.absent = true;
    if (c.change === 'destroy') c.after.absent = true;
    // CONFIG_MAP: the creator has system:masters that appears in no configuration (EKS user guide, auth-configmap).
    if (!act.creates && c.before.mode === 'CONFIG_MAP') {
      c.before.creatorAdmin = c.after.creatorAdmin = true;
      c.before.creatorLabel = c.after.creatorLabel = 'the cluster creator (implicit system:masters)';
    }
    if (act.creates && after) {
      const bootstrap = block(after.access_config)?.bootstrap_cluster_creator_admin_permissions;
      // Unset means EKS's default, true; CONFIG_MAP always makes the creator an admin.
      if (bootstrap !== false || c.after.mode === 'CONFIG_MAP') {
        c.after.creatorAdmin = true;
        c.after.creatorLabel = identity ? `${APPLY_IDENTITY} (${identity}, cluster creator)` : `${APPLY_IDENTITY} (cluster creator)`;
        c.after.creatorSource = ch.address;
      }
    }
    if (c.change === 'replace') c.notes.push(`${ch.address} is replaced (${ch.change?.actions?.join(', ')}${ch.action_reason ? `: ${ch.action_reason}` : ''}): the new cluster has only the access this plan creates`);
  }

  /** The cluster an EKS resource belongs to: its cluster_name, or what the expression refers to when unknown. */
  const clusterFor = (ch: ResourceChange, o: Obj, side: 'before' | 'after', afterUnknown: unknown): PlannedCluster | undefined => {
    const name = str(o.cluster_name);
    if (name && !(side === 'after' && unknownAt(afterUnknown, 'cluster_name'))) return clusterOf(name);
    // cluster_name = aws_eks_cluster.this[0].id is unknown until a new cluster exists: the configuration still says
    // which cluster it is.
    for (const ref of referencesOf(plan, ch, 'cluster_name')) {
      // The instance key is cut from the end: /\[[^\]]*\]$/ retried every `[` of an address (plan text) made of them.
      const c = byAddress.get(ref) ?? [...byAddress.entries()].find(([a]) => ref === trimTrailingIndex(a))?.[1];
      if (c) return c;
    }
    const created = [...byAddress.values()];
    if (created.length === 1) {
      notes.push(`${ch.address}: its cluster_name is known only after apply; it is taken to be ${created[0].address}, the only cluster in the plan`);
      return created[0];
    }
    notes.push(`${ch.address}: its cluster_name is known only after apply, so its access is not in the diff`);
    return undefined;
  };

  // Access entries, keyed per state by principal so associations find theirs without a scan.
  const keyed = new Map<AccessState, Map<string, AccessEntryInfo>>();
  const entryIn = (state: AccessState, arn: string) => keyed.get(state)?.get(arn.toLowerCase());
  const addEntry = (state: AccessState, e: AccessEntryInfo) => {
    let m = keyed.get(state);
    if (!m) keyed.set(state, (m = new Map()));
    if (m.has(e.principalArn.toLowerCase())) return;
    m.set(e.principalArn.toLowerCase(), e);
    state.accessEntries.push(e);
  };
  for (const ch of ofType('aws_eks_access_entry', 'aws_eks_access_policy_association', ...CONFIG_MAPS)) {
    const key = ch.type?.startsWith('kubernetes') ? 'data' : 'principal_arn';
    if (sensitive(ch, key)) notes.push(`${ch.address}: ${key} is marked sensitive in the plan; it is compared all the same, and this report names the principals in it`);
  }
  const replacedEntries = new Set<string>();
  for (const ch of ofType('aws_eks_access_entry')) {
    const { before, after, afterUnknown } = sides(ch);
    const act = actionsOf(ch);
    for (const [side, o] of [['before', before], ['after', after]] as const) {
      if (!o) continue;
      const c = clusterFor(ch, o, side, afterUnknown);
      if (!c) continue;
      if (side === 'after' && unknownAt(afterUnknown, 'principal_arn')) {
        notes.push(`${ch.address}: its principal is known only after apply, so its access is not in the diff`);
        continue;
      }
      const principalArn = str(o.principal_arn);
      if (!principalArn) continue;
      if (side === 'after' && c.change === 'replace' && !act.creates) {
        c.notes.push(`${ch.address} is not created again for the replaced cluster: its access is gone`);
        continue;
      }
      const entry: AccessEntryInfo = {
        principalArn,
        type: str(o.type) ?? 'STANDARD',
        // user_name and kubernetes_groups are Optional+Computed: unknown on create means EKS's defaults.
        username: side === 'after' && unknownAt(afterUnknown, 'user_name') ? undefined : str(o.user_name) || undefined,
        kubernetesGroups: strings(o.kubernetes_groups),
        policies: [],
        source: ch.address,
      };
      if (side === 'after' && act.replaced) {
        replacedEntries.add(`${c.cluster}|${principalArn.toLowerCase()}`);
        entry.sourceNote = `${ch.address} is replaced (${ch.change?.actions?.join(', ')}${ch.action_reason ? `: ${ch.action_reason}` : ''}): deleting an access entry deletes its policy associations (EKS user guide, Delete access entries)`;
      }
      addEntry(c[side], entry);
    }
  }

  for (const ch of ofType('aws_eks_access_policy_association')) {
    const { before, after, afterUnknown } = sides(ch);
    const act = actionsOf(ch);
    for (const [side, o] of [['before', before], ['after', after]] as const) {
      if (!o) continue;
      if (side === 'after' && (unknownAt(afterUnknown, 'principal_arn') || unknownAt(afterUnknown, 'policy_arn'))) {
        notes.push(`${ch.address}: its principal or policy is known only after apply, so it is not in the diff`);
        continue;
      }
      const c = clusterFor(ch, o, side, afterUnknown);
      const principalArn = str(o.principal_arn);
      const policyArn = str(o.policy_arn);
      if (!c || !principalArn || !policyArn) continue;
      // An association the plan keeps, on an entry it replaces, is deleted with the entry and not made again.
      if (side === 'after' && !act.creates && replacedEntries.has(`${c.cluster}|${principalArn.toLowerCase()}`)) {
        c.notes.push(`${ch.address} is deleted with its replaced access entry and not created again in this plan`);
        continue;
      }
      if (side === 'after' && c.change === 'replace' && !act.creates) continue;
      const state = c[side];
      let entry = entryIn(state, principalArn);
      if (!entry) {
        // An association for an entry the plan does not manage: the entry exists, with EKS's defaults.
        entry = { principalArn, type: 'STANDARD', kubernetesGroups: [], policies: [] };
        addEntry(state, entry);
      }
      const scope = block(o.access_scope);
      entry.policies!.push({ policyArn, accessScope: { type: str(scope?.type) ?? 'cluster', namespaces: strings(scope?.namespaces) }, source: ch.address });
    }
  }

  // Node groups and Fargate profiles: their roles must keep joining, and EKS gives them entries of its own.
  for (const ch of ofType('aws_eks_node_group', 'aws_eks_fargate_profile')) {
    const { before, after, afterUnknown } = sides(ch);
    const fargate = ch.type === 'aws_eks_fargate_profile';
    const roleKey = fargate ? 'pod_execution_role_arn' : 'node_role_arn';
    for (const [side, o] of [['before', before], ['after', after]] as const) {
      if (!o) continue;
      const c = clusterFor(ch, o, side, afterUnknown);
      if (!c) continue;
      if (side === 'after' && unknownAt(afterUnknown, roleKey)) {
        c.notes.push(`${ch.address}: its role is known only after apply, so whether it joins is not in the diff`);
        continue;
      }
      const arn = str(o[roleKey]);
      if (!arn) continue;
      const label = fargate ? `Fargate profile ${str(o.fargate_profile_name) ?? ch.address}` : `managed node group ${str(o.node_group_name) ?? ch.address}`;
      const state = c[side];
      (state.nodeRoles ??= []).push({ label, arn, kind: fargate ? 'fargate' : 'ec2', source: ch.address });
      if (state.mode !== 'CONFIG_MAP') {
        const type = fargate ? 'FARGATE_LINUX' : /WINDOWS/.test(str(o.ami_type) ?? '') ? 'EC2_WINDOWS' : 'EC2_LINUX';
        addEntry(state, { principalArn: arn, type, kubernetesGroups: [], policies: [], source: `the ${type} access entry EKS creates for ${ch.address} (${EKS_CREATED})` });
      }
    }
  }

  const awsAuth: { before?: Record<string, string>; after?: Record<string, string>; address?: string; unknown?: string[] | 'all' }[] = [];
  const bindings: { before?: Binding; after?: Binding }[] = [];
  for (const ch of ofType(...CONFIG_MAPS)) {
    const { before, after, afterUnknown } = sides(ch);
    const meta = block((after ?? before)?.metadata);
    if (str(meta?.name) !== 'aws-auth' || (str(meta?.namespace) ?? 'default') !== 'kube-system') continue;
    const data = (o?: Obj) => (o ? Object.fromEntries(Object.entries(obj(o.data) ?? {}).filter((kv): kv is [string, string] => typeof kv[1] === 'string')) : undefined);
    const unknownData = obj(afterUnknown)?.data;
    let unknown: string[] | 'all' | undefined;
    if (unknownData === true) {
      notes.push(`${ch.address}: its data is known only after apply, so aws-auth after the change is taken to be as before`);
      unknown = 'all';
    } else if (obj(unknownData)) {
      // A known map with some unknown values: only those keys are unknown.
      unknown = Object.entries(obj(unknownData)!).filter(([, v]) => v === true).map(([k]) => k);
      for (const k of unknown) notes.push(`${ch.address}: data.${k} is known only after apply, so it is taken to be as before`);
    }
    awsAuth.push({ before: data(before), after: data(after), address: ch.address, unknown });
  }
  const binding = (ch: ResourceChange, o: Obj | undefined): Binding | undefined => {
    if (!o) return undefined;
    const meta = block(o.metadata);
    const ref = block(o.role_ref);
    return {
      kind: CLUSTER_ROLE_BINDINGS.includes(ch.type ?? '') ? 'ClusterRoleBinding' : 'RoleBinding',
      name: str(meta?.name) ?? ch.address ?? '',
      namespace: str(meta?.namespace),
      roleRef: { kind: str(ref?.kind) ?? '', name: str(ref?.name) ?? '' },
      subjects: blocks(o.subject).map((s) => ({ kind: str(s.kind) ?? '', name: str(s.name) ?? '' })),
      source: ch.address,
    };
  };
  for (const ch of ofType(...CLUSTER_ROLE_BINDINGS, ...ROLE_BINDINGS)) {
    const { before, after } = sides(ch);
    bindings.push({ before: binding(ch, before), after: binding(ch, after) });
  }
  // Deletions first: a ConfigMap whose data one resource stops managing while another writes it ends up written.
  awsAuth.sort((x, y) => Number(!!x.after) - Number(!!y.after));
  if (awsAuth.length || bindings.length) {
    if (!clusters.size) clusterOf('(the cluster of the kubernetes provider)');
    const targets = [...clusters.values()];
    const addresses = [...awsAuth.map((a) => a.address), ...bindings.map((b) => (b.after ?? b.before)?.source)];
    if (targets.length > 1) notes.push(`${addresses.join(', ')} compared on each of the ${targets.length} clusters in the plan: the plan does not say which one the kubernetes provider points at`);
    for (const c of targets) {
      for (const a of awsAuth) {
        if (a.before) c.before.awsAuth = { ...(c.before.awsAuth ?? {}), ...a.before };
        if (a.before) c.before.awsAuthSource = a.address;
        if (a.after || !c.after.awsAuthSource) c.after.awsAuthSource = a.address;
        // Deleting a ConfigMap removes it; deleting kubernetes_config_map_v1_data removes the keys it manages.
        if (a.after) c.after.awsAuth = { ...(c.after.awsAuth ?? {}), ...a.after };
        else if (a.before && c.after.awsAuth && !a.unknown) for (const k of Object.keys(a.before)) delete c.after.awsAuth[k];
      }
      // What the plan cannot know yet is taken to stay as it is in the cluster before the change.
      for (const a of awsAuth) {
        if (a.unknown === 'all') c.after.awsAuth = c.before.awsAuth && { ...c.before.awsAuth };
        else
          for (const k of a.unknown ?? []) {
            if (c.before.awsAuth?.[k] !== undefined) (c.after.awsAuth ??= {})[k] = c.before.awsAuth[k];
            else if (c.after.awsAuth) delete c.after.awsAuth[k];
          }
      }
      for (const b of bindings) {
        if (b.before) (c.before.bindings ??= []).push(b.before);
        if (b.after) (c.after.bindings ??= []).push(b.after);
      }
    }
    for (const c of targets) if (c.after.awsAuth && !Object.keys(c.after.awsAuth).length && !awsAuth.some((a) => a.after)) c.after.awsAuth = undefined;
  }
  for (const c of clusters.values()) c.notes.push(...notes);
  return [...clusters.values()];
}
