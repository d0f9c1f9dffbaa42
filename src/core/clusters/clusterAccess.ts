/**
 * What every feature knows about a cluster, loaded once and shared: its summary, its access entries and its
 * aws-auth (as the authenticator model reads it), keyed by cluster. Features ask this service instead of each
 * other; a change made by one feature invalidates the cluster here and every listener (the tree) redraws.
 */
import type { AccessState } from '../access/accessDiff';
import type { AccessContext } from '../access/explain';
import { accessEntryMatches, AccessEntryInfo, AwsAuthModel, callerFor } from '../auth/authenticator';
import { explainAwsError, formatExplained } from '../aws/errors';
import type { EksGateway } from '../aws/eksGateway';
import type { IamGateway } from '../aws/iamGateway';
import type { KubeGateway } from '../aws/kubeGateway';
import type { LogsGateway } from '../aws/logsGateway';
import type { StsGateway } from '../aws/stsGateway';
import type { WorkloadConnection } from '../workload/fixGateway';
import { mapLimit } from '../concurrency';
import { CONCURRENCY, loadAllAccessEntries, loadClusterSummaries } from './loader';
import { ClusterSummary, Mapping, readMappings, summarizeCluster } from './model';
import { isUnknown, listNodeRoles } from './nodeRoles';

/** Identifies one cluster: enough to rebuild every gateway for it. */
export interface ClusterRef {
  profile?: string;
  region: string;
  cluster: string;
}

/** An AWS profile (or the default chain) and the regions the explorer looks at for it. */
export interface Identity {
  /** undefined: the default credential chain. */
  profile?: string;
  label: string;
  regions: string[];
  sso: boolean;
}

/** Gateways per profile and region. The extension builds them from settings; tests pass fakes. */
export interface GatewaySource {
  identities(): Promise<Identity[]>;
  eksFor(profile: string | undefined, region: string): Promise<EksGateway>;
  stsFor(profile: string | undefined, region: string): Promise<StsGateway>;
  logsFor(profile: string | undefined, region: string): Promise<LogsGateway>;
  iamFor(profile: string | undefined, region: string): Promise<IamGateway>;
  kubeFor(ref: ClusterRef, summary: ClusterSummary): Promise<KubeGateway>;
  /** The workload identity gateways of one cluster: the reads the explanation makes and the writes of its fixes. */
  workloadFor(ref: ClusterRef, summary: ClusterSummary): Promise<WorkloadConnection>;
  /** Forget every gateway and cached credential. */
  reset(): void;
}

/** What a cluster's access looks like: loaded once, shared by the tree, Explain, migration and the editor. */
export interface ClusterAccess {
  entries: AccessEntryInfo[];
  mappings: Mapping[];
  awsAuth?: Record<string, string>;
  /** aws-auth as the authenticator model loaded it, shared by the aws-auth section and the node-role checks. */
  awsAuthModel?: AwsAuthModel;
  awsAuthError?: string;
  awsAuthMissing?: boolean;
}

/** A cluster found by listing a region, or the error that listing or describing it gave. */
export type ListedCluster = { ref: ClusterRef; summary: ClusterSummary } | { ref: ClusterRef; error: Error };

/** Anything that belongs to one cluster, such as a tree node: commands accept these as their argument. */
export interface ClusterScoped {
  clusterRef(): ClusterRef | undefined;
}

export function clusterKey(ref: ClusterRef): string {
  return JSON.stringify([ref.profile ?? null, ref.region, ref.cluster]);
}

/** A command's argument as a cluster: a ClusterRef, or something scoped to one (a tree node); else undefined. */
export function clusterRefOf(arg: unknown): ClusterRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const scoped = arg as Partial<ClusterScoped> & Partial<ClusterRef>;
  if (typeof scoped.clusterRef === 'function') return scoped.clusterRef();
  if (typeof scoped.cluster === 'string' && typeof scoped.region === 'string') return { profile: scoped.profile, region: scoped.region, cluster: scoped.cluster };
  return undefined;
}

type Listener = (ref: ClusterRef | undefined) => void | Promise<void>;

