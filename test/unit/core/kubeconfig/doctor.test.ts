import * as assert from 'assert';
import { AWSCLI_ROLE_SESSION_NAME, ClusterAsk, ContextReport, DoctorDeps, diagnoseContext, formatAge, regionOfEndpoint } from '../../../../src/core/kubeconfig/doctor';
import { commandLine } from '../../../../src/core/shell/commandLine';
import { doctorExitCode, doctorMarkdown, doctorText, publicReports } from '../../../../src/core/kubeconfig/doctorReport';
import type { ExecOutcome } from '../../../../src/core/kubeconfig/execRunner';
import { getEksToken } from '../../../../src/core/aws/token';
import type { KubeContext } from '../../../../src/core/kubeconfig/kubeconfig';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const SECRET = { accessKeyId: 'AKIAFAKEFAKEFAKE0001', secretAccessKey: 'very-secret-key', sessionToken: 'session-token-value' };

function context(overrides: Partial<KubeContext> = {}, args = ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web'], env = [{ name: 'AWS_PROFILE', value: 'dev' }]): KubeContext {
  return {
    name: 'web',
    file: '/k/config',
    current: true,
    cluster: { name: 'web-c', file: '/k/config', server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=', skipTLSVerify: false },
    user: { name: 'web-u', file: '/k/config', exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args, env }, hasStaticCredentials: false },
    problems: [],
    // The fields awscli's update-kubeconfig writes (update_kubeconfig.py get_cluster_entry, get_user_entry; kubeconfig.py _make_context).
    written: { context: ['cluster', 'user'], cluster: ['certificate-authority-data', 'server'], user: ['exec'], exec: ['apiVersion', 'args', 'command', 'env'] },
    ...overrides,
  };
}

type Fake = DoctorDeps & { calls: string[] };

/** The plugin's answer: a real token (made by the project's signer, as `aws eks get-token` makes one) unless given. */
const tokenFor = (cluster = 'web', region: string = 'eu-west-1', creds = SECRET) => getEksToken(cluster, region, creds, new Date(NOW - 1000));
const granted = async (token?: string): Promise<ExecOutcome> => ({ kind: 'credential', token: token ?? (await tokenFor()), clientCertificate: false, expiresAt: new Date(NOW + 14 * 60_000), stderr: '', ms: 420 });

function deps(overrides: Partial<DoctorDeps> = {}, ask: Partial<ClusterAsk> = {}): Fake {
  const calls: string[] = [];
  return {
    calls,
    env: { PATH: '/usr/bin' },
    now: () => NOW,
    mayRunPlugin: () => true,
    runPlugin: async (o) => {
      calls.push(`run ${o.exec.command} ${o.exec.args.join(' ')}`);
      return granted();
    },
    findOnPath: async (c) => (c === 'aws' ? '/usr/bin/aws' : undefined),
    tokenIdentity: async (url, clusterId) => {
      calls.push(`sts ${url.host} ${clusterId}`);
      return { ok: true, arn: 'arn:aws:sts::111122223333:assumed-role/Dev/s', account: '111122223333' };
    },
    profile: async (name) => ({ exists: name === 'dev' || name === undefined, region: 'eu-west-1' }),
    credentials: async (p, env) => {
      calls.push(`credentials ${p}${env.AWS_ACCESS_KEY_ID ? ` keys ${env.AWS_ACCESS_KEY_ID}` : ''}`);
      return { ...SECRET, expiration: new Date(NOW + 45 * 60_000) };
    },
    assumeRole: async (_c, role, region, session) => {
      calls.push(`assume ${role} in ${region ?? 'global'} as ${session}`);
      return SECRET;
    },
    callerIdentity: async (_c, region) => {
      calls.push(`caller ${region ?? 'global'}`);
      return { arn: 'arn:aws:sts::111122223333:assumed-role/Dev/s', account: '111122223333' };
    },
    describeCluster: async () => ({ arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/web', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=', status: 'ACTIVE' }),
    cluster: () => ({ whoami: async () => ({ ok: true, value: { username: 'dev', groups: ['developers', 'system:authenticated'] } }), canI: async () => ({ ok: true, value: { allowed: true } }), rules: async () => ({ ok: true, value: ['get,list,watch pods,services'] }), ...ask }),
    explainDenied: async () => undefined,
    ...overrides,
  };
}
const failed = (r: ContextReport) => r.steps.find((s) => s.status === 'fail');
const pluginFails = (stderr: string): Partial<DoctorDeps> => ({ runPlugin: async (o) => ({ kind: 'exit', code: 255, message: `exec: executable ${o.exec.command} failed with exit code 255`, stderr }) });

