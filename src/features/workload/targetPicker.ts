/** Which service account or pod to explain: the tree row it was run on, or one picked from the cluster's live list. */
import * as vscode from 'vscode';
import type { ClusterRef } from '../../core/clusters/clusterAccess';
import type { WorkloadConnection } from '../../core/workload/fixGateway';
import { isPermissionError, NAMESPACED_NAME, type WorkloadTarget } from '../../core/workload/gather';

/** The target a command argument names: a tree row (it has `target`), or a target object. */
export function targetOf(arg: unknown): WorkloadTarget | undefined {
  const t = (arg as { target?: unknown } | undefined)?.target ?? arg;
  if (!t || typeof t !== 'object') return undefined;
  const named = (v: unknown) => !!v && typeof v === 'object' && typeof (v as { namespace?: unknown }).namespace === 'string' && typeof (v as { name?: unknown }).name === 'string';
  if ('serviceAccount' in t && named(t.serviceAccount)) return t as WorkloadTarget;
  if ('pod' in t && named(t.pod)) return t as WorkloadTarget;
  return undefined;
}

export function targetLabel(t: WorkloadTarget): string {
  return 'pod' in t ? `pod ${t.pod.namespace}/${t.pod.name}` : `service account ${t.serviceAccount.namespace}/${t.serviceAccount.name}`;
}

type Item = vscode.QuickPickItem & { target?: WorkloadTarget; enter?: 'serviceAccount' | 'pod' };

async function typed(kind: 'serviceAccount' | 'pod'): Promise<WorkloadTarget | undefined> {
  const text = await vscode.window.showInputBox({
    prompt: kind === 'pod' ? vscode.l10n.t('Pod as NAMESPACE/NAME') : vscode.l10n.t('Service account as NAMESPACE/NAME'),
    placeHolder: kind === 'pod' ? 'payments/api-6f4dfff6cb-76cv9' : 'payments/api',
    ignoreFocusOut: true,
    validateInput: (v) => (NAMESPACED_NAME.test(v.trim()) ? undefined : vscode.l10n.t('Write NAMESPACE/NAME, for example payments/api')),
  });
  const m = text ? NAMESPACED_NAME.exec(text.trim()) : null;
  if (!m) return undefined;
  const ref = { namespace: m[1], name: m[3] };
  return kind === 'pod' ? { pod: ref } : { serviceAccount: ref };
}

/** Service accounts and pods from the cluster, or typed when listing them is refused or the list is not wanted. */
export async function pickTarget(conn: WorkloadConnection, ref: ClusterRef): Promise<WorkloadTarget | undefined> {
  const [sas, pods] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing service accounts and pods of {0}', ref.cluster) }, () =>
    Promise.all([conn.gateways.kube.listServiceAccounts().catch((e: Error) => e), conn.fixes.listPods().catch((e: Error) => e)]),
  );
  const items: Item[] = [];
  if (!(sas instanceof Error)) for (const sa of sas) items.push({ label: `${sa.namespace}/${sa.name}`, description: vscode.l10n.t('service account'), target: { serviceAccount: { namespace: sa.namespace, name: sa.name } } });
  if (!(pods instanceof Error)) for (const p of pods) items.push({ label: `${p.namespace}/${p.name}`, description: vscode.l10n.t('pod · service account {0}', p.serviceAccountName ?? 'default'), target: { pod: { namespace: p.namespace, name: p.name } } });
  items.sort((a, b) => a.label.localeCompare(b.label));
  items.push({ label: vscode.l10n.t('Enter a service account (NAMESPACE/NAME)...'), enter: 'serviceAccount', alwaysShow: true }, { label: vscode.l10n.t('Enter a pod (NAMESPACE/NAME)...'), enter: 'pod', alwaysShow: true });
  // The Kubernetes client puts the whole response in its message: its first line says enough here.
  const refused = [[sas, 'list serviceaccounts'], [pods, 'list pods']].flatMap(([r, verb]) => (r instanceof Error ? [isPermissionError(r) ? vscode.l10n.t('{0} is not allowed', verb as string) : (r.message.split('\n')[0] ?? r.name)] : []));
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: refused.length ? vscode.l10n.t('Which service account or pod of {0}? (could not list all: {1})', ref.cluster, refused.join('; ')) : vscode.l10n.t('Which service account or pod of {0}?', ref.cluster),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return picked.target ?? (picked.enter ? typed(picked.enter) : undefined);
}
