import * as assert from 'assert';
import { ClusterAccessService, clusterRefOf } from '../../../../src/core/clusters/clusterAccess';
import { diffAccess, diffText } from '../../../../src/core/access/accessDiff';
import { isUnknown } from '../../../../src/core/clusters/nodeRoles';
import { accessDenied, FakeCluster, FakeWorld, fakeSource } from '../../fakeGateways';

const A = '111122223333';

function setup(partial: Partial<FakeWorld> = {}) {
  const w: FakeWorld = { identities: [{ profile: 'dev', label: 'dev', regions: ['us-east-1', 'eu-west-1'], sso: false }], calls: [], clusters: {}, ...partial };
  const source = fakeSource(w);
  return { w, source, service: new ClusterAccessService(source) };
}

describe('ClusterAccessService', () => {
  it('describes each cluster once: listing a region fills the summaries the commands ask for', async () => {
    const { w, service } = setup({ clusters: { 'us-east-1': [{ name: 'a' }] } });
    await service.listRegion('dev', 'us-east-1');
    const s = await service.summary({ profile: 'dev', region: 'us-east-1', cluster: 'a' });
    assert.strictEqual(s.name, 'a');
    assert.strictEqual(w.calls.filter((c) => c === 'DescribeCluster a').length, 1);
    await service.summary({ profile: 'dev', region: 'us-east-1', cluster: 'a' }, true);
    assert.strictEqual(w.calls.filter((c) => c === 'DescribeCluster a').length, 2, 'fresh describes again');
  });

  it('lists every cluster of every profile and region, leaving out a region that fails', async () => {
    const { service } = setup({ clusters: { 'us-east-1': [{ name: 'a' }], 'eu-west-1': [{ name: 'b' }] }, listError: { 'eu-west-1': accessDenied('eks:ListClusters') } });
    assert.deepStrictEqual((await service.listAll()).map((c) => c.ref), [{ profile: 'dev', region: 'us-east-1', cluster: 'a' }]);
  });

  it('loads access once per cluster until invalidated, and tells listeners which cluster changed', async () => {
    const { w, source, service } = setup({ clusters: { 'us-east-1': [{ name: 'a', awsAuth: { mapRoles: `- rolearn: arn:aws:iam::${A}:role/R\n  username: r\n` } }] } });
    const ref = { profile: 'dev', region: 'us-east-1', cluster: 'a' };
    const heard: unknown[] = [];
    service.onDidChange((r) => void heard.push(r));
    const [x, y] = await Promise.all([service.access(ref), service.access(ref)]);
    assert.strictEqual(x, y, 'concurrent asks share one load');
    assert.deepStrictEqual(x.mappings.map((m) => m.arn), [`arn:aws:iam::${A}:role/R`]);
    assert.strictEqual(w.calls.filter((c) => c.startsWith('GetConfigMap')).length, 1);
    await service.invalidate(ref);
    await service.access(ref);
    assert.strictEqual(w.calls.filter((c) => c.startsWith('GetConfigMap')).length, 2);
    assert.deepStrictEqual(heard, [ref]);
    await service.invalidate();
    assert.deepStrictEqual(heard, [ref, undefined]);
    assert.strictEqual(source.resets, 1, 'a full invalidation forgets gateways and credentials too');
  });

  it('does not let a listing that started before a change bring back the old summary', async () => {
    const { w, service } = setup({ clusters: { 'us-east-1': [{ name: 'a', mode: 'CONFIG_MAP' }] } });
    const ref = { profile: 'dev', region: 'us-east-1', cluster: 'a' };
    let release!: () => void;
    w.describeGate = new Promise((r) => (release = r));
    const listing = service.listRegion('dev', 'us-east-1');
    await new Promise((r) => setImmediate(r));
    w.clusters['us-east-1'][0].mode = 'API_AND_CONFIG_MAP';
    await service.invalidate(ref);
    release();
    w.describeGate = undefined;
    const [listed] = await listing;
    assert.strictEqual('summary' in listed && listed.summary.mode, 'API_AND_CONFIG_MAP', 'the listing answers with the current summary');
    assert.strictEqual((await service.summary(ref)).mode, 'API_AND_CONFIG_MAP');
  });

  it('forgets a failed load, so the next ask tries again', async () => {
    const { w, service } = setup({ clusters: { 'us-east-1': [{ name: 'a', describeError: accessDenied('eks:DescribeCluster') }] } });
    const ref = { profile: 'dev', region: 'us-east-1', cluster: 'a' };
    await assert.rejects(service.access(ref), /eks:DescribeCluster/);
    w.clusters['us-east-1'][0].describeError = undefined;
    assert.ok(await service.access(ref));
  });

  describe('the current state a change is checked against', () => {
    const NODE = `arn:aws:iam::${A}:role/NodeRole`;
    const mapRoles = `- rolearn: ${NODE}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
    const cluster = (over: Partial<FakeCluster> = {}): FakeCluster => ({ name: 'a', mode: 'API_AND_CONFIG_MAP', awsAuth: { mapRoles }, nodegroups: [{ nodegroupName: 'general', nodeRole: NODE }], ...over });
    const ref = { profile: 'dev', region: 'us-east-1', cluster: 'a' };

    it('names the node group that a change locks out when the node groups can be listed, and checks everything', async () => {
      const { service } = setup({ clusters: { 'us-east-1': [cluster()] } });
      const before = await service.currentState(ref);
      const d = diffAccess(before, { ...before, mode: 'API' });
      assert.ok(d.lockouts.some((l) => /^node group general: .*its nodes go NotReady/.test(l)), d.lockouts.join(' | '));
      assert.deepStrictEqual(d.unchecked, []);
      assert.doesNotMatch(diffText(d), /NOT CHECKED/);
    });

    it('carries a denied ListNodegroups into the diff: the report says node roles could not be checked, and why', async () => {
      const { service } = setup({ clusters: { 'us-east-1': [cluster({ nodegroupsError: accessDenied('eks:ListNodegroups') })] } });
      const before = await service.currentState(ref);
      assert.ok(isUnknown(before.nodeRoles), 'not an empty list: that would say there are no nodes to lock out');
      // A change that touches no node mapping still says what it could not check, so its confirmation asks.
      const harmless = diffAccess(before, { ...before, accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/Dev`, type: 'STANDARD', kubernetesGroups: ['dev'], policies: [] }] });
      assert.deepStrictEqual(harmless.unchecked.length, 1);
      assert.match(diffText(harmless), /^NOT CHECKED: node roles could not be checked \(the node groups could not be listed: Access denied: the identity may not call eks:ListNodegroups\..*\): a node group or Fargate profile that stops joining would not be seen$/m);
      // Said once, though both sides of the diff carry it.
      assert.strictEqual(diffText(harmless).match(/NOT CHECKED/g)?.length, 1);
      // The aws-auth mapping still shows the role losing node access; the report adds that the node groups were not seen.
      const toApi = diffAccess(before, { ...before, mode: 'API' });
      assert.strictEqual(toApi.severity, 'lockout');
      assert.ok(toApi.lockouts.some((l) => l.includes(NODE) && /can no longer join as a node/.test(l)), toApi.lockouts.join(' | '));
      assert.match(diffText(toApi), /NOT CHECKED: node roles could not be checked/);
    });
  });

  it('gives the explanation the policies of the one entry that can match, and the aws-auth of the cluster', async () => {
    const policy = { policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy', accessScope: { type: 'cluster' as const } };
    const { service } = setup({ clusters: { 'us-east-1': [{ name: 'a', entries: [{ arn: `arn:aws:iam::${A}:role/Dev`, policies: [policy] }, { arn: `arn:aws:iam::${A}:role/Other`, policies: [policy] }], awsAuth: {} }] } });
    const { context, notes } = await service.explainContext({ profile: 'dev', region: 'us-east-1', cluster: 'a' }, `arn:aws:sts::${A}:assumed-role/dev/session`);
    assert.deepStrictEqual(notes, []);
    const withPolicies = context.accessEntries.filter((e) => e.policies);
    assert.deepStrictEqual(withPolicies.map((e) => e.principalArn), [`arn:aws:iam::${A}:role/Dev`], 'only the entry the model matches gets its policies');
  });

  it('takes a cluster from a command argument: a ref, a node scoped to one, or nothing', () => {
    const ref = { profile: undefined, region: 'r', cluster: 'c' };
    assert.deepStrictEqual(clusterRefOf(ref), ref);
    assert.deepStrictEqual(clusterRefOf({ clusterRef: () => ref }), ref);
    assert.strictEqual(clusterRefOf({ clusterRef: () => undefined }), undefined);
    assert.strictEqual(clusterRefOf('c'), undefined);
    assert.strictEqual(clusterRefOf(undefined), undefined);
  });
});
