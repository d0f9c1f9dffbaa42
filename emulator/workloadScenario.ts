/**
 * The workload identity part of a scenario file (`workload` in emulator/scenarios/*.json) and the world built from
 * it: IAM OIDC providers and roles with trust policies, and per cluster the eks-pod-identity-agent add-on, Pod
 * Identity associations, service accounts and Deployments whose pods are admitted through the emulated webhook at
 * their creation time (emulator/workloadPods.ts), so a pod created before its association has nothing injected.
 */
import type { Cluster } from './state';
import { hexId } from './state';
import { WorkloadWorld, type EmulatedAssociation } from './workload';
import { admitPod, kubeTime, replicaSetName, replicaSetPodName, safeSuffix, uidOf, type AdmissionContext, type ContainerSpec, type KubeWorkloads, type PodTemplate } from './workloadPods';

export interface ScenarioWorkload {
  /** IAM OIDC providers: for a cluster's issuer (`cluster`) or any `url` (without `https://`). */
  oidcProviders?: { cluster?: string; url?: string; accountId?: string; clientIds?: string[]; thumbprints?: string[] }[];
  /**
   * Trust policies by role ARN, as JSON. In the text, `{{oidc:CLUSTER}}` is that cluster's issuer without
   * `https://` and `{{account}}` the scenario's account.
   */
  roles?: Record<string, unknown>;
  /** By cluster name. */
  clusters?: Record<string, ScenarioClusterWorkload>;
}

export interface ScenarioClusterWorkload {
  /** The eks-pod-identity-agent add-on's status; omitted: not installed. */
  agentAddon?: string;
  associations?: { namespace: string; serviceAccount: string; roleArn: string; targetRoleArn?: string; disableSessionTags?: boolean; minutesAgo: number }[];
  serviceAccounts?: { namespace: string; name: string; annotations?: Record<string, string> }[];
  /** One pod each, created `minutesAgo`, through a ReplicaSet named as a Deployment's. */
  deployments?: {
    name: string;
    namespace: string;
    serviceAccount: string;
    minutesAgo: number;
    hostNetwork?: boolean;
    /** The webhook call failed for this pod (failurePolicy Ignore). */
    webhookMissed?: boolean;
    annotations?: Record<string, string>;
    image?: string;
    env?: { name: string; value?: string }[];
  }[];
}

export const clusterKey = (c: { region: string; name: string }) => `${c.region}/${c.name}`;

/**
 * Two Linux nodes per node group (Pod Identity and its agent are Linux only: EKS User Guide, pod-identities
 * considerations), named as EC2 names them: `ec2.internal` in us-east-1, `REGION.compute.internal` elsewhere (EC2 User
 * Guide, "EC2 instance hostnames").
 */
function nodeNames(c: Cluster): string[] {
  const domain = c.region === 'us-east-1' ? 'ec2.internal' : `${c.region}.compute.internal`;
  return c.nodegroups.filter((ng) => !ng.amiType.startsWith('WINDOWS')).flatMap((ng) => [0, 1].map((i) => {
    const h = hexId(`${c.name}/${ng.name}/${i}`, 4);
    return `ip-10-0-${parseInt(h.slice(0, 2), 16)}-${parseInt(h.slice(2), 16)}.${domain}`;
  }));
}

/** What the webhook sees in a cluster: its associations in the world and its service accounts. */
export function admissionContext(world: WorkloadWorld, c: { region: string; name: string }): AdmissionContext {
  const kube = world.kube.get(clusterKey(c));
  return {
    region: c.region,
    hasAssociation: (ns, sa, at) => world.associations.some((a) => a.region === c.region && a.clusterName === c.name && a.namespace === ns && a.serviceAccount === sa && a.createdAt.getTime() <= at.getTime()),
    serviceAccount: (ns, name) => kube?.serviceAccounts.find((s) => s.metadata.namespace === ns && s.metadata.name === name),
  };
}

/** Creates a pod from a template at `at`, as its controller would, and stores it. */
export function createPod(world: WorkloadWorld, c: { region: string; name: string }, kube: KubeWorkloads, template: PodTemplate, at: Date, nodeName?: string) {
  // Names are a function of the cluster's history, so the demo's pods keep their names from one run to the next.
  const seed = `${clusterKey(c)}/${template.namespace}/${template.owner.name}/${kube.resourceVersion}`;
  const name = template.owner.kind === 'ReplicaSet' ? replicaSetPodName(template.owner.name, seed) : `${template.owner.name}-${safeSuffix(`${seed}/${nodeName}`, 5)}`;
  const node = nodeName ?? kube.nodes[parseInt(hexId(name, 4), 16) % Math.max(kube.nodes.length, 1)] ?? '';
  kube.resourceVersion += 1;
  const pod = { object: admitPod(admissionContext(world, c), template, name, node, at, kube.resourceVersion), template };
  kube.pods.push(pod);
  return pod;
}

