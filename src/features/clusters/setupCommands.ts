/** The welcome view's buttons: configure a profile, read the docs, open the demo guide. */
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commands';
import type { Services } from '../../services';
import { registerGuarded } from '../../shared/commands';
import { terminalCommand } from '../../shared/terminal';

export function registerSetupCommands(context: vscode.ExtensionContext, { log }: Services): vscode.Disposable[] {
  return [
    registerGuarded(log, COMMANDS.setup.configureProfile, async () => {
      const sso = terminalCommand(['aws', 'configure', 'sso'])!;
      // `||` is not PowerShell 5's; `$?` says whether the last command succeeded in every PowerShell.
      const line = sso.shell === 'powershell' ? `${sso.line}; if (-not $?) { aws configure }` : `${sso.line} || aws configure`;
      const terminal = vscode.window.createTerminal({ name: 'AWS configure', shellPath: sso.shellPath });
      terminal.show();
      // Typed, not run: the user presses Enter.
      terminal.sendText(line, false);
    }),
    registerGuarded(log, COMMANDS.setup.openDocs, () => vscode.env.openExternal(vscode.Uri.parse('https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html')), { offline: true }),
    registerGuarded(log, COMMANDS.setup.openDemoGuide, async () => {
      // The development folder has README.md; vsce packages the Marketplace README as readme.md.
      const readme = await Promise.any(['README.md', 'readme.md'].map(async (name) => {
        const uri = vscode.Uri.joinPath(context.extensionUri, name);
        await vscode.workspace.fs.stat(uri);
        return uri;
      })).catch(() => vscode.Uri.joinPath(context.extensionUri, 'README.md'));
      await vscode.commands.executeCommand('markdown.showPreview', readme);
    }, { offline: true }),
  ];
}
