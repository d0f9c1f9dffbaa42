/**
 * The fixed groups under a cluster (Details, Access entries, aws-auth ConfigMap, Node roles) and the Details group,
 * which shows DescribeCluster's answer.
 */
import { MODE_LABELS, whoCanGetIn } from '../clusters/model';
import { CONTEXT, ExplorerNode, InfoNode, type NodeView } from './explorerNode';

import type { ClusterNode } from './nodes';

export const MODE_ICONS = { CONFIG_MAP: 'file-code', API_AND_CONFIG_MAP: 'key', API: 'shield' } as const;

/** A fixed group under a cluster: Details, Access entries, aws-auth ConfigMap, Node roles. */
export abstract class ClusterSectionNode extends ExplorerNode {
  constructor(
    readonly clusterNode: ClusterNode,
    private readonly label: string,
    private readonly icon: string,
    private readonly contextValue: string,
  ) {
    super(clusterNode, clusterNode.ctx);
  }
  view(): NodeView {
    return { label: this.label, icon: this.icon, collapsible: 'collapsed', contextValue: this.contextValue };
  }
}

export class DetailsNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('Details'), 'info', CONTEXT.details);
  }
  async getChildren() {
    const s = this.clusterNode.summary;
    const info = (label: string, value: string, icon?: string, tooltip?: string) => new InfoNode(this, label, value, icon, tooltip);
    const nodes = [
      info('Kubernetes version', s.version, 'versions'),
      info('Platform version', `${s.platformVersion}${s.supportsAccessEntries ? ' (supports access entries)' : ' (too old for access entries)'}`, s.supportsAccessEntries ? 'pass' : 'warning'),
      info('Authentication mode', `${s.mode} (${MODE_LABELS[s.mode]})`, MODE_ICONS[s.mode], whoCanGetIn(s)),
      info('Authenticator logging', s.authenticatorLogging ? 'on' : 'off: troubleshooting finds nothing', s.authenticatorLogging ? 'pass' : 'warning'),
      info('Log types', s.enabledLogTypes.length ? s.enabledLogTypes.join(', ') : 'none', 'output'),
      info('Endpoint access', [s.endpointPublicAccess ? 'public' : '', s.endpointPrivateAccess ? 'private' : ''].filter(Boolean).join(' + ') || 'none', 'plug'),
      info('OIDC issuer', s.oidcIssuer ?? 'none', 'link'),
      info('VPC', `${s.vpcId ?? 'unknown'} (${s.subnetCount} subnets)`, 'type-hierarchy'),
      info('Cluster IAM role', s.roleArn ?? 'unknown', 'person'),
    ];
    if (s.mode === 'CONFIG_MAP') nodes.push(info('Cluster creator', 'has invisible cluster-admin (system:masters) that appears in no configuration', 'eye-closed'));
    return nodes;
  }
}
