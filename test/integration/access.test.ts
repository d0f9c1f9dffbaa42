import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/server';
import type { AccessExplanation } from '../../src/core/access/explain';
import type { ApplyResult, PlanItem } from '../../src/core/access/migrate';
import { answerPrompts, clusterNode, runAnswering, runQuietly, waitFor, withEmulator } from './helpers';

const A = '111122223333';


describe('explain access and migrate to access entries, against the emulator', function () {
  this.timeout(60000);
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  it('explains "me": the caller identity of the profile, through its access entry and policy', async () => {
    const prompts = answerPrompts(['Me: the identity of demo-admin']);
    let e: AccessExplanation;
    try {
      e = await vscode.commands.executeCommand<AccessExplanation>('eksAuth.access.explain', await clusterNode('us-east-1', 'prod-payments'));
    } finally {
      prompts.restore();
    }
    assert.strictEqual(e.principal, `arn:aws:iam::${A}:user/demo-admin`);
    assert.strictEqual(e.via, 'access entry');
    assert.deepStrictEqual(e.policies, [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', scope: 'cluster-wide' }]);
    assert.ok(emu.calls.some((c) => c.operation === 'ListAssociatedAccessPolicies'));
  });

  it('asks for the region and then the cluster when run from the palette (one profile: no profile step)', async () => {
    const { result: e, asked } = await runAnswering<AccessExplanation>(['eu-west-1', 'staging-web', 'Enter an IAM or STS ARN...', `arn:aws:iam::${A}:role/Developer`], 'eksAuth.access.explain');
    assert.deepStrictEqual(asked.slice(0, 3), ['pick: Region', 'pick: EKS cluster', 'pick: Whose access to staging-web?']);
    assert.strictEqual(e.via, 'mapRoles');
  });

  it('walks aws-auth with the last duplicate winning, and finds the RBAC bindings from the cluster', async () => {
    const e = await vscode.commands.executeCommand<AccessExplanation>('eksAuth.access.explain', await clusterNode('eu-west-1', 'staging-web'), `arn:aws:sts::${A}:assumed-role/Developer/alice`);
    assert.strictEqual(e.via, 'mapRoles');
    assert.deepStrictEqual([e.username, e.groups], ['dev', ['developers']]);
    assert.deepStrictEqual(e.bindings.map((b) => b.name), ['developers-view']);
    assert.ok(e.nearMisses.some((n) => /a later entry \(\d+\) for the same ARN replaces it/.test(n)), e.nearMisses.join(" | "));
    assert.ok(emu.calls.some((c) => c.service === 'kube' && c.operation.endsWith('/clusterrolebindings')));
  });

  it('says why an unmapped Windows node role is Unauthorized and offers the fix', async () => {
    const prompts = answerPrompts([undefined]);
    let e: AccessExplanation;
    try {
      e = await vscode.commands.executeCommand<AccessExplanation>('eksAuth.access.explain', await clusterNode('us-east-1', 'prod-payments'), `arn:aws:sts::${A}:assumed-role/NodeInstanceRole-windows/i-0abc123`);
    } finally {
      prompts.restore();
    }
    assert.strictEqual(e.authenticated, false);
    assert.match(e.verdict, /Unauthorized/);
    assert.ok(prompts.asked.some((a) => /Unauthorized/.test(a)), 'the verdict comes with its fix as a button');
  });

  it('migrates aws-auth to access entries, and resumes after a failure half way without duplicates', async () => {
    emu.faults.push({ target: 'eks:CreateAccessEntry', kind: 'accessDenied', after: 1, times: 1 });
    const staging = () => emu.state.clusters.find((c) => c.name === 'staging-web')!;
    const first = answerPrompts(['Switch and Create 2 Access Entries']);
    let run1: { items: PlanItem[]; results: ApplyResult[] };
    try {
      run1 = await vscode.commands.executeCommand('eksAuth.access.migrate', await clusterNode('eu-west-1', 'staging-web'));
    } finally {
      first.restore();
    }
    assert.deepStrictEqual(run1.results.map((r) => r.outcome), ['created', 'failed']);
    assert.strictEqual(staging().authenticationMode, 'API_AND_CONFIG_MAP', 'switched with explicit confirmation');
    const confirmations = first.asked.filter((a) => a.startsWith('showWarningMessage'));
    assert.ok(/^showWarningMessage: Switch the authentication mode from CONFIG_MAP to API_AND_CONFIG_MAP, then create 2 access entries on staging-web\?$/.test(confirmations[0] ?? ''), `one confirmation before any call: ${first.asked.join(' | ')}`);
    assert.ok(first.asked.some((a) => /stopped after 1 of 2 entries/.test(a)));
    const plan = Object.fromEntries(run1.items.map((i) => [i.mapping.arn.split(/[:/]/).pop(), i.action === 'create' ? i.entry!.type : i.skipKind]));
    assert.deepStrictEqual(plan, { 'staging-web-node': 'EC2_LINUX', Developer: 'duplicate', developer: 'STANDARD', '444455556666': 'loses-access' });
    assert.ok(emu.calls.some((c) => c.service === 'iam' && c.operation === 'GetRole'), 'role paths come from IAM');

    const second = answerPrompts(['Create 1 Access Entries']);
    let run2: { items: PlanItem[]; results: ApplyResult[] };
    try {
      run2 = await vscode.commands.executeCommand('eksAuth.access.migrate', await clusterNode('eu-west-1', 'staging-web'));
    } finally {
      second.restore();
    }
    assert.deepStrictEqual(run2.results.map((r) => r.outcome), ['created']);
    const entries = [...staging().accessEntries.values()].map((e) => [e.principalArn, e.type, e.username, e.kubernetesGroups]);
    assert.deepStrictEqual(entries, [
      [`arn:aws:iam::${A}:role/staging-web-node`, 'EC2_LINUX', 'system:node:{{EC2PrivateDNSName}}', []],
      [`arn:aws:iam::${A}:role/Developer`, 'STANDARD', 'dev', ['developers']],
    ]);
    assert.ok(staging().awsAuth, 'aws-auth is never deleted');
    assert.strictEqual(staging().authenticationMode, 'API_AND_CONFIG_MAP', 'mapAccounts could not be migrated, so API mode is not offered');
    assert.ok(second.asked.some((a) => /Stay in API_AND_CONFIG_MAP/.test(a)));
  });

  it('cancelling the migration of a CONFIG_MAP cluster at its one confirmation leaves the cluster as it was', async () => {
    const staging = () => emu.state.clusters.find((c) => c.name === 'staging-web')!;
    const prompts = answerPrompts([undefined]);
    try {
      await vscode.commands.executeCommand('eksAuth.access.migrate', await clusterNode('eu-west-1', 'staging-web'));
    } finally {
      prompts.restore();
    }
    assert.strictEqual(prompts.asked.filter((a) => a.startsWith('showWarningMessage')).length, 1, prompts.asked.join(' | '));
    assert.strictEqual(staging().authenticationMode, 'CONFIG_MAP');
    assert.strictEqual(staging().accessEntries.size, 0);
    assert.ok(!emu.calls.some((c) => c.operation === 'UpdateClusterConfig' || c.operation === 'CreateAccessEntry'));
  });

  it('Create Access Entry with cluster-admin cancelled leaves no entry: one confirmation, before any call', async () => {
    const arn = `arn:aws:iam::${A}:role/WouldBeAdmin`;
    const writes = () => emu.calls.filter((c) => c.operation === 'CreateAccessEntry' || c.operation === 'AssociateAccessPolicy').length;
    const writesBefore = writes();
    // Type, principal, username, groups, the policy and its scope, then the confirmation: dismissed (Cancel).
    const prompts = answerPrompts(['STANDARD', arn, '', '', 'AmazonEKSClusterAdminPolicy', 'cluster', undefined]);
    try {
      await vscode.commands.executeCommand('eksAuth.accessEntries.create', await clusterNode('us-east-1', 'prod-payments'));
    } finally {
      prompts.restore();
    }
    const confirmations = prompts.asked.filter((a) => a.startsWith('showWarningMessage'));
    assert.strictEqual(confirmations.length, 1, `one confirmation for the entry and its policy: ${prompts.asked.join(' | ')}`);
    assert.match(confirmations[0], /WouldBeAdmin gains cluster-admin/, 'it names who gains cluster-admin');
    assert.strictEqual(writes(), writesBefore, 'no CreateAccessEntry or AssociateAccessPolicy call');
    assert.ok(!emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.has(arn), 'no entry left behind');
    assert.ok(!prompts.asked.some((a) => a.startsWith('showErrorMessage')), 'cancelling is not an error');
  });

  it('Create Access Entry asks when ListNodegroups is denied, saying whether nodes can still join could not be checked', async () => {
    const arn = `arn:aws:iam::${A}:role/Viewer`;
    emu.faults.push({ target: 'eks:ListNodegroups', kind: 'accessDenied' });
    // A viewer's entry changes nobody's node access, so it would go through unasked; with the node groups unknown,
    // the confirmation says so instead. Dismissed: nothing is written.
    const prompts = answerPrompts(['STANDARD', arn, '', '', 'AmazonEKSViewPolicy', 'cluster', undefined]);
    try {
      await vscode.commands.executeCommand('eksAuth.accessEntries.create', await clusterNode('us-east-1', 'prod-payments'));
    } finally {
      prompts.restore();
      emu.faults.length = 0;
    }
    const confirmations = prompts.asked.filter((a) => a.startsWith('showWarningMessage'));
    assert.strictEqual(confirmations.length, 1, prompts.asked.join(' | '));
    assert.match(confirmations[0], /Viewer with AmazonEKSViewPolicy on prod-payments\? Whether nodes can still join could not be checked\.$/);
    assert.ok(!emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.has(arn), 'nothing written');
  });

  it('refuses a cluster whose platform version has no access entries', async () => {
    const { asked } = await runQuietly('eksAuth.access.migrate', await clusterNode('us-east-1', 'legacy-batch'));
    assert.ok(asked.some((a) => /platform 1\.27 eks\.5, which has no access entries/.test(a)));
    assert.ok(!emu.calls.some((c) => c.operation === 'UpdateClusterConfig' || c.operation === 'CreateAccessEntry'));
  });

  describe('a mapping fix opens aws-auth at the line to fix', () => {
    const awsAuthEditor = () => waitFor(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'eks-auth' ? vscode.window.activeTextEditor : undefined), 'the aws-auth editor');
    const cursorLine = (editor: vscode.TextEditor) => editor.document.lineAt(editor.selection.active.line).text;
    afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

    it('the SSO role aws-auth maps with its /aws-reserved/sso.amazonaws.com/ path: the fix from Explain puts the cursor on that rolearn line', async () => {
      // STS reports an SSO role without its path, so the demo's mapping never matches (aws-iam-authenticator
      // pkg/arn/arn.go Canonicalize; docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html).
      const prompts = answerPrompts(['Open aws-auth to fix the mapping']);
      let e: AccessExplanation;
      let editor: vscode.TextEditor;
      try {
        e = await vscode.commands.executeCommand<AccessExplanation>('eksAuth.access.explain', await clusterNode('us-east-1', 'prod-payments'), `arn:aws:iam::${A}:role/AWSReservedSSO_Developers_0123456789abcdef`);
        editor = await awsAuthEditor();
      } finally {
        prompts.restore();
      }
      assert.strictEqual(e.fix?.kind, 'openAwsAuth', e.verdict);
      assert.match(cursorLine(editor), /^\s+- rolearn: arn:aws:iam::111122223333:role\/aws-reserved\/sso\.amazonaws\.com\/us-east-1\/AWSReservedSSO_Developers_0123456789abcdef$/);
      assert.ok(editor.selection.active.line > 0);
    });

    it('an unmapped role: the cursor at the end of mapRoles, where its entry goes', async () => {
      const node = await clusterNode('us-east-1', 'prod-payments');
      await vscode.commands.executeCommand('eksAuth.awsAuth.openFromCluster', node, `arn:aws:iam::${A}:role/NotInAwsAuth`);
      const editor = await awsAuthEditor();
      const { line, character } = editor.selection.active;
      const lines = editor.document.getText().split(/\r?\n/);
      const start = lines.findIndex((l) => /^ {2}mapRoles: \|/.test(l));
      const next = lines.findIndex((l, i) => i > start && /^ {0,2}\S/.test(l));
      assert.ok(start >= 0 && next > start, 'the file has a mapRoles block');
      // The last non-blank line of the block, with the cursor at its end: Enter starts the next entry.
      let last = next - 1;
      while (!lines[last].trim()) last--;
      assert.deepStrictEqual([line, character], [last, lines[last].length], `cursor on "${lines[line]}"`);
    });
  });
});
