/**
 * The emulator's responses held to the service models shipped inside the installed @aws-sdk/client-* packages: each
 * operation's output schema (the `Operation$` and `Shape$` static schemas the SDK itself deserializes with) gives the
 * members and their types, so a field the service does not have, or of another type, fails here even though the
 * SDK would silently drop it. Error responses must name an error the model declares, with its HTTP status.
 */
import * as assert from 'assert';
import * as eksModel from '@aws-sdk/client-eks';
import * as logsModel from '@aws-sdk/client-cloudwatch-logs';
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  CreateAddonCommand,
  CreatePodIdentityAssociationCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeAddonCommand,
  DescribePodIdentityAssociationCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  DisassociateAccessPolicyCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAccessPoliciesCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
  ListPodIdentityAssociationsCommand,
  UpdateAccessEntryCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import * as iamModel from '@aws-sdk/client-iam';
import * as stsModel from '@aws-sdk/client-sts';
import { AddClientIDToOpenIDConnectProviderCommand, CreateOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, GetRoleCommand, GetUserCommand, IAMClient, ListOpenIDConnectProvidersCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as ssoModel from '@aws-sdk/nested-clients/sso';
import { GetRoleCredentialsCommand, SSOClient } from '@aws-sdk/nested-clients/sso';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EKS_OPERATIONS } from '../../emulator/eks';
import { LOGS_OPERATIONS } from '../../emulator/logs';
import { Emulator, startEmulator } from '../../emulator/server';
import { WORKLOAD_EKS_OPERATIONS } from '../../emulator/workload';
import { signServiceAccountToken } from '../../emulator/workloadTokens';
import { WORKLOAD_WRITE_EKS_OPERATIONS } from '../../emulator/workloadWrites';
import { loadScenarioFile } from '../../emulator/state';
import { EKS_AUTH_OPERATIONS } from '../../emulator/podIdentityAuth';
import { EKS_AUTH_MODEL, callAssumeRoleForPodIdentity, conformBotocore } from './eksAuthModel';

type Schema = unknown;
const deref = (s: Schema): Schema => (typeof s === 'function' ? deref((s as () => Schema)()) : s);

/** Checks a JSON value against a static schema; returns the paths that do not conform. */
function conform(value: unknown, schema: Schema, path: string, out: string[]): void {
  schema = deref(schema);
  if (Array.isArray(schema) && schema.length === 2 && typeof schema[1] === 'object' && !Array.isArray(schema[1])) schema = deref(schema[0]);
  if (value === null || value === undefined) return;
  if (typeof schema === 'number') {
    if (schema & 64) {
      if (!Array.isArray(value)) return void out.push(`${path}: expected a list`);
      value.forEach((v, i) => conform(v, schema & 63, `${path}[${i}]`, out));
      return;
    }
    if (schema & 128) {
      if (typeof value !== 'object' || Array.isArray(value)) return void out.push(`${path}: expected a map`);
      for (const [k, v] of Object.entries(value as object)) conform(v, schema & 127, `${path}.${k}`, out);
      return;
    }
    const expected: Record<number, string[]> = { 0: ['string'], 1: ['number'], 2: ['boolean'], 4: ['number', 'string'], 5: ['string'], 6: ['string'], 7: ['number'], 15: ['object', 'string', 'number', 'boolean'], 21: ['string'] };
    const allowed = expected[schema];
    if (allowed && !allowed.includes(typeof value)) out.push(`${path}: ${typeof value}, the model says ${allowed.join(' or ')}`);
    return;
  }
  if (!Array.isArray(schema)) return;
  const kind = schema[0];
  if (kind === 3 || kind === -3) {
    const names = schema[4] as string[];
    const members = schema[5] as Schema[];
    if (typeof value !== 'object' || Array.isArray(value)) return void out.push(`${path}: expected a structure ${schema[2]}`);
    for (const [k, v] of Object.entries(value as object)) {
      const i = names.indexOf(k);
      if (i < 0) out.push(`${path}.${k}: not a member of ${schema[2]}`);
      else conform(v, members[i], `${path}.${k}`, out);
    }
  } else if (kind === 1) {
    if (!Array.isArray(value)) return void out.push(`${path}: expected a list ${schema[2]}`);
    value.forEach((v, i) => conform(v, schema[4], `${path}[${i}]`, out));
  } else if (kind === 2) {
    if (typeof value !== 'object' || Array.isArray(value)) return void out.push(`${path}: expected a map ${schema[2]}`);
    for (const [k, v] of Object.entries(value as object)) conform(v, schema[5], `${path}.${k}`, out);
  }
}

interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

/** Enough XML for the query protocol's responses: elements, text, no attributes kept. */
function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack = [root];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>|([^<]+)/g)) {
    const top = stack[stack.length - 1];
    if (m[4] !== undefined) top.text += m[4];
    else if (m[1]) stack.pop();
    else {
      const node = { name: m[2], children: [], text: '' };
      top.children.push(node);
      if (!m[3]) stack.push(node);
    }
  }
  return root.children[0];
}

/** Checks query-protocol XML against a structure schema: every element must be a member (lists hold `member`). */
function conformXml(node: XmlNode, schema: Schema, path: string, out: string[]): void {
  schema = deref(schema);
  if (Array.isArray(schema) && schema.length === 2 && typeof schema[1] === 'object' && !Array.isArray(schema[1])) schema = deref(schema[0]);
  if (!Array.isArray(schema)) return;
  if (schema[0] === 1) {
    for (const c of node.children) conformXml(c, schema[4], `${path}.${c.name}`, out);
    return;
  }
  if (schema[0] !== 3) return;
  const names = schema[4] as string[];
  for (const c of node.children) {
    const i = names.indexOf(c.name);
    if (i < 0) out.push(`${path}.${c.name}: not a member of ${schema[2]}`);
    else conformXml(c, (schema[5] as Schema[])[i], `${path}.${c.name}`, out);
  }
}

/**
 * Errors every query-protocol API can answer that the models do not declare: AccessDenied, HTTP 403 ("You do not have
 * sufficient access to perform this action", STS API Reference, Common Errors); STS answers an untrusted
 * AssumeRoleWithWebIdentity with it.
 */
const COMMON_QUERY_ERRORS = new Set(['AccessDenied']);

const scenario = loadScenarioFile('demo');
const admin = scenario.identities[0];
const credentials = { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey };
const A = '111122223333';

