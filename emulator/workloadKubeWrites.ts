/**
 * The Kubernetes writes a workload identity fix calls: deleting a pod (its ReplicaSet or DaemonSet controller creates
 * a replacement, admitted through the webhook at that new time, which is how "restart the pods created before the
 * association" works), and the TokenRequest API (`serviceaccounts/NAME/token`) signing with the cluster's issuer key.
 */
import type { Cluster } from './state';
import type { WorkloadWorld } from './workload';
import { createPod } from './workloadScenario';
import { kubeTime, type EmulatedPod, type KubeWorkloads } from './workloadPods';
import { signServiceAccountToken } from './workloadTokens';

export interface KubeAnswer {
  code: number;
  body: unknown;
}

export function kubeStatus(code: number, reason: string, message: string, details?: { name: string; kind: string }): KubeAnswer {
  return { code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code } };
}

/** The pod's default termination grace period (PodSpec.terminationGracePeriodSeconds, 30 s). */
const GRACE_SECONDS = 30;

/**
 * The refusal of a delete whose `preconditions.uid` names another pod than the one stored under that name (the
 * storage layer's checkPreconditions, turned into a Conflict by apiserver registry/generic/registry/store.go through
 * storeerr.InterpretDeleteError: apimachinery NewConflict wording around the StorageError of code 4, invalid object).
 */
export function uidPreconditionFailed(pod: EmulatedPod, body: string): KubeAnswer | undefined {
  let wanted: unknown;
  try {
    wanted = (JSON.parse(body || '{}') as { preconditions?: { uid?: unknown } }).preconditions?.uid;
  } catch {
    return kubeStatus(400, 'BadRequest', 'the body of the request was in an unknown format');
  }
  const { name, namespace, uid } = pod.object.metadata;
  if (typeof wanted !== 'string' || wanted === uid) return undefined;
  return kubeStatus(409, 'Conflict', `Operation cannot be fulfilled on pods "${name}": StorageError: invalid object, Code: 4, Key: /registry/pods/${namespace}/${name}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${wanted}, UID in object meta: ${uid}`, { name, kind: 'pods' });
}

/**
 * DELETE pod: the API server answers 200 with the pod marked for graceful deletion (deletionTimestamp = now + grace
 * period); the emulator removes it at once and its controller creates the replacement, as `kubectl rollout restart`
 * or `kubectl delete pod` lead to. The replacement is a new pod (new name, uid, creation time) and the webhook
 * decides its env and volumes with what exists now; a webhook miss was a one-off and does not repeat.
 */
export function deletePod(world: WorkloadWorld, cluster: Cluster, kube: KubeWorkloads, pod: EmulatedPod, now: Date): KubeAnswer {
  kube.pods.splice(kube.pods.indexOf(pod), 1);
  kube.resourceVersion += 1;
  const answer = structuredClone(pod.object);
  answer.metadata.resourceVersion = String(kube.resourceVersion);
  Object.assign(answer.metadata, { deletionTimestamp: kubeTime(new Date(now.getTime() + GRACE_SECONDS * 1000)), deletionGracePeriodSeconds: GRACE_SECONDS });
  const template = { ...pod.template, webhookMissed: false };
  createPod(world, cluster, kube, template, now, pod.template.owner.kind === 'DaemonSet' ? pod.object.spec.nodeName : undefined);
  return { code: 200, body: { kind: 'Pod', apiVersion: 'v1', ...answer } };
}

/** TokenRequest spec limits (kubernetes pkg/apis/authentication/validation: at least 10 minutes; EKS caps at 24 hours). */
const MIN_EXPIRATION = 600;
const DEFAULT_EXPIRATION = 3600;
const MAX_EXPIRATION = 86400;

/**
 * POST serviceaccounts/NAME/token (authentication.k8s.io/v1 TokenRequest): 201 with `status.token` and
 * `status.expirationTimestamp`. The audiences default to the API server's own (on EKS, `https://kubernetes.default.svc`);
 * an expiration under 10 minutes is refused as the API server refuses it.
 */
export function tokenRequest(cluster: Cluster, kube: KubeWorkloads, namespace: string, name: string, body: string, now: Date): KubeAnswer {
  const sa = kube.serviceAccounts.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
  if (!sa) return kubeStatus(404, 'NotFound', `serviceaccounts "${name}" not found`, { name, kind: 'serviceaccounts' });
  let spec: { audiences?: unknown; expirationSeconds?: unknown; boundObjectRef?: unknown };
  try {
    spec = ((JSON.parse(body || '{}') as { spec?: typeof spec }).spec ?? {}) as typeof spec;
  } catch {
    return kubeStatus(400, 'BadRequest', 'the body of the request was in an unknown format');
  }
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(String) : ['https://kubernetes.default.svc'];
  const expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_EXPIRATION;
  if (expirationSeconds < MIN_EXPIRATION) {
    return kubeStatus(422, 'Invalid', `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`, { name, kind: 'TokenRequest' });
  }
  const lifetime = Math.min(expirationSeconds, MAX_EXPIRATION);
  // A token bound to a pod (as the kubelet asks for projected volumes) carries the pod's name and uid; the pod must
  // exist and run as this service account (kubernetes pkg/registry/core/serviceaccount/storage/token.go).
  const ref = spec.boundObjectRef as { kind?: unknown; name?: unknown } | null | undefined;
  let bound: { name: string; uid: string } | undefined;
  if (ref && ref.kind === 'Pod') {
    const pod = kube.pods.map((p) => p.object).find((p) => p.metadata.namespace === namespace && p.metadata.name === ref.name);
    if (!pod) return kubeStatus(404, 'NotFound', `pods "${String(ref.name)}" not found`, { name: String(ref.name), kind: 'pods' });
    if (pod.spec.serviceAccountName !== name) return kubeStatus(400, 'BadRequest', `cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
    bound = { name: pod.metadata.name, uid: pod.metadata.uid };
  }
  const token = signServiceAccountToken(cluster.oidcIssuer, { namespace, name, uid: sa.metadata.uid }, audiences, now, lifetime, bound);
  return {
    code: 201,
    body: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: { audiences, expirationSeconds: lifetime, boundObjectRef: spec.boundObjectRef ?? null },
      status: { token, expirationTimestamp: kubeTime(new Date(now.getTime() + lifetime * 1000)) },
    },
  };
}
