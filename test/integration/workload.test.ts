/**
 * Workload identity in a real VS Code against the emulator's demo (emulator/scenarios/demo.json `workload`): the
 * tree's Workload identity group marks the demo's service accounts working or broken, Explain Workload Identity shows
 * where a demo pod's chain breaks, and a confirmed fix makes the explanation pass while a declined one writes nothing.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/server';
import type { ExplorerNode } from '../../src/core/explorer/nodes';
import type { WorkloadExplainResult } from '../../src/features/workload/explainWorkloadCommand';
import { api, clusterNode, runAnswering, withEmulator } from './helpers';

const NS = 'workload-demo';
const label = (n: ExplorerNode) => n.view().label;

async function child(parent: ExplorerNode, name: string): Promise<ExplorerNode> {
  const tree = (await api()).clusterTree()!;
  const children = await tree.getChildren(parent);
  const found = children.find((c) => label(c) === name);
  assert.ok(found, `${name} under ${label(parent)}: ${children.map((c) => `${label(c)} (${c.view().description ?? ''})`).join(', ')}`);
  return found;
}

/** The demo pod of a service account, as the cluster lists it (its name comes from the ReplicaSet). */
async function podOf(serviceAccount: string): Promise<string> {
  const { services } = await api();
  const ref = { profile: 'demo-admin', region: 'us-east-1', cluster: 'prod-payments' };
  const conn = await services.clusters.gateways.workloadFor(ref, await services.clusters.summary(ref));
  const pod = (await conn.fixes.listPods(NS)).find((p) => p.serviceAccountName === serviceAccount);
  assert.ok(pod, `a demo pod of ${serviceAccount}`);
  return pod.name;
}

async function explain(target: object, answers: (string | undefined)[], cluster = 'prod-payments'): Promise<{ result: WorkloadExplainResult; asked: string[] }> {
  return runAnswering<WorkloadExplainResult>(answers, 'eksAuth.workload.explain', await clusterNode('us-east-1', cluster), target);
}

/** Calls that change something: AWS writes and Kubernetes methods other than GET. */
const writes = (emu: Emulator) => emu.calls.filter((c) => /^(Create|Update|Delete|Put|Add|Associate|Tag)/.test(c.operation) || (c.service === 'kube' && !/ GET /.test(c.operation)));

