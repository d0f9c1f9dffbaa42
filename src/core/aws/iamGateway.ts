/** IAM look-ups for migration: aws-auth drops role paths, access entries need the real ARN back. */
import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { parseArn } from '../auth/arn';
import { AwsTarget, clientConfig } from './clients';

export interface IamGateway {
  /** The principal's real ARN (with its path), or undefined when it no longer exists. */
  resolvePrincipal(arn: string): Promise<string | undefined>;
}

export class SdkIamGateway implements IamGateway {
  constructor(
    readonly target: AwsTarget,
    private readonly client = new IAMClient({ ...clientConfig(target, 'iam'), region: target.region }),
  ) {}

  async resolvePrincipal(arn: string): Promise<string | undefined> {
    const p = parseArn(arn);
    if (!p || p.kind === 'assumed-role') return undefined;
    try {
      if (p.kind === 'role') return (await this.client.send(new GetRoleCommand({ RoleName: p.name }))).Role?.Arn;
      return (await this.client.send(new GetUserCommand({ UserName: p.name }))).User?.Arn;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchEntity' || (e as { name?: string }).name === 'NoSuchEntityException') return undefined;
      throw e;
    }
  }
}
