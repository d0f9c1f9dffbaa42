/** Gateways per profile and region, built on first use and shared by the tree, the commands and the panels. */
import type { AwsTarget } from '../../core/aws/clients';
import type { EksGateway } from '../../core/aws/eksGateway';
import type { KubeGateway } from '../../core/aws/kubeGateway';
import type { LogsGateway } from '../../core/aws/logsGateway';
import type { StsGateway } from '../../core/aws/stsGateway';
import type { ClusterSummary } from '../../core/clusters/model';
import { loadedModules, loadEks, loadKube, loadLogs, loadProfiles, loadSts } from '../../shared/lazy';
import { endpointOverrides, settings } from '../../shared/settings';

export interface Identity {
  /** undefined: the default credential chain. */
  profile?: string;
  label: string;
  regions: string[];
  sso: boolean;
}

/** Identifies one cluster: enough to rebuild every gateway for it. */
export interface ClusterRef {
  profile?: string;
  region: string;
  cluster: string;
}

export class Connections {
  private readonly eks = new Map<string, EksGateway>();
  private readonly logs = new Map<string, LogsGateway>();
  private readonly sts = new Map<string, StsGateway>();

  target(profile: string | undefined, region: string): AwsTarget {
    return { profile, region, endpoints: endpointOverrides() };
  }

  private key(profile: string | undefined, region: string) {
    return `${profile ?? ''}|${region}`;
  }

  async eksFor(profile: string | undefined, region: string): Promise<EksGateway> {
    const k = this.key(profile, region);
    if (!this.eks.has(k)) this.eks.set(k, new (await loadEks()).SdkEksGateway(this.target(profile, region)));
    return this.eks.get(k)!;
  }

  async logsFor(profile: string | undefined, region: string): Promise<LogsGateway> {
    const k = this.key(profile, region);
    if (!this.logs.has(k)) this.logs.set(k, new (await loadLogs()).SdkLogsGateway(this.target(profile, region)));
    return this.logs.get(k)!;
  }

  async stsFor(profile: string | undefined, region: string): Promise<StsGateway> {
    const k = this.key(profile, region);
    if (!this.sts.has(k)) this.sts.set(k, new (await loadSts()).SdkStsGateway(this.target(profile, region)));
    return this.sts.get(k)!;
  }

  async kubeFor(ref: ClusterRef, summary: ClusterSummary): Promise<KubeGateway> {
    if (!summary.endpoint || !summary.caData) throw new Error(`Cluster ${ref.cluster} has no endpoint yet (status ${summary.status}).`);
    const sts = await this.stsFor(ref.profile, ref.region);
    const { ClientNodeKubeGateway } = await loadKube();
    return new ClientNodeKubeGateway({ clusterName: ref.cluster, region: ref.region, endpoint: summary.endpoint, caData: summary.caData, credentials: () => sts.getCredentials() });
  }

  /** Profiles from settings or the shared files, each with its regions; the default chain when there are none. */
  async identities(): Promise<Identity[]> {
    const configured = settings().get<string[]>('profiles') ?? [];
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
    this.eks.clear();
    this.logs.clear();
    this.sts.clear();
    // Only when the SDK is already loaded: a refresh must not load it just to clear an empty cache.
    if (loadedModules().length) void import('../../core/aws/clients').then((m) => m.clearCredentialCache());
  }
}
