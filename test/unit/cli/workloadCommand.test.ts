/** `eks-auth workload explain` offline: exit codes, the JSON contract, escaping, and no secret printed. */
import * as assert from 'assert';
import { runCli } from '../../../src/cli/commands';
import { cliIo } from '../helpers';
import type { WorkloadGateways } from '../../../src/core/workload/gather';
import { readPod } from '../../../src/core/workload/inputFiles';
import { ACCOUNT, association, CLUSTER, HOST_PATH, IRSA_AWS_DOCS, ISSUER, OTHER_ACCOUNT, POD_ID_AWS_DOCS, podIdentityPod, TARGET_AWS_DOCS } from '../core/workload/fixtures';

const PRIMARY = `arn:aws:iam::${ACCOUNT}:role/eks-pod-identity-primary-role`;
const TARGET = `arn:aws:iam::${OTHER_ACCOUNT}:role/eks-pod-identity-aws-resources`;

/** `aws eks describe-pod-identity-association` as the AWS CLI prints it (timestamps with microseconds and an offset). */
const describeAssociation = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    association: {
      clusterName: 'demo',
      namespace: 'payments',
      serviceAccount: 'api',
      roleArn: PRIMARY,
      associationArn: `arn:aws:eks:us-west-2:${ACCOUNT}:podidentityassociation/demo/a-abcdefghijklmnop1`,
      associationId: 'a-abcdefghijklmnop1',
      tags: {},
      createdAt: '2026-11-20T10:00:00.497000+00:00',
      modifiedAt: '2026-11-20T10:00:00.497000+00:00',
      disableSessionTags: false,
      ...over,
    },
  });

/** `kubectl get pod -o json`, trimmed to what the explanation reads, with a secret in the env that must never be shown. */
const kubectlPod = (over: { creationTimestamp?: string; env?: unknown[]; hostNetwork?: boolean } = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'api-6f4dfff6cb-76cv9', namespace: 'payments', uid: '0b1c2d3e', creationTimestamp: over.creationTimestamp ?? '2026-11-21T09:00:00Z' },
    spec: {
      serviceAccountName: 'api',
      nodeName: 'ip-192-168-1-10.us-west-2.compute.internal',
      hostNetwork: over.hostNetwork,
      containers: [
        {
          name: 'api',
          env: over.env ?? [
            { name: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', value: 'http://169.254.170.23/v1/credentials' },
            { name: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', value: '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token' },
            { name: 'DB_PASSWORD', value: 'hunter2-do-not-print' },
            { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
          ],
        },
      ],
      volumes: [{ name: 'eks-pod-identity-token', projected: { sources: [{ serviceAccountToken: { audience: 'pods.eks.amazonaws.com', expirationSeconds: 86400, path: 'eks-pod-identity-token' } }] } }],
    },
  });

const FILES = {
  'irsa-trust.json': JSON.stringify(IRSA_AWS_DOCS, null, 4),
  'irsa-trust.urlencoded': encodeURIComponent(JSON.stringify(IRSA_AWS_DOCS)),
  'pod-id-trust.json': JSON.stringify(POD_ID_AWS_DOCS),
  'target-trust.json': JSON.stringify(TARGET_AWS_DOCS),
  'association.json': describeAssociation(),
  'association-target.json': describeAssociation({ targetRoleArn: TARGET }),
  'pod.json': kubectlPod(),
  'pod-early.json': kubectlPod({ creationTimestamp: '2026-11-19T08:00:00Z', env: [{ name: 'DB_PASSWORD', value: 'hunter2-do-not-print' }] }),
  'providers.json': JSON.stringify({ OpenIDConnectProviderList: [{ Arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/SOMEOTHERCLUSTER` }] }),
  'provider.json': JSON.stringify({ Url: HOST_PATH, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'] }),
  'addon.json': JSON.stringify({ addon: { addonName: 'eks-pod-identity-agent', clusterName: 'demo', status: 'ACTIVE', addonVersion: 'v1.3.10-eksbuild.2' } }),
  'hostile-trust.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${HOST_PATH}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${HOST_PATH}:sub`]: '[click](https://evil.example) <img src=x onerror=alert(1)> | # *x*' } } }] }),
};

const IRSA = ['workload', 'explain', '--service-account', 'default/my-service-account', '--oidc-issuer', ISSUER];

async function run(args: string[]) {
  const t = cliIo(FILES);
  const code = await runCli(args, t.io);
  return { code, out: t.out.join(''), err: t.err.join('') };
}

