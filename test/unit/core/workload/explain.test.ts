/**
 * The workload identity chain, one test per failure kind of issue 25. Rules are cited in docs/workload-identity.md;
 * the fixtures name the tool or page that writes each shape.
 */
import * as assert from 'assert';
import { explainServiceAccounts, explainWorkload, SDK_MESSAGES } from '../../../../src/core/workload/explain';
import type { WorkloadExplanation, WorkloadInputs } from '../../../../src/core/workload/model';
import {
  ACCOUNT,
  association,
  CLUSTER,
  HOST_PATH,
  IRSA_AWS_DOCS,
  IRSA_EKSCTL,
  IRSA_TERRAFORM,
  IRSA_WEBHOOK_README_WILDCARD,
  irsaPod,
  ISSUER,
  OTHER_ACCOUNT,
  plainPod,
  POD_ID_AWS_DOCS,
  POD_ID_AWS_DOCS_CONDITIONS,
  POD_ID_EKSCTL,
  POD_ID_NO_TAG_SESSION,
  podIdentityPod,
  PROVIDER_ARN,
  TARGET_AWS_DOCS,
} from './fixtures';

const IRSA_ROLE = `arn:aws:iam::${ACCOUNT}:role/my-role`;
const PRIMARY = `arn:aws:iam::${ACCOUNT}:role/eks-pod-identity-primary-role`;
const TARGET = `arn:aws:iam::${OTHER_ACCOUNT}:role/eks-pod-identity-aws-resources`;
const PROVIDERS = [{ arn: PROVIDER_ARN, url: HOST_PATH, clientIds: ['sts.amazonaws.com'] }];

function irsa(policy: unknown, over: Partial<WorkloadInputs> = {}, sa = { namespace: 'default', name: 'my-service-account' }): WorkloadInputs {
  return {
    cluster: CLUSTER,
    serviceAccount: { ...sa, annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE } },
    association: null,
    trustPolicies: { [IRSA_ROLE]: typeof policy === 'string' ? policy : JSON.stringify(policy) },
    oidcProviders: PROVIDERS,
    ...over,
  };
}

function podIdentity(policy: unknown, over: Partial<WorkloadInputs> = {}): WorkloadInputs {
  return {
    cluster: CLUSTER,
    serviceAccount: { namespace: 'payments', name: 'api' },
    association: association(),
    trustPolicies: { [PRIMARY]: JSON.stringify(policy) },
    agent: { addonStatus: 'ACTIVE', runningOnNode: true },
    ...over,
  };
}

const kinds = (e: WorkloadExplanation) => e.steps.filter((s) => s.verdict !== 'ok').map((s) => s.kind);
const step = (e: WorkloadExplanation, kind: string) => e.steps.find((s) => s.kind === kind);

