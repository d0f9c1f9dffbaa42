/** Access entry actions from the tree or the palette: create, delete, associate and disassociate a policy. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import { diffAccess } from '../../core/access/accessDiff';
import { AccessEntryNode, NodeRoleNode, PolicyNode } from '../../core/explorer/nodes';
import { withEntry } from '../../services/changeSafety';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import { associatePolicyWizard } from './associatePolicyWizard';
import { createAccessEntryWizard } from './createAccessEntryWizard';

export function registerAccessEntryCommands({ log, clusters, changeSafety }: Services): vscode.Disposable[] {
  return [
    registerGuarded(log, COMMANDS.accessEntries.create, async (node?: unknown, principalArn?: string) => {
      const c = await pickCluster(clusters, node);
      if (!c) return;
      if (c.summary.mode === 'CONFIG_MAP') {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} uses authentication mode CONFIG_MAP: change it to API_AND_CONFIG_MAP before creating access entries.', c.ref.cluster));
        return;
      }
      try {
        // Whether the entry was created: the kubeconfig doctor checks its context again only then.
        return await createAccessEntryWizard(clusters, c.ref, changeSafety, principalArn);
      } finally {
        await clusters.invalidate(c.ref);
      }
    }),
    // A node role that cannot join: an access entry of its node type in the API modes, else aws-auth.
    registerGuarded(log, COMMANDS.nodeRoles.fix, async (node?: NodeRoleNode) => {
      if (!(node instanceof NodeRoleNode)) return;
      const ref = node.clusterNode.ref;
      if (node.clusterNode.summary.mode === 'CONFIG_MAP') {
        await vscode.commands.executeCommand(COMMANDS.awsAuth.openFromCluster, ref);
        return;
      }
      try {
        await createAccessEntryWizard(clusters, ref, changeSafety, node.roleArn, node.entryType);
      } finally {
        await clusters.invalidate(ref);
      }
    }),
    registerGuarded(log, COMMANDS.accessEntries.delete, async (node?: AccessEntryNode) => {
      if (!(node instanceof AccessEntryNode)) return;
      const ref = node.owner.clusterNode.ref;
      const arn = node.entry.principalArn!;
      // Every page of entries and every policy: "the last admin" must not depend on what the tree paged in.
      const before = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading who can reach {0}', ref.cluster) }, () => clusters.currentState(ref));
      const confirmed = await changeSafety.confirm({ cluster: ref.cluster, action: vscode.l10n.t('Delete the access entry for {0}', arn), confirmLabel: vscode.l10n.t('Delete'), diff: diffAccess(before, withEntry(before, arn)), alwaysConfirm: true });
      if (!confirmed) return;
      try {
        await (await clusters.gateways.eksFor(ref.profile, ref.region)).deleteAccessEntry(ref.cluster, arn);
      } finally {
        await clusters.invalidate(ref);
      }
    }),
    registerGuarded(log, COMMANDS.accessEntries.associatePolicy, async (node?: AccessEntryNode) => {
      if (!(node instanceof AccessEntryNode)) return;
      const ref = node.owner.clusterNode.ref;
      if (await associatePolicyWizard(clusters, ref, node.entry.principalArn!, changeSafety)) await clusters.invalidate(ref);
    }),
    registerGuarded(log, COMMANDS.accessEntries.disassociatePolicy, async (node?: PolicyNode) => {
      if (!(node instanceof PolicyNode)) return;
      const ref = node.entryNode.owner.clusterNode.ref;
      const principalArn = node.entryNode.entry.principalArn!;
      const policyArn = node.policy.policyArn!;
      const before = await clusters.currentState(ref);
      const entry = before.accessEntries.find((e) => e.principalArn === principalArn);
      const after = entry ? withEntry(before, principalArn, { ...entry, policies: (entry.policies ?? []).filter((p) => p.policyArn !== policyArn) }) : before;
      const confirmed = await changeSafety.confirm({ cluster: ref.cluster, action: vscode.l10n.t('Disassociate {0} from {1}', policyArn, principalArn), confirmLabel: vscode.l10n.t('Disassociate'), diff: diffAccess(before, after), alwaysConfirm: true });
      if (!confirmed) return;
      try {
        await (await clusters.gateways.eksFor(ref.profile, ref.region)).disassociateAccessPolicy(ref.cluster, principalArn, policyArn);
      } finally {
        await clusters.invalidate(ref);
      }
    }),
  ];
}
