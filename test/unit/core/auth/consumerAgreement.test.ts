/**
 * Consumer agreement: generated and mutated aws-auth documents, each read by the authenticator model and by every
 * consumer that must agree with it (all of them ask the model, so this checks that they read it alike, not that the
 * model is right: go-yaml itself judges the reading in goYamlDifferential.test.ts, and a separate Go mapper judges the
 * verdicts in whole-document differential tests): the linter's drop rules (whole section A03/A04/A18, one entry A05/A06, one field
 * A09/A18), explain, the migration planner and the node-role status. Any disagreement fails with the input.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { mutate, seededRandom } from '../../../../scripts/fuzzMutations';
import { explainAccess } from '../../../../src/core/access/explain';
import { planMigration } from '../../../../src/core/access/migrate';
import { authenticate, AwsAuthModel, loadAwsAuth, SECTION_KEYS } from '../../../../src/core/auth/authenticator';
import { readConfigMapData } from '../../../../src/core/auth/configMapText';
import { lintAwsAuth, Problem } from '../../../../src/core/auth/lint';
import { nodeRoleStatus } from '../../../../src/core/clusters/model';

const A = '111122223333';
const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');
const ROLE_NAMES = ['Dev', 'dev', 'Node', 'Admin', 'team/Dev'];
const SCALARS = ['dev', 'on', 'yes', '"on"', 'no', '12345', '0x1F', '~', '', '"{{SessionName}}"', '{{SessionName}}', '{x}', 'system:node:{{EC2PrivateDNSName}}', '"dev:{{SessionName}}"', '2001-12-14', '!!str 7', '1e3', '.5', "'quoted'", '*a'];
const GROUPS = ['[system:bootstrappers, system:nodes]', '[devs, yes]', 'system:masters', '\n    - devs\n    - ops', '\n    - a\n     - b', '[]', '~', '[{{x}}]', '[viewers]', '&a [x]'];
const KEYS = ['rolearn', 'RoleArn', 'username', 'UserName', 'groups', 'Groups', 'group', 'userid', 'sso'];

function generated(random: () => number): Record<string, string> {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const item = (section: 'mapRoles' | 'mapUsers') => {
    const lines: string[] = [];
    const arnKey = section === 'mapRoles' ? 'rolearn' : 'userarn';
    const arn = section === 'mapRoles' ? `arn:aws:iam::${A}:role/${pick(ROLE_NAMES)}` : `arn:aws:iam::${A}:user/${pick(['bob', 'BOB', 'team/bob'])}`;
    if (random() > 0.1) lines.push(`${random() > 0.8 ? arnKey.toUpperCase() : arnKey}: ${random() > 0.9 ? `"${arn} "` : arn}`);
    const n = Math.floor(random() * 4);
    for (let i = 0; i < n; i++) {
      const key = pick(KEYS);
      if (key.toLowerCase() === 'groups') lines.push(`${key}: ${pick(GROUPS)}`);
      else if (key === 'sso') lines.push(`sso: {permissionSetName: Admin, accountID: "${A}"}`);
      else lines.push(`${key}: ${pick(SCALARS)}`);
    }
    if (!lines.length) return `- ${pick(SCALARS) || '~'}`;
    return lines.map((l, i) => (i === 0 ? `- ${l}` : `${random() > 0.97 ? ' ' : '  '}${l}`)).join('\n');
  };
  const section = (s: 'mapRoles' | 'mapUsers') => Array.from({ length: 1 + Math.floor(random() * 4) }, () => item(s)).join('\n') + '\n';
  const data: Record<string, string> = {};
  if (random() > 0.1) data.mapRoles = section('mapRoles');
  if (random() > 0.5) data.mapUsers = section('mapUsers');
  if (random() > 0.7) data.mapAccounts = pick([`- "${A}"\n`, `- ${A}\n`, '- {a: b}\n', `"${A}"\n`]);
  return data;
}

function asConfigMap(data: Record<string, string>): string {
  const block = (v: string) => '|\n' + v.split('\n').map((l) => (l ? `    ${l}` : '')).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${block(v)}`).join('\n')}\n`;
}

const count = (problems: Problem[], codes: string[], severity = 'error') => problems.filter((p) => codes.includes(p.code) && p.severity === severity).length;

/** What the model drops, counted the way the linter reports it. */
function drops(model: AwsAuthModel) {
  let sections = 0;
  let entries = 0;
  let fields = 0;
  for (const key of SECTION_KEYS) {
    const s = model.sections[key];
    if (s.error || s.notAList) sections++;
    for (const item of s.items) {
      if (item.typeErrors.some((t) => t.field === '')) entries++;
      else {
        if (item.dropped) entries++;
        fields += item.typeErrors.length;
      }
    }
  }
  return { sections, entries, fields };
}

