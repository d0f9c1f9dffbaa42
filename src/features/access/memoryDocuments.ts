/** Read-only documents for explanations, plans and the planned entries (`eks-auth-view:` URIs). */
import * as vscode from 'vscode';

export class MemoryDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: 'eks-auth-view', path });
    this.docs.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
}
