/**
 * Which profile reads a role in another account: only the explorer's configured profiles, in their order, each asked
 * for its account once; never the default credential chain (src/core/workload/otherAccounts.ts).
 */
import * as assert from 'assert';
import type { ChosenProfile } from '../../../../src/core/kubeconfig/explainRefusal';
import { otherAccountReader } from '../../../../src/core/workload/otherAccounts';
import { ACCOUNT, OTHER_ACCOUNT } from './fixtures';

function profiles(accounts: Record<string, string | Error>, asked: string[]): ChosenProfile[] {
  const chosen: ChosenProfile[] = [{ profile: undefined, account: async () => { asked.push('(default)'); return OTHER_ACCOUNT; } }];
  for (const [profile, account] of Object.entries(accounts)) {
    chosen.push({ profile, account: async () => { asked.push(profile); if (account instanceof Error) throw account; return account; } });
  }
  return chosen;
}

describe('reading a role in another account with a configured profile', () => {
  it('picks the first configured profile in the account, asking each account once, never the default chain', async () => {
    const asked: string[] = [];
    const built: string[] = [];
    const reader = otherAccountReader(async () => profiles({ expired: new Error('The SSO session has expired'), payments: ACCOUNT, shared: OTHER_ACCOUNT, 'shared-admin': OTHER_ACCOUNT }, asked), async (p) => {
      built.push(p);
      return { getRoleTrustPolicy: async () => undefined };
    });
    assert.strictEqual((await reader.forAccount(OTHER_ACCOUNT))?.profile, 'shared');
    assert.strictEqual((await reader.forAccount(OTHER_ACCOUNT))?.profile, 'shared');
    assert.deepStrictEqual(asked, ['expired', 'payments', 'shared'], 'the default chain is not asked, and no account twice');
    assert.deepStrictEqual(built, ['shared', 'shared']);
  });

  it('no configured profile in the account: none, and nothing built', async () => {
    const built: string[] = [];
    const reader = otherAccountReader(async () => profiles({ payments: ACCOUNT }, []), async (p) => {
      built.push(p);
      return { getRoleTrustPolicy: async () => undefined };
    });
    assert.strictEqual(await reader.forAccount(OTHER_ACCOUNT), undefined);
    assert.deepStrictEqual(built, []);
  });
});
