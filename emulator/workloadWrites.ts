/**
 * The AWS writes a workload identity fix calls, shaped by the SDK models (@aws-sdk/client-eks and client-iam
 * `dist-es/schemas`): EKS CreatePodIdentityAssociation and CreateAddon (the eks-pod-identity-agent add-on is CREATING,
 * then ACTIVE, and its DaemonSet pods appear on every node), IAM CreateOpenIDConnectProvider, AddClientIDToOpenIDConnectProvider and
 * UpdateAssumeRolePolicy. A new association changes no running pod: the webhook only sees pods created after it (workloadPods.ts).
 */
import { createHash, randomUUID } from 'crypto';
import { ServiceError, requireString, xmlEscape } from './http';
import { WORKLOAD_IAM_ACTIONS, WorkloadWorld, associationJson, callerProvider, matchWorkloadEksRoute, workloadIamResponse, type EmulatedAssociation, type WorkloadRoute } from './workload';
import { startAgentPods } from './workloadScenario';

export const WORKLOAD_WRITE_EKS_OPERATIONS: readonly string[] = ['CreatePodIdentityAssociation', 'CreateAddon'];
export const WORKLOAD_WRITE_IAM_ACTIONS = new Set(['CreateOpenIDConnectProvider', 'AddClientIDToOpenIDConnectProvider', 'UpdateAssumeRolePolicy']);

const AGENT = 'eks-pod-identity-agent';
const AGENT_VERSION = 'v1.3.10-eksbuild.2';

/** An add-on created at least `addonCreateMs` ago becomes ACTIVE, and the agent's pods start. */
export function settleAddons(world: WorkloadWorld, now = Date.now()): void {
  for (const [key, readyAt] of world.pendingAddons) {
    if (readyAt > now) continue;
    world.pendingAddons.delete(key);
    world.agentAddons.set(key, 'ACTIVE');
    const [region, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const kube = world.kube.get(key);
    if (kube) startAgentPods(world, { region, name }, kube, new Date(now));
  }
}

function clusterAccount(world: WorkloadWorld, region: string, cluster: string): string {
  const account = world.clusterAccounts.get(`${region}/${cluster}`);
  if (!account) throw new ServiceError('ResourceNotFoundException', `No cluster found for name: ${cluster}.`, 404);
  return account;
}

/**
 * CreatePodIdentityAssociation: one association per namespace and service account; a second is EKS's 409
 * "ResourceInUseException: Association already exists: a-..." (quoted in eksctl-io/eksctl#7753,
 * awslabs/crossplane-on-eks#168). EKS does not check that the role exists (a role can be deleted after anyway); a role
 * in another account than the cluster's is InvalidParameterException (the text is the emulator's own).
 */
function createAssociation(world: WorkloadWorld, region: string, cluster: string, body: Record<string, unknown>) {
  const accountId = clusterAccount(world, region, cluster);
  const [namespace, serviceAccount, roleArn] = [requireString(body, 'namespace'), requireString(body, 'serviceAccount'), requireString(body, 'roleArn')];
  const role = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+/.exec(roleArn);
  if (!role) throw new ServiceError('InvalidParameterException', `Role ARN ${roleArn} is not a valid IAM role ARN`);
  // "The EKS Pod Identity role must be in your EKS cluster's account due to IAM PassRole requirements" (EKS User Guide,
  // pod-id-assign-target-role). EKS's exact text for this refusal is not known; the code is the API reference's for a bad parameter.
  if (role[1] !== accountId) throw new ServiceError('InvalidParameterException', `Role ${roleArn} is not in the cluster's account ${accountId}: EKS Pod Identity passes the role with iam:PassRole, so it must be in the same account; use targetRoleArn for another account`);
  const existing = world.associations.find((a) => a.region === region && a.clusterName === cluster && a.namespace === namespace && a.serviceAccount === serviceAccount);
  if (existing) throw new ServiceError('ResourceInUseException', `Association already exists: ${existing.associationId}`, 409);
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const id = `a-${createHash('sha256').update(randomUUID()).digest('hex').replace(/[^a-z0-9]/g, '').slice(0, 17)}`;
  const a: EmulatedAssociation = { clusterName: cluster, region, accountId, namespace, serviceAccount, roleArn, associationId: id, createdAt: now, modifiedAt: now };
  if (typeof body.targetRoleArn === 'string' && body.targetRoleArn) a.targetRoleArn = body.targetRoleArn;
  if (body.disableSessionTags === true) a.disableSessionTags = true;
  world.associations.push(a);
  return { association: associationJson(world, a) };
}

/**
 * CreateAddon for eks-pod-identity-agent: answered CREATING (the status aws eks create-addon prints), ACTIVE after
 * `addonCreateMs`. A second create is ResourceInUseException (409).
 */
function createAddon(world: WorkloadWorld, region: string, cluster: string, body: Record<string, unknown>) {
  const accountId = clusterAccount(world, region, cluster);
  const name = requireString(body, 'addonName');
  if (name !== AGENT) throw new ServiceError('InvalidParameterException', `Addon ${name} is not available in the emulator: only ${AGENT} is`);
  const key = `${region}/${cluster}`;
  if (world.agentAddons.has(key)) throw new ServiceError('ResourceInUseException', 'Addon already exists.', 409);
  world.agentAddons.set(key, 'CREATING');
  world.pendingAddons.set(key, Date.now() + world.addonCreateMs);
  const now = Date.now() / 1000;
  return { addon: { addonName: name, clusterName: cluster, status: 'CREATING', addonVersion: typeof body.addonVersion === 'string' ? body.addonVersion : AGENT_VERSION, health: { issues: [] }, addonArn: `arn:aws:eks:${region}:${accountId}:addon/${cluster}/${name}/${randomUUID()}`, createdAt: now, modifiedAt: now, tags: body.tags ?? {} } };
}

/** The EKS write routes, or undefined. */
export function matchWorkloadWriteRoute(world: WorkloadWorld, method: string, path: string): WorkloadRoute | undefined {
  if (method !== 'POST') return undefined;
  let m = /^\/clusters\/([^/]+)\/pod-identity-associations$/.exec(path);
  if (m) {
    const cluster = decodeURIComponent(m[1]);
    return { operation: 'CreatePodIdentityAssociation', handler: (region, _q, body) => createAssociation(world, region, cluster, body ?? {}) };
  }
  m = /^\/clusters\/([^/]+)\/addons$/.exec(path);
  if (m) {
    const cluster = decodeURIComponent(m[1]);
    return { operation: 'CreateAddon', handler: (region, _q, body) => createAddon(world, region, cluster, body ?? {}) };
  }
  return undefined;
}

/** `ClientIDList.member.1`, `ClientIDList.member.2`, ... as the query protocol sends a list. */
function queryList(params: Record<string, unknown>, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; typeof params[`${name}.member.${i}`] === 'string'; i++) out.push(params[`${name}.member.${i}`] as string);
  return out;
}

