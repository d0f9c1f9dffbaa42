/** What the workload identity explanation reads (cluster, service account, association, pod) and what it answers. */

/** The Kubernetes annotations the IRSA webhook reads on a service account (amazon-eks-pod-identity-webhook pkg/annotations.go). */
export const IRSA_ANNOTATIONS = {
  roleArn: 'eks.amazonaws.com/role-arn',
  audience: 'eks.amazonaws.com/audience',
  regionalSts: 'eks.amazonaws.com/sts-regional-endpoints',
  tokenExpiration: 'eks.amazonaws.com/token-expiration',
  /** On the pod: containers the webhook leaves alone. */
  skipContainers: 'eks.amazonaws.com/skip-containers',
} as const;

/** The webhook's default token audience (`--token-audience`, README of amazon-eks-pod-identity-webhook). */
export const DEFAULT_IRSA_AUDIENCE = 'sts.amazonaws.com';
/** The audience of the projected token EKS Pod Identity mounts (EKS User Guide, pod-id-how-it-works). */
export const POD_IDENTITY_AUDIENCE = 'pods.eks.amazonaws.com';
export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

/** The EKS add-on that runs the Pod Identity Agent (EKS User Guide, pod-id-agent-setup). */
export const AGENT_ADDON = 'eks-pod-identity-agent';

export const ENV = {
  roleArn: 'AWS_ROLE_ARN',
  webIdentityTokenFile: 'AWS_WEB_IDENTITY_TOKEN_FILE',
  containerFullUri: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  containerTokenFile: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  profile: 'AWS_PROFILE',
} as const;

/**
 * The env values the explanation reads; every other variable is kept by name only, so a password or key set in a pod
 * spec never enters the model, let alone the output.
 */
const KEPT_VALUES = new Set<string>([ENV.roleArn, ENV.webIdentityTokenFile, ENV.containerFullUri, ENV.containerTokenFile, 'AWS_STS_REGIONAL_ENDPOINTS', 'AWS_REGION', 'AWS_DEFAULT_REGION']);

export function keptEnv(name: string, value: string | undefined): { name: string; value?: string } {
  return KEPT_VALUES.has(name) && value !== undefined ? { name, value } : { name };
}

export type Mechanism = 'pod-identity' | 'irsa' | 'none';

export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  annotations?: Record<string, string>;
}

/** DescribePodIdentityAssociation's `association`, the fields the explanation uses. */
export interface PodIdentityAssociationInfo {
  associationId?: string;
  associationArn?: string;
  clusterName?: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  disableSessionTags?: boolean;
  externalId?: string;
  createdAt?: string;
  modifiedAt?: string;
}

/** An IAM OIDC identity provider (GetOpenIDConnectProvider: Url without scheme, ClientIDList, ThumbprintList). */
export interface OidcProviderInfo {
  arn?: string;
  url: string;
  clientIds?: string[];
}

export interface ContainerInfo {
  name: string;
  /** Names and literal values; a value from a secret or field reference has no `value`. */
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
}

/** The parts of a Pod (`kubectl get pod -o json`) that decide what credentials its containers find. */
export interface PodInfo {
  name: string;
  namespace: string;
  uid?: string;
  creationTimestamp?: string;
  serviceAccountName?: string;
  hostNetwork?: boolean;
  nodeName?: string;
  annotations?: Record<string, string>;
  containers: ContainerInfo[];
  initContainers?: ContainerInfo[];
  volumes?: { name: string; projected?: { sources?: { serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string } }[] } }[];
}

/** The EKS Pod Identity Agent: the add-on (DescribeAddon) and whether its DaemonSet pod runs on the pod's node. */
export interface AgentInfo {
  /** DescribeAddon's status, or `absent` when DescribeAddon answered ResourceNotFoundException. */
  addonStatus?: string;
  runningOnNode?: boolean;
}

/** The SDK in the pod's container, `js-v3@3.450.0` style. */
export interface SdkInfo {
  sdk: string;
  version: string;
}

