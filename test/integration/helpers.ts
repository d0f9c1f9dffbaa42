/** Shared set-up for integration tests: the emulator in this extension host, and scripted answers to prompts. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { Emulator, EmulatorOptions, startEmulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import type { EksAuthExplorerApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/core/explorer/nodes';

export const EXTENSION_ID = 'eks-auth-explorer.eks-auth-explorer';

export async function api(): Promise<EksAuthExplorerApi> {
  return vscode.extensions.getExtension<EksAuthExplorerApi>(EXTENSION_ID)!.activate();
}

let shared: Emulator | undefined;

/**
 * Starts the demo scenario emulator (once), points the SDK at it through settings and the shared config files,
 * with two profiles (admin and developer) and the scenario's two regions.
 */
/** An IAM Identity Center profile whose session was never started on this machine (no cached token). */
export const DEMO_SSO_PROFILE = '[profile demo-sso]\nsso_session = eks-auth-demo-sso\nsso_account_id = 111122223333\nsso_role_name = Developers\nregion = us-east-1\n\n[sso-session eks-auth-demo-sso]\nsso_start_url = https://demo.awsapps.com/start\nsso_region = us-east-1\n';

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  if (!shared) {
    const scenario = loadScenarioFile('demo');
    shared = await startEmulator(scenario, { updateDelayMs: 200, queryTiming: { scheduledMs: 100, runningMs: 400 }, ...options });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-aws-'));
    const [admin, dev] = scenario.identities;
    fs.writeFileSync(path.join(dir, 'config'), `[profile demo-admin]\nregion = us-east-1\n\n[profile demo-dev]\nregion = eu-west-1\n\n${DEMO_SSO_PROFILE}`);
    fs.writeFileSync(path.join(dir, 'credentials'), `[demo-admin]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n\n[demo-dev]\naws_access_key_id = ${dev.accessKeyId}\naws_secret_access_key = ${dev.secretAccessKey}\n`);
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    const config = vscode.workspace.getConfiguration('eksAuth');
    await config.update('endpoints.eks', shared.endpoint, vscode.ConfigurationTarget.Global);
    await config.update('endpoints.logs', shared.endpoint, vscode.ConfigurationTarget.Global);
    await config.update('endpoints.sts', shared.endpoint, vscode.ConfigurationTarget.Global);
    await config.update('endpoints.iam', shared.endpoint, vscode.ConfigurationTarget.Global);
    await config.update('regions', ['us-east-1', 'eu-west-1'], vscode.ConfigurationTarget.Global);
    await config.update('profiles', ['demo-admin'], vscode.ConfigurationTarget.Global);
  }
  return shared;
}

type Window = typeof vscode.window;
const originals = new Map<keyof Window, unknown>();

/**
 * Answers the next prompts in order. Each answer is a label to pick (quick pick, message button) or text to type
 * (input box); undefined dismisses. Prompts are recorded so tests can check what the user was asked.
 */
export function answerPrompts(answers: (string | undefined)[]): { asked: string[]; details: string[]; restore(): void } {
  const queue = [...answers];
  const asked: string[] = [];
  /** The `detail` of each modal, in order (the exact command a terminal fix runs is shown there). */
  const details: string[] = [];
  const w = vscode.window as unknown as Record<string, unknown>;
  const stub = (name: keyof Window, fn: (...args: never[]) => unknown) => {
    if (!originals.has(name)) originals.set(name, w[name]);
    w[name] = fn;
  };
  const next = () => queue.shift();
  stub('showQuickPick', async (items: unknown, options?: { placeHolder?: string }) => {
    asked.push(`pick: ${options?.placeHolder ?? ''}`);
    const list = (await items) as (string | vscode.QuickPickItem)[];
    const answer = next();
    return list.find((i) => (typeof i === 'string' ? i : i.label) === answer);
  });
  stub('showInputBox', async (options?: vscode.InputBoxOptions) => {
    asked.push(`input: ${options?.prompt ?? ''}`);
    const answer = next();
    if (answer !== undefined && options?.validateInput) {
      const problem = await options.validateInput(answer);
      if (problem) throw new Error(`input "${answer}" rejected: ${typeof problem === 'string' ? problem : problem.message}`);
    }
    return answer;
  });
  for (const name of ['showWarningMessage', 'showInformationMessage', 'showErrorMessage'] as const) {
    stub(name, async (message: string, ...rest: unknown[]) => {
      asked.push(`${name}: ${message}`);
      const modal = typeof rest[0] === 'object' && rest[0] !== null && 'modal' in (rest[0] as object);
      if (modal) details.push((rest[0] as vscode.MessageOptions).detail ?? '');
      const buttons = rest.filter((r): r is string => typeof r === 'string');
      if (!buttons.length && !modal) return undefined;
      const answer = next();
      return buttons.find((b) => b === answer);
    });
  }
  return {
    asked,
    details,
    restore() {
      for (const [name, fn] of originals) w[name] = fn;
      originals.clear();
    },
  };
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15000): Promise<NonNullable<T>> {
  const started = Date.now();
  let last: T | undefined;
  while (Date.now() - started < timeoutMs) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const fixturesDir = () => vscode.workspace.workspaceFolders![0].uri;

/** A cluster's node in a freshly refreshed explorer (one profile: the roots are regions). */
export async function clusterNode(region: string, name: string): Promise<ExplorerNode> {
  const tree = (await api()).clusterTree()!;
  tree.refresh();
  const regionNode = (await tree.getChildren()).find((n) => n.view().label === region);
  if (!regionNode) throw new Error(`no region node ${region}`);
  const cluster = (await tree.getChildren(regionNode)).find((n) => n.view().label === name);
  if (!cluster) throw new Error(`no cluster node ${name} in ${region}`);
  return cluster;
}

/** Runs a command answering its prompts in order (see answerPrompts), returning its result and what the user was asked. */
export async function runAnswering<T>(answers: (string | undefined)[], command: string, ...args: unknown[]): Promise<{ result: T; asked: string[]; details: string[] }> {
  const prompts = answerPrompts(answers);
  try {
    return { result: await vscode.commands.executeCommand<T>(command, ...args), asked: prompts.asked, details: prompts.details };
  } finally {
    prompts.restore();
  }
}

/** Runs a command with every prompt dismissed, returning its result and what the user was told. */
export async function runQuietly<T>(command: string, ...args: unknown[]): Promise<{ result: T; asked: string[] }> {
  return runAnswering<T>([], command, ...args);
}

/** The lines of `before` that `after` no longer has, trimmed: what an edit of a file changed or removed. */
export function removedLines(before: string, after: string): string[] {
  const kept = after.split('\n');
  return before.split('\n').filter((l) => !kept.includes(l)).map((l) => l.trim());
}

/**
 * Mocha hooks for a suite that runs against the emulator: started once, reset before each test together with the
 * explorer and the editors, so no test sees another's changes.
 */
export function withEmulator(use: (emu: Emulator) => void): void {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
    use(emu);
  });
  beforeEach(async () => {
    emu.reset();
    (await api()).clusterTree()?.refresh();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}
