/**
 * The Kubernetes API for workload identity: service accounts (get, list in a namespace or across all with
 * limit/continue), pods (get, list with labelSelector and fieldSelector), JSON only, shaped as the API server answers
 * (k8s.io/apiserver `pkg/endpoints/handlers`, list items without kind/apiVersion, Status errors worded as
 * apimachinery's `NewNotFound`, `NewBadRequest`). Authorisation is kube.ts's, through {@link workloadKubeRequest}. The
 * apps/v1 routes (GET replicaset, the rollout restart PATCH) are workloadRollout.ts's.
 */
import type { Request } from './rbac';
import type { Cluster } from './state';
import type { WorkloadWorld } from './workload';
import { clusterKey } from './workloadScenario';
import type { KubeWorkloads, PodObject, ServiceAccountObject } from './workloadPods';
import { deletePod, kubeStatus, tokenRequest, uidPreconditionFailed, type KubeAnswer } from './workloadKubeWrites';
import { getReplicaSet, patchWorkload, REPLICASET_ONE, WORKLOAD_ONE } from './workloadRollout';
import { settleAddons } from './workloadWrites';

const SA_ONE = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)$/;
const SA_LIST = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?serviceaccounts$/;
const SA_TOKEN = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token$/;
const POD_ONE = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/;
const POD_LIST = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?pods$/;

const READ_VERB: Record<string, string> = { GET: 'get', DELETE: 'delete' };

/** The verb and resource of a workload request, as RBAC sees it; undefined when it is none of these routes. */
export function workloadKubeRequest(method: string, path: string): (Request & { group?: string }) | undefined {
  let m = REPLICASET_ONE.exec(path);
  if (m) return method === 'GET' ? { verb: 'get', resource: 'replicasets', group: 'apps', namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) } : undefined;
  m = WORKLOAD_ONE.exec(path);
  if (m) return method === 'PATCH' ? { verb: 'patch', resource: m[2], group: 'apps', namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[3]) } : undefined;
  m = SA_TOKEN.exec(path);
  if (m) return method === 'POST' ? { verb: 'create', resource: 'serviceaccounts/token', namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) } : undefined;
  m = SA_ONE.exec(path) ?? POD_ONE.exec(path);
  if (m && READ_VERB[method]) return { verb: READ_VERB[method], resource: path.includes('/pods/') ? 'pods' : 'serviceaccounts', namespace: decodeURIComponent(m[1]), name: decodeURIComponent(m[2]) };
  m = SA_LIST.exec(path) ?? POD_LIST.exec(path);
  if (m && method === 'GET') return { verb: 'list', resource: path.endsWith('/pods') ? 'pods' : 'serviceaccounts', namespace: m[1] ? decodeURIComponent(m[1]) : undefined };
  return undefined;
}

const notFound = (kind: 'pods' | 'serviceaccounts', name: string) => kubeStatus(404, 'NotFound', `${kind} "${name}" not found`, { name, kind });

