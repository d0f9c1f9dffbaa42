/**
 * The Workload identity group under a cluster: the OIDC issuer and whether IAM has a provider for it, the
 * eks-pod-identity-agent add-on, the Pod Identity associations and the service accounts with an IRSA annotation, each
 * marked working or broken with the reason (the model: core/workload, gatherCluster and explainWorkload). Loaded when
 * expanded; what the identity may not read is a row that names the permission.
 */
import { COMMANDS } from '../commands';
import { markdownText } from '../markdown';
import type { ClusterWorkloads } from '../workload/gather';
import { gatherCluster, workloadCluster, type WorkloadTarget } from '../workload/gather';
import { issuerHostPath, parseRoleArn } from '../workload/explain';
import type { Step, WorkloadExplanation } from '../workload/model';
import { ClusterSectionNode } from './clusterSection';
import { CONTEXT, ExplorerNode, InfoNode, makeChildren, type NodeView } from './explorerNode';

import type { ClusterNode } from './nodes';

export class WorkloadIdentityNode extends ClusterSectionNode {
  constructor(clusterNode: ClusterNode) {
    super(clusterNode, clusterNode.ctx.t('Workload identity'), 'server-process', CONTEXT.workloadIdentity);
  }
  getChildren() {
    const c = this.clusterNode;
    return makeChildren(this, async () => {
      const { gateways } = await this.ctx.clusters.gateways.workloadFor(c.ref, c.summary);
      const data = await gatherCluster(gateways, workloadCluster(c.ref.cluster, c.ref.region, c.summary));
      return workloadSectionNodes(this, data);
    }, this.ctx.t('No workload identity'), c.ref.profile);
  }
}

/** A group of rows already loaded with the section: drawing it fetches nothing. */
export class WorkloadGroupNode extends ExplorerNode {
  rows: WorkloadRowNode[] = [];
  constructor(
    parent: ExplorerNode,
    private readonly label: string,
    private readonly icon: string,
    private readonly empty: string,
  ) {
    super(parent, parent.ctx);
  }
  view(): NodeView {
    const broken = this.rows.filter((r) => r.state === 'broken').length;
    return { label: this.label, description: broken ? this.ctx.t('{0} of {1} broken', broken, this.rows.length) : String(this.rows.length), icon: this.icon, collapsible: this.rows.length && broken ? 'expanded' : 'collapsed', contextValue: CONTEXT.workloadGroup };
  }
  async getChildren(): Promise<ExplorerNode[]> {
    return this.rows.length ? this.rows : [new InfoNode(this, this.empty, undefined, 'info', undefined, CONTEXT.placeholder)];
  }
}

export type WorkloadState = 'working' | 'broken' | 'unknown';

const ICONS: Record<WorkloadState, string> = { working: 'pass', broken: 'error', unknown: 'question' };

function stateOf(e: WorkloadExplanation): WorkloadState {
  return e.works ? 'working' : e.steps.some((s) => s.verdict === 'fail') || e.mechanism === 'none' ? 'broken' : 'unknown';
}

/**
 * The step that says why: the first failure, else the first open question. A row explains a service account without
 * its pods, so "no pod was looked at" is true of every row and never the reason.
 */
function reasonOf(e: WorkloadExplanation): Step | undefined {
  const open = e.steps.filter((s) => s.verdict === 'unknown' && !(s.id === 'injection' && s.kind === 'not-checked'));
  return e.steps.find((s) => s.verdict === 'fail' && s.id !== 'outcome') ?? open[0] ?? e.steps.find((s) => s.verdict === 'unknown');
}

const roleName = (arn: string | undefined) => (arn ? (parseRoleArn(arn)?.name ?? arn) : undefined);

