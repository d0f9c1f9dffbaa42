import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/server';
import type { ExplorerNode } from '../../src/core/explorer/nodes';
import { toTreeItem, type ClusterTreeProvider } from '../../src/features/clusters/treeProvider';
import { answerPrompts, api, waitFor, withEmulator } from './helpers';

const A = '111122223333';
const window = vscode.window;

async function tree(): Promise<ClusterTreeProvider> {
  const t = (await api()).clusterTree();
  assert.ok(t, 'the explorer is registered');
  return t;
}

const label = (n: ExplorerNode) => String(toTreeItem(n).label);
const describe_ = (n: ExplorerNode) => String(toTreeItem(n).description ?? '');

async function child(t: ClusterTreeProvider, parent: ExplorerNode | undefined, name: string | RegExp): Promise<ExplorerNode> {
  const children = await t.getChildren(parent);
  const found = children.find((c) => (typeof name === 'string' ? label(c) === name : name.test(label(c))));
  assert.ok(found, `${String(name)} under ${parent ? label(parent) : 'the root'}: ${children.map(label).join(', ')}`);
  return found;
}

async function cluster(t: ClusterTreeProvider, region: string, name: string) {
  return child(t, await child(t, undefined, region), name);
}

describe('cluster explorer against the emulator', function () {
  this.timeout(60000);
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  it('shows each cluster with its authentication mode, version and a mode icon, per region', async () => {
    const t = await tree();
    const roots = await t.getChildren();
    assert.deepStrictEqual(roots.map(label), ['us-east-1', 'eu-west-1'], 'one profile: flattened to its regions');
    const east = await t.getChildren(roots[0]);
    assert.deepStrictEqual(east.map(label), ['legacy-batch', 'prod-payments']);
    assert.strictEqual(describe_(east[0]), 'CONFIG_MAP · 1.27');
    assert.strictEqual(describe_(east[1]), 'API_AND_CONFIG_MAP · 1.31');
    const api_ = await cluster(t, 'eu-west-1', 'platform-api');
    assert.strictEqual(describe_(api_), 'API · 1.32');
    const icon = (n: ExplorerNode) => (toTreeItem(n).iconPath as vscode.ThemeIcon).id;
    assert.deepStrictEqual([icon(east[0]), icon(east[1]), icon(api_)], ['file-code', 'key', 'shield']);
    assert.match((toTreeItem(api_).tooltip as vscode.MarkdownString).value, /aws-auth ConfigMap is ignored/);
  });

  it('shows profiles with the caller identity when there are several', async () => {
    await vscode.workspace.getConfiguration('eksAuth').update('profiles', ['demo-admin', 'demo-dev'], vscode.ConfigurationTarget.Global);
    try {
      const t = await tree();
      t.refresh();
      const profiles = await t.getChildren();
      assert.deepStrictEqual(profiles.map(label), ['demo-admin', 'demo-dev']);
      // As VS Code reads a tree: the item is drawn first, its children are asked for when it expands, and the
      // item is drawn again only when a change event names it.
      const dev = profiles[1];
      assert.doesNotMatch(String(t.getTreeItem(dev).description ?? ''), /arn:/, 'no identity before the children load');
      const redrawn = new Promise<void>((resolve) => {
        const sub = t.onDidChangeTreeData((n) => {
          if (n === dev) {
            sub.dispose();
            resolve();
          }
        });
      });
      await t.getChildren(dev);
      await redrawn;
      assert.strictEqual(t.getTreeItem(dev).description, `arn:aws:sts::${A}:assumed-role/Developer/dev-session`);
      assert.match(String(t.getTreeItem(dev).tooltip), /Signed in as arn:aws:sts::111122223333:assumed-role\/Developer\/dev-session/);
    } finally {
      await vscode.workspace.getConfiguration('eksAuth').update('profiles', ['demo-admin'], vscode.ConfigurationTarget.Global);
    }
  });

  it('shows details, access entries with their policies and scopes, aws-auth with shadowed entries, and node roles', async () => {
    const t = await tree();
    const prod = await cluster(t, 'us-east-1', 'prod-payments');
    assert.deepStrictEqual((await t.getChildren(prod)).map(label), ['Details', 'Access entries', 'aws-auth ConfigMap', 'Node roles', 'Workload identity']);
    const details = await t.getChildren(await child(t, prod, 'Details'));
    const detail = (name: string) => describe_(details.find((d) => label(d) === name)!);
    assert.strictEqual(detail('Platform version'), 'eks.12 (supports access entries)');
    assert.strictEqual(detail('Authenticator logging'), 'on');
    assert.match(detail('OIDC issuer'), /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//);
    assert.match(detail('VPC'), /\(3 subnets\)/);

    const entries = await child(t, prod, 'Access entries');
    const dev = await child(t, entries, 'Developer');
    assert.strictEqual(describe_(dev), `STANDARD · arn:aws:sts::${A}:assumed-role/Developer/{{SessionName}} · groups: developers`);
    const [policy] = await t.getChildren(dev);
    assert.strictEqual(label(policy), 'AmazonEKSEditPolicy');
    assert.strictEqual(describe_(policy), 'namespaces: payments, payments-staging');
    assert.match(describe_(await child(t, entries, 'NodeInstanceRole-prod')), /^EC2_LINUX · system:node:\{\{EC2PrivateDNSName\}\}/);

    const awsAuth = await t.getChildren(await child(t, prod, 'aws-auth ConfigMap'));
    const admin = awsAuth.find((n) => label(n) === 'PlatformAdmin')!;
    assert.match(describe_(admin), /shadowed by access entry/);
    assert.ok(awsAuth.some((n) => label(n) === 'DataScientist/jane'), 'the live mapping is read from the cluster through the Kubernetes API');

    const roles = await t.getChildren(await child(t, prod, 'Node roles'));
    assert.deepStrictEqual(roles.map((r) => [label(r), describe_(r)]), [
      ['node group general', 'NodeInstanceRole-prod · mapped'],
      ['node group windows', 'NodeInstanceRole-windows · NOT mapped'],
    ]);
  });

  it('lets an unmapped node role join from the tree: an access entry of its node type, after one confirmation', async () => {
    const t = await tree();
    const prod = await cluster(t, 'us-east-1', 'prod-payments');
    const windows = (await t.getChildren(await child(t, prod, 'Node roles'))).find((r) => label(r) === 'node group windows')!;
    assert.strictEqual(toTreeItem(windows).contextValue, 'eksAuth.nodeRole.unmapped', 'the fix is offered on the node');
    const arn = `arn:aws:iam::${A}:role/NodeInstanceRole-windows`;
    const prompts = answerPrompts(['Create']);
    try {
      await vscode.commands.executeCommand('eksAuth.nodeRoles.fix', windows);
    } finally {
      prompts.restore();
    }
    const entry = emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.get(arn);
    assert.strictEqual(entry?.type, 'EC2_WINDOWS', `the Windows node group's type, asked once: ${prompts.asked.join(' | ')}`);
    assert.ok(!prompts.asked.some((a) => a.startsWith('pick: Access entry type')), 'the type is not asked: it follows from the node group');
    const roles = await t.getChildren(await child(t, await cluster(t, 'us-east-1', 'prod-payments'), 'Node roles'));
    assert.strictEqual(describe_(roles.find((r) => label(r) === 'node group windows')!), 'NodeInstanceRole-windows · mapped');
  });

  it('says the ConfigMap is ignored in API mode and marks unmapped Fargate roles', async () => {
    const t = await tree();
    const api_ = await cluster(t, 'eu-west-1', 'platform-api');
    assert.strictEqual(describe_(await child(t, api_, 'aws-auth ConfigMap')), 'ignored in API mode');
    const staging = await cluster(t, 'eu-west-1', 'staging-web');
    const roles = await t.getChildren(await child(t, staging, 'Node roles'));
    assert.deepStrictEqual(roles.map(describe_), ['staging-web-node · mapped', 'staging-web-fargate · NOT mapped']);
    const legacy = await cluster(t, 'us-east-1', 'legacy-batch');
    const legacyDetails = await t.getChildren(await child(t, legacy, 'Details'));
    assert.ok(legacyDetails.some((d) => label(d) === 'Cluster creator'), 'CONFIG_MAP clusters note the invisible creator admin');
    assert.match(describe_(legacyDetails.find((d) => label(d) === 'Platform version')!), /too old for access entries/);
  });

  it('pages access entries with a load-more node', async () => {
    const prod = emu.state.clusters.find((c) => c.name === 'prod-payments')!;
    for (let i = 0; i < 120; i++) {
      const principalArn = `arn:aws:iam::${A}:role/team-${String(i).padStart(3, '0')}`;
      prod.accessEntries.set(principalArn, { principalArn, type: 'STANDARD', username: `u${i}`, kubernetesGroups: [], createdAt: 0, modifiedAt: 0, tags: {}, policies: [] });
    }
    const t = await tree();
    const entries = await child(t, await cluster(t, 'us-east-1', 'prod-payments'), 'Access entries');
    const first = await t.getChildren(entries);
    assert.strictEqual(first.length, 101, '100 entries and a load-more node');
    const more = first[100];
    assert.strictEqual(label(more), 'Load more...');
    await vscode.commands.executeCommand('eksAuth.accessEntries.loadMore', more);
    assert.strictEqual((await t.getChildren(entries)).length, 125);
  });

  for (const [fault, expected] of [
    ['accessDenied', /eks:ListClusters/],
    ['expiredToken', /credentials have expired/],
    ['throttle', /throttling/],
  ] as const) {
    it(`turns ${fault} into an error node that says what to do`, async () => {
      emu.faults.push({ target: 'eks:ListClusters', kind: fault });
      const t = await tree();
      t.refresh();
      const [node] = await t.getChildren(await child(t, undefined, 'us-east-1'));
      const item = toTreeItem(node);
      assert.strictEqual(item.label, 'Failed to load (click for logs)');
      assert.match(String(item.description), expected);
      assert.strictEqual(item.command?.command, 'eksAuth.clusters.showLogs');
    });
  }

  it('shows the welcome view, not an error, when there are no profiles and no credentials', async () => {
    const saved = { ...process.env };
    const config = vscode.workspace.getConfiguration('eksAuth');
    const empty = `${process.env.AWS_CONFIG_FILE}.empty`;
    fs.writeFileSync(empty, '');
    Object.assign(process.env, { AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_EC2_METADATA_DISABLED: 'true' });
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE']) delete process.env[k];
    await config.update('profiles', [], vscode.ConfigurationTarget.Global);
    try {
      const t = await tree();
      t.refresh();
      assert.deepStrictEqual(await t.getChildren(), []);
    } finally {
      process.env.AWS_CONFIG_FILE = saved.AWS_CONFIG_FILE;
      process.env.AWS_SHARED_CREDENTIALS_FILE = saved.AWS_SHARED_CREDENTIALS_FILE;
      await config.update('profiles', ['demo-admin'], vscode.ConfigurationTarget.Global);
    }
  });

  it('names an unreachable endpoint', async () => {
    const config = vscode.workspace.getConfiguration('eksAuth');
    await config.update('endpoints.eks', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    try {
      const t = await tree();
      t.refresh();
      const [node] = await t.getChildren(await child(t, undefined, 'us-east-1'));
      assert.match(String(toTreeItem(node).description), /127\.0\.0\.1:9 is unreachable/);
    } finally {
      await config.update('endpoints.eks', emu.endpoint, vscode.ConfigurationTarget.Global);
    }
  });

  it('creates an access entry with a policy through the guided input', async () => {
    const t = await tree();
    const prod = await cluster(t, 'us-east-1', 'prod-payments');
    const arn = `arn:aws:iam::${A}:role/NewTeam`;
    const prompts = answerPrompts(['STANDARD', arn, 'new-team', 'team-a, team-b', 'AmazonEKSViewPolicy', 'namespace', 'apps, jobs']);
    try {
      await vscode.commands.executeCommand('eksAuth.accessEntries.create', prod);
    } finally {
      prompts.restore();
    }
    const entry = emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.get(arn);
    assert.ok(entry, `created: ${prompts.asked.join(' | ')}`);
    assert.deepStrictEqual([entry.username, entry.kubernetesGroups], ['new-team', ['team-a', 'team-b']]);
    assert.deepStrictEqual(entry.policies.map((p) => [p.policyArn, p.accessScope]), [['arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', { type: 'namespace', namespaces: ['apps', 'jobs'] }]]);
    assert.ok(emu.calls.some((c) => c.operation === 'ListAccessPolicies'), 'policies come from ListAccessPolicies');
  });

  it('rejects reserved usernames and session ARNs before calling EKS', async () => {
    const t = await tree();
    const prod = await cluster(t, 'us-east-1', 'prod-payments');
    const prompts = answerPrompts(['STANDARD', `arn:aws:sts::${A}:assumed-role/X/s`]);
    try {
      await vscode.commands.executeCommand('eksAuth.accessEntries.create', prod);
    } finally {
      prompts.restore();
    }
    assert.ok(!emu.calls.some((c) => c.operation === 'CreateAccessEntry'));
    assert.ok(prompts.asked.some((a) => /input "arn:aws:sts/.test(a)) || prompts.asked.some((a) => a.startsWith('showErrorMessage') && /STS session ARNs/.test(a)));
  });

  it('refuses to delete the last cluster-admin entry until the cluster name is typed, naming the lockout', async () => {
    const t = await tree();
    const api_ = await cluster(t, 'eu-west-1', 'platform-api');
    const entries = await child(t, api_, 'Access entries');
    const admin = await child(t, entries, 'PlatformAdmin');
    const stored = () => emu.state.clusters.find((c) => c.name === 'platform-api')!.accessEntries.has(`arn:aws:iam::${A}:role/PlatformAdmin`);
    for (const answers of [[undefined], ['Type the Cluster Name to Continue...', undefined]]) {
      const cancel = answerPrompts(answers);
      await vscode.commands.executeCommand('eksAuth.accessEntries.delete', admin);
      cancel.restore();
      assert.ok(stored(), `dismissing deletes nothing (${cancel.asked.join(' | ')})`);
      assert.match(cancel.asked[0], /Delete the access entry for arn:aws:iam::111122223333:role\/PlatformAdmin would lock people or nodes out of platform-api/);
    }
    const wrong = answerPrompts(['Type the Cluster Name to Continue...', 'platform']);
    await vscode.commands.executeCommand('eksAuth.accessEntries.delete', admin);
    wrong.restore();
    assert.ok(stored(), 'a wrong name deletes nothing');
    const prompts = answerPrompts(['Type the Cluster Name to Continue...', 'platform-api']);
    await vscode.commands.executeCommand('eksAuth.accessEntries.delete', admin);
    prompts.restore();
    assert.match(prompts.asked[1], /input: This change leaves platform-api without: no cluster-admin path is left \(before: arn:aws:iam::111122223333:role\/PlatformAdmin\)/);
    assert.ok(!stored(), 'deleted once the name was typed');
  });

  it('refuses to disassociate the last cluster admin policy until the name is typed', async () => {
    const t = await tree();
    const admin = await child(t, await child(t, await cluster(t, 'eu-west-1', 'platform-api'), 'Access entries'), 'PlatformAdmin');
    const [policy] = await t.getChildren(admin);
    const policies = () => emu.state.clusters.find((c) => c.name === 'platform-api')!.accessEntries.get(`arn:aws:iam::${A}:role/PlatformAdmin`)!.policies.length;
    const cancel = answerPrompts(['Type the Cluster Name to Continue...', undefined]);
    await vscode.commands.executeCommand('eksAuth.accessEntries.disassociatePolicy', policy);
    cancel.restore();
    assert.match(cancel.asked[0], /would lock people or nodes out of platform-api/);
    assert.strictEqual(policies(), 1, 'nothing disassociated without the name');
    const typed = answerPrompts(['Type the Cluster Name to Continue...', 'platform-api']);
    await vscode.commands.executeCommand('eksAuth.accessEntries.disassociatePolicy', policy);
    typed.restore();
    assert.strictEqual(policies(), 0);
  });

  it('names the escalation when a policy makes a principal cluster-admin', async () => {
    const t = await tree();
    const auditor = await child(t, await child(t, await cluster(t, 'eu-west-1', 'platform-api'), 'Access entries'), 'Auditor');
    const prompts = answerPrompts(['AmazonEKSClusterAdminPolicy', 'cluster', 'Associate']);
    try {
      await vscode.commands.executeCommand('eksAuth.accessEntries.associatePolicy', auditor);
    } finally {
      prompts.restore();
    }
    assert.ok(prompts.asked.some((a) => /Associate AmazonEKSClusterAdminPolicy with arn:aws:iam::111122223333:role\/Auditor: arn:aws:iam::111122223333:role\/Auditor gains cluster-admin/.test(a)), prompts.asked.join(' | '));
    const entry = emu.state.clusters.find((c) => c.name === 'platform-api')!.accessEntries.get(`arn:aws:iam::${A}:role/Auditor`)!;
    assert.ok(entry.policies.some((p) => p.policyArn.endsWith('/AmazonEKSClusterAdminPolicy')));
  });

  it('refuses a switch to API mode that leaves a node role to aws-auth alone, until the name is typed', async () => {
    // The node role's access entry gone: only aws-auth lets its nodes join, and API mode ignores aws-auth.
    emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.delete(`arn:aws:iam::${A}:role/NodeInstanceRole-prod`);
    const t = await tree();
    const prod = await cluster(t, 'us-east-1', 'prod-payments');
    const prompts = answerPrompts(['API', 'Type the Cluster Name to Continue...', undefined]);
    try {
      await vscode.commands.executeCommand('eksAuth.clusters.changeAuthenticationMode', prod);
    } finally {
      prompts.restore();
    }
    assert.match(prompts.asked.join('\n'), /Change the authentication mode of prod-payments from API_AND_CONFIG_MAP to API would lock people or nodes out of prod-payments/);
    assert.match(prompts.asked.join('\n'), /input: This change leaves prod-payments without: .*NodeInstanceRole-prod/);
    assert.strictEqual(emu.state.clusters.find((c) => c.name === 'prod-payments')!.authenticationMode, 'API_AND_CONFIG_MAP', 'unchanged');
    assert.ok(!emu.calls.some((c) => c.operation === 'UpdateClusterConfig'));
  });

  it('shows the diff of an ordinary deletion in its confirmation', async () => {
    const t = await tree();
    const prod = await cluster(t, 'us-east-1', 'prod-payments');
    const dev = await child(t, await child(t, prod, 'Access entries'), 'Developer');
    let detail = '';
    const original = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (_m: string, options: { detail?: string }) => {
      detail = options?.detail ?? '';
      return 'Delete';
    };
    try {
      await vscode.commands.executeCommand('eksAuth.accessEntries.delete', dev);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    assert.match(detail, /arn:aws:iam::111122223333:role\/Developer: .* -> /, detail);
    assert.match(detail, /cluster-admin paths: \d+ -> \d+/);
  });

  it('opens the whole before-and-after table from the confirmation, then asks again', async () => {
    const t = await tree();
    const prod = await cluster(t, 'us-east-1', 'prod-payments');
    const dev = await child(t, await child(t, prod, 'Access entries'), 'Developer');
    const prompts = answerPrompts(['Show Before and After', 'Delete']);
    try {
      await vscode.commands.executeCommand('eksAuth.accessEntries.delete', dev);
    } finally {
      prompts.restore();
    }
    assert.strictEqual(prompts.asked.filter((a) => a.startsWith('showWarningMessage: Delete the access entry')).length, 2, prompts.asked.join(' | '));
    const table = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'eks-auth-diff'), 'the diff document');
    assert.match(table.getText(), /\| change \| principal \| before \| after \|/);
    assert.match(table.getText(), /\| change \| arn:aws:iam::111122223333:role\/Developer \| .* \| Unauthorized \|/);
    assert.ok(!emu.state.clusters.find((c) => c.name === 'prod-payments')!.accessEntries.has(`arn:aws:iam::${A}:role/Developer`), 'deleted after the second answer');
  });

  it('changes the authentication mode forward only, after a modal, and follows the update', async () => {
    const t = await tree();
    const legacy = await cluster(t, 'eu-west-1', 'staging-web');
    const prompts = answerPrompts(['API_AND_CONFIG_MAP', 'Change to API_AND_CONFIG_MAP']);
    try {
      await vscode.commands.executeCommand('eksAuth.clusters.changeAuthenticationMode', legacy);
    } finally {
      prompts.restore();
    }
    assert.strictEqual(emu.state.clusters.find((c) => c.name === 'staging-web')!.authenticationMode, 'API_AND_CONFIG_MAP');
    assert.ok(emu.calls.some((c) => c.operation === 'DescribeUpdate'));
    assert.match(prompts.asked.join('\n'), /cannot be undone|Change the authentication mode/);
    const refreshed = await cluster(t, 'eu-west-1', 'staging-web');
    assert.strictEqual(describe_(refreshed), 'API_AND_CONFIG_MAP · 1.30');
  });

  it('enables authenticator logging', async () => {
    const t = await tree();
    const legacy = await cluster(t, 'us-east-1', 'legacy-batch');
    assert.match(String(toTreeItem(legacy).contextValue), /noAuthLogs/);
    await vscode.commands.executeCommand('eksAuth.clusters.enableAuthenticatorLogging', legacy);
    assert.ok(emu.state.clusters.find((c) => c.name === 'legacy-batch')!.logging.includes('authenticator'));
  });

  describe('aws-auth from the cluster', () => {
    const uri = (cluster: string, region = 'us-east-1') => vscode.Uri.from({ scheme: 'eks-auth', path: `/demo-admin/${region}/${cluster}/aws-auth.yaml` });
    afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

    it('opens with the language service and the cluster rules, and saves with the resourceVersion it read', async () => {
      const t = await tree();
      await vscode.commands.executeCommand('eksAuth.awsAuth.openFromCluster', await cluster(t, 'us-east-1', 'prod-payments'));
      const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'eks-auth' ? vscode.window.activeTextEditor : undefined), 'the aws-auth editor');
      const doc = editor.document;
      assert.match(doc.getText(), /mapRoles: \|/);
      const codes = await waitFor(() => {
        const c = vscode.languages.getDiagnostics(doc.uri).map((d) => String((d.code as { value: string }).value));
        return c.includes('C02') ? c : undefined;
      }, 'cluster rule C02');
      assert.ok(codes.includes('A12') && codes.includes('A13'));
      const at = doc.getText().indexOf('username: data-scientist') + 'username: data-scientist'.length;
      await editor.edit((e) => e.insert(doc.positionAt(at), '-2'));
      assert.ok(await doc.save(), 'saved');
      const saved = emu.state.clusters.find((c) => c.name === 'prod-payments')!.awsAuth!;
      assert.match(saved.data.mapRoles, /data-scientist-2/);
      assert.strictEqual(saved.resourceVersion, 1001);
      assert.ok(emu.calls.some((c) => c.service === 'kube' && c.operation.includes('PUT')));
    });

    it('refuses a stale save with a clear message, opens a diff and loses nothing', async () => {
      const doc = await vscode.workspace.openTextDocument(uri('prod-payments'));
      const editor = await vscode.window.showTextDocument(doc);
      const server = emu.state.clusters.find((c) => c.name === 'prod-payments')!.awsAuth!;
      server.data.mapUsers = '- userarn: arn:aws:iam::111122223333:user/someone-else\n  username: x\n';
      server.resourceVersion += 5;
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, 0, 0), '# my edit\n'));
      const saved = await doc.save();
      assert.strictEqual(saved, false, 'the save failed');
      assert.ok(doc.isDirty, 'the edit is still in the editor');
      assert.match(doc.getText(), /# my edit/);
      assert.match(server.data.mapUsers, /someone-else/, 'the cluster copy was not overwritten');
      await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((tab) => tab.input instanceof vscode.TabInputTextDiff), 'a diff against the cluster copy');
    });

    it('asks before saving a change that drops a whole section', async () => {
      const doc = await vscode.workspace.openTextDocument(uri('staging-web', 'eu-west-1'));
      const editor = await vscode.window.showTextDocument(doc);
      const line = doc.getText().split('\n').findIndex((l) => l.includes('- system:bootstrappers'));
      // Inside the block string: the outer YAML stays valid, the embedded mapRoles does not.
      await editor.edit((e) => e.insert(new vscode.Position(line, 0), '        bad: [\n'));
      const prompts = answerPrompts([undefined]);
      try {
        assert.strictEqual(await doc.save(), false);
      } finally {
        prompts.restore();
      }
      assert.match(prompts.asked.join('\n'), /Saving this aws-auth would lock people or nodes out of staging-web/);
      assert.ok(!emu.calls.some((c) => c.service === 'kube' && c.operation.includes('PUT')), 'nothing was written');
    });

    it('cancelling a risky save from Ctrl+S (eksAuth.awsAuth.save) is not an error: the edit stays unsaved', async () => {
      const doc = await vscode.workspace.openTextDocument(uri('staging-web', 'eu-west-1'));
      const editor = await vscode.window.showTextDocument(doc);
      const text = doc.getText();
      const start = text.indexOf('    - rolearn: arn:aws:iam::111122223333:role/staging-web-node');
      const end = text.indexOf('    - rolearn', start + 10);
      await editor.edit((e) => e.delete(new vscode.Range(doc.positionAt(start), doc.positionAt(end))));
      const prompts = answerPrompts([undefined]);
      let saved: unknown;
      try {
        saved = await vscode.commands.executeCommand('eksAuth.awsAuth.save');
      } finally {
        prompts.restore();
      }
      assert.strictEqual(saved, false);
      assert.match(prompts.asked[0], /Saving this aws-auth would lock people or nodes out of staging-web/);
      assert.ok(!prompts.asked.some((a) => a.startsWith('showErrorMessage')), `no error: ${prompts.asked.join(' | ')}`);
      assert.ok(doc.isDirty, 'the edit is still in the editor, unsaved');
      assert.ok(!emu.calls.some((c) => c.service === 'kube' && c.operation.includes('PUT')), 'nothing was written');
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('saves a change that drops the node role only once the cluster name is typed', async () => {
      const doc = await vscode.workspace.openTextDocument(uri('staging-web', 'eu-west-1'));
      const editor = await vscode.window.showTextDocument(doc);
      const text = doc.getText();
      const start = text.indexOf('    - rolearn: arn:aws:iam::111122223333:role/staging-web-node');
      const end = text.indexOf('    - rolearn', start + 10);
      assert.ok(start > 0 && end > start, 'the node mapping is in the file');
      await editor.edit((e) => e.delete(new vscode.Range(doc.positionAt(start), doc.positionAt(end))));
      const refused = answerPrompts(['Type the Cluster Name to Continue...', undefined]);
      try {
        assert.strictEqual(await doc.save(), false);
      } finally {
        refused.restore();
      }
      assert.match(refused.asked[1], /staging-web-node/);
      assert.match(emu.state.clusters.find((c) => c.name === 'staging-web')!.awsAuth!.data.mapRoles, /staging-web-node/, 'nothing written');
      const typed = answerPrompts(['Type the Cluster Name to Continue...', 'staging-web']);
      try {
        assert.ok(await doc.save());
      } finally {
        typed.restore();
      }
      assert.doesNotMatch(emu.state.clusters.find((c) => c.name === 'staging-web')!.awsAuth!.data.mapRoles, /staging-web-node/);
    });

    it('asks before saving an empty buffer, naming the node roles it would remove, and writes nothing if dismissed', async () => {
      const doc = await vscode.workspace.openTextDocument(uri('prod-payments'));
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.delete(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length))));
      const original = window.showWarningMessage;
      let detail = '';
      (window as { showWarningMessage: unknown }).showWarningMessage = async (_m: string, options: { detail?: string }) => {
        detail = options?.detail ?? '';
        return undefined;
      };
      try {
        assert.strictEqual(await doc.save(), false);
      } finally {
        (window as { showWarningMessage: unknown }).showWarningMessage = original;
      }
      assert.match(detail, /mapRoles is removed/);
      assert.match(detail, /node role arn:aws:iam::111122223333:role\/NodeInstanceRole-prod loses its mapping/);
      assert.ok(!emu.calls.some((c) => c.service === 'kube' && c.operation.includes('PUT')), 'nothing was written');
      assert.match(emu.state.clusters.find((c) => c.name === 'prod-payments')!.awsAuth!.data.mapRoles, /NodeInstanceRole-prod/);
    });

    it('saves only data: labels, annotations and ownerReferences of the ConfigMap stay', async () => {
      const stored = emu.state.clusters.find((c) => c.name === 'prod-payments')!.awsAuth!;
      stored.labels = { 'app.kubernetes.io/managed-by': 'eksctl' };
      stored.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"ConfigMap"}' };
      stored.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }];
      const doc = await vscode.workspace.openTextDocument(uri('prod-payments'));
      const editor = await vscode.window.showTextDocument(doc);
      // The labels above changed the stored object without a new resourceVersion (no API server allows that):
      // read it again so the editor holds the object as it is now.
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, 0, 0), '# reviewed\n'));
      assert.ok(await doc.save());
      assert.deepStrictEqual(stored.labels, { 'app.kubernetes.io/managed-by': 'eksctl' });
      assert.deepStrictEqual(stored.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"ConfigMap"}' });
      assert.deepStrictEqual(stored.ownerReferences?.map((o) => o.name), ['owner']);
    });
  });
});