describe('eks-auth workload explain', () => {
  it('IRSA from a trust policy, an issuer and a service account: exit 0, JSON keeps works/mechanism/roleArn/steps', async () => {
    const r = await run([...IRSA, '--trust-policy', 'irsa-trust.json', '--format', 'json']);
    assert.strictEqual(r.code, 0, r.out + r.err);
    const j = JSON.parse(r.out);
    assert.deepStrictEqual([j.works, j.mechanism, j.roleArn], [true, 'irsa', null]);
    assert.ok(Array.isArray(j.steps) && j.steps.some((s: { id: string; verdict: string }) => s.id === 'trust' && s.verdict === 'ok'));
  });

  it('the trust policy URL-encoded as GetRole returns it, and a role ARN that names the outcome', async () => {
    const r = await run([...IRSA, '--trust-policy', 'irsa-trust.urlencoded', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/my-role`, '--format', 'json']);
    assert.strictEqual(r.code, 0, r.out);
    assert.strictEqual(JSON.parse(r.out).roleArn, `arn:aws:iam::${ACCOUNT}:role/my-role`);
  });

  it('a service account in another namespace: exit 1, and the text says what the sub condition expects', async () => {
    const r = await run(['workload', 'explain', '--service-account', 'prod/my-service-account', '--oidc-issuer', ISSUER, '--trust-policy', 'irsa-trust.json']);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /^prod\/my-service-account: does not get its role \(IRSA\)/);
    assert.match(r.out, /FAIL trust: .*\[trust-condition\]/);
    assert.match(r.out, /:sub expects "system:serviceaccount:default:my-service-account"; the request has "system:serviceaccount:prod:my-service-account"/);
  });

  it('no IAM OIDC provider for the issuer (list-open-id-connect-providers output): exit 1 with the STS message', async () => {
    const r = await run([...IRSA, '--trust-policy', 'irsa-trust.json', '--oidc-providers', 'providers.json', '--format', 'json']);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(JSON.parse(r.out).sdkMessage, `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${ISSUER}`);
    const ok = await run([...IRSA, '--trust-policy', 'irsa-trust.json', '--oidc-providers', 'provider.json']);
    assert.strictEqual(ok.code, 0, ok.out);
  });

  it('Pod Identity with describe-pod-identity-association, describe-addon and kubectl output: exit 0', async () => {
    const r = await run(['workload', 'explain', '--pod', 'pod.json', '--association', 'association.json', '--trust-policy', 'pod-id-trust.json', '--addon', 'addon.json', '--format', 'json']);
    assert.strictEqual(r.code, 0, r.out + r.err);
    assert.deepStrictEqual([JSON.parse(r.out).mechanism, JSON.parse(r.out).roleArn], ['pod-identity', PRIMARY]);
  });

  it('a pod created before the association: exit 1, restart it', async () => {
    const r = await run(['workload', 'explain', '--pod', 'pod-early.json', '--association', 'association.json', '--trust-policy', 'pod-id-trust.json']);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /\[pod-created-before\]/);
    assert.match(r.out, /fix: Restart the pods of payments\/api/);
  });

  it('cross-account: the target role\'s trust policy, and the target as the outcome', async () => {
    const r = await run(['workload', 'explain', '--service-account', 'payments/api', '--association', 'association-target.json', '--trust-policy', 'pod-id-trust.json', '--target-trust-policy', 'target-trust.json', '--cluster', 'demo', '--format', 'json']);
    const j = JSON.parse(r.out);
    assert.strictEqual(j.roleArn, TARGET, JSON.stringify(j.steps.filter((s: { verdict: string }) => s.verdict !== 'ok')));
    assert.strictEqual(r.code, 0);
  });

  it('an SDK too old for Pod Identity: exit 1', async () => {
    const r = await run(['workload', 'explain', '--pod', 'pod.json', '--association', 'association.json', '--trust-policy', 'pod-id-trust.json', '--sdk', 'js-v3@3.450.0']);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /\[sdk-too-old\]/);
  });

  it('never prints env values other than the credential locations, in any format', async () => {
    for (const format of ['text', 'json', 'markdown']) {
      for (const pod of ['pod.json', 'pod-early.json']) {
        const r = await run(['workload', 'explain', '--pod', pod, '--association', 'association.json', '--trust-policy', 'pod-id-trust.json', '--format', format]);
        assert.doesNotMatch(r.out, /hunter2|DB_PASSWORD|secretKeyRef/, `${format} ${pod}`);
      }
    }
  });

  it('keeps no value of a non-AWS variable in the model read from kubectl output', () => {
    const pod = readPod(JSON.parse(kubectlPod()));
    assert.doesNotMatch(JSON.stringify(pod), /hunter2/);
    assert.ok(pod.containers[0].env!.some((e) => e.name === 'DB_PASSWORD' && e.value === undefined), 'the name stays');
    assert.ok(pod.containers[0].env!.some((e) => e.name === 'AWS_CONTAINER_CREDENTIALS_FULL_URI' && e.value === 'http://169.254.170.23/v1/credentials'));
  });

  it('Markdown escapes values from the trust policy: no link, image, HTML or table cell', async () => {
    const r = await run(['workload', 'explain', '--service-account', 'default/x', '--oidc-issuer', ISSUER, '--trust-policy', 'hostile-trust.json', '--format', 'markdown']);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /\\\[click\\\]\\\(https:\/\/evil\\\.example\\\)/);
    assert.doesNotMatch(r.out, /<img|\]\(https:\/\/evil/);
    assert.match(r.out, /&lt;img src=x onerror=alert\\\(1\\\)&gt; \\\| \\# \\\*x\\\*/);
  });

  it('exit 2 on usage and unreadable input, saying why', async () => {
    const cases = [
      ['workload'],
      ['workload', 'explain'],
      ['workload', 'explain', '--service-account', 'default', '--oidc-issuer', ISSUER, '--trust-policy', 'irsa-trust.json'],
      [...IRSA],
      [...IRSA, '--trust-policy', 'missing.json'],
      [...IRSA, '--trust-policy', 'irsa-trust.json', '--format', 'xml'],
      [...IRSA, '--trust-policy', 'irsa-trust.json', '--sdk', 'js-v3'],
      [...IRSA, '--trust-policy', 'irsa-trust.json', '--wat'],
      [...IRSA, '--trust-policy', 'irsa-trust.json', '--pod', 'irsa-trust.json'],
      [...IRSA, '--trust-policy', 'irsa-trust.json', '--oidc-providers', 'irsa-trust.urlencoded'],
      ['workload', 'explain', '--service-account', 'other/sa', '--association', 'association.json', '--trust-policy', 'pod-id-trust.json'],
      ['workload', 'explain', '--service-account', 'payments/api', '--association', 'association.json', '--trust-policy', 'pod-id-trust.json', '--target-trust-policy', 'target-trust.json'],
    ];
    for (const args of cases) {
      const r = await run(args);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.out}`);
      assert.ok(r.err.length > 10, `${args.join(' ')} says why`);
    }
  });

  it('a malformed trust policy is a finding (exit 1), not a usage error', async () => {
    const t = cliIo({ 'bad.json': '{"Statement": [' });
    assert.strictEqual(await runCli([...IRSA, '--trust-policy', 'bad.json'], t.io), 1);
    assert.match(t.out.join(''), /\[policy-unreadable\]/);
  });
});

