/**
 * Restricted Mode (an untrusted workspace, `capabilities.untrustedWorkspaces.supported: "limited"`): the aws-auth
 * language service works; everything that calls AWS or Kubernetes, runs a program or writes a kubeconfig is off and
 * says why. The user's settings point every endpoint at a listener here: nothing may reach it.
 */
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { answerPrompts, api, fixturesDir, waitFor } from '../integration/helpers';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'eks-auth');
const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

describe('Restricted Mode', function () {
  this.timeout(60000);
  let listener: http.Server;
  const received: string[] = [];

  before(async () => {
    listener = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    const config = vscode.workspace.getConfiguration('eksAuth');
    for (const service of ['eks', 'sts', 'logs', 'iam']) await config.update(`endpoints.${service}`, url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await new Promise((r) => listener.close(r));
  });

  it('runs in an untrusted workspace, with the extension active', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the host opened the workspace in Restricted Mode');
    assert.ok(await api(), 'the extension activates in Restricted Mode');
  });

  it('lints aws-auth, with exact ranges, hovers and quick fixes', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixturesDir(), 'aws-auth-mistakes.yaml'));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor(() => (ours(doc.uri).length ? ours(doc.uri) : undefined), 'diagnostics');
    const a11 = diagnostics.find((d) => code(d) === 'A11')!;
    assert.strictEqual(doc.getText(a11.range), 'arn:aws:iam::111122223333:role/teams/Deployer');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, a11.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.some((a) => a.edit), `a quick fix with an edit: ${actions.map((a) => a.title).join(' | ')}`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, a11.range.start.translate(0, 5));
    assert.ok(hovers.length > 0, 'a hover on the role ARN');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows no clusters and calls no AWS endpoint', async () => {
    const tree = (await api()).clusterTree()!;
    tree.refresh();
    assert.deepStrictEqual(await tree.getChildren(), [], 'the welcome view (Manage Workspace Trust) shows instead');
    assert.deepStrictEqual(received, []);
  });

  for (const command of ['eksAuth.access.explain', 'eksAuth.kubeconfig.diagnose', 'eksAuth.kubeconfig.fix', 'eksAuth.kubeconfig.addContext', 'eksAuth.insights.troubleshoot', 'eksAuth.setup.configureProfile', 'eksAuth.access.migrate', 'eksAuth.workload.explain']) {
    it(`says why ${command} is off, with the Trust action, and runs nothing`, async () => {
      const prompts = answerPrompts([undefined, undefined, undefined]);
      const terminals = vscode.window.terminals.length;
      try {
        await vscode.commands.executeCommand(command);
        await waitFor(() => prompts.asked.some((a) => /Restricted Mode/.test(a)), `the Restricted Mode notice for ${command}`, 5000);
      } finally {
        prompts.restore();
      }
      assert.ok(prompts.asked.some((a) => /trusted workspace/.test(a)), prompts.asked.join(' | '));
      // The kubectl commands name what is off, as their palette titles do not say they call AWS.
      if (command.startsWith('eksAuth.kubeconfig.')) assert.ok(prompts.asked.some((a) => /^showInformationMessage: (Diagnosing|Fixing) kubectl access is off|^showInformationMessage: Writing a kubectl context is off/.test(a)), prompts.asked.join(' | '));
      assert.strictEqual(vscode.window.terminals.length, terminals, 'no terminal was opened');
      assert.deepStrictEqual(received, [], 'no request reached any endpoint');
    });
  }
});
