// "EKS: Diagnose kubectl Access" in a real VS Code host against the emulator: one context per failure kind, each
// failing at its step with its fix, and the exec-block fix applied through the diff and re-checked to green.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/server';
import type { ContextReport } from '../../src/core/kubeconfig/doctor';
import { answerPrompts, api, clusterNode, removedLines, withEmulator } from './helpers';
import { readKubeconfig } from '../../src/core/kubeconfig/kubeconfig';
import { awsPluginOrSkip } from '../emulator/awsPlugin';

describe('kubeconfig doctor in VS Code', function () {
  this.timeout(90000);
  let emu: Emulator;
  let dir: string;
  let kubeconfig: string;
  let saved: string | undefined;
  let savedEndpoint: string | undefined;
  withEmulator((e) => (emu = e));

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-kubeconfig-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    // The doctor runs the exec plugin as kubectl does: the real awscli (Debian's), its STS and SSO clients pointed at the emulator.
    const aws = awsPluginOrSkip(this, path.join(dir, 'bin'));
    savedEndpoint = process.env.EKS_AUTH_TEST_ENDPOINT;
    process.env.EKS_AUTH_TEST_ENDPOINT = emu.endpoint;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    kubeconfig = path.join(dir, 'config');
    saved = process.env.KUBECONFIG;
    // A second file that also defines the working context: kubectl's first file wins, so this one must be ignored.
    const shadow = path.join(dir, 'shadow');
    fs.writeFileSync(shadow, 'apiVersion: v1\nkind: Config\ncurrent-context: shadowed\ncontexts:\n- name: prod-payments-admin\n  context: {cluster: nowhere, user: nobody}\nclusters: []\nusers: []\n');
    fs.writeFileSync(kubeconfig, await emu.kubeconfig(aws));
    process.env.KUBECONFIG = [kubeconfig, shadow].join(path.delimiter);
  });
  after(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    if (savedEndpoint === undefined) delete process.env.EKS_AUTH_TEST_ENDPOINT;
    else process.env.EKS_AUTH_TEST_ENDPOINT = savedEndpoint;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    fs.writeFileSync(kubeconfig, await emu.kubeconfig(path.join(dir, 'bin', 'aws')));
  });

  const diagnose = async (context: string, answers: (string | undefined)[] = []): Promise<{ report: ContextReport; asked: string[] }> => {
    const prompts = answerPrompts(answers);
    try {
      const reports = await vscode.commands.executeCommand<ContextReport[]>('eksAuth.kubeconfig.diagnose', context);
      return { report: reports[0], asked: prompts.asked };
    } finally {
      prompts.restore();
    }
  };
  const failing = (r: ContextReport) => r.steps.find((s) => s.status === 'fail');

  it('reads the merged kubeconfig as kubectl does: the first file wins, the current context first', async () => {
    const prompts = answerPrompts([undefined]);
    try {
      await vscode.commands.executeCommand('eksAuth.kubeconfig.diagnose');
      assert.match(prompts.asked[0], /^pick: Which kubectl context/);
    } finally {
      prompts.restore();
    }
    const { report } = await diagnose('prod-payments-admin');
    assert.strictEqual(report.verdict, 'ok', JSON.stringify(report.steps, null, 1));
    assert.strictEqual(report.current, true, 'current-context comes from the first file that sets it');
    assert.ok(report.steps.every((s) => s.status === 'pass'));
    assert.ok(emu.calls.some((c) => c.operation === 'prod-payments POST /apis/authentication.k8s.io/v1/selfsubjectreviews'), 'the cluster was asked who the caller is');
    assert.ok(emu.calls.some((c) => c.operation === 'prod-payments POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews'), 'and what it may do');
  });

  for (const [context, step, evidence, fixKind] of [
    ['prod-payments-v1alpha1', 'exec', /exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v1alpha1"/, 'rewriteExec'],
    ['prod-payments-no-aws-cli', 'exec', /exec: executable \/opt\/aws-cli-v1\/bin\/aws not found/, undefined],
    ['prod-payments-sso-expired', 'exec', /^prediction: No IAM Identity Center session is cached/, 'ssoLogin'],
    ['prod-payments-recreated', 'request', /EKS DescribeCluster says the endpoint .*the kubeconfig is stale/, 'repairCluster'],
    ['prod-payments-data-scientist', 'mapping', /401 Unauthorized/, 'openAwsAuth'],
  ] as const) {
    it(`finds what breaks ${context} at step "${step}" and offers its fix`, async () => {
      const { report, asked } = await diagnose(context, [undefined]);
      assert.strictEqual(report.verdict, 'fail');
      const failed = failing(report)!;
      assert.strictEqual(failed.id, step, JSON.stringify(report.steps, null, 1));
      assert.ok(failed.evidence.some((e) => evidence.test(e)), failed.evidence.join(' | '));
      if (fixKind) assert.ok(failed.fixes.some((f) => f.kind === fixKind), failed.fixes.map((f) => f.kind).join(', '));
      assert.ok(asked.some((a) => a.startsWith('showWarningMessage: kubectl context ' + context)), asked.join(' | '));
      const preview = (await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'eks-auth-doctor', path: `/${context}.md` }))).getText();
      assert.match(preview, new RegExp(`FAIL ${context.replace(/-/g, '\\\\-')}`), 'the report names the context');
      assert.ok(!/k8s-aws-v1\.|secret|AKIA|ASIA/.test(preview), 'no token or key in the report');
    });
  }

  it('keeps each context\'s last verdict, with when it was checked, across a refresh and in a new window (without its fixes)', async () => {
    await diagnose('prod-payments-v1alpha1', [undefined]);
    await vscode.commands.executeCommand('eksAuth.kubeconfig.refresh');
    const services = (await api()).services;
    const kept = services.doctor.kept('prod-payments-v1alpha1');
    assert.strictEqual(kept?.report.verdict, 'fail', 'a refresh keeps the verdict');
    assert.ok(kept!.checkedAt <= Date.now() && Date.now() - kept!.checkedAt < 60_000);
    assert.ok(kept!.report.steps.some((s) => s.fixes.length), 'this window keeps the fixes it found');
    // A new window: a doctor over the same stored state.
    const stored = new Map<string, unknown>();
    const memento = { keys: () => [...stored.keys()], get: <T>(k: string) => stored.get(k) as T, update: async (k: string, v: unknown) => void stored.set(k, v) } as unknown as vscode.Memento;
    const Doctor = services.doctor.constructor as new (...args: unknown[]) => typeof services.doctor;
    const first = new Doctor(services.clusters, services.log, memento);
    const prompts = answerPrompts([undefined]);
    try {
      await first.diagnose(['prod-payments-v1alpha1'], new vscode.CancellationTokenSource().token);
    } finally {
      prompts.restore();
    }
    const next = new Doctor(services.clusters, services.log, memento).kept('prod-payments-v1alpha1');
    assert.deepStrictEqual([next?.report.verdict, next?.stored], ['fail', true]);
    assert.ok(next!.report.steps.every((s) => s.fixes.length === 0), 'fixes are not carried into another window');
    assert.ok(!JSON.stringify([...stored.values()]).match(/k8s-aws-v1\.|AKIA|ASIA/), 'no token or key is stored');
  });

  it('passes an exec --region other than the cluster\'s, as kubectl does (any STS region of the partition)', async () => {
    assert.strictEqual((await diagnose('staging-web-wrong-region')).report.verdict, 'ok');
  });

  it('ends with the cluster\'s 403 for what eksAuth.kubeconfig.accessCheck asks, naming the grants it has', async () => {
    const config = vscode.workspace.getConfiguration('eksAuth');
    await config.update('kubeconfig.accessCheck', 'delete pods', vscode.ConfigurationTarget.Global);
    try {
      const { report } = await diagnose('platform-api-auditor', [undefined]);
      const failed = failing(report)!;
      assert.strictEqual(failed.id, 'rbac', JSON.stringify(report.steps, null, 1));
      assert.ok(failed.evidence.some((e) => /The cluster says no to delete pods in namespace payments/.test(e)), failed.evidence.join(' | '));
      assert.ok(failed.evidence.some((e) => /AmazonEKSAdminViewPolicy/.test(e)));
      assert.ok(emu.calls.some((c) => c.operation === 'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews' || c.operation === 'platform-api POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews'));
    } finally {
      await config.update('kubeconfig.accessCheck', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.strictEqual((await diagnose('platform-api-auditor')).report.verdict, 'ok', 'listing pods is within AmazonEKSAdminViewPolicy');
  });

  it('applies the exec-block fix through a diff, keeps a backup, and the re-check is green', async () => {
    const before = fs.readFileSync(kubeconfig, 'utf8');
    const { report } = await diagnose('prod-payments-v1alpha1', [undefined]);
    assert.strictEqual(report.verdict, 'fail');
    const prompts = answerPrompts(['Rewrite']);
    let rechecked: ContextReport[] | undefined;
    try {
      rechecked = await vscode.commands.executeCommand<ContextReport[]>('eksAuth.kubeconfig.fix', 'prod-payments-v1alpha1');
    } finally {
      prompts.restore();
    }
    assert.ok(prompts.asked.some((a) => /^showWarningMessage: Rewrite the exec block of user prod-payments-v1alpha1-user/.test(a)), prompts.asked.join(' | '));
    assert.ok(vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff)), 'the diff was shown before writing');
    assert.strictEqual(rechecked?.[0].verdict, 'ok', JSON.stringify(rechecked?.[0].steps, null, 1));
    const after = fs.readFileSync(kubeconfig, 'utf8');
    const backups = fs.readdirSync(dir).filter((f) => f.startsWith('config.eks-auth-backup-'));
    assert.strictEqual(backups.length, 1);
    assert.strictEqual(fs.readFileSync(path.join(dir, backups[0]), 'utf8'), before, 'the backup is the file as it was');
    const removed = removedLines(before, after);
    assert.deepStrictEqual(removed, ['apiVersion: client.authentication.k8s.io/v1alpha1'], 'nothing else changed');
  });

  it('writes nothing when the rewrite is declined', async () => {
    const before = fs.readFileSync(kubeconfig, 'utf8');
    await diagnose('prod-payments-v1alpha1', [undefined]);
    const prompts = answerPrompts([undefined]);
    try {
      await vscode.commands.executeCommand('eksAuth.kubeconfig.fix', 'prod-payments-v1alpha1');
    } finally {
      prompts.restore();
    }
    assert.strictEqual(fs.readFileSync(kubeconfig, 'utf8'), before);
  });
  it('adds a context for a cluster chosen in the tree, as update-kubeconfig would, and checks it', async () => {
    const before = fs.readFileSync(kubeconfig, 'utf8');
    const prompts = answerPrompts(['Add Context']);
    let reports: ContextReport[] | undefined;
    try {
      reports = await vscode.commands.executeCommand<ContextReport[]>('eksAuth.kubeconfig.addContext', await clusterNode('eu-west-1', 'platform-api'));
    } finally {
      prompts.restore();
    }
    assert.ok(prompts.asked.some((a) => /^showWarningMessage: Add a context for platform-api to .* and make it current\?/.test(a)), prompts.asked.join(' | '));
    const after = fs.readFileSync(kubeconfig, 'utf8');
    const arn = 'arn:aws:eks:eu-west-1:111122223333:cluster/platform-api';
    const contexts = readKubeconfig([{ path: kubeconfig, text: after }]).contexts;
    assert.deepStrictEqual(contexts.filter((c) => c.current).map((c) => c.name), [arn]);
    assert.strictEqual(contexts.length, readKubeconfig([{ path: kubeconfig, text: before }]).contexts.length + 1, 'every other context is still there');
    const removed = removedLines(before, after);
    assert.deepStrictEqual(removed, ['current-context: prod-payments-admin'], 'only current-context changed among the old lines');
    // The new context runs `aws` from PATH, which this host may not have: the check stops at the exec step or passes.
    assert.strictEqual(reports?.[0].context, arn);
    assert.ok(reports?.[0].steps.find((s) => s.id === 'exec')!.evidence.includes('profile demo-admin (exec env)'), JSON.stringify(reports?.[0].steps));
  });

  it('writes a new kubeconfig when there is none, and nothing when the user declines', async () => {
    const fresh = path.join(dir, 'nested', 'fresh-config');
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = fresh;
    try {
      let prompts = answerPrompts([undefined]);
      try {
        await vscode.commands.executeCommand('eksAuth.kubeconfig.addContext', await clusterNode('us-east-1', 'prod-payments'));
      } finally {
        prompts.restore();
      }
      assert.ok(!fs.existsSync(fresh), 'declined: nothing written');
      prompts = answerPrompts(['Add Context']);
      try {
        await vscode.commands.executeCommand('eksAuth.kubeconfig.addContext', await clusterNode('us-east-1', 'prod-payments'));
      } finally {
        prompts.restore();
      }
      const [ctx] = readKubeconfig([{ path: fresh, text: fs.readFileSync(fresh, 'utf8') }]).contexts;
      assert.deepStrictEqual([ctx.name, ctx.current, ctx.user?.exec?.args.join(' ')], ['arn:aws:eks:us-east-1:111122223333:cluster/prod-payments', true, '--region us-east-1 eks get-token --cluster-name prod-payments']);
      assert.strictEqual(ctx.cluster?.server, emu.state.clusters.find((c) => c.name === 'prod-payments')!.kube?.endpoint);
    } finally {
      process.env.KUBECONFIG = saved;
    }
  });
});
