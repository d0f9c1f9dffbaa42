/** The doctor's reports as read-only Markdown documents (`eks-auth-doctor:` URIs), shown in the Markdown preview. */
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'eks-auth-doctor';

export class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** `extension` picks the language the editor gives the document: a report is Markdown, a proposed kubeconfig YAML. */
  set(name: string, text: string, extension = '.md'): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${encodeURIComponent(name)}${extension}` });
    this.docs.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
}
