/**
 * Service account tokens as an EKS cluster's API server issues them: RS256 JWTs signed with the cluster's own key,
 * `iss` the cluster's OIDC issuer, `sub` `system:serviceaccount:NS:NAME`, `aud` the requested audiences, and the
 * `kubernetes.io` private claims (kubernetes pkg/serviceaccount/claims.go). STS verifies them with the issuer's key
 * (its JWKS, in real life fetched from the issuer's discovery document). Node's crypto signs: `jose` is in the lock file
 * only under openid-client and is ESM-only, so it is not ours to import from this CommonJS build. No token is logged.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'crypto';

interface IssuerKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** One key per issuer, made on first use and kept for the process: a cluster keeps its key across emulator resets. */
const keys = new Map<string, IssuerKey>();

function keyFor(issuer: string): IssuerKey {
  let key = keys.get(issuer);
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 40);
    key = { kid, privateKey, publicKey };
    keys.set(issuer, key);
  }
  return key;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  /** `pod` only in a token bound to a pod (TokenRequest boundObjectRef), as the kubelet requests projected tokens. */
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string }; pod?: { name: string; uid: string } };
}

export function signServiceAccountToken(issuer: string, sa: { namespace: string; name: string; uid: string }, audiences: string[], now: Date, lifetimeSeconds: number, pod?: { name: string; uid: string }): string {
  const key = keyFor(issuer);
  const iat = Math.floor(now.getTime() / 1000);
  const claims: ServiceAccountClaims = {
    iss: issuer,
    sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
    aud: audiences,
    exp: iat + lifetimeSeconds,
    iat,
    nbf: iat,
    jti: randomUUID(),
    'kubernetes.io': { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid }, ...(pod ? { pod } : {}) },
  };
  const input = `${b64url({ alg: 'RS256', kid: key.kid })}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export type TokenCheck = { ok: true; claims: ServiceAccountClaims } | { ok: false; problem: 'malformed' | 'unknown-issuer' | 'signature' | 'expired' };

/**
 * Verifies a token against the key of the issuer it names: only issuers this process signed for are known (an issuer
 * whose discovery document cannot be fetched is an invalid token for STS too).
 */
export function verifyServiceAccountToken(token: string, now: Date): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  let header: { alg?: string; kid?: string };
  let claims: ServiceAccountClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as ServiceAccountClaims;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (header.alg !== 'RS256' || typeof claims?.iss !== 'string') return { ok: false, problem: 'malformed' };
  const key = keys.get(claims.iss);
  if (!key) return { ok: false, problem: 'unknown-issuer' };
  if (header.kid !== key.kid || !verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key.publicKey, Buffer.from(parts[2], 'base64url'))) return { ok: false, problem: 'signature' };
  if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(now.getTime() / 1000)) return { ok: false, problem: 'expired' };
  return { ok: true, claims };
}