/** The agent add-on's DaemonSet pods, one per node (aws/eks-pod-identity-agent charts/.../daemonset.yaml: hostNetwork, selector labels). */
export function startAgentPods(world: WorkloadWorld, c: { region: string; name: string }, kube: KubeWorkloads, at: Date) {
  const image = `602401143452.dkr.ecr.${c.region}.amazonaws.com/eks/eks-pod-identity-agent:0.1.29`;
  const template: PodTemplate = {
    namespace: 'kube-system',
    serviceAccountName: 'default',
    labels: { 'app.kubernetes.io/name': 'eks-pod-identity-agent', 'app.kubernetes.io/instance': 'eks-pod-identity-agent', 'controller-revision-hash': safeSuffix(c.name, 10) },
    hostNetwork: true,
    containers: [{ name: 'eks-pod-identity-agent', image }],
    initContainers: [{ name: 'eks-pod-identity-agent-init', image }],
    owner: { kind: 'DaemonSet', name: 'eks-pod-identity-agent' },
  };
  for (const node of kube.nodes) createPod(world, c, kube, template, at, node);
}

function fill(text: string, clusters: Cluster[], accountId: string): string {
  return text.replace(/\{\{oidc:([^}]+)\}\}/g, (_, name: string) => (clusters.find((c) => c.name === name)?.oidcIssuer ?? `oidc.eks.invalid/id/${name}`).replace(/^https:\/\//, '')).replace(/\{\{account\}\}/g, accountId);
}

/** The world a scenario describes; `now` anchors every `minutesAgo`. */
export function buildWorkload(scenario: { accountId: string; workload?: ScenarioWorkload }, clusters: Cluster[], now = Date.now()): WorkloadWorld {
  const world = new WorkloadWorld();
  // Placeholders are filled everywhere at once: a role ARN in an annotation is the same text as in the roles.
  const w = JSON.parse(fill(JSON.stringify(scenario.workload ?? {}), clusters, scenario.accountId)) as ScenarioWorkload;
  const ago = (minutes: number) => new Date(Math.floor((now - minutes * 60_000) / 1000) * 1000);
  for (const [arn, policy] of Object.entries(w.roles ?? {})) world.roles.set(arn, JSON.stringify(policy));
  for (const p of w.oidcProviders ?? []) {
    const url = p.url ?? clusters.find((c) => c.name === p.cluster)?.oidcIssuer.replace(/^https:\/\//, '');
    if (url) world.oidcProviders.push({ accountId: p.accountId ?? scenario.accountId, url, clientIds: p.clientIds ?? ['sts.amazonaws.com'], thumbprints: p.thumbprints ?? ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] });
  }
  for (const c of clusters) {
    const key = clusterKey(c);
    world.clusterAccounts.set(key, c.accountId);
    const spec = w.clusters?.[c.name] ?? {};
    const kube: KubeWorkloads = { serviceAccounts: [], pods: [], nodes: nodeNames(c), resourceVersion: 1000 };
    world.kube.set(key, kube);
    if (spec.agentAddon) world.agentAddons.set(key, spec.agentAddon);
    for (const a of spec.associations ?? []) {
      const at = ago(a.minutesAgo);
      const association: EmulatedAssociation = { clusterName: c.name, region: c.region, accountId: c.accountId, namespace: a.namespace, serviceAccount: a.serviceAccount, roleArn: a.roleArn, associationId: `a-${hexId(`${key}/${a.namespace}/${a.serviceAccount}`, 17)}`, createdAt: at, modifiedAt: at };
      if (a.targetRoleArn) association.targetRoleArn = a.targetRoleArn;
      if (a.disableSessionTags) association.disableSessionTags = true;
      world.associations.push(association);
    }
    const created = kubeTime(new Date(c.createdAt * 1000));
    const namespaces = new Set(['default', 'kube-system', ...(spec.serviceAccounts ?? []).map((s) => s.namespace), ...(spec.deployments ?? []).map((d) => d.namespace)]);
    const accounts = [...[...namespaces].map((ns) => ({ namespace: ns, name: 'default', annotations: undefined as Record<string, string> | undefined })), ...(spec.serviceAccounts ?? [])];
    for (const s of accounts) {
      kube.resourceVersion += 1;
      kube.serviceAccounts.push({ metadata: { name: s.name, namespace: s.namespace, uid: uidOf(`${key}/sa/${s.namespace}/${s.name}`), resourceVersion: String(kube.resourceVersion), creationTimestamp: created, ...(s.annotations ? { annotations: { ...s.annotations } } : {}) } });
    }
    if (spec.agentAddon === 'ACTIVE' || spec.agentAddon === 'DEGRADED') startAgentPods(world, c, kube, new Date(c.createdAt * 1000 + 86400_000));
    for (const d of spec.deployments ?? []) {
      const rs = replicaSetName(d.name, key);
      const containers: ContainerSpec[] = [{ name: 'app', image: d.image ?? 'public.ecr.aws/aws-cli/aws-cli:2.22.0', ...(d.env ? { env: d.env } : {}) }];
      const template: PodTemplate = { namespace: d.namespace, serviceAccountName: d.serviceAccount, labels: { app: d.name, 'pod-template-hash': rs.hash }, annotations: d.annotations, hostNetwork: d.hostNetwork, containers, owner: { kind: 'ReplicaSet', name: rs.name }, deployment: d.name, webhookMissed: d.webhookMissed };
      createPod(world, c, kube, template, ago(d.minutesAgo));
    }
  }
  return world;
}
