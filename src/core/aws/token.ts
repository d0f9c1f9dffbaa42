/**
 * The EKS bearer token: `k8s-aws-v1.` + base64url of a presigned STS GetCallerIdentity URL whose signature covers
 * the `x-k8s-aws-id: <cluster>` header. The API server's authenticator replays the URL against STS to learn who is
 * calling, so building it needs only credentials; no `aws` CLI and no network call.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { HttpRequest } from '@smithy/protocol-http';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** Presigned for 60 s like `aws eks get-token`; the authenticator itself accepts X-Amz-Date up to 15 minutes old. */
const PRESIGN_EXPIRES_SECONDS = 60;
export const TOKEN_LIFETIME_MS = 15 * 60_000;

export interface TokenCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The regional STS host of the region's partition, from the SDK's partition data (`sts.cn-north-1.amazonaws.com.cn`
 * in China): the authenticator accepts only STS hosts of its own partition (pkg/token/token.go, verifyHost).
 */
export function stsHost(region: string): string {
  const partition = awsEndpointFunctions.partition(region) as { dnsSuffix?: string } | undefined;
  return `sts.${region}.${partition?.dnsSuffix ?? 'amazonaws.com'}`;
}

function stsRequest(region: string, clusterName: string): HttpRequest {
  const host = stsHost(region);
  return new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: host,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host, [CLUSTER_ID_HEADER]: clusterName },
  });
}

function signer(region: string, credentials: TokenCredentials): SignatureV4 {
  return new SignatureV4({ service: 'sts', region, credentials, sha256: Sha256, uriEscapePath: true });
}

function toUrl(req: { protocol?: string; hostname?: string; path?: string; query?: Record<string, string | string[] | null> }): string {
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${req.protocol}//${req.hostname}${req.path}?${query}`;
}

/** Builds the token for a cluster. `signingDate` is a parameter so the token is a pure function of its inputs. */
export async function getEksToken(clusterName: string, region: string, credentials: TokenCredentials, signingDate = new Date()): Promise<string> {
  const presigned = await signer(region, credentials).presign(stsRequest(region, clusterName), {
    expiresIn: PRESIGN_EXPIRES_SECONDS,
    signingDate,
    // Only the cluster id header (and host) may be signed, or STS rejects the replayed URL.
    unhoistableHeaders: new Set([CLUSTER_ID_HEADER]),
  });
  return TOKEN_PREFIX + Buffer.from(toUrl(presigned), 'utf8').toString('base64url');
}

export interface DecodedToken {
  url: URL;
  accessKeyId: string;
  region: string;
  signedAt: Date;
  signedHeaders: string[];
  signature: string;
  sessionToken?: string;
}

/** Reads a token back into its parts; throws an Error naming what is wrong with a malformed one. */
export function decodeEksToken(token: string): DecodedToken {
  if (!token.startsWith(TOKEN_PREFIX)) throw new Error(`token does not start with ${TOKEN_PREFIX}`);
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new Error('token payload is not a URL');
  }
  const q = url.searchParams;
  if (q.get('Action') !== 'GetCallerIdentity') throw new Error('token is not a GetCallerIdentity request');
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request$/.exec(q.get('X-Amz-Credential') ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get('X-Amz-Date') ?? '');
  const signature = q.get('X-Amz-Signature');
  if (!credential || !date || !signature) throw new Error('token lacks X-Amz-Credential, X-Amz-Date or X-Amz-Signature');
  return {
    url,
    accessKeyId: credential[1],
    region: credential[3],
    signedAt: new Date(Date.UTC(+date[1], +date[2] - 1, +date[3], +date[4], +date[5], +date[6])),
    signedHeaders: (q.get('X-Amz-SignedHeaders') ?? '').split(';'),
    signature,
    sessionToken: q.get('X-Amz-Security-Token') ?? undefined,
  };
}

/**
 * Whether a token's STS host is one the authenticator would replay it to: the global `sts.amazonaws.com` in the aws
 * partition, or `sts.REGION.SUFFIX` / `sts-fips.REGION.SUFFIX` with the DNS suffix (or dual-stack suffix) of REGION's
 * own partition (aws-iam-authenticator pkg/token/token.go, verifyHost and the partition endpoints it builds). The
 * doctor sends a token nowhere else: a token names its own host, and a hostile kubeconfig plugin could name any.
 */
export function isStsHost(host: string): boolean {
  if (host === 'sts.amazonaws.com') return true;
  const m = /^sts(?:-fips)?\.([a-z0-9-]+)\.(.+)$/.exec(host);
  if (!m) return false;
  const partition = awsEndpointFunctions.partition(m[1]) as { dnsSuffix?: string; dualStackDnsSuffix?: string; name?: string } | undefined;
  // The SDK answers an unknown region with the aws partition; only a region that looks like one may use it.
  if (!partition || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(m[1])) return false;
  return m[2] === partition.dnsSuffix || m[2] === partition.dualStackDnsSuffix;
}

/** When the authenticator stops accepting a token: 15 minutes after X-Amz-Date (pkg/token/token.go, Verify). */
export function tokenExpiry(decoded: DecodedToken): Date {
  return new Date(decoded.signedAt.getTime() + TOKEN_LIFETIME_MS);
}
