/**
 * A Kubernetes API server for one cluster, enough for aws-auth: HTTPS with the cluster's own CA, the EKS bearer
 * token checked as the authenticator checks it, and ConfigMap GET/PUT/PATCH/POST with resourceVersion conflicts
 * worded as the API server words them.
 */
import * as https from 'https';
import type * as http from 'http';
import type { AddressInfo } from 'net';
import selfsigned from 'selfsigned';
import { GoAuthenticator } from './authenticator';
import { verifyToken } from './tokenVerifier';
import { discoveryDocument } from './kubeDiscovery';
import { readAccessReview } from './kubeProtobuf';
import { BodyError, type BodyLimits, closeAfterResponse, readBody } from './http';
import { authorize, grantsFor, rulesIn, type Request, type Subject } from './rbac';
import type { Cluster, ConfigMapObject, EmulatorState } from './state';
import type { WorkloadWorld } from './workload';
import { workloadKubeAnswer, workloadKubeRequest } from './workloadKube';
import { kubeStatus } from './workloadKubeWrites';

/**
 * Who the API server sees for an IAM principal: the Go authenticator (authenticator.ts, not the product's model)
 * decides, in the cluster's mode, from its access entries and aws-auth. A node signing in with an instance id as its
 * session gets that instance's private DNS name, as EKS looks it up. The scenario's first identity created every
 * cluster: as on EKS, the creator keeps a system:masters that no configuration shows (an emulator simplification: in
 * every mode, not only CONFIG_MAP).
 */
export async function subjectFor(authenticator: GoAuthenticator, cluster: Cluster, caller: { arn: string; accessKeyId?: string }, creatorArn: string | undefined): Promise<{ subject?: Subject; policies: { policyArn: string; accessScope: { type: string; namespaces?: string[] } }[]; error?: string }> {
  const entries = [...cluster.accessEntries.values()];
  const session = /\/(i-[0-9a-f]{8,17})$/.exec(caller.arn)?.[1];
  const answer = await authenticator.ask({
    mode: cluster.authenticationMode,
    awsAuth: cluster.awsAuth?.data,
    accessEntries: entries.map((e) => ({ principalArn: e.principalArn, type: e.type, username: e.username, kubernetesGroups: e.kubernetesGroups })),
    arn: caller.arn,
    accessKeyId: caller.accessKeyId,
    privateDnsNames: session ? { [session]: `ip-10-0-${parseInt(session.slice(-4), 16) % 256}-${parseInt(session.slice(-2), 16)}.${cluster.region}.compute.internal` } : {},
  });
  if (answer.authenticated) {
    const entry = answer.mapper === 'DynamicFile' ? entries.find((x) => x.principalArn === answer.accessEntry) : undefined;
    return { subject: { username: answer.username ?? '', groups: answer.groups ?? [] }, policies: entry?.policies ?? [] };
  }
  if (creatorArn && caller.arn === creatorArn) return { subject: { username: 'kubernetes-admin', groups: ['system:masters'] }, policies: [] };
  return { policies: [], error: answer.error };
}

