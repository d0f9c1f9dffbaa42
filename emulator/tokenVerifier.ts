/**
 * The emulator's check of an EKS bearer token, written apart from the extension's token code (src/core/aws/token.ts
 * is not imported) so a signing bug there cannot pass here. It follows aws-iam-authenticator's verifier
 * (pkg/token/token.go, tokenVerifier.Verify and verifySTSHostnameFormat, at v0.7.x) for the token's form, and
 * plays STS for the signature (SigV4 query authentication recomputed with node:crypto, as the SigV4 documentation
 * specifies it), including STS's clock-skew limit.
 */
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { createHash, createHmac, timingSafeEqual } from 'crypto';

const PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_BYTES = 4096;
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
const TOKEN_LIFETIME_MS = 15 * 60_000;
/** STS refuses a request signed more than 5 minutes in the future ("Signature not yet current"). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const ALLOWED_PARAMETERS = new Set(['action', 'version', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-security-token', 'x-amz-signature', 'x-amz-signedheaders']);
const EMPTY_PAYLOAD_HASH = createHash('sha256').update('').digest('hex');

export interface TokenKey {
  secretAccessKey: string;
  sessionToken?: string;
}

export interface VerifierOptions {
  /** The cluster the API server belongs to: the value of x-k8s-aws-id it signs into the replayed request. */
  clusterId: string;
  /** The cluster's region; its partition decides which STS hosts are allowed. */
  region: string;
  lookup(accessKeyId: string): TokenKey | undefined;
  now?: Date;
}

export type Verdict = { ok: true; accessKeyId: string } | { ok: false; error: string };

const formatError = (message: string): Verdict => ({ ok: false, error: `input token was not properly formatted: ${message}` });
const stsError = (code: string, message: string): Verdict => ({ ok: false, error: `sts getCallerIdentity failed: error from AWS (expected 200, got 403). Body: ${code}: ${message}` });

/** sts.REGION.SUFFIX, sts-fips.REGION.SUFFIX, or the global sts.amazonaws.com: the region it names, or undefined. */
function stsRegionOf(host: string): string | undefined {
  if (host === 'sts.amazonaws.com') return 'global';
  const m = /^sts(?:-fips)?\.([^.]+)\./.exec(host);
  return m?.[1];
}

/** The authenticator's host rule: an STS host of the verifier's own partition (regional, FIPS or dual-stack). */
function hostProblem(host: string, region: string): string | undefined {
  const own = awsEndpointFunctions.partition(region) as { name: string; dnsSuffix: string; dualStackDnsSuffix: string };
  const hostRegion = stsRegionOf(host);
  if (!hostRegion) return `could not parse region for pre-signed URL ${host}`;
  if (hostRegion === 'global') return own.name === 'aws' ? undefined : `global endpoint unsupported in partition ${own.name}`;
  if (!/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(hostRegion)) return `invalid region identifier format provided: ${hostRegion}`;
  const suffix = host.split('.').slice(2).join('.');
  if (suffix !== own.dnsSuffix && suffix !== own.dualStackDnsSuffix) return `unexpected hostname "${host}" in pre-signed URL`;
  return undefined;
}

/** RFC 3986 encoding, as SigV4's canonical query string wants it. */
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

