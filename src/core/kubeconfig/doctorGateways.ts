/**
 * The doctor's dependencies on a real machine: the exec plugin run as client-go runs it, STS asked with the token's
 * own presigned request, the cluster reached with every connection field through `@kubernetes/client-node`; and, for
 * the prediction that explains a failed plugin, the shared AWS config and SSO token cache as the SDK reads them with
 * STS and EKS through the real SDK clients. Every network call takes the step's AbortSignal. Shared by the extension
 * and the CLI; the model's explanation is passed in.
 */
import { execFile } from 'child_process';
import * as http from 'http';
import * as https from 'https';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { KubeConfig } from '@kubernetes/client-node';
import { getSSOTokenFromFile, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import type { AwsTarget } from '../aws/clients';
import type { TokenCredentials } from '../aws/token';
import type { AccessQuestion, ClusterAsk, DoctorDeps, KubeAnswer, NetworkFailure, StsAnswer } from './doctor';
import { lookPath, runExecPlugin } from './execRunner';
import type { ClusterEntry } from './kubeconfig';

/** Node's error codes for a request that got no HTTP answer, sorted the way a user acts on them. */
export function networkFailure(e: unknown, viaProxy: boolean): NetworkFailure {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err?.code ?? err?.cause?.code ?? '';
  const text = String(err?.message ?? '');
  if (err?.name === 'AbortError' || code === 'ABORT_ERR' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout';
  if (/^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/.test(code) || /certificate|SSL routines|TLS/i.test(text)) return 'tls';
  if (viaProxy && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || /proxy/i.test(text))) return 'proxy';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'reset';
  return 'other';
}

/**
 * One request to the API server with the kubeconfig's connection fields applied by @kubernetes/client-node itself
 * (KubeConfig.applyToHTTPSOptions: CA file or data, insecure-skip-tls-verify, tls-server-name as SNI, client
 * certificates, and proxy-url through its proxy agents), so the doctor connects as client-node and kubectl connect.
 */
/**
 * Connection options per set of connection fields, made once by client-node and shared by every request of a run:
 * requests to one cluster then reuse a kept-alive TLS connection, as kubectl's transport does.
 */
const connections = new Map<string, Promise<https.RequestOptions>>();

function connectionOptions(entry: ClusterEntry): Promise<https.RequestOptions> {
  const key = JSON.stringify([entry.server, entry.caData, entry.caFile, entry.skipTLSVerify, entry.tlsServerName, entry.proxyUrl]);
  let made = connections.get(key);
  if (!made) {
    made = (async () => {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: entry.server, caData: entry.caData, caFile: entry.caFile, skipTLSVerify: entry.skipTLSVerify, tlsServerName: entry.tlsServerName, proxyUrl: entry.proxyUrl }],
        users: [{ name: 'u' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      const opts: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      // client-node's plain agent is made without keep-alive; the proxy agents keep their own sockets.
      if (opts.agent instanceof http.Agent) (opts.agent as http.Agent & { keepAlive: boolean }).keepAlive = true;
      return opts;
    })();
    connections.set(key, made);
    // A CA file that changed, or a failure, is read again on the next run.
    setTimeout(() => connections.delete(key), 60_000).unref();
    made.catch(() => connections.delete(key));
  }
  return made;
}

async function kubeRequest<T>(entry: ClusterEntry, token: string, signal: AbortSignal, method: string, apiPath: string, body: unknown, read: (json: unknown) => T): Promise<KubeAnswer<T>> {
  let opts: https.RequestOptions;
  try {
    opts = await connectionOptions(entry);
  } catch (e) {
    // A CA file that cannot be read, or http:// without insecure-skip-tls-verify: kubectl fails on these too.
    return { ok: false, code: 0, message: (e as Error).message, network: /ENOENT|EACCES|certificate/i.test((e as Error).message) ? 'tls' : 'other' };
  }
  const url = new URL(apiPath, entry.server.endsWith('/') ? entry.server : `${entry.server}/`);
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const mod = url.protocol === 'http:' ? http : https;
    const req = mod.request(url, { ...opts, method, signal, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => resolve({ ok: false, code: 0, message: e.message, network: networkFailure(e, !!entry.proxyUrl) }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ ok: true, value: read(json) });
        else resolve({ ok: false, code: status, message: (json as { message?: string } | undefined)?.message || `HTTP ${status}` });
      });
    });
    req.on('error', (e) => resolve({ ok: false, code: 0, message: e.message, network: networkFailure(e, !!entry.proxyUrl) }));
    req.end(payload);
  });
}

function askCluster(entry: ClusterEntry, token: string, signal: AbortSignal): ClusterAsk {
  return {
    whoami: () =>
      kubeRequest(entry, token, signal, 'POST', 'apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, (j) => {
        const info = (j as { status?: { userInfo?: { username?: string; groups?: string[]; uid?: string } } } | undefined)?.status?.userInfo ?? {};
        return { username: info.username ?? '', groups: info.groups ?? [], uid: info.uid };
      }),
    rules: (namespace) =>
      kubeRequest(entry, token, signal, 'POST', 'apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } }, (j) =>
        ((j as { status?: { resourceRules?: { verbs?: string[]; resources?: string[] }[] } } | undefined)?.status?.resourceRules ?? []).map((r) => `${(r.verbs ?? []).join(',')} ${(r.resources ?? []).join(',')}`),
      ),
    canI: (q: AccessQuestion) =>
      kubeRequest(entry, token, signal, 'POST', 'apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: q.verb, resource: q.resource, namespace: q.namespace, group: q.group } } }, (j) => {
        const st = (j as { status?: { allowed?: boolean; reason?: string } } | undefined)?.status;
        return { allowed: !!st?.allowed, reason: st?.reason };
      }),
  };
}

