/** Hovers and completions inside aws-auth sections. */
import * as vscode from 'vscode';
import { completionsAt, hoverAt } from '../../core/auth/assist';
import { looksLikeAwsAuth } from './diagnostics';

export const hoverProvider: vscode.HoverProvider = {
  provideHover(doc, position) {
    if (!looksLikeAwsAuth(doc)) return undefined;
    const hover = hoverAt(doc.getText(), doc.offsetAt(position));
    if (!hover) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(hover.markdown), new vscode.Range(doc.positionAt(hover.start), doc.positionAt(hover.end)));
  },
};

export const completionProvider: vscode.CompletionItemProvider = {
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
};

export const COMPLETION_TRIGGERS = ['{', ':', ' '];