describe('the emulator against the service models in @aws-sdk/client-*', function () {
  this.timeout(60000);
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator(scenario, { recordResponses: true, updateDelayMs: 50, queryTiming: { scheduledMs: 20, runningMs: 60 } });
    const eks = (region = 'us-east-1') => new EKSClient({ region, endpoint: emu.endpoint, credentials, maxAttempts: 1 });
    const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials, maxAttempts: 1 });
    const quiet = <T>(p: Promise<T>) => p.catch(() => undefined);
    // Every operation the emulator serves, with answers and with errors.
    await eks().send(new ListClustersCommand({ maxResults: 1 }));
    await eks().send(new DescribeClusterCommand({ name: 'prod-payments' }));
    await quiet(eks().send(new DescribeClusterCommand({ name: 'nope' })));
    const { nodegroups } = await eks().send(new ListNodegroupsCommand({ clusterName: 'prod-payments' }));
    await eks().send(new DescribeNodegroupCommand({ clusterName: 'prod-payments', nodegroupName: nodegroups![0] }));
    const { fargateProfileNames } = await eks('eu-west-1').send(new ListFargateProfilesCommand({ clusterName: 'staging-web' }));
    await eks('eu-west-1').send(new DescribeFargateProfileCommand({ clusterName: 'staging-web', fargateProfileName: fargateProfileNames![0] }));
    await eks().send(new ListAccessEntriesCommand({ clusterName: 'prod-payments', maxResults: 2 }));
    await eks().send(new DescribeAccessEntryCommand({ clusterName: 'prod-payments', principalArn: `arn:aws:iam::${A}:role/Developer` }));
    const principalArn = `arn:aws:iam::${A}:role/Conformance`;
    emu.state.iam.roles.push(principalArn);
    await quiet(eks().send(new CreateAccessEntryCommand({ clusterName: 'prod-payments', principalArn: `arn:aws:iam::${A}:role/NotInIam` })));
    await eks().send(new CreateAccessEntryCommand({ clusterName: 'prod-payments', principalArn, kubernetesGroups: ['g'] }));
    await quiet(eks().send(new CreateAccessEntryCommand({ clusterName: 'prod-payments', principalArn })));
    await quiet(eks().send(new CreateAccessEntryCommand({ clusterName: 'prod-payments', principalArn: `arn:aws:sts::${A}:assumed-role/X/s` })));
    await eks().send(new UpdateAccessEntryCommand({ clusterName: 'prod-payments', principalArn, username: 'c:{{SessionName}}' }));
    await eks().send(new AssociateAccessPolicyCommand({ clusterName: 'prod-payments', principalArn, policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', accessScope: { type: 'namespace', namespaces: ['a'] } }));
    await eks().send(new ListAssociatedAccessPoliciesCommand({ clusterName: 'prod-payments', principalArn }));
    await eks().send(new DisassociateAccessPolicyCommand({ clusterName: 'prod-payments', principalArn, policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' }));
    await eks().send(new DeleteAccessEntryCommand({ clusterName: 'prod-payments', principalArn }));
    await eks().send(new ListAccessPoliciesCommand({}));
    const { update } = await eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', logging: { clusterLogging: [{ types: ['scheduler'], enabled: true }] } }));
    await eks().send(new DescribeUpdateCommand({ name: 'prod-payments', updateId: update!.id! }));
    await quiet(eks().send(new UpdateClusterConfigCommand({ name: 'prod-payments', accessConfig: { authenticationMode: 'CONFIG_MAP' } })));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/conformance' }));
    await quiet(logs.send(new CreateLogGroupCommand({ logGroupName: '/conformance' })));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/conformance', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/conformance', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'hello' }] }));
    await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/eks' }));
    const now = Math.floor(Date.now() / 1000);
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/aws/eks/prod-payments/cluster', queryString: 'fields @timestamp, @message | limit 5', startTime: now - 3600, endTime: now }));
    await logs.send(new GetQueryResultsCommand({ queryId }));
    await quiet(logs.send(new StopQueryCommand({ queryId })));
    await new Promise((r) => setTimeout(r, 150));
    await logs.send(new GetQueryResultsCommand({ queryId }));
    await quiet(logs.send(new StartQueryCommand({ logGroupName: '/nope', queryString: 'fields @message', startTime: now - 60, endTime: now })));
    await new STSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
    await new STSClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials, maxAttempts: 1 }).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111122223333:role/DataScientist', RoleSessionName: 'conformance' }));
    const sso = new SSOClient({ region: 'us-east-1', endpoint: emu.endpoint, maxAttempts: 1 });
    await sso.send(new GetRoleCredentialsCommand({ accessToken: 'demo-sso-access-token', accountId: '111122223333', roleName: 'Developers' }));
    await quiet(sso.send(new GetRoleCredentialsCommand({ accessToken: 'unknown', accountId: '111122223333', roleName: 'Developers' })));
    const iam = new IAMClient({ region: 'us-east-1', endpoint: emu.endpoint, credentials, maxAttempts: 1 });
    await iam.send(new GetRoleCommand({ RoleName: 'DataScientist' }));
    await iam.send(new GetUserCommand({ UserName: 'bob' }));
    await quiet(iam.send(new GetRoleCommand({ RoleName: 'Nobody' })));
    // Workload identity (emulator/workload*.ts).
    const { associations } = await eks().send(new ListPodIdentityAssociationsCommand({ clusterName: 'prod-payments', maxResults: 2 }));
    await eks().send(new DescribePodIdentityAssociationCommand({ clusterName: 'prod-payments', associationId: associations![0].associationId }));
    await quiet(eks().send(new DescribePodIdentityAssociationCommand({ clusterName: 'prod-payments', associationId: 'a-00000000000000000' })));
    await eks().send(new DescribeAddonCommand({ clusterName: 'prod-payments', addonName: 'eks-pod-identity-agent' }));
    await quiet(eks().send(new DescribeAddonCommand({ clusterName: 'legacy-batch', addonName: 'eks-pod-identity-agent' })));
    const { OpenIDConnectProviderList } = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: OpenIDConnectProviderList![0].Arn }));
    await quiet(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${A}:oidc-provider/example.com/none` })));
    await iam.send(new GetRoleCommand({ RoleName: 'workload-irsa-works' }));
    // The fixes' writes, and STS AssumeRoleWithWebIdentity (unsigned) with answers and with errors.
    await eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-payments', namespace: 'conformance', serviceAccount: 'sa', roleArn: `arn:aws:iam::${A}:role/workload-podid-works` }));
    await quiet(eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'prod-payments', namespace: 'conformance', serviceAccount: 'sa', roleArn: `arn:aws:iam::${A}:role/workload-podid-works` })));
    await quiet(eks().send(new CreatePodIdentityAssociationCommand({ clusterName: 'nope', namespace: 'n', serviceAccount: 'sa', roleArn: `arn:aws:iam::${A}:role/x` })));
    await eks().send(new CreateAddonCommand({ clusterName: 'legacy-batch', addonName: 'eks-pod-identity-agent' }));
    await quiet(eks().send(new CreateAddonCommand({ clusterName: 'legacy-batch', addonName: 'eks-pod-identity-agent' })));
    const legacyIssuer = emu.state.clusters.find((c) => c.name === 'legacy-batch')!.oidcIssuer;
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: legacyIssuer, ClientIDList: ['sts.amazonaws.com'] }));
    await quiet(iam.send(new CreateOpenIDConnectProviderCommand({ Url: legacyIssuer, ClientIDList: ['sts.amazonaws.com'] })));
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${A}:oidc-provider/${legacyIssuer.replace('https://', '')}`, ClientID: 'vault.example.com' }));
    await quiet(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${A}:oidc-provider/example.com/none`, ClientID: 'vault.example.com' })));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'workload-podid-works', PolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    await quiet(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'workload-podid-works', PolicyDocument: 'not json' })));
    const issuer = emu.state.clusters[0].oidcIssuer;
    const token = (aud: string, ns = 'workload-demo') => signServiceAccountToken(issuer, { namespace: ns, name: 'irsa-works', uid: 'u' }, [aud], new Date(), 3600);
    const webIdentity = (t: string) => new STSClient({ region: 'us-east-1', endpoint: emu.endpoint, maxAttempts: 1 }).send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${A}:role/workload-irsa-works`, RoleSessionName: 'conformance', WebIdentityToken: t }));
    await webIdentity(token('sts.amazonaws.com'));
    await quiet(webIdentity(token('other')));
    await quiet(webIdentity(token('sts.amazonaws.com', 'default')));
    await quiet(webIdentity('not-a-jwt'));
    // EKS Auth AssumeRoleForPodIdentity (signed as the agent signs it), with an answer and with errors (workload-podid-works trusts nothing by now).
    const podToken = (aud: string, name = 'podid-created-before') => signServiceAccountToken(issuer, { namespace: 'workload-demo', name, uid: 'u' }, [aud], new Date(), 3600);
    await callAssumeRoleForPodIdentity(emu.endpoint, credentials, 'prod-payments', podToken('pods.eks.amazonaws.com'));
    for (const [cluster, t] of [['prod-payments', podToken('sts.amazonaws.com')], ['prod-payments', podToken('pods.eks.amazonaws.com', 'podid-no-tagsession')], ['prod-payments', podToken('pods.eks.amazonaws.com', 'nobody')], ['nope', podToken('pods.eks.amazonaws.com')], ['prod-payments', 'x'], ['prod-payments', signServiceAccountToken(issuer, { namespace: 'workload-demo', name: 'podid-works', uid: 'u' }, ['pods.eks.amazonaws.com'], new Date(Date.now() - 7200_000), 3600)]]) {
      await callAssumeRoleForPodIdentity(emu.endpoint, credentials, cluster, t);
    }
  });
  after(() => emu.close());

  const models: Record<string, Record<string, unknown>> = { eks: eksModel as unknown as Record<string, unknown>, logs: logsModel as unknown as Record<string, unknown>, sso: ssoModel as unknown as Record<string, unknown> };

  it('catches a member the model does not have and a value of the wrong type (the check can fail)', () => {
    const problems: string[] = [];
    conform({ clusters: ['a', 1], extra: true }, (eksModel as unknown as Record<string, unknown[]>)['ListClusters$'][5], 'ListClusters', problems);
    conform({ cluster: { name: 'x', createdAt: 'yesterday?', accessConfig: { authenticationMode: 7 } } }, (eksModel as unknown as Record<string, unknown[]>)['DescribeCluster$'][5], 'DescribeCluster', problems);
    assert.deepStrictEqual(problems, ['ListClusters.clusters[1]: number, the model says string', 'ListClusters.extra: not a member of ListClustersResponse', 'DescribeCluster.cluster.accessConfig.authenticationMode: number, the model says string']);
  });

  it('answers every operation with only the members and types its output schema has', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const r of emu.responses.filter((x) => x.status < 300 && models[x.service])) {
      seen.add(`${r.service}:${r.operation}`);
      const op = models[r.service][`${r.operation}$`] as unknown[] | undefined;
      if (!op) {
        problems.push(`${r.service}:${r.operation}: no such operation in the model`);
        continue;
      }
      conform(r.body ? JSON.parse(r.body) : {}, op[5], `${r.operation}`, problems);
    }
    assert.deepStrictEqual(problems, []);
    const served = [...[...EKS_OPERATIONS, ...WORKLOAD_EKS_OPERATIONS, ...WORKLOAD_WRITE_EKS_OPERATIONS].map((o) => `eks:${o}`), ...[...LOGS_OPERATIONS.keys()].map((o) => `logs:${o}`), 'sso:GetRoleCredentials'];
    assert.deepStrictEqual(served.filter((o) => !seen.has(o)), [], 'every operation the emulator serves is checked');
  });

  it('answers STS and IAM (query protocol, XML) with only the members their output schemas have', () => {
    const xmlModels: Record<string, Record<string, unknown>> = { sts: stsModel as unknown as Record<string, unknown>, iam: iamModel as unknown as Record<string, unknown> };
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const r of emu.responses.filter((x) => xmlModels[x.service])) {
      const doc = parseXml(r.body);
      if (r.status >= 300) {
        const code = doc.children.find((c) => c.name === 'Error')?.children.find((c) => c.name === 'Code')?.text ?? '';
        const schema = xmlModels[r.service][`${code}Exception$`] ?? xmlModels[r.service][`${code}$`];
        if (!schema && !COMMON_QUERY_ERRORS.has(code)) problems.push(`${r.service}:${r.operation}: error ${code} is not in the model`);
        continue;
      }
      seen.add(`${r.service}:${r.operation}`);
      const op = xmlModels[r.service][`${r.operation}$`] as unknown[];
      const result = doc.children.find((c) => c.name === `${r.operation}Result`);
      // An operation without output (UpdateAssumeRolePolicy: `__Unit`) answers with ResponseMetadata only.
      if (!result && deref(op[5]) === 'unit') continue;
      if (!result) problems.push(`${r.service}:${r.operation}: no ${r.operation}Result element`);
      else conformXml(result, op[5], r.operation, problems);
    }
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual([...seen].sort(), ['iam:AddClientIDToOpenIDConnectProvider', 'iam:CreateOpenIDConnectProvider', 'iam:GetOpenIDConnectProvider', 'iam:GetRole', 'iam:GetUser', 'iam:ListOpenIDConnectProviders', 'iam:UpdateAssumeRolePolicy', 'sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:GetCallerIdentity']);
  });

  it('answers EKS Auth AssumeRoleForPodIdentity with the botocore model\'s members, and only its errors with their statuses', () => {
    const op = EKS_AUTH_MODEL.operations.AssumeRoleForPodIdentity;
    const canFail: string[] = [];
    conformBotocore({ subject: { namespace: 1 }, extra: true }, op.output.shape, 'probe', canFail);
    assert.ok(canFail.length >= 3, `the check can fail: ${canFail.join('; ')}`);
    const problems: string[] = [];
    const answers = emu.responses.filter((r) => r.service === 'eks-auth');
    for (const r of answers) {
      if (r.status === op.http.responseCode) conformBotocore(JSON.parse(r.body), op.output.shape, r.operation, problems);
      else if (!op.errors.some((e) => e.shape === r.errorType)) problems.push(`${r.operation}: ${r.errorType} is not an error of the operation`);
      else if (EKS_AUTH_MODEL.shapes[r.errorType!].error?.httpStatusCode !== r.status) problems.push(`${r.operation}: ${r.errorType} with HTTP ${r.status}, the model says ${EKS_AUTH_MODEL.shapes[r.errorType!].error?.httpStatusCode}`);
    }
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual([...new Set(answers.map((r) => `${r.status} ${r.errorType ?? r.operation}`))].sort(), ['200 AssumeRoleForPodIdentity', '400 AccessDeniedException', '400 ExpiredTokenException', '400 InvalidParameterException', '400 InvalidTokenException', '404 ResourceNotFoundException']);
    assert.deepStrictEqual(EKS_AUTH_OPERATIONS, Object.keys(EKS_AUTH_MODEL.operations), 'every EKS Auth operation the emulator serves is checked');
  });

  it("answers errors with an error the model declares, and the model's HTTP status", () => {
    const problems: string[] = [];
    for (const r of emu.responses.filter((x) => x.status >= 300 && models[x.service])) {
      const name = r.errorType ?? (JSON.parse(r.body) as { __type?: string }).__type ?? '';
      const schema = models[r.service][`${name}$`] as unknown[] | undefined;
      if (!schema || schema[0] !== -3) {
        problems.push(`${r.service}:${r.operation}: ${name} is not an error of the ${r.service} model`);
        continue;
      }
      const status = (schema[3] as Record<string, unknown>).httpError;
      if (status !== undefined && status !== r.status) problems.push(`${r.service}:${r.operation}: ${name} with HTTP ${r.status}, the model says ${status}`);
    }
    assert.deepStrictEqual(problems, []);
    assert.ok(emu.responses.some((r) => r.status >= 400), 'errors were exercised');
  });
});
