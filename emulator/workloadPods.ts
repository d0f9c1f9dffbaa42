/**
 * Pods and service accounts as the API server stores them, and what happens to a pod when it is created: the
 * amazon-eks-pod-identity-webhook mutation (modelled on its pkg/handler/handler.go `buildPodPatchConfig`,
 * `getPodSpecPatch`, `addEnvToContainer`, and the flag defaults in main.go and pkg/constants.go), the ServiceAccount
 * admission's `kube-api-access-*` volume, and the ReplicaSet controller that replaces a deleted pod with a new name.
 * The emulator's own code: it never asks the product's model what a pod gets.
 */
import { hexId } from './state';

export interface EnvVar {
  name: string;
  value?: string;
}

export interface ContainerSpec {
  name: string;
  image: string;
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface VolumeSpec {
  name: string;
  projected?: { sources: Record<string, unknown>[]; defaultMode?: number };
}

/** A pod as the API server returns it (JSON); only the members the emulator fills. */
export interface PodObject {
  metadata: {
    name: string;
    generateName?: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller: boolean; blockOwnerDeletion: boolean }[];
  };
  spec: {
    serviceAccountName: string;
    serviceAccount: string;
    nodeName: string;
    hostNetwork?: boolean;
    nodeSelector?: Record<string, string>;
    containers: ContainerSpec[];
    initContainers?: ContainerSpec[];
    volumes: VolumeSpec[];
    restartPolicy: string;
    dnsPolicy: string;
  };
  status: Record<string, unknown>;
}

export interface ServiceAccountObject {
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; creationTimestamp: string; annotations?: Record<string, string> };
}

/** What a controller creates pods from; kept so a deleted pod can be replaced by the same controller. */
export interface PodTemplate {
  namespace: string;
  serviceAccountName: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  hostNetwork?: boolean;
  nodeSelector?: Record<string, string>;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  /** The owning controller: a ReplicaSet (re-creates a deleted pod) or a DaemonSet (one pod per node). */
  owner: { kind: 'ReplicaSet' | 'DaemonSet'; name: string };
  /** The Deployment that owns the ReplicaSet, if any (what `kubectl rollout restart` patches). */
  deployment?: string;
  /** The webhook call failed or timed out for this pod (failurePolicy Ignore admits it unchanged). */
  webhookMissed?: boolean;
}

export interface EmulatedPod {
  object: PodObject;
  template: PodTemplate;
}

/** The Kubernetes side of one cluster's workloads. */
export interface KubeWorkloads {
  serviceAccounts: ServiceAccountObject[];
  pods: EmulatedPod[];
  /** Node names, as EKS names EC2 nodes (the instance's private DNS name). */
  nodes: string[];
  /** The cluster's resourceVersion counter. */
  resourceVersion: number;
}

/** What the webhook needs to know when a pod is admitted: the cluster, its associations, its service accounts. */
export interface AdmissionContext {
  region: string;
  /** Whether an EKS Pod Identity association exists for the namespace and service account at that moment. */
  hasAssociation(namespace: string, serviceAccount: string, at: Date): boolean;
  serviceAccount(namespace: string, name: string): ServiceAccountObject | undefined;
}

// amazon-eks-pod-identity-webhook main.go flag defaults and pkg/constants.go.
const IRSA = { volume: 'aws-iam-token', mountPath: '/var/run/secrets/eks.amazonaws.com/serviceaccount', tokenPath: 'token', audience: 'sts.amazonaws.com' };
const CONTAINER_CREDENTIALS = { volume: 'eks-pod-identity-token', mountPath: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount', tokenPath: 'eks-pod-identity-token', audience: 'pods.eks.amazonaws.com', fullUri: 'http://169.254.170.23/v1/credentials' };
const DEFAULT_TOKEN_EXPIRATION = 86400;
const DEFAULT_MIN_TOKEN_EXPIRATION = 79200;
const MIN_TOKEN_EXPIRATION = 600;
const ANNOTATION = { roleArn: 'eks.amazonaws.com/role-arn', audience: 'eks.amazonaws.com/audience', regionalSts: 'eks.amazonaws.com/sts-regional-endpoints', tokenExpiration: 'eks.amazonaws.com/token-expiration', skipContainers: 'eks.amazonaws.com/skip-containers' };

/** The characters Kubernetes uses for generated names (apimachinery util/rand `SafeEncodeString`: no vowels, no 0/1/3). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
export function safeSuffix(seed: string, length: number): string {
  const hex = hexId(seed, length * 2);
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % SAFE.length];
  return out;
}

export function uidOf(seed: string): string {
  const h = hexId(`uid:${seed}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Kubernetes writes times as RFC 3339 with whole seconds. */
export const kubeTime = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** Go's strconv.ParseBool, which the webhook's cache reads `sts-regional-endpoints` with. */
function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

function tokenExpiration(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^-?\d+$/.test(value)) return fallback;
  return Math.max(Number(value), MIN_TOKEN_EXPIRATION); // pkg.ValidateMinTokenExpiration
}

