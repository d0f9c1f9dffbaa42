/**
 * The doctor's dependencies on a real machine: the PATH, the shared AWS config and the SSO token cache as the SDK
 * reads them, STS and EKS through the real SDK clients with the context's own credentials, and the cluster through
 * `@kubernetes/client-node`. Shared by the extension and the CLI; the model's explanation is passed in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromEnv, fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { ApiException, AuthenticationV1Api, AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { getSSOTokenFromFile, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsTarget } from '../aws/clients';
import { getEksToken, TokenCredentials } from '../aws/token';
import type { ClusterAsk, DoctorDeps, KubeAnswer } from './doctor';

async function executable(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file, fs.constants.X_OK);
    return (await fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The file the command resolves to on PATH, as a shell would find it (PATHEXT on Windows). */
export async function findOnPath(command: string, env: Record<string, string | undefined>, platform = process.platform): Promise<string | undefined> {
  const exts = platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  if (command.includes('/') || (platform === 'win32' && command.includes('\\'))) {
    for (const ext of exts) if (await executable(command + ext)) return command + ext;
    return undefined;
  }
  for (const dir of (env.PATH ?? '').split(platform === 'win32' ? ';' : ':')) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (await executable(candidate)) return candidate;
    }
  }
  return undefined;
}

function reason(e: unknown): { code: number; message: string } {
  if (e instanceof ApiException) {
    let text = '';
    try {
      text = (typeof e.body === 'string' ? (JSON.parse(e.body) as { message?: string }).message : (e.body as { message?: string } | undefined)?.message) ?? '';
    } catch {
      text = String(e.body).slice(0, 200);
    }
    return { code: e.code, message: text || `HTTP ${e.code}` };
  }
  return { code: 0, message: (e as Error).message };
}

function askCluster(server: string, caData: string | undefined, token: string): ClusterAsk {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, caData, skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const answer = async <T>(call: () => Promise<T>): Promise<KubeAnswer<T>> => {
    try {
      return { ok: true, value: await call() };
    } catch (e) {
      return { ok: false, ...reason(e) };
    }
  };
  return {
    whoami: () =>
      answer(async () => {
        const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
        const info = review.status?.userInfo ?? {};
        return { username: info.username ?? '', groups: info.groups ?? [], uid: info.uid };
      }),
    rules: (namespace) =>
      answer(async () => {
        const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectRulesReview({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } } });
        return (review.status?.resourceRules ?? []).map((r) => `${(r.verbs ?? []).join(',')} ${(r.resources ?? []).join(',')}`);
      }),
    canI: (q) =>
      answer(async () => {
        const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: q.verb, resource: q.resource, namespace: q.namespace, group: q.group } } },
        });
        return { allowed: !!review.status?.allowed, reason: review.status?.reason };
      }),
  };
}

export interface NodeDoctorOptions {
  env: Record<string, string | undefined>;
  endpoints?: AwsTarget['endpoints'];
  explainDenied: DoctorDeps['explainDenied'];
  now?: () => number;
}

export function nodeDoctorDeps(options: NodeDoctorOptions): DoctorDeps {
  const { env, endpoints = {} } = options;
  const stsClient = (credentials: TokenCredentials, region: string) => new STSClient({ region, credentials, maxAttempts: 3, ...(endpoints.sts ? { endpoint: endpoints.sts } : {}) });
  return {
    env,
    now: options.now ?? Date.now,
    findOnPath: (command) => findOnPath(command, env),
    async profile(name) {
      const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
      const key = name ?? env.AWS_PROFILE ?? 'default';
      const c = { ...credentialsFile[key], ...configFile[key] } as Record<string, string | undefined>;
      const exists = key in configFile || key in credentialsFile;
      const id = c.sso_session ?? c.sso_start_url;
      if (!id) return { exists, region: c.region };
      const cached = await getSSOTokenFromFile(id).catch(() => undefined);
      const expiresAt = cached?.expiresAt ? new Date(cached.expiresAt) : undefined;
      return { exists, region: c.region, sso: { expiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : undefined, startUrl: c.sso_start_url } };
    },
    async credentials(profile) {
      // Environment credentials win over AWS_PROFILE in the CLIs, as in the SDK's chain.
      const provider = profile === undefined ? (env.AWS_ACCESS_KEY_ID ? fromEnv() : fromNodeProviderChain()) : fromIni({ profile, ignoreCache: true });
      return provider();
    },
    async assumeRole(credentials, roleArn, region) {
      const out = await stsClient(credentials, region).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `eks-auth-doctor-${Date.now()}` }));
      const c = out.Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
    },
    async callerIdentity(credentials, region) {
      const out = await stsClient(credentials, region).send(new GetCallerIdentityCommand({}));
      return { arn: out.Arn ?? '', account: out.Account ?? '' };
    },
    async describeCluster(credentials, region, name) {
      const eks = new EKSClient({ region, credentials, maxAttempts: 3, ...(endpoints.eks ? { endpoint: endpoints.eks } : {}) });
      const c = (await eks.send(new DescribeClusterCommand({ name }))).cluster;
      return { arn: c?.arn, endpoint: c?.endpoint, caData: c?.certificateAuthority?.data, status: c?.status };
    },
    eksToken: getEksToken,
    cluster: askCluster,
    explainDenied: options.explainDenied,
  };
}
