// Issue 19, item 3: explaining a refusal uses only the profiles the user chose (the explorer's, or
// `eks-auth doctor --explain-profile`), only those in the cluster's account, and never loads another profile, whose
// credential_process could prompt for a keychain or MFA.
import * as assert from 'assert';
import { clusterAccount, explainWithChosenProfiles } from '../../../../src/core/kubeconfig/explainRefusal';

const PRINCIPAL = 'arn:aws:iam::111122223333:role/Dev';

function service(readable: Set<string | undefined>) {
  const asked: (string | undefined)[] = [];
  return {
    asked,
    explainContext: async (ref: { profile?: string }) => {
      asked.push(ref.profile);
      if (!readable.has(ref.profile)) throw new Error('AccessDeniedException');
      return { context: { mode: 'API' as const, accessEntries: [], awsAuth: undefined }, notes: [] };
    },
  };
}

describe('explaining a refusal with the profiles the user chose', () => {
  it('skips a chosen profile of another account without reading the cluster with it, and uses the one in the cluster\'s account', async () => {
    const s = service(new Set(['same']));
    const accounts: string[] = [];
    const chosen = [
      { profile: 'other', account: async () => (accounts.push('other'), '999999999999') },
      { profile: 'same', account: async () => (accounts.push('same'), '111122223333') },
    ];
    const e = await explainWithChosenProfiles(s, { region: 'us-east-1', cluster: 'web', account: '111122223333' }, PRINCIPAL, chosen);
    assert.strictEqual(e.authenticated, false);
    assert.deepStrictEqual(s.asked, ['same'], 'the other account\'s profile never reads the cluster');
    assert.deepStrictEqual(accounts, ['other', 'same']);
  });

  it('tries no profile that was not chosen, and says which chosen ones were in another account', async () => {
    const s = service(new Set([undefined, 'default-chain']));
    await assert.rejects(
      explainWithChosenProfiles(s, { profile: 'the-contexts-own', region: 'us-east-1', cluster: 'web', account: '111122223333' }, PRINCIPAL, [{ profile: 'prod', account: async () => '444455556666' }]),
      /No chosen profile in account 111122223333 could read the access configuration of web; not in the cluster's account: prod \(account 444455556666\)/,
    );
    assert.deepStrictEqual(s.asked, [], 'neither the context\'s own profile nor the default chain is tried unasked');
    await assert.rejects(explainWithChosenProfiles(s, { region: 'us-east-1', cluster: 'web' }, PRINCIPAL, []), /No chosen profile/);
  });

  it('takes the cluster\'s account from the ARN update-kubeconfig names the cluster entry with, else the caller\'s', () => {
    assert.strictEqual(clusterAccount('arn:aws:eks:eu-west-1:444455556666:cluster/web', '111122223333'), '444455556666');
    assert.strictEqual(clusterAccount('arn:aws-cn:eks:cn-north-1:444455556666:cluster/web', undefined), '444455556666');
    assert.strictEqual(clusterAccount('web.eu-west-1.eksctl.io', '111122223333'), '111122223333');
  });
});
