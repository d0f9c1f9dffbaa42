/**
 * The API server's legacy discovery documents for what the emulator serves, so that kubectl's RESTMapper finds
 * `pods` (and `auth can-i` asks about them without "the server doesn't have a resource type"). Shapes from
 * kubernetes staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go: APIVersions (`/api`), APIGroupList
 * (`/apis`), APIResourceList (`/api/v1`, `/apis/GROUP/VERSION`); verbs and short names as a 1.32 API server lists them.
 *
 * kubectl 1.32 first asks for aggregated discovery (Accept `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`,
 * then v2beta1, then `application/json`, seen with `kubectl -v=8`). The emulator answers with plain `application/json`,
 * as an API server without aggregated discovery does (before 1.26), and client-go falls back to these documents.
 * Discovery needs an authenticated caller (EKS binds system:discovery to system:authenticated, so RBAC never refuses it).
 */

interface Resource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  group?: string;
  version?: string;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** The resources of each group version the emulator serves; selfsubjectreviews needs Kubernetes 1.28 (authentication.k8s.io/v1). */
function groupVersions(minor: number): Map<string, Resource[]> {
  return new Map<string, Resource[]>([
    [
      'v1',
      [
        { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: CRUD, shortNames: ['cm'] },
        { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] },
        { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: CRUD, shortNames: ['po'] },
        { name: 'serviceaccounts', singularName: 'serviceaccount', namespaced: true, kind: 'ServiceAccount', verbs: CRUD, shortNames: ['sa'] },
        { name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
      ],
    ],
    ...(minor >= 28 ? [['authentication.k8s.io/v1', [{ name: 'selfsubjectreviews', singularName: 'selfsubjectreview', namespaced: false, kind: 'SelfSubjectReview', verbs: ['create'] }]] as [string, Resource[]]] : []),
    [
      'authorization.k8s.io/v1',
      [
        { name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] },
        { name: 'selfsubjectrulesreviews', singularName: 'selfsubjectrulesreview', namespaced: false, kind: 'SelfSubjectRulesReview', verbs: ['create'] },
      ],
    ],
    [
      'rbac.authorization.k8s.io/v1',
      [
        { name: 'clusterrolebindings', singularName: 'clusterrolebinding', namespaced: false, kind: 'ClusterRoleBinding', verbs: CRUD },
        { name: 'clusterroles', singularName: 'clusterrole', namespaced: false, kind: 'ClusterRole', verbs: CRUD },
        { name: 'rolebindings', singularName: 'rolebinding', namespaced: true, kind: 'RoleBinding', verbs: CRUD },
        { name: 'roles', singularName: 'role', namespaced: true, kind: 'Role', verbs: CRUD },
      ],
    ],
  ]);
}

/**
 * The discovery document at `pathname` for a cluster of Kubernetes `version` ("1.32") served at `hostPort`, or
 * undefined when the path is not a discovery path the emulator serves.
 */
export function discoveryDocument(pathname: string, version: string, hostPort: string): object | undefined {
  const all = groupVersions(Number(version.split('.')[1]));
  const path = pathname.replace(/\/$/, '');
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }] };
  if (path === '/apis') {
    const groups = [...all.keys()].filter((gv) => gv.includes('/')).map((groupVersion) => {
      const [name, v] = groupVersion.split('/');
      return { name, versions: [{ groupVersion, version: v }], preferredVersion: { groupVersion, version: v } };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const groupVersion = path === '/api/v1' ? 'v1' : /^\/apis\/([^/]+\/[^/]+)$/.exec(path)?.[1];
  const resources = groupVersion ? all.get(groupVersion) : undefined;
  if (!groupVersion || !resources) return undefined;
  // `kubectl get --raw /api/v1` shows no apiVersion; `/apis/GROUP/VERSION` shows apiVersion v1.
  return { kind: 'APIResourceList', ...(groupVersion === 'v1' ? {} : { apiVersion: 'v1' }), groupVersion, resources };
}