function expectedSignature(url: URL, params: [string, string][], signedHeaders: string[], headers: Record<string, string>, secret: string, scope: string[], amzDate: string): string {
  const query = params
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [encode(k), encode(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${(headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = ['GET', url.pathname || '/', query, canonicalHeaders, signedHeaders.join(';'), EMPTY_PAYLOAD_HASH].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope.join('/'), createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const [date, region, service] = scope;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

export function verifyToken(token: string, o: VerifierOptions): Verdict {
  const now = o.now ?? new Date();
  if (token.length > MAX_TOKEN_BYTES) return formatError('token is too large');
  if (!token.startsWith(PREFIX)) return formatError(`token is missing expected "${PREFIX}" prefix`);
  const payload = token.slice(PREFIX.length);
  // Go's base64.RawURLEncoding: the URL alphabet, no padding, nothing else.
  if (!/^[A-Za-z0-9_-]*$/.test(payload) || payload.length % 4 === 1) return formatError('illegal base64 data');
  let url: URL;
  try {
    url = new URL(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch (e) {
    return formatError((e as Error).message);
  }
  if (url.protocol !== 'https:') return formatError(`unexpected scheme "${url.protocol.replace(/:$/, '')}" in pre-signed URL`);
  const host = url.host;
  const problem = hostProblem(host, o.region);
  if (problem) return formatError(problem);
  if (url.pathname !== '/') return formatError('unexpected path in pre-signed URL');
  const params = [...url.searchParams.entries()];
  const seen = new Set<string>();
  const lower: Record<string, string> = {};
  for (const [k, v] of params) {
    const key = k.toLowerCase();
    if (seen.has(key)) return formatError(`query parameter with multiple values not supported: ${k}`);
    seen.add(key);
    if (!ALLOWED_PARAMETERS.has(key)) return formatError(`non-whitelisted query parameter "${k}"`);
    lower[key] = v;
  }
  if (lower.action !== 'GetCallerIdentity') return formatError('unexpected action parameter in pre-signed URL');
  const signedHeaders = (lower['x-amz-signedheaders'] ?? '').split(';').filter(Boolean);
  if (!signedHeaders.includes(CLUSTER_ID_HEADER)) return formatError(`client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`);
  const expires = Number(lower['x-amz-expires']);
  if (!/^\d+$/.test(lower['x-amz-expires'] ?? '') || expires > 900) return formatError(`invalid X-Amz-Expires parameter in pre-signed URL: ${lower['x-amz-expires'] ?? ''}`);
  const amzDate = lower['x-amz-date'];
  if (!amzDate) return formatError('X-Amz-Date parameter must be present in pre-signed URL');
  const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!d) return formatError(`error parsing X-Amz-Date parameter ${amzDate} into format 20060102T150405Z`);
  const signedAt = Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6]);
  if (now.getTime() > signedAt + TOKEN_LIFETIME_MS) return formatError(`X-Amz-Date parameter is expired (15 minute expiration) ${new Date(signedAt).toISOString()}`);

  // From here on this is STS answering the replayed request.
  if (signedAt - now.getTime() > MAX_CLOCK_SKEW_MS) return stsError('SignatureDoesNotMatch', `Signature not yet current: ${amzDate} is still later than ${now.toISOString()}`);
  if (lower['x-amz-algorithm'] !== 'AWS4-HMAC-SHA256') return stsError('IncompleteSignature', 'Unsupported AWS authentication algorithm');
  const credential = (lower['x-amz-credential'] ?? '').split('/');
  if (credential.length !== 5 || credential[3] !== 'sts' || credential[4] !== 'aws4_request' || credential[1] !== amzDate.slice(0, 8)) return stsError('IncompleteSignature', `Credential should be scoped to a valid region, not '${credential[2] ?? ''}'`);
  const hostRegion = stsRegionOf(host);
  if (hostRegion !== 'global' && credential[2] !== hostRegion) return stsError('SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${credential[2]}'`);
  const key = o.lookup(credential[0]);
  if (!key) return stsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
  if ((key.sessionToken ?? undefined) !== (lower['x-amz-security-token'] ?? undefined)) return stsError('InvalidClientTokenId', 'The security token included in the request is invalid.');
  const headers: Record<string, string> = { host, [CLUSTER_ID_HEADER]: o.clusterId };
  // Own keys only: a signed header named `constructor` is not one the replayed request has.
  if (signedHeaders.some((h) => !Object.hasOwn(headers, h))) return stsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  const expected = Buffer.from(expectedSignature(url, params, signedHeaders, headers, key.secretAccessKey, credential.slice(1), amzDate), 'hex');
  const given = Buffer.from(lower['x-amz-signature'] ?? '', 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return stsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  return { ok: true, accessKeyId: credential[0] };
}