describe('workload identity: IRSA', () => {
  it('works with the trust policy from the EKS User Guide, and names the role and the session', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS, { pod: irsaPod(IRSA_ROLE) }));
    assert.deepStrictEqual([e.works, e.mechanism, e.roleArn], [true, 'irsa', IRSA_ROLE], JSON.stringify(e.steps, null, 1));
    assert.match(e.steps.at(-1)!.evidence.join(), /assumed-role\/my-role\//);
  });

  it('works with the shapes eksctl and terraform-aws-iam write', () => {
    assert.ok(explainWorkload(irsa(IRSA_EKSCTL, {}, { namespace: 'kube-system', name: 'aws-node' })).works);
    assert.ok(explainWorkload(irsa(IRSA_TERRAFORM, {}, { namespace: 'payments', name: 'api' })).works);
    assert.ok(explainWorkload(irsa(IRSA_WEBHOOK_README_WILDCARD, {}, { namespace: 'default', name: 'anything' })).works, 'StringLike system:serviceaccount:default:*');
  });

  it('a sub naming the wrong namespace: says which condition and what the token carries', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS, {}, { namespace: 'prod', name: 'my-service-account' }));
    assert.strictEqual(e.works, false);
    const s = step(e, 'trust-condition')!;
    assert.ok(s, JSON.stringify(kinds(e)));
    const text = s.evidence.join('\n');
    assert.match(text, /:sub expects "system:serviceaccount:default:my-service-account"; the request has "system:serviceaccount:prod:my-service-account"/);
    assert.doesNotMatch(text, /:aud expects/, 'the aud condition holds and is not blamed');
    assert.strictEqual(e.sdkMessage, SDK_MESSAGES.irsaDenied);
    assert.strictEqual(e.fallback?.kind, 'error', 'an STS refusal stops the chain; no node-role fallback');
  });

  it('a missing IAM OIDC provider: fails with the STS message and the command that creates it', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS, { oidcProviders: [{ url: 'oidc.eks.us-west-2.amazonaws.com/id/OTHERCLUSTER', clientIds: ['sts.amazonaws.com'] }] }));
    assert.strictEqual(e.works, false);
    const s = step(e, 'oidc-provider-missing')!;
    assert.match(s.fix!, /associate-iam-oidc-provider --cluster demo/);
    assert.strictEqual(e.sdkMessage, `InvalidIdentityToken: No OpenIDConnect provider found in your account for ${ISSUER}`);
  });

  it('a provider without sts.amazonaws.com as a client ID fails with "Incorrect token audience"', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS, { oidcProviders: [{ arn: PROVIDER_ARN, url: `https://${HOST_PATH}`, clientIds: ['sts.amazon.com'] }] }));
    assert.strictEqual(step(e, 'oidc-client-id-missing')?.fix, `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${PROVIDER_ARN} --client-id sts.amazonaws.com`, 'no annotation to remove: the default audience is the one missing');
    assert.strictEqual(e.sdkMessage, SDK_MESSAGES.audience);
  });

  it('an annotated audience the provider does not list: the fix adds it, or names removing the annotation (the webhook default, which the provider lists)', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS, { serviceAccount: { namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE, 'eks.amazonaws.com/audience': 'vault.example.com' } } }));
    assert.strictEqual(step(e, 'oidc-client-id-missing')?.fix, `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${PROVIDER_ARN} --client-id vault.example.com, or remove the eks.amazonaws.com/audience annotation from default/my-service-account and restart its pods so their token is for sts.amazonaws.com, which the provider lists`);
  });

  it('an issuer with a trailing slash and a provider URL with a scheme are the same provider', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS, { cluster: { ...CLUSTER, oidcIssuer: `${ISSUER}/` }, oidcProviders: [{ url: `${ISSUER}/`, clientIds: ['sts.amazonaws.com'] }] }));
    assert.strictEqual(e.works, true, JSON.stringify(kinds(e)));
  });

  it('a trust policy URL-encoded as GetRole returns it reads the same', () => {
    const e = explainWorkload(irsa(encodeURIComponent(JSON.stringify(IRSA_AWS_DOCS))));
    assert.strictEqual(e.works, true);
  });

  it('a malformed trust policy is a finding, not a crash', () => {
    for (const bad of ['{"Version": "2012-10-17", "Statement": [', '%7B%22Statement%22', '[]', '{"Statement": {"Effect": "Maybe", "Action": "sts:AssumeRole"}}', '{"Statement": [{"Effect": "Allow"}]}']) {
      const e = explainWorkload(irsa(bad));
      assert.strictEqual(e.works, false, bad);
      assert.ok(step(e, 'policy-unreadable'), bad);
    }
  });

  it('a trust policy naming another cluster\'s provider fails on the principal and lists what it names', () => {
    const other = JSON.parse(JSON.stringify(IRSA_AWS_DOCS).replaceAll('EXAMPLED539D4633E53DE1B71EXAMPLE', 'OTHERCLUSTER'));
    const e = explainWorkload(irsa(other));
    const s = step(e, 'trust-principal')!;
    assert.match(s.evidence.join('\n'), /Federated: arn:aws:iam::111122223333:oidc-provider\/oidc\.eks\.us-west-2\.amazonaws\.com\/id\/OTHERCLUSTER/);
  });

  it('a pod whose AWS_ROLE_ARN is not the annotation\'s was created before the annotation changed', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS, { pod: irsaPod(`arn:aws:iam::${ACCOUNT}:role/old-role`) }));
    assert.ok(step(e, 'injected-other-role'));
    assert.strictEqual(e.works, false);
  });

  it('a pod the webhook did not touch falls back to the node role through IMDS, or to nothing with hop limit 1', () => {
    const base = irsa(IRSA_AWS_DOCS, { pod: plainPod('default', 'my-service-account'), node: { roleArn: `arn:aws:iam::${ACCOUNT}:role/NodeRole`, imdsHopLimit: 2, imdsV2Required: true } });
    const e = explainWorkload(base);
    assert.ok(step(e, 'not-injected'));
    assert.deepStrictEqual([e.fallback?.kind, e.fallback?.roleArn], ['node-role', `arn:aws:iam::${ACCOUNT}:role/NodeRole`]);
    const blocked = explainWorkload({ ...base, node: { ...base.node, imdsHopLimit: 1 } });
    assert.strictEqual(blocked.fallback?.kind, 'none');
    assert.strictEqual(blocked.sdkMessage, SDK_MESSAGES.nothing);
    const hostNet = explainWorkload({ ...base, pod: plainPod('default', 'my-service-account', { hostNetwork: true }), node: { ...base.node, imdsHopLimit: 1 } });
    assert.strictEqual(hostNet.fallback?.kind, 'node-role', 'a host-network pod is one hop from IMDS');
  });

  it('an explicit Deny wins over the Allow', () => {
    const policy = { ...IRSA_AWS_DOCS, Statement: [...IRSA_AWS_DOCS.Statement, { Effect: 'Deny', Principal: '*', Action: 'sts:*', Condition: { StringEquals: { [`${HOST_PATH}:sub`]: 'system:serviceaccount:default:my-service-account' } } }] };
    assert.ok(step(explainWorkload(irsa(policy)), 'trust-explicit-deny'));
  });

  it('an SDK older than 3.27.0 (JS v3) does not read the web identity token', () => {
    assert.ok(step(explainWorkload(irsa(IRSA_AWS_DOCS, { sdk: { sdk: 'js-v3', version: '3.26.0' } })), 'sdk-too-old'));
    assert.strictEqual(explainWorkload(irsa(IRSA_AWS_DOCS, { sdk: { sdk: 'js-v3', version: '3.400.0' } })).works, true, 'old enough for IRSA, though not for Pod Identity');
  });

  it('reads sts-regional-endpoints and token-expiration as the webhook does', () => {
    const e = explainWorkload(irsa(IRSA_AWS_DOCS));
    const withAnnotations = (a: Record<string, string>) =>
      explainWorkload({ ...irsa(IRSA_AWS_DOCS), serviceAccount: { namespace: 'default', name: 'my-service-account', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE, ...a } } }).steps[0].evidence.join('\n');
    assert.doesNotMatch(e.steps[0].evidence.join(), /STS|expiration/);
    assert.match(withAnnotations({ 'eks.amazonaws.com/sts-regional-endpoints': 'true', 'eks.amazonaws.com/token-expiration': '300' }), /AWS_STS_REGIONAL_ENDPOINTS=regional is injected\n.*300 s is raised to the webhook's minimum, 600 s/);
    assert.match(withAnnotations({ 'eks.amazonaws.com/sts-regional-endpoints': 'yes', 'eks.amazonaws.com/token-expiration': '1d' }), /"yes" is not a boolean; the webhook ignores it\n.*"1d" is not an integer/);
  });

  it('neither mechanism: no role, and what to create', () => {
    const e = explainWorkload({ cluster: CLUSTER, serviceAccount: { namespace: 'default', name: 'default' }, association: null });
    assert.deepStrictEqual([e.works, e.mechanism, kinds(e)[0]], [false, 'none', 'no-mechanism']);
  });
});

