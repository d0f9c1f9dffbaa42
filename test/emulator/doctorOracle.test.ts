// The kubeconfig doctor held to kubectl: for each kubeconfig shape that real tools write, kubectl's own answer
// (`kubectl auth whoami -o json`, `kubectl auth can-i`) against the emulator is the oracle, and the doctor must give
// the same verdict, username and groups, and, where whoami works, the same yes or no to listing pods in default
// (`kubectl auth can-i list pods -n default` against the doctor's rbac step). Each shape names its source: written by Debian's awscli v2
// (`aws eks update-kubeconfig`), or hand-written in the shape a tool's documentation shows (eksctl, aws-vault,
// granted, saml2aws). `expect` is what kubectl 1.32 answered on this machine; it also stands in for kubectl, and says
// so, where kubectl is missing. docs/kubeconfig-doctor.md carries the same table.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, EKSClient } from '@aws-sdk/client-eks';
import { startEmulator, Emulator } from '../../emulator/server';
import { loadScenarioFile } from '../../emulator/state';
import { cliExplainer } from '../../src/cli/doctorCommand';
import { clearCredentialCache } from '../../src/core/aws/clients';
import { ContextReport, diagnoseContext } from '../../src/core/kubeconfig/doctor';
import { nodeDoctorDeps } from '../../src/core/kubeconfig/doctorGateways';
import { doctorMarkdown, doctorText, publicReports } from '../../src/core/kubeconfig/doctorReport';
import { readKubeconfig } from '../../src/core/kubeconfig/kubeconfig';
import { awsPluginOrSkip } from './awsPlugin';

const scenario = loadScenarioFile('demo');
const [admin, dev] = scenario.identities;
const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((k) => fs.existsSync(k));
const run = promisify(execFile);

/** kubectl's verdict: whether `auth whoami` works, with whom, and `auth can-i list pods`. */
interface Answer {
  works: boolean;
  username?: string;
  groups?: string[];
  canListPods?: boolean;
  /** What kubectl auth can-i printed when it gave neither yes nor no. */
  canIError?: string;
}

/** The doctor's answer to "may list pods in default": its rbac step passes (yes) or fails (no); otherwise none. */
function doctorCanList(report: ContextReport): boolean | undefined {
  const rbac = report.steps.find((s) => s.id === 'rbac')?.status;
  return rbac === 'pass' ? true : rbac === 'fail' ? false : undefined;
}

interface Shape {
  name: string;
  source: string;
  /** The kubeconfig text, from the emulator's clusters (endpoint, CA) and the test's directory. */
  kubeconfig(): Promise<string>;
  /** kubectl 1.32's answer on this machine (`auth can-i list pods -n default` where whoami works), and the step the doctor names when it fails. */
  expect: { works: boolean; username?: RegExp; step?: string; canListPods?: boolean };
}

