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
    registerGuarded(log, 'eksAuth.setup.openDemoGuide', () => vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, 'README.md'))),
  ];
}
