/**
 * Reads a Terraform plan (`terraform show -json PLANFILE`, format 1.x) into the before and after access of each EKS
 * cluster it changes. It follows hashicorp/terraform `internal/command/jsonplan/plan.go` (the `plan` and `Change`
 * structs, `marshalResourceChange`, `omitUnknowns`, `unknownAsBool`, `actionString`) and `jsonconfig/config.go`
 * (the `configuration` block); docs/change-safety.md cites each rule with its lines. What it reads:
 * aws-auth through kubernetes_config_map(_v1) and kubernetes_config_map_v1_data (kube-system/aws-auth),
 * aws_eks_access_entry, aws_eks_access_policy_association, aws_eks_cluster (access_config), aws_eks_node_group and
 * aws_eks_fargate_profile (their roles must keep joining), and RBAC bindings (kubernetes_cluster_role_binding(_v1),
 * kubernetes_role_binding(_v1); read in planKubernetes.ts). Only what the plan manages is known: anything else in the
 * cluster is in neither state.
 */
import { trimTrailingIndex } from '../linearText';
import { AccessEntryInfo, AuthenticationMode, isAuthenticationMode } from '../auth/authenticator';
import { knownRoles, nodegroupEntryType } from '../clusters/nodeRoles';
import type { AccessState } from './accessDiff';
import { actionsOf, applyIdentity, block, readJsonPlan, referencesOf, sensitive, sides, str, strings, unknownAt, type Obj, type ResourceChange } from './jsonPlan';
import { CONFIG_MAPS, readKubernetesResources } from './planKubernetes';

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
      const m = str(block(o?.access_config)?.authentication_mode);
      return isAuthenticationMode(m) ? m : undefined;
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
      // Terraform's ami_type takes the EKS AMITypes values, so the same rule gives the entry type.
      const type = fargate ? 'FARGATE_LINUX' : nodegroupEntryType(str(o.ami_type));
      state.nodeRoles = [...knownRoles(state.nodeRoles), { label, arn, kind: fargate ? 'fargate' : 'ec2', entryType: type, source: ch.address }];
      if (state.mode !== 'CONFIG_MAP') {
        addEntry(state, { principalArn: arn, type, kubernetesGroups: [], policies: [], source: `the ${type} access entry EKS creates for ${ch.address} (${EKS_CREATED})` });
      }
    }
  }

  readKubernetesResources(ofType, clusters, clusterOf, notes);
  for (const c of clusters.values()) c.notes.push(...notes);
  return [...clusters.values()];
}
