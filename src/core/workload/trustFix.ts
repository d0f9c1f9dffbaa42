/**
 * The corrected trust policy for a role that does not let the pod in: the document as it is, with the statement the
 * EKS User Guide gives added (IRSA: associate-service-account-role, "Federated" provider with `sub` and `aud`
 * conditions; Pod Identity: pod-id-role, `pods.eks.amazonaws.com` with sts:AssumeRole and sts:TagSession, scoped
 * with `aws:RequestTag/eks-cluster-arn`, `kubernetes-namespace` and `kubernetes-service-account` unless session tags
 * are disabled, when no tag condition can hold and the confirmation says the statement is not scoped), or with
 * sts:TagSession added where only it is missing. Existing statements stay as written, so other service accounts that
 * use the role keep what they have. A correction is offered only when the model says it makes the step pass.
 */
import { explainWorkload } from './explain';
import { POD_IDENTITY_SERVICE, type FindingKind, type WorkloadExplanation, type WorkloadInputs } from './model';
import { decodePolicyText } from './policyDocument';
import { irsaRoleInUse, issuerHostPath, parseRoleArn, subjectOf, type Subject } from './subject';
import { podIdentityContext } from './trustSteps';

export interface TrustCorrection {
  roleArn: string;
  roleName: string;
  /** The document as IAM holds it now, and as it would be, both pretty-printed JSON for the diff. */
  before: string;
  after: string;
  /** One line per change, for the confirmation. */
  changes: string[];
}

/** The trust findings a statement added or extended can correct (an explicit Deny cannot be outvoted). */
export const CORRECTABLE_TRUST: FindingKind[] = ['trust-principal', 'trust-action', 'trust-condition', 'trust-tag-session'];

type RawStatement = Record<string, unknown>;

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The statements of a raw document, as a list (IAM accepts a single statement object). */
function statementsOf(doc: Record<string, unknown>): RawStatement[] {
  const s = doc.Statement;
  return (Array.isArray(s) ? s : s && typeof s === 'object' ? [s] : []) as RawStatement[];
}

function trustsPodIdentity(s: RawStatement): boolean {
  const p = s.Principal as Record<string, unknown> | undefined;
  return s.Effect === 'Allow' && !!p && typeof p === 'object' && list(p.Service).includes(POD_IDENTITY_SERVICE) && list(s.Action).includes('sts:AssumeRole');
}

/** The new statements (or the changed ones) for the failing step; undefined when no correction fits the case. */
function corrected(s: Subject, roleArn: string, kind: FindingKind, doc: Record<string, unknown>): { doc: Record<string, unknown>; changes: string[] } | undefined {
  const { inputs } = s;
  const statements = statementsOf(doc).map((st) => ({ ...st }));
  const changes: string[] = [];
  if (s.mechanism === 'irsa') {
    const role = parseRoleArn(roleArn);
    const issuer = inputs.cluster.oidcIssuer;
    if (!role || !issuer) return undefined;
    const hostPath = issuerHostPath(issuer);
    const provider = `arn:${role.partition}:iam::${role.account}:oidc-provider/${hostPath}`;
    const sub = `system:serviceaccount:${s.sa.namespace}:${s.sa.name}`;
    statements.push({ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${hostPath}:sub`]: sub, [`${hostPath}:aud`]: s.audience } } });
    changes.push(`add a statement: Allow sts:AssumeRoleWithWebIdentity from ${provider} for ${sub} with audience ${s.audience}`);
    return { doc: { ...doc, Statement: statements }, changes };
  }
  const association = s.association;
  if (s.mechanism !== 'pod-identity' || !association) return undefined;
  const tags = !association.disableSessionTags;
  const trusting = statements.filter(trustsPodIdentity);
  if (kind === 'trust-tag-session' && trusting.length) {
    for (const st of trusting) st.Action = [...list(st.Action), 'sts:TagSession'];
    changes.push(`add sts:TagSession to the Action of ${trusting.length === 1 ? 'the statement' : `the ${trusting.length} statements`} trusting ${POD_IDENTITY_SERVICE}`);
  } else {
    const statement: RawStatement = { Effect: 'Allow', Principal: { Service: POD_IDENTITY_SERVICE }, Action: tags ? ['sts:AssumeRole', 'sts:TagSession'] : 'sts:AssumeRole' };
    changes.push(`add a statement: Allow ${POD_IDENTITY_SERVICE} ${tags ? 'sts:AssumeRole and sts:TagSession' : 'sts:AssumeRole'}`);
    if (tags) {
      // Scoped by the session tags EKS Pod Identity adds (pod-id-role "Setting Conditions", pod-id-abac): the cluster,
      // then the namespace and service account, so the new trust reaches no other cluster or workload.
      const clusterArn = podIdentityContext(inputs, association).context['aws:RequestTag/eks-cluster-arn'];
      const scope: Record<string, string> = {};
      if (typeof clusterArn === 'string') scope['aws:RequestTag/eks-cluster-arn'] = clusterArn;
      scope['aws:RequestTag/kubernetes-namespace'] = association.namespace;
      scope['aws:RequestTag/kubernetes-service-account'] = association.serviceAccount;
      statement.Condition = { StringEquals: scope };
      changes.push(
        typeof clusterArn === 'string'
          ? `scoped by its session tags to cluster ${clusterArn}, namespace ${association.namespace} and service account ${association.serviceAccount}`
          : `scoped by its session tags to namespace ${association.namespace} and service account ${association.serviceAccount}; not to the cluster, whose ARN is not known, so the same names in another cluster of this account match too`,
      );
    } else {
      changes.push('not scoped: session tags are disabled on the association, so no aws:RequestTag condition can name the cluster, namespace or service account; any Pod Identity association that names this role can use it');
    }
    statements.push(statement);
  }
  return { doc: { ...doc, Statement: statements }, changes };
}

/** The correction for the explanation's failing trust step, checked with the model before it is offered. */
export function correctTrustPolicy(inputs: WorkloadInputs, explanation: WorkloadExplanation): TrustCorrection | undefined {
  const step = explanation.steps.find((st) => st.id === 'trust' && st.verdict === 'fail');
  if (!step?.kind || !CORRECTABLE_TRUST.includes(step.kind)) return undefined;
  const s = subjectOf(inputs);
  const roleArn = s.mechanism === 'pod-identity' ? s.association?.roleArn : irsaRoleInUse(s);
  const text = roleArn ? inputs.trustPolicies?.[roleArn] : undefined;
  if (!roleArn || text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(decodePolicyText(text));
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const role = parseRoleArn(roleArn);
  // The cluster account's credentials cannot update a role in another account (a cross-account IRSA role).
  if (!role || (inputs.cluster.accountId && role.account !== inputs.cluster.accountId)) return undefined;
  const fix = corrected(s, roleArn, step.kind, doc as Record<string, unknown>);
  if (!fix) return undefined;
  const after = JSON.stringify(fix.doc, null, 2);
  const check = explainWorkload({ ...inputs, trustPolicies: { ...inputs.trustPolicies, [roleArn]: after } });
  if (check.steps.find((st) => st.id === 'trust')?.verdict !== 'ok') return undefined;
  return { roleArn, roleName: role.name, before: JSON.stringify(doc, null, 2), after, changes: fix.changes };
}