/** One service account of the section, explained: the Explain Workload Identity command takes it as its target. */
export class WorkloadRowNode extends ExplorerNode {
  readonly state: WorkloadState;
  constructor(
    parent: ExplorerNode,
    readonly namespace: string,
    readonly name: string,
    readonly explanation: WorkloadExplanation,
    /** The role the service account is configured with (the association's or the annotation's). */
    readonly roleArn: string | undefined,
  ) {
    super(parent, parent.ctx);
    this.state = stateOf(explanation);
    this.arn = roleArn;
  }
  get target(): WorkloadTarget {
    return { serviceAccount: { namespace: this.namespace, name: this.name } };
  }
  view(): NodeView {
    const e = this.explanation;
    const why = reasonOf(e);
    const role = roleName(e.roleArn ?? this.roleArn);
    const status = this.state === 'working' ? this.ctx.t('works for new pods') : this.state === 'broken' ? this.ctx.t('broken: {0}', why?.title ?? '') : this.ctx.t('not checked: {0}', why?.title ?? '');
    const steps = e.steps.map((s) => `- **${s.verdict}** ${markdownText(s.title)}${s.fix && s.verdict !== 'ok' ? `  \n  ${this.ctx.t('Fix')}: ${markdownText(s.fix)}` : ''}`);
    return {
      label: `${this.namespace}/${this.name}`,
      description: [role, status].filter(Boolean).join(' · '),
      markdownTooltip: [`**${markdownText(`${this.namespace}/${this.name}`)}** (${markdownText(e.mechanism)})`, '', ...(this.roleArn ? [markdownText(this.roleArn), ''] : []), ...steps].join('\n'),
      icon: ICONS[this.state],
      iconIsError: this.state === 'broken',
      collapsible: 'none',
      contextValue: `${CONTEXT.workloadRow}.${this.state}`,
      command: { id: COMMANDS.workload.explain, title: this.ctx.t('Explain Workload Identity'), withNode: true },
    };
  }
}

function issuerNode(parent: ExplorerNode, data: ClusterWorkloads): ExplorerNode {
  const t = parent.ctx.t;
  const issuer = data.cluster.oidcIssuer;
  if (!issuer) return new InfoNode(parent, t('OIDC issuer'), t('none: IRSA cannot work on this cluster'), 'warning');
  const hostPath = issuerHostPath(issuer);
  const provider = data.oidcProviders?.find((p) => issuerHostPath(p.url) === hostPath);
  const [status, icon] = !data.oidcProviders ? [t('IAM provider not checked'), 'question'] : provider ? [t('IAM provider exists'), 'pass'] : [t('no IAM OIDC provider: IRSA roles cannot be assumed'), 'error'];
  const tooltip = `${issuer}\n${status}${provider?.arn ? `: ${provider.arn}` : ''}`;
  return new InfoNode(parent, t('OIDC issuer'), `${hostPath} · ${status}`, icon, tooltip);
}

function agentNode(parent: ExplorerNode, data: ClusterWorkloads): ExplorerNode {
  const t = parent.ctx.t;
  const status = data.agent?.addonStatus;
  const needed = (data.associations?.length ?? 0) > 0;
  if (!status) return new InfoNode(parent, t('Pod Identity Agent'), t('not checked'), 'question');
  if (status === 'absent') return new InfoNode(parent, t('Pod Identity Agent'), needed ? t('not installed: the associations give pods nothing') : t('not installed'), needed ? 'error' : 'circle-slash', t('The eks-pod-identity-agent add-on is not installed'));
  return new InfoNode(parent, t('Pod Identity Agent'), t('add-on {0}', status), status === 'ACTIVE' ? 'pass' : 'warning', t('eks-pod-identity-agent add-on: {0}', status));
}

/** The section's rows from what gatherCluster read and explained; pure, so it is tested without a cluster. */
export function workloadSectionNodes(parent: ExplorerNode, data: ClusterWorkloads): ExplorerNode[] {
  const t = parent.ctx.t;
  const nodes: ExplorerNode[] = [issuerNode(parent, data), agentNode(parent, data)];
  const associated = new Map((data.associations ?? []).map((a) => [`${a.namespace}/${a.serviceAccount}`, a]));
  const pods = new WorkloadGroupNode(parent, t('Pod Identity associations'), 'link', t('No Pod Identity associations'));
  const irsa = new WorkloadGroupNode(parent, t('IRSA service accounts'), 'account', t('No service account has an IRSA annotation'));
  for (const row of [...data.rows].sort((a, b) => a.serviceAccount.localeCompare(b.serviceAccount))) {
    const [namespace, ...rest] = row.serviceAccount.split('/');
    const association = associated.get(row.serviceAccount);
    const group = association ? pods : irsa;
    group.rows.push(new WorkloadRowNode(group, namespace, rest.join('/'), row.explanation, row.roleArn));
  }
  if (data.associations) nodes.push(pods);
  nodes.push(irsa);
  for (const u of data.unreadable) nodes.push(new InfoNode(parent, t('Could not read {0}', u.what), t('needs {0}', u.permission), 'warning', `${u.detail}\n${t('Allow {0} to see this part.', u.permission)}`));
  return nodes;
}
