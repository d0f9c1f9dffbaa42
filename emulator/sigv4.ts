/**
 * SigV4 header authentication as AWS checks it: the signature recomputed from the request as it arrived (canonical
 * request, string to sign, derived key, per the SigV4 documentation), the session token, and the clock: AWS refuses
 * a request dated more than 5 minutes away from its own time. Written with node:crypto, apart from the SDK's signer.
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

/** `Signature expired` / `Signature not yet current`, with the dates as AWS writes them. */
function skewProblem(amzDate: string, now: Date): SigV4Problem | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return { kind: 'signature', message: `Invalid X-Amz-Date: ${amzDate}` };
  const at = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (now.getTime() - at > MAX_SKEW_MS) return { kind: 'skew', message: `Signature expired: ${amzDate} is now earlier than ${amzTime(new Date(now.getTime() - MAX_SKEW_MS))} (${amzTime(now)} - 5 min.)` };
  if (at - now.getTime() > MAX_SKEW_MS) return { kind: 'skew', message: `Signature not yet current: ${amzDate} is still later than ${amzTime(new Date(now.getTime() + MAX_SKEW_MS))} (${amzTime(now)} + 5 min.)` };
  return undefined;
}

/** Checks the Authorization header of a request against the secret of the key it names; undefined when it holds. */
export function verifySigV4(req: http.IncomingMessage, body: string, secret: string, sessionToken: string | undefined, now = new Date()): SigV4Problem | undefined {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return { kind: 'signature', message: 'Authorization header requires Credential, SignedHeaders and Signature parameters' };
  const [, , date, region, service, signedHeaderList, signature] = m;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const skew = skewProblem(amzDate, now);
  if (skew) return skew;
  if (amzDate.slice(0, 8) !== date) return { kind: 'signature', message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'` };
  if ((req.headers['x-amz-security-token'] ?? undefined) !== sessionToken) return { kind: 'token', message: 'The security token included in the request is invalid.' };
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) return { kind: 'signature', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  const url = new URL(req.url ?? '/', 'http://localhost');
  const canonicalUri = url.pathname.split('/').map(encode).join('/');
  const canonicalQuery = [...url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const headerValue = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
  };
  const canonicalHeaders = signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join('');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? createHash('sha256').update(body, 'utf8').digest('hex'));
  const canonicalRequest = [req.method ?? 'GET', canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { kind: 'signature', message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' };
  }
  return undefined;
}
