/** Access entry actions from the tree or the palette: create, delete, associate and disassociate a policy. */
import * as vscode from 'vscode';
import { accessEntryMatches, callerFor } from '../../core/auth/authenticator';
import { AccessEntryNode, PolicyNode } from '../../core/explorer/nodes';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import { associatePolicyWizard } from './associatePolicyWizard';
import { createAccessEntryWizard } from './createAccessEntryWizard';

export function registerAccessEntryCommands({ log, clusters }: Services): vscode.Disposable[] {
  return [
    registerGuarded(log, 'eksAuth.accessEntries.create', async (node?: unknown, principalArn?: string) => {
      const c = await pickCluster(clusters, node);
      if (!c) return;
      if (c.summary.mode === 'CONFIG_MAP') {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} uses authentication mode CONFIG_MAP: change it to API_AND_CONFIG_MAP before creating access entries.', c.ref.cluster));
        return;
      }
      try {
        await createAccessEntryWizard(clusters, c.ref, principalArn);
      } finally {
        await clusters.invalidate(c.ref);
      }
    }),
    registerGuarded(log, 'eksAuth.accessEntries.delete', async (node?: AccessEntryNode) => {
      if (!(node instanceof AccessEntryNode)) return;
      const ref = node.owner.clusterNode.ref;
      const arn = node.entry.principalArn!;
      const warnings: string[] = [];
      const me = await (await clusters.gateways.stsFor(ref.profile, ref.region)).getCallerIdentity().catch(() => undefined);
      const mine = me ? callerFor(me.arn).principal?.canonical : undefined;
      if (mine && accessEntryMatches(arn, mine)) warnings.push(vscode.l10n.t('This is your own identity: you may lose access to the cluster.'));
      const admins = node.owner.entries.filter((n) => n.policies.some((p) => p.policyArn?.endsWith('/AmazonEKSClusterAdminPolicy')));
      if (admins.length === 1 && admins[0].entry.principalArn === arn && !node.owner.hasMore) warnings.push(vscode.l10n.t('It is the last access entry with AmazonEKSClusterAdminPolicy.'));
      const confirm = vscode.l10n.t('Delete');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Delete the access entry for {0} from {1}?', arn, ref.cluster), { modal: true, detail: warnings.join(' ') || undefined }, confirm);
      if (answer !== confirm) return;
      try {
        await (await clusters.gateways.eksFor(ref.profile, ref.region)).deleteAccessEntry(ref.cluster, arn);
      } finally {
        await clusters.invalidate(ref);
      }
    }),
    registerGuarded(log, 'eksAuth.accessEntries.associatePolicy', async (node?: AccessEntryNode) => {
      if (!(node instanceof AccessEntryNode)) return;
      const ref = node.owner.clusterNode.ref;
      if (await associatePolicyWizard(clusters, ref, node.entry.principalArn!)) await clusters.invalidate(ref);
    }),
    registerGuarded(log, 'eksAuth.accessEntries.disassociatePolicy', async (node?: PolicyNode) => {
      if (!(node instanceof PolicyNode)) return;
      const ref = node.entryNode.owner.clusterNode.ref;
      const confirm = vscode.l10n.t('Disassociate');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Disassociate {0} from {1}?', node.policy.policyArn ?? '', node.entryNode.entry.principalArn ?? ''), { modal: true }, confirm);
      if (answer !== confirm) return;
      try {
        await (await clusters.gateways.eksFor(ref.profile, ref.region)).disassociateAccessPolicy(ref.cluster, node.entryNode.entry.principalArn!, node.policy.policyArn!);
      } finally {
        await clusters.invalidate(ref);
      }
    }),
  ];
}
