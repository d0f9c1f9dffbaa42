/**
 * A Pod Identity target role (targetRoleArn) lives in another account than the cluster's, so the cluster account's
 * credentials cannot read its trust policy (GetRole names a role in the caller's account only). One of the explorer's
 * profiles whose account is the role's can: the profiles the tree shows, that is those in `eksAuth.profiles`, or every
 * profile of the shared AWS files (~/.aws/config and ~/.aws/credentials) when that setting is empty
 * (services/connections.ts `identities`). Each is asked for its account once, and never the default credential chain
 * (services/connections.ts leaves it out).
 */
import type { ChosenProfile } from '../kubeconfig/explainRefusal';
import type { WorkloadIamGateway } from './workloadGateway';

/** The configured profile in an account, and a reader of role trust policies (and OIDC providers) with its credentials. */
export interface ProfileInAccount {
  profile: string;
  iam: Pick<WorkloadIamGateway, 'getRoleTrustPolicy'> & Partial<Pick<WorkloadIamGateway, 'listOidcProviders'>>;
}

export interface OtherAccountReader {
  /** The first configured profile in the account, or undefined when none is in it. */
  forAccount(account: string): Promise<ProfileInAccount | undefined>;
}

/** Picks from the configured profiles, in their order; a profile whose account cannot be read is passed over. */
export function otherAccountReader(chosen: () => Promise<ChosenProfile[]>, iamFor: (profile: string) => Promise<ProfileInAccount['iam']>): OtherAccountReader {
  const accounts = new Map<string, Promise<string | undefined>>();
  return {
    async forAccount(account) {
      for (const c of await chosen()) {
        if (!c.profile) continue;
        let known = accounts.get(c.profile);
        if (!known) {
          known = c.account().catch(() => undefined);
          accounts.set(c.profile, known);
        }
        if ((await known) === account) return { profile: c.profile, iam: await iamFor(c.profile) };
      }
      return undefined;
    },
  };
}
