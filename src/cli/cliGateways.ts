/** Gateways for the CLI: the real SDK clients with the SDK's own configuration (profiles, AWS_ENDPOINT_URL_*). */
import type { ClusterRef, GatewaySource, Identity } from '../core/clusters/clusterAccess';
import type { ClusterSummary } from '../core/clusters/model';
import { SdkEksGateway } from '../core/aws/eksGateway';
import { SdkIamGateway } from '../core/aws/iamGateway';
import { ClientNodeKubeGateway, type KubeTarget } from '../core/aws/kubeGateway';
import { SdkLogsGateway } from '../core/aws/logsGateway';
import { SdkStsGateway } from '../core/aws/stsGateway';
import { workloadConnection } from '../core/workload/fixGateway';

export class CliGateways implements GatewaySource {
  async identities(): Promise<Identity[]> {
    return [];
  }
  async eksFor(profile: string | undefined, region: string) {
    return new SdkEksGateway({ profile, region });
  }
  async stsFor(profile: string | undefined, region: string) {
    return new SdkStsGateway({ profile, region });
  }
  async logsFor(profile: string | undefined, region: string) {
    return new SdkLogsGateway({ profile, region });
  }
  async iamFor(profile: string | undefined, region: string) {
    return new SdkIamGateway({ profile, region });
  }
  private async kubeTarget(ref: ClusterRef, summary: ClusterSummary): Promise<KubeTarget> {
    if (!summary.endpoint || !summary.caData) throw new Error(`Cluster ${ref.cluster} has no endpoint yet (status ${summary.status}).`);
    const sts = await this.stsFor(ref.profile, ref.region);
    return { clusterName: ref.cluster, region: ref.region, endpoint: summary.endpoint, caData: summary.caData, credentials: () => sts.getCredentials() };
  }
  async kubeFor(ref: ClusterRef, summary: ClusterSummary) {
    return new ClientNodeKubeGateway(await this.kubeTarget(ref, summary));
  }
  async workloadFor(ref: ClusterRef, summary: ClusterSummary) {
    return workloadConnection({ profile: ref.profile, region: ref.region }, await this.kubeTarget(ref, summary));
  }
  reset(): void {}
}
