/** The welcome view's buttons: configure a profile, read the docs, open the demo guide. */
import * as vscode from 'vscode';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';

export function registerSetupCommands(context: vscode.ExtensionContext, { log }: Services): vscode.Disposable[] {
  return [
    registerGuarded(log, 'eksAuth.setup.configureProfile', async () => {
      const terminal = vscode.window.createTerminal('AWS configure');
      terminal.show();
      terminal.sendText('aws configure sso || aws configure', false);
    }),
    registerGuarded(log, 'eksAuth.setup.openDocs', () => vscode.env.openExternal(vscode.Uri.parse('https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html'))),
    registerGuarded(log, 'eksAuth.setup.openDemoGuide', async () => {
      // The development folder has README.md; vsce packages the Marketplace README as readme.md.
      const readme = await Promise.any(['README.md', 'readme.md'].map(async (name) => {
        const uri = vscode.Uri.joinPath(context.extensionUri, name);
        await vscode.workspace.fs.stat(uri);
        return uri;
      })).catch(() => vscode.Uri.joinPath(context.extensionUri, 'README.md'));
      await vscode.commands.executeCommand('markdown.showPreview', readme);
    }),
  ];
}
