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

/** One memoized provider per profile, so SSO and assume-role credentials are fetched once, then refreshed by the SDK. */
export function credentialsFor(profile: string | undefined): AwsCredentialIdentityProvider {
  const key = profile ?? '';
  let provider = providers.get(key);
  if (!provider) {
    const base = profile ? fromIni({ profile }) : fromNodeProviderChain();
    let cached: Promise<AwsCredentialIdentity> | undefined;
    provider = async () => {
      if (!cached) cached = base();
      const creds = await cached.catch((e) => {
        cached = undefined;
        throw e;
      });
      if (creds.expiration && creds.expiration.getTime() - Date.now() < 5 * 60_000) {
        cached = undefined;
        return provider!();
      }
      return creds;
    };
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
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 3,
  };
}