interface PatchConfig {
  volume: string;
  mountPath: string;
  tokenPath: string;
  audience: string;
  expiration: number;
  regionalSts: boolean;
  env: (tokenFile: string) => EnvVar[];
  /** Env names that, when all present, mean the container already has the mechanism. */
  keys: string[];
  podIdentity: boolean;
}

/** buildPodPatchConfig: container credentials (an association) take precedence over the IRSA annotation. */
function patchConfig(ctx: AdmissionContext, t: PodTemplate, at: Date, seed: string): PatchConfig | undefined {
  const sa = ctx.serviceAccount(t.namespace, t.serviceAccountName)?.metadata.annotations ?? {};
  const regionalSts = parseBool(sa[ANNOTATION.regionalSts]) ?? false;
  const saExpiration = tokenExpiration(sa[ANNOTATION.tokenExpiration], DEFAULT_TOKEN_EXPIRATION);
  const expiration = tokenExpiration(t.annotations?.[ANNOTATION.tokenExpiration], saExpiration);
  if (ctx.hasAssociation(t.namespace, t.serviceAccountName, at)) {
    // addJitterToDefaultToken: the default lifetime is spread between 22 and 24 hours.
    const jittered = expiration === DEFAULT_TOKEN_EXPIRATION ? DEFAULT_MIN_TOKEN_EXPIRATION + (parseInt(hexId(seed, 6), 16) % (DEFAULT_TOKEN_EXPIRATION - DEFAULT_MIN_TOKEN_EXPIRATION + 1)) : expiration;
    const c = CONTAINER_CREDENTIALS;
    return { volume: c.volume, mountPath: c.mountPath, tokenPath: c.tokenPath, audience: c.audience, expiration: jittered, regionalSts, podIdentity: true, keys: ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'], env: (file) => [{ name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: c.fullUri }, { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: file }] };
  }
  const role = sa[ANNOTATION.roleArn];
  if (!role) return undefined;
  return { volume: IRSA.volume, mountPath: IRSA.mountPath, tokenPath: IRSA.tokenPath, audience: sa[ANNOTATION.audience] || IRSA.audience, expiration, regionalSts, podIdentity: false, keys: ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE'], env: (file) => [{ name: 'AWS_ROLE_ARN', value: role }, { name: 'AWS_WEB_IDENTITY_TOKEN_FILE', value: file }] };
}

/** addEnvToContainer: region (EKS runs the webhook with --aws-default-region), regional STS, the mechanism's variables, the mount. */
function addEnv(c: ContainerSpec, p: PatchConfig, tokenFile: string, region: string): ContainerSpec {
  const env = [...(c.env ?? [])];
  const has = (n: string) => env.some((e) => e.name === n);
  if (p.regionalSts && !has('AWS_STS_REGIONAL_ENDPOINTS')) env.push({ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' });
  if (!has('AWS_REGION') && !has('AWS_DEFAULT_REGION')) env.push({ name: 'AWS_DEFAULT_REGION', value: region }, { name: 'AWS_REGION', value: region });
  if (!p.keys.some(has)) env.push(...p.env(tokenFile));
  const mounts = [...(c.volumeMounts ?? [])];
  if (!mounts.some((m) => m.name === p.volume)) mounts.push({ name: p.volume, mountPath: p.mountPath, readOnly: true });
  return { ...c, env, volumeMounts: mounts };
}

/** The pod the API server stores for a template admitted at `at` on `nodeName`, named `name`. */
export function admitPod(ctx: AdmissionContext, t: PodTemplate, name: string, nodeName: string, at: Date, resourceVersion: number): PodObject {
  const apiAccess = `kube-api-access-${safeSuffix(`${name}-api`, 5)}`;
  const apiMount = { name: apiAccess, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };
  const withApi = (c: ContainerSpec): ContainerSpec => ({ ...structuredClone(c), volumeMounts: [...(c.volumeMounts ?? []), apiMount] });
  let containers = t.containers.map(withApi);
  let initContainers = t.initContainers?.map(withApi);
  const volumes: VolumeSpec[] = [{ name: apiAccess, projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } }];
  const labels = { ...t.labels };
  const p = t.webhookMissed ? undefined : patchConfig(ctx, t, at, name);
  if (p) {
    const windows = t.nodeSelector?.['kubernetes.io/os'] === 'windows' || t.nodeSelector?.['beta.kubernetes.io/os'] === 'windows';
    const file = `${p.mountPath}/${p.tokenPath}`;
    const tokenFile = windows ? `C:${file.replace(/\//g, '\\')}` : file;
    const skip = new Set((t.annotations?.[ANNOTATION.skipContainers] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
    containers = containers.map((c) => (skip.has(c.name) ? c : addEnv(c, p, tokenFile, ctx.region)));
    initContainers = initContainers?.map((c) => (skip.has(c.name) ? c : addEnv(c, p, tokenFile, ctx.region)));
    // The webhook adds its volume first (`/spec/volumes/0`).
    volumes.unshift({ name: p.volume, projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience: p.audience, expirationSeconds: p.expiration, path: p.tokenPath } }] } });
    if (p.podIdentity) labels['eks.amazonaws.com/pod-identity'] = 'enabled';
  }
  const ownerUid = uidOf(`${t.namespace}/${t.owner.kind}/${t.owner.name}`);
  const created = kubeTime(at);
  const ready = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: created });
  return {
    metadata: {
      name,
      generateName: `${t.owner.name}-`,
      namespace: t.namespace,
      uid: uidOf(`${t.namespace}/${name}/${created}`),
      resourceVersion: String(resourceVersion),
      creationTimestamp: created,
      labels,
      ...(t.annotations ? { annotations: { ...t.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: t.owner.kind, name: t.owner.name, uid: ownerUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      serviceAccountName: t.serviceAccountName,
      serviceAccount: t.serviceAccountName,
      nodeName,
      ...(t.hostNetwork ? { hostNetwork: true } : {}),
      ...(t.nodeSelector ? { nodeSelector: { ...t.nodeSelector } } : {}),
      containers,
      ...(initContainers?.length ? { initContainers } : {}),
      volumes,
      restartPolicy: 'Always',
      dnsPolicy: t.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(ready),
      hostIP: nodeIp(nodeName),
      podIP: t.hostNetwork ? nodeIp(nodeName) : `10.0.${parseInt(hexId(name, 2), 16)}.${(parseInt(hexId(name + 'ip', 2), 16) % 250) + 2}`,
      startTime: created,
      qosClass: 'BestEffort',
    },
  };
}

/** `ip-10-0-12-34.us-east-1.compute.internal` -> `10.0.12.34`. */
function nodeIp(nodeName: string): string {
  return /^ip-(\d+)-(\d+)-(\d+)-(\d+)\./.exec(nodeName)?.slice(1, 5).join('.') ?? '10.0.0.1';
}

/** A ReplicaSet's pod name: its own name (deployment + pod-template-hash) and five generated characters. */
export function replicaSetPodName(replicaSet: string, seed: string): string {
  return `${replicaSet}-${safeSuffix(seed, 5)}`;
}

/** The ReplicaSet for a Deployment: the name and its pod-template-hash, ten generated characters. */
export function replicaSetName(deployment: string, seed: string): { name: string; hash: string } {
  const hash = safeSuffix(`${seed}/${deployment}`, 10);
  return { name: `${deployment}-${hash}`, hash };
}
