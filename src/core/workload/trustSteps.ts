/**
 * A trust policy's answer as a step of the explanation: the policy read once per text, and for a request it does not
 * allow, the statement that comes closest and what it is missing (the evaluation itself is trustEvaluation.ts).
 */
import type { PodIdentityAssociationInfo, Step, WorkloadInputs } from './model';
import { PolicyReadError, readTrustPolicy, type PolicyDocument } from './policyDocument';
import { evaluateTrust, nearestAllow, type StatementCheck, type TrustDecision, type TrustRequest } from './trustEvaluation';

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
export function trustStep(base: Omit<Step, 'verdict' | 'evidence' | 'kind'>, decision: TrustDecision, policy: PolicyDocument, req: TrustRequest, expectPrincipal: string, evidence: string[]): Step {
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
export function trustPolicyOf(base: Omit<Step, 'verdict' | 'evidence' | 'kind'>, roleArn: string | undefined, text: string | undefined, inputs: WorkloadInputs, cache: PolicyCache, missingFix: string, notGiven: string[] = []): PolicyDocument | Step {
  if (roleArn && inputs.missingRoles?.includes(roleArn)) return { ...base, verdict: 'fail', kind: 'role-missing', evidence: [`GetRole: the role ${roleArn} does not exist`], fix: missingFix };
  if (text === undefined) return { ...base, verdict: 'unknown', kind: 'not-checked', evidence: ['the trust policy was not given', ...notGiven] };
  const policy = policyFor(text, cache);
  return policy instanceof PolicyReadError ? { ...base, verdict: 'fail', kind: 'policy-unreadable', evidence: [policy.message] } : policy;
}

/**
 * sts:AssumeRole, then sts:TagSession when session tags are on: Pod Identity passes its tags on the first
 * AssumeRole and on the target role's (pod-id-role, pod-id-assign-target-role). `tagSessionFailed` says which failed.
 */
export function assumeWithTags(base: Omit<Step, 'verdict' | 'evidence' | 'kind'>, policy: PolicyDocument, assume: TrustRequest, expect: string, evidence: string[], tags: boolean): { step: Step; tagSessionFailed: boolean } {
  const step = trustStep(base, evaluateTrust(policy, assume), policy, assume, expect, evidence);
  if (step.verdict !== 'ok' || !tags) return { step, tagSessionFailed: false };
  const tag: TrustRequest = { ...assume, action: 'sts:TagSession' };
  const tagStep = trustStep(base, evaluateTrust(policy, tag), policy, tag, expect, step.evidence);
  return { step: tagStep, tagSessionFailed: tagStep.verdict === 'fail' };
}

export function podIdentityContext(inputs: WorkloadInputs, association: PodIdentityAssociationInfo): { context: Record<string, string | string[]>; unknownKeys: string[] } {
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
