/**
 * The aws-auth language service in the editor: diagnostics as you type (debounced), quick fixes, hovers and
 * completions. It adds its own diagnostics beside the YAML extension's and never takes over the yaml language.
 */
import * as vscode from 'vscode';
import { completionsAt, hoverAt } from '../../core/auth/assist';
import { ClusterContext, lintAwsAuth, Problem, Severity } from '../../core/auth/lint';
import { log } from '../../shared/logger';
import { settings } from '../../shared/settings';

export const DIAGNOSTIC_SOURCE = 'eks-auth';
const DEBOUNCE_MS = 250;
const SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { scheme: 'eks-auth' }];

/** Cluster facts for documents opened from a live cluster (rules C01-C03), keyed by document URI. */
export const clusterContexts = new Map<string, ClusterContext>();

export function looksLikeAwsAuth(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme === 'eks-auth') return true;
  if (doc.languageId !== 'yaml') return false;
  return /maproles|mapusers|mapaccounts|aws-auth/i.test(doc.getText());
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function activate(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  const timers = new Map<string, NodeJS.Timeout>();
  const rulesDoc = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md');

  const lint = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    if (!settings().get<boolean>('lint.enable', true) || !looksLikeAwsAuth(doc)) {
      collection.delete(doc.uri);
      return;
    }
    const started = Date.now();
    const problems = lintAwsAuth(doc.getText(), { rules: settings().get('lint.rules') ?? {}, cluster: clusterContexts.get(key) });
    const diagnostics = problems.map((p) => {
      const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
      const d = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = { value: p.code, target: rulesDoc.with({ fragment: p.code.toLowerCase() }) };
      return d;
    });
    collection.set(doc.uri, diagnostics);
    log.trace(`linted ${doc.uri.toString(true)}: ${diagnostics.length} problems in ${Date.now() - started} ms`);
  };

  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      lint(doc);
    }, DEBOUNCE_MS));
  };

  vscode.workspace.textDocuments.forEach(lint);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(lint),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      clearTimeout(timers.get(doc.uri.toString()));
      collection.delete(doc.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('eksAuth.lint')) vscode.workspace.textDocuments.forEach(lint);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.languages.registerCodeActionsProvider(SELECTOR, new AwsAuthQuickFixes(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerHoverProvider(SELECTOR, {
      provideHover(doc, position) {
        if (!looksLikeAwsAuth(doc)) return undefined;
        const hover = hoverAt(doc.getText(), doc.offsetAt(position));
        if (!hover) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(hover.markdown), new vscode.Range(doc.positionAt(hover.start), doc.positionAt(hover.end)));
      },
    }),
    vscode.languages.registerCompletionItemProvider(
      SELECTOR,
      {
        provideCompletionItems(doc, position) {
          if (!looksLikeAwsAuth(doc)) return undefined;
          return completionsAt(doc.getText(), doc.offsetAt(position)).map((c) => {
            const kind = { key: vscode.CompletionItemKind.Property, group: vscode.CompletionItemKind.EnumMember, variable: vscode.CompletionItemKind.Variable, snippet: vscode.CompletionItemKind.Snippet }[c.kind];
            const item = new vscode.CompletionItem(c.label, kind);
            item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
            item.detail = c.kind === 'snippet' ? c.detail : undefined;
            item.documentation = c.kind === 'snippet' ? new vscode.MarkdownString().appendCodeblock(c.insertText.replace(/\$\{\d+:([^}]*)\}/g, '$1'), 'yaml') : new vscode.MarkdownString(c.detail);
            return item;
          });
        },
      },
      '{',
      ':',
      ' ',
    ),
  );
}

class AwsAuthQuickFixes implements vscode.CodeActionProvider {
  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!ours.length) return [];
    // Diagnostics come back from the workbench as copies, so find their fixes by rule and range in a fresh lint.
    const problems = lintAwsAuth(doc.getText(), { rules: settings().get('lint.rules') ?? {}, cluster: clusterContexts.get(doc.uri.toString()) });
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
      const start = doc.offsetAt(diagnostic.range.start);
      const end = doc.offsetAt(diagnostic.range.end);
      const problem: Problem | undefined = problems.find((p) => p.code === code && p.offset === start && p.offset + p.length === end && p.message === diagnostic.message);
      for (const fix of problem?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = problem!.fixes!.length === 1;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of fix.edits) {
          action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.length)), edit.newText);
        }
        actions.push(action);
      }
    }
    return actions;
  }
}
