// The kubeconfig doctor end to end against the emulator: the demo kubeconfig's contexts, each failing at the step
// its cause belongs to, with the cluster's own answers (SelfSubjectReview, SelfSubjectAccessReview) over HTTPS.
import * as assert from 'assert';
import { execFile } from 'child_process';
import { createHash } from 'crypto';
import { promisify } from 'util';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { startEmulator, Emulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { cliExplainer } from '../../src/cli/doctorCommand';
import { clearCredentialCache } from '../../src/core/aws/clients';
import { ContextReport, diagnoseContext } from '../../src/core/kubeconfig/doctor';
import { nodeDoctorDeps } from '../../src/core/kubeconfig/doctorGateways';
import { readKubeconfig } from '../../src/core/kubeconfig/kubeconfig';
import { updateKubeconfigExec } from '../../src/core/kubeconfig/execPlugin';
import { addContext } from '../../src/core/kubeconfig/addContext';
import { rewriteCluster, rewriteExec } from '../../src/core/kubeconfig/rewriteExec';
import { getEksToken } from '../../src/core/aws/token';
import { AuthenticationV1Api, AuthorizationV1Api, CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { awsPluginOrSkip } from './awsPlugin';

const scenario = loadScenarioFile('demo');
const [admin, dev] = scenario.identities;
/** The model reads the cluster's access configuration as the admin profile, as `--explain-profile demo-admin` would. */
const cliExplainDenied = () => cliExplainer(['demo-admin']);

describe('kubeconfig doctor against the emulator', function () {
  this.timeout(60000);
  let emu: Emulator;
  let dir: string;
  let aws: string;
  const saved: Record<string, string | undefined> = {};
  // The editor's environment: the Debian awscli first on PATH (`aws` in kubeconfigs written by update-kubeconfig).
  const env = () => ({ ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` });

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-doctor-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    // The doctor runs the plugin as kubectl would: the real awscli (Debian's), pointed at the emulator.
    aws = awsPluginOrSkip(this, path.join(dir, 'bin'));
    emu = await startEmulator(scenario);
    fs.writeFileSync(path.join(dir, 'config'), '[profile demo-admin]\nregion = us-east-1\n\n[profile demo-dev]\nregion = us-east-1\n\n[profile demo-sso]\nsso_session = eks-auth-demo-never-logged-in\nsso_account_id = 111122223333\nsso_role_name = Developers\nregion = us-east-1\n\n[sso-session eks-auth-demo-never-logged-in]\nsso_start_url = https://demo.awsapps.com/start\nsso_region = us-east-1\n');
    fs.writeFileSync(path.join(dir, 'credentials'), `[demo-admin]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n\n[demo-dev]\naws_access_key_id = ${dev.accessKeyId}\naws_secret_access_key = ${dev.secretAccessKey}\n`);
    for (const k of ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_REGION', 'EKS_AUTH_TEST_ENDPOINT', 'AWS_EC2_METADATA_DISABLED']) saved[k] = process.env[k];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    process.env.AWS_ENDPOINT_URL = emu.endpoint;
    process.env.EKS_AUTH_TEST_ENDPOINT = emu.endpoint;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_REGION']) delete process.env[k];
    clearCredentialCache();
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await emu?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function diagnoseAll(text?: string): Promise<Map<string, ContextReport>> {
    const config = readKubeconfig([{ path: path.join(dir, 'kubeconfig'), text: text ?? (await emu.kubeconfig(aws)) }]);
    const deps = nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() });
    const reports = await Promise.all(config.contexts.map((c) => diagnoseContext(c, deps)));
    return new Map(reports.map((r) => [r.context, r]));
  }
  const failing = (r: ContextReport) => r.steps.find((s) => s.status === 'fail');

  it('passes the working context with the identity STS gives for the plugin\'s token and the groups the API server reports', async () => {
    const r = (await diagnoseAll()).get('prod-payments-admin')!;
    assert.strictEqual(r.verdict, 'ok', JSON.stringify(r.steps, null, 1));
    assert.strictEqual(r.identityArn, admin.arn);
    assert.ok(r.groups?.includes('system:authenticated'), 'the groups are the cluster\'s answer, not the model\'s');
    assert.deepStrictEqual(r.steps.map((s) => s.status), ['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
  });

  it('puts each failure at its step, with its fix', async () => {
    const reports = await diagnoseAll();
    const expectations: [string, string, RegExp, string?][] = [
      ['prod-payments-data-scientist', 'mapping', /401 Unauthorized/, 'openAwsAuth'],
      ['prod-payments-v1alpha1', 'exec', /exec plugin: invalid apiVersion "client\.authentication\.k8s\.io\/v1alpha1"/, 'rewriteExec'],
      ['prod-payments-recreated', 'request', /EKS DescribeCluster says the endpoint of prod-payments is .*: the kubeconfig is stale/, 'repairCluster'],
      ['prod-payments-no-aws-cli', 'exec', /exec: executable \/opt\/aws-cli-v1\/bin\/aws not found/, undefined],
      ['prod-payments-sso-expired', 'exec', /^prediction: No IAM Identity Center session is cached/, 'ssoLogin'],
    ];
    for (const [name, step, evidence, fix] of expectations) {
      const r = reports.get(name)!;
      assert.strictEqual(r.verdict, 'fail', name);
      const failed = failing(r)!;
      assert.strictEqual(failed.id, step, `${name}: ${JSON.stringify(r.steps, null, 1)}`);
      assert.ok(failed.evidence.some((e) => evidence.test(e)), `${name}: ${failed.evidence.join(' | ')}`);
      if (fix) assert.ok(failed.fixes.some((f) => f.kind === fix), `${name}: fixes ${failed.fixes.map((f) => f.kind).join(', ')}`);
      const later = r.steps.slice(r.steps.indexOf(failed) + 1);
      assert.ok(later.every((s) => s.status === 'skip' || s.status === 'pass'), `${name}: nothing after the failing step fails`);
    }
    const scientist = reports.get('prod-payments-data-scientist')!;
    assert.strictEqual(scientist.identityArn, 'arn:aws:sts::111122223333:assumed-role/DataScientist/EKSGetTokenAuth', 'awscli assumed --role with its own session name');
    // An exec --region other than the cluster's works: the authenticator accepts any STS region of the partition.
    assert.strictEqual(reports.get('staging-web-wrong-region')!.verdict, 'ok', JSON.stringify(reports.get('staging-web-wrong-region')!.steps, null, 1));
    assert.ok(failing(scientist)!.evidence.some((e) => /session ARN/.test(e)), 'the model names the near miss: aws-auth maps one session ARN');
  });

  it('ends with the cluster\'s 403 when the identity authenticates but no grant covers the request', async () => {
    const config = readKubeconfig([{ path: 'k', text: await emu.kubeconfig(aws) }]);
    const deps = nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() });
    const auditor = config.contexts.find((c) => c.name === 'platform-api-auditor')!;
    const reading = await diagnoseContext(auditor, deps);
    assert.strictEqual(reading.verdict, 'ok', 'AmazonEKSAdminViewPolicy at cluster scope lists pods anywhere');
    const deleting = await diagnoseContext(auditor, deps, { verb: 'delete', resource: 'pods' });
    assert.strictEqual(deleting.verdict, 'fail');
    const rbac = failing(deleting)!;
    assert.strictEqual(rbac.id, 'rbac');
    assert.ok(rbac.evidence.some((e) => /The cluster says no to delete pods in namespace payments/.test(e)), rbac.evidence.join(' | '));
    assert.ok(rbac.evidence.some((e) => /AmazonEKSAdminViewPolicy \(cluster-wide\)/.test(e)), `the policies the model knows are shown: ${rbac.evidence.join(' | ')}`);
    assert.match(deleting.username ?? '', /Auditor/);
    assert.ok(rbac.evidence.some((e) => /^the cluster says this identity may, in payments: .*get,list,watch \*/.test(e)), `SelfSubjectRulesReview: ${rbac.evidence.join(' | ')}`);
  });

  it('falls back to the model on a cluster before Kubernetes 1.28, which has no SelfSubjectReview', async () => {
    const config = readKubeconfig([{ path: 'k', text: await emu.kubeconfig(aws) }]);
    const admin = config.contexts.find((c) => c.name === 'prod-payments-admin')!;
    const legacy = emu.state.clusters.find((c) => c.name === 'legacy-batch')!;
    assert.strictEqual(legacy.version, '1.27');
    await emu.kubeconfig(aws);
    const ctx = { ...admin, name: 'legacy', cluster: { ...admin.cluster!, server: legacy.kube!.endpoint, caData: legacy.kube!.caData }, user: { ...admin.user!, exec: { ...admin.user!.exec!, args: ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-name', 'legacy-batch'] } } };
    const r = await diagnoseContext(ctx, nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() }));
    const mapping = r.steps.find((s) => s.id === 'mapping')!;
    assert.strictEqual(mapping.status, 'warn', JSON.stringify(r.steps, null, 1));
    assert.ok(emu.calls.some((c) => c.operation === 'legacy-batch POST /apis/authentication.k8s.io/v1/selfsubjectreviews'));
    assert.strictEqual(r.steps.find((s) => s.id === 'rbac')!.status, 'pass', 'the creator is admin through the hidden system:masters');
  });

  it('turns the v1alpha1 context green with its exec-block fix, keeping every other byte', async () => {
    const text = await emu.kubeconfig(aws);
    const before = (await diagnoseAll(text)).get('prod-payments-v1alpha1')!;
    const fix = failing(before)!.fixes.find((f) => f.kind === 'rewriteExec')!;
    assert.ok(fix && fix.kind === 'rewriteExec');
    const rewritten = rewriteExec(text, fix.user, fix.exec);
    assert.ok(rewritten.ok);
    const after = (await diagnoseAll(rewritten.text)).get('prod-payments-v1alpha1')!;
    assert.strictEqual(after.verdict, 'ok', JSON.stringify(after.steps, null, 1));
    const removed = text.split('\n').filter((l) => !rewritten.text.split('\n').includes(l));
    assert.deepStrictEqual(removed.map((l) => l.trim()), ['apiVersion: client.authentication.k8s.io/v1alpha1'], 'only the apiVersion line changed');
  });

  it('repairs the re-created cluster\'s entry in place with EKS\'s endpoint and CA, and the context passes', async () => {
    const text = await emu.kubeconfig(aws);
    const before = (await diagnoseAll(text)).get('prod-payments-recreated')!;
    const fix = failing(before)!.fixes.find((f) => f.kind === 'repairCluster');
    assert.ok(fix && fix.kind === 'repairCluster', failing(before)!.fixes.map((f) => f.kind).join(', '));
    const repaired = rewriteCluster(text, fix.cluster, fix.server, fix.caData);
    assert.ok(repaired.ok);
    const after = (await diagnoseAll(repaired.text)).get('prod-payments-recreated')!;
    assert.strictEqual(after.verdict, 'ok', JSON.stringify(after.steps, null, 1));
    const removed = text.split('\n').filter((l) => !repaired.text.split('\n').includes(l));
    assert.deepStrictEqual(removed.map((l) => l.trim()), ['server: https://127.0.0.1:1'], 'only the server line changed (the CA was already the cluster\'s)');
  });

  it('ends a server that accepts and never answers in the step\'s time limit, and tells it from a refused connection', async () => {
    // A black hole: TCP accepted, no TLS handshake, no answer (a firewall that drops, a private endpoint half-reached).
    const sockets: net.Socket[] = [];
    const hole = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
    try {
      const text = await emu.kubeconfig(aws);
      const base = readKubeconfig([{ path: path.join(dir, 'kubeconfig'), text }]).contexts.find((c) => c.name === 'prod-payments-admin')!;
      const ctx = { ...base, cluster: { ...base.cluster!, server: `https://127.0.0.1:${(hole.address() as net.AddressInfo).port}` } };
      const started = Date.now();
      const r = await diagnoseContext(ctx, nodeDoctorDeps({ env: env(), explainDenied: async () => undefined }), undefined, { stepTimeoutMs: 1500 });
      assert.ok(Date.now() - started < 20000, `${Date.now() - started} ms`);
      assert.strictEqual(failing(r)?.id, 'request', JSON.stringify(r.steps, null, 1));
      assert.match(r.steps[0].evidence.join(' | '), /no answer before the time limit/);
      // Here the server is not the cluster's: only EKS's word (DescribeCluster's endpoint) makes the kubeconfig "stale".
      assert.ok(r.steps[0].evidence.some((e) => /EKS DescribeCluster says the endpoint of prod-payments is .*stale/.test(e)), r.steps[0].evidence.join(' | '));
      const refused = await diagnoseContext({ ...ctx, cluster: { ...ctx.cluster, server: 'https://127.0.0.1:1' } }, nodeDoctorDeps({ env: env(), explainDenied: async () => undefined }), undefined, { stepTimeoutMs: 1500 });
      assert.match(refused.steps[0].evidence.join(' | '), /the connection was refused/);
    } finally {
      for (const s of sockets) s.destroy();
      hole.close();
    }
  });

  describe('IAM Identity Center sessions, read from the SSO cache as the SDK reads it', () => {
    let home: string | undefined;
    const cache = (session: string, body: object) => {
      // awscli keeps the role credentials it got through the portal in ~/.aws/cli/cache and uses them until they
      // expire, whatever the SSO token's state (kubectl keeps working meanwhile): each case starts without them.
      fs.rmSync(path.join(dir, 'home', '.aws', 'cli', 'cache'), { recursive: true, force: true });
      const folder = path.join(dir, 'home', '.aws', 'sso', 'cache');
      fs.mkdirSync(folder, { recursive: true });
      // The SDK's cache file name: the SHA-1 of the sso-session name (@smithy/shared-ini-file-loader getSSOTokenFilepath).
      fs.writeFileSync(path.join(folder, `${createHash('sha1').update(session).digest('hex')}.json`), JSON.stringify(body));
    };
    before(() => {
      home = process.env.HOME;
      process.env.HOME = path.join(dir, 'home');
      fs.appendFileSync(path.join(dir, 'config'), '\n[profile demo-sso-live]\nsso_session = live\nsso_account_id = 111122223333\nsso_role_name = Developers\nregion = us-east-1\n\n[sso-session live]\nsso_start_url = https://demo.awsapps.com/start\nsso_region = us-east-1\n');
    });
    after(() => {
      process.env.HOME = home;
    });
    const ssoContext = async () => {
      const text = (await emu.kubeconfig(aws)).replace('value: demo-sso\n', 'value: demo-sso-live\n');
      return readKubeconfig([{ path: 'k', text }]).contexts.find((c) => c.name === 'prod-payments-sso-expired')!;
    };

    it('signs in through the portal with a live session ("expires in 12 min"), then meets the SSO role path near miss', async () => {
      cache('live', { accessToken: 'demo-sso-access-token', expiresAt: new Date(Date.now() + 12 * 60_000 + 20_000).toISOString(), region: 'us-east-1', startUrl: 'https://demo.awsapps.com/start' });
      const r = await diagnoseContext(await ssoContext(), nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() }));
      assert.strictEqual(r.steps[1].status, 'pass', r.steps[1].evidence.join(' | '));
      assert.ok(emu.calls.some((c) => c.service === 'sso' && c.params.role_name === 'Developers' && c.params.account_id === '111122223333'));
      assert.strictEqual(r.identityArn, 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developers_0123456789abcdef/demo-user');
      // aws-auth maps the SSO role with its path; the authenticator compares the role ARN without it, so EKS says 401.
      const mapping = r.steps.find((s) => s.id === 'mapping')!;
      assert.strictEqual(mapping.status, 'fail');
      assert.ok(mapping.evidence.some((e) => /path/.test(e)), `the model explains it with another profile that can read aws-auth: ${mapping.evidence.join(' | ')}`);
    });

    it('fails an expired session with "expired 3 h ago" and aws sso login, before any call', async () => {
      cache('live', { accessToken: 'demo-sso-access-token', expiresAt: new Date(Date.now() - 3 * 3600_000).toISOString(), region: 'us-east-1', startUrl: 'https://demo.awsapps.com/start' });
      emu.calls.length = 0;
      const r = await diagnoseContext(await ssoContext(), nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() }));
      const exec = r.steps.find((s) => s.id === 'exec')!;
      assert.strictEqual(exec.status, 'fail');
      assert.ok(exec.evidence.includes('prediction: IAM Identity Center session expired 3 h ago'), exec.evidence.join(' | '));
      assert.deepStrictEqual(exec.fixes.map((f) => f.kind), ['ssoLogin']);
      assert.ok(!emu.calls.some((c) => c.service === 'sso'));
    });

    it('reports the portal refusing a token it does not know, as the SDK words it', async () => {
      cache('live', { accessToken: 'revoked-token', expiresAt: new Date(Date.now() + 3600_000).toISOString(), region: 'us-east-1', startUrl: 'https://demo.awsapps.com/start' });
      const r = await diagnoseContext(await ssoContext(), nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() }));
      const exec = r.steps.find((s) => s.id === 'exec')!;
      assert.strictEqual(exec.status, 'fail');
      // awscli's own words for the portal's UnauthorizedException, then the SDK's in the prediction.
      assert.ok(exec.evidence.some((e) => /^plugin stderr: The SSO session associated with this profile has expired or is otherwise invalid/.test(e)), exec.evidence.join(' | '));
      assert.ok(exec.evidence.some((e) => /^prediction: .*could not be loaded: .*Session token not found or invalid/.test(e)), exec.evidence.join(' | '));
      assert.deepStrictEqual(exec.fixes.map((f) => f.kind), ['ssoLogin']);
    });
  });

  describe('held to awscli (Debian package)', () => {
    const AWS = '/usr/bin/aws';
    before(function () {
      if (!fs.existsSync(AWS)) {
        if (process.env.CI) throw new Error('awscli must be installed (scripts/setup-test-host.sh)');
        this.skip();
      }
    });
    const awsEnv = () => ({ ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' });
    // Asynchronously: the emulator answers awscli from this same process.
    const run = async (args: string[], env = awsEnv()) => (await promisify(execFile)(AWS, args, { env, encoding: 'utf8' })).stdout;

    it('writes with aws eks update-kubeconfig the exec block the doctor\'s fixes write, and the doctor passes it', async () => {
      const file = path.join(dir, 'from-awscli');
      await run(['eks', 'update-kubeconfig', '--name', 'prod-payments', '--region', 'us-east-1', '--profile', 'demo-admin', '--kubeconfig', file, '--endpoint-url', emu.endpoint]);
      const [ctx] = readKubeconfig([{ path: file, text: fs.readFileSync(file, 'utf8') }]).contexts;
      assert.deepStrictEqual(ctx.user?.exec, updateKubeconfigExec({ name: 'prod-payments', region: 'us-east-1' }, 'demo-admin'));
      const cluster = emu.state.clusters.find((c) => c.name === 'prod-payments')!;
      assert.strictEqual(ctx.cluster?.server, cluster.kube?.endpoint);
      const report = await diagnoseContext(ctx, nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() }));
      assert.strictEqual(report.verdict, 'ok', JSON.stringify(report.steps, null, 1));
    });

    it('adds to an existing kubeconfig the same cluster, user and context that aws eks update-kubeconfig adds', async () => {
      const existing = 'apiVersion: v1\nkind: Config\nclusters:\n- name: old\n  cluster:\n    server: https://old.example\nusers:\n- name: old\n  user:\n    token: x\ncontexts:\n- name: old\n  context:\n    cluster: old\n    user: old\ncurrent-context: old\npreferences: {}\n';
      const file = path.join(dir, 'existing-for-awscli');
      fs.writeFileSync(file, existing);
      await run(['eks', 'update-kubeconfig', '--name', 'platform-api', '--region', 'eu-west-1', '--profile', 'demo-admin', '--kubeconfig', file, '--endpoint-url', emu.endpoint]);
      const theirs = readKubeconfig([{ path: file, text: fs.readFileSync(file, 'utf8') }]);
      const cluster = emu.state.clusters.find((c) => c.name === 'platform-api')!;
      const ours = addContext(existing, { name: 'arn:aws:eks:eu-west-1:111122223333:cluster/platform-api', server: cluster.kube!.endpoint, caData: cluster.kube!.caData, exec: updateKubeconfigExec({ name: 'platform-api', region: 'eu-west-1' }, 'demo-admin') });
      assert.ok(ours.ok);
      const mine = readKubeconfig([{ path: file, text: ours.text }]);
      const view = (k: typeof mine) => k.contexts.map((c) => ({ name: c.name, current: c.current, cluster: c.cluster && { name: c.cluster.name, server: c.cluster.server, caData: c.cluster.caData }, user: c.user && { name: c.user.name, exec: c.user.exec, token: c.user.hasStaticCredentials } })).sort((a, b) => a.name.localeCompare(b.name));
      assert.deepStrictEqual(view(mine), view(theirs));
    });

    it('gets from the real exec plugin a token the cluster maps to the identity the doctor reports', async () => {
      const file = path.join(dir, 'from-awscli-dev');
      await run(['eks', 'update-kubeconfig', '--name', 'prod-payments', '--region', 'us-east-1', '--profile', 'demo-dev', '--kubeconfig', file, '--endpoint-url', emu.endpoint]);
      const [ctx] = readKubeconfig([{ path: file, text: fs.readFileSync(file, 'utf8') }]).contexts;
      const exec = ctx.user!.exec!;
      // As kubectl runs it: the editor's environment plus the exec block's env.
      const credential = JSON.parse(await run(exec.args, { ...awsEnv(), ...Object.fromEntries(exec.env.map((e) => [e.name, e.value])) })) as { apiVersion: string; status: { token: string } };
      assert.strictEqual(credential.apiVersion, exec.apiVersion, 'get-token answers in the apiVersion the kubeconfig asks for');
      const kc = new KubeConfig();
      kc.loadFromOptions({ clusters: [{ name: 'c', server: ctx.cluster!.server, caData: ctx.cluster!.caData }], users: [{ name: 'u', token: credential.status.token }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
      const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
      const report = await diagnoseContext(ctx, nodeDoctorDeps({ env: env(), explainDenied: cliExplainDenied() }));
      assert.strictEqual(report.username, review.status?.userInfo?.username);
      assert.deepStrictEqual(report.groups, review.status?.userInfo?.groups);
      assert.strictEqual(report.identityArn, dev.arn);
    });
  });

  describe('the Kubernetes API authenticates and authorises as EKS does', () => {
    const client = async (identity: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, cluster = 'prod-payments') => {
      const c = emu.state.clusters.find((x) => x.name === cluster)!;
      const kc = new KubeConfig();
      const config = readKubeconfig([{ path: 'k', text: await emu.kubeconfig(aws) }]).contexts.find((x) => x.name === 'prod-payments-admin')!;
      kc.loadFromOptions({ clusters: [{ name: 'c', server: config.cluster!.server, caData: config.cluster!.caData }], users: [{ name: 'u', token: await getEksToken(c.name, c.region, identity) }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
      return kc;
    };

    it('answers SelfSubjectReview with the mapped username and groups (an access entry with a policy, aws-auth for groups)', async () => {
      const kc = await client(dev);
      const review = await kc.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
      assert.deepStrictEqual(review.status?.userInfo?.groups, ['developers', 'system:authenticated']);
      assert.match(review.status?.userInfo?.username ?? '', /Developer/);
    });

    it('answers 401 for a principal nothing maps, and 403 with the Status message for a request no grant covers', async () => {
      emu.state.identities.push({ accessKeyId: 'AKIAUNMAPPED00000001', secretAccessKey: 'x', arn: 'arn:aws:iam::111122223333:user/nobody', userId: 'AIDAUNMAPPED00000001' });
      const unmapped = await client({ accessKeyId: 'AKIAUNMAPPED00000001', secretAccessKey: 'x' });
      await assert.rejects(unmapped.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } }), (e: { code?: number }) => e.code === 401);
      const developer = await client(dev);
      // The developers group is bound to edit cluster-wide, which reads ConfigMaps everywhere but no RBAC objects.
      await developer.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'aws-auth', namespace: 'kube-system' });
      await assert.rejects(developer.makeApiClient(RbacAuthorizationV1Api).listClusterRoleBinding(), (e: { code?: number; body?: unknown }) => e.code === 403 && /cannot list resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope/.test((JSON.parse(String(e.body)) as { message: string }).message));
    });

    it('authenticates with go-yaml and the Go mapper, not the product model: a section go-yaml refuses is a 401, node sessions get their instance DNS name', async () => {
      const tabby = { accessKeyId: 'ASIATABBY00000000001', secretAccessKey: 't', sessionToken: 'tok', arn: 'arn:aws:sts::111122223333:assumed-role/Tabby/i-0123456789abcdef0', userId: 'AROATABBY00000000001:i-0123456789abcdef0' };
      emu.state.identities.push(tabby);
      const cluster = emu.state.clusters.find((c) => c.name === 'prod-payments')!;
      const saved = cluster.awsAuth!.data.mapRoles;
      const review = async () => (await client(tabby)).makeApiClient(AuthenticationV1Api).createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
      try {
        // A tab before a key: go-yaml's scanner refuses it ("found a tab character that violates indentation").
        cluster.awsAuth!.data.mapRoles = `${saved}- rolearn: arn:aws:iam::111122223333:role/Tabby\n\t username: x\n`;
        await assert.rejects(review(), (e: { code?: number }) => e.code === 401);
        cluster.awsAuth!.data.mapRoles = `${saved}- rolearn: arn:aws:iam::111122223333:role/Tabby\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:bootstrappers, system:nodes]\n`;
        const seen = await review();
        assert.match(seen.status?.userInfo?.username ?? '', /^system:node:ip-[0-9-]+\.[a-z0-9-]+\.compute\.internal$/);
      } finally {
        cluster.awsAuth!.data.mapRoles = saved;
      }
    });

    it('scopes an access policy to its namespaces in SelfSubjectAccessReview', async () => {
      const viewer = { accessKeyId: 'ASIAVIEWER0000000001', secretAccessKey: 'v', sessionToken: 'tok', arn: 'arn:aws:sts::111122223333:assumed-role/Viewer/s', userId: 'AROAVIEWER0000000001:s' };
      emu.state.identities.push(viewer);
      const cluster = emu.state.clusters.find((c) => c.name === 'prod-payments')!;
      cluster.accessEntries.set('arn:aws:iam::111122223333:role/Viewer', { principalArn: 'arn:aws:iam::111122223333:role/Viewer', type: 'STANDARD', username: 'viewer', kubernetesGroups: [], createdAt: 0, modifiedAt: 0, tags: {}, policies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace', namespaces: ['payments'] }, associatedAt: 0, modifiedAt: 0 }] });
      const authz = (await client(viewer)).makeApiClient(AuthorizationV1Api);
      const can = async (verb: string, resource: string, namespace?: string) => (await authz.createSelfSubjectAccessReview({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, resource, namespace } } } })).status?.allowed;
      assert.strictEqual(await can('list', 'pods', 'payments'), true, 'AmazonEKSViewPolicy in payments');
      assert.strictEqual(await can('delete', 'pods', 'payments'), false, 'view does not delete');
      assert.strictEqual(await can('list', 'pods', 'default'), false, 'not outside its namespaces');
      assert.strictEqual(await can('list', 'nodes'), false, 'never cluster-scoped resources');
      assert.strictEqual(await can('list', 'secrets', 'payments'), false, 'view does not read secrets');
    });
  });
});