const xmlValue = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/**
 * The authenticator's replay of a token (aws-iam-authenticator pkg/token/token.go, Verify): GET the presigned URL
 * with the x-k8s-aws-id header, and read the caller from STS's GetCallerIdentity answer. With an STS endpoint the
 * user chose, the request goes there with the token's own Host, which the signature covers.
 */
export function getTokenIdentity(url: URL, clusterId: string, signal: AbortSignal, endpoint?: string): Promise<StsAnswer> {
  const target = endpoint ? new URL(`${url.pathname}${url.search}`, endpoint) : url;
  return new Promise((resolve) => {
    const mod = target.protocol === 'http:' ? http : https;
    const req = mod.request(target, { method: 'GET', signal, headers: { host: url.host, 'x-k8s-aws-id': clusterId, accept: 'application/xml' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const xml = Buffer.concat(chunks).toString('utf8').slice(0, 64 << 10);
        const status = res.statusCode ?? 0;
        const arn = xmlValue(xml, 'Arn');
        if (status === 200 && arn) resolve({ ok: true, arn, account: xmlValue(xml, 'Account') ?? arn.split(':')[4] ?? '', userId: xmlValue(xml, 'UserId') });
        else resolve({ ok: false, status, code: xmlValue(xml, 'Code') ?? `HTTP ${status}`, message: xmlValue(xml, 'Message') ?? '' });
      });
      res.on('error', (e) => resolve({ ok: false, status: 0, code: 'NetworkError', message: e.message, network: networkFailure(e, false) }));
    });
    req.on('error', (e) => resolve({ ok: false, status: 0, code: 'NetworkError', message: e.message, network: networkFailure(e, false) }));
    req.end();
  });
}

export interface NodeDoctorOptions {
  env: Record<string, string | undefined>;
  endpoints?: AwsTarget['endpoints'];
  explainDenied: DoctorDeps['explainDenied'];
  now?: () => number;
  /** Whether a kubeconfig file's plugin may run; the CLI runs them (the user asked), the extension decides per file. */
  mayRunPlugin?: DoctorDeps['mayRunPlugin'];
}

export function nodeDoctorDeps(options: NodeDoctorOptions): DoctorDeps {
  const { env } = options;
  // The endpoint the user chose: the extension's setting, else the SDK's own environment variables for configured
  // endpoints (AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL), which the SDK clients below also follow.
  const endpoints = { ...options.endpoints, sts: options.endpoints?.sts ?? env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL };
  // Without a region awscli signs for the global endpoint (sts.amazonaws.com); the SDK reaches it with us-east-1 and useGlobalEndpoint.
  const stsClient = (credentials: TokenCredentials, region: string | undefined) => new STSClient({ region: region ?? 'us-east-1', credentials, maxAttempts: 3, ...(region ? {} : { useGlobalEndpoint: true }), ...(endpoints.sts ? { endpoint: endpoints.sts } : {}) });
  return {
    env,
    now: options.now ?? Date.now,
    mayRunPlugin: options.mayRunPlugin ?? (() => true),
    runPlugin: (o) => runExecPlugin({ ...o, env }),
    findOnPath: (command) => lookPath(command, env),
    async awsCliMajor(command) {
      const file = await lookPath(command, env);
      if (!file) return undefined;
      // awscli v1 printed its version to stderr in older releases, v2 to stdout.
      const text = await new Promise<string>((resolve) => execFile(file, ['--version'], { env: env as NodeJS.ProcessEnv, timeout: 10_000 }, (_e, out, err) => resolve(`${out}${err}`)));
      const m = /aws-cli\/(\d+)\./.exec(text);
      return m ? Number(m[1]) : undefined;
    },
    stsEndpoint: endpoints.sts,
    tokenIdentity: (url, clusterId, signal) => getTokenIdentity(url, clusterId, signal, endpoints.sts),
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
    async credentials(profile, execEnv) {
      // Keys in the plugin's environment (the exec block's env over the editor's) win over AWS_PROFILE, as in awscli.
      if (profile === undefined && execEnv.AWS_ACCESS_KEY_ID && execEnv.AWS_SECRET_ACCESS_KEY) return { accessKeyId: execEnv.AWS_ACCESS_KEY_ID, secretAccessKey: execEnv.AWS_SECRET_ACCESS_KEY, sessionToken: execEnv.AWS_SESSION_TOKEN };
      const named = profile ?? execEnv.AWS_PROFILE;
      return (named ? fromIni({ profile: named, ignoreCache: true }) : fromNodeProviderChain())();
    },
    async assumeRole(credentials, roleArn, region, sessionName) {
      const out = await stsClient(credentials, region).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }));
      const c = out.Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
    },
    async callerIdentity(credentials, region) {
      const out = await stsClient(credentials, region).send(new GetCallerIdentityCommand({}));
      return { arn: out.Arn ?? '', account: out.Account ?? '' };
    },
    async describeCluster(credentials, region, name, signal) {
      const eks = new EKSClient({ region, credentials, maxAttempts: 3, ...(endpoints.eks ? { endpoint: endpoints.eks } : {}) });
      const c = (await eks.send(new DescribeClusterCommand({ name }), { abortSignal: signal })).cluster;
      return { arn: c?.arn, endpoint: c?.endpoint, caData: c?.certificateAuthority?.data, status: c?.status };
    },
    cluster: askCluster,
    explainDenied: options.explainDenied,
  };
}
