/**
 * Where each step of the workload identity explanation comes from (EKS User Guide pages, the webhook and agent
 * repositories) and the messages the SDKs show, as users reported them upstream.
 */
const DOCS = 'https://docs.aws.amazon.com/eks/latest/userguide/';
export const SOURCES = {
  howItWorks: `${DOCS}pod-id-how-it-works.html`,
  webhook: 'https://github.com/aws/amazon-eks-pod-identity-webhook/blob/master/pkg/handler/handler.go',
  webhookReadme: 'https://github.com/aws/amazon-eks-pod-identity-webhook#usage',
  agentSetup: `${DOCS}pod-id-agent-setup.html`,
  considerations: `${DOCS}pod-identities.html#pod-id-considerations`,
  oidcProvider: `${DOCS}enable-iam-roles-for-service-accounts.html`,
  irsaTrust: `${DOCS}associate-service-account-role.html`,
  crossAccountIrsa: `${DOCS}cross-account-access.html`,
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
