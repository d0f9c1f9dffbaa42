/**
 * Watches the settings that route credentials (endpoint overrides, profiles): a workspace that sets them is ignored
 * and the user is told once per setting; an override the user set is shown in the status bar while it is active,
 * since every signed request and token then goes to that endpoint.
 */
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { endpointOverrides, ignoredWorkspaceSettings, USER_ONLY_SETTINGS } from '../shared/settings';

const USER_ONLY_KEYS = new Set<string>(USER_ONLY_SETTINGS.map((k) => `eksAuth.${k}`));

/** The keys of a settings.json text (JSON with comments and trailing commas, as VS Code reads it). */
function settingKeys(text: string): string[] {
  const value: unknown = parse(text, [], { allowTrailingComma: true, disallowComments: false });
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

/**
 * The user-only settings the workspace's own files set. VS Code leaves application-scoped values out of the
 * workspace configuration altogether (inspect() does not show them), so the files are read to tell the user.
 */
async function userOnlyKeysInWorkspaceFiles(): Promise<string[]> {
  const found = new Set<string>();
  const read = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const text = await read(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')).catch(() => undefined);
    if (text !== undefined) for (const key of settingKeys(text)) if (USER_ONLY_KEYS.has(key)) found.add(key);
  }
  const workspaceFile = vscode.workspace.workspaceFile;
  if (workspaceFile && workspaceFile.scheme !== 'untitled') {
    const text = await read(workspaceFile).catch(() => undefined);
    const settings = text === undefined ? undefined : (parse(text, [], { allowTrailingComma: true }) as { settings?: unknown } | undefined)?.settings;
    if (settings && typeof settings === 'object') for (const key of Object.keys(settings)) if (USER_ONLY_KEYS.has(key)) found.add(key);
  }
  return [...found];
}

export class SettingsGuard implements vscode.Disposable {
  /** The workspace settings the user has been told were ignored, in the order they were found. */
  readonly told: string[] = [];
  private readonly item = vscode.window.createStatusBarItem('eksAuth.endpointOverride', vscode.StatusBarAlignment.Left, 9);
  private readonly subscriptions: vscode.Disposable[];
  private checking = Promise.resolve();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.item.name = vscode.l10n.t('AWS endpoint override (EKS Auth Explorer)');
    this.item.command = { command: 'workbench.action.openSettings', title: vscode.l10n.t('Open Settings'), arguments: ['eksAuth.endpoints'] };
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    const recheck = () => void this.check();
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(recheck),
      watcher.onDidChange(recheck),
      vscode.workspace.onDidChangeWorkspaceFolders(recheck),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('eksAuth')) recheck();
      }),
    ];
    recheck();
  }

  /** The user's active endpoint overrides, by service. */
  activeOverrides(): [string, string][] {
    return Object.entries(endpointOverrides() ?? {}).filter((e): e is [string, string] => !!e[1]);
  }

  /** Shows or hides the override item, and tells the user of workspace settings newly found and ignored. */
  check(): Promise<void> {
    // One check at a time, so a burst of file events tells the user once.
    this.checking = this.checking.then(() => this.checkNow()).catch((e) => this.log.warn(`Could not check the workspace settings: ${(e as Error).message}`));
    return this.checking;
  }

  private async checkNow(): Promise<void> {
    const active = this.activeOverrides();
    if (active.length) {
      this.item.text = `$(plug) ${vscode.l10n.t('AWS endpoint override')}`;
      this.item.tooltip = vscode.l10n.t('EKS Auth Explorer sends signed AWS requests and EKS tokens to these endpoints, from your user settings:\n{0}', active.map(([service, url]) => `${service}: ${url}`).join('\n'));
      this.item.show();
    } else {
      this.item.hide();
    }
    const set = new Set([...ignoredWorkspaceSettings(), ...(await userOnlyKeysInWorkspaceFiles())]);
    const fresh = [...set].filter((key) => !this.told.includes(key));
    if (!fresh.length) return;
    this.told.push(...fresh);
    this.log.warn(`Ignored workspace settings that would route AWS credentials: ${fresh.join(', ')}`);
    void vscode.window.showWarningMessage(
      vscode.l10n.t('This workspace sets {0}. EKS Auth Explorer ignored it: these settings decide where your AWS credentials and EKS tokens go, so they are read only from your user settings.', fresh.join(', ')),
    );
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
