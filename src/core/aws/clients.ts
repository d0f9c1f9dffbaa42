/**
 * Where and as whom to call AWS. The SDK clients are built here from a target, so every gateway honours the same
 * profile, region and endpoint overrides (settings first, then the SDK's own `AWS_ENDPOINT_URL_*` variables).
 */
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

export interface AwsTarget {
  /** A profile from the shared config files, or undefined for the default credential chain. */
  profile?: string;
  region: string;
  endpoints?: { eks?: string; logs?: string; sts?: string; iam?: string };
}

const providers = new Map<string, AwsCredentialIdentityProvider>();

/** The SDK refreshes credentials that expire within five minutes; so do we. */
export const REFRESH_WINDOW_MS = 5 * 60_000;
/** Credentials fetched this recently are used even if they expire soon: fetching again would give the same. */
export const MIN_REFETCH_MS = 30_000;

type NearExpiryListener = (profile: string | undefined, expiration: Date) => void;
const nearExpiryListeners = new Set<NearExpiryListener>();

/** Called when fresh credentials still expire within five minutes: they are used, and the user should know. */
export function onCredentialsNearExpiry(listener: NearExpiryListener): () => void {
  nearExpiryListeners.add(listener);
  return () => nearExpiryListeners.delete(listener);
}

/**
 * Memoizes a credential provider. Credentials are fetched again when they expire within five minutes, at most once
 * per 30 seconds while they are still valid, and one fetch is shared by concurrent callers. Credentials that are
 * still near expiry after a fetch (aws-vault's environment, a credential_process, an SSO session about to end) are
 * used as they are and reported, never fetched again in a loop.
 */
export function refreshingProvider(base: AwsCredentialIdentityProvider, onNearExpiry: (expiration: Date) => void = () => undefined, now: () => number = Date.now): AwsCredentialIdentityProvider {
  let current: { creds: AwsCredentialIdentity; fetchedAt: number } | undefined;
  let inflight: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    const t = now();
    if (current) {
      const expires = current.creds.expiration?.getTime();
      const fresh = expires === undefined || expires - t >= REFRESH_WINDOW_MS;
      const stillValidAndRecent = expires !== undefined && expires > t && t - current.fetchedAt < MIN_REFETCH_MS;
      if (fresh || stillValidAndRecent) return current.creds;
    }
    if (!inflight) {
      inflight = base()
        .then((creds) => {
          current = { creds, fetchedAt: now() };
          const expires = creds.expiration?.getTime();
          if (expires !== undefined && expires - now() < REFRESH_WINDOW_MS) onNearExpiry(creds.expiration!);
          return creds;
        })
        .finally(() => (inflight = undefined));
    }
    return inflight;
  };
}

/** One memoized provider per profile, so SSO and assume-role credentials are fetched once, then refreshed. */
export function credentialsFor(profile: string | undefined): AwsCredentialIdentityProvider {
  const key = profile ?? '';
  let provider = providers.get(key);
  if (!provider) {
    const base = profile ? fromIni({ profile }) : fromNodeProviderChain();
    provider = refreshingProvider(base, (expiration) => nearExpiryListeners.forEach((l) => l(profile, expiration)));
    providers.set(key, provider);
  }
  return provider;
}

/** Forgets cached credentials, after `aws sso login` for example. */
export function clearCredentialCache(): void {
  providers.clear();
}

export function clientConfig(target: AwsTarget, service: 'eks' | 'logs' | 'sts' | 'iam') {
  const endpoint = target.endpoints?.[service] || undefined;
  return {
    region: target.region,
    credentials: credentialsFor(target.profile),
    // Live tail calls `stream-logs...` (a host prefix); an endpoint override names the host itself.
    ...(endpoint ? { endpoint, disableHostPrefix: true } : {}),
    maxAttempts: 3,
  };
}
