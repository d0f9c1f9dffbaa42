/**
 * Workload identity in the emulator: EKS Pod Identity associations and the agent add-on (REST-JSON, paths from
 * @aws-sdk/client-eks schemas), IAM roles with trust policies and OIDC providers (query protocol, GetRole returning the
 * trust policy URL-encoded as IAM does). server.ts asks {@link matchWorkloadEksRoute} before its own EKS routes and
 * {@link workloadIamResponse} before its own IAM actions, behind the same SigV4 check, call recording and faults; the
 * world is `emulator.workload`, built from the scenario (emulator/workloadScenario.ts). {@link serveWorkload} serves
 * the routes alone, without SigV4, for the benchmark.
 */
import { createHash, randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { ServiceError, paginate, readBody, sendError, sendJson, sendXml, xmlEscape } from './http';
import type { KubeWorkloads } from './workloadPods';

export interface EmulatedAssociation {
  clusterName: string;
  region: string;
  accountId: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  associationId: string;
  createdAt: Date;
  modifiedAt: Date;
}

export interface EmulatedOidcProvider {
  accountId: string;
  /** Without the scheme, as IAM stores it. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
}

/** What the workload routes serve; tests and the demo fill it. */
export class WorkloadWorld {
  associations: EmulatedAssociation[] = [];
  /** Add-on status by `region/cluster`; a cluster without an entry has no eks-pod-identity-agent add-on. */
  agentAddons = new Map<string, string>();
  oidcProviders: EmulatedOidcProvider[] = [];
  /** Trust policies (JSON text) by role ARN. */
  roles = new Map<string, string>();
  /** Service accounts, pods and nodes by `region/cluster`. */
  kube = new Map<string, KubeWorkloads>();
  /** Each cluster's account by `region/cluster`; a cluster missing here does not exist for the EKS writes. */
  clusterAccounts = new Map<string, string>();
  /** Add-ons being created (`region/cluster` -> when they become ACTIVE), and how long creating takes. */
  pendingAddons = new Map<string, number>();
  addonCreateMs = 1500;

  /** The ARN of the role named `name` (IAM names are unique without case) in `account`, if the world holds it. */
  roleNamed(account: string, name: string): string | undefined {
    return [...this.roles.keys()].find((a) => a.split(':')[4] === account && a.split('/').pop()!.toLowerCase() === name.toLowerCase());
  }

  associationArn(a: EmulatedAssociation): string {
    return `arn:aws:eks:${a.region}:${a.accountId}:podidentityassociation/${a.clusterName}/${a.associationId}`;
  }
}

export interface WorkloadRoute {
  operation: string;
  handler: (region: string, query: URLSearchParams, body?: Record<string, unknown>) => unknown;
}

/** An association as DescribePodIdentityAssociation and CreatePodIdentityAssociation answer it. */
export function associationJson(world: WorkloadWorld, a: EmulatedAssociation) {
  // REST-JSON timestamps travel as epoch seconds.
  return {
    clusterName: a.clusterName,
    namespace: a.namespace,
    serviceAccount: a.serviceAccount,
    roleArn: a.roleArn,
    associationArn: world.associationArn(a),
    associationId: a.associationId,
    tags: {},
    createdAt: a.createdAt.getTime() / 1000,
    modifiedAt: a.modifiedAt.getTime() / 1000,
    disableSessionTags: a.disableSessionTags ?? false,
    ...(a.targetRoleArn ? { targetRoleArn: a.targetRoleArn } : {}),
  };
}

/** The EKS operations {@link matchWorkloadEksRoute} serves. */
export const WORKLOAD_EKS_OPERATIONS: readonly string[] = ['ListPodIdentityAssociations', 'DescribePodIdentityAssociation', 'DescribeAddon'];

/** The EKS routes for workload identity, or undefined when the request is not one of them. */
export function matchWorkloadEksRoute(world: WorkloadWorld, method: string, path: string): WorkloadRoute | undefined {
  if (method !== 'GET') return undefined;
  let m = /^\/clusters\/([^/]+)\/pod-identity-associations$/.exec(path);
  if (m) {
    const cluster = decodeURIComponent(m[1]);
    return {
      operation: 'ListPodIdentityAssociations',
      handler: (region, q) => {
        const all = world.associations.filter((a) => a.region === region && a.clusterName === cluster && (!q.get('namespace') || a.namespace === q.get('namespace')) && (!q.get('serviceAccount') || a.serviceAccount === q.get('serviceAccount')));
        const { page, nextToken } = paginate(all, q.get('maxResults') ?? undefined, q.get('nextToken') ?? undefined, 100, 100);
        return { associations: page.map((a) => ({ clusterName: a.clusterName, namespace: a.namespace, serviceAccount: a.serviceAccount, associationArn: world.associationArn(a), associationId: a.associationId })), ...(nextToken ? { nextToken } : {}) };
      },
    };
  }
  m = /^\/clusters\/([^/]+)\/pod-identity-associations\/([^/]+)$/.exec(path);
  if (m) {
    const [cluster, id] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    return {
      operation: 'DescribePodIdentityAssociation',
      handler: (region) => {
        const a = world.associations.find((x) => x.region === region && x.clusterName === cluster && x.associationId === id);
        if (!a) throw new ServiceError('ResourceNotFoundException', `No Pod Identity Association found with id: ${id}`, 404);
        return { association: associationJson(world, a) };
      },
    };
  }
  m = /^\/clusters\/([^/]+)\/addons\/([^/]+)$/.exec(path);
  if (m) {
    const [cluster, addon] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
    return {
      operation: 'DescribeAddon',
      handler: (region) => {
        const status = addon === 'eks-pod-identity-agent' ? world.agentAddons.get(`${region}/${cluster}`) : undefined;
        if (!status) throw new ServiceError('ResourceNotFoundException', `No addon: ${addon} found in cluster: ${cluster}`, 404);
        return { addon: { addonName: addon, clusterName: cluster, status, addonVersion: 'v1.3.10-eksbuild.2', health: { issues: [] }, tags: {} } };
      },
    };
  }
  return undefined;
}

/** The IAM actions {@link workloadIamResponse} answers (GetRole only for the world's roles). */
export const WORKLOAD_IAM_ACTIONS = new Set(['ListOpenIDConnectProviders', 'GetOpenIDConnectProvider', 'GetRole']);

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const members = (values: string[]) => values.map((v) => `<member>${xmlEscape(v)}</member>`).join('');
const envelope = (op: string, result: string) => `<${op}Response xmlns="${IAM_NS}"><${op}Result>${result}</${op}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${op}Response>`;

/** The caller's IAM OIDC provider with this ARN (`arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH`), or NoSuchEntity as IAM answers. */
export function callerProvider(world: WorkloadWorld, arn: string, callerAccount: string): WorkloadWorld['oidcProviders'][number] {
  const p = world.oidcProviders.find((x) => `arn:aws:iam::${x.accountId}:oidc-provider/${x.url}` === arn && x.accountId === callerAccount);
  if (!p) throw new ServiceError('NoSuchEntity', `OpenIDConnect provider not found for arn ${arn}`, 404);
  return p;
}

/** IAM's answer for the workload operations, or undefined when the operation or role is not the world's. */
export function workloadIamResponse(world: WorkloadWorld, operation: string, params: Record<string, unknown>, callerAccount: string): string | undefined {
  if (operation === 'ListOpenIDConnectProviders') {
    const list = world.oidcProviders.filter((p) => p.accountId === callerAccount).map((p) => `<member><Arn>${xmlEscape(`arn:aws:iam::${p.accountId}:oidc-provider/${p.url}`)}</Arn></member>`);
    return envelope(operation, `<OpenIDConnectProviderList>${list.join('')}</OpenIDConnectProviderList>`);
  }
  if (operation === 'GetOpenIDConnectProvider') {
    const arn = String(params.OpenIDConnectProviderArn ?? '');
    const p = callerProvider(world, arn, callerAccount);
    return envelope(operation, `<Url>${xmlEscape(p.url)}</Url><ClientIDList>${members(p.clientIds)}</ClientIDList><ThumbprintList>${members(p.thumbprints)}</ThumbprintList><CreateDate>2024-01-01T00:00:00Z</CreateDate><Tags/>`);
  }
  if (operation === 'GetRole') {
    const name = String(params.RoleName ?? '');
    // The answer spells the name as the role has it.
    const arn = world.roleNamed(callerAccount, name);
    if (!arn) return undefined;
    const parts = arn.split(':').pop()!.split('/');
    const path = parts.length > 2 ? `/${parts.slice(1, -1).join('/')}/` : '/';
    // IAM returns the trust policy URL-encoded (RFC 3986); the SDK hands it over as is.
    const doc = encodeURIComponent(world.roles.get(arn)!);
    return envelope(operation, `<Role><Path>${xmlEscape(path)}</Path><RoleName>${xmlEscape(parts[parts.length - 1])}</RoleName><RoleId>AROA${createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase()}</RoleId><Arn>${xmlEscape(arn)}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${doc}</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration></Role>`);
  }
  return undefined;
}

/**
 * Serves the workload routes on their own (no SigV4 check), for tests and the benchmark until they are hooked into
 * server.ts. Every call is recorded and, with `latencyMs`, delayed like the emulator's other routes.
 */
export async function serveWorkload(world: WorkloadWorld, options: { latencyMs?: number; account: string }): Promise<{ endpoint: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = (await readBody(req)).toString('utf8');
    const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? 'us-east-1';
    const form = new URLSearchParams(body);
    const action = form.get('Action');
    try {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (action) {
        calls.push(`iam:${action}`);
        const xml = workloadIamResponse(world, action, Object.fromEntries(form), options.account);
        if (!xml) throw new ServiceError('NoSuchEntity', `The role with name ${form.get('RoleName')} cannot be found.`, 404);
        return sendXml(res, 200, xml);
      }
      const route = matchWorkloadEksRoute(world, req.method ?? 'GET', url.pathname);
      if (!route) throw new ServiceError('UnknownOperationException', `No EKS operation for ${req.method} ${url.pathname}`, 404);
      calls.push(`eks:${route.operation}`);
      sendJson(res, 200, route.handler(region, url.searchParams));
    } catch (e) {
      sendError(res, action ? 'query' : 'restJson', e as ServiceError, 'https://iam.amazonaws.com/doc/2010-05-08/');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
