/**
 * The Workload identity group under a cluster, over fake gateways: the issuer and its IAM provider, the agent add-on,
 * associations and IRSA service accounts marked working or broken with the reason, a refused read named with its
 * permission, and a failed load as the error node only.
 */
import * as assert from 'assert';
import { ClusterAccessService } from '../../../../src/core/clusters/clusterAccess';
import { ClusterNode, CONTEXT, ErrorNode, type ExplorerContext, type ExplorerNode, WorkloadRowNode } from '../../../../src/core/explorer/nodes';
import type { WorkloadConnection } from '../../../../src/core/workload/fixGateway';
import type { PodIdentityAssociationInfo, ServiceAccountInfo } from '../../../../src/core/workload/model';
import { fakeSource, type FakeWorld } from '../../fakeGateways';
import { ACCOUNT, association, HOST_PATH, IRSA_AWS_DOCS, ISSUER, POD_ID_AWS_DOCS, POD_ID_NO_TAG_SESSION, PROVIDER_ARN } from '../workload/fixtures';

const IRSA_ROLE = `arn:aws:iam::${ACCOUNT}:role/my_role`;
const POD_ROLE = association().roleArn;
const BROKEN_ROLE = `arn:aws:iam::${ACCOUNT}:role/no-tag-session`;

interface Over {
  serviceAccounts?: ServiceAccountInfo[] | Error;
  associations?: PodIdentityAssociationInfo[];
  providers?: { arn: string; url: string; clientIds: string[] }[];
  addon?: string;
}

function connection(over: Over): WorkloadConnection {
  const associations = over.associations ?? [];
  const roles: Record<string, object> = { [IRSA_ROLE]: IRSA_AWS_DOCS, [POD_ROLE]: POD_ID_AWS_DOCS, [BROKEN_ROLE]: POD_ID_NO_TAG_SESSION };
  return {
    gateways: {
      eks: {
        async listPodIdentityAssociations() {
          return associations.map((a) => ({ associationId: a.associationId!, namespace: a.namespace, serviceAccount: a.serviceAccount }));
        },
        async describePodIdentityAssociation(_c, id) {
          return associations.find((a) => a.associationId === id)!;
        },
        async describeAgentAddon() {
          return { addonStatus: over.addon ?? 'ACTIVE' };
        },
      },
      iam: {
        async getRoleTrustPolicy(arn) {
          return roles[arn] ? encodeURIComponent(JSON.stringify(roles[arn])) : undefined;
        },
        async listOidcProviders() {
          return over.providers ?? [{ arn: PROVIDER_ARN, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }];
        },
      },
      kube: {
        async getServiceAccount() {
          return undefined;
        },
        async listServiceAccounts() {
          if (over.serviceAccounts instanceof Error) throw over.serviceAccounts;
          return over.serviceAccounts ?? [];
        },
        async getPod() {
          return undefined;
        },
        async agentReadyOnNode() {
          return true;
        },
      },
    },
    fixes: {} as WorkloadConnection['fixes'],
  };
}

const english = (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)]));

async function section(over: Over, connect?: () => WorkloadConnection, t: ExplorerContext['t'] = english): Promise<{ nodes: ExplorerNode[]; errors: string[] }> {
  const w: FakeWorld = {
    identities: [{ profile: 'dev', label: 'dev', regions: ['us-west-2'], sso: false }],
    clusters: { 'us-west-2': [{ name: 'demo', oidcIssuer: ISSUER }] },
    workload: connect ?? (() => connection(over)),
    calls: [],
  };
  const errors: string[] = [];
  const clusters = new ClusterAccessService(fakeSource(w));
  const ctx: ExplorerContext = { clusters, log: { error: (m) => errors.push(m) }, t, changed: () => undefined };
  const ref = { profile: 'dev', region: 'us-west-2', cluster: 'demo' };
  const cluster = new ClusterNode({ ctx, view: () => ({ label: 'root', collapsible: 'expanded', contextValue: '' }), clusterRef: () => undefined } as unknown as ExplorerNode, ref, await clusters.summary(ref));
  const group = (await cluster.getChildren()).find((n) => n.view().label === 'Workload identity');
  assert.ok(group, 'each cluster has a Workload identity group');
  assert.deepStrictEqual([group.view().collapsible, group.view().contextValue], ['collapsed', CONTEXT.workloadIdentity], 'loaded only when expanded');
  return { nodes: await group.getChildren(), errors };
}

const byLabel = (nodes: ExplorerNode[], label: string) => {
  const n = nodes.find((x) => x.view().label === label);
  assert.ok(n, `${label} in ${nodes.map((x) => x.view().label).join(', ')}`);
  return n;
};

