/**
 * Whole-document differential: the TypeScript model (authenticator.ts `authenticate`) against a separate Go mapper
 * (go/awsauthyaml/mapper.go, written from aws-iam-authenticator's ParseMap, Validate, saveMap, Canonicalize,
 * doMapping and renderTemplates, on go-yaml v2 and encoding/json themselves), over generated and mutated aws-auth
 * documents, access entries, modes and callers. They must agree on authenticated, username and groups.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { mutate, seededRandom } from '../../../../scripts/fuzzMutations';
import { AccessEntryInfo, AuthenticationMode, authenticate, callerFor } from '../../../../src/core/auth/authenticator';
import { readConfigMapData } from '../../../../src/core/auth/configMapText';
import { askGoOracle } from './goOracle';

const A = '111122223333';
const FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures');
const INSTANCE = 'i-0123456789abcdef0';
const DNS = 'ip-10-0-0-1.ec2.internal';
const KEY = 'ASIAEXAMPLEKEY123456';

function generator(random: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const names = ['Dev', 'dev', 'Node', 'Admin', 'team/Dev', 'Fargate'];
  const scalars = ['dev', 'on', '"on"', '12345', '~', '', '"{{SessionName}}"', 'system:node:{{EC2PrivateDNSName}}', '"dev:{{SessionName}}"', '"{{AccountID}}-{{SessionNameRaw}}-{{AccessKeyID}}"', '"x:{{Unknown}}"', "'q'", '!!str 7'];
  const groups = ['[system:bootstrappers, system:nodes]', '[devs, yes]', 'system:masters', '\n    - devs\n    - "{{SessionName}}"', '[]', '~', '[viewers]', '[system:node-proxier, "{{AccountID}}"]'];
  const keys = ['username', 'UserName', 'groups', 'Groups', 'group', 'userid', 'sso'];
  const item = (section: 'mapRoles' | 'mapUsers') => {
    const arnKey = section === 'mapRoles' ? 'rolearn' : 'userarn';
    const arn = section === 'mapRoles' ? `arn:aws:iam::${A}:role/${pick(names)}` : `arn:aws:iam::${A}:user/${pick(['bob', 'BOB', 'team/bob'])}`;
    const lines = random() > 0.08 ? [`${random() > 0.85 ? arnKey.toUpperCase() : arnKey}: ${random() > 0.93 ? `"${arn} "` : arn}`] : [];
    for (let i = Math.floor(random() * 4); i > 0; i--) {
      const key = pick(keys);
      if (key.toLowerCase() === 'groups') lines.push(`${key}: ${pick(groups)}`);
      else if (key === 'sso') lines.push(`sso: {permissionSetName: Admin, accountID: "${A}"}`);
      else lines.push(`${key}: ${pick(scalars)}`);
    }
    return lines.length ? lines.map((l, i) => (i ? '  ' : '- ') + l).join('\n') : `- ${pick(scalars) || '~'}`;
  };
  const section = (s: 'mapRoles' | 'mapUsers') => Array.from({ length: 1 + Math.floor(random() * 4) }, () => item(s)).join('\n') + '\n';
  const data = (): Record<string, string> => {
    const d: Record<string, string> = {};
    if (random() > 0.1) d.mapRoles = section('mapRoles');
    if (random() > 0.5) d.mapUsers = section('mapUsers');
    if (random() > 0.7) d.mapAccounts = pick([`- "${A}"\n`, `- ${A}\n`, '- {a: b}\n', `"${A}"\n`, "''"]);
    return d;
  };
  // EKS keeps one access entry per principal (CreateAccessEntry answers ResourceInUseException for a second one).
  const entries = (): AccessEntryInfo[] => {
    const list = random() > 0.5
      ? []
      : Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
          const type = pick(['STANDARD', 'STANDARD', 'EC2_LINUX', 'FARGATE_LINUX', undefined]);
          const role = random() > 0.2;
          return {
            principalArn: role ? `arn:aws:iam::${A}:role/${pick(['Dev', 'Node', 'path/Admin', 'Fargate'])}` : `arn:aws:iam::${A}:user/bob`,
            ...(type ? { type } : {}),
            ...(random() > 0.6 ? { username: pick(['ae-user', 'ae:{{SessionName}}']) } : {}),
            ...(random() > 0.5 ? { kubernetesGroups: [pick(['ae-group', 'viewers'])] } : {}),
          };
        });
    return list.filter((e, i) => list.findIndex((x) => x.principalArn === e.principalArn) === i);
  };
  return { data, entries, pick };
}

const CALLERS = ['Dev', 'Node', 'Admin', 'Fargate'].flatMap((r) => [`arn:aws:sts::${A}:assumed-role/${r}/${INSTANCE}`, `arn:aws:sts::${A}:assumed-role/${r}/jane@example.com`]).concat([`arn:aws:iam::${A}:user/bob`, `arn:aws:iam::${A}:user/team/bob`, `arn:aws:sts::999988887777:assumed-role/Dev/x`, `arn:aws:iam::${A}:root`]);
const MODES: AuthenticationMode[] = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

interface GoAuth {
  authenticated: boolean;
  username?: string;
  groups?: string[];
  error?: string;
}

describe('authenticator model: whole-document differential against a separate Go mapper', function () {
  this.timeout(180000);

  it('agrees on authenticated, username and groups over 3,000 documents and their callers', () => {
    const random = seededRandom(20261203);
    const g = generator(random);
    const fixtures = fs.readdirSync(FIXTURES).filter((f) => /^aws-auth.*\.ya?ml$/.test(f)).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
    const cases: { mode: AuthenticationMode; data: Record<string, string>; entries: AccessEntryInfo[]; arn: string }[] = [];
    for (let i = 0; i < 3000; i++) {
      let data: Record<string, string>;
      if (i % 4 === 0) {
        try {
          data = readConfigMapData(mutate(fixtures[i % fixtures.length], random));
        } catch {
          continue;
        }
      } else data = g.data();
      const mode = i % 5 === 0 ? g.pick(MODES) : 'CONFIG_MAP';
      const entries = mode === 'CONFIG_MAP' ? [] : g.entries();
      for (const arn of CALLERS) cases.push({ mode, data, entries, arn });
    }
    const oracle = askGoOracle<{ auth: GoAuth }>(cases.map((c) => ({ op: 'authenticate', auth: { mode: c.mode, awsAuth: c.data, accessEntries: c.entries, arn: c.arn, accessKeyId: KEY, privateDnsNames: { [INSTANCE]: DNS } } })));
    const failures: string[] = [];
    let compared = 0;
    let authenticated = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i];
      const model = authenticate({ ...callerFor(c.arn), accessKeyId: KEY }, { mode: c.mode, awsAuth: c.data, accessEntries: c.entries });
      // mapUsers entries differing only in case: the authenticator picks one through Go's random map order.
      if (model.ambiguous) continue;
      compared++;
      const go = oracle[i].auth;
      const dns = (s: string) => s.split('{{EC2PrivateDNSName}}').join(DNS);
      const mine = { authenticated: model.authenticated, username: model.authenticated ? dns(model.username ?? '') : undefined, groups: model.authenticated ? model.groups.map(dns) : undefined };
      const theirs = { authenticated: go.authenticated, username: go.authenticated ? (go.username ?? '') : undefined, groups: go.authenticated ? (go.groups ?? []) : undefined };
      if (mine.authenticated) authenticated++;
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) failures.push(`#${i} ${c.mode} ${c.arn}: model ${JSON.stringify(mine)} (${model.log}), Go ${JSON.stringify(theirs)} (${go.error ?? ''})\n${JSON.stringify(c.data)} ${JSON.stringify(c.entries)}`);
    }
    console.log(`      mapper differential: ${compared} caller checks, ${authenticated} authenticated, ${failures.length} disagreements`);
    assert.ok(compared > 20000 && authenticated > 2000, `compared ${compared}, authenticated ${authenticated}`);
    assert.deepStrictEqual(failures.slice(0, 5), []);
  });
});
