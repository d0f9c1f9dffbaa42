/**
 * The Access entries group: a cluster's access entries, a page at a time, each with its associated access policies
 * (EKS ListAccessEntries, DescribeAccessEntry, ListAssociatedAccessPolicies).
 */
import type { AccessEntry, AssociatedAccessPolicy } from '../aws/eksGateway';
import { loadAccessEntryPage } from '../clusters/loader';
import { accessPolicyName, principalLabel, scopeLabel } from '../clusters/model';
import { ClusterSectionNode } from './clusterSection';
import { COMMANDS } from '../commands';
import { CONTEXT, ExplorerNode, makeChildren, type NodeView } from './explorerNode';

import type { ClusterNode } from './nodes';

export class AccessEntriesNode extends ClusterSectionNode {
  private loaded: AccessEntryNode[] = [];
  private nextToken?: string;
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('Access entries'), 'key', CONTEXT.accessEntries);
  }
  /** Forgets the pages loaded so far: the next getChildren starts from the first page again. */
  reset(): void {
    this.loaded = [];
    this.nextToken = undefined;
  }
  /** The entries paged in so far, with their policies. */
  get entries(): readonly AccessEntryNode[] {
    return this.loaded;
  }
  get hasMore(): boolean {
    return this.nextToken !== undefined;
  }
  /** Loads the first page, or the next one after "load more". */
  async loadPage(): Promise<void> {
    const { ref } = this.clusterNode;
    const eks = await this.ctx.clusters.gateways.eksFor(ref.profile, ref.region);
    const page = await loadAccessEntryPage(eks, ref.cluster, this.nextToken);
    this.loaded.push(...page.items.map(({ entry, policies }) => new AccessEntryNode(this, entry, policies)));
    this.nextToken = page.nextToken;
  }
  getChildren() {
    return makeChildren(this, async () => {
      if (!this.loaded.length) await this.loadPage();
      return [...this.loaded, ...(this.nextToken ? [new LoadMoreNode(this)] : [])];
    }, this.ctx.t('No access entries'), this.clusterNode.ref.profile);
  }
}

export class LoadMoreNode extends ExplorerNode {
  constructor(readonly owner: AccessEntriesNode) {
    super(owner, owner.ctx);
  }
  view(): NodeView {
    return { label: this.ctx.t('Load more...'), icon: 'ellipsis', collapsible: 'none', contextValue: CONTEXT.loadMore, command: { id: COMMANDS.accessEntries.loadMore, title: 'Load More', withNode: true } };
  }
}

/** Backticks cannot end a Markdown code span that is fenced with more backticks than the value holds. */
function code(value: string | undefined): string {
  const v = value ?? '';
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${longest ? ' ' : ''}${v}${longest ? ' ' : ''}${fence}`;
}

export class AccessEntryNode extends ExplorerNode {
  constructor(
    readonly owner: AccessEntriesNode,
    readonly entry: AccessEntry,
    readonly policies: AssociatedAccessPolicy[],
  ) {
    super(owner, owner.ctx);
    this.arn = entry.principalArn;
  }
  view(): NodeView {
    const e = this.entry;
    const groups = e.kubernetesGroups?.length ? ` · groups: ${e.kubernetesGroups.join(', ')}` : '';
    const policies = this.policies.map((p) => `${accessPolicyName(p.policyArn ?? '')} (${scopeLabel(p.accessScope)})`).join('; ') || 'none';
    return {
      label: principalLabel(e.principalArn ?? ''),
      description: `${e.type ?? 'STANDARD'} · ${e.username ?? ''}${groups}`,
      markdownTooltip: `**${code(e.principalArn)}**\n\n- type: ${code(e.type)}\n- username: ${code(e.username)}\n- groups: ${(e.kubernetesGroups ?? []).map(code).join(', ') || 'none'}\n- policies: ${code(policies)}`,
      icon: /:user\//.test(e.principalArn ?? '') ? 'person' : 'account',
      collapsible: this.policies.length ? 'collapsed' : 'none',
      contextValue: `${CONTEXT.accessEntry}.${(e.type ?? 'STANDARD') === 'STANDARD' ? 'standard' : 'node'}`,
    };
  }
  async getChildren() {
    return this.policies.map((p) => new PolicyNode(this, p));
  }
}

export class PolicyNode extends ExplorerNode {
  constructor(
    readonly entryNode: AccessEntryNode,
    readonly policy: AssociatedAccessPolicy,
  ) {
    super(entryNode, entryNode.ctx);
    this.arn = policy.policyArn;
  }
  view(): NodeView {
    const scope = scopeLabel(this.policy.accessScope);
    return { label: accessPolicyName(this.policy.policyArn ?? ''), description: scope, tooltip: `${this.policy.policyArn}\nScope: ${scope}`, icon: 'law', collapsible: 'none', contextValue: CONTEXT.policy };
  }
}
