import * as assert from 'assert';
import { ClusterAsk, DoctorDeps, diagnoseContext, formatAge, regionOfEndpoint } from '../../../../src/core/kubeconfig/doctor';
import { commandLine } from '../../../../src/core/shell/commandLine';
import { doctorExitCode, doctorMarkdown, doctorText } from '../../../../src/core/kubeconfig/doctorReport';
import { getEksToken } from '../../../../src/core/aws/token';
import type { KubeContext } from '../../../../src/core/kubeconfig/kubeconfig';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const SECRET = { accessKeyId: 'AKIAFAKEFAKEFAKE0001', secretAccessKey: 'very-secret-key', sessionToken: 'session-token-value' };

function context(overrides: Partial<KubeContext> = {}, args = ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web'], env = [{ name: 'AWS_PROFILE', value: 'dev' }]): KubeContext {
  return {
    name: 'web',
    file: '/k/config',
    current: true,
    cluster: { name: 'web-c', server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=', skipTLSVerify: false },
    user: { name: 'web-u', file: '/k/config', exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args, env }, hasStaticCredentials: false },
    problems: [],
    ...overrides,
  };
}

function deps(overrides: Partial<DoctorDeps> = {}, ask: Partial<ClusterAsk> = {}): DoctorDeps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    env: {},
    now: () => NOW,
    findOnPath: async (c) => (c === 'aws' ? '/usr/bin/aws' : undefined),
    profile: async (name) => ({ exists: name === 'dev' || name === undefined, region: 'eu-west-1' }),
    credentials: async (p) => {
      calls.push(`credentials ${p}`);
      return { ...SECRET, expiration: new Date(NOW + 45 * 60_000) };
    },
    assumeRole: async (_c, role) => {
      calls.push(`assume ${role}`);
      return SECRET;
    },
    callerIdentity: async () => ({ arn: 'arn:aws:sts::111122223333:assumed-role/Dev/s', account: '111122223333' }),
    describeCluster: async () => ({ arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/web', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=', status: 'ACTIVE' }),
    eksToken: getEksToken,
    cluster: () => ({ whoami: async () => ({ ok: true, value: { username: 'dev', groups: ['developers', 'system:authenticated'] } }), canI: async () => ({ ok: true, value: { allowed: true } }), rules: async () => ({ ok: true, value: ['get,list,watch pods,services'] }), ...ask }),
    explainDenied: async () => undefined,
    ...overrides,
  };
}

