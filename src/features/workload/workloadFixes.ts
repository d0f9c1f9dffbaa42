/**
 * Carries out one workload identity fix: the role for a new association is asked for, then the change safety
 * confirmation shows every call (and the trust policy old and new); declining writes nothing.
 */
import * as vscode from 'vscode';
import type { ClusterRef } from '../../core/clusters/clusterAccess';
import type { OwnedPod, WorkloadConnection } from '../../core/workload/fixGateway';
import { applyWorkloadFix, associationRoleProblem, withAssociationRole, type WorkloadFix } from '../../core/workload/fixPlan';
import type { WorkloadTarget } from '../../core/workload/gather';
import { RestartIncomplete } from '../../core/workload/restartPlan';
import type { Services } from '../../services';

async function askRole(fix: Extract<WorkloadFix, { kind: 'create-association' }>): Promise<WorkloadFix | undefined> {
  const arn = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('IAM role for {0}/{1} (its trust policy must allow pods.eks.amazonaws.com)', fix.request.namespace, fix.request.serviceAccount),
    placeHolder: `arn:aws:iam::${fix.clusterAccount ?? '111122223333'}:role/my-pod-role`,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const problem = associationRoleProblem(fix, v);
      if (!problem) return undefined;
      if (problem.kind === 'not-a-role') return vscode.l10n.t('An IAM role ARN: arn:aws:iam::ACCOUNT:role/NAME');
      return vscode.l10n.t(
        "The role must be in the cluster's account {0}, not {1}: EKS passes it to Pod Identity with iam:PassRole, which works only within the account. Reach another account with a target role.",
        problem.clusterAccount,
        problem.roleAccount,
      );
    },
  });
  return arn ? withAssociationRole(fix, arn.trim()) : undefined;
}

/**
 * After the restart, the pod that replaced the one explained (else the service account): the newest pod of the same
 * controller that is not one of the stale pods. A Deployment's new pods belong to a new ReplicaSet named after it
 * (`DEPLOYMENT-HASH`, kubernetes pkg/controller/deployment/sync.go); a StatefulSet's keep their names, not their uids.
 */
async function afterRestart(conn: WorkloadConnection, fix: Extract<WorkloadFix, { kind: 'restart-pods' }>, target: WorkloadTarget): Promise<WorkloadTarget> {
  if (!('pod' in target)) return target;
  const gone = fix.stale.find((p) => p.name === target.pod.name && p.namespace === target.pod.namespace);
  const sa = gone?.serviceAccountName ?? 'default';
  const pods = await conn.fixes.listPods(target.pod.namespace).catch(() => []);
  const stale = new Set(fix.stale.map((p) => p.uid ?? p.name));
  const sameController = (p: OwnedPod) => {
    if (!gone?.owner) return true;
    if (gone.workload?.kind === 'Deployment') return p.owner?.kind === 'ReplicaSet' && p.owner.name.startsWith(`${gone.workload.name}-`);
    return p.owner?.kind === gone.owner.kind && p.owner.name === gone.owner.name;
  };
  const next = pods.filter((p) => !stale.has(p.uid ?? p.name) && (p.serviceAccountName ?? 'default') === sa && sameController(p));
  next.sort((a, b) => (b.creationTimestamp ?? '').localeCompare(a.creationTimestamp ?? ''));
  return next[0] ? { pod: { namespace: next[0].namespace, name: next[0].name } } : { serviceAccount: { namespace: target.pod.namespace, name: sa } };
}

/** Returns what was done and what to explain next, or undefined when the user declined (nothing was written). */
export async function runWorkloadFix(services: Services, ref: ClusterRef, conn: WorkloadConnection, offered: WorkloadFix, target: WorkloadTarget): Promise<{ done: string[]; target: WorkloadTarget } | undefined> {
  const fix = offered.kind === 'create-association' ? await askRole(offered) : offered;
  if (!fix) return undefined;
  const confirmed = await services.changeSafety.confirmChange({
    cluster: ref.cluster,
    action: fix.action,
    confirmLabel: fix.confirmLabel,
    details: fix.details,
    document: fix.kind === 'update-trust-policy' ? { name: fix.correction.roleName, before: fix.correction.before, after: fix.correction.after } : undefined,
  });
  if (!confirmed) {
    services.log.info(`${fix.action} on ${ref.cluster}: declined, nothing written`);
    return undefined;
  }
  let done: string[];
  try {
    done = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('{0}...', fix.action) }, () => applyWorkloadFix(fix, conn.fixes));
  } catch (e) {
    if (!(e instanceof RestartIncomplete)) throw e;
    // Part of the restart went through: say what, and explain again, since what was done has changed the cluster.
    services.log.error(`${fix.action} on ${ref.cluster}: ${e.message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('The restart stopped at "{0}": {1}. Already done: {2}', e.failedStep, e.reason, e.done.length ? e.done.join('; ') : vscode.l10n.t('nothing')));
    done = e.done;
  }
  services.log.info(`${fix.action} on ${ref.cluster}: ${done.join('; ')}`);
  // The tree's Workload identity group shows the change once the cluster is read again.
  void services.clusters.invalidate(ref);
  return { done, target: fix.kind === 'restart-pods' ? await afterRestart(conn, fix, target) : target };
}
