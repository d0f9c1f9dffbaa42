import * as assert from 'assert';
import { explainArn } from '../../../../src/core/insights/explain';
import type { Mapping } from '../../../../src/core/clusters/model';

const A = '111122223333';
const m = (section: Mapping['section'], arn: string, groups: string[] = [], username = 'u'): Mapping => ({ section, arn, groups, username });

describe('explainArn', () => {
  const cases: { name: string; arn: string; mode: 'CONFIG_MAP' | 'API_AND_CONFIG_MAP' | 'API'; entries?: string[]; mappings?: Mapping[]; verdict: RegExp; nearMiss?: RegExp; fix?: string }[] = [
    { name: 'an assumed-role caller mapped by mapRoles', arn: `arn:aws:sts::${A}:assumed-role/Dev/jane`, mode: 'CONFIG_MAP', mappings: [m('mapRoles', `arn:aws:iam::${A}:role/Dev`, ['developers'])], verdict: /Mapped by aws-auth mapRoles.*developers/ },
    { name: 'a case difference still matches', arn: `arn:aws:iam::${A}:role/dev`, mode: 'CONFIG_MAP', mappings: [m('mapRoles', `arn:aws:iam::${A}:role/Dev`)], verdict: /Mapped by aws-auth/ },
    { name: 'a mapping written with a path', arn: `arn:aws:iam::${A}:role/Deployer`, mode: 'CONFIG_MAP', mappings: [m('mapRoles', `arn:aws:iam::${A}:role/ci/Deployer`)], verdict: /Unauthorized/, nearMiss: /path/, fix: 'openAwsAuth' },
    { name: 'a mapping written as a session ARN', arn: `arn:aws:iam::${A}:role/Data`, mode: 'CONFIG_MAP', mappings: [m('mapRoles', `arn:aws:sts::${A}:assumed-role/Data/jane`)], verdict: /Unauthorized/, nearMiss: /session ARN/ },
    { name: 'a duplicate that shadows the first entry', arn: `arn:aws:iam::${A}:role/Admin`, mode: 'CONFIG_MAP', mappings: [m('mapRoles', `arn:aws:iam::${A}:role/Admin`, ['system:masters']), m('mapRoles', `arn:aws:iam::${A}:role/admin`, ['viewers'])], verdict: /Mapped/, nearMiss: /2 times.*viewers/ },
    { name: 'an access entry wins in API_AND_CONFIG_MAP', arn: `arn:aws:iam::${A}:role/Dev`, mode: 'API_AND_CONFIG_MAP', entries: [`arn:aws:iam::${A}:role/Dev`], mappings: [m('mapRoles', `arn:aws:iam::${A}:role/Dev`)], verdict: /access entry.*wins/ },
    { name: 'API mode ignores aws-auth', arn: `arn:aws:iam::${A}:role/Dev`, mode: 'API', mappings: [m('mapRoles', `arn:aws:iam::${A}:role/Dev`)], verdict: /Unauthorized: no access entry/, nearMiss: /API mode/, fix: 'openAwsAuth' },
    { name: 'unmapped in API mode offers an access entry', arn: `arn:aws:iam::${A}:role/New`, mode: 'API', verdict: /Unauthorized/, fix: 'createAccessEntry' },
    { name: 'mapAccounts maps the whole account', arn: `arn:aws:iam::${A}:user/bob`, mode: 'CONFIG_MAP', mappings: [m('mapAccounts', A)], verdict: /mapAccounts/ },
    { name: 'an access entry with a role path matches', arn: `arn:aws:sts::${A}:assumed-role/Ops/s`, mode: 'API', entries: [`arn:aws:iam::${A}:role/teams/Ops`], verdict: /Mapped by the access entry/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = explainArn(c.arn, c.mode, c.entries ?? [], c.mappings ?? []);
      assert.match(e.verdict, c.verdict);
      if (c.nearMiss) assert.ok(e.nearMisses.some((n) => c.nearMiss!.test(n)), e.nearMisses.join(' | '));
      if (c.fix) assert.strictEqual(e.fix?.kind, c.fix);
    });
  }
});
