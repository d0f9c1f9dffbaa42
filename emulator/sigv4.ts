/**
 * SigV4 authentication (Authorization header or presigned query) as AWS checks it: the signature recomputed from the request as it arrived (canonical
 * request, string to sign, derived key, per the SigV4 documentation), the session token, and the clock: AWS refuses
 * a request dated more than 5 minutes away from its own time. Written with node:crypto, apart from the SDK's signer.
 * The signature is checked over the payload hash the client declared, before the body is read; the body's own hash
 * is compared with it afterwards, so an unsigned or forged request never gets its body read.
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type * as http from 'http';

export const MAX_SKEW_MS = 5 * 60_000;

export interface SigV4Problem {
  /** `skew` for a date out of range, `signature` for anything else that does not match. */
  kind: 'skew' | 'signature' | 'token';
  message: string;
}

const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const amzTime = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * `Signature expired` / `Signature not yet current`, with the dates as AWS writes them. `pastOk`: a presigned URL
 * stays valid for its X-Amz-Expires, checked apart, so only a future date is refused here.
 */
function skewProblem(amzDate: string, now: Date, pastOk = false): SigV4Problem | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return { kind: 'signature', message: `Invalid X-Amz-Date: ${amzDate}` };
  const at = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (!pastOk && now.getTime() - at > MAX_SKEW_MS) return { kind: 'skew', message: `Signature expired: ${amzDate} is now earlier than ${amzTime(new Date(now.getTime() - MAX_SKEW_MS))} (${amzTime(now)} - 5 min.)` };
  if (at - now.getTime() > MAX_SKEW_MS) return { kind: 'skew', message: `Signature not yet current: ${amzDate} is still later than ${amzTime(new Date(now.getTime() + MAX_SKEW_MS))} (${amzTime(now)} + 5 min.)` };
  return undefined;
}

/** The SHA-256 of an empty body, the payload hash of a presigned GET. */
export const EMPTY_PAYLOAD_HASH = createHash('sha256').update('').digest('hex');

export const sha256Hex = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');

/** Whether the request carries its signature in the query string (a presigned URL) rather than a header. */
export function isPresigned(req: http.IncomingMessage): boolean {
  return !req.headers.authorization && new URL(req.url ?? '/', 'http://localhost').searchParams.has('X-Amz-Signature');
}

/**
 * The payload hash the client signed, when it can be known without reading the body: the x-amz-content-sha256 header
 * (the SDK's signer sends it on every request), or the empty body's hash for a request that declares no body.
 * Undefined means the body must be read (bounded) to compute it, as for botocore, which signs without that header.
 */
export function declaredPayloadHash(req: http.IncomingMessage): string | undefined {
  const header = req.headers['x-amz-content-sha256'];
  if (typeof header === 'string' && header) return header;
  const length = req.headers['content-length'];
  if ((length === undefined || length === '0') && !req.headers['transfer-encoding']) return EMPTY_PAYLOAD_HASH;
  return undefined;
}

/**
 * Checks a request's SigV4 signature (Authorization header, or X-Amz-* query parameters for a presigned URL) against
 * the secret of the key it names, over `payloadHash`: the body's hash as declared. The caller checks afterwards that
 * the body it then reads has that hash. Undefined when the signature holds.
 */
export function verifySigV4(req: http.IncomingMessage, payloadHash: string, secret: string, sessionToken: string | undefined, now = new Date()): SigV4Problem | undefined {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const presigned = isPresigned(req);
  let date: string, region: string, service: string, signedHeaderList: string, signature: string, amzDate: string, token: string | undefined;
  if (presigned) {
    const q = url.searchParams;
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { kind: 'signature', message: 'Unsupported AWS authentication algorithm' };
    const c = /^[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(q.get('X-Amz-Credential') ?? '');
    const sig = q.get('X-Amz-Signature') ?? '';
    if (!c || !/^[0-9a-f]{64}$/.test(sig) || !q.get('X-Amz-SignedHeaders')) return { kind: 'signature', message: 'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders and X-Amz-Date' };
    [, date, region, service] = c;
    signedHeaderList = q.get('X-Amz-SignedHeaders')!;
    signature = sig;
    amzDate = q.get('X-Amz-Date') ?? '';
    token = q.get('X-Amz-Security-Token') ?? undefined;
    const expires = Number(q.get('X-Amz-Expires') ?? '');
    const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!Number.isInteger(expires) || expires < 1 || expires > 604800) return { kind: 'signature', message: 'X-Amz-Expires must be an integer between 1 and 604800 seconds' };
    if (at && now.getTime() > Date.UTC(+at[1], +at[2] - 1, +at[3], +at[4], +at[5], +at[6]) + expires * 1000) return { kind: 'skew', message: `Signature expired: ${amzDate} + ${expires} s is now earlier than ${amzTime(now)}` };
  } else {
    const auth = req.headers.authorization ?? '';
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return { kind: 'signature', message: 'Authorization header requires Credential, SignedHeaders and Signature parameters' };
    [, , date, region, service, signedHeaderList, signature] = m;
    amzDate = String(req.headers['x-amz-date'] ?? '');
    const t = req.headers['x-amz-security-token'];
    token = typeof t === 'string' ? t : undefined;
  }
  const skew = skewProblem(amzDate, now, presigned);
  if (skew) return skew;
  if (amzDate.slice(0, 8) !== date) return { kind: 'signature', message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'` };
  if (token !== sessionToken) return { kind: 'token', message: 'The security token included in the request is invalid.' };
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) return { kind: 'signature', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  const canonicalUri = url.pathname.split('/').map(encode).join('/');
  const canonicalQuery = [...url.searchParams.entries()]
    .filter(([k]) => !(presigned && k === 'X-Amz-Signature'))
    .map(([k, v]) => [encode(k), encode(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headerValue = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
  };
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join('');
  const canonicalRequest = [req.method ?? 'GET', canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return SIGNATURE_MISMATCH;
  return undefined;
}

export const SIGNATURE_MISMATCH: SigV4Problem = {
  kind: 'signature',
  message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
};
