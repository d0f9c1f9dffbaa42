/**
 * "EKS: Add kubectl Context": writes a context for a cluster chosen in the tree or the palette, in the form
 * `aws eks update-kubeconfig` writes, into the first kubeconfig file (where kubectl writes new entries), behind a
 * diff and after a backup; then checks it.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { addContext } from '../../core/kubeconfig/addContext';
import { updateKubeconfigExec } from '../../core/kubeconfig/execPlugin';
import type { ContextReport } from '../../core/kubeconfig/doctor';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { readText, writeAfterReview } from './fixes';
import type { ReadOnlyDocuments } from '../../shared/readOnlyDocuments';

export function addContextCommand(services: Services, previews: ReadOnlyDocuments, diagnose: (context: string) => Promise<ContextReport[] | undefined>) {
  return async (node?: unknown): Promise<ContextReport[] | undefined> => {
    const picked = await pickCluster(services.clusters, node);
    if (!picked) return undefined;
    const { ref, summary } = picked;
    if (!summary.endpoint || !summary.caData || !summary.arn) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cluster {0} has no endpoint yet (status {1}): add the context when it is ACTIVE.', ref.cluster, summary.status));
      return undefined;
    }
    const [first] = await services.doctor.paths();
    const file = vscode.Uri.file(first);
    const original = await readText(file);
    const result = addContext(original ?? '', { name: summary.arn, server: summary.endpoint, caData: summary.caData, exec: updateKubeconfigExec({ name: ref.cluster, region: ref.region }, ref.profile) });
    if (!result.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('No context was added to {0}: {1}', first, result.reason));
      return undefined;
    }
    if (original === undefined) await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(first)));
    const outcome = await writeAfterReview(
      file,
      original,
      result.text,
      previews,
      vscode.l10n.t('{0}: context for {1}', first, ref.cluster),
      result.reformatted
        ? vscode.l10n.t('Add a context for {0} to {1} and make it current? Its lists are in flow style, so the whole file is rewritten (the diff shows every change); the file is copied to a backup first.', ref.cluster, first)
        : vscode.l10n.t('Add a context for {0} to {1} and make it current? The diff shows every change; the file is copied to a backup first.', ref.cluster, first),
      vscode.l10n.t('Add Context'),
    );
    if (outcome !== 'applied') return undefined;
    services.doctor.forget();
    return diagnose(summary.arn);
  };
}
