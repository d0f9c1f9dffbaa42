/**
 * Step 3: whether AWS lets the pod in: the IAM OIDC provider and the role's trust of it for
 * sts:AssumeRoleWithWebIdentity (IRSA; EKS User Guide, enable-iam-roles-for-service-accounts and
 * associate-service-account-role), or the role's trust of pods.eks.amazonaws.com with sts:AssumeRole and
 * sts:TagSession, then a target role's trust (Pod Identity; pod-id-role, pod-id-assign-target-role).
 */
import { DEFAULT_IRSA_AUDIENCE, IRSA_ANNOTATIONS, POD_IDENTITY_SERVICE } from './model';
import type { OidcProviderInfo, Step } from './model';
import { SDK_MESSAGES, SOURCES } from './sources';
import { irsaRoleInUse, issuerHostPath, parseRoleArn, type Subject } from './subject';
import { evaluateTrust, type TrustRequest } from './trustEvaluation';
import { assumeWithTags, podIdentityContext, trustPolicyOf, trustStep, type PolicyCache } from './trustSteps';

/** What the trust steps leave for the outcome: whether AWS lets the pod in, as which role, and the SDK's message if not. */
export interface TrustResult {
  trustOk: boolean;
  roleArn: string | undefined;
  sdkMessage: string | undefined;
}

/**
 * The IAM OIDC provider an IRSA pod's token needs: in the role's account, keyed by the issuer without its scheme. STS
 * looks for it in the role's account, so a role in another account needs that account's own provider for the
 * cluster's issuer (EKS User Guide, cross-account-access "Authenticate to another account with IRSA", option 1).
 */
export interface IrsaProvider {
  hostPath: string | undefined;
  account: string | undefined;
  /** The ARN the provider has, or would have when created. */
  providerArn: string | undefined;
  /** The account's provider for the issuer, when the providers were read and one matches. */
  provider: OidcProviderInfo | undefined;
  /**
   * The role is in another account than the cluster's: the cluster account's providers say nothing about it, and no
   * fix creates or changes a provider there.
   */
  otherAccount: boolean;
  /** The providers of the role's account, when they were read: the cluster account's, or another's with the user's profile there. */
  providers: OidcProviderInfo[] | undefined;
  /** The user's profile that read another account's providers. */
  readWith: string | undefined;
}

export function irsaProviderOf(s: Subject): IrsaProvider {
  const roleArn = irsaRoleInUse(s);
  const role = roleArn ? parseRoleArn(roleArn) : undefined;
  const issuer = s.inputs.cluster.oidcIssuer;
  const hostPath = issuer ? issuerHostPath(issuer) : undefined;
  const clusterAccount = s.inputs.cluster.accountId;
  const account = role?.account ?? clusterAccount;
  const otherAccount = !!role && !!clusterAccount && role.account !== clusterAccount;
  const providerArn = hostPath && account ? `arn:${role?.partition ?? 'aws'}:iam::${account}:oidc-provider/${hostPath}` : undefined;
  // A provider counts only in the role's account: by its ARN when it has one, else as one of the cluster account's.
  const other = otherAccount && roleArn ? s.inputs.otherAccountRoles?.[roleArn] : undefined;
  const providers = otherAccount ? other?.oidcProviders : s.inputs.oidcProviders;
  const inRoleAccount = (p: OidcProviderInfo) => !p.arn || p.arn.split(':')[4] === account;
  const provider = hostPath ? providers?.find((p) => inRoleAccount(p) && (issuerHostPath(p.url) === hostPath || (providerArn !== undefined && p.arn === providerArn))) : undefined;
  return { hostPath, account, providerArn, provider, otherAccount, providers, readWith: other?.oidcProviders ? other.profile : undefined };
}

/** Which profiles the explorer uses, as the tree resolves them (README, "eksAuth.profiles"). */
const EXPLORER_PROFILES = 'those in eksAuth.profiles, or every profile of ~/.aws/config and ~/.aws/credentials when that setting is empty';