export class ClusterAccessService {
  private readonly summaries = new Map<string, Promise<ClusterSummary>>();
  private readonly accesses = new Map<string, Promise<ClusterAccess>>();
  private readonly regions = new Map<string, Promise<ListedCluster[]>>();
  private readonly listeners = new Set<Listener>();
  /** Counts invalidations, so a listing that started before one does not bring back what it forgot. */
  private generation = 0;
  private readonly invalidatedAt = new Map<string, number>();
  private fullInvalidationAt = 0;

  constructor(readonly gateways: GatewaySource) {}

  /** Called with the cluster that changed, or undefined when everything did. */
  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Every cluster of one profile and region, described (10 at a time). The list is cached until everything is
   * invalidated; each cluster's summary is the current one, described again after that cluster was invalidated.
   */
  async listRegion(profile: string | undefined, region: string): Promise<ListedCluster[]> {
    const key = JSON.stringify([profile ?? null, region]);
    const listed = await this.cached(this.regions, key, async () => {
      const started = this.generation;
      const eks = await this.gateways.eksFor(profile, region);
      return (await loadClusterSummaries(eks)).map(({ name, summary }): ListedCluster => {
        const ref = { profile, region, cluster: name };
        if (summary instanceof Error) return { ref, error: summary };
        const k = clusterKey(ref);
        // A listing that an invalidation overtook must not bring back the summary it forgot.
        if (!this.summaries.has(k) && (this.invalidatedAt.get(k) ?? this.fullInvalidationAt) <= started) this.summaries.set(k, Promise.resolve(summary));
        return { ref, summary };
      });
    });
    return Promise.all(listed.map(async (c): Promise<ListedCluster> => ('error' in c ? c : this.summary(c.ref).then((summary) => ({ ref: c.ref, summary }), (error: Error) => ({ ref: c.ref, error })))));
  }

  /** Every cluster in every configured profile and region. A region that fails to list is left out. */
  async listAll(): Promise<{ ref: ClusterRef; summary: ClusterSummary }[]> {
    const out: { ref: ClusterRef; summary: ClusterSummary }[] = [];
    for (const identity of await this.gateways.identities()) {
      const lists = await Promise.all(identity.regions.map((r) => this.listRegion(identity.profile, r).catch(() => [] as ListedCluster[])));
      for (const c of lists.flat()) if ('summary' in c) out.push(c);
    }
    return out;
  }

  /** The cluster's summary; `fresh` describes it again (after a change, or before a decision that needs it now). */
  summary(ref: ClusterRef, fresh = false): Promise<ClusterSummary> {
    const key = clusterKey(ref);
    if (fresh) this.summaries.delete(key);
    return this.cached(this.summaries, key, async () => summarizeCluster(await (await this.gateways.eksFor(ref.profile, ref.region)).describeCluster(ref.cluster)));
  }

  /** Access entries and aws-auth of the cluster; an unreadable aws-auth is a field of the answer, not a failure. */
  access(ref: ClusterRef): Promise<ClusterAccess> {
    return this.cached(this.accesses, clusterKey(ref), async () => {
      const summary = await this.summary(ref);
      const eks = await this.gateways.eksFor(ref.profile, ref.region);
      const entries = summary.mode !== 'CONFIG_MAP' ? await loadAllAccessEntries(eks, ref.cluster) : [];
      const access: ClusterAccess = { entries, mappings: [] };
      if (summary.mode === 'API') return access;
      try {
        const cm = await (await this.gateways.kubeFor(ref, summary)).getAwsAuth();
        if (!cm) access.awsAuthMissing = true;
        else {
          access.awsAuth = cm.data;
          const read = readMappings(cm.data);
          access.mappings = read.mappings;
          access.awsAuthModel = read.model;
        }
      } catch (e) {
        access.awsAuthError = formatExplained(explainAwsError(e, ref.profile));
      }
      return access;
    });
  }