/** The answer to a workload route, or undefined when the request is not one (kube.ts then goes on). */
export function workloadKubeAnswer(world: WorkloadWorld | undefined, cluster: Cluster, method: string, url: URL, body: string, now = new Date(), contentType = 'application/json'): KubeAnswer | undefined {
  const path = url.pathname;
  if (!workloadKubeRequest(method, path)) return undefined;
  if (world) settleAddons(world, now.getTime());
  const kube = world?.kube.get(clusterKey(cluster)) ?? { serviceAccounts: [], pods: [], nodes: [], resourceVersion: 1000 };
  let m = REPLICASET_ONE.exec(path);
  if (m) return getReplicaSet(kube, decodeURIComponent(m[1]), decodeURIComponent(m[2]));
  m = WORKLOAD_ONE.exec(path);
  if (m) return patchWorkload(world!, cluster, kube, decodeURIComponent(m[1]), m[2], decodeURIComponent(m[3]), body, contentType, now);
  m = SA_TOKEN.exec(path);
  if (m) {
    // The emulator speaks JSON only; another media type (kubectl sends protobuf) is refused as the API server refuses one it does not serve.
    const type = contentType.split(';')[0].trim();
    if (type && type !== 'application/json') return kubeStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json`);
    return tokenRequest(cluster, kube, decodeURIComponent(m[1]), decodeURIComponent(m[2]), body, now);
  }
  m = SA_ONE.exec(path);
  if (m) {
    const [ns, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    const sa = kube.serviceAccounts.find((s) => s.metadata.namespace === ns && s.metadata.name === name);
    return sa ? { code: 200, body: serviceAccount(sa, true) } : notFound('serviceaccounts', name);
  }
  m = POD_ONE.exec(path);
  if (m) {
    const [ns, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    const pod = kube.pods.find((p) => p.object.metadata.namespace === ns && p.object.metadata.name === name);
    if (!pod) return notFound('pods', name);
    if (method === 'DELETE') return uidPreconditionFailed(pod, body) ?? deletePod(world!, cluster, kube, pod, now);
    return { code: 200, body: podJson(pod.object, true) };
  }
  m = SA_LIST.exec(path);
  if (m) {
    const ns = m[1] ? decodeURIComponent(m[1]) : undefined;
    const items = kube.serviceAccounts.filter((s) => !ns || s.metadata.namespace === ns);
    return list('ServiceAccountList', items.map((s) => serviceAccount(s, false)), kube, url);
  }
  m = POD_LIST.exec(path);
  if (m) {
    const ns = m[1] ? decodeURIComponent(m[1]) : undefined;
    const labels = parseSelector(url.searchParams.get('labelSelector') ?? '', 'label');
    if (typeof labels === 'string') return kubeStatus(400, 'BadRequest', labels);
    const fields = parseSelector(url.searchParams.get('fieldSelector') ?? '', 'field');
    if (typeof fields === 'string') return kubeStatus(400, 'BadRequest', fields);
    const unsupported = fields.find((f) => !Object.hasOwn(POD_FIELDS, f.key));
    if (unsupported) return kubeStatus(400, 'BadRequest', `field label not supported: ${unsupported.key}`);
    const items = kube.pods
      .map((p) => p.object)
      .filter((p) => (!ns || p.metadata.namespace === ns) && labels.every((r) => r.test(p.metadata.labels?.[r.key])) && fields.every((r) => r.test(POD_FIELDS[r.key](p))));
    return list('PodList', items.map((p) => podJson(p, false)), kube, url);
  }
  return undefined;
}

function serviceAccount(sa: ServiceAccountObject, withKind: boolean) {
  return { ...(withKind ? { kind: 'ServiceAccount', apiVersion: 'v1' } : {}), metadata: structuredClone(sa.metadata) };
}

function podJson(p: PodObject, withKind: boolean) {
  return { ...(withKind ? { kind: 'Pod', apiVersion: 'v1' } : {}), ...structuredClone(p) };
}

/** Fields a pod list can be selected by (kubernetes pkg/registry/core/pod/strategy.go `ToSelectableFields`). */
const POD_FIELDS: Record<string, (p: PodObject) => string> = {
  'metadata.name': (p) => p.metadata.name,
  'metadata.namespace': (p) => p.metadata.namespace,
  'spec.nodeName': (p) => p.spec.nodeName,
  'spec.restartPolicy': (p) => p.spec.restartPolicy,
  'spec.serviceAccountName': (p) => p.spec.serviceAccountName,
  'spec.hostNetwork': (p) => String(p.spec.hostNetwork === true),
  'status.phase': (p) => String(p.status.phase ?? ''),
  'status.podIP': (p) => String(p.status.podIP ?? ''),
};

interface Requirement {
  key: string;
  test(value: string | undefined): boolean;
}

/**
 * Label selectors (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`) and field selectors (`=`, `==`,
 * `!=`), as apimachinery's labels.Parse and fields.ParseSelector read them; an error message when it does not parse.
 */
function parseSelector(text: string, kind: 'label' | 'field'): Requirement[] | string {
  const out: Requirement[] = [];
  const parts = /(?:[^,(]|\([^)]*\))+/g;
  // What the requirements do not cover (an unclosed parenthesis) is a parse error, not something to skip.
  if (text.replace(parts, '').replace(/,/g, '').trim()) return kind === 'label' ? `unable to parse requirement: found '${text}', expected: ')'` : `invalid selector: '${text}'`;
  for (const part of text.match(parts) ?? []) {
    const s = part.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^!=\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/.exec(s))) {
      const [key, op, value] = [m[1], m[2], m[3]];
      out.push({ key, test: (v) => (op === '!=' ? (v ?? '') !== value : v === value) });
    } else if (kind === 'label' && (m = /^([^!=\s]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(s))) {
      const [key, op, values] = [m[1], m[2], m[3].split(',').map((x) => x.trim())];
      out.push({ key, test: (v) => (op === 'in' ? v !== undefined && values.includes(v) : v === undefined || !values.includes(v)) });
    } else if (kind === 'label' && (m = /^(!?)([A-Za-z0-9][-A-Za-z0-9_./]*)$/.exec(s))) {
      const [negate, key] = [m[1] === '!', m[2]];
      out.push({ key, test: (v) => (v !== undefined) !== negate });
    } else {
      return kind === 'label' ? `unable to parse requirement: found '${s}', expected: ',' or 'end of string'` : `invalid selector: '${text}'; can't understand '${s}'`;
    }
  }
  return out;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/**
 * A list page: items in key order (namespace, then name, as etcd keeps them); `limit` pages with an opaque
 * `continue` (the API server's is base64 JSON with the resource version and the next key) and remainingItemCount.
 */
function list(kind: string, items: { metadata: { name: string; namespace: string } }[], kube: KubeWorkloads, url: URL): KubeAnswer {
  const key = (i: { metadata: { name: string; namespace: string } }) => `${i.metadata.namespace}/${i.metadata.name}`;
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  let start = '';
  const cont = url.searchParams.get('continue');
  if (cont) {
    try {
      const token = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')) as ContinueToken;
      if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string') throw new Error();
      start = token.start;
    } catch {
      return kubeStatus(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    }
  }
  const limitText = url.searchParams.get('limit');
  const limit = limitText && /^\d+$/.test(limitText) && Number(limitText) > 0 ? Number(limitText) : Infinity;
  const rest = sorted.filter((i) => key(i) >= start);
  const page = rest.slice(0, limit);
  const metadata: Record<string, unknown> = { resourceVersion: String(kube.resourceVersion) };
  if (rest.length > page.length) {
    const next: ContinueToken = { v: 'meta.k8s.io/v1', rv: kube.resourceVersion, start: `${key(rest[page.length])}` };
    metadata.continue = Buffer.from(JSON.stringify(next)).toString('base64');
    metadata.remainingItemCount = rest.length - page.length;
  }
  return { code: 200, body: { kind, apiVersion: 'v1', metadata, items: page } };
}
