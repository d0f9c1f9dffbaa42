/**
 * Why a pod gets, or does not get, its IAM role: the four steps of docs/workload-identity.md.
 *
 * 1. Which mechanism applies: an EKS Pod Identity association for the namespace and service account, the IRSA
 *    annotation, both or neither. The webhook injects container credentials when an association exists and web
 *    identity only otherwise (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go, buildPodPatchConfig:
 *    "Container credentials method takes precedence"); when a pod carries both sets of variables the SDKs read the web
 *    identity token first (the default chain: environment, SSO, shared config, process, web identity token file, then
 *    container credentials, then IMDS; @aws-sdk/credential-provider-node defaultProvider.js and remoteProvider.js).
 * 2. Whether the pod was given it: the env and projected volume the webhook adds at admission (so only to pods created
 *    after the association or annotation), the Pod Identity Agent on the node, `hostNetwork`.
 * 3. Whether AWS lets it in: the IAM OIDC provider and the trust policy (IRSA), or the trust policy for
 *    pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession, and a target role's trust (Pod Identity).
 * 4. What the pod ends up with: the role, or the fallback and the message the SDK shows.
 */
import { DEFAULT_IRSA_AUDIENCE, ENV, IRSA_ANNOTATIONS, POD_IDENTITY_AUDIENCE, POD_IDENTITY_SERVICE } from './model';
import type { ContainerInfo, Mechanism, PodIdentityAssociationInfo, PodInfo, Step, WorkloadExplanation, WorkloadInputs } from './model';
import { PolicyReadError, readTrustPolicy, type PolicyDocument } from './policyDocument';
import { SDK_MINIMUMS, compareVersions } from './sdkVersions';
import { evaluateTrust, nearestAllow, type StatementCheck, type TrustDecision, type TrustRequest } from './trustEvaluation';

const DOCS = 'https://docs.aws.amazon.com/eks/latest/userguide/';
export const SOURCES = {
  howItWorks: `${DOCS}pod-id-how-it-works.html`,
  webhook: 'https://github.com/aws/amazon-eks-pod-identity-webhook/blob/master/pkg/handler/handler.go',
  webhookReadme: 'https://github.com/aws/amazon-eks-pod-identity-webhook#usage',
  agentSetup: `${DOCS}pod-id-agent-setup.html`,
  considerations: `${DOCS}pod-identities.html#pod-id-considerations`,
  oidcProvider: `${DOCS}enable-iam-roles-for-service-accounts.html`,
  irsaTrust: `${DOCS}associate-service-account-role.html`,
  podIdRole: `${DOCS}pod-id-role.html`,
  sessionTags: `${DOCS}pod-id-abac.html#pod-id-abac-tags`,
  targetRole: `${DOCS}pod-id-assign-target-role.html`,
  podIdSdk: `${DOCS}pod-id-minimum-sdk.html`,
  irsaSdk: `${DOCS}iam-roles-for-service-accounts-minimum-sdk.html`,
  hostNetwork: 'https://github.com/aws/eks-pod-identity-agent/issues/139',
  missedInjection: 'https://github.com/aws/eks-pod-identity-agent/issues/153',
  imds: 'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html',
  chain: 'https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html',
  permissions: 'docs/workload-identity.md#permissions',
} as const;

/** The messages SDKs show, as users reported them upstream (cited in docs/workload-identity.md). */
export const SDK_MESSAGES = {
  noProvider: (issuer: string) => `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${issuer}`,
  audience: 'InvalidIdentityToken: Incorrect token audience',
  irsaDenied: 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
  podIdentityDenied: 'Unauthorized Exception! EKS does not have permissions to assume the associated role.',
  nothing: 'CredentialsProviderError: Could not load credentials from any providers',
} as const;

interface RoleArn {
  partition: string;
  account: string;
  name: string;
}

export function parseRoleArn(arn: string): RoleArn | undefined {
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { partition: m[1], account: m[2], name: m[3] } : undefined;
}

/**
 * How the webhook reads the IRSA annotations (amazon-eks-pod-identity-webhook pkg/cache/cache.go, pkg/validation.go):
 * `sts-regional-endpoints` through Go's ParseBool, an invalid value ignored; `token-expiration` an integer raised to
 * 600 seconds at least, an invalid value ignored (86400 stays).
 */
export function irsaSettings(annotations: Record<string, string>): string[] {
  const notes: string[] = [];
  const regional = annotations[IRSA_ANNOTATIONS.regionalSts];
  if (regional !== undefined) {
    const v = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(regional) ? true : ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(regional) ? false : undefined;
    notes.push(v === undefined ? `${IRSA_ANNOTATIONS.regionalSts}: ${JSON.stringify(regional)} is not a boolean; the webhook ignores it` : v ? 'AWS_STS_REGIONAL_ENDPOINTS=regional is injected' : 'the global STS endpoint is used unless the SDK defaults to regional');
  }
  const exp = annotations[IRSA_ANNOTATIONS.tokenExpiration];
  if (exp !== undefined) {
    const n = /^[+-]?\d+$/.test(exp.trim()) ? Number(exp) : NaN;
    notes.push(Number.isNaN(n) ? `${IRSA_ANNOTATIONS.tokenExpiration}: ${JSON.stringify(exp)} is not an integer; the webhook ignores it (86400 s)` : n < 600 ? `${IRSA_ANNOTATIONS.tokenExpiration}: ${n} s is raised to the webhook's minimum, 600 s` : `token expiration ${n} s`);
  }
  return notes;
}

