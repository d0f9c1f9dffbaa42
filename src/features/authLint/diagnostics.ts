/**
 * Diagnostics for aws-auth documents, as you type (debounced). The fixes are computed with the diagnostics and
 * kept beside them, keyed by document version and diagnostic, so a code-action request never lints again.
 */
import * as vscode from 'vscode';
import { Fix, lintAwsAuth, Severity } from '../../core/auth/lint';
import type { Services } from '../../services';
import { settings } from '../../shared/settings';

export const DIAGNOSTIC_SOURCE = 'eks-auth';
const DEBOUNCE_MS = 250;

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

/** Identifies a diagnostic across the copies the workbench hands back to code-action providers. */
export function diagnosticKey(code: string, offset: number, length: number, message: string): string {
  return JSON.stringify([code, offset, length, message]);
}

interface LintedFixes {
  version: number;
  fixes: Map<string, Fix[]>;
}

export class AwsAuthDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly fixes = new Map<string, LintedFixes>();

  constructor(
    private readonly services: Services,
    private readonly rulesDoc: vscode.Uri,
  ) {}

  lint(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!settings().get<boolean>('lint.enable', true) || !looksLikeAwsAuth(doc)) {
      this.forget(doc.uri);
      return;
    }
    const started = Date.now();
    const problems = lintAwsAuth(doc.getText(), { rules: settings().get('lint.rules') ?? {}, cluster: this.services.documentContexts.get(doc.uri) });
    const fixes = new Map<string, Fix[]>();
    const diagnostics = problems.map((p) => {
      const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
      const d = new vscode.Diagnostic(range, p.message, SEVERITY[p.severity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = { value: p.code, target: this.rulesDoc.with({ fragment: p.code.toLowerCase() }) };
      if (p.fixes?.length) fixes.set(diagnosticKey(p.code, p.offset, p.length, p.message), p.fixes);
      return d;
    });
    this.collection.set(doc.uri, diagnostics);
    this.fixes.set(key, { version: doc.version, fixes });
    this.services.log.trace(`linted ${doc.uri.toString(true)}: ${diagnostics.length} problems in ${Date.now() - started} ms`);
  }

  schedule(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.lint(doc);
    }, DEBOUNCE_MS));
  }

  /** The fixes found with a diagnostic, when the document has not changed since; otherwise none (it is stale). */
  fixesFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Fix[] {
    const linted = this.fixes.get(doc.uri.toString());
    if (!linted || linted.version !== doc.version) return [];
    const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
    const offset = doc.offsetAt(d.range.start);
    return linted.fixes.get(diagnosticKey(code, offset, doc.offsetAt(d.range.end) - offset, d.message)) ?? [];
  }

  forget(uri: vscode.Uri): void {
    clearTimeout(this.timers.get(uri.toString()));
    this.timers.delete(uri.toString());
    this.collection.delete(uri);
    this.fixes.delete(uri.toString());
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.collection.dispose();
  }
}
