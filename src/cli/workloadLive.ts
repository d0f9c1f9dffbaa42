/** The real gateways behind `eks-auth workload explain --live`: the SDK's own configuration (profiles, AWS_ENDPOINT_URL_*). */
import { SdkEksGateway } from '../core/aws/eksGateway';
import { SdkStsGateway } from '../core/aws/stsGateway';
import { workloadCluster } from '../core/workload/gather';
import { ClientNodeWorkloadKubeGateway, SdkWorkloadEksGateway, SdkWorkloadIamGateway } from '../core/workload/workloadGateway';
import type { WorkloadLiveIo } from './workloadCommand';

export const connectWorkload: WorkloadLiveIo['connect'] = async (profile, region, name) => {
  const target = { profile, region };
  const described = await new SdkEksGateway(target).describeCluster(name);
  const sts = new SdkStsGateway(target);
  return {
    cluster: { ...workloadCluster(name, region, { arn: described.arn, oidcIssuer: described.identity?.oidc?.issuer }), region },
    gateways: {
      eks: new SdkWorkloadEksGateway(target),
      iam: new SdkWorkloadIamGateway(target),
      kube: new ClientNodeWorkloadKubeGateway({ clusterName: name, region, endpoint: described.endpoint ?? '', caData: described.certificateAuthority?.data ?? '', credentials: () => sts.getCredentials() }),
    },
  };
};
