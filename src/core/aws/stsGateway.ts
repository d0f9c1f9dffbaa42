/** Who a set of credentials resolves to. */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsTarget, clientConfig, credentialsFor } from './clients';
import type { TokenCredentials } from './token';

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

export interface StsGateway {
  getCallerIdentity(): Promise<CallerIdentity>;
  getCredentials(): Promise<TokenCredentials>;
}

export class SdkStsGateway implements StsGateway {
  constructor(
    readonly target: AwsTarget,
    private readonly client = new STSClient(clientConfig(target, 'sts')),
  ) {}

  async getCallerIdentity(): Promise<CallerIdentity> {
    const out = await this.client.send(new GetCallerIdentityCommand({}));
    return { arn: out.Arn ?? '', account: out.Account ?? '', userId: out.UserId ?? '' };
  }

  getCredentials(): Promise<TokenCredentials> {
    return credentialsFor(this.target.profile)();
  }
}
