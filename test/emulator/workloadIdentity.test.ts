/**
 * Workload identity end to end in the emulator, through the real clients only: a pod's service account token from the
 * Kubernetes TokenRequest API (@kubernetes/client-node createNamespacedServiceAccountToken, with the audience of the
 * pod's projected volume), STS AssumeRoleWithWebIdentity (@aws-sdk/client-sts, unsigned as the SDK sends it), and the
 * fixes' writes (client-iam CreateOpenIDConnectProvider and UpdateAssumeRolePolicy, client-eks
 * CreatePodIdentityAssociation and CreateAddon, and the restart through the product's gateway: AppsV1Api
 * readNamespacedReplicaSet, the strategic merge patch of a Deployment, deleteNamespacedPod with a uid precondition).
 * The emulator decides with its own
 * code (emulator/webIdentity.ts, trustPolicy.ts); the strongest check is that STS and the product's explanation
 * (src/core/workload) agree on every IRSA pod of the demo.
 */
import * as assert from 'assert';
import { CreateAddonCommand, CreatePodIdentityAssociationCommand, DescribeAddonCommand, DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { AddClientIDToOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { Emulator, startEmulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { signServiceAccountToken } from '../../emulator/workloadTokens';
import { kubeConfigFor, type KubeTarget } from '../../src/core/aws/kubeGateway';
import { explainWorkload } from '../../src/core/workload/explain';
import { SdkWorkloadFixGateway } from '../../src/core/workload/fixGateway';
import { applyWorkloadFix, planWorkloadFixes, podsForRestart } from '../../src/core/workload/fixPlan';
import { gatherWorkload } from '../../src/core/workload/gather';
import { ClientNodeWorkloadKubeGateway, SdkWorkloadEksGateway, SdkWorkloadIamGateway } from '../../src/core/workload/workloadGateway';

const scenario = loadScenarioFile('demo');
const admin = scenario.identities[0];
const creds = { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey };
const ACCOUNT = scenario.accountId;
const NS = 'workload-demo';

describe('workload identity end to end: TokenRequest, STS AssumeRoleWithWebIdentity and the fixes, with the real clients', function () {
  this.timeout(60000);
  let emu: Emulator;
  const targets = new Map<string, KubeTarget & { arn: string; issuer: string }>();

  before(async () => {
    emu = await startEmulator(scenario);
    emu.workload.addonCreateMs = 100;
    for (const name of ['prod-payments', 'legacy-batch']) {
      const { cluster } = await eks().send(new DescribeClusterCommand({ name }));
      targets.set(name, { clusterName: name, region: 'us-east-1', endpoint: cluster!.endpoint!, caData: cluster!.certificateAuthority!.data!, credentials: async () => creds, arn: cluster!.arn!, issuer: cluster!.identity!.oidc!.issuer! });
    }
  });
  after(() => emu.close());

  const eks = () => new EKSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
  const iam = () => new IAMClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: creds, maxAttempts: 1 });
  // No credentials: the SDK sends AssumeRoleWithWebIdentity unsigned.
  const sts = () => new STSClient({ region: 'us-east-1', endpoint: emu.endpoint, maxAttempts: 1, credentials: async () => { throw new Error('AssumeRoleWithWebIdentity must not need credentials'); } });
  const core = async (cluster: string) => (await kubeConfigFor(targets.get(cluster)!)).makeApiClient(CoreV1Api);
  const pods = async (cluster: string, deployment?: string) => (await (await core(cluster)).listNamespacedPod({ namespace: NS, ...(deployment ? { labelSelector: `app=${deployment}` } : {}) })).items;
  const env = (p: V1Pod) => Object.fromEntries((p.spec?.containers[0].env ?? []).map((e) => [e.name, e.value]));
  const audienceOf = (p: V1Pod) => (p.spec?.volumes ?? []).flatMap((v) => v.projected?.sources ?? []).map((s) => s.serviceAccountToken?.audience).find(Boolean);

  /** What the product says about a pod, over the real gateways. */
  async function gathered(cluster: string, pod: V1Pod) {
    const t = targets.get(cluster)!;
    const gw = { eks: new SdkWorkloadEksGateway({ region: 'us-east-1' }, eks()), iam: new SdkWorkloadIamGateway({ region: 'us-east-1' }, iam()), kube: new ClientNodeWorkloadKubeGateway(t) };
    return gatherWorkload(gw, { name: cluster, arn: t.arn, region: 'us-east-1', accountId: ACCOUNT, oidcIssuer: t.issuer }, { pod: { namespace: NS, name: pod.metadata!.name! } });
  }
  const product = async (cluster: string, pod: V1Pod) => explainWorkload(await gathered(cluster, pod));
  /** The product's fix gateway for a cluster, with the test's SDK clients. */
  const fixGateway = (cluster: string) => new SdkWorkloadFixGateway({ region: 'us-east-1' }, targets.get(cluster)!, { eks: eks(), iam: iam() });
  /** The fixes the product offers for the pod, from what it read. */
  const offered = async (cluster: string, pod: V1Pod) => {
    const inputs = await gathered(cluster, pod);
    return planWorkloadFixes(inputs, explainWorkload(inputs));
  };

  /** What the pod's SDK would get: a token for its service account with its volume's audience, exchanged at STS. */
  async function stsAnswer(cluster: string, pod: V1Pod): Promise<{ ok: true; arn: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } } | { ok: false; name: string; message: string }> {
    const request = await (await core(cluster)).createNamespacedServiceAccountToken({ namespace: NS, name: pod.spec!.serviceAccountName!, body: { spec: { audiences: [audienceOf(pod)!], expirationSeconds: 3600 } } });
    try {
      const out = await sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: env(pod).AWS_ROLE_ARN, RoleSessionName: 'botocore-session-1', WebIdentityToken: request.status!.token }));
      return { ok: true, arn: out.AssumedRoleUser!.Arn!, credentials: { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! } };
    } catch (e) {
      return { ok: false, name: (e as Error).name, message: (e as Error).message };
    }
  }

  it('STS and the product agree on every IRSA pod of the demo, and STS answers with AWS\'s errors', async () => {
    const irsaPods = [...(await pods('prod-payments')).map((p) => ['prod-payments', p] as const), ...(await pods('legacy-batch')).map((p) => ['legacy-batch', p] as const)].filter(([, p]) => env(p).AWS_ROLE_ARN);
    assert.ok(irsaPods.length >= 4, `${irsaPods.length} IRSA pods`);
    const seen: Record<string, string> = {};
    for (const [cluster, pod] of irsaPods) {
      const [answer, explained] = [await stsAnswer(cluster, pod), await product(cluster, pod)];
      assert.strictEqual(answer.ok, explained.works, `${pod.metadata!.name}: STS ${JSON.stringify(answer.ok ? 'ok' : answer)}, product ${JSON.stringify(explained.steps.map((s) => [s.id, s.verdict, s.kind]))}`);
      seen[pod.metadata!.labels!.app] = answer.ok ? 'ok' : `${answer.name}: ${answer.message}`;
    }
    assert.deepStrictEqual(seen, {
      'irsa-works': 'ok',
      'irsa-wrong-namespace': 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
      'irsa-aud-mismatch': 'InvalidIdentityTokenException: Incorrect token audience',
      'irsa-no-oidc-provider': `InvalidIdentityTokenException: No OpenIDConnect provider found in your account for ${targets.get('legacy-batch')!.issuer}`,
    });
  });

  it('answers with the subject, the audience and the issuer of the token; only this action is served unsigned, its body bounded', async () => {
    const [pod] = await pods('prod-payments', 'irsa-works');
    const request = await (await core('prod-payments')).createNamespacedServiceAccountToken({ namespace: NS, name: 'irsa-works', body: { spec: { audiences: ['sts.amazonaws.com'] } } });
    const out = await sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: env(pod).AWS_ROLE_ARN, RoleSessionName: 'app', WebIdentityToken: request.status!.token }));
    assert.deepStrictEqual([out.SubjectFromWebIdentityToken, out.Audience, out.Provider], [`system:serviceaccount:${NS}:irsa-works`, 'sts.amazonaws.com', targets.get('prod-payments')!.issuer]);
    assert.ok(!JSON.stringify(emu.calls).includes(request.status!.token), 'the token, a credential, is not recorded');
    const post = (body: string) => fetch(emu.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const unsigned = await post('Action=GetCallerIdentity&Version=2011-06-15');
    assert.strictEqual(unsigned.status, 403);
    assert.match(await unsigned.text(), /<Code>MissingAuthenticationTokenException<\/Code>/);
    assert.strictEqual((await post(`Action=AssumeRoleWithWebIdentity&WebIdentityToken=${'x'.repeat(70_000)}`)).status, 413);
  });

  it('the credentials STS gives sign requests as the role\'s session', async () => {
    const [pod] = await pods('prod-payments', 'irsa-works');
    const answer = await stsAnswer('prod-payments', pod);
    assert.ok(answer.ok);
    const who = await new STSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials: answer.credentials, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
    assert.strictEqual(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/workload-irsa-works/botocore-session-1`);
  });

  it('TokenRequest signs with the cluster\'s issuer: iss, sub, aud, exp; under 10 minutes is refused', async () => {
    const api = await core('prod-payments');
    const out = await api.createNamespacedServiceAccountToken({ namespace: NS, name: 'irsa-works', body: { spec: { audiences: ['sts.amazonaws.com'], expirationSeconds: 900 } } });
    const claims = JSON.parse(Buffer.from(out.status!.token.split('.')[1], 'base64url').toString('utf8')) as { iss: string; sub: string; aud: string[]; exp: number; iat: number };
    assert.deepStrictEqual([claims.iss, claims.sub, claims.aud, claims.exp - claims.iat], [targets.get('prod-payments')!.issuer, `system:serviceaccount:${NS}:irsa-works`, ['sts.amazonaws.com'], 900]);
    assert.strictEqual(JSON.parse(Buffer.from(out.status!.token.split('.')[0], 'base64url').toString('utf8')).alg, 'RS256');
    await assert.rejects(api.createNamespacedServiceAccountToken({ namespace: NS, name: 'irsa-works', body: { spec: { audiences: ['x'], expirationSeconds: 60 } } }), (e: { code?: number }) => e.code === 422);
    await assert.rejects(api.createNamespacedServiceAccountToken({ namespace: NS, name: 'nobody', body: { spec: { audiences: [] } } }), (e: { code?: number }) => e.code === 404);
  });

  it('refuses an expired token with ExpiredTokenException and a tampered one with InvalidIdentityToken', async () => {
    const issuer = targets.get('prod-payments')!.issuer;
    const sa = { namespace: NS, name: 'irsa-works', uid: 'x' };
    const role = `arn:aws:iam::${ACCOUNT}:role/workload-irsa-works`;
    const expired = signServiceAccountToken(issuer, sa, ['sts.amazonaws.com'], new Date(Date.now() - 7200_000), 3600);
    await assert.rejects(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role, RoleSessionName: 's1', WebIdentityToken: expired })), (e: Error) => e.name === 'ExpiredTokenException' && /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/.test(e.message));
    const good = signServiceAccountToken(issuer, sa, ['sts.amazonaws.com'], new Date(), 3600).split('.');
    const forged = Buffer.from(Buffer.from(good[1], 'base64url').toString('utf8').replace(`${NS}:irsa-works`, `${NS}:irsa-workz`)).toString('base64url');
    await assert.rejects(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: role, RoleSessionName: 's1', WebIdentityToken: `${good[0]}.${forged}.${good[2]}` })), (e: Error) => e.name === 'InvalidIdentityTokenException');
  });

  it('the IRSA fixes work: creating the missing OIDC provider and correcting the trust policy let the pods in, for STS and the product alike', async () => {
    const legacy = targets.get('legacy-batch')!;
    await iam().send(new CreateOpenIDConnectProviderCommand({ Url: legacy.issuer, ClientIDList: ['sts.amazonaws.com'] }));
    await assert.rejects(iam().send(new CreateOpenIDConnectProviderCommand({ Url: legacy.issuer, ClientIDList: ['sts.amazonaws.com'] })), (e: Error) => e.name === 'EntityAlreadyExistsException' && e.message === `Provider with url ${legacy.issuer} already exists.`);
    const [batchPod] = await pods('legacy-batch', 'irsa-no-oidc-provider');
    assert.deepStrictEqual([(await stsAnswer('legacy-batch', batchPod)).ok, (await product('legacy-batch', batchPod)).works], [true, true]);

    const host = targets.get('prod-payments')!.issuer.replace('https://', '');
    const fixed = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${host}:sub`]: `system:serviceaccount:${NS}:irsa-wrong-*` } } }] };
    await iam().send(new UpdateAssumeRolePolicyCommand({ RoleName: 'workload-irsa-wrong-namespace', PolicyDocument: JSON.stringify(fixed) }));
    await assert.rejects(iam().send(new UpdateAssumeRolePolicyCommand({ RoleName: 'workload-irsa-wrong-namespace', PolicyDocument: '{not json' })), (e: Error) => e.name === 'MalformedPolicyDocumentException');
    await assert.rejects(iam().send(new UpdateAssumeRolePolicyCommand({ RoleName: 'no-such-role', PolicyDocument: JSON.stringify(fixed) })), (e: Error) => e.name === 'NoSuchEntityException');
    const [wrongNs] = await pods('prod-payments', 'irsa-wrong-namespace');
    assert.deepStrictEqual([(await stsAnswer('prod-payments', wrongNs)).ok, (await product('prod-payments', wrongNs)).works], [true, true]);
  });

  it('adding the audience as a client ID (AddClientIDToOpenIDConnectProvider, idempotent): STS accepts the token, then judges the trust policy, for STS and the product alike', async () => {
    const [pod] = await pods('prod-payments', 'irsa-aud-mismatch');
    const host = targets.get('prod-payments')!.issuer.replace('https://', '');
    const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
    const [fix] = await offered('prod-payments', pod);
    assert.ok(fix?.kind === 'add-client-id', JSON.stringify(fix));
    assert.deepStrictEqual(fix.request, { providerArn, clientId: 'vault.example.com' });
    for (let i = 0; i < 2; i++) await iam().send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: fix.request.providerArn, ClientID: fix.request.clientId }));
    assert.deepStrictEqual((await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn }))).ClientIDList, ['sts.amazonaws.com', 'vault.example.com'], 'added once');
    await assert.rejects(iam().send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/example.com/none`, ClientID: 'x' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'NoSuchEntityException' && e.$metadata?.httpStatusCode === 404);
    // The audience is accepted now; the demo's trust policy still asks for aud sts.amazonaws.com.
    const accepted = await stsAnswer('prod-payments', pod);
    assert.deepStrictEqual(accepted.ok ? 'ok' : `${accepted.name}: ${accepted.message}`, 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const middle = await product('prod-payments', pod);
    assert.deepStrictEqual([middle.works, middle.steps.find((st) => st.id === 'oidc-provider')?.verdict], [false, 'ok']);
    const [trustFix] = await offered('prod-payments', pod);
    assert.ok(trustFix?.kind === 'update-trust-policy', JSON.stringify(trustFix));
    await iam().send(new UpdateAssumeRolePolicyCommand({ RoleName: trustFix.correction.roleName, PolicyDocument: trustFix.correction.after }));
    assert.deepStrictEqual([(await stsAnswer('prod-payments', pod)).ok, (await product('prod-payments', pod)).works], [true, true]);
  });

  // kubectl rollout restart (kubectl pkg/polymorphichelpers/objectrestarter.go): the Deployment's pod template gets
  // kubectl.kubernetes.io/restartedAt, the Deployment controller makes a ReplicaSet with a new pod-template-hash, and
  // its pods are admitted through the webhook at the time of the patch.
  it('restarting a pod created before its association: the product patches its Deployment, and the new ReplicaSet\'s pod gets Pod Identity from the webhook', async () => {
    const [before] = await pods('prod-payments', 'podid-created-before');
    const inputs = await gathered('prod-payments', before);
    const explanation = explainWorkload(inputs);
    assert.strictEqual(explanation.works, false);
    const oldReplicaSet = before.metadata!.ownerReferences![0].name;
    const rs = await (await kubeConfigFor(targets.get('prod-payments')!)).makeApiClient(AppsV1Api).readNamespacedReplicaSet({ namespace: NS, name: oldReplicaSet });
    assert.deepStrictEqual(rs.metadata!.ownerReferences!.map((o) => [o.kind, o.name, o.controller]), [['Deployment', 'podid-created-before', true]]);
    const gw = fixGateway('prod-payments');
    const fix = planWorkloadFixes(inputs, explanation, await podsForRestart(gw, inputs, explanation)).find((f) => f.kind === 'restart-pods');
    assert.ok(fix?.kind === 'restart-pods', 'a restart is offered');
    assert.deepStrictEqual([fix.plan.workloads, fix.plan.deletes], [[{ kind: 'Deployment', namespace: NS, name: 'podid-created-before' }], []], 'the Deployment is restarted; no pod is deleted');
    const done = await applyWorkloadFix(fix, gw);
    assert.match(done[0], /^restarted Deployment workload-demo\/podid-created-before \(kubectl\.kubernetes\.io\/restartedAt=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
    const [after, ...more] = await pods('prod-payments', 'podid-created-before');
    assert.deepStrictEqual(more, [], 'the old pod is gone');
    const newReplicaSet = after.metadata!.ownerReferences![0].name;
    assert.notStrictEqual(newReplicaSet, oldReplicaSet, 'a new ReplicaSet');
    assert.match(newReplicaSet, /^podid-created-before-[a-z0-9]{10}$/);
    assert.ok(after.metadata!.annotations?.['kubectl.kubernetes.io/restartedAt'], 'the template annotation reaches the pod');
    assert.ok(new Date(after.metadata!.creationTimestamp!).getTime() > new Date(before.metadata!.creationTimestamp!).getTime());
    assert.strictEqual(env(after).AWS_CONTAINER_CREDENTIALS_FULL_URI, 'http://169.254.170.23/v1/credentials');
    assert.strictEqual((await product('prod-payments', after)).works, true);
  });

  it("an association role in another account than the cluster's is refused (iam:PassRole; EKS User Guide pod-id-assign-target-role)", async () => {
    const roleArn = 'arn:aws:iam::444455556666:role/workload-podid-cross-account-target';
    await assert.rejects(
      eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-payments', namespace: NS, serviceAccount: 'other-account-role', roleArn })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'InvalidParameterException' && e.$metadata?.httpStatusCode === 400 && /cluster's account/.test(e.message),
    );
  });

  it('a pod delete whose uid precondition names another pod is refused with 409 Conflict, as the API server refuses it', async () => {
    const [pod] = await pods('prod-payments', 'podid-works');
    const api = await core('prod-payments');
    const stale = '00000000-0000-4000-8000-000000000000';
    await assert.rejects(api.deleteNamespacedPod({ namespace: NS, name: pod.metadata!.name!, body: { preconditions: { uid: stale } } }), (e: { code?: number; body?: unknown }) => {
      const status = JSON.parse(String(e.body)) as { reason: string; message: string };
      assert.deepStrictEqual([e.code, status.reason], [409, 'Conflict']);
      // apiserver storeerr.InterpretDeleteError: NewConflict around the storage layer's precondition StorageError.
      assert.strictEqual(status.message, `Operation cannot be fulfilled on pods "${pod.metadata!.name}": StorageError: invalid object, Code: 4, Key: /registry/pods/${NS}/${pod.metadata!.name}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${stale}, UID in object meta: ${pod.metadata!.uid}`);
      return true;
    });
    assert.deepStrictEqual((await pods('prod-payments', 'podid-works')).map((p) => p.metadata!.uid), [pod.metadata!.uid], 'nothing deleted');
    await fixGateway('prod-payments').deletePod(NS, pod.metadata!.name!, pod.metadata!.uid!);
    assert.notDeepStrictEqual((await pods('prod-payments', 'podid-works')).map((p) => p.metadata!.uid), [pod.metadata!.uid], 'the matching uid deletes it');
  });

  it('a new association reaches only pods created after it; a second one for the same account is ResourceInUseException', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/workload-podid-works`;
    const [pod] = await pods('prod-payments', 'irsa-works');
    const { association } = await eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-payments', namespace: NS, serviceAccount: 'irsa-works', roleArn }));
    assert.match(association!.associationId!, /^a-[a-z0-9]{17}$/);
    assert.ok(association!.createdAt instanceof Date);
    await assert.rejects(eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-payments', namespace: NS, serviceAccount: 'irsa-works', roleArn })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.name === 'ResourceInUseException' && e.$metadata?.httpStatusCode === 409 && e.message === `Association already exists: ${association!.associationId}`);
    const [same] = await pods('prod-payments', 'irsa-works');
    assert.deepStrictEqual([same.metadata!.name, env(same).AWS_CONTAINER_CREDENTIALS_FULL_URI, env(same).AWS_ROLE_ARN], [pod.metadata!.name, undefined, `arn:aws:iam::${ACCOUNT}:role/workload-irsa-works`], 'the running pod keeps IRSA');
    await (await core('prod-payments')).deleteNamespacedPod({ namespace: NS, name: pod.metadata!.name! });
    const [restarted] = await pods('prod-payments', 'irsa-works');
    assert.deepStrictEqual([env(restarted).AWS_CONTAINER_CREDENTIALS_FULL_URI !== undefined, env(restarted).AWS_ROLE_ARN], [true, undefined], 'Pod Identity takes precedence (handler.go buildPodPatchConfig)');
  });

  it('installing the agent add-on: CREATING, then ACTIVE with an agent pod on every node', async () => {
    const created = await eks().send(new CreateAddonCommand({ clusterName: 'legacy-batch', addonName: 'eks-pod-identity-agent' }));
    assert.strictEqual(created.addon!.status, 'CREATING');
    await assert.rejects(eks().send(new CreateAddonCommand({ clusterName: 'legacy-batch', addonName: 'eks-pod-identity-agent' })), (e: Error) => e.name === 'ResourceInUseException');
    const api = await core('legacy-batch');
    assert.strictEqual((await api.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'app.kubernetes.io/name=eks-pod-identity-agent' })).items.length, 0);
    await new Promise((r) => setTimeout(r, 150));
    assert.strictEqual((await eks().send(new DescribeAddonCommand({ clusterName: 'legacy-batch', addonName: 'eks-pod-identity-agent' }))).addon!.status, 'ACTIVE');
    const agents = (await api.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'app.kubernetes.io/name=eks-pod-identity-agent' })).items;
    assert.strictEqual(agents.length, 2);
    assert.ok(agents.every((p) => p.spec!.hostNetwork && p.status!.conditions!.some((c) => c.type === 'Ready' && c.status === 'True')));
  });
});
