// resolvePrincipal asks IAM by name, and IAM's GetRole/GetUser look a name up in the caller's own account only
// ("The name of the IAM role to get information about", GetRoleRequest in @aws-sdk/client-iam; there is no account
// parameter). So another account's ARN must never come back as the caller's account's principal of the same name.
import * as assert from 'assert';
import { GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { OtherAccountPrincipalError, SdkIamGateway } from '../../../../src/core/aws/iamGateway';

const CALLER = '111122223333';

/** IAM as it answers the caller's account: roles by name, case-insensitively, with their paths. */
function fakeIam(roles: string[]) {
  const asked: string[] = [];
  const client = {
    async send(command: GetRoleCommand) {
      const name = String(command.input.RoleName);
      asked.push(name);
      const arn = roles.find((r) => r.split('/').pop()!.toLowerCase() === name.toLowerCase());
      if (!arn) throw new NoSuchEntityException({ message: `The role with name ${name} cannot be found.`, $metadata: {} });
      return { Role: { Arn: arn } };
    },
  } as unknown as IAMClient;
  return { client, asked };
}

const sts = (arn = `arn:aws:iam::${CALLER}:user/admin`) => ({ getCallerIdentity: async () => ({ arn, account: arn.split(':')[4], userId: 'AIDA' }) });

describe('SdkIamGateway.resolvePrincipal', () => {
  it("gives the caller's account's role back with its path", async () => {
    const iam = fakeIam([`arn:aws:iam::${CALLER}:role/teams/Deployer`]);
    const gw = new SdkIamGateway({ region: 'us-east-1' }, iam.client, sts());
    assert.strictEqual(await gw.resolvePrincipal(`arn:aws:iam::${CALLER}:role/Deployer`), `arn:aws:iam::${CALLER}:role/teams/Deployer`);
    assert.strictEqual(await gw.resolvePrincipal(`arn:aws:iam::${CALLER}:role/Gone`), undefined, 'NoSuchEntity: it no longer exists');
  });

  it("never rewrites another account's role to the caller's role of the same name, and does not ask IAM", async () => {
    // The caller's account has a Deployer too: asking IAM by name would find it.
    const iam = fakeIam([`arn:aws:iam::${CALLER}:role/Deployer`]);
    const gw = new SdkIamGateway({ region: 'us-east-1' }, iam.client, sts());
    const other = 'arn:aws:iam::999999999999:role/Deployer';
    await assert.rejects(gw.resolvePrincipal(other), (e: unknown) => e instanceof OtherAccountPrincipalError && e.kind === 'other-account' && e.arn === other && e.callerAccount === CALLER);
    assert.deepStrictEqual(iam.asked, []);
  });

  it('treats another partition as another account', async () => {
    const iam = fakeIam([`arn:aws:iam::${CALLER}:role/Deployer`]);
    const gw = new SdkIamGateway({ region: 'us-east-1' }, iam.client, sts());
    await assert.rejects(gw.resolvePrincipal(`arn:aws-cn:iam::${CALLER}:role/Deployer`), OtherAccountPrincipalError);
  });

  it("refuses an answer of another account than the one asked (IAM answers for the credentials' account)", async () => {
    // Credentials that STS says are in CALLER's account, but whose IAM answers with a different account's ARN.
    const iam = fakeIam(['arn:aws:iam::444455556666:role/Deployer']);
    const gw = new SdkIamGateway({ region: 'us-east-1' }, iam.client, sts());
    await assert.rejects(gw.resolvePrincipal(`arn:aws:iam::${CALLER}:role/Deployer`), OtherAccountPrincipalError);
  });
});
