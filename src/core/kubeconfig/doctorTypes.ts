/**
 * The doctor's vocabulary: the six steps of the EKS authentication flow, the report of one context, and what the
 * doctor asks of the world (its injected dependencies). The steps follow the flow of kubectl's exec credential
 * provider (kubernetes/client-go plugin/pkg/client/auth/exec/exec.go) and aws-iam-authenticator's server
 * (pkg/server/server.go: token verification, then the mapper chain), ending in the API server's RBAC answer.
 */
import type { AccessExplanation } from '../access/explain';
import type { TokenCredentials } from '../aws/token';
import type { ExecPlugin } from './execPlugin';
import type { ExecOutcome } from './execRunner';

import type { ClusterEntry, ExecSpec } from './kubeconfig';

export type StepId = 'request' | 'exec' | 'token' | 'sts' | 'mapping' | 'rbac';
export type StepStatus = 'pass' | 'fail' | 'warn' | 'skip';

export type DoctorFix =
  | { kind: 'ssoLogin'; label: string; profile: string; /** The aws the plugin runs, so the login is for the same CLI. */ aws: string }
  | { kind: 'installAwsCli'; label: string; url: string }
  | { kind: 'rewriteExec'; label: string; file: string; user: string; exec: ExecSpec }
  /** `aws eks update-kubeconfig` in a terminal, writing `file` (the context's) and making `context` current. */
  | { kind: 'updateKubeconfig'; label: string; argv: string[]; file: string; context: string }
  /** The context's own cluster entry repaired in place with EKS's endpoint and CA, behind a diff and a backup. */
  | { kind: 'repairCluster'; label: string; file: string; cluster: string; server: string; caData?: string }
  | { kind: 'createAccessEntry' | 'openAwsAuth'; label: string; cluster: { profile?: string; region: string; cluster: string }; principalArn: string };

export interface DoctorStep {
  id: StepId;
  title: string;
  status: StepStatus;
  evidence: string[];
  fixes: DoctorFix[];
}

export interface ContextReport {
  context: string;
  current: boolean;
  /** `not-eks`: the context does not make EKS tokens, so there is nothing of ours to check. */
  verdict: 'ok' | 'fail' | 'warn' | 'not-eks';
  summary: string;
  plugin?: ExecPlugin;
  identityArn?: string;
  username?: string;
  groups?: string[];
  steps: DoctorStep[];
  /** The IAM Identity Center session of the context's profile, when the doctor read its cache (ISO time; null: none). */
  ssoSessionExpiresAt?: string | null;
}

export const STEP_TITLES: Record<StepId, string> = {
  request: '1. kubectl sends the request to the cluster in the kubeconfig',
  exec: '2. The exec plugin makes a token from a presigned STS GetCallerIdentity request',
  token: '3. The API server hands the token to the authenticator',
  sts: '4. The authenticator asks STS who is calling',
  mapping: '5. An access entry or aws-auth maps the IAM principal to a username and groups',
  rbac: '6. RBAC authorises the request',
};

export interface AccessQuestion {
  verb: string;
  resource: string;
  namespace?: string;
  group?: string;
}

export type NetworkFailure = 'tls' | 'timeout' | 'refused' | 'dns' | 'proxy' | 'reset' | 'other';

/** A Kubernetes API answer, or the HTTP status and message it refused with (`code` 0: no HTTP answer at all). */
export type KubeAnswer<T> = { ok: true; value: T } | { ok: false; code: number; message: string; network?: NetworkFailure };

export interface ClusterAsk {
  /** SelfSubjectReview (authentication.k8s.io/v1, served from Kubernetes 1.28; 404 before). */
  whoami(): Promise<KubeAnswer<{ username: string; groups: string[]; uid?: string }>>;
  canI(q: AccessQuestion): Promise<KubeAnswer<{ allowed: boolean; reason?: string }>>;
  /** SelfSubjectRulesReview: what the identity may do in a namespace, as `verbs resources` lines. */
  rules(namespace: string): Promise<KubeAnswer<string[]>>;
}

/** STS's answer to the token's presigned GetCallerIdentity, as the authenticator gets it. */
export type StsAnswer = { ok: true; arn: string; account: string; userId?: string } | { ok: false; status: number; code: string; message: string; network?: NetworkFailure };

export interface SsoSession {
  /** The IAM Identity Center session's end, from the SSO token cache; undefined when no cached token was found. */
  expiresAt?: Date;
  startUrl?: string;
}

