/**
 * The writes behind the workload identity fixes, and the pod listing they need: IAM (CreateOpenIDConnectProvider,
 * AddClientIDToOpenIDConnectProvider, UpdateAssumeRolePolicy), EKS (CreatePodIdentityAssociation, CreateAddon) and Kubernetes
 * (list pods, read a ReplicaSet's owner, patch a workload's pod template as `kubectl rollout restart` does, delete a pod
 * with a uid precondition).
 * Each behind an interface, so the fix planning is tested with fakes and these against the real SDKs.
 */
import { CreateAddonCommand, CreatePodIdentityAssociationCommand, EKSClient } from '@aws-sdk/client-eks';
import { AddClientIDToOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { type AwsTarget, clientConfig } from '../aws/clients';
import { checkKubeTarget, kubeConfigFor, type KubeTarget } from '../aws/kubeGateway';
import type { ChosenProfile } from '../kubeconfig/explainRefusal';
import type { WorkloadGateways } from './gather';
import { otherAccountReader } from './otherAccounts';
import { RESTARTED_AT, type PodInfo } from './model';
import { ClientNodeWorkloadKubeGateway, podInfo, SdkWorkloadEksGateway, SdkWorkloadIamGateway } from './workloadGateway';

/** The controllers `kubectl rollout restart` restarts (kubectl pkg/polymorphichelpers/objectrestarter.go). */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/**
 * A pod and the controller that owns it (its `ownerReferences` entry with `controller: true`), if any; for a pod of a
 * ReplicaSet, the Deployment that owns that ReplicaSet once read (`workload`), or why it could not be read.
 */
export type OwnedPod = PodInfo & { owner?: { kind: string; name: string }; workload?: WorkloadRef; ownerUnreadable?: string };


/** CreateOpenIDConnectProvider's input; no ThumbprintList (see docs/workload-identity.md, "Fixes"). */
export interface OidcProviderRequest {
  url: string;
  clientIds: string[];
}

/** AddClientIDToOpenIDConnectProvider's input: the provider's ARN and the audience to add as a client ID. */
export interface ClientIdRequest {
  providerArn: string;
  clientId: string;
}

export interface AssociationRequest {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
}

export interface WorkloadFixGateway {
  createOidcProvider(request: OidcProviderRequest): Promise<string | undefined>;
  addClientIdToOidcProvider(request: ClientIdRequest): Promise<void>;
  updateAssumeRolePolicy(roleName: string, policyDocument: string): Promise<void>;
  createPodIdentityAssociation(request: AssociationRequest): Promise<string | undefined>;
  createAddon(clusterName: string, addonName: string): Promise<void>;
  /** The pods of one namespace, for the quick pick and for the restart fix. */
  listPods(namespace?: string): Promise<OwnedPod[]>;
  /** The controller of a ReplicaSet (its `ownerReferences` entry with `controller: true`): a Deployment's, or none. */
  getReplicaSetOwner(namespace: string, name: string): Promise<{ kind: string; name: string } | undefined>;
  /**
   * Sets the pod template's restartedAt annotation, so the controller replaces its pods by its own rollout rules;
   * says whether the patched Deployment is paused (its pods are then replaced only after a resume).
   */
  restartWorkload(workload: WorkloadRef, restartedAt: string): Promise<{ paused: boolean }>;
  /** Deletes the pod only if it is still the one with this uid (DeleteOptions.preconditions). */
  deletePod(namespace: string, name: string, uid: string): Promise<void>;
}

/** One cluster's workload identity gateways: what the explanation reads and what its fixes write. */
export interface WorkloadConnection {
  gateways: WorkloadGateways;
  fixes: WorkloadFixGateway;
}

export class SdkWorkloadFixGateway implements WorkloadFixGateway {
  private readonly eks: EKSClient;
  private readonly iam: IAMClient;

  constructor(
    target: AwsTarget,
    private readonly kube: KubeTarget,
    clients: { eks?: EKSClient; iam?: IAMClient } = {},
  ) {
    checkKubeTarget(kube);
    this.eks = clients.eks ?? new EKSClient(clientConfig(target, 'eks'));
    this.iam = clients.iam ?? new IAMClient({ ...clientConfig(target, 'iam'), region: target.region });
  }

  private async api(): Promise<CoreV1Api> {
    return (await kubeConfigFor(this.kube)).makeApiClient(CoreV1Api);
  }

  async createOidcProvider(request: OidcProviderRequest): Promise<string | undefined> {
    const out = await this.iam.send(new CreateOpenIDConnectProviderCommand({ Url: request.url, ClientIDList: request.clientIds }));
    return out.OpenIDConnectProviderArn;
  }

  async addClientIdToOidcProvider(request: ClientIdRequest): Promise<void> {
    await this.iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: request.providerArn, ClientID: request.clientId }));
  }

  async updateAssumeRolePolicy(roleName: string, policyDocument: string): Promise<void> {
    await this.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: policyDocument }));
  }

  async createPodIdentityAssociation(request: AssociationRequest): Promise<string | undefined> {
    const out = await this.eks.send(new CreatePodIdentityAssociationCommand(request));
    return out.association?.associationId;
  }

  async createAddon(clusterName: string, addonName: string): Promise<void> {
    await this.eks.send(new CreateAddonCommand({ clusterName, addonName }));
  }

  async listPods(namespace?: string): Promise<OwnedPod[]> {
    const api = await this.api();
    const out: OwnedPod[] = [];
    let next: string | undefined;
    do {
      const page = namespace ? await api.listNamespacedPod({ namespace, limit: 500, _continue: next }) : await api.listPodForAllNamespaces({ limit: 500, _continue: next });
      for (const p of page.items) {
        const owner = p.metadata?.ownerReferences?.find((o) => o.controller);
        out.push({ ...podInfo(p), owner: owner ? { kind: owner.kind, name: owner.name } : undefined });
      }
      next = page.metadata?._continue || undefined;
    } while (next);
    return out;
  }

  async getReplicaSetOwner(namespace: string, name: string): Promise<{ kind: string; name: string } | undefined> {
    const rs = await (await kubeConfigFor(this.kube)).makeApiClient(AppsV1Api).readNamespacedReplicaSet({ namespace, name });
    const owner = rs.metadata?.ownerReferences?.find((o) => o.controller);
    return owner ? { kind: owner.kind, name: owner.name } : undefined;
  }

  /**
   * The strategic merge patch kubectl sends (kubectl pkg/cmd/rollout/rollout_restart.go: a two-way merge patch of
   * the object with only the annotation changed, sent as types.StrategicMergePatchType).
   */
  async restartWorkload(workload: WorkloadRef, restartedAt: string): Promise<{ paused: boolean }> {
    const apps = (await kubeConfigFor(this.kube)).makeApiClient(AppsV1Api);
    const request = { namespace: workload.namespace, name: workload.name, body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } } };
    const options = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
    if (workload.kind === 'Deployment') return { paused: (await apps.patchNamespacedDeployment(request, options)).spec?.paused === true };
    if (workload.kind === 'StatefulSet') await apps.patchNamespacedStatefulSet(request, options);
    else await apps.patchNamespacedDaemonSet(request, options);
    return { paused: false };
  }

  async deletePod(namespace: string, name: string, uid: string): Promise<void> {
    await (await this.api()).deleteNamespacedPod({ namespace, name, body: { preconditions: { uid } } });
  }
}

/**
 * The real gateways of one cluster: the SDK clients for its profile and region, the Kubernetes API at its endpoint,
 * and IAM with the user's configured profiles (`otherProfiles`) for a target role in another account.
 */
export function workloadConnection(target: AwsTarget, kube: KubeTarget, otherProfiles?: () => Promise<ChosenProfile[]>): WorkloadConnection {
  const otherAccounts = otherProfiles ? otherAccountReader(otherProfiles, async (profile) => new SdkWorkloadIamGateway({ ...target, profile })) : undefined;
  return {
    gateways: { eks: new SdkWorkloadEksGateway(target), iam: new SdkWorkloadIamGateway(target), kube: new ClientNodeWorkloadKubeGateway(kube), otherAccounts },
    fixes: new SdkWorkloadFixGateway(target, kube),
  };
}
