import * as assert from 'assert';
import type { Nodegroup } from '../../../../src/core/aws/eksGateway';
import { ClusterAccessService } from '../../../../src/core/clusters/clusterAccess';
import { AccessEntriesNode, ClusterNode, CONTEXT, ErrorNode, ExplorerContext, ExplorerNode, LoadMoreNode, NodeRoleNode, ProfileNode } from '../../../../src/core/explorer/nodes';
import { accessDenied, FakeWorld, fakeSource } from '../../fakeGateways';

const A = '111122223333';
const NODE_ROLE = `arn:aws:iam::${A}:role/NodeRole`;

function world(partial: Partial<FakeWorld> = {}): FakeWorld {
  return { identities: [{ profile: 'dev', label: 'dev', regions: ['us-east-1'], sso: false }], clusters: {}, calls: [], ...partial };
}

/** The nodes over fake gateways, with the change events they fire recorded. */
function explorer(w: FakeWorld) {
  const changed: ExplorerNode[] = [];
  const errors: string[] = [];
  const ctx: ExplorerContext = {
    clusters: new ClusterAccessService(fakeSource(w)),
    log: { error: (m) => errors.push(m) },
    t: (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)])),
    changed: (n) => changed.push(n),
  };
  return { ctx, changed, errors, profile: (i = 0) => new ProfileNode(ctx, w.identities[i]) };
}

const labels = (nodes: ExplorerNode[]) => nodes.map((n) => n.view().label);
const child = async (parent: ExplorerNode, label: string) => {
  const children = await parent.getChildren();
  const found = children.find((c) => c.view().label === label);
  assert.ok(found, `${label} under ${parent.view().label}: ${labels(children).join(', ')}`);
  return found;
};

