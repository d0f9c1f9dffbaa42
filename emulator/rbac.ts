/**
 * Authorisation as an EKS API server does it: Kubernetes RBAC (bindings to ClusterRoles and Roles) plus the access
 * policies of the caller's access entry, each in its cluster or namespace scope. The user-facing ClusterRoles and
 * the access policies are approximated by their documented rule sets:
 * - Kubernetes "Using RBAC Authorization", User-facing roles (cluster-admin, admin, edit, view) and the default
 *   `system:basic-user` binding that lets every authenticated user create SelfSubjectReviews, SelfSubjectAccessReviews
 *   and SelfSubjectRulesReviews;
 * - the EKS user guide, "Review access policy permissions" (AmazonEKSClusterAdminPolicy is `*` on everything;
 *   AmazonEKSAdminPolicy, AmazonEKSEditPolicy and AmazonEKSViewPolicy are close to admin, edit and view;
 *   AmazonEKSAdminViewPolicy reads every resource, secrets included).
 * An emulator approximation: resources are matched by name only (no API groups, no resourceNames, no
 * non-resource URLs beyond `*`).
 */
import type { RbacBinding } from './state';

export interface Rule {
  verbs: string[];
  resources: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const WORKLOADS = ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'ingresses', 'events', 'horizontalpodautoscalers', 'networkpolicies', 'poddisruptionbudgets'];

const VIEW: Rule[] = [{ verbs: READ, resources: WORKLOADS }];
const EDIT: Rule[] = [...VIEW, { verbs: WRITE, resources: [...WORKLOADS, 'secrets'] }, { verbs: READ, resources: ['secrets'] }];
const ADMIN: Rule[] = [...EDIT, { verbs: [...READ, ...WRITE], resources: ['roles', 'rolebindings'] }];
const EVERYTHING: Rule[] = [{ verbs: ['*'], resources: ['*'] }];
const SELF_REVIEWS: Rule[] = [{ verbs: ['create'], resources: ['selfsubjectreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews'] }];

export const CLUSTER_ROLES: Record<string, Rule[]> = {
  'cluster-admin': EVERYTHING,
  admin: ADMIN,
  edit: EDIT,
  view: VIEW,
  'system:basic-user': SELF_REVIEWS,
};

export const ACCESS_POLICY_RULES: Record<string, Rule[]> = {
  AmazonEKSClusterAdminPolicy: EVERYTHING,
  AmazonEKSAdminPolicy: ADMIN,
  AmazonEKSEditPolicy: EDIT,
  AmazonEKSViewPolicy: VIEW,
  AmazonEKSAdminViewPolicy: [{ verbs: READ, resources: ['*'] }],
};

/** Resources that belong to no namespace: a namespace-scoped grant never covers them. */
const CLUSTER_SCOPED = new Set(['namespaces', 'nodes', 'persistentvolumes', 'clusterroles', 'clusterrolebindings', 'customresourcedefinitions', 'storageclasses', 'selfsubjectreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews']);

export interface Subject {
  username: string;
  groups: string[];
}

export interface Request {
  verb: string;
  resource: string;
  namespace?: string;
  /** The object's name, for a request on one object (only the refusal's wording uses it). */
  name?: string;
}

export interface PolicyGrant {
  policyArn: string;
  accessScope: { type: string; namespaces?: string[] };
}

export interface Grant {
  rules: Rule[];
  /** undefined: every namespace and the cluster-scoped resources. */
  namespaces?: string[];
  via: string;
}

const covers = (rule: Rule, r: Request) => (rule.verbs.includes('*') || rule.verbs.includes(r.verb)) && (rule.resources.includes('*') || rule.resources.includes(r.resource));

/** Every grant that applies to the subject: RBAC bindings (with the defaults every cluster has) and access policies. */
export function grantsFor(subject: Subject, bindings: RbacBinding[], policies: PolicyGrant[]): Grant[] {
  const groups = new Set([...subject.groups, 'system:authenticated']);
  const named = (b: RbacBinding) => b.subjects.some((s) => (s.kind === 'User' && s.name === subject.username) || (s.kind === 'Group' && groups.has(s.name)));
  const grants: Grant[] = [{ rules: SELF_REVIEWS, via: 'ClusterRoleBinding system:basic-user' }];
  for (const b of bindings) {
    if (!named(b)) continue;
    // Own keys only: a role named `constructor` is no built-in role.
    const rules = Object.hasOwn(CLUSTER_ROLES, b.roleRef.name) ? CLUSTER_ROLES[b.roleRef.name] : undefined;
    if (!rules) continue;
    grants.push({ rules, namespaces: b.kind === 'RoleBinding' ? [b.namespace ?? 'default'] : undefined, via: `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name}` });
  }
  for (const p of policies) {
    const name = p.policyArn.split('/').pop() ?? '';
    const rules = Object.hasOwn(ACCESS_POLICY_RULES, name) ? ACCESS_POLICY_RULES[name] : undefined;
    if (!rules) continue;
    grants.push({ rules, namespaces: p.accessScope.type === 'namespace' ? p.accessScope.namespaces ?? [] : undefined, via: `access policy ${name} (${p.accessScope.type === 'namespace' ? `namespaces ${(p.accessScope.namespaces ?? []).join(', ')}` : 'cluster'})` });
  }
  return grants;
}

export function authorize(grants: Grant[], r: Request): { allowed: boolean; reason: string } {
  for (const g of grants) {
    if (g.namespaces) {
      if (CLUSTER_SCOPED.has(r.resource) || !r.namespace) continue;
      if (!g.namespaces.some((ns) => ns === r.namespace || (ns.endsWith('*') && r.namespace!.startsWith(ns.slice(0, -1))))) continue;
    }
    if (g.rules.some((rule) => covers(rule, r))) return { allowed: true, reason: `allowed by ${g.via}` };
  }
  return { allowed: false, reason: '' };
}

/** The rules that apply in a namespace, as SelfSubjectRulesReview lists them (one entry per rule). */
export function rulesIn(grants: Grant[], namespace: string): { verbs: string[]; resources: string[]; apiGroups: string[] }[] {
  return grants
    .filter((g) => !g.namespaces || g.namespaces.some((ns) => ns === namespace || (ns.endsWith('*') && namespace.startsWith(ns.slice(0, -1)))))
    .flatMap((g) => g.rules.map((r) => ({ verbs: r.verbs, resources: g.namespaces ? r.resources.filter((x) => !CLUSTER_SCOPED.has(x)) : r.resources, apiGroups: ['*'] })))
    .filter((r) => r.resources.length);
}