const envelope = (op: string, result?: string) =>
  `<${op}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">${result === undefined ? '' : `<${op}Result>${result}</${op}Result>`}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${op}Response>`;

/**
 * IAM writes in the caller's account. CreateOpenIDConnectProvider keeps the URL without its scheme (the provider ARN
 * is `oidc-provider/HOST/PATH`) and refuses a second provider for it: EntityAlreadyExists, 409, "Provider with url
 * https://... already exists." (IAM's text and status, quoted in DrFaust92/terraform-kubernetes-ebs-csi-driver#107 and unfunco/terraform-aws-oidc-github#23).
 * AddClientIDToOpenIDConnectProvider adds the audience to the provider's client IDs; adding one it already lists
 * changes nothing and is no error ("This operation is idempotent", IAM API Reference); a provider the account does not
 * have is NoSuchEntity, 404, with GetOpenIDConnectProvider's text.
 * UpdateAssumeRolePolicy needs JSON (MalformedPolicyDocument otherwise) and answers with no Result element, as IAM
 * does for operations without output.
 */
export function workloadWriteIamResponse(world: WorkloadWorld, operation: string, params: Record<string, unknown>, callerAccount: string): string | undefined {
  if (operation === 'CreateOpenIDConnectProvider') {
    const url = String(params.Url ?? '');
    if (!/^https:\/\/[^/\s]+/.test(url)) throw new ServiceError('InvalidInput', `The URL ${url} is not valid: it must begin with https:// and name a host`, 400);
    const stored = url.replace(/^https:\/\//, '').replace(/\/$/, '');
    if (world.oidcProviders.some((p) => p.accountId === callerAccount && p.url === stored)) throw new ServiceError('EntityAlreadyExists', `Provider with url https://${stored} already exists.`, 409);
    world.oidcProviders.push({ accountId: callerAccount, url: stored, clientIds: queryList(params, 'ClientIDList'), thumbprints: queryList(params, 'ThumbprintList') });
    return envelope(operation, `<OpenIDConnectProviderArn>${xmlEscape(`arn:aws:iam::${callerAccount}:oidc-provider/${stored}`)}</OpenIDConnectProviderArn>`);
  }
  if (operation === 'AddClientIDToOpenIDConnectProvider') {
    const arn = String(params.OpenIDConnectProviderArn ?? '');
    const clientId = String(params.ClientID ?? '');
    const p = callerProvider(world, arn, callerAccount);
    // A new array: the scenario the world was loaded from may share the old one.
    if (!p.clientIds.includes(clientId)) p.clientIds = [...p.clientIds, clientId];
    return envelope(operation);
  }
  if (operation === 'UpdateAssumeRolePolicy') {
    const name = String(params.RoleName ?? '');
    const arn = world.roleNamed(callerAccount, name);
    if (!arn) throw new ServiceError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
    const doc = String(params.PolicyDocument ?? '');
    try {
      const parsed = JSON.parse(doc) as unknown;
      if (!parsed || typeof parsed !== 'object' || !('Statement' in parsed)) throw new Error();
    } catch {
      throw new ServiceError('MalformedPolicyDocument', 'This policy contains invalid Json', 400);
    }
    world.roles.set(arn, doc);
    return envelope(operation);
  }
  return undefined;
}

/** Every IAM action of the workload world: the writes above and the reads of workload.ts. */
export const isWorkloadIamAction = (operation: string) => WORKLOAD_WRITE_IAM_ACTIONS.has(operation) || WORKLOAD_IAM_ACTIONS.has(operation);

/** The world's IAM answer, or undefined (GetRole for a role the world does not hold). */
export function workloadIam(world: WorkloadWorld, operation: string, params: Record<string, unknown>, callerAccount: string): string | undefined {
  return workloadWriteIamResponse(world, operation, params, callerAccount) ?? workloadIamResponse(world, operation, params, callerAccount);
}

/** The world's EKS route for a request, writes first; add-ons due to become ACTIVE are settled before it runs. */
export function workloadEksRoute(world: WorkloadWorld, method: string, path: string): WorkloadRoute | undefined {
  settleAddons(world);
  return matchWorkloadWriteRoute(world, method, path) ?? matchWorkloadEksRoute(world, method, path);
}