/** The verb and resource a request asks for, as the API server's RBAC sees it. */
function requestOf(method: string, pathname: string): (Request & { group?: string }) | undefined {
  if (pathname === CONFIGMAP_PATH) return { verb: method === 'GET' ? 'get' : method === 'PUT' ? 'update' : 'patch', resource: 'configmaps', namespace: 'kube-system' };
  if (pathname === CONFIGMAPS_PATH) return { verb: method === 'POST' ? 'create' : 'list', resource: 'configmaps', namespace: 'kube-system' };
  if (pathname === '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings') return { verb: 'list', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io' };
  if (pathname === '/apis/rbac.authorization.k8s.io/v1/rolebindings') return { verb: 'list', resource: 'rolebindings', group: 'rbac.authorization.k8s.io' };
  const review = /^\/apis\/(?:authentication|authorization)\.k8s\.io\/v1(?:beta1|alpha1)?\/(selfsubjectreviews|selfsubjectaccessreviews|selfsubjectrulesreviews)$/.exec(pathname);
  if (review) return { verb: 'create', resource: review[1], group: review[1] === 'selfsubjectreviews' ? 'authentication.k8s.io' : 'authorization.k8s.io' };
  return workloadKubeRequest(method, pathname);
}

const CONFIGMAP_PATH = '/api/v1/namespaces/kube-system/configmaps/aws-auth';
const CONFIGMAPS_PATH = '/api/v1/namespaces/kube-system/configmaps';

export interface KubeServer {
  endpoint: string;
  caData: string;
  close(): Promise<void>;
}

type Record = (operation: string, params: { [key: string]: unknown }) => void;
/** Returns a Status to answer with instead of handling the request, for injected faults. */
type FaultCheck = (operation: string) => Promise<{ code: number; reason: string; message: string } | undefined>;

/**
 * `current` looks the cluster up on each request, so a server keeps answering for its cluster after the emulator
 * state is reset.
 */
/**
 * The API server's default request body limit, ServerRunOptions.MaxRequestBodyBytes = 3 MiB (kubernetes
 * cmd/kube-apiserver/app/options), refused with apimachinery's NewRequestEntityTooLargeError: 413,
 * reason RequestEntityTooLarge, "Request entity too large: limit is 3145728".
 */
export const KUBE_MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function startKubeServer(current: () => Cluster | undefined, identities: () => EmulatorState['identities'], record: Record, fault: FaultCheck, bodyTimeoutMs = 10_000, workload?: () => WorkloadWorld): Promise<KubeServer> {
  const limits: BodyLimits = { maxBytes: KUBE_MAX_BODY_BYTES, timeoutMs: bodyTimeoutMs };
  const initial = current();
  if (!initial) throw new Error('no such cluster');
  const notBeforeDate = new Date(Date.now() - 3600_000);
  const notAfterDate = new Date(Date.now() + 365 * 86400_000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: `kubernetes-${initial.name}` }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }],
  });
  const leaf = await selfsigned.generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  const authenticator = new GoAuthenticator();
  const server = https.createServer(
    { key: leaf.private, cert: leaf.cert, headersTimeout: bodyTimeoutMs, requestTimeout: bodyTimeoutMs * 2, connectionsCheckingInterval: 1000 },
    (req, res) => {
      handle(req, res).catch((e: Error) => {
        if (e instanceof BodyError) {
          closeAfterResponse(req, res);
          if (e.kind === 'tooLarge') return status(res, 413, 'RequestEntityTooLarge', `Request entity too large: limit is ${KUBE_MAX_BODY_BYTES}`);
          if (e.kind === 'timeout') return status(res, 408, 'Timeout', `Timeout: ${e.message}`);
          return;
        }
        if (!res.headersSent) status(res, 500, 'InternalError', e.message);
      });
    },
  );

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const cluster = current();
    if (!cluster) return status(res, 503, 'ServiceUnavailable', 'the cluster no longer exists');
    const url = new URL(req.url ?? '/', 'https://localhost');
    const operation = `${req.method} ${url.pathname}`;
    // The body is read only once the caller is authenticated, as the API server's filter chain does.
    const recorded: { body?: string } = {};
    record(operation, recorded);
    const injected = await fault(operation);
    if (injected) {
      closeAfterResponse(req, res);
      return status(res, injected.code, injected.reason, injected.message);
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const lookup = (id: string) => identities().find((i) => i.accessKeyId === id);
    const verdict = token ? verifyToken(token, { clusterId: cluster.name, region: cluster.region, lookup }) : { ok: false as const, error: 'no bearer token' };
    if (!verdict.ok) {
      record(`${operation} denied`, { error: verdict.error });
      closeAfterResponse(req, res);
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const caller = lookup(verdict.accessKeyId)!;
    const who = await subjectFor(authenticator, cluster, caller, identities()[0]?.arn);
    if (!who.subject) {
      record(`${operation} denied`, { error: who.error ?? 'identity is not mapped' });
      closeAfterResponse(req, res);
      return status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const raw = await readBody(req, limits);
    const body = raw.toString('utf8');
    recorded.body = body.slice(0, 100_000);
    const subject = who.subject;
    const grants = grantsFor(subject, cluster.rbac, who.policies);
    const asked = requestOf(req.method ?? 'GET', url.pathname);
    if (asked) {
      const decision = authorize(grants, asked);
      if (!decision.allowed) {
        const where = asked.namespace ? ` in the namespace "${asked.namespace}"` : ' at the cluster scope';
        // apimachinery NewForbidden: `pods "NAME" is forbidden` for one object, the resource (without subresource) as kind.
        const kind = asked.resource.split('/')[0];
        return status(res, 403, 'Forbidden', `${kind}${asked.name ? ` "${asked.name}"` : ''} is forbidden: User "${subject.username}" cannot ${asked.verb} resource "${asked.resource}" in API group "${asked.group ?? ''}"${where}`, { name: asked.name ?? '', kind });
      }
    }
    if (req.method === 'POST' && /\/selfsubjectrulesreviews$/.test(url.pathname)) {
      let namespace: string | undefined;
      try {
        namespace = (JSON.parse(body) as { spec?: { namespace?: string } }).spec?.namespace;
      } catch {
        return status(res, 400, 'BadRequest', 'the body of the request was in an unknown format');
      }
      if (!namespace) return status(res, 422, 'Invalid', 'SelfSubjectRulesReview.authorization.k8s.io is invalid: spec.namespace: Required value');
      return json(res, 201, { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { namespace }, status: { resourceRules: rulesIn(grants, namespace), nonResourceRules: [], incomplete: false } });
    }
    if (req.method === 'POST' && /\/selfsubjectreviews$/.test(url.pathname)) {
      // authentication.k8s.io/v1 is served from Kubernetes 1.28, v1beta1 from 1.27, v1alpha1 from 1.26 (behind a gate).
      const minor = Number(cluster.version.split('.')[1]);
      const served = url.pathname.includes('/v1alpha1/') ? minor >= 26 : url.pathname.includes('/v1beta1/') ? minor >= 27 : minor >= 28;
      if (!served) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return json(res, 201, { kind: 'SelfSubjectReview', apiVersion: url.pathname.split('/').slice(2, 4).join('/'), metadata: { creationTimestamp: null }, status: { userInfo: { username: subject.username, groups: [...subject.groups, 'system:authenticated'], extra: { arn: [caller.arn], canonicalArn: [caller.arn], sessionName: [caller.arn.split('/')[2] ?? ''], accessKeyId: [caller.accessKeyId] } } } });
    }
    if (req.method === 'POST' && /\/selfsubjectaccessreviews$/.test(url.pathname)) {
      const review = readAccessReview(raw, String(req.headers['content-type'] ?? ''));
      if ('badRequest' in review) return status(res, 400, 'BadRequest', review.badRequest);
      const spec = review.spec;
      const a = spec.resourceAttributes;
      if (!a?.verb || !a.resource) return status(res, 422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io is invalid: spec.resourceAttributes: Required value');
      const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
      const decision = authorize(grants, { verb: a.verb, resource, namespace: a.namespace || undefined });
      return json(res, 201, { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { allowed: decision.allowed, ...(decision.allowed ? { reason: `EKS Access Policy or RBAC: ${decision.reason}` } : {}) } });
    }

    const answer = workloadKubeAnswer(workload?.(), cluster, req.method ?? 'GET', url, body, new Date(), String(req.headers['content-type'] ?? ''));
    if (answer) return json(res, answer.code, answer.body);
    if (url.pathname === '/version') return json(res, 200, { major: '1', minor: cluster.version.split('.')[1], gitVersion: `v${cluster.version}.0-eks` });
    if (url.pathname === CONFIGMAP_PATH) {
      const current = cluster.awsAuth;
      if (req.method === 'GET') {
        if (!current) return notFound(res);
        return json(res, 200, configMap(cluster));
      }
      if (req.method === 'PUT' || req.method === 'PATCH') {
        if (!current) return notFound(res);
        const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim();
        const patchTypes = ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml'];
        if (req.method === 'PATCH' && !patchTypes.includes(contentType)) {
          return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${patchTypes.join(', ')}`);
        }
        let incoming: { metadata?: { resourceVersion?: string; labels?: { [key: string]: string }; annotations?: { [key: string]: string }; ownerReferences?: ConfigMapObject['ownerReferences'] }; data?: unknown; binaryData?: { [key: string]: string } };
        try {
          incoming = JSON.parse(body);
        } catch {
          return status(res, 400, 'BadRequest', 'the body of the request was in an unknown format');
        }
        const sentName = (incoming.metadata as { name?: string } | undefined)?.name;
        if (req.method === 'PUT' && sentName !== undefined && sentName !== 'aws-auth') {
          return status(res, 400, 'BadRequest', `the name of the object (${sentName}) does not match the name on the URL (aws-auth)`);
        }
        // ConfigMaps allow unconditional updates: a PUT without a resourceVersion overwrites whatever is there.
        const sentVersion = incoming.metadata?.resourceVersion;
        if (sentVersion !== undefined && sentVersion !== '' && sentVersion !== String(current.resourceVersion)) {
          return status(res, 409, 'Conflict', 'Operation cannot be fulfilled on configmaps "aws-auth": the object has been modified; please apply your changes to the latest version and try again', { name: 'aws-auth', kind: 'configmaps' });
        }
        const data = incoming.data ?? {};
        if (typeof data !== 'object' || Array.isArray(data) || Object.values(data as object).some((v) => typeof v !== 'string' && !(req.method === 'PATCH' && v === null))) {
          return status(res, 400, 'BadRequest', 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal into Go struct field ConfigMap.data of type string');
        }
        if (req.method === 'PUT') {
          // An update replaces the whole object: what the body leaves out is gone, as on a real API server.
          current.data = data as { [key: string]: string };
          current.binaryData = incoming.binaryData;
          current.labels = incoming.metadata?.labels;
          current.annotations = incoming.metadata?.annotations;
          current.ownerReferences = incoming.metadata?.ownerReferences;
        } else {
          // Keys come from the request: `__proto__` is a key like any other, not the object's prototype.
          const merged = Object.assign(Object.create(null) as { [key: string]: string }, current.data);
          for (const [k, v] of Object.entries(data as { [key: string]: string | null })) {
            if (v === null) delete merged[k];
            else Object.defineProperty(merged, k, { value: v, enumerable: true, writable: true, configurable: true });
          }
          current.data = merged;
        }
        current.resourceVersion += 1;
        return json(res, 200, configMap(cluster));
      }
    }
    if (req.method === 'GET' && url.pathname === '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings') {
      return json(res, 200, { kind: 'ClusterRoleBindingList', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: {}, items: cluster.rbac.filter((b) => b.kind === 'ClusterRoleBinding').map(bindingObject) });
    }
    if (req.method === 'GET' && url.pathname === '/apis/rbac.authorization.k8s.io/v1/rolebindings') {
      return json(res, 200, { kind: 'RoleBindingList', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: {}, items: cluster.rbac.filter((b) => b.kind === 'RoleBinding').map(bindingObject) });
    }
    if (url.pathname === CONFIGMAPS_PATH && req.method === 'POST') {
      if (cluster.awsAuth) return status(res, 409, 'AlreadyExists', 'configmaps "aws-auth" already exists', { name: 'aws-auth', kind: 'configmaps' });
      let incoming: { metadata?: { name?: string }; data?: { [key: string]: string } };
      try {
        incoming = JSON.parse(body || '{}');
      } catch {
        return status(res, 400, 'BadRequest', 'the body of the request was in an unknown format');
      }
      if (incoming.metadata?.name !== 'aws-auth') return status(res, 403, 'Forbidden', 'the emulator only serves the aws-auth ConfigMap');
      cluster.awsAuth = { data: incoming.data ?? {}, resourceVersion: 1, uid: 'created', creationTimestamp: new Date().toISOString() };
      return json(res, 201, configMap(cluster));
    }
    const discovery = req.method === 'GET' ? discoveryDocument(url.pathname, cluster.version, req.headers.host ?? '') : undefined;
    if (discovery) return json(res, 200, discovery);
    return status(res, 404, 'NotFound', 'the server could not find the requested resource');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    caData: Buffer.from(ca.cert).toString('base64'),
    close: () =>
      new Promise((resolve) => {
        authenticator.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function configMap(cluster: Cluster) {
  const cm = cluster.awsAuth!;
  return {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name: 'aws-auth',
      namespace: 'kube-system',
      uid: cm.uid,
      resourceVersion: String(cm.resourceVersion),
      creationTimestamp: cm.creationTimestamp,
      ...(cm.labels ? { labels: cm.labels } : {}),
      ...(cm.annotations ? { annotations: cm.annotations } : {}),
      ...(cm.ownerReferences ? { ownerReferences: cm.ownerReferences } : {}),
    },
    data: cm.data,
    ...(cm.binaryData ? { binaryData: cm.binaryData } : {}),
  };
}

function bindingObject(b: Cluster['rbac'][number]) {
  return {
    kind: b.kind,
    apiVersion: 'rbac.authorization.k8s.io/v1',
    metadata: { name: b.name, ...(b.namespace ? { namespace: b.namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: b.roleRef.kind, name: b.roleRef.name },
    subjects: b.subjects.map((x) => ({ kind: x.kind, name: x.name, ...(x.kind === 'ServiceAccount' ? {} : { apiGroup: 'rbac.authorization.k8s.io' }) })),
  };
}

function notFound(res: http.ServerResponse) {
  status(res, 404, 'NotFound', 'configmaps "aws-auth" not found', { name: 'aws-auth', kind: 'configmaps' });
}

function json(res: http.ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function status(res: http.ServerResponse, code: number, reason: string, message: string, details?: { name: string; kind: string }) {
  json(res, code, kubeStatus(code, reason, message, details).body);
}