describe('Workload identity, against the emulator', function () {
  this.timeout(90000);
  let emu: Emulator;
  withEmulator((e) => (emu = e));

  it('the tree shows the Workload identity group with working and broken rows and the reason', async () => {
    const group = await child(await clusterNode('us-east-1', 'prod-payments'), 'Workload identity');
    const issuer = await child(group, 'OIDC issuer');
    assert.strictEqual(issuer.view().icon, 'pass', issuer.view().description);
    assert.match((await child(group, 'Pod Identity Agent')).view().description ?? '', /ACTIVE/);
    const associations = await child(group, 'Pod Identity associations');
    const works = await child(associations, `${NS}/podid-works`);
    assert.deepStrictEqual([works.view().icon, works.view().description], ['pass', 'workload-podid-works · works for new pods']);
    const noTag = await child(associations, `${NS}/podid-no-tagsession`);
    assert.strictEqual(noTag.view().icon, 'error');
    assert.match(noTag.view().description ?? '', /broken: Trust policy of arn:aws:iam::\d{12}:role\/workload-podid-no-tagsession/);
    const irsa = await child(group, 'IRSA service accounts');
    assert.strictEqual((await child(irsa, `${NS}/irsa-works`)).view().icon, 'pass');
    const wrongNs = await child(irsa, `${NS}/irsa-wrong-namespace`);
    assert.strictEqual(wrongNs.view().icon, 'error');
    assert.strictEqual(wrongNs.view().contextValue, 'eksAuth.workloadRow.broken');
  });

  it('refused reads (403, AccessDenied) are rows that name the permission; the rest of the group is still shown', async () => {
    emu.faults.push({ target: 'kube:GET /api/v1/serviceaccounts', kind: 'accessDenied' }, { target: 'iam:ListOpenIDConnectProviders', kind: 'accessDenied' });
    const group = await child(await clusterNode('us-east-1', 'prod-payments'), 'Workload identity');
    assert.strictEqual((await child(group, 'Could not read the service accounts')).view().description, 'needs Kubernetes list serviceaccounts');
    assert.strictEqual((await child(group, 'Could not read the IAM OIDC providers')).view().description, 'needs iam:ListOpenIDConnectProviders and iam:GetOpenIDConnectProvider');
    assert.match((await child(group, 'OIDC issuer')).view().description ?? '', /IAM provider not checked$/);
    const associations = await child(group, 'Pod Identity associations');
    assert.strictEqual((await child(associations, `${NS}/podid-works`)).view().icon, 'pass', 'the associations are still read and explained');
  });

  it('explains a demo pod created before its association: the failing step, shown as a Markdown document, and the restart offered', async () => {
    const pod = await podOf('podid-created-before');
    const { result, asked } = await explain({ pod: { namespace: NS, name: pod } }, [undefined]);
    const [e] = result.explanations;
    assert.strictEqual(e.works, false);
    const failing = e.steps.find((s) => s.verdict === 'fail' && s.id !== 'outcome');
    assert.deepStrictEqual([failing?.id, failing?.kind], ['injection', 'pod-created-before']);
    assert.deepStrictEqual(result.offered, ['restart-pods']);
    assert.ok(asked.some((a) => a.startsWith(`showWarningMessage: ${NS}/podid-created-before (pod ${pod}) does not get its role`)), asked.join(' | '));
    // The read-only document the Markdown preview shows.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'eks-auth-workload', path: `/prod-payments/workload-${NS}-podid-created-before.md` }));
    assert.match(doc.getText(), /^# Workload identity of workload\\-demo\/podid\\-created\\-before \\\(pod /m);
    assert.match(doc.getText(), /\*\*FAIL\*\* Pod .* was created before the association `pod-created-before`/);
    assert.match(doc.getText(), /## Fixes offered\n\n- \*\*Restart 1 workload of workload\\-demo\/podid\\-created\\-before so the webhook admits new pods\*\*\n {2}- rollout restart Deployment workload\\-demo\/podid\\-created\\-before: patch spec\\\.template/);
    assert.deepStrictEqual(writes(emu), [], 'explaining writes nothing');
  });

  it('picks the service account from the live list when run from the palette', async () => {
    const { result, asked } = await runAnswering<WorkloadExplainResult>(['us-east-1', 'prod-payments', `${NS}/irsa-works`], 'eksAuth.workload.explain');
    assert.deepStrictEqual(asked.slice(0, 3), ['pick: Region', 'pick: EKS cluster', 'pick: Which service account or pod of prod-payments?']);
    assert.deepStrictEqual([result.explanations[0].works, result.explanations[0].mechanism], [true, 'irsa']);
  });

  it('the trust policy fix shows the old and new document side by side; declining it writes nothing', async () => {
    const { result, asked } = await explain({ serviceAccount: { namespace: NS, name: 'podid-no-tagsession' } }, ['Correct the Trust Policy...', 'Show Old and New', 'Cancel']);
    assert.deepStrictEqual(result.offered, ['update-trust-policy']);
    const question = asked.filter((a) => /^showWarningMessage: Update the trust policy of arn:aws:iam::\d{12}:role\/workload-podid-no-tagsession on prod-payments\?$/.test(a));
    assert.strictEqual(question.length, 2, `asked in the modal, then again beside the diff: ${asked.join(' | ')}`);
    const diff = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.input).find((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.original.scheme === 'eks-auth-diff');
    assert.ok(diff, 'the old and new trust policy open in a diff editor');
    const [before, after] = await Promise.all([vscode.workspace.openTextDocument(diff.original), vscode.workspace.openTextDocument(diff.modified)]);
    assert.deepStrictEqual([before.getText().includes('sts:TagSession'), after.getText().includes('sts:TagSession')], [false, true]);
    assert.strictEqual(result.explanations.length, 1, 'not explained again: nothing changed');
    assert.deepStrictEqual(writes(emu), []);
  });

  it('a confirmed trust policy fix makes the explanation pass', async () => {
    const { result } = await explain({ serviceAccount: { namespace: NS, name: 'podid-no-tagsession' } }, ['Correct the Trust Policy...', 'Update']);
    assert.deepStrictEqual(writes(emu).map((c) => c.operation), ['UpdateAssumeRolePolicy']);
    assert.deepStrictEqual(result.explanations.map((e) => e.works), [false, true], JSON.stringify(result.explanations.at(-1)?.steps.filter((s) => s.verdict !== 'ok')));
  });

  // As `kubectl rollout restart` does it (kubectl pkg/polymorphichelpers/objectrestarter.go): the Deployment's pod
  // template gets kubectl.kubernetes.io/restartedAt and its controller replaces the pods; no pod is deleted.
  it('restarting the pod created before its association: the confirmed rollout restart of its Deployment makes the new pod pass', async () => {
    const pod = await podOf('podid-created-before');
    const { result, asked } = await explain({ pod: { namespace: NS, name: pod } }, ['Restart the Pods...', 'Restart']);
    assert.ok(asked.includes(`showWarningMessage: Restart 1 workload of ${NS}/podid-created-before so the webhook admits new pods on prod-payments?`), asked.join(' | '));
    const sent = writes(emu);
    assert.deepStrictEqual(sent.map((c) => c.operation), [`prod-payments PATCH /apis/apps/v1/namespaces/${NS}/deployments/podid-created-before`]);
    const patch = JSON.parse(String(sent[0].params.body)) as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    assert.match(patch.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepStrictEqual(result.explanations.map((e) => e.works), [false, true], JSON.stringify(result.explanations.at(-1)?.steps.filter((s) => s.verdict !== 'ok')));
    assert.notStrictEqual(await podOf('podid-created-before'), pod, 'the Deployment made a new pod');
  });

  it('creating the missing IAM OIDC provider makes the IRSA service account pass', async () => {
    const { result } = await explain({ serviceAccount: { namespace: NS, name: 'irsa-no-oidc-provider' } }, ['Create the IAM OIDC Provider', 'Create'], 'legacy-batch');
    assert.deepStrictEqual(result.explanations[0].steps.find((s) => s.id === 'oidc-provider')?.kind, 'oidc-provider-missing');
    const created = writes(emu);
    assert.deepStrictEqual(created.map((c) => c.operation), ['CreateOpenIDConnectProvider']);
    assert.match(String(created[0].params.Url), /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]+$/, JSON.stringify(created[0].params));
    assert.deepStrictEqual(Object.keys(created[0].params).filter((k) => /thumbprint/i.test(k)), [], 'no thumbprint is sent');
    assert.deepStrictEqual(result.explanations.map((e) => e.works), [false, true], JSON.stringify(result.explanations.at(-1)?.steps.filter((s) => s.verdict !== 'ok')));
  });

  it('an audience the OIDC provider does not list: declining writes nothing; adding the client ID, then correcting the trust policy, makes it pass', async () => {
    const who = { serviceAccount: { namespace: NS, name: 'irsa-aud-mismatch' } };
    const declined = await explain(who, ['Add the Client ID to the OIDC Provider', 'Cancel']);
    assert.deepStrictEqual(declined.result.offered, ['add-client-id']);
    assert.ok(declined.asked.some((a) => /^showWarningMessage: Add vault\.example\.com as a client ID of the OIDC provider arn:aws:iam::\d{12}:oidc-provider\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]+ on prod-payments\?$/.test(a)), declined.asked.join(' | '));
    assert.deepStrictEqual(writes(emu), []);
    const { result } = await explain(who, ['Add the Client ID to the OIDC Provider', 'Add Client ID', 'Correct the Trust Policy...', 'Update']);
    assert.strictEqual(result.explanations[0].steps.find((s) => s.id === 'oidc-provider')?.kind, 'oidc-client-id-missing');
    const sent = writes(emu);
    assert.deepStrictEqual(sent.map((c) => c.operation), ['AddClientIDToOpenIDConnectProvider', 'UpdateAssumeRolePolicy']);
    assert.deepStrictEqual(sent[0].params.ClientID, 'vault.example.com');
    assert.deepStrictEqual(result.explanations.map((e) => e.works), [false, false, true], JSON.stringify(result.explanations.at(-1)?.steps.filter((s) => s.verdict !== 'ok')));
    assert.strictEqual(result.explanations[1].steps.find((s) => s.id === 'oidc-provider')?.verdict, 'ok', 'after the client ID, only the trust policy is left');
  });

  it('a target role in another account none of the configured profiles is in: the step names that account\'s profile as what would check it', async () => {
    const { result } = await explain({ serviceAccount: { namespace: NS, name: 'podid-cross-account' } }, []);
    const step = result.explanations[0].steps.find((s) => s.id === 'target-trust');
    assert.deepStrictEqual([step?.verdict, step?.fix], ['unknown', 'Add a profile for account 444455556666 (to ~/.aws/config, and to eksAuth.profiles when that setting lists profiles) to check this step.'], JSON.stringify(step));
    assert.ok(!emu.calls.some((c) => c.operation === 'GetRole' && c.params.RoleName === 'workload-podid-cross-account-target'), 'not read with the cluster account\'s credentials');
  });

  it('a pod whose association was deleted: creating it again, for the role the user names, makes the pod pass', async () => {
    const gone = emu.workload.associations.find((a) => a.clusterName === 'prod-payments' && a.serviceAccount === 'podid-works')!;
    emu.workload.associations = emu.workload.associations.filter((a) => a !== gone);
    const pod = await podOf('podid-works');
    const { result, asked } = await explain({ pod: { namespace: NS, name: pod } }, ['Create a Pod Identity Association...', gone.roleArn, 'Create']);
    assert.strictEqual(result.explanations[0].steps.find((s) => s.verdict === 'fail')?.kind, 'association-missing');
    assert.ok(asked.some((a) => a.startsWith(`input: IAM role for ${NS}/podid-works`)), asked.join(' | '));
    const created = writes(emu);
    assert.deepStrictEqual(created.map((c) => c.operation), ['CreatePodIdentityAssociation']);
    assert.deepStrictEqual([created[0].params.namespace, created[0].params.serviceAccount, created[0].params.roleArn], [NS, 'podid-works', gone.roleArn]);
    assert.deepStrictEqual(result.explanations.map((e) => e.works), [false, true], JSON.stringify(result.explanations.at(-1)?.steps.filter((s) => s.verdict !== 'ok')));
  });

  it('a cluster without the Pod Identity Agent add-on: installing it makes the association\'s pod pass', async () => {
    emu.workload.agentAddons.delete('us-east-1/prod-payments');
    emu.workload.addonCreateMs = 0;
    const pod = await podOf('podid-works');
    const { result } = await explain({ pod: { namespace: NS, name: pod } }, ['Install the Pod Identity Agent', 'Install']);
    assert.strictEqual(result.explanations[0].steps.find((s) => s.id === 'agent')?.kind, 'agent-missing');
    assert.deepStrictEqual(writes(emu).map((c) => c.operation), ['CreateAddon']);
    assert.deepStrictEqual(result.explanations.map((e) => e.works), [false, true], JSON.stringify(result.explanations.at(-1)?.steps.filter((s) => s.verdict !== 'ok')));
  });
});
