/**
 * The aws-auth language service in the editor: diagnostics as you type (debounced), quick fixes, hovers and
 * completions. It adds its own diagnostics beside the YAML extension's and never takes over the yaml language.
 */
import * as vscode from 'vscode';
import { preloadGoYamlLibrary } from '../../core/auth/goYamlLibrary';
import type { Services } from '../../services';
import { completionProvider, COMPLETION_TRIGGERS, hoverProvider } from './assistProviders';
import { AwsAuthQuickFixes } from './codeActions';
import { AwsAuthDiagnostics } from './diagnostics';

const SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { scheme: 'eks-auth' }];

export function activate(context: vscode.ExtensionContext, services: Services): void {
  const diagnostics = new AwsAuthDiagnostics(services, vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md'));
  // go-yaml (WebAssembly) compiles in the background; the documents already open are linted once it is ready, so
  // activation and the first keystroke never wait for it. A later lint that comes first loads it synchronously.
  const started = Date.now();
  void preloadGoYamlLibrary().then(
    () => services.log.info(`go-yaml library loaded in ${Date.now() - started} ms`),
    (e: Error) => services.log.error('The go-yaml library failed to load: aws-auth cannot be read', e),
  ).finally(() => vscode.workspace.textDocuments.forEach((d) => diagnostics.lint(d)));
  context.subscriptions.push(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument((d) => diagnostics.lint(d)),
    vscode.workspace.onDidChangeTextDocument((e) => diagnostics.schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.forget(doc.uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('eksAuth.lint')) vscode.workspace.textDocuments.forEach((d) => diagnostics.lint(d));
    }),
    // The cluster facts of a document opened from a cluster arrive as it is read: lint it again with them.
    services.documentContexts.onDidChange((uri) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) diagnostics.lint(doc);
    }),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new AwsAuthQuickFixes(diagnostics), { providedCodeActionKinds: AwsAuthQuickFixes.kinds }),
    vscode.languages.registerHoverProvider(SELECTOR, hoverProvider),
    vscode.languages.registerCompletionItemProvider(SELECTOR, completionProvider, ...COMPLETION_TRIGGERS),
  );
}
