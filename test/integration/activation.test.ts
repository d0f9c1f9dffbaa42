import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'eks-auth-explorer.eks-auth-explorer';

describe('activation', () => {
  it('activates in a real VS Code extension host and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension is installed from extensionDevelopmentPath');
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['eksAuth.clusters.refresh', 'eksAuth.insights.troubleshoot', 'eksAuth.awsAuth.openFromCluster']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });

  it('does not load the AWS SDK or the Kubernetes client at activation', async () => {
    const ext = vscode.extensions.getExtension<{ loadedAtActivation: readonly string[] }>(EXTENSION_ID)!;
    const api = await ext.activate();
    assert.deepStrictEqual(api.loadedAtActivation, []);
  });
});
