/**
 * The kubernetes provider's resources in a Terraform plan that decide access: the aws-auth ConfigMap
 * (kubernetes_config_map(_v1), kubernetes_config_map_v1_data in kube-system) and RBAC bindings
 * (kubernetes_cluster_role_binding(_v1), kubernetes_role_binding(_v1)). The plan does not say which cluster the
 * provider points at, so they are compared on every cluster in it.
 */
import type { Binding } from './explain';
import { block, blocks, obj, sides, str, type Obj, type ResourceChange } from './jsonPlan';

import type { PlannedCluster } from './terraformPlan';

export const CONFIG_MAPS = ['kubernetes_config_map', 'kubernetes_config_map_v1', 'kubernetes_config_map_v1_data'];
const CLUSTER_ROLE_BINDINGS = ['kubernetes_cluster_role_binding', 'kubernetes_cluster_role_binding_v1'];
const ROLE_BINDINGS = ['kubernetes_role_binding', 'kubernetes_role_binding_v1'];

/** Adds aws-auth and the bindings to each cluster's before and after; `notes` gets what the plan leaves unknown. */
export function readKubernetesResources(ofType: (...types: string[]) => ResourceChange[], clusters: Map<string, PlannedCluster>, clusterOf: (name: string) => PlannedCluster, notes: string[]): void {
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
}
