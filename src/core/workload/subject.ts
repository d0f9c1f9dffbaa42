/**
 * What the chain knows of one service account and, if given, its pod: the annotations the webhook reads and the
 * variables it injected into the containers it mutates (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go).
 */
import { DEFAULT_IRSA_AUDIENCE, ENV, IRSA_ANNOTATIONS } from './model';
import type { ContainerInfo, Mechanism, PodIdentityAssociationInfo, PodInfo, WorkloadInputs } from './model';

export interface RoleArn {
  partition: string;
  account: string;
  name: string;
}

export function parseRoleArn(arn: string): RoleArn | undefined {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { partition: m[1], account: m[2], name: m[3] } : undefined;
}

/** The issuer as IAM keys its provider and condition keys: no scheme, no trailing slash. */
export function issuerHostPath(issuer: string): string {
  return issuer.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

export function envOf(containers: ContainerInfo[], name: string): { present: boolean; value?: string } {
  for (const c of containers) {
    const e = c.env?.find((x) => x.name === name);
    if (e) return { present: true, value: e.value };
  }
  return { present: false };
}

/** The containers the webhook mutates: all but those named in `eks.amazonaws.com/skip-containers`. */
export function mutatedContainers(pod: PodInfo): ContainerInfo[] {
  const skip = new Set((pod.annotations?.[IRSA_ANNOTATIONS.skipContainers] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  return [...pod.containers, ...(pod.initContainers ?? [])].filter((c) => !skip.has(c.name));
}

export function tokenVolumeAudience(pod: PodInfo, audience: string): string | undefined {
  for (const v of pod.volumes ?? []) {
    for (const s of v.projected?.sources ?? []) {
      if (s.serviceAccountToken && (s.serviceAccountToken.audience ?? '') === audience) return v.name;
    }
  }
  return undefined;
}

export function time(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const n = Date.parse(t);
  return Number.isNaN(n) ? undefined : n;
}


/** One service account and its pod as every step reads them, with the mechanism configured and the one the pod has. */
export interface Subject {
  inputs: WorkloadInputs;
  sa: WorkloadInputs['serviceAccount'];
  who: string;
  annotations: Record<string, string>;
  irsaRole: string | undefined;
  audience: string;
  association: PodIdentityAssociationInfo | undefined;
  pod: PodInfo | undefined;
  containers: ContainerInfo[];
  /** The pod has the IRSA variables in a container the webhook mutates. */
  podWebIdentity: boolean | undefined;
  /** The pod has the Pod Identity variables in a container the webhook mutates. */
  podContainerCreds: boolean | undefined;
  configured: Mechanism;
  /** The one the pod's SDK will find: the variables the pod has, else the configured one. */
  mechanism: Mechanism;
}

export function subjectOf(inputs: WorkloadInputs): Subject {
  const sa = inputs.serviceAccount;
  const annotations = sa.annotations ?? {};
  const irsaRole = annotations[IRSA_ANNOTATIONS.roleArn]?.trim() || undefined;
  const audience = annotations[IRSA_ANNOTATIONS.audience]?.trim() || DEFAULT_IRSA_AUDIENCE;
  const association = inputs.association ?? undefined;
  const pod = inputs.pod;
  const who = `${sa.namespace}/${sa.name}`;
  const containers = pod ? mutatedContainers(pod) : [];
  const podWebIdentity = pod && envOf(containers, ENV.roleArn).present && envOf(containers, ENV.webIdentityTokenFile).present;
  const podContainerCreds = pod && envOf(containers, ENV.containerFullUri).present && envOf(containers, ENV.containerTokenFile).present;
  const configured: Mechanism = association ? 'pod-identity' : irsaRole || inputs.unnamedRoleTrustPolicy !== undefined ? 'irsa' : 'none';
  const mechanism: Mechanism = podWebIdentity ? 'irsa' : podContainerCreds ? 'pod-identity' : configured;
  return { inputs, sa, who, annotations, irsaRole, audience, association, pod, containers, podWebIdentity, podContainerCreds, configured, mechanism };
}

/** The IRSA role the pod's SDK assumes: the one the webhook injected into the pod, else the annotated one. */
export function irsaRoleInUse(s: Subject): string | undefined {
  return s.podWebIdentity ? (envOf(s.containers, ENV.roleArn).value ?? s.irsaRole) : s.irsaRole;
}