/** The issuer as IAM keys its provider and condition keys: no scheme, no trailing slash. */
export function issuerHostPath(issuer: string): string {
  return issuer.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

function envOf(containers: ContainerInfo[], name: string): { present: boolean; value?: string } {
  for (const c of containers) {
    const e = c.env?.find((x) => x.name === name);
    if (e) return { present: true, value: e.value };
  }
  return { present: false };
}

/** The containers the webhook mutates: all but those named in `eks.amazonaws.com/skip-containers`. */
function mutatedContainers(pod: PodInfo): ContainerInfo[] {
  const skip = new Set((pod.annotations?.[IRSA_ANNOTATIONS.skipContainers] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  return [...pod.containers, ...(pod.initContainers ?? [])].filter((c) => !skip.has(c.name));
}

function tokenVolumeAudience(pod: PodInfo, audience: string): string | undefined {
  for (const v of pod.volumes ?? []) {
    for (const s of v.projected?.sources ?? []) {
      if (s.serviceAccountToken && (s.serviceAccountToken.audience ?? '') === audience) return v.name;
    }
  }
  return undefined;
}

function time(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const n = Date.parse(t);
  return Number.isNaN(n) ? undefined : n;
}

/** Parsed trust policies, shared across service accounts that use the same role. */
export type PolicyCache = Map<string, PolicyDocument | PolicyReadError>;

function policyFor(text: string, cache: PolicyCache): PolicyDocument | PolicyReadError {
  let p = cache.get(text);
  if (!p) {
    try {
      p = readTrustPolicy(text);
    } catch (e) {
      if (!(e instanceof PolicyReadError)) throw e;
      p = e;
    }
    cache.set(text, p);
  }
  return p;
}

function describeCondition(c: StatementCheck['conditions'][number]): string {
  const had = c.actual === undefined ? 'the request has no such key' : `the request has ${c.actual.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${c.operator} ${c.key} expects ${c.expected.map((v) => JSON.stringify(v)).join(' or ')}; ${had}`;
}

function statementName(s: StatementCheck): string {
  return s.sid ? `statement ${s.index + 1} (${s.sid})` : `statement ${s.index + 1}`;
}

function principalsNamed(policy: PolicyDocument): string[] {
  const out: string[] = [];
  for (const s of policy.statements) {
    const p = s.Principal;
    if (p === '*') out.push('*');
    else if (p) for (const [type, v] of Object.entries(p)) for (const x of Array.isArray(v) ? v : [v]) out.push(`${type}: ${x}`);
  }
  return out;
}

/** A denied or undecided trust evaluation as a step: which statement comes closest and what it is missing. */
function trustStep(base: Omit<Step, 'verdict' | 'evidence' | 'kind'>, decision: TrustDecision, policy: PolicyDocument, req: TrustRequest, expectPrincipal: string, evidence: string[]): Step {
  if (decision.decision === 'allowed') {
    const by = decision.statements.find((s) => s.effect === 'Allow' && s.applies === 'yes');
    return { ...base, verdict: 'ok', evidence: [...evidence, `${req.action} allowed by ${by ? statementName(by) : 'the policy'}`] };
  }
  if (decision.decision === 'explicit-deny') {
    const deny = decision.statements.find((s) => s.effect === 'Deny' && s.applies === 'yes');
    return { ...base, verdict: 'fail', kind: 'trust-explicit-deny', evidence: [...evidence, `${req.action} is denied explicitly by ${deny ? statementName(deny) : 'a Deny statement'}`] };
  }
  const near = nearestAllow(decision);
  if (decision.decision === 'unknown') {
    const pending = decision.statements.flatMap((s) => s.conditions.filter((c) => c.result === 'unknown').map((c) => `${c.operator} ${c.key}`));
    return { ...base, verdict: 'unknown', kind: 'not-checked', evidence: [...evidence, `${req.action} depends on values not known here: ${[...new Set(pending)].join(', ')}`] };
  }
  if (!near || !near.principal) {
    const named = principalsNamed(policy);
    return {
      ...base,
      verdict: 'fail',
      kind: 'trust-principal',
      evidence: [...evidence, `no Allow statement names ${expectPrincipal}`, named.length ? `the policy names: ${named.join('; ')}` : 'the policy names no principal'],
    };
  }
  if (!near.action) return { ...base, verdict: 'fail', kind: 'trust-action', evidence: [...evidence, `${statementName(near)} names the principal but not the action ${req.action}`] };
  const failing = near.conditions.filter((c) => c.result === 'no');
  return { ...base, verdict: 'fail', kind: 'trust-condition', evidence: [...evidence, `${statementName(near)} names the principal and ${req.action}, but its conditions do not hold:`, ...failing.map(describeCondition)] };
}

/** The cluster's ARN from the association's (`arn:aws:eks:REGION:ACCOUNT:podidentityassociation/CLUSTER/ID`). */
function clusterArnOf(association: PodIdentityAssociationInfo): string | undefined {
  const m = /^(arn:[^:]+:eks:[^:]+:\d{12}):podidentityassociation\/([^/]+)\//.exec(association.associationArn ?? '');
  return m ? `${m[1]}:cluster/${m[2]}` : undefined;
}

/** The role's trust policy, or the step that says why it cannot be judged: the role is missing, not given, unreadable. */
function trustPolicyOf(base: Omit<Step, 'verdict' | 'evidence' | 'kind'>, roleArn: string | undefined, text: string | undefined, inputs: WorkloadInputs, cache: PolicyCache, missingFix: string, notGiven: string[] = []): PolicyDocument | Step {
  if (roleArn && inputs.missingRoles?.includes(roleArn)) return { ...base, verdict: 'fail', kind: 'role-missing', evidence: [`GetRole: the role ${roleArn} does not exist`], fix: missingFix };
  if (text === undefined) return { ...base, verdict: 'unknown', kind: 'not-checked', evidence: ['the trust policy was not given', ...notGiven] };
  const policy = policyFor(text, cache);
  return policy instanceof PolicyReadError ? { ...base, verdict: 'fail', kind: 'policy-unreadable', evidence: [policy.message] } : policy;
}

/**
 * sts:AssumeRole, then sts:TagSession when session tags are on: Pod Identity passes its tags on the first
 * AssumeRole and on the target role's (pod-id-role, pod-id-assign-target-role). `tagSessionFailed` says which failed.
 */
function assumeWithTags(base: Omit<Step, 'verdict' | 'evidence' | 'kind'>, policy: PolicyDocument, assume: TrustRequest, expect: string, evidence: string[], tags: boolean): { step: Step; tagSessionFailed: boolean } {
  const step = trustStep(base, evaluateTrust(policy, assume), policy, assume, expect, evidence);
  if (step.verdict !== 'ok' || !tags) return { step, tagSessionFailed: false };
  const tag: TrustRequest = { ...assume, action: 'sts:TagSession' };
  const tagStep = trustStep(base, evaluateTrust(policy, tag), policy, tag, expect, step.evidence);
  return { step: tagStep, tagSessionFailed: tagStep.verdict === 'fail' };
}

function podIdentityContext(inputs: WorkloadInputs, association: PodIdentityAssociationInfo): { context: Record<string, string | string[]>; unknownKeys: string[] } {
  const unknownKeys: string[] = [];
  const context: Record<string, string | string[]> = {};
  if (association.disableSessionTags) return { context, unknownKeys };
  // The session tags EKS Pod Identity adds (EKS User Guide, pod-id-abac "Enable session tags").
  const tags: Record<string, string | undefined> = {
    'eks-cluster-arn': inputs.cluster.arn ?? clusterArnOf(association),
    'eks-cluster-name': inputs.cluster.name ?? association.clusterName,
    'kubernetes-namespace': association.namespace,
    'kubernetes-service-account': association.serviceAccount,
    'kubernetes-pod-name': inputs.pod?.name,
    'kubernetes-pod-uid': inputs.pod?.uid,
  };
  for (const [k, v] of Object.entries(tags)) {
    if (v === undefined) unknownKeys.push(`aws:RequestTag/${k}`);
    else context[`aws:RequestTag/${k}`] = v;
  }
  context['aws:TagKeys'] = Object.keys(tags);
  return { context, unknownKeys };
}

/** Explains one service account (and, if given, one of its pods) through the whole chain. */
export function explainWorkload(inputs: WorkloadInputs, cache: PolicyCache = new Map()): WorkloadExplanation {
  const steps: Step[] = [];
  const sa = inputs.serviceAccount;
  const annotations = sa.annotations ?? {};
  const irsaRole = annotations[IRSA_ANNOTATIONS.roleArn]?.trim() || undefined;
  const audience = annotations[IRSA_ANNOTATIONS.audience]?.trim() || DEFAULT_IRSA_AUDIENCE;
  const association = inputs.association ?? undefined;
  const pod = inputs.pod;
  const who = `${sa.namespace}/${sa.name}`;

  for (const u of inputs.unreadable ?? []) {
    steps.push({ id: 'read', verdict: 'unknown', kind: 'not-permitted', title: `Could not read ${u.what}`, evidence: [u.detail], fix: `Allow ${u.permission} to explain this step too.`, source: SOURCES.permissions });
  }
  if (inputs.serviceAccountMissing) {
    steps.push({ id: 'mechanism', verdict: 'fail', kind: 'service-account-missing', title: `Service account ${who} does not exist`, evidence: ['a pod that names a missing service account is refused at admission'], fix: `kubectl create serviceaccount -n ${sa.namespace} ${sa.name}`, source: SOURCES.irsaTrust });
  }

  // Step 1: the mechanism configured, and the one the pod's SDK will find.
  const containers = pod ? mutatedContainers(pod) : [];
  const podWebIdentity = pod && envOf(containers, ENV.roleArn).present && envOf(containers, ENV.webIdentityTokenFile).present;
  const podContainerCreds = pod && envOf(containers, ENV.containerFullUri).present && envOf(containers, ENV.containerTokenFile).present;
  const configured: Mechanism = association ? 'pod-identity' : irsaRole || inputs.unnamedRoleTrustPolicy !== undefined ? 'irsa' : 'none';
  const mechanism: Mechanism = podWebIdentity ? 'irsa' : podContainerCreds ? 'pod-identity' : configured;
  const mechanismSource = SOURCES.howItWorks;
  if (configured === 'none' && mechanism !== 'none') {
    steps.push({
      id: 'mechanism',
      verdict: 'warn',
      kind: 'no-mechanism',
      title: `No IAM role is configured for ${who} any more; pod ${pod!.name} keeps what it was created with`,
      evidence: [`the pod has the ${mechanism === 'irsa' ? 'IRSA' : 'Pod Identity'} variables from its creation`, 'a restarted pod will get none'],
      source: mechanismSource,
    });
  } else if (configured === 'none') {
    steps.push({
      id: 'mechanism',
      verdict: 'fail',
      kind: 'no-mechanism',
      title: `No IAM role is configured for ${who}`,
      evidence: [inputs.association === null ? 'the cluster has no Pod Identity association for it' : 'no Pod Identity association was given', `the service account has no ${IRSA_ANNOTATIONS.roleArn} annotation`],
      fix: `Create a Pod Identity association for ${who}, or annotate the service account with ${IRSA_ANNOTATIONS.roleArn}.`,
      source: mechanismSource,
    });
  } else if (association && irsaRole) {
    steps.push({
      id: 'mechanism',
      verdict: 'warn',
      kind: 'both-mechanisms',
      title: `Both mechanisms are configured for ${who}; Pod Identity wins for new pods`,
      evidence: [
        `Pod Identity association ${association.associationId ?? ''} → ${association.roleArn}`.replace('  ', ' '),
        `IRSA annotation → ${irsaRole}`,
        'the webhook injects container credentials when an association exists and skips web identity (amazon-eks-pod-identity-webhook, buildPodPatchConfig)',
        'a pod that already carries AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE keeps IRSA: the SDKs read the web identity token before container credentials',
      ],
      fix: 'Remove the annotation once the association works, so that one role is in play.',
      source: SOURCES.webhook,
    });
  } else {
    steps.push({
      id: 'mechanism',
      verdict: 'ok',
      title: configured === 'pod-identity' ? `Pod Identity association for ${who}` : irsaRole ? `IRSA annotation on ${who}` : `IRSA for ${who}`,
      evidence: configured === 'pod-identity' ? [`role ${association!.roleArn}`, ...(association!.targetRoleArn ? [`target role ${association!.targetRoleArn}`] : [])] : [irsaRole ? `${IRSA_ANNOTATIONS.roleArn}: ${irsaRole}` : 'a role whose ARN was not given (its trust policy was)', `audience ${audience}`, ...irsaSettings(annotations)],
      source: configured === 'pod-identity' ? SOURCES.howItWorks : SOURCES.webhookReadme,
    });
  }
  if (pod) {
    const earlier = [ENV.accessKeyId, ENV.profile].filter((n) => envOf(containers, n).present);
    if (earlier.length) {
      steps.push({
        id: 'mechanism',
        verdict: 'warn',
        kind: 'static-credentials-first',
        title: 'The pod sets credentials that come earlier in the SDK chain',
        evidence: [`${earlier.join(', ')} set in the pod spec; the SDKs use them before web identity or container credentials`],
        fix: `Remove ${earlier.join(', ')} from the pod spec.`,
        source: SOURCES.chain,
      });
    }
  }

  // Step 2: what the pod was given.
  const created = time(pod?.creationTimestamp);
  if (configured !== 'none') {
    const injectionSource = configured === 'pod-identity' ? SOURCES.howItWorks : SOURCES.webhookReadme;
    if (!pod) {
      steps.push({ id: 'injection', verdict: 'unknown', kind: 'not-checked', title: 'No pod was looked at', evidence: ['give a pod to see what the webhook injected'], source: injectionSource });
    } else if (pod.namespace !== sa.namespace || (pod.serviceAccountName ?? 'default') !== sa.name) {
      steps.push({
        id: 'injection',
        verdict: 'fail',
        kind: 'other-service-account',
        title: `Pod ${pod.name} runs as another service account`,
        evidence: [`the pod runs as ${pod.namespace}/${pod.serviceAccountName ?? 'default'}, not ${who}`],
        fix: `Set serviceAccountName: ${sa.name} in the pod template.`,
        source: injectionSource,
      });
    } else if (configured === 'pod-identity') {
      const assoc = association!;
      const assocCreated = time(assoc.createdAt);
      const assocModified = time(assoc.modifiedAt);
      if (podContainerCreds) {
        const vol = tokenVolumeAudience(pod, POD_IDENTITY_AUDIENCE);
        steps.push({
          id: 'injection',
          verdict: 'ok',
          title: `Pod ${pod.name} has the Pod Identity variables`,
          evidence: [`${ENV.containerFullUri}=${envOf(containers, ENV.containerFullUri).value ?? '(from a reference)'}`, `${ENV.containerTokenFile}=${envOf(containers, ENV.containerTokenFile).value ?? '(from a reference)'}`, vol ? `projected token volume ${vol} with audience ${POD_IDENTITY_AUDIENCE}` : `no projected token volume with audience ${POD_IDENTITY_AUDIENCE} was found`],
          source: injectionSource,
        });
        if (created !== undefined && assocModified !== undefined && assocModified > created && assocModified !== assocCreated) {
          steps.push({
            id: 'injection',
            verdict: 'warn',
            kind: 'association-changed',
            title: 'The association changed after the pod started',
            evidence: [`association modified ${assoc.modifiedAt}, pod created ${pod.creationTimestamp}`, 'the agent caches credentials for up to 6 hours (59 minutes with a target role) and a change does not reset the cache'],
            fix: `Restart the pods of ${who} to pick up the change now.`,
            source: SOURCES.targetRole,
          });
        }
      } else {
        const before = created !== undefined && assocCreated !== undefined && created < assocCreated;
        steps.push({
          id: 'injection',
          // A pod that still has the IRSA variables keeps working with the annotated role until it is restarted.
          verdict: podWebIdentity ? 'warn' : 'fail',
          kind: before ? 'pod-created-before' : 'not-injected',
          title: before ? `Pod ${pod.name} was created before the association` : `Pod ${pod.name} was not given Pod Identity credentials`,
          evidence: [
            `no container has ${ENV.containerFullUri} and ${ENV.containerTokenFile}`,
            ...(podWebIdentity ? ['the pod has the IRSA variables instead, from before the association'] : []),
            ...(before ? [`pod created ${pod.creationTimestamp}, association created ${assoc.createdAt}; the webhook only changes pods when they are created`] : ['the webhook runs with failurePolicy Ignore, so a missed or failed call admits the pod unchanged (aws/eks-pod-identity-agent#153)']),
          ],
          fix: `Restart the pods of ${who} (kubectl rollout restart on their workload).`,
          source: before ? SOURCES.howItWorks : SOURCES.missedInjection,
        });
      }
    } else {
      const injectedRole = envOf(containers, ENV.roleArn).value;
      if (podWebIdentity && injectedRole !== undefined && irsaRole !== undefined && injectedRole !== irsaRole) {
        steps.push({
          id: 'injection',
          verdict: 'fail',
          kind: 'injected-other-role',
          title: `Pod ${pod.name} was given another role`,
          evidence: [`${ENV.roleArn}=${injectedRole} in the pod, ${irsaRole} on the service account: the annotation changed after the pod was created`],
          fix: `Restart the pods of ${who}.`,
          source: SOURCES.webhookReadme,
        });
      } else if (podWebIdentity) {
        const vol = tokenVolumeAudience(pod, audience);
        steps.push({
          id: 'injection',
          verdict: 'ok',
          title: `Pod ${pod.name} has the IRSA variables`,
          evidence: [`${ENV.roleArn}=${injectedRole ?? '(from a reference)'}`, `${ENV.webIdentityTokenFile}=${envOf(containers, ENV.webIdentityTokenFile).value ?? '(from a reference)'}`, vol ? `projected token volume ${vol} with audience ${audience}` : `no projected token volume with audience ${audience} was found`],
          source: SOURCES.webhookReadme,
        });
      } else {
        steps.push({
          id: 'injection',
          verdict: 'fail',
          kind: 'not-injected',
          title: `Pod ${pod.name} was not given the IRSA variables`,
          evidence: [`no container has ${ENV.roleArn} and ${ENV.webIdentityTokenFile}`, 'the webhook only changes pods when they are created: the annotation was added later, or the webhook missed the pod'],
          fix: `Restart the pods of ${who}.`,
          source: SOURCES.webhookReadme,
        });
      }
    }
    if (pod?.hostNetwork && mechanism === 'pod-identity') {
      steps.push({
        id: 'injection',
        verdict: 'warn',
        kind: 'host-network',
        title: `Pod ${pod.name} uses hostNetwork`,
        evidence: ['pods on the host network have been reported to get "Unauthorized Exception! EKS does not have permissions to assume the associated role." from the agent while the same workload works without hostNetwork (aws/eks-pod-identity-agent#139, open)'],
        fix: 'Run the pod without hostNetwork if it can, or use IRSA for it.',
        source: SOURCES.hostNetwork,
      });
    }
  }

  // Step 2b: the agent, for Pod Identity.
  if (mechanism === 'pod-identity') {
    const agent = inputs.agent;
    if (!agent || agent.addonStatus === undefined) {
      steps.push({ id: 'agent', verdict: 'unknown', kind: 'not-checked', title: 'The Pod Identity Agent was not checked', evidence: ['DescribeAddon eks-pod-identity-agent was not read'], source: SOURCES.agentSetup });
    } else if (agent.addonStatus === 'absent') {
      steps.push({
        id: 'agent',
        verdict: 'fail',
        kind: 'agent-missing',
        title: 'The EKS Pod Identity Agent add-on is not installed',
        evidence: ['DescribeAddon eks-pod-identity-agent: not found', 'the agent is required; it serves credentials only to pods on nodes where it runs (EKS Auto Mode clusters have it built in)'],
        fix: 'Install the add-on: aws eks create-addon --cluster-name CLUSTER --addon-name eks-pod-identity-agent',
        source: SOURCES.considerations,
      });
    } else if (agent.runningOnNode === false) {
      steps.push({ id: 'agent', verdict: 'fail', kind: 'agent-not-running', title: `The agent is not running on node ${pod?.nodeName ?? ''}`.trim(), evidence: [`add-on status ${agent.addonStatus}`, 'no ready eks-pod-identity-agent pod on the pod\'s node'], fix: 'Look at the agent DaemonSet pod on that node (kubectl -n kube-system get pods -l app.kubernetes.io/name=eks-pod-identity-agent -o wide).', source: SOURCES.considerations });
    } else if (agent.addonStatus !== 'ACTIVE') {
      steps.push({ id: 'agent', verdict: 'warn', kind: 'agent-degraded', title: `The agent add-on is ${agent.addonStatus}`, evidence: [`DescribeAddon status ${agent.addonStatus}`], source: SOURCES.agentSetup });
    } else {
      steps.push({ id: 'agent', verdict: 'ok', title: 'The EKS Pod Identity Agent add-on is active', evidence: ['DescribeAddon status ACTIVE', ...(agent.runningOnNode ? ['an agent pod runs on the pod\'s node'] : [])], source: SOURCES.agentSetup });
    }
  }

  // Step 3: whether AWS lets it in.
  let trustOk = false;
  let roleArn: string | undefined;
  let sdkMessage: string | undefined;
  if (mechanism === 'irsa') {
    roleArn = podWebIdentity ? (envOf(containers, ENV.roleArn).value ?? irsaRole) : irsaRole;
    const role = roleArn ? parseRoleArn(roleArn) : undefined;
    const issuer = inputs.cluster.oidcIssuer;
    const hostPath = issuer ? issuerHostPath(issuer) : undefined;
    const account = role?.account ?? inputs.cluster.accountId;
    const providerArn = hostPath && account ? `arn:${role?.partition ?? 'aws'}:iam::${account}:oidc-provider/${hostPath}` : undefined;
    if (!hostPath) {
      steps.push({ id: 'oidc-provider', verdict: 'unknown', kind: 'oidc-issuer-unknown', title: "The cluster's OIDC issuer is not known", evidence: ['DescribeCluster identity.oidc.issuer was not given'], source: SOURCES.oidcProvider });
    } else if (!inputs.oidcProviders) {
      steps.push({ id: 'oidc-provider', verdict: 'unknown', kind: 'not-checked', title: 'IAM OIDC providers were not checked', evidence: [`the role needs ${providerArn ?? `a provider for ${hostPath}`}`], source: SOURCES.oidcProvider });
    } else {
      const provider = inputs.oidcProviders.find((p) => issuerHostPath(p.url) === hostPath || (providerArn !== undefined && p.arn === providerArn));
      if (!provider) {
        steps.push({
          id: 'oidc-provider',
          verdict: 'fail',
          kind: 'oidc-provider-missing',
          title: `IAM has no OIDC provider for the cluster's issuer in account ${account ?? '(unknown)'}`,
          evidence: [`issuer https://${hostPath}`, `providers in the account: ${inputs.oidcProviders.map((p) => issuerHostPath(p.url)).join(', ') || 'none'}`],
          fix: `eksctl utils associate-iam-oidc-provider --cluster ${inputs.cluster.name ?? 'CLUSTER'} --approve (or aws iam create-open-id-connect-provider --url https://${hostPath} --client-id-list ${audience})`,
          source: SOURCES.oidcProvider,
        });
        sdkMessage ??= SDK_MESSAGES.noProvider(`https://${hostPath}`);
      } else if (provider.clientIds && !provider.clientIds.includes(audience)) {
        steps.push({
          id: 'oidc-provider',
          verdict: 'fail',
          kind: 'oidc-client-id-missing',
          title: `The OIDC provider does not list ${audience} as a client ID`,
          evidence: [`client IDs: ${provider.clientIds.join(', ') || 'none'}`, `the token's audience is ${audience}`],
          fix: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn ?? providerArn} --client-id ${audience}`,
          source: SOURCES.oidcProvider,
        });
        sdkMessage ??= SDK_MESSAGES.audience;
      } else {
        steps.push({ id: 'oidc-provider', verdict: 'ok', title: 'IAM has an OIDC provider for the issuer', evidence: [provider.arn ?? `https://${hostPath}`, ...(provider.clientIds ? [`client IDs include ${audience}`] : [])], source: SOURCES.oidcProvider });
      }
    }
    const text = (roleArn ? inputs.trustPolicies?.[roleArn] : undefined) ?? inputs.unnamedRoleTrustPolicy;
    const base = { id: 'trust' as const, title: `Trust policy of ${roleArn ?? 'the role'}`, source: SOURCES.irsaTrust };
    const policy = trustPolicyOf(base, roleArn, text, inputs, cache, `Create the role, or point ${IRSA_ANNOTATIONS.roleArn} at one that exists.`);
    if (!('statements' in policy)) {
      steps.push(policy);
    } else if (!providerArn || !hostPath) {
      steps.push({ ...base, verdict: 'unknown', kind: 'oidc-issuer-unknown', evidence: ["the provider and condition keys come from the cluster's OIDC issuer, which is not known"] });
    } else {
      const sub = `system:serviceaccount:${sa.namespace}:${sa.name}`;
      const req: TrustRequest = { action: 'sts:AssumeRoleWithWebIdentity', principal: { type: 'Federated', value: providerArn }, context: { [`${hostPath}:sub`]: sub, [`${hostPath}:aud`]: audience } };
      let step = trustStep(base, evaluateTrust(policy, req), policy, req, `Federated ${providerArn}`, [`token sub ${sub}, aud ${audience}`]);
      if (step.verdict === 'fail') step = { ...step, fix: `Let the role trust the pod: Allow sts:AssumeRoleWithWebIdentity from Federated ${providerArn} with StringEquals ${hostPath}:sub = ${sub} and ${hostPath}:aud = ${audience}.` };
      steps.push(step);
      trustOk = step.verdict === 'ok';
      if (step.verdict === 'fail') sdkMessage ??= SDK_MESSAGES.irsaDenied;
    }
  } else if (mechanism === 'pod-identity' && inputs.association === null) {
    // The variables were injected when the pod was created; the agent asks EKS Auth for the association's role now.
    steps.push({
      id: 'trust',
      verdict: 'fail',
      kind: 'association-missing',
      // Only a pod's variables make the mechanism Pod Identity without an association, so the pod is there.
      title: `Pod ${pod!.name} has Pod Identity variables, but ${who} has no association any more`,
      evidence: ['the cluster lists no Pod Identity association for it; the agent gets nothing for this service account'],
      fix: `Create the association again, or restart the pods of ${who} so they are created without it.`,
      source: SOURCES.howItWorks,
    });
    sdkMessage ??= SDK_MESSAGES.podIdentityDenied;
  } else if (mechanism === 'pod-identity' && association) {
    roleArn = association.roleArn;
    const role = parseRoleArn(association.roleArn);
    if (role && inputs.cluster.accountId && role.account !== inputs.cluster.accountId) {
      steps.push({ id: 'trust', verdict: 'fail', kind: 'role-other-account', title: 'The association names a role in another account', evidence: [`role account ${role.account}, cluster account ${inputs.cluster.accountId}`, 'the association role must be in the cluster\'s account; reach other accounts through targetRoleArn'], fix: 'Use a role in the cluster\'s account and set the other account\'s role as targetRoleArn.', source: SOURCES.considerations });
    }
    const base = { id: 'trust' as const, title: `Trust policy of ${association.roleArn}`, source: SOURCES.podIdRole };
    const policy = trustPolicyOf(base, association.roleArn, inputs.trustPolicies?.[association.roleArn], inputs, cache, 'Create the role, or update the association to one that exists.');
    if (!('statements' in policy)) {
      steps.push(policy);
    } else {
      const { context, unknownKeys } = podIdentityContext(inputs, association);
      const assume: TrustRequest = { action: 'sts:AssumeRole', principal: { type: 'Service', value: POD_IDENTITY_SERVICE }, context, unknownKeys };
      const tags = !association.disableSessionTags;
      const judged = assumeWithTags(base, policy, assume, `Service ${POD_IDENTITY_SERVICE}`, [tags ? 'with the session tags EKS Pod Identity adds' : 'session tags are disabled on the association'], tags);
      let step = judged.step;
      if (judged.tagSessionFailed) step = { ...step, kind: 'trust-tag-session', fix: 'Add "sts:TagSession" to the Action of the statement that trusts pods.eks.amazonaws.com (or disable session tags on the association).' };
      else if (step.verdict === 'fail') step = { ...step, fix: `Let the role trust EKS Pod Identity: Allow Service ${POD_IDENTITY_SERVICE} with sts:AssumeRole${tags ? ' and sts:TagSession' : ''}${step.kind === 'trust-condition' ? `, with conditions that hold for ${who}` : ''}.` };
      steps.push(step);
      trustOk = step.verdict === 'ok';
      if (step.verdict === 'fail') sdkMessage ??= SDK_MESSAGES.podIdentityDenied;
    }
    if (association.targetRoleArn) {
      const target = association.targetRoleArn;
      const tbase = { id: 'target-trust' as const, title: `Trust policy of the target role ${target}`, source: SOURCES.targetRole };
      const permissionNote = `${association.roleArn} also needs an identity policy allowing sts:AssumeRole${association.disableSessionTags ? '' : ' and sts:TagSession'} on ${target} (not checked here)`;
      const policy = trustPolicyOf(tbase, target, inputs.trustPolicies?.[target], inputs, cache, 'Create the target role, or update the association.', [permissionNote]);
      if (!('statements' in policy)) {
        steps.push(policy);
        trustOk = false;
      } else {
        const first = parseRoleArn(association.roleArn);
        const { context, unknownKeys } = podIdentityContext(inputs, association);
        context['aws:PrincipalArn'] = association.roleArn;
        if (first) context['aws:PrincipalAccount'] = first.account;
        if (association.disableSessionTags) {
          // With session tags disabled, EKS Pod Identity passes region/account/cluster/namespace/service-account as sts:ExternalId (pod-id-assign-target-role).
          const ext = association.externalId ?? (inputs.cluster.region && inputs.cluster.accountId && inputs.cluster.name ? `${inputs.cluster.region}/${inputs.cluster.accountId}/${inputs.cluster.name}/${association.namespace}/${association.serviceAccount}` : undefined);
          if (ext) context['sts:ExternalId'] = ext;
          else unknownKeys.push('sts:ExternalId');
        }
        const principal = first ? { type: 'AWS' as const, roleArn: association.roleArn, account: first.account } : { type: 'AWS' as const, roleArn: association.roleArn, account: '' };
        const assume: TrustRequest = { action: 'sts:AssumeRole', principal, context, unknownKeys };
        let { step } = assumeWithTags(tbase, policy, assume, `AWS ${association.roleArn}`, [`assumed by ${association.roleArn}`, permissionNote], !association.disableSessionTags);
        if (step.verdict === 'fail') step = { ...step, kind: 'target-trust', fix: `Let ${association.roleArn} assume ${target}: trust it in the target role with sts:AssumeRole${association.disableSessionTags ? '' : ' and sts:TagSession'}.` };
        steps.push(step);
        trustOk = trustOk && step.verdict === 'ok';
        roleArn = target;
        if (step.verdict === 'fail') sdkMessage ??= SDK_MESSAGES.podIdentityDenied;
      }
    }
  }

  // The SDK in the container.
  if (mechanism !== 'none' && inputs.sdk) {
    const min = SDK_MINIMUMS[inputs.sdk.sdk];
    const need = min ? (mechanism === 'pod-identity' ? min.podIdentity : min.irsa) : undefined;
    const source = mechanism === 'pod-identity' ? SOURCES.podIdSdk : SOURCES.irsaSdk;
    if (!min || !need) {
      steps.push({ id: 'sdk', verdict: 'unknown', kind: 'not-checked', title: `No minimum version is listed for ${inputs.sdk.sdk}`, evidence: [`known SDKs: ${Object.keys(SDK_MINIMUMS).join(', ')}`], source });
    } else if (compareVersions(inputs.sdk.version, need) < 0) {
      steps.push({
        id: 'sdk',
        verdict: 'fail',
        kind: 'sdk-too-old',
        title: `${min.label} ${inputs.sdk.version} is too old for ${mechanism === 'pod-identity' ? 'EKS Pod Identity' : 'IRSA'}`,
        evidence: [`the first release that reads these credentials is ${need}`, 'an older SDK skips them and goes on down its chain, usually to the node role through IMDS'],
        fix: `Upgrade ${min.label} to ${need} or later.`,
        source,
      });
    } else {
      steps.push({ id: 'sdk', verdict: 'ok', title: `${min.label} ${inputs.sdk.version} reads these credentials`, evidence: [`minimum ${need}`], source });
    }
  }

  // Step 4: the outcome.
  const failed = steps.find((s) => s.verdict === 'fail');
  const works = !failed && mechanism !== 'none' && trustOk;
  const explanation: WorkloadExplanation = { works, mechanism, roleArn: works ? roleArn : undefined, steps, sdkMessage: works ? undefined : sdkMessage };
  if (works) {
    const r = roleArn ? parseRoleArn(roleArn) : undefined;
    steps.push({ id: 'outcome', verdict: 'ok', title: `The pod's SDK gets ${roleArn ?? 'the role'}`, evidence: [`session: arn:${r?.partition ?? 'aws'}:sts::${r?.account ?? 'ACCOUNT'}:assumed-role/${r?.name ?? 'ROLE'}/<session name>`], source: mechanism === 'pod-identity' ? SOURCES.howItWorks : SOURCES.irsaTrust });
    return explanation;
  }
  if (!failed && mechanism !== 'none') {
    const open = steps.filter((s) => s.verdict === 'unknown').map((s) => s.title);
    steps.push({ id: 'outcome', verdict: 'unknown', kind: 'not-checked', title: 'Not every step could be checked', evidence: [`the pod gets ${roleArn ?? 'the role'} if these hold: ${open.join('; ')}`], source: SOURCES.chain });
    return explanation;
  }
  explanation.fallback = fallback(inputs, failed, mechanism);
  if (explanation.fallback.kind !== 'error') explanation.sdkMessage = explanation.fallback.kind === 'none' ? SDK_MESSAGES.nothing : undefined;
  steps.push({
    id: 'outcome',
    verdict: 'fail',
    kind: failed?.kind ?? 'no-mechanism',
    title: `The pod does not get ${roleArn ?? 'a role'}: ${failed?.title ?? 'no mechanism'}`,
    evidence: [explanation.fallback.detail, ...(explanation.sdkMessage ? [`the SDK reports: ${explanation.sdkMessage}`] : [])],
    fix: failed?.fix,
    source: SOURCES.chain,
  });
  return explanation;
}

/** Where the SDK's chain goes when the pod's own mechanism is missing, or the error it stops on when AWS refuses. */
function fallback(inputs: WorkloadInputs, failed: Step | undefined, mechanism: Mechanism): NonNullable<WorkloadExplanation['fallback']> {
  const noCredentials = !failed || ['no-mechanism', 'not-injected', 'pod-created-before', 'other-service-account', 'sdk-too-old'].includes(failed.kind ?? '') || mechanism === 'none';
  if (!noCredentials) {
    // The chain goes on only past providers that report "not configured" (tryNextLink); an STS or agent refusal stops it.
    return { kind: 'error', detail: 'the SDK stops on this error; it does not fall back to the node role' };
  }
  const node = inputs.node;
  const hostNetwork = inputs.pod?.hostNetwork === true;
  if (node?.imdsDisabled) return { kind: 'none', detail: 'IMDS is disabled on the node: the SDK finds no credentials' };
  if (node?.imdsV2Required && node.imdsHopLimit !== undefined && node.imdsHopLimit < 2 && !hostNetwork) {
    return { kind: 'none', detail: `IMDSv2 is required with hop limit ${node.imdsHopLimit}, which a pod off the host network cannot reach: the SDK finds no credentials` };
  }
  const role = node?.roleArn;
  return {
    kind: 'node-role',
    roleArn: role,
    detail: `the SDK falls back to IMDS and gets the node role${role ? ` ${role}` : ''}${node?.imdsHopLimit === undefined ? ', unless IMDS is blocked for pods (IMDSv2 required with hop limit 1)' : ''}: calls fail with AccessDenied naming the node role`,
  };
}

/**
 * Explains many service accounts of one cluster: associations are indexed once by namespace/name and each trust
 * policy is parsed once, so the work grows with the number of service accounts, not with its square.
 */
export function explainServiceAccounts(
  base: Omit<WorkloadInputs, 'serviceAccount' | 'association' | 'pod'>,
  serviceAccounts: WorkloadInputs['serviceAccount'][],
  associations: PodIdentityAssociationInfo[] | undefined,
): { serviceAccount: string; explanation: WorkloadExplanation }[] {
  const index = new Map<string, PodIdentityAssociationInfo>();
  for (const a of associations ?? []) index.set(`${a.namespace}/${a.serviceAccount}`, a);
  const cache: PolicyCache = new Map();
  return serviceAccounts.map((sa) => {
    const key = `${sa.namespace}/${sa.name}`;
    const association = associations ? (index.get(key) ?? null) : undefined;
    return { serviceAccount: key, explanation: explainWorkload({ ...base, serviceAccount: sa, association }, cache) };
  });
}