const iam = { resolvePrincipal: async (arn: string) => arn };

describe('authenticator model: its consumers agree with it', function () {
  this.timeout(120000);

  it('agrees with the linter, explain, the migration plan and node-role status on 7,000 documents (at least 5,000 compared)', async () => {
    const random = seededRandom(20261201);
    const fixtures = fs.readdirSync(FIXTURES).filter((f) => /^aws-auth.*\.ya?ml$/.test(f)).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
    let compared = 0;
    let disagreements = 0;
    const failures: string[] = [];
    for (let i = 0; i < 7000; i++) {
      const text = i % 3 === 0 ? mutate(fixtures[i % fixtures.length], random) : asConfigMap(generated(random));
      let data: Record<string, string>;
      try {
        data = readConfigMapData(text);
      } catch {
        continue;
      }
      if (text.includes('eks-auth-disable')) continue;
      compared++;
      const model = loadAwsAuth(data);
      const problems = lintAwsAuth(text);
      const d = drops(model);
      const lint = { sections: count(problems, ['A03', 'A04']) + problems.filter((p) => p.code === 'A18' && /whole/.test(p.message)).length, entries: count(problems, ['A05', 'A06']), fields: count(problems, ['A09']) + problems.filter((p) => p.code === 'A18' && !/whole/.test(p.message)).length };
      const disagree = (what: string) => {
        disagreements++;
        if (failures.length < 3 || process.env.FUZZ_ALL) failures.push(`#${i} ${what}\n${text}`);
      };
      if (lint.sections !== d.sections || lint.entries !== d.entries || lint.fields !== d.fields) disagree(`lint ${JSON.stringify(lint)} vs model ${JSON.stringify(d)}`);

      for (const name of ['Dev', 'Node', 'Admin']) {
        const callers = [`arn:aws:sts::${A}:assumed-role/${name}/i-0123456789abcdef0`, `arn:aws:sts::${A}:assumed-role/${name}/jane@example.com`, `arn:aws:iam::${A}:user/bob`];
        for (const caller of callers) {
          const truth = authenticate(caller, { mode: 'CONFIG_MAP', awsAuth: model });
          const e = explainAccess(caller, { mode: 'CONFIG_MAP', accessEntries: [], awsAuth: data });
          if (e.authenticated !== truth.authenticated || e.username !== truth.username || JSON.stringify(e.groups) !== JSON.stringify(truth.groups)) disagree(`explain ${caller}`);
          if (e.authenticated && e.fix) disagree(`explain offers a fix to an authenticated ${caller}`);
        }
        const roleArn = `arn:aws:iam::${A}:role/${name}`;
        const status = nodeRoleStatus(roleArn, 'CONFIG_MAP', [], model);
        const nodeTruth = authenticate(`arn:aws:sts::${A}:assumed-role/${name}/i-0123456789abcdef0`, { mode: 'CONFIG_MAP', awsAuth: model });
        const joins = nodeTruth.authenticated && ['system:bootstrappers', 'system:nodes'].every((g) => nodeTruth.groups.includes(g));
        if (status.mapped !== joins) disagree(`node role ${name}: status ${status.mapped}, model ${joins}`);
      }

      const { items } = await planMigration(data, { existing: [], iam, callerAccount: A, policiesOf: async () => [] });
      for (const item of items.filter((x) => x.action === 'create')) {
        const p = item.entry!.principalArn;
        const caller = p.includes(':user/') ? p : p.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/i-0123456789abcdef0';
        const truth = authenticate(caller, { mode: 'CONFIG_MAP', awsAuth: model });
        if (!truth.template) disagree(`migration creates ${p}, which aws-auth does not map`);
        else if (item.entry!.type === 'STANDARD' && (item.entry!.username ?? '') !== truth.template.username) disagree(`migration gives ${p} username ${item.entry!.username}, aws-auth ${truth.template.username}`);
      }
      const principals = items.filter((x) => x.action === 'create').map((x) => x.entry!.principalArn.toLowerCase());
      if (new Set(principals).size !== principals.length) disagree('migration plans two entries for one principal');
    }
    assert.ok(compared >= 5000, `compared ${compared} documents`);
    assert.strictEqual(disagreements, 0, failures.join('\n\n'));
    console.log(`      consumer agreement: ${compared} documents compared, ${disagreements} disagreements`);
  });
});
