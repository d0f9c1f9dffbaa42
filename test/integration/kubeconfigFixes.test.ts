// Every fix "EKS: Diagnose kubectl Access" offers, in a real VS Code host against the emulator: each broken kubeconfig
// is first written by Debian's awscli (`aws eks update-kubeconfig`, through emulator/awsPlugin.ts) and then broken the
// way it breaks on users' machines; accepting the fix makes the failing step pass in the re-check the fix itself
// starts, and declining writes nothing: the file's bytes, no backup, no terminal, no AWS write.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/server';
import type { ContextReport, DoctorFix, StepId } from '../../src/core/kubeconfig/doctor';
import { readKubeconfig } from '../../src/core/kubeconfig/kubeconfig';
import { answerPrompts, removedLines, runAnswering, withEmulator } from './helpers';
import { awsPluginOrSkip } from '../emulator/awsPlugin';

const ACCOUNT = '111122223333';

describe('kubeconfig doctor fixes, each made to pass in VS Code', function () {
  this.timeout(120000);
  let emu: Emulator;
  let dir: string;
  let aws: string;
  let kubeconfig: string;
  const saved: Record<string, string | undefined> = {};
  withEmulator((e) => (emu = e));

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-fixes-'));
    aws = awsPluginOrSkip(this, path.join(dir, 'bin'));
    kubeconfig = path.join(dir, 'config');
    for (const k of ['KUBECONFIG', 'PATH', 'EKS_AUTH_TEST_ENDPOINT', 'AWS_EC2_METADATA_DISABLED']) saved[k] = process.env[k];
    // kubectl's environment in this editor: the kubeconfig, and awscli (the wrapper) first on PATH, as `aws` in the
    // exec blocks update-kubeconfig writes.
    process.env.KUBECONFIG = kubeconfig;
    process.env.PATH = `${path.dirname(aws)}${path.delimiter}${process.env.PATH ?? ''}`;
    process.env.EKS_AUTH_TEST_ENDPOINT = emu.endpoint;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fs.rmSync(kubeconfig, { force: true });
    for (const f of backups()) fs.rmSync(path.join(dir, f));
  });

  /** `aws eks update-kubeconfig` (Debian's awscli 2.9.19, its EKS client sent to the emulator) into the test kubeconfig. */
  const updateKubeconfig = async (cluster: string, region: string, alias: string, extra: string[] = []) => {
    await promisify(execFile)(aws, ['eks', 'update-kubeconfig', '--name', cluster, '--region', region, '--profile', 'demo-admin', '--alias', alias, '--kubeconfig', kubeconfig, ...extra], { env: { ...process.env, AWS_PAGER: '' } });
    return fs.readFileSync(kubeconfig, 'utf8');
  };
  /** The file with one exact piece of text replaced (asserted present, so a change in awscli's output is noticed). */
  const breakWith = (text: string, from: string, to: string) => {
    assert.ok(text.includes(from), `awscli's kubeconfig has ${from}:\n${text}`);
    fs.writeFileSync(kubeconfig, text.replace(from, to));
  };
  const backups = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.includes('.eks-auth-backup-')) : []);
  const isWrite = (c: { service: string; operation: string }) =>
    c.service === 'kube' ? /^\S+ (PUT|PATCH|DELETE|POST) /.test(c.operation) && !/selfsubject/.test(c.operation) : /^(Create|Delete|Update|Associate|Disassociate|Put|Tag|Untag)/.test(c.operation);
  const step = (r: ContextReport | undefined, id: StepId) => r?.steps.find((s) => s.id === id);
  /** An in-place fix: the re-check passes the step, only `line` of the kubeconfig changed, and one backup keeps the file as it was. */
  const repairedInPlace = (rechecked: ContextReport | undefined, id: StepId, before: string, line: string, what?: string) => {
    assert.strictEqual(step(rechecked, id)?.status, 'pass', JSON.stringify(rechecked?.steps, null, 1));
    assert.strictEqual(rechecked?.verdict, 'ok');
    assert.deepStrictEqual(removedLines(before, fs.readFileSync(kubeconfig, 'utf8')), [line], what);
    assert.strictEqual(backups().length, 1);
  };

  /** Diagnoses the context (its fix offer dismissed) and returns the failing step's fix of that kind. */
  const brokenAt = async (context: string, id: StepId, kind: DoctorFix['kind']): Promise<DoctorFix> => {
    const [report] = (await runAnswering<ContextReport[]>([undefined], 'eksAuth.kubeconfig.diagnose', context)).result;
    assert.strictEqual(report.verdict, 'fail', JSON.stringify(report.steps, null, 1));
    assert.strictEqual(step(report, id)?.status, 'fail', JSON.stringify(report.steps, null, 1));
    const fix = step(report, id)!.fixes.find((f) => f.kind === kind);
    assert.ok(fix, `step ${id} offers ${kind}: ${step(report, id)!.fixes.map((f) => f.kind).join(', ')}`);
    return fix;
  };

  /** Runs the context's fix from the kubectl Contexts view with scripted answers; returns the re-check it started. */
  const fix = async (context: string, answers: (string | undefined)[], during?: (prompts: ReturnType<typeof answerPrompts>) => Promise<void>) => {
    const prompts = answerPrompts(answers);
    const terminals: string[] = [];
    const opened = vscode.window.onDidOpenTerminal((t) => terminals.push(t.name));
    try {
      const pending = Promise.resolve(vscode.commands.executeCommand<ContextReport[] | undefined>('eksAuth.kubeconfig.fix', context));
      await during?.(prompts);
      const rechecked = await pending;
      return { rechecked: rechecked?.[0], asked: prompts.asked, details: prompts.details, terminals };
    } finally {
      opened.dispose();
      prompts.restore();
    }
  };

  /** Declining: the kubeconfig's bytes as they were, no backup, no terminal, no AWS write call, no re-check. */
  const declines = async (context: string, answers: (string | undefined)[]) => {
    const before = fs.readFileSync(kubeconfig);
    const callsBefore = emu.calls.length;
    const { rechecked, terminals, asked, details } = await fix(context, answers);
    assert.ok(fs.readFileSync(kubeconfig).equals(before), 'the kubeconfig is byte for byte as it was');
    assert.deepStrictEqual(backups(), [], 'no backup written');
    assert.deepStrictEqual(terminals, [], 'no terminal opened');
    assert.deepStrictEqual(emu.calls.slice(callsBefore).filter(isWrite).map((c) => c.operation), [], 'no AWS or Kubernetes write');
    assert.strictEqual(rechecked, undefined, 'nothing to check again');
    return { asked, details };
  };

  describe('rewrite the exec block (v1alpha1)', () => {
    // awscli wrote client.authentication.k8s.io/v1alpha1 until aws/aws-cli#6476 (May 2022, aws/aws-cli#6920); kubectl 1.24+ refuses it.
    beforeEach(async () => breakWith(await updateKubeconfig('prod-payments', 'us-east-1', 'fix-v1alpha1'), 'client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1alpha1'));

    it('rewrites only the apiVersion behind the diff and a backup, and the re-check passes the exec step', async () => {
      const before = fs.readFileSync(kubeconfig, 'utf8');
      await brokenAt('fix-v1alpha1', 'exec', 'rewriteExec');
      const { rechecked, asked } = await fix('fix-v1alpha1', ['Rewrite']);
      assert.ok(asked.some((a) => /^showWarningMessage: Rewrite the exec block of user arn:aws:eks:us-east-1:111122223333:cluster\/prod-payments/.test(a)), asked.join(' | '));
      repairedInPlace(rechecked, 'exec', before, 'apiVersion: client.authentication.k8s.io/v1alpha1');
    });

    it('writes nothing when the rewrite is declined', async () => {
      await brokenAt('fix-v1alpha1', 'exec', 'rewriteExec');
      await declines('fix-v1alpha1', [undefined]);
    });
  });

  describe('a re-created cluster (the kubeconfig names its old endpoint)', () => {
    const OLD = 'https://127.0.0.1:1';
    const repairLabel = `Point cluster arn:aws:eks:us-east-1:${ACCOUNT}:cluster/prod-payments at EKS's endpoint and CA, in place in ${'KUBECONFIG'}`;
    beforeEach(async () => {
      const text = await updateKubeconfig('prod-payments', 'us-east-1', 'fix-recreated');
      breakWith(text, `server: ${emu.state.clusters.find((c) => c.name === 'prod-payments')!.kube!.endpoint}`, `server: ${OLD}`);
    });

    it('repairs the context\'s own cluster entry in place, and the re-check passes the request step', async () => {
      const before = fs.readFileSync(kubeconfig, 'utf8');
      await brokenAt('fix-recreated', 'request', 'repairCluster');
      const { rechecked } = await fix('fix-recreated', [repairLabel.replace('KUBECONFIG', kubeconfig), 'Repair']);
      repairedInPlace(rechecked, 'request', before, `server: ${OLD}`, 'only the server changed');
    });

    it('writes nothing when the repair is declined', async () => {
      await brokenAt('fix-recreated', 'request', 'repairCluster');
      await declines('fix-recreated', [repairLabel.replace('KUBECONFIG', kubeconfig), undefined]);
    });
  });

  describe('a re-created cluster whose context has a namespace, which update-kubeconfig would drop', () => {
    // awscli's --alias replaces the context with one of only cluster and user (Debian awscli 2.9.19,
    // customizations/eks/kubeconfig.py _make_context, insert_entry): the in-place repair is the fix, not the terminal.
    const OLD = 'https://127.0.0.1:1';
    beforeEach(async () => {
      const text = await updateKubeconfig('prod-payments', 'us-east-1', 'fix-namespaced');
      const context = `    user: arn:aws:eks:us-east-1:${ACCOUNT}:cluster/prod-payments\n  name: fix-namespaced`;
      breakWith(text.replace(context, context.replace('\n', '\n    namespace: payments\n')), `server: ${emu.state.clusters.find((c) => c.name === 'prod-payments')!.kube!.endpoint}`, `server: ${OLD}`);
      assert.match(fs.readFileSync(kubeconfig, 'utf8'), /namespace: payments\n/);
    });

    it('offers the in-place repair and not update-kubeconfig, says why, and the repaired context keeps its namespace', async () => {
      const [report] = (await runAnswering<ContextReport[]>([undefined], 'eksAuth.kubeconfig.diagnose', 'fix-namespaced')).result;
      const request = step(report, 'request')!;
      assert.deepStrictEqual([request.status, request.fixes.map((f) => f.kind)], ['fail', ['repairCluster']], JSON.stringify(request, null, 1));
      assert.ok(request.evidence.some((e) => /aws eks update-kubeconfig is not offered: .*lose the context's namespace payments/.test(e)), request.evidence.join(' | '));
      const { rechecked, terminals } = await fix('fix-namespaced', ['Repair']);
      assert.deepStrictEqual(terminals, []);
      assert.strictEqual(step(rechecked, 'request')?.status, 'pass', JSON.stringify(rechecked?.steps, null, 1));
      const ctx = readKubeconfig([{ path: kubeconfig, text: fs.readFileSync(kubeconfig, 'utf8') }]).contexts.find((c) => c.name === 'fix-namespaced')!;
      assert.strictEqual(ctx.namespace, 'payments', 'the namespace is still there');
    });
  });

  describe('aws eks update-kubeconfig in a terminal, in the region EKS has the cluster in', () => {
    // staging-web is in eu-west-1; the exec asks STS in us-east-1 (which works), and the endpoint is the one before the
    // cluster was re-created. DescribeCluster in the exec's region would not find it.
    const label = 'Refresh the endpoint and CA with aws eks update-kubeconfig';
    beforeEach(async () => {
      const text = await updateKubeconfig('staging-web', 'eu-west-1', 'fix-terminal');
      const endpoint = emu.state.clusters.find((c) => c.name === 'staging-web')!.kube!.endpoint;
      breakWith(text.replace('- eu-west-1\n', '- us-east-1\n'), `server: ${endpoint}`, 'server: https://127.0.0.1:1');
      assert.match(fs.readFileSync(kubeconfig, 'utf8'), /- --region\n\s+- us-east-1\n/);
    });
    // The aws kubectl runs (`aws` on the editor's PATH), not whichever aws the terminal's shell rc puts first.
    const command = () => `${aws} eks update-kubeconfig --name staging-web --region eu-west-1 --profile demo-admin --alias fix-terminal --kubeconfig ${kubeconfig}`;

    it('shows the exact command, runs it in a terminal, and checks the context again once the kubeconfig is written', async function () {
      const offered = await brokenAt('fix-terminal', 'request', 'updateKubeconfig');
      assert.strictEqual((offered as Extract<DoctorFix, { kind: 'updateKubeconfig' }>).argv.join(' '), command());
      // The terminal's shell gets the test's AWS files and the emulator (a user's terminal has their own).
      const config = vscode.workspace.getConfiguration('terminal.integrated');
      await config.update('env.linux', { AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE, EKS_AUTH_TEST_ENDPOINT: emu.endpoint, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' }, vscode.ConfigurationTarget.Global);
      try {
        const { rechecked, details, asked, terminals } = await fix('fix-terminal', [label, 'Run in Terminal', undefined]);
        assert.deepStrictEqual(details, [command()], 'the modal shows the command line itself');
        assert.ok(asked.includes(`showWarningMessage: Run this command in a terminal? awscli makes fix-terminal the current context, and rewrites all of ${kubeconfig} from a YAML dump: its comments and formatting are lost. The file is copied to a backup first.`), asked.join(' | '));
        assert.strictEqual(backups().length, 1, 'the file as it was, kept before awscli rewrote it');
        assert.deepStrictEqual(terminals, ['aws eks update-kubeconfig']);
        assert.ok(asked.some((a) => a.startsWith(`showInformationMessage: When aws eks update-kubeconfig has written ${kubeconfig}, fix-terminal is checked again.`)), asked.join(' | '));
        assert.strictEqual(step(rechecked, 'request')?.status, 'pass', JSON.stringify(rechecked?.steps, null, 1));
        assert.strictEqual(rechecked?.verdict, 'ok');
        const ctx = readKubeconfig([{ path: kubeconfig, text: fs.readFileSync(kubeconfig, 'utf8') }]).contexts.find((c) => c.name === 'fix-terminal')!;
        assert.strictEqual(ctx.cluster?.server, emu.state.clusters.find((c) => c.name === 'staging-web')!.kube!.endpoint, 'awscli rewrote the context itself (--alias)');
      } finally {
        await config.update('env.linux', undefined, vscode.ConfigurationTarget.Global);
        for (const t of vscode.window.terminals) t.dispose();
      }
    });

    it('runs nothing when the command is declined', async () => {
      await brokenAt('fix-terminal', 'request', 'updateKubeconfig');
      const { details } = await declines('fix-terminal', [label, undefined]);
      assert.deepStrictEqual(details, [command()]);
    });
  });

  describe('aws sso login (awscli v2) for an IAM Identity Center profile never signed in', () => {
    // The exec block update-kubeconfig writes for `--profile demo-sso` (written with demo-admin, which can describe the cluster).
    beforeEach(async () => breakWith(await updateKubeconfig('prod-payments', 'us-east-1', 'fix-sso'), 'value: demo-admin', 'value: demo-sso'));

    it('shows the login command for the plugin\'s own aws, and runs nothing when declined (the login itself is not run here: it signs in through a browser)', async () => {
      await brokenAt('fix-sso', 'exec', 'ssoLogin');
      const { details } = await declines('fix-sso', [undefined]);
      assert.deepStrictEqual(details, [`${aws} sso login --profile demo-sso`]);
      console.log('      not run here: aws sso login signs in through a browser at the real IAM Identity Center (the emulator serves only the portal)');
    });
  });

  describe('the plugin\'s aws is missing (a path left by an uninstalled awscli; aws is on PATH)', () => {
    // The absolute path awscli v1's bundled installer used (AWS CLI v1 user guide, "Install the AWS CLI version 1 using the bundled installer").
    const GONE = '/usr/local/aws/bin/aws';
    beforeEach(async () => breakWith(await updateKubeconfig('prod-payments', 'us-east-1', 'fix-no-aws'), 'command: aws\n', `command: ${GONE}\n`));
    const label = `Point the exec block of user arn:aws:eks:us-east-1:${ACCOUNT}:cluster/prod-payments at aws on PATH (${'AWS'})`;

    it('points the exec block at aws on PATH behind the diff, and the re-check passes the exec step', async () => {
      const before = fs.readFileSync(kubeconfig, 'utf8');
      await brokenAt('fix-no-aws', 'exec', 'rewriteExec');
      const { rechecked } = await fix('fix-no-aws', [label.replace('AWS', aws), 'Rewrite']);
      repairedInPlace(rechecked, 'exec', before, `command: ${GONE}`, 'only the command changed');
    });

    it('also offers the AWS CLI install guide (not run here: installing awscli); declining either writes and opens nothing', async () => {
      const offered = await brokenAt('fix-no-aws', 'exec', 'installAwsCli');
      assert.strictEqual((offered as Extract<DoctorFix, { kind: 'installAwsCli' }>).url, 'https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html');
      await declines('fix-no-aws', [label.replace('AWS', aws), undefined]);
      const { asked } = await declines('fix-no-aws', [undefined]);
      assert.deepStrictEqual(asked, ['pick: How should fix-no-aws be fixed?'], 'a dismissed choice says nothing more');
      console.log('      not run here: installing awscli (the install guide opens in a browser); the rewrite above is the fix exercised');
    });
  });

  describe('a role aws-auth maps by its session ARN (prod-payments, API_AND_CONFIG_MAP)', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/DataScientist`;
    const wrong = `rolearn: arn:aws:sts::${ACCOUNT}:assumed-role/DataScientist/jane`;
    beforeEach(async () => void (await updateKubeconfig('prod-payments', 'us-east-1', 'fix-mapping', ['--role-arn', role])));

    it('opens aws-auth at the exact mapping line; saving the corrected line passes the mapping step in the re-check', async () => {
      await brokenAt('fix-mapping', 'mapping', 'openAwsAuth');
      // The Check Again notification dismissed (the save is what the re-check waits for), then the save confirmed if asked.
      const { rechecked } = await fix('fix-mapping', [undefined, 'Save Anyway'], async (prompts) => {
        const editor = await openedAt(prompts);
        const line = editor.document.lineAt(editor.selection.active.line).text;
        assert.ok(line.includes(wrong), `the cursor is on the mapping: ${line}`);
        const at = line.indexOf('arn:aws:sts');
        await editor.edit((e) => e.replace(new vscode.Range(editor.selection.active.line, at, editor.selection.active.line, line.length), role));
        await vscode.commands.executeCommand('eksAuth.awsAuth.save');
      });
      assert.strictEqual(step(rechecked, 'mapping')?.status, 'pass', JSON.stringify(rechecked?.steps, null, 1));
      assert.strictEqual(rechecked?.username, 'data-scientist');
    });

    it('writes nothing when aws-auth is opened and not saved', async () => {
      await brokenAt('fix-mapping', 'mapping', 'openAwsAuth');
      // The Check Again notification dismissed; the editor is closed unsaved, which the watch outlives (15 min): not awaited.
      const before = fs.readFileSync(kubeconfig);
      const callsBefore = emu.calls.length;
      const prompts = answerPrompts([undefined]);
      try {
        void vscode.commands.executeCommand('eksAuth.kubeconfig.fix', 'fix-mapping');
        const editor = await openedAt(prompts);
        assert.ok(editor.document.lineAt(editor.selection.active.line).text.includes(wrong));
      } finally {
        prompts.restore();
      }
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      assert.ok(fs.readFileSync(kubeconfig).equals(before));
      assert.deepStrictEqual(emu.calls.slice(callsBefore).filter(isWrite).map((c) => c.operation), []);
    });
  });

  describe('a role with no access entry (platform-api, API mode)', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/DataScientist`;
    beforeEach(async () => void (await updateKubeconfig('platform-api', 'eu-west-1', 'fix-entry', ['--role-arn', role])));

    it('creates the access entry through the wizard, and the re-check passes the mapping step', async () => {
      await brokenAt('fix-entry', 'mapping', 'createAccessEntry');
      const { rechecked } = await fix('fix-entry', ['STANDARD', role, '', '', 'AmazonEKSViewPolicy', 'cluster', 'Create']);
      assert.ok(emu.calls.some((c) => c.operation === 'CreateAccessEntry'));
      assert.strictEqual(step(rechecked, 'mapping')?.status, 'pass', JSON.stringify(rechecked?.steps, null, 1));
      assert.strictEqual(rechecked?.verdict, 'ok');
    });

    it('writes nothing when the wizard is cancelled', async () => {
      await brokenAt('fix-entry', 'mapping', 'createAccessEntry');
      await declines('fix-entry', [undefined]);
    });
  });

  /** The aws-auth editor the mapping fix opened, once the fix says the re-check waits for its save. */
  async function openedAt(prompts: ReturnType<typeof answerPrompts>): Promise<vscode.TextEditor> {
    for (let i = 0; i < 150; i++) {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.uri.scheme === 'eks-auth' && prompts.asked.some((a) => a.startsWith('showInformationMessage: When you have saved aws-auth, fix-mapping is checked again.'))) return editor;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`aws-auth was not opened by the fix: ${prompts.asked.join(' | ')}`);
  }
});