describe('workload identity: EKS Pod Identity', () => {
  it('works with the trust policy from the EKS User Guide and an injected pod', () => {
    const e = explainWorkload(podIdentity(POD_ID_AWS_DOCS, { pod: podIdentityPod() }));
    assert.deepStrictEqual([e.works, e.mechanism, e.roleArn], [true, 'pod-identity', PRIMARY], JSON.stringify(kinds(e)));
  });

  it('works with the shape eksctl writes', () => {
    assert.strictEqual(explainWorkload(podIdentity(POD_ID_EKSCTL, { pod: podIdentityPod() })).works, true);
  });

  it('request-tag conditions hold for the right service account and fail for another', () => {
    assert.strictEqual(explainWorkload(podIdentity(POD_ID_AWS_DOCS_CONDITIONS)).works, true);
    const other = explainWorkload(podIdentity(POD_ID_AWS_DOCS_CONDITIONS, { serviceAccount: { namespace: 'payments', name: 'worker' }, association: association({ serviceAccount: 'worker' }) }));
    assert.match(step(other, 'trust-condition')!.evidence.join('\n'), /aws:RequestTag\/kubernetes-service-account expects "api"; the request has "worker"/);
  });

  it('sts:TagSession missing from the trust policy fails unless session tags are disabled', () => {
    const e = explainWorkload(podIdentity(POD_ID_NO_TAG_SESSION));
    assert.strictEqual(e.works, false);
    assert.match(step(e, 'trust-tag-session')!.fix!, /sts:TagSession/);
    assert.strictEqual(e.sdkMessage, SDK_MESSAGES.podIdentityDenied);
    assert.strictEqual(explainWorkload(podIdentity(POD_ID_NO_TAG_SESSION, { association: association({ disableSessionTags: true }) })).works, true);
  });

  it('a pod created before the association has no variables: restart it', () => {
    const e = explainWorkload(podIdentity(POD_ID_AWS_DOCS, { pod: plainPod('payments', 'api', { creationTimestamp: '2026-11-19T08:00:00Z' }) }));
    const s = step(e, 'pod-created-before')!;
    assert.strictEqual(s.verdict, 'fail');
    assert.match(s.fix!, /Restart the pods of payments\/api/);
    assert.strictEqual(e.fallback?.kind, 'node-role');
  });

  it('a pod created after the association without variables was missed by the webhook', () => {
    assert.ok(step(explainWorkload(podIdentity(POD_ID_AWS_DOCS, { pod: plainPod('payments', 'api') })), 'not-injected'));
  });

  it('static keys in the pod spec come first in the SDK chain: a warning that names them, never their values', () => {
    const pod = podIdentityPod();
    pod.containers[0].env!.push({ name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' });
    const e = explainWorkload(podIdentity(POD_ID_AWS_DOCS, { pod }));
    const s = step(e, 'static-credentials-first')!;
    assert.match(s.evidence.join(), /AWS_ACCESS_KEY_ID/);
    assert.doesNotMatch(JSON.stringify(e), /AKIAIOSFODNN7EXAMPLE/);
  });

  it('an association changed after the pod started: the agent may serve cached credentials, restart', () => {
    const e = explainWorkload(podIdentity(POD_ID_AWS_DOCS, { pod: podIdentityPod(), association: association({ modifiedAt: '2026-11-22T00:00:00Z' }) }));
    assert.strictEqual(step(e, 'association-changed')!.verdict, 'warn');
  });

  it('a hostNetwork pod is flagged with the agent\'s reported error', () => {
    const e = explainWorkload(podIdentity(POD_ID_AWS_DOCS, { pod: podIdentityPod({ hostNetwork: true }) }));
    const s = step(e, 'host-network')!;
    assert.strictEqual(s.verdict, 'warn');
    assert.match(s.source, /eks-pod-identity-agent\/issues\/139/);
  });

  it('no agent add-on, or no agent on the node, breaks the chain', () => {
    assert.ok(step(explainWorkload(podIdentity(POD_ID_AWS_DOCS, { agent: { addonStatus: 'absent' } })), 'agent-missing'));
    assert.ok(step(explainWorkload(podIdentity(POD_ID_AWS_DOCS, { agent: { addonStatus: 'ACTIVE', runningOnNode: false } })), 'agent-not-running'));
  });

  it('an SDK older than the Pod Identity minimum (JS v3 3.458.0) fails', () => {
    const e = explainWorkload(podIdentity(POD_ID_AWS_DOCS, { sdk: { sdk: 'js-v3', version: '3.400.0' } }));
    assert.match(step(e, 'sdk-too-old')!.evidence.join(), /3\.458\.0/);
    assert.strictEqual(explainWorkload(podIdentity(POD_ID_AWS_DOCS, { sdk: { sdk: 'boto3', version: '1.34.41' } })).works, true);
  });

  it('cross-account targetRoleArn: the target trusts the first role and the pod ends with the target', () => {
    const inputs = podIdentity(POD_ID_AWS_DOCS, { association: association({ targetRoleArn: TARGET }), trustPolicies: { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS), [TARGET]: JSON.stringify(TARGET_AWS_DOCS) } });
    const e = explainWorkload(inputs);
    assert.deepStrictEqual([e.works, e.roleArn], [true, TARGET], JSON.stringify(kinds(e)));
    const wrongFirst = `arn:aws:iam::${ACCOUNT}:role/someone-else`;
    const bad = explainWorkload({ ...inputs, association: association({ roleArn: wrongFirst, targetRoleArn: TARGET }), trustPolicies: { [wrongFirst]: JSON.stringify(POD_ID_AWS_DOCS), [TARGET]: JSON.stringify(TARGET_AWS_DOCS) } });
    assert.strictEqual(bad.works, false);
    assert.match(step(bad, 'target-trust')!.evidence.join('\n'), /aws:PrincipalARN expects "arn:aws:iam::111122223333:role\/eks-pod-identity-primary-role"/);
  });

  it('a pod with Pod Identity variables whose association was deleted fails, with no node-role fallback', () => {
    const e = explainWorkload(podIdentity(POD_ID_AWS_DOCS, { association: null, pod: podIdentityPod() }));
    assert.deepStrictEqual([e.works, e.mechanism, e.fallback?.kind], [false, 'pod-identity', 'error']);
    assert.ok(step(e, 'association-missing'));
  });

  it('an association role in another account is refused', () => {
    const foreign = `arn:aws:iam::${OTHER_ACCOUNT}:role/x`;
    assert.ok(step(explainWorkload(podIdentity(POD_ID_AWS_DOCS, { association: association({ roleArn: foreign }), trustPolicies: { [foreign]: JSON.stringify(POD_ID_AWS_DOCS) } })), 'role-other-account'));
  });

  it('conditions on the pod name are undecided until a pod is given', () => {
    const policy = { ...POD_ID_AWS_DOCS, Statement: [{ ...POD_ID_AWS_DOCS.Statement[0], Condition: { StringLike: { 'aws:RequestTag/kubernetes-pod-name': 'api-*' } } }] };
    const without = explainWorkload(podIdentity(policy));
    assert.strictEqual(without.steps.find((s) => s.id === 'trust')!.verdict, 'unknown');
    assert.strictEqual(without.works, false, 'not claimed to work');
    assert.strictEqual(explainWorkload(podIdentity(policy, { pod: podIdentityPod() })).works, true);
  });
});

describe('workload identity: both mechanisms', () => {
  const both = (over: Partial<WorkloadInputs> = {}) =>
    podIdentity(POD_ID_AWS_DOCS, { serviceAccount: { namespace: 'payments', name: 'api', annotations: { 'eks.amazonaws.com/role-arn': IRSA_ROLE } }, ...over });

  it('Pod Identity wins for a new pod: the webhook injects container credentials only', () => {
    const e = explainWorkload(both({ pod: podIdentityPod() }));
    assert.strictEqual(e.mechanism, 'pod-identity');
    assert.strictEqual(step(e, 'both-mechanisms')!.verdict, 'warn');
    assert.strictEqual(e.roleArn, PRIMARY);
  });

  it('a pod created before the association keeps IRSA: the SDK reads the web identity token first', () => {
    const pod = irsaPod(IRSA_ROLE, { namespace: 'payments', serviceAccountName: 'api', creationTimestamp: '2026-11-19T08:00:00Z' });
    const trust = { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS), [IRSA_ROLE]: JSON.stringify(IRSA_TERRAFORM) };
    const e = explainWorkload(both({ pod, trustPolicies: trust, oidcProviders: PROVIDERS }));
    assert.strictEqual(e.mechanism, 'irsa');
    assert.strictEqual(step(e, 'pod-created-before')!.verdict, 'warn');
    assert.deepStrictEqual([e.works, e.roleArn], [true, IRSA_ROLE], JSON.stringify(kinds(e)));
  });
});

