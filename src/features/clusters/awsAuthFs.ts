/**
 * aws-auth from a live cluster as a file: `eks-auth:/PROFILE/REGION/CLUSTER/aws-auth.yaml`. Saving writes it back
 * with the resourceVersion that was read, so a concurrent change is never overwritten.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import { diffAccess } from '../../core/access/accessDiff';
import { awsAuthFixLocation } from '../../core/access/awsAuthFixLocation';
import { accessLostBySave, readConfigMapData, renderConfigMap, sectionDroppingProblems } from '../../core/auth/configMapText';
import type { AwsAuthObject } from '../../core/aws/kubeGateway';
import type { ClusterRef } from '../../core/clusters/clusterAccess';
import type { ClusterSummary } from '../../core/clusters/model';
import { pickCluster } from '../../services/clusterPicker';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';

const DEFAULT_PROFILE = '~default';

export function awsAuthUri(ref: ClusterRef, current = false): vscode.Uri {
  return vscode.Uri.from({ scheme: 'eks-auth', path: `/${encodeURIComponent(ref.profile ?? DEFAULT_PROFILE)}/${ref.region}/${encodeURIComponent(ref.cluster)}/aws-auth.yaml`, query: current ? 'current' : '' });
}

export function refFromUri(uri: vscode.Uri): ClusterRef {
  const [profile, region, cluster, file] = uri.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (!region || !cluster || file !== 'aws-auth.yaml') throw vscode.FileSystemError.FileNotFound(uri);
  return { profile: profile === DEFAULT_PROFILE ? undefined : profile, region, cluster };
}

interface Entry {
  /** The object as it was read: a save writes new data over it and keeps everything else. */
  object: AwsAuthObject;
  size: number;
  summary: ClusterSummary;
}