describe('the Workload identity group', () => {
  it('shows the issuer with its IAM provider, the agent, and working and broken rows with the reason', async () => {
    const { nodes } = await section({
      serviceAccounts: [{ namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE } }, { namespace: 'payments', name: 'api' }, { namespace: 'batch', name: 'jobs' }],
      associations: [association(), association({ associationId: 'a-2', namespace: 'batch', serviceAccount: 'jobs', roleArn: BROKEN_ROLE })],
    });
    assert.deepStrictEqual(nodes.map((n) => n.view().label), ['OIDC issuer', 'Pod Identity Agent', 'Pod Identity associations', 'IRSA service accounts']);
    const issuer = byLabel(nodes, 'OIDC issuer').view();
    assert.deepStrictEqual([issuer.description, issuer.icon], [`${HOST_PATH} · IAM provider exists`, 'pass']);
    assert.deepStrictEqual([byLabel(nodes, 'Pod Identity Agent').view().description, byLabel(nodes, 'Pod Identity Agent').view().icon], ['add-on ACTIVE', 'pass']);

    const associations = byLabel(nodes, 'Pod Identity associations');
    assert.deepStrictEqual([associations.view().description, associations.view().collapsible], ['1 of 2 broken', 'expanded'], 'a group with a broken row opens');
    const [batch, payments] = (await associations.getChildren()) as WorkloadRowNode[];
    assert.deepStrictEqual([batch.view().label, batch.view().icon, batch.view().iconIsError, batch.view().contextValue], ['batch/jobs', 'error', true, `${CONTEXT.workloadRow}.broken`]);
    assert.match(batch.view().description ?? '', /^no-tag-session · broken: Trust policy of arn:aws:iam::111122223333:role\/no-tag-session$/);
    assert.match(batch.view().markdownTooltip ?? '', /sts:TagSession/);
    assert.deepStrictEqual([payments.view().label, payments.view().icon, payments.view().description], ['payments/api', 'pass', 'eks-pod-identity-primary-role · works for new pods']);
    assert.deepStrictEqual(payments.target, { serviceAccount: { namespace: 'payments', name: 'api' } });
    assert.deepStrictEqual(payments.clusterRef(), { profile: 'dev', region: 'us-west-2', cluster: 'demo' }, 'the row belongs to its cluster, for the command it runs');
    assert.strictEqual(payments.view().command?.id, 'eksAuth.workload.explain');

    const [irsa] = (await byLabel(nodes, 'IRSA service accounts').getChildren()) as WorkloadRowNode[];
    assert.deepStrictEqual([irsa.view().label, irsa.view().description], ['default/my-service-account', 'my_role · works for new pods']);
    assert.match(irsa.view().markdownTooltip ?? '', /my\\_role/, 'values in the Markdown tooltip are escaped');
  });

  it("a row's command title is localised like the rest of the tree", async () => {
    const german = (m: string, ...a: unknown[]) => (m === 'Explain Workload Identity' ? 'Workload-Identität erklären' : english(m, ...a));
    const { nodes } = await section({ serviceAccounts: [{ namespace: 'payments', name: 'api' }], associations: [association()] }, undefined, german);
    const [row] = await byLabel(nodes, 'Pod Identity associations').getChildren();
    assert.strictEqual(row.view().command?.title, 'Workload-Identität erklären');
  });

  it('a target role in another account: the row says that trust policy was not checked, not that no pod was looked at', async () => {
    const { nodes } = await section({ serviceAccounts: [{ namespace: 'payments', name: 'api' }], associations: [association({ targetRoleArn: 'arn:aws:iam::444455556666:role/target' })] });
    const [row] = await byLabel(nodes, 'Pod Identity associations').getChildren();
    assert.strictEqual(row.view().icon, 'question');
    assert.match(row.view().description ?? '', /not checked: Trust policy of the target role arn:aws:iam::444455556666:role\/target$/);
  });

  it('no IAM provider for the issuer: the issuer row and every IRSA row say so', async () => {
    const { nodes } = await section({ serviceAccounts: [{ namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE } }], providers: [] });
    const issuer = byLabel(nodes, 'OIDC issuer').view();
    assert.deepStrictEqual([issuer.icon, issuer.description], ['error', `${HOST_PATH} · no IAM OIDC provider: IRSA roles cannot be assumed`]);
    const [row] = await byLabel(nodes, 'IRSA service accounts').getChildren();
    assert.match(row.view().description ?? '', /broken: IAM has no OIDC provider/);
  });

  it('an association without the agent add-on: the agent row is an error', async () => {
    const { nodes } = await section({ serviceAccounts: [{ namespace: 'payments', name: 'api' }], associations: [association()], addon: 'absent' });
    const agent = byLabel(nodes, 'Pod Identity Agent').view();
    assert.deepStrictEqual([agent.icon, agent.description], ['error', 'not installed: the associations give pods nothing']);
  });

  it('Kubernetes refuses to list service accounts (403): a row names the permission, the associations are still shown', async () => {
    const forbidden = Object.assign(new Error('serviceaccounts is forbidden: User "dev" cannot list resource "serviceaccounts"'), { code: 403 });
    const { nodes } = await section({ serviceAccounts: forbidden, associations: [association()] });
    const refused = byLabel(nodes, 'Could not read the service accounts').view();
    assert.deepStrictEqual([refused.description, refused.icon], ['needs Kubernetes list serviceaccounts', 'warning']);
    assert.strictEqual((await byLabel(nodes, 'Pod Identity associations').getChildren()).length, 1);
    assert.deepStrictEqual((await byLabel(nodes, 'IRSA service accounts').getChildren()).map((n) => n.view().contextValue), [CONTEXT.placeholder]);
  });

  it('a failure to connect is the error node only, with the cause and the next step', async () => {
    const denied = Object.assign(new Error('User: arn:aws:iam::111122223333:user/dev is not authorized to perform: eks:DescribeAddon'), { name: 'AccessDeniedException' });
    const { nodes, errors } = await section({}, () => {
      throw denied;
    });
    assert.strictEqual(nodes.length, 1);
    assert.ok(nodes[0] instanceof ErrorNode);
    assert.match(nodes[0].view().description ?? '', /may not call eks:DescribeAddon\. Allow eks:DescribeAddon/);
    assert.strictEqual(errors.length, 1);
  });
});