describe('the kubeconfig doctor, step by step', () => {
  it('passes all six steps in the order of the flow', async () => {
    const r = await diagnoseContext(context(), deps());
    assert.strictEqual(r.verdict, 'ok');
    assert.deepStrictEqual(r.steps.map((s) => [s.id, s.status]), [['request', 'pass'], ['exec', 'pass'], ['token', 'pass'], ['sts', 'pass'], ['mapping', 'pass'], ['rbac', 'pass']]);
    assert.ok(r.steps[1].evidence.includes('credentials expires in 45 min'));
  });

  it('never puts a key, a secret, a session token or the bearer token into the report', async () => {
    let token = '';
    const r = await diagnoseContext(context(), deps({ cluster: (_s, _c, t) => ((token = t), { whoami: async () => ({ ok: false, code: 401, message: 'Unauthorized' }), canI: async () => ({ ok: false, code: 401, message: '' }), rules: async () => ({ ok: false, code: 401, message: '' }) }) }));
    const all = JSON.stringify(r) + doctorText([r]) + doctorMarkdown([r]);
    for (const secret of [SECRET.accessKeyId, SECRET.secretAccessKey, SECRET.sessionToken, token, token.slice(0, 40)]) assert.ok(!all.includes(secret), secret);
    assert.match(token, /^k8s-aws-v1\./);
  });

  it('shows the SSO session as "expires in 12 min" and an expired one as "expired 3 h ago" with aws sso login', async () => {
    const live = await diagnoseContext(context(), deps({ profile: async () => ({ exists: true, region: 'eu-west-1', sso: { expiresAt: new Date(NOW + 12 * 60_000) } }) }));
    assert.ok(live.steps[1].evidence.includes('IAM Identity Center session expires in 12 min'));
    const d = deps({ profile: async () => ({ exists: true, sso: { expiresAt: new Date(NOW - 3 * 3600_000) } }) });
    const expired = await diagnoseContext(context(), d);
    const exec = expired.steps.find((s) => s.id === 'exec')!;
    assert.strictEqual(exec.status, 'fail');
    assert.ok(exec.evidence.includes('IAM Identity Center session expired 3 h ago'));
    assert.deepStrictEqual(exec.fixes, [{ kind: 'ssoLogin', label: 'Run aws sso login --profile dev, then check again', profile: 'dev' }]);
    assert.deepStrictEqual(d.calls, [], 'no credentials are asked for once the session is known to be over');
  });

  it('warns that AWS_ACCESS_KEY_ID in the environment wins over AWS_PROFILE, and uses those keys', async () => {
    const d = deps({ env: { AWS_ACCESS_KEY_ID: 'AKIAENV' } });
    const r = await diagnoseContext(context(), d);
    assert.strictEqual(r.verdict, 'warn');
    assert.ok(r.steps[1].evidence.some((e) => /AWS_ACCESS_KEY_ID is set in the environment, so the token is made with those keys, not with profile dev/.test(e)));
    assert.deepStrictEqual(d.calls, ['credentials undefined']);
    const explicit = deps({ env: { AWS_ACCESS_KEY_ID: 'AKIAENV' } });
    await diagnoseContext(context({}, ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web', '--profile', 'dev'], []), explicit);
    assert.deepStrictEqual(explicit.calls, ['credentials dev'], '--profile overrides the environment');
  });

  it('assumes --role-arn and says why AssumeRole failed', async () => {
    const args = ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web', '--role-arn', 'arn:aws:iam::111122223333:role/Admin'];
    const d = deps();
    await diagnoseContext(context({}, args), d);
    assert.deepStrictEqual(d.calls, ['credentials dev', 'assume arn:aws:iam::111122223333:role/Admin']);
    const denied = await diagnoseContext(context({}, args), deps({ assumeRole: async () => Promise.reject(Object.assign(new Error('User: x is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' })) }));
    const exec = denied.steps.find((s) => s.id === 'exec')!;
    assert.strictEqual(exec.status, 'fail');
    assert.match(exec.evidence[exec.evidence.length - 1], /AssumeRole of arn:aws:iam::111122223333:role\/Admin failed: User: x is not authorized.*trust policy/);
  });

  it('takes the region from the profile when the exec names none, and fails with the endpoint\'s region as the fix when nothing does', async () => {
    const fromProfile = await diagnoseContext(context({}, ['eks', 'get-token', '--cluster-name', 'web']), deps());
    assert.ok(fromProfile.steps[1].evidence.includes('region eu-west-1 (profile config)'));
    const none = await diagnoseContext(context({}, ['eks', 'get-token', '--cluster-name', 'web']), deps({ profile: async () => ({ exists: true }) }));
    const exec = none.steps.find((s) => s.id === 'exec')!;
    assert.strictEqual(exec.status, 'fail');
    assert.ok(exec.evidence.some((e) => /You must specify a region/.test(e)));
    const fix = exec.fixes[0];
    assert.ok(fix.kind === 'rewriteExec' && fix.exec.args.join(' ') === '--region eu-west-1 eks get-token --cluster-name web');
  });

  it('fails the request step when the endpoint or the CA changed, with update-kubeconfig as the fix', async () => {
    const moved = await diagnoseContext(context(), deps({ describeCluster: async () => ({ endpoint: 'https://NEW.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' }) }));
    const request = moved.steps[0];
    assert.strictEqual(request.status, 'fail');
    assert.ok(request.fixes.some((f) => f.kind === 'updateKubeconfig' && commandLine('posix', f.argv) === 'aws eks update-kubeconfig --name web --region eu-west-1 --profile dev'));
    const newCa = await diagnoseContext(context(), deps({ describeCluster: async () => ({ endpoint: 'https://abc.gr7.eu-west-1.eks.amazonaws.com/', caData: 'TkVX' }) }));
    assert.ok(newCa.steps[0].evidence.some((e) => /x509: certificate signed by unknown authority/.test(e)), 'the endpoint matches case- and slash-insensitively; the CA does not');
  });

  it('compares a kubeconfig server holding a long run of slashes in linear time', async () => {
    // The kubeconfig is outside text; /\/+$/ retried every slash of a run that does not end the server (2 s at 64 Ki).
    const server = (n: number, tail: string) => `https://ABC.gr7.eu-west-1.eks.amazonaws.com${'/'.repeat(n)}${tail}`;
    const run = (n: number, tail: string) => diagnoseContext(context({ cluster: { ...context().cluster!, server: server(n, tail) } }), deps());
    assert.strictEqual((await run(65536, '')).steps[0].status, 'pass', 'trailing slashes alone are the same server');
    assert.strictEqual((await run(65536, 'x')).steps[0].status, 'fail', 'a path after them is not');
    const time = async (n: number) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        await run(n, 'x');
        best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
      }
      return best;
    };
    const small = await time(16384);
    const large = await time(65536);
    // Four times the input: about four times the time when linear, sixteen when quadratic.
    assert.ok(large < Math.max(8 * small, 50), `16 Ki slashes ${small.toFixed(1)} ms, 64 Ki ${large.toFixed(1)} ms`);
  });

  it('shows the model\'s explanation on 401 and the missing grant on 403', async () => {
    const explanation = { verdict: 'Unauthorized: no access entry and no aws-auth mapping', nearMisses: ['role path differs'], fix: { kind: 'createAccessEntry' as const, label: 'Create an access entry', principalArn: 'arn:aws:iam::111122223333:role/Dev' }, policies: [], bindings: [] };
    const unauthorized = await diagnoseContext(context(), deps({ explainDenied: async () => explanation as never }, { whoami: async () => ({ ok: false, code: 401, message: 'Unauthorized' }) }));
    const mapping = unauthorized.steps.find((s) => s.id === 'mapping')!;
    assert.strictEqual(mapping.status, 'fail');
    assert.ok(mapping.evidence.includes('role path differs'));
    assert.deepStrictEqual(mapping.fixes.map((f) => f.kind), ['createAccessEntry']);
    assert.strictEqual(unauthorized.steps.find((s) => s.id === 'rbac')!.status, 'skip');
    const forbidden = await diagnoseContext(context(), deps({}, { canI: async () => ({ ok: true, value: { allowed: false, reason: '' } }) }), { verb: 'delete', resource: 'pods', namespace: 'prod' });
    assert.strictEqual(forbidden.verdict, 'fail');
    assert.match(forbidden.summary, /authenticates as dev but may not delete pods in namespace prod/);
    assert.ok(forbidden.steps.find((s) => s.id === 'rbac')!.evidence.includes('the cluster says this identity may, in prod: get,list,watch pods,services'), 'the SelfSubjectRulesReview answer');
  });

  it('falls back to the model when the cluster predates SelfSubjectReview (404), and still asks the access review', async () => {
    const explanation = { authenticated: true, username: 'dev', groups: ['developers'], verdict: 'Authenticated', nearMisses: [], policies: [], bindings: [] };
    const old = await diagnoseContext(context(), deps({ explainDenied: async () => explanation as never }, { whoami: async () => ({ ok: false, code: 404, message: 'the server could not find the requested resource' }) }));
    const mapping = old.steps.find((s) => s.id === 'mapping')!;
    assert.deepStrictEqual([old.verdict, mapping.status, old.username], ['warn', 'warn', 'dev']);
    assert.ok(mapping.evidence.some((e) => /Kubernetes 1\.28 and later/.test(e)));
    const refused = await diagnoseContext(context(), deps({ explainDenied: async () => explanation as never }, { whoami: async () => ({ ok: false, code: 404, message: '' }), canI: async () => ({ ok: false, code: 401, message: 'Unauthorized' }) }));
    assert.deepStrictEqual([refused.verdict, refused.steps.find((s) => s.id === 'mapping')!.status], ['fail', 'fail'], 'a 401 from the access review overrules the model');
  });

  it('fails the request step when the server does not answer at all', async () => {
    const r = await diagnoseContext(context(), deps({}, { whoami: async () => ({ ok: false, code: 0, message: 'connect ECONNREFUSED 10.0.0.1:443' }) }));
    assert.deepStrictEqual(r.steps.map((s) => [s.id, s.status]).filter(([, st]) => st !== 'pass'), [['request', 'fail'], ['mapping', 'skip'], ['rbac', 'skip']]);
    assert.match(r.summary, /The server did not answer: connect ECONNREFUSED 10\.0\.0\.1:443\. A private endpoint needs a network path/);
  });

  it('says which contexts are not EKS, and names a context that points nowhere', async () => {
    const token = await diagnoseContext(context({ user: { name: 'u', file: 'f', hasStaticCredentials: true } }), deps());
    assert.strictEqual(token.verdict, 'not-eks');
    const gke = await diagnoseContext(context({ user: { name: 'u', file: 'f', exec: { command: 'gke-gcloud-auth-plugin', args: [], env: [], apiVersion: 'client.authentication.k8s.io/v1beta1' }, hasStaticCredentials: false } }), deps());
    assert.strictEqual(gke.verdict, 'not-eks');
    const lost = await diagnoseContext(context({ cluster: undefined, problems: ['The context names cluster "x", which no kubeconfig file defines.'] }), deps());
    assert.deepStrictEqual([lost.verdict, lost.summary], ['fail', 'The context names cluster "x", which no kubeconfig file defines.']);
  });

  it('stops between steps when cancelled', async () => {
    let cancelled = false;
    const d = deps({ credentials: async () => ((cancelled = true), SECRET) });
    const r = await diagnoseContext(context(), d, undefined, () => cancelled);
    assert.strictEqual(r.summary, 'Cancelled.');
    assert.ok(!r.steps.some((s) => s.id === 'mapping' && s.status !== 'skip'));
  });

  it('offers the terminal command as a program and its arguments, the hostile name one argument', async () => {
    const r = await diagnoseContext(context({}, ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web;reboot']), deps({ describeCluster: async () => Promise.reject(Object.assign(new Error('No cluster found'), { name: 'ResourceNotFoundException' })) }));
    const fix = r.steps.find((s) => s.id === 'token')!.fixes.find((f) => f.kind === 'updateKubeconfig');
    assert.ok(fix?.kind === 'updateKubeconfig' && fix.argv.join('|') === 'aws|eks|update-kubeconfig|--name|web;reboot|--region|eu-west-1|--profile|dev', JSON.stringify(fix));
  });

  it('formats ages and reads the region of an EKS endpoint', () => {
    assert.deepStrictEqual([formatAge(12 * 60_000), formatAge(-3 * 3600_000), formatAge(30_000), formatAge(-3 * 86400_000)], ['expires in 12 min', 'expired 3 h ago', 'expires in 30 s', 'expired 3 days ago']);
    assert.strictEqual(regionOfEndpoint('https://0123ABCD.gr7.us-west-2.eks.amazonaws.com'), 'us-west-2');
    assert.strictEqual(regionOfEndpoint('https://x.yl4.cn-north-1.eks.amazonaws.com.cn'), 'cn-north-1');
    assert.strictEqual(regionOfEndpoint('https://127.0.0.1:6443'), undefined);
  });
});

describe('doctor reports', () => {
  it('escapes outside values in Markdown and strips control characters in text', async () => {
    const r = await diagnoseContext(context({ name: '<img src=x onerror=alert(1)>\u001b[31m' }), deps());
    const md = doctorMarkdown([r]);
    assert.ok(!md.includes('<img'), md);
    assert.ok(md.includes('&lt;img'));
    assert.ok(!doctorText([r]).includes('\u001b'));
  });

  it('exits 0 when every EKS context works, 1 when one fails, 3 on warnings only', async () => {
    const ok = await diagnoseContext(context(), deps());
    const warn = await diagnoseContext(context(), deps({ env: { AWS_ACCESS_KEY_ID: 'AKIAENV' } }));
    const fail = await diagnoseContext(context(), deps({ findOnPath: async () => undefined }));
    assert.deepStrictEqual([doctorExitCode([ok]), doctorExitCode([ok, warn]), doctorExitCode([warn, fail]), doctorExitCode([])], [0, 3, 1, 0]);
  });
});

describe('doctor report summary', () => {
  it('opens a report of several contexts with a table, failing contexts first, values escaped', async () => {
    const ok = await diagnoseContext(context({ name: 'good' }), deps());
    const bad = await diagnoseContext(context({ name: 'bad|ctx', current: false }), deps({ findOnPath: async () => undefined }));
    const md = doctorMarkdown([ok, bad]);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| context'));
    assert.match(rows[0], /^\| bad\\\|ctx \| FAIL \|/);
    assert.match(rows[1], /^\| good \(current\) \| OK \|/);
    assert.ok(!doctorMarkdown([ok]).includes('| context |'), 'one context needs no table');
  });
});
