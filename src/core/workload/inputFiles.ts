/**
 * Reading what the AWS CLI and kubectl print into the workload model: `aws eks describe-pod-identity-association`,
 * `aws iam get-open-id-connect-provider` / `list-open-id-connect-providers`, `aws eks describe-addon`,
 * `kubectl get pod -o json`. Field names follow the SDK schemas (@aws-sdk/client-eks, @aws-sdk/client-iam).
 */
import { keptEnv, type AgentInfo, type ContainerInfo, type OidcProviderInfo, type PodIdentityAssociationInfo, type PodInfo } from './model';

export class InputFileError extends Error {}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The AWS CLI prints timestamps as ISO 8601; the SDK's JSON may carry epoch seconds. */
function timestamp(v: unknown): string | undefined {
  if (typeof v === 'number') return new Date(v * 1000).toISOString();
  return str(v);
}

function association(a: Json): PodIdentityAssociationInfo {
  const namespace = str(a.namespace);
  const serviceAccount = str(a.serviceAccount);
  const roleArn = str(a.roleArn);
  if (!namespace || !serviceAccount || !roleArn) throw new InputFileError('an association needs namespace, serviceAccount and roleArn (the output of aws eks describe-pod-identity-association)');
  return {
    associationId: str(a.associationId),
    associationArn: str(a.associationArn),
    clusterName: str(a.clusterName),
    namespace,
    serviceAccount,
    roleArn,
    targetRoleArn: str(a.targetRoleArn),
    disableSessionTags: a.disableSessionTags === true,
    externalId: str(a.externalId),
    createdAt: timestamp(a.createdAt),
    modifiedAt: timestamp(a.modifiedAt),
  };
}

/** `{"association": {...}}`, a bare association, `{"associations": [...]}` or a list: the one for namespace/name, or null. */
export function readAssociation(json: unknown, namespace: string, name: string): PodIdentityAssociationInfo | null {
  const o = obj(json);
  const list = Array.isArray(json) ? json : Array.isArray(o?.associations) ? (o!.associations as unknown[]) : [obj(o?.association) ?? o];
  const all = list.map((x) => {
    const a = obj(x);
    if (!a) throw new InputFileError('an association must be a JSON object');
    return association(a);
  });
  return all.find((a) => a.namespace === namespace && a.serviceAccount === name) ?? null;
}

/** GetOpenIDConnectProvider output (Url, ClientIDList), a list of them, or ListOpenIDConnectProviders output (ARNs only). */
export function readOidcProviders(json: unknown): OidcProviderInfo[] {
  const o = obj(json);
  const items = Array.isArray(json) ? json : Array.isArray(o?.OpenIDConnectProviderList) ? (o!.OpenIDConnectProviderList as unknown[]) : [json];
  return items.map((x) => {
    const p = obj(x);
    if (!p) throw new InputFileError('an OIDC provider must be a JSON object');
    const arn = str(p.Arn);
    const url = str(p.Url) ?? (arn?.includes(':oidc-provider/') ? arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length) : undefined);
    if (!url) throw new InputFileError('an OIDC provider needs Url (get-open-id-connect-provider) or Arn (list-open-id-connect-providers)');
    const clientIds = Array.isArray(p.ClientIDList) ? (p.ClientIDList as unknown[]).filter((c): c is string => typeof c === 'string') : undefined;
    return { arn, url, clientIds };
  });
}

/** `aws eks describe-addon --addon-name eks-pod-identity-agent` output. */
export function readAddon(json: unknown): AgentInfo {
  const o = obj(json);
  const addon = obj(o?.addon) ?? o;
  const status = str(addon?.status);
  if (!status) throw new InputFileError('expected the output of aws eks describe-addon (addon.status)');
  return { addonStatus: status };
}

function containers(v: unknown): ContainerInfo[] {
  if (!Array.isArray(v)) return [];
  return v.map((c) => {
    const co = obj(c) ?? {};
    return {
      name: str(co.name) ?? '',
      // Names, and the values of the AWS variables only; a value from a secret (valueFrom) is never read.
      env: Array.isArray(co.env) ? (co.env as unknown[]).map((e) => keptEnv(str(obj(e)?.name) ?? '', str(obj(e)?.value))) : [],
      volumeMounts: Array.isArray(co.volumeMounts) ? (co.volumeMounts as unknown[]).map((m) => ({ name: str(obj(m)?.name) ?? '', mountPath: str(obj(m)?.mountPath) ?? '' })) : [],
    };
  });
}

/** `kubectl get pod NAME -o json`: the parts that decide which credentials the containers find. */
export function readPod(json: unknown): PodInfo {
  const o = obj(json);
  const meta = obj(o?.metadata);
  const spec = obj(o?.spec);
  if (o?.kind !== 'Pod' || !meta || !spec) throw new InputFileError('expected a Pod (kubectl get pod NAME -o json)');
  const annotations = obj(meta.annotations);
  return {
    name: str(meta.name) ?? '',
    namespace: str(meta.namespace) ?? 'default',
    uid: str(meta.uid),
    creationTimestamp: str(meta.creationTimestamp),
    annotations: annotations ? Object.fromEntries(Object.entries(annotations).filter(([, v]) => typeof v === 'string')) as Record<string, string> : undefined,
    serviceAccountName: str(spec.serviceAccountName) ?? 'default',
    hostNetwork: spec.hostNetwork === true,
    nodeName: str(spec.nodeName),
    containers: containers(spec.containers),
    initContainers: containers(spec.initContainers),
    volumes: Array.isArray(spec.volumes) ? (spec.volumes as PodInfo['volumes']) : [],
  };
}
