/**
 * The aws-auth ConfigMap group: each mapping of mapRoles, mapUsers and mapAccounts, marked when it can never match
 * or when an access entry for the same principal wins.
 */
import { neverMatches, type NeverMatch } from '../auth/rules/arnRules';
import { Mapping, principalLabel, shadowedBy } from '../clusters/model';
import { ClusterSectionNode } from './clusterSection';
import { CONTEXT, ExplorerNode, InfoNode, makeChildren, type NodeView } from './explorerNode';

import type { ClusterNode } from './nodes';

export class AwsAuthNode extends ClusterSectionNode {
  /** How many mappings can never match a caller, once the children are loaded. */
  private neverMatching = 0;
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('aws-auth ConfigMap'), 'file-code', CONTEXT.awsAuth);
  }
  view(): NodeView {
    const v = super.view();
    if (this.clusterNode.summary.mode === 'API') return { ...v, collapsible: 'none', description: 'ignored in API mode' };
    if (!this.neverMatching) return v;
    const text = this.ctx.t('{0} never match', this.neverMatching);
    return { ...v, description: text, tooltip: this.ctx.t('{0} of its mappings can never match a caller: expand it to see why.', this.neverMatching), icon: 'warning' };
  }
  getChildren() {
    const c = this.clusterNode;
    return makeChildren(this, async () => {
      if (c.summary.mode === 'API') return [];
      const access = await this.ctx.clusters.access(c.ref);
      if (access.awsAuthError) throw new Error(access.awsAuthError);
      if (access.awsAuthMissing) return [new InfoNode(this, 'kube-system/aws-auth does not exist', undefined, 'info')];
      const entryArns = access.entries.map((e) => e.principalArn);
      const nodes = access.mappings.map((m) => new AwsAuthEntryNode(this, m, c.summary.mode === 'API_AND_CONFIG_MAP' ? shadowedBy(m, entryArns) : undefined));
      const neverMatching = nodes.filter((n) => n.neverMatch).length;
      if (neverMatching !== this.neverMatching) {
        this.neverMatching = neverMatching;
        // Drawn before its children were read: its description changes now.
        this.ctx.changed(this);
      }
      return nodes;
    }, this.ctx.t('No mappings in aws-auth'), c.ref.profile);
  }
}

export class AwsAuthEntryNode extends ExplorerNode {
  /** Why no caller can ever match this mapping (the linter's reason), if none can. */
  readonly neverMatch?: NeverMatch;
  constructor(
    parent: AwsAuthNode,
    readonly mapping: Mapping,
    readonly shadowedByEntry?: string,
  ) {
    super(parent, parent.ctx);
    this.arn = mapping.arn;
    this.neverMatch = mapping.item ? neverMatches(mapping.item) : undefined;
  }
  view(): NodeView {
    const m = this.mapping;
    const never = this.neverMatch;
    const parts = [never ? this.ctx.t('never matches ({0})', never.rule) : undefined, m.section, m.username, m.groups.length ? `groups: ${m.groups.join(', ')}` : undefined, this.shadowedByEntry ? 'shadowed by access entry' : undefined];
    return {
      label: m.section === 'mapAccounts' ? `account ${m.arn}` : principalLabel(m.arn),
      description: parts.filter(Boolean).join(' · '),
      tooltip: `${m.arn}\nusername: ${m.username ?? '(none)'}\ngroups: ${m.groups.join(', ') || 'none'}${never ? `\n\n${never.rule}: ${never.message}` : ''}${this.shadowedByEntry ? `\nThe access entry for ${this.shadowedByEntry} wins in API_AND_CONFIG_MAP mode: this mapping is not used.` : ''}`,
      icon: never ? 'warning' : this.shadowedByEntry ? 'circle-slash' : m.section === 'mapUsers' ? 'person' : 'account',
      iconIsError: !!never,
      collapsible: 'none',
      contextValue: CONTEXT.awsAuthEntry,
    };
  }
}