describe('eks-auth workload explain --live (fake gateways)', () => {
  const gateways = (deny = false): WorkloadGateways => ({
    eks: {
      listPodIdentityAssociations: async (_c, f) => (f?.namespace === 'payments' && f.serviceAccount === 'api' ? [{ associationId: 'a-abcdefghijklmnop1', namespace: 'payments', serviceAccount: 'api' }] : []),
      describePodIdentityAssociation: async () => association(),
      describeAgentAddon: async () => ({ addonStatus: 'ACTIVE' }),
    },
    iam: {
      getRoleTrustPolicy: async () => {
        if (deny) throw Object.assign(new Error('User: x is not authorized to perform: iam:GetRole'), { name: 'AccessDenied' });
        return encodeURIComponent(JSON.stringify(POD_ID_AWS_DOCS));
      },
      listOidcProviders: async () => [],
    },
    kube: { getServiceAccount: async (namespace, name) => ({ namespace, name }), listServiceAccounts: async () => [], getPod: async () => podIdentityPod(), agentReadyOnNode: async () => true },
  });
  const live = async (args: string[], deny = false) => {
    const t = cliIo({});
    const asked: unknown[] = [];
    const code = await runCli(['workload', 'explain', '--live', ...args], { ...t.io, workload: { connect: async (...a) => (asked.push(a), { cluster: CLUSTER, gateways: gateways(deny) }) } });
    return { code, out: t.out.join(''), err: t.err.join(''), asked };
  };

  it('a pod by name: exit 0 with the association\'s role, and the profile and region passed on', async () => {
    const r = await live(['--cluster', 'demo', '--region', 'us-west-2', '--profile', 'admin', '--pod-name', 'payments/api-6f4dfff6cb-76cv9', '--format', 'json']);
    assert.strictEqual(r.code, 0, r.out + r.err);
    assert.strictEqual(JSON.parse(r.out).roleArn, PRIMARY);
    assert.deepStrictEqual(r.asked, [['admin', 'us-west-2', 'demo']]);
  });

  it('without iam:GetRole: exit 1 and the permission named', async () => {
    const r = await live(['--cluster', 'demo', '--region', 'us-west-2', '--service-account', 'payments/api'], true);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /fix: Allow iam:GetRole to explain this step too\./);
  });

  it('exit 2 without a cluster, a region, or exactly one target, or with offline options', async () => {
    for (const args of [[], ['--cluster', 'demo', '--region', 'us-west-2'], ['--cluster', 'demo', '--service-account', 'a/b'], ['--cluster', 'demo', '--region', 'r', '--service-account', 'a/b', '--pod-name', 'a/c'], ['--cluster', 'demo', '--region', 'r', '--service-account', 'a/b', '--trust-policy', 'x.json']]) {
      const r = await live(args);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.deepStrictEqual(r.asked, [], 'nothing was called');
    }
  });
});
