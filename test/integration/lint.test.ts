import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixturesDir, waitFor } from './helpers';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'eks-auth');
const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixturesDir(), name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('aws-auth language service in VS Code', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('reports the catalog rules with their ids, severities, exact ranges and a link to the rule reference', async () => {
    const doc = await open('aws-auth-mistakes.yaml');
    const diagnostics = await waitFor(() => (ours(doc.uri).length ? ours(doc.uri) : undefined), 'diagnostics');
    const byCode = (c: string) => diagnostics.filter((d) => code(d) === c);
    assert.deepStrictEqual([...new Set(diagnostics.map(code))].sort(), ['A11', 'A12', 'A13', 'A16', 'A20', 'A21', 'A23']);
    assert.strictEqual(doc.getText(byCode('A11')[0].range), 'arn:aws:iam::111122223333:role/teams/Deployer');
    assert.strictEqual(byCode('A11')[0].severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(byCode('A21')[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(doc.getText(byCode('A21')[0].range), 'system:masters');
    const target = (byCode('A11')[0].code as { target: vscode.Uri }).target;
    assert.match(target.path, /docs\/rules\.md$/);
    assert.strictEqual(target.fragment, 'a11');
  });

  for (const rule of ['A11', 'A12', 'A13', 'A20', 'A16']) {
    it(`applies the ${rule} quick fix: that diagnostic goes and no new one appears`, async () => {
      // An untitled copy, so one test's edit never leaks into the next through the fixture file.
      const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(fixturesDir(), 'aws-auth-mistakes.yaml')));
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
      await vscode.window.showTextDocument(doc);
      const before = await waitFor(() => (ours(doc.uri).length ? ours(doc.uri) : undefined), 'diagnostics');
      const target = before.find((d) => code(d) === rule)!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, target.range, vscode.CodeActionKind.QuickFix.value);
      // The command returns actions without their diagnostics; at this range the rule's own fix comes first.
      const fix = actions.find((a) => a.diagnostics?.some((d) => code(d) === rule)) ?? actions.find((a) => a.edit && a.kind?.value === vscode.CodeActionKind.QuickFix.value);
      assert.ok(fix?.edit, `a quick fix for ${rule}: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      const after = await waitFor(() => {
        const now = ours(doc.uri);
        return now.filter((d) => code(d) === rule).length < before.filter((d) => code(d) === rule).length ? now : undefined;
      }, `${rule} to clear`);
      const newOnes = after.filter((d) => !before.some((b) => code(b) === code(d)));
      assert.deepStrictEqual(newOnes.map(code), []);
    });
  }

  it('shows hovers on ARNs, groups and template variables', async () => {
    const doc = await open('aws-auth-mistakes.yaml');
    const text = doc.getText();
    const hover = async (needle: string) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(text.indexOf(needle) + 3));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    };
    assert.match(await hover('arn:aws:iam::111122223333:role/teams/Deployer'), /compares callers with arn:aws:iam::111122223333:role\/Deployer \(/);
    assert.match(await hover('system:masters'), /cluster-admin/);
    assert.match(await hover('{{EC2PrivateDNSName}}'), /EC2 instance/);
  });

  it('completes groups and offers node role snippets', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/A\n      groups:\n        - sys' });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(doc.getText().length));
    assert.ok(list.items.some((i) => i.label === 'system:nodes'));
    const start = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'data:\n  mapRoles: |\n    ' });
    const snippets = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', start.uri, start.positionAt(start.getText().length));
    assert.ok(snippets.items.some((i) => i.label === 'EC2 node role'));
  });

  it('follows typing and honours the per-rule settings', async () => {
    const doc = await open('aws-auth-clean.yaml');
    await new Promise((r) => setTimeout(r, 600));
    assert.deepStrictEqual(ours(doc.uri).map(code), []);
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.insert(doc.positionAt(doc.getText().indexOf('        - developers')), '        - system:masters\n'));
    await waitFor(() => ours(doc.uri).some((d) => code(d) === 'A21'), 'A21 after typing');
    await vscode.workspace.getConfiguration('eksAuth').update('lint.rules', { A21: 'off' }, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => !ours(doc.uri).some((d) => code(d) === 'A21'), 'A21 turned off');
    } finally {
      await vscode.workspace.getConfiguration('eksAuth').update('lint.rules', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('leaves YAML that is not aws-auth alone', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' });
    await vscode.window.showTextDocument(doc);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(ours(doc.uri), []);
  });
});