describe('explorer nodes with fake gateways', () => {
  it('shows only a placeholder when a region has no clusters', async () => {
    const { profile } = explorer(world());
    const children = await profile().getChildren();
    assert.deepStrictEqual(labels(children), ['No EKS clusters in us-east-1']);
    assert.strictEqual(children[0].view().contextValue, CONTEXT.placeholder);
    assert.strictEqual(children[0].view().collapsible, 'none');
  });

  it('shows only an error node, with the cause and the next step, when listing fails', async () => {
    const { profile, errors } = explorer(world({ listError: { 'us-east-1': accessDenied('eks:ListClusters') } }));
    const children = await profile().getChildren();
    assert.strictEqual(children.length, 1);
    const error = children[0];
    assert.ok(error instanceof ErrorNode);
    const v = error.view();
    assert.strictEqual(v.label, 'Failed to load (click for logs)');
    assert.match(v.description ?? '', /eks:ListClusters/);
    assert.deepStrictEqual([v.contextValue, v.icon, v.iconIsError, v.command?.id], [CONTEXT.error, 'error', true, 'eksAuth.clusters.showLogs']);
    assert.strictEqual(errors.length, 1, 'the failure is logged once');
  });

  it('keeps the other clusters of a region when one fails to describe', async () => {
    const w = world({ clusters: { 'us-east-1': [{ name: 'a' }, { name: 'b', describeError: accessDenied('eks:DescribeCluster') }] } });
    const children = await explorer(w).profile().getChildren();
    assert.strictEqual(children[0].view().label, 'a');
    assert.ok(children[1] instanceof ErrorNode);
    assert.match(children[1].view().description ?? '', /^b: .*eks:DescribeCluster/);
  });

  it('fires a change for the profile when its caller identity arrives, so the drawn node shows it', async () => {
    const w = world({ identities: [{ profile: 'a', label: 'a', regions: ['us-east-1'], sso: true }], callerArn: `arn:aws:sts::${A}:assumed-role/Dev/jane` });
    const { profile, changed } = explorer(w);
    const p = profile();
    assert.strictEqual(p.view().description, 'SSO', 'drawn before its children: no identity yet');
    await p.getChildren();
    assert.deepStrictEqual(changed, [p]);
    assert.strictEqual(p.view().description, `arn:aws:sts::${A}:assumed-role/Dev/jane`);
    assert.match(p.view().tooltip ?? '', /Signed in as arn:aws:sts::111122223333:assumed-role\/Dev\/jane/);
    await p.getChildren();
    assert.strictEqual(changed.length, 1, 'no second event when the identity did not change');
  });

  it('lists regions under a profile with several, and clusters with their mode under each', async () => {
    const w = world({
      identities: [{ profile: 'p', label: 'p', regions: ['us-east-1', 'eu-west-1'], sso: false }],
      clusters: { 'us-east-1': [{ name: 'x', mode: 'API' }], 'eu-west-1': [{ name: 'y', mode: 'CONFIG_MAP' }] },
    });
    const p = explorer(w).profile();
    assert.deepStrictEqual(labels(await p.getChildren()), ['us-east-1', 'eu-west-1']);
    const x = await child(await child(p, 'us-east-1'), 'x');
    assert.ok(x instanceof ClusterNode);
    assert.deepStrictEqual([x.view().description, x.view().icon, x.view().contextValue], ['API · 1.31', 'shield', 'eksAuth.cluster.api']);
    assert.deepStrictEqual(x.clusterRef(), { profile: 'p', region: 'us-east-1', cluster: 'x' });
    assert.deepStrictEqual(labels(await x.getChildren()), ['Details', 'Access entries', 'aws-auth ConfigMap', 'Node roles', 'Workload identity']);
    const y = await child(await child(p, 'eu-west-1'), 'y');
    assert.deepStrictEqual(labels(await y.getChildren()), ['Details', 'aws-auth ConfigMap', 'Node roles', 'Workload identity'], 'no access entries in CONFIG_MAP');
  });

  it('pages access entries 100 at a time behind a load-more node', async () => {
    const entries = Array.from({ length: 150 }, (_, i) => ({ arn: `arn:aws:iam::${A}:role/r${String(i).padStart(3, '0')}` }));
    const w = world({ clusters: { 'us-east-1': [{ name: 'c', entries }] } });
    const [cluster] = await explorer(w).profile().getChildren();
    const section = (await child(cluster, 'Access entries')) as AccessEntriesNode;
    const first = await section.getChildren();
    assert.strictEqual(first.length, 101);
    const more = first[100];
    assert.ok(more instanceof LoadMoreNode);
    assert.deepStrictEqual([more.view().label, more.view().command?.id, more.view().command?.withNode], ['Load more...', 'eksAuth.accessEntries.loadMore', true]);
    await more.owner.loadPage();
    const all = await section.getChildren();
    assert.strictEqual(all.length, 150, 'every entry, and no load-more node after the last page');
    assert.ok(!all.some((n) => n instanceof LoadMoreNode));
    assert.strictEqual(new Set(all.map((n) => n.arn)).size, 150, 'no entry twice');
    assert.deepStrictEqual(w.calls.filter((c) => c.startsWith('ListAccessEntries')), ['ListAccessEntries c ', 'ListAccessEntries c 100']);
  });

  it('shows only a placeholder for a cluster with no access entries, and the entry policies with their scope', async () => {
    const policy = { policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace' as const, namespaces: ['a', 'b'] } };
    const w = world({ clusters: { 'us-east-1': [{ name: 'empty' }, { name: 'full', entries: [{ arn: `arn:aws:iam::${A}:role/Dev`, policies: [policy], groups: ['devs'] }] }] } });
    const [empty, full] = await explorer(w).profile().getChildren();
    const none = await (await child(empty, 'Access entries')).getChildren();
    assert.deepStrictEqual([labels(none), none[0].view().contextValue], [['No access entries'], CONTEXT.placeholder]);
    const dev = await child(await child(full, 'Access entries'), 'Dev');
    assert.strictEqual(dev.view().description, 'STANDARD · user · groups: devs');
    const [p] = await dev.getChildren();
    assert.deepStrictEqual([p.view().label, p.view().description], ['AmazonEKSViewPolicy', 'namespaces: a, b']);
  });

  it('reads aws-auth through the model once for the aws-auth section and the node roles, and marks unmapped node roles', async () => {
    const mapRoles = `- rolearn: ${NODE_ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
    const w = world({
      clusters: {
        'us-east-1': [{ name: 'c', mode: 'CONFIG_MAP', awsAuth: { mapRoles }, nodegroups: [{ nodegroupName: 'ok', nodeRole: NODE_ROLE }, { nodegroupName: 'bad', nodeRole: `arn:aws:iam::${A}:role/Other` }] }],
      },
    });
    const [cluster] = await explorer(w).profile().getChildren();
    const mappings = await (await child(cluster, 'aws-auth ConfigMap')).getChildren();
    assert.deepStrictEqual(labels(mappings), ['NodeRole']);
    const roles = await (await child(cluster, 'Node roles')).getChildren();
    assert.deepStrictEqual(roles.map((r) => r.view().description), ['NodeRole · mapped', 'Other · NOT mapped']);
    assert.strictEqual(roles[1].view().iconIsError, true);
    assert.strictEqual(w.calls.filter((c) => c.startsWith('GetConfigMap')).length, 1, 'one aws-auth read for both sections');
  });

  it('marks the mappings no caller can ever match with the linter\'s rule and reason, and counts them on aws-auth', async () => {
    // The shapes of docs/rules.md A11 (a role path), A12 (an IAM Identity Center role with its path) and A13 (an STS
    // session ARN), which the authenticator keeps but never matches (pkg/arn Canonicalize strips no path).
    const mapRoles = [
      `- rolearn: ${NODE_ROLE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:nodes]`,
      `- rolearn: arn:aws:iam::${A}:role/teams/Deployer\n  username: deployer\n  groups: [deployers]`,
      `- rolearn: arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef\n  username: admin\n  groups: [system:masters]`,
      `- rolearn: arn:aws:sts::${A}:assumed-role/Dev/jane\n  username: dev`,
    ].join('\n');
    const w = world({ clusters: { 'us-east-1': [{ name: 'c', mode: 'CONFIG_MAP', awsAuth: { mapRoles } }] } });
    const { profile, changed } = explorer(w);
    const [cluster] = await profile().getChildren();
    const awsAuth = await child(cluster, 'aws-auth ConfigMap');
    assert.strictEqual(awsAuth.view().description, undefined, 'nothing known before its children are read');
    const mappings = await awsAuth.getChildren();
    assert.deepStrictEqual(mappings.map((m) => m.view().description?.split(' · ')[0]), ['mapRoles', 'never matches (A11)', 'never matches (A12)', 'never matches (A13)']);
    assert.match(mappings[1].view().tooltip ?? '', /A11: The role path "\/teams\/" never matches.*Use arn:aws:iam::111122223333:role\/Deployer/);
    assert.deepStrictEqual(mappings.map((m) => m.view().iconIsError ?? false), [false, true, true, true]);
    assert.strictEqual(awsAuth.view().description, '3 never match');
    assert.ok(changed.includes(awsAuth), 'the section redraws with its count');
  });

  it('says aws-auth could not be read on node roles it cannot confirm, and shows the error node in the aws-auth section', async () => {
    const w = world({ clusters: { 'us-east-1': [{ name: 'c', mode: 'CONFIG_MAP', nodegroups: [{ nodegroupName: 'ng', nodeRole: NODE_ROLE }] }] } });
    const [cluster] = await explorer(w).profile().getChildren();
    const mappings = await (await child(cluster, 'aws-auth ConfigMap')).getChildren();
    assert.deepStrictEqual(labels(mappings), ['kube-system/aws-auth does not exist']);
    const [role] = await (await child(cluster, 'Node roles')).getChildren();
    assert.match(role.view().tooltip ?? '', /aws-auth could not be read/);
  });

  it('shows only an error node under Node roles when ListNodegroups is denied, naming the action', async () => {
    const w = world({ clusters: { 'us-east-1': [{ name: 'c', nodegroupsError: accessDenied('eks:ListNodegroups'), fargate: [{ fargateProfileName: 'f', podExecutionRoleArn: NODE_ROLE }] }] } });
    const { profile, errors } = explorer(w);
    const [cluster] = await profile().getChildren();
    const roles = await (await child(cluster, 'Node roles')).getChildren();
    assert.strictEqual(roles.length, 1, labels(roles).join(', '));
    assert.ok(roles[0] instanceof ErrorNode);
    assert.strictEqual((roles[0] as ErrorNode).kind, 'access-denied');
    assert.match(roles[0].view().description ?? '', /eks:ListNodegroups/);
    assert.strictEqual(errors.length, 1);
  });

  it('offers the access entry type each node role joins with: EC2_WINDOWS for a Windows AMI', async () => {
    // amiType values from the SDK's AMITypes enum (@aws-sdk/client-eks dist-es/models/enums.js).
    const nodegroups: Nodegroup[] = [
      { nodegroupName: 'linux', nodeRole: NODE_ROLE, amiType: 'AL2023_x86_64_STANDARD' },
      { nodegroupName: 'win', nodeRole: `arn:aws:iam::${A}:role/Win`, amiType: 'WINDOWS_FULL_2022_x86_64' },
    ];
    const w = world({ clusters: { 'us-east-1': [{ name: 'c', mode: 'API', nodegroups, fargate: [{ fargateProfileName: 'f', podExecutionRoleArn: `arn:aws:iam::${A}:role/Pod` }] }] } });
    const [cluster] = await explorer(w).profile().getChildren();
    const roles = (await (await child(cluster, 'Node roles')).getChildren()) as NodeRoleNode[];
    assert.deepStrictEqual(roles.map((r) => [r.label, r.entryType]), [['node group linux', 'EC2_LINUX'], ['node group win', 'EC2_WINDOWS'], ['Fargate profile f', 'FARGATE_LINUX']]);
  });

  it('escapes Markdown in access entry tooltips: a username from the cluster cannot inject a link', async () => {
    const w = world({ clusters: { 'us-east-1': [{ name: 'c', entries: [{ arn: `arn:aws:iam::${A}:role/Dev`, username: 'x`](command:evil) **' }] }] } });
    const [cluster] = await explorer(w).profile().getChildren();
    const dev = await child(await child(cluster, 'Access entries'), 'Dev');
    const tooltip = dev.view().markdownTooltip ?? '';
    assert.ok(tooltip.includes('`` x`](command:evil) ** ``'), tooltip);
  });
});