describe('kubeconfig doctor held to kubectl, shape by shape', function () {
  this.timeout(300000);
  let emu: Emulator;
  let dir: string;
  let aws: string;
  const saved: Record<string, string | undefined> = {};
  const results: { shape: Shape; kubectl?: Answer; doctor: ContextReport }[] = [];

  const env = (): Record<string, string | undefined> => ({ ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` });
  const cluster = (name: string) => {
    const c = emu.state.clusters.find((x) => x.name === name)!;
    return { endpoint: c.kube!.endpoint, caData: c.kube!.caData, region: c.region, arn: `arn:aws:eks:${c.region}:111122223333:cluster/${name}` };
  };
  /** One context named `shape`, with the cluster fields and user given. */
  const one = (clusterFields: Record<string, unknown>, user: Record<string, unknown>) =>
    JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: clusterFields }], users: [{ name: 'u', user }], contexts: [{ name: 'shape', context: { cluster: 'c', user: 'u' } }], 'current-context': 'shape' });
  const getToken = (clusterName: string, extra: string[] = [], envs: { name: string; value: string }[] = [{ name: 'AWS_PROFILE', value: 'demo-admin' }]) => ({
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-name', clusterName, ...extra], env: envs },
  });
  const updateKubeconfig = async (file: string, args: string[]) => {
    await run(path.join(dir, 'bin', 'aws'), ['eks', 'update-kubeconfig', '--kubeconfig', file, '--endpoint-url', emu.endpoint, ...args], { env: { ...env(), AWS_PAGER: '' } as NodeJS.ProcessEnv });
    return fs.readFileSync(file, 'utf8');
  };

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eks-auth-oracle-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    aws = awsPluginOrSkip(this, path.join(dir, 'bin'));
    emu = await startEmulator(scenario);
    // Starts every cluster's API server (they start on first use).
    await emu.kubeconfig(aws);
    // An access entry whose only policy is scoped to another namespace: whoami works, can-i list pods -n default says no.
    const eks = new EKSClient({ region: 'eu-west-1', endpoint: emu.endpoint, credentials: admin, maxAttempts: 1 });
    await eks.send(new CreateAccessEntryCommand({ clusterName: 'platform-api', principalArn: 'arn:aws:iam::111122223333:role/DataScientist' }));
    await eks.send(new AssociateAccessPolicyCommand({ clusterName: 'platform-api', principalArn: 'arn:aws:iam::111122223333:role/DataScientist', policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace', namespaces: ['analytics'] } }));
    // saml2aws writes session credentials of the role it signed in to; the emulator knows them, nothing maps the role.
    emu.state.identities.push({ accessKeyId: 'ASIASAML2AWS00000001', secretAccessKey: 'saml-secret', sessionToken: 'saml-session-token', arn: 'arn:aws:sts::111122223333:assumed-role/SAMLDeveloper/jane@example.com', userId: 'AROASAML2AWS00000001:jane@example.com' });
    // granted (docs: "credential_process = granted credential-process --profile NAME") stands here as a process that prints the keys.
    const granted = path.join(dir, 'bin', 'granted');
    fs.writeFileSync(granted, `#!/bin/sh\necho '{"Version": 1, "AccessKeyId": "${dev.accessKeyId}", "SecretAccessKey": "${dev.secretAccessKey}"}'\n`, { mode: 0o755 });
    fs.writeFileSync(
      path.join(dir, 'config'),
      [
        '[profile demo-admin]\nregion = us-east-1\n',
        '[profile demo-dev]\nregion = us-east-1\n',
        '[profile demo-noregion]\n',
        `[profile granted-dev]\ncredential_process = ${granted} credential-process --profile demo-dev\nregion = us-east-1\n`,
        '[profile saml]\nregion = us-east-1\n',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      `[demo-admin]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n\n[demo-dev]\naws_access_key_id = ${dev.accessKeyId}\naws_secret_access_key = ${dev.secretAccessKey}\n\n[demo-noregion]\naws_access_key_id = ${admin.accessKeyId}\naws_secret_access_key = ${admin.secretAccessKey}\n\n` +
        // The saml2aws credentials file entry (saml2aws docs: aws_session_token and x_security_token_expires).
        `[saml]\naws_access_key_id = ASIASAML2AWS00000001\naws_secret_access_key = saml-secret\naws_session_token = saml-session-token\nx_security_token_expires = ${new Date(Date.now() + 3600_000).toISOString()}\n`,
    );
    const set = { AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_ENDPOINT_URL: emu.endpoint, EKS_AUTH_TEST_ENDPOINT: emu.endpoint, AWS_EC2_METADATA_DISABLED: 'true', HOME: path.join(dir, 'home') };
    for (const k of [...Object.keys(set), 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'KUBECONFIG']) saved[k] = process.env[k];
    Object.assign(process.env, set);
    for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'KUBECONFIG']) delete process.env[k];
    clearCredentialCache();
    if (!KUBECTL) console.log('      kubectl not found: the oracle is skipped; the doctor is held to the answers kubectl 1.32 gave when this table was made');
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await emu?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (results.length) {
      const yesNo = (can: boolean | undefined) => (can === undefined ? '(no answer)' : can ? 'yes' : 'no');
      console.log('      shape | kubectl auth whoami | kubectl auth can-i list pods -n default | doctor | doctor: may list pods');
      for (const r of results) {
        const kubectl = r.kubectl ? (r.kubectl.works ? `works as ${r.kubectl.username} | ${yesNo(r.kubectl.canListPods)}` : 'fails | -') : '(no kubectl) | (no kubectl)';
        console.log(`      ${r.shape.name} | ${kubectl} | ${r.doctor.verdict}${r.doctor.username ? ` as ${r.doctor.username}` : ''}${r.doctor.verdict === 'fail' ? ` at ${r.doctor.steps.find((s) => s.status === 'fail')?.id}` : ''} | ${doctorCanList(r.doctor) === undefined ? '-' : yesNo(doctorCanList(r.doctor))}`);
      }
    }
  });

  async function kubectl(file: string): Promise<Answer> {
    const opts = { env: { ...env(), KUBECONFIG: file } as NodeJS.ProcessEnv, timeout: 60000 };
    try {
      const who = JSON.parse((await run(KUBECTL!, ['--context', 'shape', 'auth', 'whoami', '-o', 'json'], opts)).stdout) as { status: { userInfo: { username: string; groups: string[] } } };
      // "yes" exits 0, "no" exits 1; anything else is an error, not an answer. kubectl on this machine dispatches to
      // the server's minor version: before it asks, it reads discovery to map `pods`, and from 1.32 it sends the
      // SelfSubjectAccessReview as protobuf (emulator/kubeDiscovery.ts, emulator/kubeProtobuf.ts).
      const can = await run(KUBECTL!, ['--context', 'shape', 'auth', 'can-i', 'list', 'pods', '-n', 'default'], opts).then(
        (r) => ({ out: r.stdout.trim(), err: r.stderr }),
        (e: { stdout?: string; stderr?: string }) => ({ out: String(e.stdout ?? '').trim(), err: String(e.stderr ?? '') }),
      );
      return { works: true, username: who.status.userInfo.username, groups: who.status.userInfo.groups, canListPods: can.out === 'yes' ? true : can.out === 'no' ? false : undefined, canIError: can.out === 'yes' || can.out === 'no' ? undefined : `${can.out} ${can.err}`.trim() };
    } catch {
      return { works: false };
    }
  }

  const shapes: Shape[] = [
    { name: 'awscli update-kubeconfig', source: 'aws eks update-kubeconfig --name prod-payments --profile demo-admin (Debian awscli 2.9.19)', kubeconfig: () => updateKubeconfig(path.join(dir, 'k-plain'), ['--name', 'prod-payments', '--region', 'us-east-1', '--profile', 'demo-admin', '--alias', 'shape']), expect: { works: true, username: /^arn:aws:iam::111122223333:user\/demo-admin$/, canListPods: true } },
    {
      // awscli 2.9.19 has no --user-alias (later releases name the user with it; kubectl reads the context the same way).
      name: 'awscli update-kubeconfig --role-arn --alias',
      source: 'aws eks update-kubeconfig --role-arn .../Auditor --alias shape (Debian awscli 2.9.19)',
      kubeconfig: async () => updateKubeconfig(path.join(dir, 'k-role'), ['--name', 'platform-api', '--region', 'eu-west-1', '--profile', 'demo-admin', '--role-arn', 'arn:aws:iam::111122223333:role/Auditor', '--alias', 'shape']),
      // The access entry's default username carries awscli's session name.
      expect: { works: true, username: /^arn:aws:sts::111122223333:assumed-role\/Auditor\/EKSGetTokenAuth$/, canListPods: true },
    },
    {
      name: 'awscli update-kubeconfig --role-arn, access policy for another namespace',
      source: 'aws eks update-kubeconfig --role-arn .../DataScientist --alias shape (Debian awscli 2.9.19); the access entry made in before() with the EKS API',
      kubeconfig: async () => updateKubeconfig(path.join(dir, 'k-scoped'), ['--name', 'platform-api', '--region', 'eu-west-1', '--profile', 'demo-admin', '--role-arn', 'arn:aws:iam::111122223333:role/DataScientist', '--alias', 'shape']),
      expect: { works: true, username: /^arn:aws:sts::111122223333:assumed-role\/DataScientist\/EKSGetTokenAuth$/, canListPods: false },
    },
    { name: 'awscli update-kubeconfig --role-arn, role not mapped', source: 'aws eks update-kubeconfig --role-arn .../DataScientist (Debian awscli 2.9.19)', kubeconfig: () => updateKubeconfig(path.join(dir, 'k-ds'), ['--name', 'prod-payments', '--region', 'us-east-1', '--profile', 'demo-admin', '--role-arn', 'arn:aws:iam::111122223333:role/DataScientist', '--alias', 'shape']), expect: { works: false, step: 'mapping' } },
    {
      name: 'eksctl',
      source: 'eksctl utils write-kubeconfig shape (eksctl pkg/utils/kubeconfig: aws eks get-token --output json, AWS_STS_REGIONAL_ENDPOINTS=regional)',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--output', 'json', '--cluster-name', 'prod-payments', '--region', 'us-east-1'], env: [{ name: 'AWS_STS_REGIONAL_ENDPOINTS', value: 'regional' }, { name: 'AWS_PROFILE', value: 'demo-dev' }], provideClusterInfo: false, interactiveMode: 'IfAvailable' } });
      },
      expect: { works: true, username: /Developer/, canListPods: true },
    },
    {
      name: 'aws-vault exec (not installed)',
      source: 'aws-vault USAGE.md: command aws-vault, args [exec, PROFILE, --, aws, eks, get-token, ...]',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws-vault', args: ['exec', 'demo-admin', '--', 'aws', 'eks', 'get-token', '--cluster-name', 'prod-payments'] } });
      },
      expect: { works: false, step: 'exec' },
    },
    { name: 'granted credential_process', source: 'granted docs: credential_process = granted credential-process --profile NAME, kubeconfig from update-kubeconfig', kubeconfig: () => updateKubeconfig(path.join(dir, 'k-granted'), ['--name', 'prod-payments', '--region', 'us-east-1', '--profile', 'granted-dev', '--alias', 'shape']), expect: { works: true, username: /Developer/, canListPods: true } },
    { name: 'saml2aws profile, role not mapped', source: 'saml2aws README: credentials [saml] with aws_session_token, kubeconfig from update-kubeconfig --profile saml', kubeconfig: () => updateKubeconfig(path.join(dir, 'k-saml'), ['--name', 'prod-payments', '--region', 'us-east-1', '--profile', 'saml', '--alias', 'shape']), expect: { works: false, step: 'mapping' } },
    {
      name: 'keys in the exec env (over AWS_PROFILE)',
      source: 'hand-written (issue 20): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in exec env beside AWS_PROFILE',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData }, getToken('prod-payments', [], [{ name: 'AWS_PROFILE', value: 'demo-admin' }, { name: 'AWS_ACCESS_KEY_ID', value: dev.accessKeyId }, { name: 'AWS_SECRET_ACCESS_KEY', value: dev.secretAccessKey }]));
      },
      expect: { works: true, username: /Developer/, canListPods: true },
    },
    {
      name: 'bad keys in the exec env',
      source: 'hand-written (issue 20): exec env keys STS does not know',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData }, getToken('prod-payments', [], [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAUNKNOWNKEY000001' }, { name: 'AWS_SECRET_ACCESS_KEY', value: 'bad-exec-secret-value' }]));
      },
      expect: { works: false, step: 'sts' },
    },
    {
      name: 'no region anywhere (global STS)',
      source: 'hand-written: aws eks get-token --cluster-name N with a profile that has no region',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod-payments'], env: [{ name: 'AWS_PROFILE', value: 'demo-noregion' }] } });
      },
      expect: { works: true, username: /^arn:aws:iam::111122223333:user\/demo-admin$/, canListPods: true },
    },
    {
      name: 'exec region other than the cluster\'s',
      source: 'hand-written: --region us-east-1 for a cluster in eu-west-1',
      kubeconfig: async () => {
        const c = cluster('platform-api');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData }, getToken('platform-api'));
      },
      // platform-api has no entry for demo-admin: its creator's hidden system:masters answers as kubernetes-admin.
      expect: { works: true, username: /^kubernetes-admin$/, canListPods: true },
    },
    {
      name: 'Outposts --cluster-id',
      source: 'awscli get_token.py --cluster-id (the API server here knows the cluster by name, so it refuses the id)',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-id', '0b7c1d0e-8d8f-4d9a-9d3b-6a1f2c3d4e5f'], env: [{ name: 'AWS_PROFILE', value: 'demo-admin' }] } });
      },
      expect: { works: false, step: 'mapping' },
    },
    {
      name: 'certificate-authority as a relative file',
      source: 'kubectl config set-cluster --certificate-authority (client-go resolves it against the kubeconfig\'s directory)',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        fs.writeFileSync(path.join(dir, 'prod-ca.crt'), Buffer.from(c.caData, 'base64'));
        return one({ server: c.endpoint, 'certificate-authority': 'prod-ca.crt' }, getToken('prod-payments'));
      },
      expect: { works: true, username: /^arn:aws:iam::111122223333:user\/demo-admin$/, canListPods: true },
    },
    {
      name: 'insecure-skip-tls-verify without a CA',
      source: 'kubectl config set-cluster --insecure-skip-tls-verify',
      kubeconfig: async () => one({ server: cluster('prod-payments').endpoint, 'insecure-skip-tls-verify': true }, getToken('prod-payments')),
      expect: { works: true, username: /^arn:aws:iam::111122223333:user\/demo-admin$/, canListPods: true },
    },
    {
      name: 'tls-server-name naming the certificate',
      source: 'kubectl config set-cluster --tls-server-name localhost (a tunnel to 127.0.0.1)',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData, 'tls-server-name': 'localhost' }, getToken('prod-payments'));
      },
      expect: { works: true, username: /^arn:aws:iam::111122223333:user\/demo-admin$/, canListPods: true },
    },
    {
      name: 'tls-server-name the certificate does not name',
      source: 'kubectl config set-cluster --tls-server-name kubernetes.internal.example',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData, 'tls-server-name': 'kubernetes.internal.example' }, getToken('prod-payments'));
      },
      expect: { works: false, step: 'request' },
    },
    {
      name: 'proxy-url to a dead proxy',
      source: 'kubectl config set-cluster --proxy-url http://127.0.0.1:9',
      kubeconfig: async () => {
        const c = cluster('prod-payments');
        return one({ server: c.endpoint, 'certificate-authority-data': c.caData, 'proxy-url': 'http://127.0.0.1:9' }, getToken('prod-payments'));
      },
      expect: { works: false, step: 'request' },
    },
    {
      name: 'another cluster\'s CA',
      source: 'hand-written: certificate-authority-data of platform-api for prod-payments',
      kubeconfig: async () => one({ server: cluster('prod-payments').endpoint, 'certificate-authority-data': cluster('platform-api').caData }, getToken('prod-payments')),
      expect: { works: false, step: 'request' },
    },
  ];

  for (const shape of shapes) {
    it(`${shape.name}: the doctor says what kubectl says`, async () => {
      const text = await shape.kubeconfig();
      const file = path.join(dir, `kubeconfig-${shapes.indexOf(shape)}`);
      fs.writeFileSync(file, text);
      const config = readKubeconfig([{ path: file, text }]);
      const ctx = config.contexts.find((c) => c.name === 'shape') ?? config.contexts[0];
      const deps = nodeDoctorDeps({ env: env(), explainDenied: cliExplainer(['demo-admin']) });
      const [doctor, answer] = await Promise.all([diagnoseContext(ctx, deps, { verb: 'list', resource: 'pods', namespace: 'default' }, { stepTimeoutMs: 15000 }), KUBECTL ? kubectl(file) : Promise.resolve(undefined)]);
      results.push({ shape, kubectl: answer, doctor });
      const steps = JSON.stringify(doctor.steps.map((s) => [s.id, s.status, s.evidence]), null, 1);
      const works = doctor.verdict === 'ok' || doctor.verdict === 'warn' || (doctor.verdict === 'fail' && doctor.steps.find((s) => s.status === 'fail')?.id === 'rbac');
      if (answer) {
        assert.strictEqual(works, answer.works, `kubectl ${answer.works ? 'works' : 'fails'}; the doctor says ${doctor.verdict}: ${doctor.summary}\n${steps}`);
        if (answer.works) {
          assert.strictEqual(doctor.username, answer.username);
          assert.deepStrictEqual(doctor.groups, answer.groups);
          assert.notStrictEqual(answer.canListPods, undefined, `kubectl auth can-i list pods -n default gave no answer: ${answer.canIError}`);
          assert.strictEqual(doctorCanList(doctor), answer.canListPods, `kubectl auth can-i list pods -n default says ${answer.canListPods ? 'yes' : 'no'}; the doctor says ${doctor.summary}\n${steps}`);
          assert.strictEqual(answer.canListPods, shape.expect.canListPods, 'the can-i column in docs/kubeconfig-doctor.md still holds for kubectl');
        }
        assert.strictEqual(answer.works, shape.expect.works, 'the table in docs/kubeconfig-doctor.md still holds for kubectl');
      }
      assert.strictEqual(works, shape.expect.works, `${doctor.summary}\n${steps}`);
      if (shape.expect.username) assert.match(doctor.username ?? '', shape.expect.username);
      if (shape.expect.works) assert.strictEqual(doctorCanList(doctor), shape.expect.canListPods, `may list pods in default\n${steps}`);
      if (shape.expect.step) assert.strictEqual(doctor.steps.find((s) => s.status === 'fail')?.id, shape.expect.step, steps);
      // No format carries a credential of the kubeconfig's exec env or the plugin's token.
      const shown = publicReports([doctor]);
      const all = [JSON.stringify(shown), doctorText(shown), doctorMarkdown(shown)].join('\n');
      for (const secret of [dev.secretAccessKey, admin.secretAccessKey, 'saml-secret', 'saml-session-token', 'bad-exec-secret-value']) assert.ok(!all.includes(secret), `leaked ${secret}`);
      assert.ok(!/k8s-aws-v1\.[A-Za-z0-9_-]{20}/.test(all), 'no token');
    });
  }
});
