/** Gateways per profile and region, built on first use from the settings and shared by every feature. */
import * as vscode from 'vscode';
import type { AwsTarget } from '../core/aws/clients';
import type { EksGateway } from '../core/aws/eksGateway';
import type { IamGateway } from '../core/aws/iamGateway';
import type { KubeGateway, KubeTarget } from '../core/aws/kubeGateway';
import type { LogsGateway } from '../core/aws/logsGateway';
import type { StsGateway } from '../core/aws/stsGateway';
import type { ClusterRef, GatewaySource, Identity } from '../core/clusters/clusterAccess';
import type { ClusterSummary } from '../core/clusters/model';
import type { WorkloadConnection } from '../core/workload/fixGateway';
import { loadedModules, loadEks, loadIam, loadKube, loadLogs, loadProfiles, loadSts, loadWorkload } from '../shared/lazy';
import { endpointOverrides, settings, userSetting } from '../shared/settings';
import { requireTrust, UntrustedWorkspaceError } from '../shared/trust';

export class Connections implements GatewaySource {
  private readonly gateways = new Map<string, Promise<unknown>>();
  private listeningForExpiry = false;
  private readonly warnedExpiries = new Set<string>();

  constructor(private readonly log?: vscode.LogOutputChannel) {}

  /** Says once per profile and expiry that credentials expire within five minutes (they are still used). */
  private async listenForExpiry(): Promise<void> {
    if (this.listeningForExpiry) return;
    this.listeningForExpiry = true;
    const { onCredentialsNearExpiry } = await import('../core/aws/clients');
    onCredentialsNearExpiry((profile, expiration) => {
      const key = `${profile ?? ''}|${expiration.getTime()}`;
      if (this.warnedExpiries.has(key)) return;
      this.warnedExpiries.add(key);
      const minutes = Math.max(0, Math.round((expiration.getTime() - Date.now()) / 60_000));
      const who = profile ? `profile ${profile}` : 'the default credentials';
      this.log?.warn(`The AWS credentials of ${who} expire at ${expiration.toISOString()}, in ${minutes} minutes`);
      void vscode.window.showWarningMessage(vscode.l10n.t('The AWS credentials of {0} expire in {1} minutes ({2}). EKS Auth Explorer uses them until then: refresh them (aws sso login, aws-vault exec) to keep working.', who, minutes, expiration.toLocaleTimeString()));
    });
  }

  target(profile: string | undefined, region: string): AwsTarget {
    return { profile, region, endpoints: endpointOverrides() };
  }

  /** One gateway per service, profile and region; a failed build is forgotten so the next call tries again. */
  private gateway<T>(service: string, profile: string | undefined, region: string, build: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([service, profile ?? null, region]);
    let g = this.gateways.get(key) as Promise<T> | undefined;
    if (!g) {
      // Every signed AWS call starts here: none in Restricted Mode.
      if (!vscode.workspace.isTrusted) return Promise.reject(new UntrustedWorkspaceError(vscode.l10n.t('Calling AWS')));
      void this.listenForExpiry();
      g = build();
      this.gateways.set(key, g);
      g.catch(() => this.gateways.get(key) === g && this.gateways.delete(key));
    }
    return g;
  }

  eksFor(profile: string | undefined, region: string): Promise<EksGateway> {
    return this.gateway('eks', profile, region, async () => new (await loadEks()).SdkEksGateway(this.target(profile, region)));
  }

  logsFor(profile: string | undefined, region: string): Promise<LogsGateway> {
    return this.gateway('logs', profile, region, async () => new (await loadLogs()).SdkLogsGateway(this.target(profile, region)));
  }

  stsFor(profile: string | undefined, region: string): Promise<StsGateway> {
    return this.gateway('sts', profile, region, async () => new (await loadSts()).SdkStsGateway(this.target(profile, region)));
  }

  iamFor(profile: string | undefined, region: string): Promise<IamGateway> {
    return this.gateway('iam', profile, region, async () => new (await loadIam()).SdkIamGateway(this.target(profile, region)));
  }

  /** The cluster's Kubernetes API, reached with tokens from the profile's credentials. */
  private async kubeTarget(ref: ClusterRef, summary: ClusterSummary): Promise<KubeTarget> {
    requireTrust(vscode.l10n.t('Calling the Kubernetes API'));
    if (!summary.endpoint || !summary.caData) throw new Error(`Cluster ${ref.cluster} has no endpoint yet (status ${summary.status}).`);
    const sts = await this.stsFor(ref.profile, ref.region);
    return { clusterName: ref.cluster, region: ref.region, endpoint: summary.endpoint, caData: summary.caData, credentials: () => sts.getCredentials() };
  }

  async kubeFor(ref: ClusterRef, summary: ClusterSummary): Promise<KubeGateway> {
    const target = await this.kubeTarget(ref, summary);
    return new (await loadKube()).ClientNodeKubeGateway(target);
  }

  async workloadFor(ref: ClusterRef, summary: ClusterSummary): Promise<WorkloadConnection> {
    const kube = await this.kubeTarget(ref, summary);
    // A target role in another account is read with the explorer's own profiles in that account; never the default chain.
    const otherProfiles = async () =>
      (await this.identities())
        .filter((i) => i.profile !== undefined && i.profile !== ref.profile)
        .map((i) => ({ profile: i.profile, account: async () => (await (await this.stsFor(i.profile, ref.region)).getCallerIdentity()).account }));
    return (await loadWorkload()).workloadConnection(this.target(ref.profile, ref.region), kube, otherProfiles);
  }

  /** Profiles from settings or the shared files, each with its regions; the default chain when there are none. */
  async identities(): Promise<Identity[]> {
    const configured = userSetting<string[]>('profiles') ?? [];
    const extraRegions = settings().get<string[]>('regions') ?? [];
    const profiles = await (await loadProfiles()).listProfiles().catch(() => []);
    const chosen = configured.length ? configured.map((name) => profiles.find((p) => p.name === name) ?? { name, sso: false, region: undefined }) : profiles;
    const regionsFor = (own?: string) => {
      const set = [...new Set([...(own ? [own] : []), ...extraRegions])];
      return set.length ? set : [process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1'];
    };
    if (!chosen.length) return [{ profile: undefined, label: 'default credentials', regions: regionsFor(process.env.AWS_REGION), sso: false }];
    return chosen.map((p) => ({ profile: p.name, label: p.name, regions: regionsFor(p.region), sso: p.sso }));
  }

  /** Forget every gateway and cached credential, for a full refresh after settings or credentials change. */
  reset(): void {
    this.gateways.clear();
    // Only when the SDK is already loaded: a refresh must not load it just to clear an empty cache.
    if (loadedModules().length) void import('../core/aws/clients').then((m) => m.clearCredentialCache());
  }
}