/** What the node offers a pod that finds no other credentials: its instance role through IMDS. */
export interface NodeInfo {
  roleArn?: string;
  /** The instance's IMDS PUT response hop limit (DescribeInstances MetadataOptions.HttpPutResponseHopLimit). */
  imdsHopLimit?: number;
  /** HttpTokens `required`: IMDSv2 only. */
  imdsV2Required?: boolean;
  imdsDisabled?: boolean;
}

export interface WorkloadInputs {
  cluster: { name?: string; arn?: string; region?: string; accountId?: string; oidcIssuer?: string };
  serviceAccount: ServiceAccountInfo;
  /** The association for the service account; `null` when the list was read and had none, undefined when not read. */
  association?: PodIdentityAssociationInfo | null;
  /** Trust policies by role ARN, as GetRole returns them (URL-encoded) or as written. */
  trustPolicies?: Record<string, string>;
  /**
   * An IRSA role's trust policy given without the role's ARN (the CLI's offline mode): the service account is taken
   * to use IRSA with that role, whose name stays unknown.
   */
  unnamedRoleTrustPolicy?: string;
  /** IAM's OIDC providers in the role's account; undefined when not read. */
  oidcProviders?: OidcProviderInfo[];
  pod?: PodInfo;
  /** The service account does not exist in the cluster (its pods cannot be created). */
  serviceAccountMissing?: boolean;
  /** Roles GetRole answered NoSuchEntity for. */
  missingRoles?: string[];
  /**
   * Roles in another account than the cluster's (a Pod Identity targetRoleArn), and the user's configured profile in
   * that account that read them; no `profile` when none of the configured profiles is in that account.
   */
  otherAccountRoles?: Record<
    string,
    {
      account: string;
      profile?: string;
      /** Why that profile could not read it. */
      failed?: string;
      /** For a cross-account IRSA role: that account's IAM OIDC providers, read with the same profile. */
      oidcProviders?: OidcProviderInfo[];
    }
  >;
  /** What could not be read, and the permission that would let it be read. */
  unreadable?: { what: string; permission: string; detail: string }[];
  agent?: AgentInfo;
  sdk?: SdkInfo;
  node?: NodeInfo;
}

export type StepId = 'read' | 'mechanism' | 'injection' | 'agent' | 'oidc-provider' | 'trust' | 'target-trust' | 'sdk' | 'outcome';
export type Verdict = 'ok' | 'fail' | 'warn' | 'unknown';

/** Every way the chain can break or wobble; tests and the UI branch on these, never on the wording. */
export type FindingKind =
  | 'no-mechanism'
  | 'both-mechanisms'
  | 'static-credentials-first'
  | 'other-service-account'
  | 'pod-created-before'
  | 'not-injected'
  | 'injected-other-role'
  | 'association-changed'
  | 'host-network'
  | 'agent-missing'
  | 'agent-degraded'
  | 'agent-not-running'
  | 'oidc-issuer-unknown'
  | 'oidc-provider-missing'
  | 'oidc-client-id-missing'
  | 'policy-unreadable'
  | 'trust-principal'
  | 'trust-action'
  | 'trust-condition'
  | 'trust-explicit-deny'
  | 'trust-tag-session'
  | 'role-other-account'
  | 'target-trust'
  | 'sdk-too-old'
  | 'not-checked'
  | 'not-permitted'
  | 'service-account-missing'
  | 'role-missing'
  | 'association-missing';

export interface Step {
  id: StepId;
  verdict: Verdict;
  /** Set whenever the verdict is not `ok`. */
  kind?: FindingKind;
  title: string;
  /** What was looked at, as facts; never a token or a credential. */
  evidence: string[];
  fix?: string;
  /** The upstream page or file the rule comes from. */
  source: string;
}

export interface WorkloadExplanation {
  works: boolean;
  mechanism: Mechanism;
  /** The role the pod's SDK ends up with (the target role for cross-account Pod Identity), or undefined. */
  roleArn?: string;
  steps: Step[];
  /** When it does not work: what the SDK falls back to, if anything. */
  fallback?: { kind: 'node-role' | 'none' | 'error'; detail: string; roleArn?: string };
  /** The error text an SDK shows for the first failure, as reported upstream. */
  sdkMessage?: string;
}

/** The pod template annotation `kubectl rollout restart` sets to the current time (kubectl pkg/polymorphichelpers/objectrestarter.go). */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