export function awsTrustSteps(s: Subject, steps: Step[], cache: PolicyCache): TrustResult {
  const { inputs, sa, who, audience, association, pod, mechanism } = s;
  let trustOk = false;
  let roleArn: string | undefined;
  let sdkMessage: string | undefined;
  if (mechanism === 'irsa') {
    roleArn = irsaRoleInUse(s);
    const { hostPath, account, providerArn, provider, otherAccount, providers, readWith } = irsaProviderOf(s);
    const other = otherAccount && roleArn ? inputs.otherAccountRoles?.[roleArn] : undefined;
    const inAccount = readWith ? [`read with profile ${readWith} (account ${account})`] : [];
    if (!hostPath) {
      steps.push({ id: 'oidc-provider', verdict: 'unknown', kind: 'oidc-issuer-unknown', title: "The cluster's OIDC issuer is not known", evidence: ['DescribeCluster identity.oidc.issuer was not given'], source: SOURCES.oidcProvider });
    } else if (otherAccount && !providers) {
      const why = other?.failed ? [`profile ${other.profile} (account ${account}) could not read them: ${other.failed}`] : other && !other.profile ? [`none of the explorer's profiles is in account ${account} (${EXPLORER_PROFILES})`] : [];
      steps.push({
        id: 'oidc-provider',
        verdict: 'unknown',
        kind: 'not-checked',
        title: `The role is in account ${account}: its IAM OIDC providers were not checked`,
        evidence: [
          `STS looks for the provider in the role's account: ${providerArn} must exist with ${audience} as a client ID`,
          `the providers read are those of the cluster's account ${inputs.cluster.accountId}, which do not count for a role in account ${account}`,
          ...why,
        ],
        fix: `In account ${account}, create an IAM OIDC provider for https://${hostPath} with client ID ${audience} if it has none.`,
        source: SOURCES.crossAccountIrsa,
      });
    } else if (!providers) {
      steps.push({ id: 'oidc-provider', verdict: 'unknown', kind: 'not-checked', title: 'IAM OIDC providers were not checked', evidence: [`the role needs ${providerArn ?? `a provider for ${hostPath}`}`], source: SOURCES.oidcProvider });
    } else {
      if (!provider) {
        steps.push({
          id: 'oidc-provider',
          verdict: 'fail',
          kind: 'oidc-provider-missing',
          title: `IAM has no OIDC provider for the cluster's issuer in account ${account ?? '(unknown)'}`,
          evidence: [`issuer https://${hostPath}`, `providers in the account: ${providers.map((p) => issuerHostPath(p.url)).join(', ') || 'none'}`, ...inAccount],
          fix: otherAccount
            ? `In account ${account}: aws iam create-open-id-connect-provider --url https://${hostPath} --client-id-list ${[...new Set([DEFAULT_IRSA_AUDIENCE, audience])].join(' ')}${readWith ? ` --profile ${readWith}` : ''}`
            : `eksctl utils associate-iam-oidc-provider --cluster ${inputs.cluster.name ?? 'CLUSTER'} --approve (or aws iam create-open-id-connect-provider --url https://${hostPath} --client-id-list ${[...new Set([DEFAULT_IRSA_AUDIENCE, audience])].join(' ')})`,
          source: SOURCES.oidcProvider,
        });
        sdkMessage ??= SDK_MESSAGES.noProvider(`https://${hostPath}`);
      } else if (provider.clientIds && !provider.clientIds.includes(audience)) {
        steps.push({
          id: 'oidc-provider',
          verdict: 'fail',
          kind: 'oidc-client-id-missing',
          title: `The OIDC provider does not list ${audience} as a client ID`,
          evidence: [`client IDs: ${provider.clientIds.join(', ') || 'none'}`, `the token's audience is ${audience}`, ...inAccount],
          // Both are documented: the audience is the provider's client ID (IAM API Reference, AddClientIDToOpenIDConnectProvider),
          // and without the annotation the webhook asks for its default audience (amazon-eks-pod-identity-webhook README).
          fix: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn ?? providerArn} --client-id ${audience}${provider.clientIds.includes(DEFAULT_IRSA_AUDIENCE) ? `, or remove the ${IRSA_ANNOTATIONS.audience} annotation from ${who} and restart its pods so their token is for ${DEFAULT_IRSA_AUDIENCE}, which the provider lists` : ''}`,
          source: SOURCES.oidcProvider,
        });
        sdkMessage ??= SDK_MESSAGES.audience;
      } else {
        steps.push({ id: 'oidc-provider', verdict: 'ok', title: 'IAM has an OIDC provider for the issuer', evidence: [provider.arn ?? `https://${hostPath}`, ...(provider.clientIds ? [`client IDs include ${audience}`] : []), ...inAccount], source: otherAccount ? SOURCES.crossAccountIrsa : SOURCES.oidcProvider });
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
      const other = inputs.otherAccountRoles?.[target];
      const readWith = other?.profile ? [`read with profile ${other.profile} (account ${other.account})${other.failed ? `, which failed: ${other.failed}` : ''}`] : [];
      const policy = trustPolicyOf(tbase, target, inputs.trustPolicies?.[target], inputs, cache, 'Create the target role, or update the association.', [...readWith, permissionNote]);
      if (!('statements' in policy)) {
        const unreachable = other && !other.profile && policy.kind === 'not-checked';
        steps.push(
          unreachable
            ? { ...policy, evidence: [`${target} is in account ${other.account}; the cluster account's credentials cannot read it, and none of the explorer's profiles is in account ${other.account} (${EXPLORER_PROFILES})`, permissionNote], fix: `Add a profile for account ${other.account} (to ~/.aws/config, and to eksAuth.profiles when that setting lists profiles) to check this step.` }
            : policy,
        );
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
        let { step } = assumeWithTags(tbase, policy, assume, `AWS ${association.roleArn}`, [`assumed by ${association.roleArn}`, ...readWith, permissionNote], !association.disableSessionTags);
        if (step.verdict === 'fail') step = { ...step, kind: 'target-trust', fix: `Let ${association.roleArn} assume ${target}: trust it in the target role with sts:AssumeRole${association.disableSessionTags ? '' : ' and sts:TagSession'}.` };
        steps.push(step);
        trustOk = trustOk && step.verdict === 'ok';
        roleArn = target;
        if (step.verdict === 'fail') sdkMessage ??= SDK_MESSAGES.podIdentityDenied;
      }
    }
  }
  return { trustOk, roleArn, sdkMessage };
}