export class AwsAuthFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly services: Services) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  /**
   * VS Code compares mtimes to detect changes under an open editor: keep one per URI, changed only by our own
   * writes. A read never changes it, because VS Code takes the mtime from the stat before the read: a change made
   * on the cluster is caught at save time by the resourceVersion instead (a ConflictError and a diff).
   */
  private readonly mtimes = new Map<string, number>();

  private mtime(uri: vscode.Uri): number {
    const key = uri.toString();
    if (!this.mtimes.has(key)) this.mtimes.set(key, Date.now());
    return this.mtimes.get(key)!;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const entry = this.entries.get(uri.toString());
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtime(uri), size: entry?.size ?? 0, ...(uri.query === 'current' ? { permissions: vscode.FilePermission.Readonly } : {}) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const ref = refFromUri(uri);
    // Described again: the file must show the cluster as it is now, not as the tree last saw it.
    const summary = await this.services.clusters.summary(ref, true);
    const kube = await this.services.connections.kubeFor(ref, summary);
    const cm = await kube.getAwsAuth();
    if (!cm) throw vscode.FileSystemError.FileNotFound(vscode.l10n.t('Cluster {0} has no kube-system/aws-auth ConfigMap.', ref.cluster));
    const text = renderConfigMap(cm.data, cm.resourceVersion);
    const bytes = new TextEncoder().encode(text);
    this.entries.set(uri.toString(), { object: cm, size: bytes.length, summary });
    if (uri.query !== 'current') await this.rememberClusterContext(uri, ref, summary);
    return bytes;
  }

  private async rememberClusterContext(uri: vscode.Uri, ref: ClusterRef, summary: ClusterSummary) {
    let accessEntryArns: string[] = [];
    if (summary.mode === 'API_AND_CONFIG_MAP') {
      try {
        accessEntryArns = (await this.services.clusters.access(ref)).entries.map((e) => e.principalArn);
      } catch (e) {
        // The file still opens; only C02 (an access entry wins over a mapping) is missing.
        this.services.log.warn(`Could not list the access entries of ${ref.cluster} for the aws-auth editor: ${(e as Error).message}`);
      }
    }
    this.services.documentContexts.set(uri, { name: ref.cluster, authenticationMode: summary.mode, accessEntryArns, authenticatorLogging: summary.authenticatorLogging });
  }

  /** Texts the user confirmed through `eksAuth.awsAuth.save` just before VS Code writes them: not asked twice. */
  private readonly confirmed = new Map<string, string>();

  /** The change-safety confirmation for saving this text over the aws-auth the editor read. */
  private async confirmSave(uri: vscode.Uri, text: string): Promise<boolean> {
    const ref = refFromUri(uri);
    const entry = this.entries.get(uri.toString());
    if (!entry) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Open aws-auth from the cluster before saving it.'));
    const data = readConfigMapData(text);
    const losses = [...sectionDroppingProblems(text), ...accessLostBySave(entry.object.data, data)];
    // Against the object this editor read: a change made on the cluster since then fails at write with a conflict.
    const before = { ...(await this.services.clusters.currentState(ref)), awsAuth: entry.object.data };
    return this.services.changeSafety.confirm({ cluster: ref.cluster, action: vscode.l10n.t('Saving this aws-auth'), confirmLabel: vscode.l10n.t('Save Anyway'), diff: diffAccess(before, { ...before, awsAuth: data }), extra: losses });
  }

  /**
   * Save (Ctrl+S / Cmd+S in an aws-auth editor): the confirmation comes before VS Code starts saving, so Cancel
   * leaves the edit in the editor, unsaved, with no error. VS Code reports any error from `writeFile` as a failed
   * save with Retry, a cancellation included, which is why the question is asked here first.
   */
  async save(doc: vscode.TextDocument): Promise<boolean> {
    const key = doc.uri.toString();
    const text = doc.getText();
    if (!(await this.confirmSave(doc.uri, text))) return false;
    this.confirmed.set(key, text);
    try {
      return await doc.save();
    } finally {
      this.confirmed.delete(key);
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (uri.query === 'current') throw vscode.FileSystemError.NoPermissions(uri);
    const ref = refFromUri(uri);
    const entry = this.entries.get(uri.toString());
    if (!entry) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Open aws-auth from the cluster before saving it.'));
    const text = new TextDecoder().decode(content);
    const data = readConfigMapData(text);
    // Saved some other way (the menu, Save All, auto save): ask now; VS Code shows a refusal as a failed save.
    if (this.confirmed.get(uri.toString()) !== text && !(await this.confirmSave(uri, text))) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Save cancelled: nothing was written to {0}.', ref.cluster));
    const kube = await this.services.connections.kubeFor(ref, entry.summary);
    try {
      const saved = await kube.replaceAwsAuth(entry.object, data);
      this.entries.set(uri.toString(), { ...entry, object: saved, size: content.length });
      this.mtimes.set(uri.toString(), Date.now());
      await this.services.clusters.invalidate(ref);
      this.services.log.info(`Saved kube-system/aws-auth on ${ref.cluster}: resourceVersion ${entry.object.resourceVersion} -> ${saved.resourceVersion}`);
      this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    } catch (e) {
      if ((e as Error).name === 'ConflictError') {
        this.services.log.warn(`aws-auth on ${ref.cluster} changed since it was read (resourceVersion ${entry.object.resourceVersion}): nothing was written`);
        void vscode.commands.executeCommand('vscode.diff', awsAuthUri(ref, true), uri, vscode.l10n.t('aws-auth on {0}: cluster now ↔ your edit', ref.cluster));
        throw vscode.FileSystemError.Unavailable(vscode.l10n.t('aws-auth on {0} changed since you opened it: nothing was written. Compare with the cluster copy, then reopen and apply your edit again.', ref.cluster));
      }
      throw e;
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('eks-auth');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('eks-auth');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('eks-auth');
  }
}

/** The `eks-auth:` file system and "Open aws-auth" from the tree or the palette. */
export function registerAwsAuthFiles(services: Services): vscode.Disposable[] {
  const files = new AwsAuthFileSystem(services);
  return [
    vscode.workspace.registerFileSystemProvider('eks-auth', files, { isCaseSensitive: true }),
    registerGuarded(services.log, COMMANDS.awsAuth.save, async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (doc?.uri.scheme !== 'eks-auth' || doc.uri.query === 'current') return vscode.commands.executeCommand('workbench.action.files.save');
      return files.save(doc);
    }),
    registerGuarded(services.log, COMMANDS.awsAuth.openFromCluster, async (node?: unknown, principalArn?: unknown) => {
      const c = await pickCluster(services.clusters, node);
      if (!c) return;
      const uri = awsAuthUri(c.ref);
      // A copy VS Code still holds from an earlier opening may be out of date: read it again unless it has edits.
      const held = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      const editor = await vscode.window.showTextDocument(doc);
      if (held && !doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
      // From a mapping fix: the cursor goes to that principal's entry, or to where a new entry is written.
      if (typeof principalArn === 'string') {
        const at = awsAuthFixLocation(doc.getText(), principalArn);
        if (at) {
          const pos = doc.positionAt(at.offset);
          editor.selection = new vscode.Selection(pos, pos);
          editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        }
      }
    }),
  ];
}
