/** IAM look-ups for migration: aws-auth drops role paths, access entries need the real ARN back. */
import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { parseArn } from '../auth/arn';
import { AwsTarget, clientConfig } from './clients';
import { SdkStsGateway, type StsGateway } from './stsGateway';

export interface IamGateway {
  /**
   * The principal's real ARN (with its path), or undefined when it no longer exists. Throws
   * OtherAccountPrincipalError for a principal of another account than the credentials': IAM finds roles and users by
   * name in the caller's own account only, so its answer would be a different principal.
   */
  resolvePrincipal(arn: string): Promise<string | undefined>;
}

/** A principal IAM cannot look up with these credentials, because it belongs to another account (or partition). */
export class OtherAccountPrincipalError extends Error {
  readonly kind = 'other-account';
  constructor(
    readonly arn: string,
    readonly callerAccount: string,
  ) {
    super(`IAM answers for account ${callerAccount} only: ${arn}`);
  }
}

export class SdkIamGateway implements IamGateway {
  private caller?: Promise<{ account: string; partition: string }>;

  constructor(
    readonly target: AwsTarget,
    private readonly client = new IAMClient({ ...clientConfig(target, 'iam'), region: target.region }),
    private readonly sts: Pick<StsGateway, 'getCallerIdentity'> = new SdkStsGateway(target),
  ) {}

  /** The account (and partition) IAM answers for: the credentials' own, asked once. */
  private callerAccount() {
    this.caller ??= this.sts.getCallerIdentity().then((c) => ({ account: c.account, partition: c.arn.split(':')[1] ?? '' }));
    return this.caller;
  }

  async resolvePrincipal(arn: string): Promise<string | undefined> {
    const p = parseArn(arn);
    if (!p || p.kind === 'assumed-role') return undefined;
    const caller = await this.callerAccount();
    if (p.account !== caller.account || p.partition !== caller.partition) throw new OtherAccountPrincipalError(arn, caller.account);
    let found: string | undefined;
    try {
      if (p.kind === 'role') found = (await this.client.send(new GetRoleCommand({ RoleName: p.name }))).Role?.Arn;
      else found = (await this.client.send(new GetUserCommand({ UserName: p.name }))).User?.Arn;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchEntity' || (e as { name?: string }).name === 'NoSuchEntityException') return undefined;
      throw e;
    }
    // IAM answered for the caller's account; an ARN of any other account is not the principal asked about.
    const q = found ? parseArn(found) : undefined;
    if (found && (q?.account !== p.account || q.partition !== p.partition)) throw new OtherAccountPrincipalError(arn, q?.account ?? caller.account);
    return found;
  }
}