/** What the doctor asks of the world. The prediction members serve only to explain a plugin that did not run or failed. */
export interface DoctorDeps {
  /** The editor's environment, which a plugin inherits (PATH, AWS_PROFILE, AWS_REGION...). */
  env: Record<string, string | undefined>;
  now(): number;
  /** `true` when the exec plugin of this kubeconfig file may run now; otherwise why it may not. */
  mayRunPlugin(file: string): true | string;
  runPlugin(o: { exec: ExecSpec; userName: string; cluster: ClusterEntry; timeoutMs: number; signal: AbortSignal }): Promise<ExecOutcome>;
  findOnPath(command: string): Promise<string | undefined>;
  /** The major version of an awscli (`aws --version`: "aws-cli/2.9.19 ..."); undefined when it cannot be told. */
  awsCliMajor?(command: string): Promise<number | undefined>;
  /** The STS endpoint the user chose, if any: tokens go there instead of to the host they name. */
  stsEndpoint?: string;
  /** GET of the token's presigned URL with the x-k8s-aws-id header, as the authenticator replays it. */
  tokenIdentity(url: URL, clusterId: string, signal: AbortSignal): Promise<StsAnswer>;
  cluster(entry: ClusterEntry, token: string, signal: AbortSignal): ClusterAsk;
  /** Prediction: the profile as the shared config files define it; `exists` false when they do not. */
  profile(name: string | undefined): Promise<{ exists: boolean; region?: string; sso?: SsoSession }>;
  /** Prediction: the credentials the plugin's environment resolves to (`profile` undefined: the default chain over `env`). */
  credentials(profile: string | undefined, env: Record<string, string | undefined>): Promise<TokenCredentials & { expiration?: Date }>;
  assumeRole(credentials: TokenCredentials, roleArn: string, region: string | undefined, sessionName: string): Promise<TokenCredentials & { expiration?: Date }>;
  /** `region` undefined: the global endpoint, as awscli uses without a region. */
  callerIdentity(credentials: TokenCredentials, region: string | undefined): Promise<{ arn: string; account: string }>;
  describeCluster(credentials: TokenCredentials, region: string, name: string, signal?: AbortSignal): Promise<{ arn?: string; endpoint?: string; caData?: string; status?: string }>;
  /** The authenticator model's explanation for a principal the cluster refused; undefined when it cannot be read. */
  explainDenied(cluster: { profile?: string; region: string; cluster: string; account?: string }, principalArn: string): Promise<AccessExplanation | undefined>;
}

export interface DoctorOptions {
  signal?: AbortSignal;
  /** Each network step's limit (a request, an STS call); 20 s unless set. */
  stepTimeoutMs?: number;
  /** The plugin's limit; 60 s unless set (a plugin may wait for a browser or MFA, which the doctor cannot give it). */
  pluginTimeoutMs?: number;
}

/** AWS's page for installing awscli v2 ("Installing or updating to the latest version of the AWS CLI"). */
export const AWSCLI_INSTALL_URL = 'https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html';

/** awscli's AssumeRole session name for `aws eks get-token --role-arn` (awscli customizations/eks/get_token.py). */
export const AWSCLI_ROLE_SESSION_NAME = 'EKSGetTokenAuth';

export function formatAge(ms: number): string {
  const abs = Math.abs(ms);
  const text = abs < 90_000 ? `${Math.round(abs / 1000)} s` : abs < 90 * 60_000 ? `${Math.round(abs / 60_000)} min` : abs < 48 * 3600_000 ? `${Math.round(abs / 3600_000)} h` : `${Math.round(abs / 86400_000)} days`;
  return ms >= 0 ? `expires in ${text}` : `expired ${text} ago`;
}

/**
 * The region and account of an EKS cluster ARN (`arn:aws:eks:REGION:ACCOUNT:cluster/NAME`), the name
 * `aws eks update-kubeconfig` gives a kubeconfig's cluster, user and context entries; undefined for any other name.
 */
export function clusterArnParts(name: string): { region: string; account: string } | undefined {
  const m = /^arn:aws[\w-]*:eks:([^:]*):(\d{12}):cluster\//.exec(name);
  return m ? { region: m[1], account: m[2] } : undefined;
}

/** Whether a text has the shape of an AWS region (`us-west-2`, `cn-north-1`, `us-gov-east-1`). */
export const isRegionName = (text: string): boolean => /^[a-z]{2}(?:-[a-z]+)+-\d$/.test(text);

/** The region in an EKS endpoint host (`ABC.gr7.us-west-2.eks.amazonaws.com`), a hint when the exec names none. */
export function regionOfEndpoint(server: string): string | undefined {
  return /\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com(?:\.cn)?(?::\d+)?(?:\/|$)/.exec(server)?.[1];
}
