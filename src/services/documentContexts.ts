/**
 * Cluster facts for aws-auth documents opened from a live cluster (rules C01-C03), keyed by document URI: the
 * cluster explorer writes them when it reads the document, the language service reads them and re-lints on change.
 */
import * as vscode from 'vscode';
import type { ClusterContext } from '../core/auth/lint';

export class DocumentClusterContexts implements vscode.Disposable {
  private readonly contexts = new Map<string, ClusterContext>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  get(uri: vscode.Uri): ClusterContext | undefined {
    return this.contexts.get(uri.toString());
  }

  set(uri: vscode.Uri, context: ClusterContext): void {
    this.contexts.set(uri.toString(), context);
    this.changed.fire(uri);
  }

  delete(uri: vscode.Uri): void {
    if (this.contexts.delete(uri.toString())) this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