describe('workload identity: many service accounts', () => {
  it('explains thousands of service accounts in linear time, each with its own association', () => {
    const run = (n: number) => {
      const sas = Array.from({ length: n }, (_, i) => ({ namespace: `ns${i % 50}`, name: `sa${i}` }));
      const assocs = sas.filter((_, i) => i % 5 === 0).map((sa) => association({ namespace: sa.namespace, serviceAccount: sa.name }));
      const started = process.hrtime.bigint();
      const out = explainServiceAccounts({ cluster: CLUSTER, trustPolicies: { [PRIMARY]: JSON.stringify(POD_ID_AWS_DOCS) }, agent: { addonStatus: 'ACTIVE' } }, sas, assocs);
      return { ms: Number(process.hrtime.bigint() - started) / 1e6, working: out.filter((o) => o.explanation.works).length };
    };
    // Best of three: the machine is shared, and one collection pause would otherwise decide the ratio.
    const best = (n: number) => [run(n), run(n), run(n)].reduce((a, b) => (b.ms < a.ms ? b : a));
    run(500);
    const small = best(1_000);
    const large = best(4_000);
    assert.strictEqual(large.working, 800, 'every fifth service account has an association that works');
    // Four times the service accounts: about four times the time when linear (a scan per lookup would be sixteen).
    assert.ok(large.ms < Math.max(8 * small.ms, 200), `1,000: ${small.ms.toFixed(0)} ms, 4,000: ${large.ms.toFixed(0)} ms`);
  });
});