describe('the kubeconfig doctor, step by step', () => {
  it('runs the plugin, asks STS with its token and the cluster with the same token: six steps in the order of the flow', async () => {
    const d = deps();
    const r = await diagnoseContext(context(), d);
    assert.strictEqual(r.verdict, 'ok');
    assert.deepStrictEqual(r.steps.map((s) => [s.id, s.status]), [['request', 'pass'], ['exec', 'pass'], ['token', 'pass'], ['sts', 'pass'], ['mapping', 'pass'], ['rbac', 'pass']]);
    assert.deepStrictEqual(d.calls, ['run aws --region eu-west-1 eks get-token --cluster-name web', 'sts sts.eu-west-1.amazonaws.com web'], 'nothing is predicted when the plugin works');
    assert.ok(r.steps[2].evidence.includes('STS host sts.eu-west-1.amazonaws.com, signed for region eu-west-1'), r.steps[2].evidence.join(' | '));
    assert.ok(r.steps[2].evidence.includes('access key: long-term key ending 0001, with a session token'), r.steps[2].evidence.join(' | '));
    assert.strictEqual(r.identityArn, 'arn:aws:sts::111122223333:assumed-role/Dev/s');
  });

  it('never puts a key, a secret, a session token or the bearer token into any format of the report', async () => {
    let token = '';
    const env = [{ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXECENVKEY000001' }, { name: 'AWS_SECRET_ACCESS_KEY', value: 'exec-env-secret-value' }, { name: 'AWS_SESSION_TOKEN', value: 'exec-env-session-token' }, { name: 'MY_API_PASSWORD', value: 'hunter2-hunter2' }];
    const secrets = [SECRET.secretAccessKey, SECRET.sessionToken, 'AKIAEXECENVKEY000001', 'exec-env-secret-value', 'exec-env-session-token', 'hunter2-hunter2'];
    const unauthorized = deps({
      runPlugin: async () => {
        token = await tokenFor();
        // A plugin that echoes what it was given must not leak it through the report either.
        return { ...(await granted(token)), stderr: `debug: using exec-env-secret-value and ${token}` };
      },
      cluster: (_e, t) => ({ whoami: async () => ({ ok: false, code: 401, message: `Unauthorized ${t}` }), canI: async () => ({ ok: false, code: 401, message: '' }), rules: async () => ({ ok: false, code: 401, message: '' }) }),
    });
    const reports = [
      await diagnoseContext(context({}, undefined, env), unauthorized),
      // A failing v1alpha1 block carries its env into the rewrite fix.
      await diagnoseContext(context({ user: { name: 'u', file: '/k', hasStaticCredentials: false, exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'aws', args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web'], env } } }), deps()),
    ];
    assert.ok(reports[1].steps[1].fixes.some((f) => f.kind === 'rewriteExec'));
    const shown = publicReports(reports);
    const all = [JSON.stringify(shown), doctorText(shown), doctorMarkdown(shown)].join('\n');
    for (const secret of [...secrets, token, token.slice(11, 60)]) assert.ok(!all.includes(secret), `leaked: ${secret}`);
    assert.match(token, /^k8s-aws-v1\./);
    assert.ok(JSON.stringify(shown).includes('long-term key ending 0001'), 'the access key id is shown by its end');
    const fix = reports[1].steps[1].fixes.find((f) => f.kind === 'rewriteExec');
    assert.ok(fix?.kind === 'rewriteExec' && fix.exec.env.some((e) => e.value === 'exec-env-secret-value'), 'the fix itself keeps the value it must write back');
  });

  it('explains a failing plugin with the SSO session, labelled as a prediction, with aws sso login', async () => {
    const d = deps({ ...pluginFails('Error when retrieving token from sso: Token has expired and refresh failed'), profile: async () => ({ exists: true, sso: { expiresAt: new Date(NOW - 3 * 3600_000) } }) });
    const r = await diagnoseContext(context(), d);
    const exec = r.steps.find((s) => s.id === 'exec')!;
    assert.strictEqual(exec.status, 'fail');
    assert.strictEqual(exec.evidence.find((e) => e.startsWith('kubectl fails')), 'kubectl fails with "exec: executable aws failed with exit code 255"');
    assert.ok(exec.evidence.includes('plugin stderr: Error when retrieving token from sso: Token has expired and refresh failed'));
    assert.ok(exec.evidence.includes('prediction: IAM Identity Center session expired 3 h ago'), exec.evidence.join(' | '));
    // The aws the plugin runs, found on the editor's PATH: a terminal's shell rc may put another aws first.
    assert.deepStrictEqual(exec.fixes, [{ kind: 'ssoLogin', label: 'Run aws sso login --profile dev, then check again', profile: 'dev', aws: '/usr/bin/aws' }]);
    assert.ok(!d.calls.some((c) => c.startsWith('credentials')), 'no credentials are asked for once the session is known to be over');
    assert.strictEqual(r.ssoSessionExpiresAt, new Date(NOW - 3 * 3600_000).toISOString(), 'the session end is a field of the report (the status bar shows it), not a sentence to search');
    // awscli v1 has no `aws sso login` (its command list has no sso): the fix is awscli v2.
    const v1 = await diagnoseContext(context(), deps({ ...pluginFails('boom'), awsCliMajor: async () => 1, profile: async () => ({ exists: true, sso: { expiresAt: new Date(NOW - 60_000) } }) }));
    const fixes = v1.steps.find((s) => s.id === 'exec')!.fixes;
    assert.deepStrictEqual(fixes.map((f) => f.kind), ['installAwsCli']);
  });

  it('offers to install awscli when the plugin\'s aws is not on PATH, in kubectl\'s words', async () => {
    const r = await diagnoseContext(context(), deps({ runPlugin: async () => ({ kind: 'not-found', message: 'exec: executable aws not found' }) }));
    const exec = failed(r)!;
    assert.ok(exec.evidence.includes('kubectl fails with "exec: executable aws not found"'));
    assert.deepStrictEqual(exec.fixes.map((f) => f.kind), ['installAwsCli']);
    // A path left by an uninstalled awscli while aws is on PATH: the exec block can name `aws`, as update-kubeconfig writes it.
    const gone = '/usr/local/aws/bin/aws';
    const moved = await diagnoseContext(context({ user: { ...context().user!, exec: { ...context().user!.exec!, command: gone } } }), deps({ runPlugin: async () => ({ kind: 'not-found', message: `exec: executable ${gone} not found` }) }));
    const fixes = failed(moved)!.fixes;
    assert.deepStrictEqual(fixes.map((f) => f.kind), ['rewriteExec', 'installAwsCli']);
    assert.ok(fixes[0].kind === 'rewriteExec' && fixes[0].exec.command === 'aws' && fixes[0].exec.args.join(' ') === context().user!.exec!.args.join(' '), JSON.stringify(fixes[0]));
    assert.ok(failed(moved)!.evidence.includes('aws is on the editor\'s PATH at /usr/bin/aws'));
  });

  it('predicts as awscli would: exec env keys over AWS_PROFILE, --profile over keys, --role-arn as EKSGetTokenAuth, global STS without a region', async () => {
    const keys = [{ name: 'AWS_PROFILE', value: 'dev' }, { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXECKEYS00000001' }, { name: 'AWS_SECRET_ACCESS_KEY', value: 's' }];
    const d = deps(pluginFails('boom'));
    await diagnoseContext(context({}, ['eks', 'get-token', '--cluster-name', 'web', '--role-arn', 'arn:aws:iam::111122223333:role/Admin'], keys), d);
    assert.deepStrictEqual(d.calls, ['credentials undefined keys AKIAEXECKEYS00000001', `assume arn:aws:iam::111122223333:role/Admin in eu-west-1 as ${AWSCLI_ROLE_SESSION_NAME}`, 'caller eu-west-1']);
    const explicit = deps(pluginFails('boom'));
    await diagnoseContext(context({}, ['eks', 'get-token', '--cluster-name', 'web', '--profile', 'dev'], keys), explicit);
    assert.match(explicit.calls[0], /^credentials dev/, '--profile overrides keys in the environment');
    const global = deps({ ...pluginFails('boom'), profile: async () => ({ exists: true }) });
    const r = await diagnoseContext(context({}, ['eks', 'get-token', '--cluster-name', 'web']), global);
    assert.ok(global.calls.includes('caller global'), global.calls.join(' | '));
    assert.ok(r.steps[1].evidence.some((e) => /^prediction: the token would say .*global endpoint, as awscli without a region/.test(e)));
    assert.strictEqual(r.verdict, 'fail', 'the plugin failed: that is kubectl\'s verdict, whatever the prediction says');
  });

  it('passes a token for the global STS endpoint, or for another region than the cluster\'s, as the authenticator accepts any STS region of the partition', async () => {
    const globalToken = Buffer.from((await tokenFor()).slice(11), 'base64url').toString().replace('sts.eu-west-1.amazonaws.com', 'sts.amazonaws.com');
    const d = deps({ runPlugin: async () => granted(`k8s-aws-v1.${Buffer.from(globalToken).toString('base64url')}`) });
    const r = await diagnoseContext(context({}, ['eks', 'get-token', '--cluster-name', 'web']), d);
    assert.strictEqual(r.verdict, 'ok', JSON.stringify(r.steps, null, 1));
    assert.ok(d.calls.includes('sts sts.amazonaws.com web'));
    const other = deps({ runPlugin: async () => granted(await tokenFor('web', 'us-east-1')) });
    assert.strictEqual((await diagnoseContext(context({}, ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-name', 'web']), other)).verdict, 'ok');
  });

  it('never sends a token to a host that is not STS', async () => {
    const evil = Buffer.from((await tokenFor()).slice(11), 'base64url').toString().replace('sts.eu-west-1.amazonaws.com', 'sts.eu-west-1.attacker.example');
    const d = deps({ runPlugin: async () => granted(`k8s-aws-v1.${Buffer.from(evil).toString('base64url')}`) });
    const r = await diagnoseContext(context(), d);
    assert.strictEqual(failed(r)!.id, 'token');
    assert.ok(!d.calls.some((c) => c.startsWith('sts ')), d.calls.join(' | '));
  });

  it('reports STS refusing the token with its code, as the API server would hear it', async () => {
    const r = await diagnoseContext(context(), deps({ tokenIdentity: async () => ({ ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' }) }));
    const sts = failed(r)!;
    assert.strictEqual(sts.id, 'sts');
    assert.ok(sts.evidence.some((e) => /was not signed for x-k8s-aws-id web/.test(e)));
  });

  it('refuses what kubectl refuses in the exec block, in kubectl\'s words, with the rewrite as the fix', async () => {
    const d = deps();
    const r = await diagnoseContext(context({ user: { name: 'u', file: '/k', hasStaticCredentials: false, exec: { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'web'], env: [] } } }), d);
    const exec = failed(r)!;
    assert.strictEqual(exec.id, 'exec');
    assert.ok(exec.evidence.includes('kubectl fails with "exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"": client.authentication.k8s.io/v1alpha1 was removed in Kubernetes 1.24.'), exec.evidence.join(' | '));
    const fix = exec.fixes[0];
    assert.ok(fix.kind === 'rewriteExec' && fix.exec.args.join(' ') === '--region eu-west-1 eks get-token --cluster-name web', 'the region comes from the endpoint');
    assert.deepStrictEqual(d.calls, [], 'the plugin is not run');
  });

  it('does not run a plugin it may not run, and says why', async () => {
    const d = deps({ mayRunPlugin: () => 'the kubeconfig belongs to an untrusted workspace' });
    const r = await diagnoseContext(context(), d);
    assert.deepStrictEqual([r.verdict, d.calls], ['warn', []]);
    assert.match(r.summary, /not run: the kubeconfig belongs to an untrusted workspace/);
  });

  it('tells a refused connection, a TLS failure and a timeout apart; "stale" only when DescribeCluster gives another endpoint', async () => {
    const refused = (message = 'connect ECONNREFUSED 10.0.0.1:443') => ({ whoami: async () => ({ ok: false as const, code: 0, message, network: 'refused' as const }) });
    const moved = await diagnoseContext(context(), deps({ describeCluster: async () => ({ endpoint: 'https://NEW.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' }) }, refused()));
    assert.strictEqual(failed(moved)!.id, 'request');
    assert.ok(failed(moved)!.fixes.some((f) => f.kind === 'updateKubeconfig' && commandLine('posix', f.argv) === '/usr/bin/aws eks update-kubeconfig --name web --region eu-west-1 --profile dev --alias web --kubeconfig /k/config'));
    assert.match(moved.summary, /the kubeconfig is stale/);
    const same = await diagnoseContext(context(), deps({}, refused()));
    assert.match(same.summary, /the connection was refused/);
    assert.ok(same.steps[0].evidence.some((e) => /same endpoint .*the network path is the problem/.test(e)));
    assert.deepStrictEqual(same.steps[0].fixes, [], 'no update-kubeconfig for a kubeconfig that is current');
    const tls = await diagnoseContext(context(), deps({ describeCluster: async () => ({ endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'TkVX' }) }, { whoami: async () => ({ ok: false, code: 0, message: 'unable to verify the first certificate', network: 'tls' }) }));
    assert.ok(tls.steps[0].evidence.some((e) => /another CA .*x509: certificate signed by unknown authority/.test(e)));
    assert.match(tls.summary, /another CA/);
    // The summary follows what EKS said, not the words of an error: a DescribeCluster failure that mentions "stale"
    // or "another CA" leaves the summary at why kubectl cannot connect.
    const unasked = await diagnoseContext(context(), deps({ describeCluster: async () => { throw new Error('the cached credentials are stale; another CA bundle is configured'); } }, refused()));
    assert.ok(unasked.steps[0].evidence.some((e) => /could not ask EKS whether the endpoint changed/.test(e)));
    assert.match(unasked.summary, /^kubectl cannot connect: .*the connection was refused/);
    const slow = await diagnoseContext(context(), deps({}, { whoami: () => new Promise(() => undefined) }), undefined, { stepTimeoutMs: 50 });
    assert.match(slow.steps[0].evidence.join(' | '), /no answer before the time limit/);
    assert.match(slow.summary, /no answer before the time limit/);
  });

  it('compares a kubeconfig server holding a long run of slashes with EKS\'s endpoint in linear time', async () => {
    // The kubeconfig is outside text; /\/+$/ retried every slash of a run that does not end the server (5 s at 64 Ki).
    const refused = { whoami: async () => ({ ok: false as const, code: 0, message: 'connect ECONNREFUSED 10.0.0.1:443', network: 'refused' as const }) };
    const server = (n: number, tail: string) => `https://ABC.gr7.eu-west-1.eks.amazonaws.com${'/'.repeat(n)}${tail}`;
    const run = (n: number, tail: string) => diagnoseContext(context({ cluster: { ...context().cluster!, server: server(n, tail) } }), deps({}, refused));
    assert.ok((await run(65536, '')).steps[0].evidence.some((e) => /same endpoint/.test(e)), 'trailing slashes alone are the same server');
    assert.match((await run(65536, 'x')).summary, /the kubeconfig is stale/, 'a path after them is not');
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

  it('says which contexts are not EKS, and names a context that points nowhere', async () => {
    const token = await diagnoseContext(context({ user: { name: 'u', file: 'f', hasStaticCredentials: true } }), deps());
    assert.strictEqual(token.verdict, 'not-eks');
    const gke = await diagnoseContext(context({ user: { name: 'u', file: 'f', exec: { command: 'gke-gcloud-auth-plugin', args: [], env: [], apiVersion: 'client.authentication.k8s.io/v1beta1' }, hasStaticCredentials: false } }), deps({ runPlugin: async () => granted('ya29.google-token') }));
    assert.strictEqual(gke.verdict, 'not-eks');
    const d = deps();
    const elsewhere = await diagnoseContext(context({ cluster: { name: 'g', server: 'https://34.1.2.3', skipTLSVerify: false }, user: { name: 'u', file: 'f', exec: { command: 'gke-gcloud-auth-plugin', args: [], env: [], apiVersion: 'client.authentication.k8s.io/v1beta1' }, hasStaticCredentials: false } }), d);
    assert.deepStrictEqual([elsewhere.verdict, d.calls], ['not-eks', []], 'another cloud\'s plugin for another cloud\'s server is not run');
    const lost = await diagnoseContext(context({ cluster: undefined, problems: ['The context names cluster "x", which no kubeconfig file defines.'] }), deps());
    assert.deepStrictEqual([lost.verdict, lost.summary], ['fail', 'The context names cluster "x", which no kubeconfig file defines.']);
  });

  it('cancels inside a step: a request that never answers ends when the user cancels', async () => {
    const ac = new AbortController();
    const d = deps({}, { whoami: () => new Promise(() => undefined) });
    setTimeout(() => ac.abort(), 30);
    const started = Date.now();
    const r = await diagnoseContext(context(), d, undefined, { signal: ac.signal, stepTimeoutMs: 60_000 });
    assert.strictEqual(r.summary, 'Cancelled.');
    assert.ok(Date.now() - started < 5000);
    let seen: AbortSignal | undefined;
    const inPlugin = new AbortController();
    setTimeout(() => inPlugin.abort(), 30);
    const r2 = await diagnoseContext(context(), deps({ runPlugin: (o) => ((seen = o.signal), new Promise((res) => o.signal.addEventListener('abort', () => res({ kind: 'cancelled', message: 'Cancelled while the plugin ran.' })))) }), undefined, { signal: inPlugin.signal });
    assert.deepStrictEqual([r2.summary, seen?.aborted], ['Cancelled.', true], 'the plugin run gets the cancel');
  });

  it('offers the terminal command as a program and its arguments, the hostile name one argument', async () => {
    const r = await diagnoseContext(context({}, ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web;reboot']), deps({ describeCluster: async () => ({ endpoint: 'https://NEW.gr7.eu-west-1.eks.amazonaws.com' }) }, { whoami: async () => ({ ok: false, code: 0, message: 'refused', network: 'refused' }) }));
    const fix = r.steps.find((s) => s.id === 'request')!.fixes.find((f) => f.kind === 'updateKubeconfig');
    assert.ok(fix?.kind === 'updateKubeconfig' && fix.argv.join('|') === '/usr/bin/aws|eks|update-kubeconfig|--name|web;reboot|--region|eu-west-1|--profile|dev|--alias|web|--kubeconfig|/k/config', JSON.stringify(fix));
  });

  it('offers update-kubeconfig in the region EKS has the cluster in, not the exec\'s other STS region, for the failing context itself', async () => {
    // update-kubeconfig names the cluster entry by the ARN; the exec asks STS in us-east-1, which works for any cluster.
    const asked: string[] = [];
    const describeCluster: DoctorDeps['describeCluster'] = async (_c, region) => {
      asked.push(region);
      if (region !== 'eu-west-2') throw Object.assign(new Error('No cluster found for name: web.'), { name: 'ResourceNotFoundException' });
      return { endpoint: 'https://NEW.gr7.eu-west-2.eks.amazonaws.com', caData: 'Q0E=' };
    };
    const ctx = context({ name: 'payments', cluster: { name: 'arn:aws:eks:eu-west-2:111122223333:cluster/web', file: '/k/config', server: 'https://127.0.0.1:1', caData: 'Q0E=', skipTLSVerify: false } }, ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-name', 'web']);
    const r = await diagnoseContext(ctx, deps({ describeCluster }, { whoami: async () => ({ ok: false, code: 0, message: 'refused', network: 'refused' }) }));
    assert.deepStrictEqual(asked, ['eu-west-2'], 'the ARN\'s region is asked first');
    const fix = r.steps.find((s) => s.id === 'request')!.fixes.find((f) => f.kind === 'updateKubeconfig');
    assert.strictEqual(fix?.kind === 'updateKubeconfig' && fix.argv.join(' '), '/usr/bin/aws eks update-kubeconfig --name web --region eu-west-2 --profile dev --alias payments --kubeconfig /k/config');
    // No ARN and no EKS host name: the exec's region, then nothing else to try.
    asked.length = 0;
    const plain = await diagnoseContext(context({ cluster: { name: 'web-c', server: 'https://127.0.0.1:1', skipTLSVerify: false } }, ['--region', 'us-east-1', 'eks', 'get-token', '--cluster-name', 'web']), deps({ describeCluster }, { whoami: async () => ({ ok: false, code: 0, message: 'refused', network: 'refused' }) }));
    assert.deepStrictEqual(asked, ['us-east-1']);
    assert.ok(plain.steps[0].evidence.some((e) => /could not ask EKS whether the endpoint changed: No cluster found/.test(e)), plain.steps[0].evidence.join(' | '));
  });

  it('offers only the in-place repair for a stale context that update-kubeconfig would strip (a namespace, an aws-vault user), and says what it would lose', async () => {
    const refused = { whoami: async () => ({ ok: false as const, code: 0, message: 'refused', network: 'refused' as const }) };
    const moved = deps({ describeCluster: async () => ({ endpoint: 'https://NEW.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' }) }, refused);
    const plain = context();
    const withNamespace = context({ namespace: 'payments', written: { ...plain.written!, context: ['cluster', 'namespace', 'user'] } });
    const r = await diagnoseContext(withNamespace, moved);
    assert.deepStrictEqual(r.steps[0].fixes.map((f) => f.kind), ['repairCluster']);
    assert.ok(r.steps[0].evidence.some((e) => /update-kubeconfig is not offered: .*lose the context's namespace payments/.test(e)), r.steps[0].evidence.join(' | '));
    const vault = context({}, ['exec', 'dev', '--', 'aws', 'eks', 'get-token', '--cluster-name', 'web'], []);
    vault.user!.exec!.command = 'aws-vault';
    const v = await diagnoseContext(vault, moved);
    assert.deepStrictEqual(v.steps[0].fixes.map((f) => f.kind), ['repairCluster']);
    assert.ok(v.steps[0].evidence.some((e) => /lose the exec command aws-vault exec dev -- aws eks get-token/.test(e)), v.steps[0].evidence.join(' | '));
    // A CA from a file: the repair writes EKS's CA as data in its place; a cluster trusting the system roots gets no
    // repair, and with a namespace no terminal fix either, so the step says what to do by hand.
    const caFile = await diagnoseContext(context({ cluster: { ...plain.cluster!, caData: undefined, caFile: '/k/ca.crt' } }), moved);
    assert.match(caFile.steps[0].fixes.map((f) => f.label).join(' | '), /as certificate-authority-data, in place of the CA file \/k\/ca.crt/);
    const nothing = await diagnoseContext(context({ ...withNamespace, cluster: { ...plain.cluster!, caData: undefined } }), moved);
    assert.deepStrictEqual(nothing.steps[0].fixes, []);
    assert.ok(nothing.steps[0].evidence.some((e) => /No fix can be made without losing part of the context: .* or run \(it rewrites the whole file\) \/usr\/bin\/aws eks update-kubeconfig --name web/.test(e)), nothing.steps[0].evidence.join(' | '));
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
    const warn = await diagnoseContext(context(), deps({ mayRunPlugin: () => 'not now' }));
    const fail = await diagnoseContext(context(), deps(pluginFails('boom')));
    assert.deepStrictEqual([doctorExitCode([ok]), doctorExitCode([ok, warn]), doctorExitCode([warn, fail]), doctorExitCode([])], [0, 3, 1, 0]);
  });
});

describe('doctor report summary', () => {
  it('opens a report of several contexts with a table, failing contexts first, values escaped', async () => {
    const ok = await diagnoseContext(context({ name: 'good' }), deps());
    const bad = await diagnoseContext(context({ name: 'bad|ctx', current: false }), deps(pluginFails('boom')));
    const md = doctorMarkdown([ok, bad]);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| context'));
    assert.match(rows[0], /^\| bad\\\|ctx \| FAIL \|/);
    assert.match(rows[1], /^\| good \(current\) \| OK \|/);
    assert.ok(!doctorMarkdown([ok]).includes('| context |'), 'one context needs no table');
  });
});