  /** Everything explaining one principal needs: the entry that can match it with its policies, and RBAC bindings. */
  async explainContext(ref: ClusterRef, principal: string): Promise<{ context: AccessContext; notes: string[] }> {
    const notes: string[] = [];
    const [summary, access] = await Promise.all([this.summary(ref), this.access(ref)]);
    if (access.awsAuthError) notes.push(`aws-auth could not be read: ${access.awsAuthError}`);
    const wanted = callerFor(principal).principal?.canonical;
    const match = wanted ? access.entries.find((e) => accessEntryMatches(e.principalArn, wanted)) : undefined;
    const eks = await this.gateways.eksFor(ref.profile, ref.region);
    // Only the entry that can match needs its policies.
    const policies = match ? await eks.listAssociatedAccessPolicies(ref.cluster, match.principalArn) : [];
    const entries = access.entries.map((e) => (e === match ? { ...e, policies } : e));
    let bindings;
    try {
      bindings = await (await this.gateways.kubeFor(ref, summary)).listRbacBindings();
    } catch (e) {
      notes.push(`RBAC bindings could not be read: ${formatExplained(explainAwsError(e, ref.profile))}`);
    }
    return { context: { mode: summary.mode, accessEntries: entries, awsAuth: access.awsAuth, bindings }, notes };
  }

  /**
   * The cluster's access as it is now, for a before-and-after diff: read fresh, with every page of access entries
   * and every entry's policies (a last-admin check that saw only the first page would be wrong), the RBAC bindings
   * and the caller where they can be read, and the node group and Fargate roles (or why they could not be listed).
   */
  async currentState(ref: ClusterRef): Promise<AccessState> {
    const summary = await this.summary(ref, true);
    const eks = await this.gateways.eksFor(ref.profile, ref.region);
    const kube = await this.gateways.kubeFor(ref, summary).catch(() => undefined);
    // The access entries must be read (the last-admin check depends on them); aws-auth behind RBAC and node roles
    // behind IAM are carried as unknown with their reason, so the diff says what it could not check.
    const [entries, awsAuth, bindings, nodeRoles, caller] = await Promise.all([
      summary.mode === 'CONFIG_MAP' ? Promise.resolve([]) : loadAllAccessEntries(eks, ref.cluster),
      summary.mode === 'API' || !kube ? Promise.resolve(undefined) : kube.getAwsAuth().catch((e: Error) => e),
      kube ? kube.listRbacBindings().catch(() => undefined) : Promise.resolve(undefined),
      listNodeRoles(eks, ref.cluster, ref.profile),
      this.gateways.stsFor(ref.profile, ref.region).then((s) => s.getCallerIdentity()).catch(() => undefined),
    ]);
    const accessEntries = await mapLimit(entries, CONCURRENCY, async (e) => ({ ...e, policies: await eks.listAssociatedAccessPolicies(ref.cluster, e.principalArn) }));
    return {
      mode: summary.mode,
      awsAuth: awsAuth instanceof Error ? undefined : awsAuth?.data,
      awsAuthError: awsAuth instanceof Error ? awsAuth.message : summary.mode !== 'API' && !kube ? 'the cluster has no endpoint' : undefined,
      accessEntries,
      bindings,
      nodeRoles: isUnknown(nodeRoles) ? { unknown: nodeRoles.unknown } : nodeRoles.filter((r) => r.arn),
      callerArn: caller?.arn,
      creatorAdmin: summary.mode === 'CONFIG_MAP' ? true : undefined,
    };
  }

  /**
   * Forgets what is known about one cluster (after a change to it) or about everything (and the gateways with
   * their credentials), and tells the listeners; resolves when they are done (the tree has redrawn it).
   */
  async invalidate(ref?: ClusterRef): Promise<void> {
    this.generation++;
    if (ref) {
      this.summaries.delete(clusterKey(ref));
      this.accesses.delete(clusterKey(ref));
      this.invalidatedAt.set(clusterKey(ref), this.generation);
    } else {
      this.invalidatedAt.clear();
      this.fullInvalidationAt = this.generation;
      this.summaries.clear();
      this.accesses.clear();
      this.regions.clear();
      this.gateways.reset();
    }
    await Promise.allSettled([...this.listeners].map(async (l) => l(ref)));
  }

  /** A cached load that is forgotten when it fails, so the next ask tries again. */
  private cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let p = map.get(key);
    if (!p) {
      p = load();
      map.set(key, p);
      p.catch(() => {
        if (map.get(key) === p) map.delete(key);
      });
    }
    return p;
  }
}
