/**
 * The apps/v1 side of the workload identity demo: reading a ReplicaSet (with its Deployment in `ownerReferences`) and
 * `kubectl rollout restart`, which patches a Deployment's or DaemonSet's pod template with the
 * `kubectl.kubernetes.io/restartedAt` annotation (kubectl pkg/polymorphichelpers/objectrestarter.go, sent as a
 * strategic merge patch by pkg/cmd/rollout/rollout_restart.go). A changed template makes the Deployment controller
 * create a ReplicaSet with a new pod-template-hash (pkg/controller/deployment/sync.go) and the DaemonSet controller a
 * new controller revision; their new pods are admitted through the emulated webhook at the time of the patch.
 * Emulator approximations: the rollout completes at once (no maxSurge/maxUnavailable steps), a ReplicaSet exists
 * while it has pods, and no StatefulSet is modelled (a patch of one answers NotFound).
 */
import type { Cluster } from './state';
import type { WorkloadWorld } from './workload';
import { kubeStatus, type KubeAnswer } from './workloadKubeWrites';
import { kubeTime, replicaSetName, safeSuffix, uidOf, type EmulatedPod, type KubeWorkloads, type PodTemplate } from './workloadPods';
import { clusterKey, createPod } from './workloadScenario';

export const REPLICASET_ONE = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/replicasets\/([^/]+)$/;
export const WORKLOAD_ONE = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets|daemonsets)\/([^/]+)$/;

/** The patch types the emulator applies; a strategic merge patch of annotations merges as a merge patch does. */
const PATCH_TYPES = ['application/strategic-merge-patch+json', 'application/merge-patch+json'];

const notFound = (resource: string, name: string) => kubeStatus(404, 'NotFound', `${resource}.apps "${name}" not found`, { name, kind: resource });

function ownerRef(namespace: string, kind: string, name: string) {
  return { apiVersion: 'apps/v1', kind, name, uid: uidOf(`${namespace}/${kind}/${name}`), controller: true, blockOwnerDeletion: true };
}

function templateJson(t: PodTemplate) {
  return { metadata: { labels: { ...t.labels }, ...(t.annotations ? { annotations: { ...t.annotations } } : {}) }, spec: { serviceAccountName: t.serviceAccountName, containers: structuredClone(t.containers), ...(t.hostNetwork ? { hostNetwork: true } : {}) } };
}

/** GET replicaset: the one its pods were created by, owned by their Deployment (apps/v1 ReplicaSet). */
export function getReplicaSet(kube: KubeWorkloads, namespace: string, name: string): KubeAnswer {
  const pods = kube.pods.filter((p) => p.template.namespace === namespace && p.template.owner.kind === 'ReplicaSet' && p.template.owner.name === name);
  if (!pods.length) return notFound('replicasets', name);
  const t = pods[0].template;
  const n = pods.length;
  const created = pods.map((p) => p.object.metadata.creationTimestamp).sort()[0];
  return {
    code: 200,
    body: {
      kind: 'ReplicaSet',
      apiVersion: 'apps/v1',
      metadata: { name, namespace, uid: uidOf(`${namespace}/ReplicaSet/${name}`), resourceVersion: String(kube.resourceVersion), creationTimestamp: created, labels: { ...t.labels }, annotations: { 'deployment.kubernetes.io/desired-replicas': String(n), 'deployment.kubernetes.io/max-replicas': String(n + 1), 'deployment.kubernetes.io/revision': '1' }, ownerReferences: t.deployment ? [ownerRef(namespace, 'Deployment', t.deployment)] : [] },
      spec: { replicas: n, selector: { matchLabels: { ...t.labels } }, template: templateJson(t) },
      status: { replicas: n, fullyLabeledReplicas: n, readyReplicas: n, availableReplicas: n, observedGeneration: 1 },
    },
  };
}

/** The pod template annotations a patch sets (a null value removes one), or an error answer. */
function patchedAnnotations(body: string, contentType: string, current: Record<string, string> | undefined): { annotations: Record<string, string> } | { refused: KubeAnswer } {
  const type = contentType.split(';')[0].trim();
  if (!PATCH_TYPES.includes(type)) return { refused: kubeStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`) };
  let patch: { spec?: { template?: { metadata?: { annotations?: Record<string, string | null> } } } };
  try {
    patch = JSON.parse(body) as typeof patch;
  } catch {
    return { refused: kubeStatus(400, 'BadRequest', 'the body of the request was in an unknown format') };
  }
  const out = { ...current };
  for (const [k, v] of Object.entries(patch?.spec?.template?.metadata?.annotations ?? {})) {
    if (v === null) delete out[k];
    else out[k] = String(v);
  }
  return { annotations: out };
}

/** PATCH deployment or daemonset: a changed pod template replaces every pod with one admitted now. */
export function patchWorkload(world: WorkloadWorld, cluster: Cluster, kube: KubeWorkloads, namespace: string, resource: string, name: string, body: string, contentType: string, now: Date): KubeAnswer {
  const kind = resource === 'deployments' ? 'Deployment' : resource === 'daemonsets' ? 'DaemonSet' : 'StatefulSet';
  const owned = (p: EmulatedPod) => p.template.namespace === namespace && (kind === 'Deployment' ? p.template.deployment === name : p.template.owner.kind === kind && p.template.owner.name === name);
  const old = kube.pods.filter(owned);
  if (!old.length) return notFound(resource, name);
  const template = old[0].template;
  const patched = patchedAnnotations(body, contentType, template.annotations);
  if ('refused' in patched) return patched.refused;
  const { annotations } = patched;
  const changed = JSON.stringify(annotations) !== JSON.stringify(template.annotations ?? {});
  let current = template;
  if (changed) {
    const seed = `${clusterKey(cluster)}/${kubeTime(now)}/${kube.resourceVersion}`;
    if (kind === 'Deployment') {
      const rs = replicaSetName(name, seed);
      current = { ...template, annotations, labels: { ...template.labels, 'pod-template-hash': rs.hash }, owner: { kind: 'ReplicaSet', name: rs.name }, webhookMissed: false };
    } else {
      current = { ...template, annotations, labels: { ...template.labels, 'controller-revision-hash': safeSuffix(seed, 10) }, webhookMissed: false };
    }
    for (const pod of old) createPod(world, cluster, kube, current, now, kind === 'DaemonSet' ? pod.object.spec.nodeName : undefined);
    for (const pod of old) kube.pods.splice(kube.pods.indexOf(pod), 1);
    kube.resourceVersion += 1;
  }
  const n = old.length;
  const selector = Object.fromEntries(Object.entries(current.labels).filter(([k]) => k !== 'pod-template-hash' && k !== 'controller-revision-hash'));
  return {
    code: 200,
    body: {
      kind,
      apiVersion: 'apps/v1',
      metadata: { name, namespace, uid: uidOf(`${namespace}/${kind}/${name}`), resourceVersion: String(kube.resourceVersion), generation: changed ? 2 : 1, labels: { ...selector } },
      spec: { ...(kind === 'Deployment' ? { replicas: n } : {}), selector: { matchLabels: selector }, template: templateJson(current) },
      status: { observedGeneration: changed ? 2 : 1, ...(kind === 'Deployment' ? { replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n } : { currentNumberScheduled: n, desiredNumberScheduled: n, numberReady: n, updatedNumberScheduled: n }) },
    },
  };
}
