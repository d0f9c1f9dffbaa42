/**
 * Conformance of the authenticator model with kubernetes-sigs/aws-iam-authenticator (read at v0.7.18-11-g81b1dab),
 * go-yaml v2.4.2 and sigs.k8s.io/yaml v1.6.0. Each case names the upstream file (and line) it rests on; the rules
 * are written out in docs/authenticator.md. The expected values come from reading that source, not from our code.
 */
import * as assert from 'assert';
import { AccessEntryInfo, authenticate, AuthenticationMode, loadAwsAuth } from '../../../../src/core/auth/authenticator';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/Dev`;
const SESSION = `arn:aws:sts::${A}:assumed-role/Dev/jane`;
const roles = (yaml: string) => ({ mapRoles: yaml });
const users = (yaml: string) => ({ mapUsers: yaml });
const dev = (extra = '', username = 'dev') => `- rolearn: ${ROLE}\n  username: ${username}\n${extra}`;
const NODE = `- rolearn: arn:aws:iam::${A}:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n`;
const node = (session: string) => `arn:aws:sts::${A}:assumed-role/Node/${session}`;

const CM = 'pkg/mapper/configmap/configmap.go';
const MAPPER = 'pkg/config/mapper.go';
const SERVER = 'pkg/server/server.go';
const ARN = 'pkg/arn/arn.go';
const RESOLVE = 'go-yaml v2.4.2 resolve.go resolve()';
const DECODE = 'go-yaml v2.4.2 decode.go';
const SIGS = 'sigs.k8s.io/yaml v1.6.0 yaml.go';
const JSON_DECODE = 'encoding/json Unmarshal (type errors skip the field, decoding continues)';

interface Case {
  name: string;
  source: string;
  data?: Record<string, string>;
  arn: string;
  mode?: AuthenticationMode;
  entries?: AccessEntryInfo[];
  authenticated: boolean;
  username?: string;
  groups?: string[];
  via?: string;
  log?: RegExp;
}

const CASES: Case[] = [
  // Which ConfigMap keys are read
  { name: 'item keys in any case (rOlEaRn, UsErNaMe, gRoUpS)', source: 'pkg/mapper/configmap/yaml/aws-auth-crazy-case-keys.yaml, yaml_test.go', data: roles(`- rOlEaRn: ${ROLE}\n  UsErNaMe: dev\n  gRoUpS:\n    - devs\n`), arn: SESSION, authenticated: true, username: 'dev', groups: ['devs'] },
  { name: 'a data key in another case (MaPrOlEs) is not read', source: 'pkg/mapper/configmap/yaml/aws-auth-crazy-case-top-keys.yaml; configmap.go:152 m["mapRoles"]', data: { MaPrOlEs: dev() }, arn: SESSION, authenticated: false, log: /identity is not mapped/ },
  { name: 'maproles in lower case is not read', source: 'pkg/mapper/configmap/yaml/aws-auth-lower-case-top-keys.yaml', data: { maproles: dev() }, arn: SESSION, authenticated: false },
  { name: 'a mis-indented group merges two items into one string', source: 'pkg/mapper/configmap/yaml/aws-auth-space-out-of-place.yaml, yaml_test.go:80-90', data: roles(`- rolearn: ${ROLE}\n  username: dev\n  groups:\n    - system:bootstrappers\n     - system:nodes\n`), arn: SESSION, authenticated: true, groups: ['system:bootstrappers - system:nodes'] },
  // Empty and skipped sections
  { name: 'a blank section is skipped', source: `${CM}:192 isSkippable`, data: { mapRoles: '   \n', mapAccounts: `- "${A}"\n` }, arn: SESSION, authenticated: true, via: 'mapAccounts' },
  { name: 'a section of "" is skipped', source: `${CM}:192 isSkippable`, data: { mapRoles: '""' }, arn: SESSION, authenticated: false, log: /identity is not mapped/ },
  { name: "a section of '' is skipped", source: `${CM}:192 isSkippable`, data: { mapRoles: "''" }, arn: SESSION, authenticated: false },
  { name: 'a section of two backticks is skipped', source: `${CM}:192 isSkippable`, data: { mapRoles: '``' }, arn: SESSION, authenticated: false },
  { name: 'a section that is only null maps nothing, without error', source: `${SIGS} YAMLToJSON of ~ is null; json null into a slice`, data: { mapRoles: '~\n' }, arn: SESSION, authenticated: false },
  // What drops a whole section
  { name: 'a YAML syntax error drops every role, the valid ones too', source: `${CM}:154-157 (ToJSON error: section skipped)`, data: roles(`${dev()}- rolearn: arn:aws:iam::${A}:role/Other\n  groups: [\n`), arn: SESSION, authenticated: false },
  { name: 'sections are independent: a broken mapRoles leaves mapUsers working', source: `${CM}:123-190 ParseMap`, data: { mapRoles: '- rolearn: x\n  groups: [\n', mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n` }, arn: `arn:aws:iam::${A}:user/bob`, authenticated: true, username: 'bob' },
  { name: 'a section that is a mapping is not a list: nothing maps', source: `${CM}:158 json.Unmarshal into []RoleMapping`, data: roles(`rolearn: ${ROLE}\nusername: dev\n`), arn: SESSION, authenticated: false },
  { name: 'a section that is a plain string maps nothing', source: `${CM}:158`, data: roles('hello\n'), arn: SESSION, authenticated: false },
  { name: 'a section starting with { is taken as JSON as it is, and is no list', source: 'k8s.io/apimachinery util/yaml ToJSON (hasJSONPrefix)', data: roles(`{"rolearn": "${ROLE}", "username": "dev"}`), arn: SESSION, authenticated: false },
  { name: 'a JSON list in flow style is YAML and works', source: `${SIGS}; ${CM}:154`, data: roles(`[{"rolearn": "${ROLE}", "username": "dev"}]`), arn: SESSION, authenticated: true, username: 'dev' },
  { name: 'unquoted {{SessionName}} is a mapping used as a key: the whole section is dropped, node roles included', source: `${DECODE}:673 mapping(): invalid map key`, data: roles(`${NODE}- rolearn: ${ROLE}\n  username: {{SessionName}}\n`), arn: node('i-0123456789abcdef0'), authenticated: false },
  { name: 'a value of .inf makes json.Marshal fail: the whole section is dropped', source: `${SIGS}:174 json.Marshal (unsupported value +Inf)`, data: roles(`${dev()}- rolearn: arn:aws:iam::${A}:role/X\n  username: .inf\n`), arn: SESSION, authenticated: false },
  { name: 'an alias to an unknown anchor fails the section', source: `${DECODE}:185 alias(): unknown anchor`, data: roles(dev('  groups: *nope\n')), arn: SESSION, authenticated: false },
  { name: 'an explicit !!int that is not a number fails the section', source: `${RESOLVE}: failf cannot decode`, data: roles(dev('', '!!int abc')), arn: SESSION, authenticated: false },
  { name: 'a null key cannot become a JSON key: the section fails', source: `${SIGS}:247 unsupported map key`, data: roles(dev('  ~: x\n')), arn: SESSION, authenticated: false },
  // Documents
  { name: 'only the first YAML document of a section is read', source: 'go-yaml v2.4.2 yaml.go:142 unmarshal reads one document', data: roles(`${dev()}---\n- rolearn: arn:aws:iam::${A}:role/Second\n  username: second\n`), arn: `arn:aws:sts::${A}:assumed-role/Second/s`, authenticated: false },
  { name: 'a syntax error after the first document does not drop the section', source: 'go-yaml v2.4.2 yaml.go:142 (the parser stops after the first document)', data: roles(`${dev()}---\n- groups: [\n`), arn: SESSION, authenticated: true, username: 'dev' },
  // What drops one entry
  { name: 'an entry without rolearn is dropped; the others stay', source: `${MAPPER}:37 one of rolearn or SSO must be supplied`, data: roles(`- username: lost\n${dev()}`), arn: SESSION, authenticated: true, username: 'dev' },
  { name: 'an entry with both rolearn and sso is dropped', source: `${MAPPER}:39 only one of rolearn or SSO can be supplied`, data: roles(dev(`  sso:\n    permissionSetName: Admin\n    accountID: "${A}"\n`)), arn: SESSION, authenticated: false },
  { name: 'a valid sso entry is kept but never matches: SSORoleMatch is off by default', source: 'pkg/config/features.go SSORoleMatch Default false; mapper.go:82', data: roles(`- sso:\n    permissionSetName: Admin\n    accountID: "${A}"\n  username: admin\n`), arn: `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane`, authenticated: false },
  { name: 'an item that is a string decodes to an empty mapping and is dropped', source: `${JSON_DECODE}; ${MAPPER}:37`, data: roles(`- ${ROLE}\n${dev()}`), arn: SESSION, authenticated: true, username: 'dev' },
  { name: 'a user entry without userarn is dropped', source: `${MAPPER}:116 value for userarn must be supplied`, data: users(`- username: bob\n`), arn: `arn:aws:iam::${A}:user/bob`, authenticated: false },
  // What drops one field (YAML 1.1 scalars)
  { name: 'username: on is a YAML 1.1 boolean: the username is dropped, the entry kept', source: `${RESOLVE} (on is true); ${JSON_DECODE}`, data: roles(dev('', 'on')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: yes is a boolean too', source: `${RESOLVE} resolveMapList`, data: roles(dev('', 'yes')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: y is a boolean in go-yaml v2', source: `${RESOLVE} resolveMapList (y, Y, yes, ...)`, data: roles(dev('', 'y')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: "on" quoted is a string', source: `${DECODE}:411 scalar(): quoted scalars are strings`, data: roles(dev('', '"on"')), arn: SESSION, authenticated: true, username: 'on' },
  { name: 'username: 12345 is a number: dropped', source: `${RESOLVE} ParseInt; ${JSON_DECODE}`, data: roles(dev('', '12345')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: 0x1F is a hex number in go-yaml v2', source: `${RESOLVE} strconv.ParseInt(plain, 0, 64)`, data: roles(dev('', '0x1F')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: 1_000 is a number (underscores removed)', source: `${RESOLVE} strings.Replace(in, "_", "", -1)`, data: roles(dev('', '1_000')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: 1e3 is a float', source: `${RESOLVE} yamlStyleFloat`, data: roles(dev('', '1e3')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: 1.2.3 is a string', source: `${RESOLVE} (neither int nor float)`, data: roles(dev('', '1.2.3')), arn: SESSION, authenticated: true, username: '1.2.3' },
  { name: 'username: 2001-12-14 stays a string (timestamps into interface{} keep their text)', source: `${DECODE}:474 scalar(): timestamp as string`, data: roles(dev('', '2001-12-14')), arn: SESSION, authenticated: true, username: '2001-12-14' },
  { name: 'username: ~ is null: the username stays empty', source: `${RESOLVE} null; json null leaves a string as it was`, data: roles(dev('', '~')), arn: SESSION, authenticated: true, username: '' },
  { name: 'username: !!str 123 is the string 123', source: `${RESOLVE} (tag !!str)`, data: roles(dev('', '!!str 123')), arn: SESSION, authenticated: true, username: '123' },
  { name: 'username: {x} is a mapping: the field is dropped, the entry kept', source: `${JSON_DECODE}`, data: roles(dev('', '{x}')), arn: SESSION, authenticated: true, username: '' },
  { name: 'groups: system:masters (a string, not a list) drops the groups, keeps the entry', source: `${JSON_DECODE}`, data: roles(dev('  groups: system:masters\n')), arn: SESSION, authenticated: true, username: 'dev', groups: [] },
  { name: 'a boolean group becomes an empty group name; the others stay', source: `${JSON_DECODE} (array element of the wrong type keeps its zero value)`, data: roles(dev('  groups: [yes, devs]\n')), arn: SESSION, authenticated: true, groups: ['', 'devs'] },
  { name: 'a null group is an empty group name', source: 'encoding/json: null into a string is a no-op', data: roles(dev('  groups:\n    - devs\n    -\n')), arn: SESSION, authenticated: true, groups: ['devs', ''] },
  { name: 'an unknown key (group) is ignored', source: `${JSON_DECODE} (unknown fields ignored)`, data: roles(dev('  group: [devs]\n')), arn: SESSION, authenticated: true, groups: [] },
  { name: 'userid is a known field and changes nothing', source: 'pkg/config/types.go:63 RoleMapping.UserId', data: roles(dev('  userid: AROAEXAMPLE\n')), arn: SESSION, authenticated: true, username: 'dev' },
  // Duplicate keys, merge keys, aliases
  { name: 'a duplicate key in an item: the later value wins', source: `${DECODE}:685 setMapIndex (non-strict)`, data: roles(dev('  username: second\n')), arn: SESSION, authenticated: true, username: 'second' },
  { name: 'username and UserName in one item: JSON keys are sorted, so username (lower case) is decoded last and wins', source: `${SIGS} (map to JSON, json.Marshal sorts keys); ${JSON_DECODE}`, data: roles(`- rolearn: ${ROLE}\n  username: lower\n  UserName: upper\n`), arn: SESSION, authenticated: true, username: 'lower' },
  { name: 'a merge key brings in an anchored mapping', source: `${DECODE}:786 merge()`, data: roles(`- &base\n  rolearn: arn:aws:iam::${A}:role/Base\n  username: base\n  groups: [devs]\n- <<: *base\n  rolearn: ${ROLE}\n`), arn: SESSION, authenticated: true, username: 'base', groups: ['devs'] },
  { name: 'a merge after an explicit key replaces it (go-yaml v2 merges in order)', source: `${DECODE}:623 mapping() / 786 merge()`, data: roles(`- &base\n  rolearn: arn:aws:iam::${A}:role/Base\n  username: base\n- rolearn: ${ROLE}\n  username: own\n  <<: { username: merged }\n`), arn: SESSION, authenticated: true, username: 'merged' },
  { name: 'an alias reuses the anchored groups', source: `${DECODE}:390 alias()`, data: roles(`- rolearn: arn:aws:iam::${A}:role/X\n  username: x\n  groups: &g [devs, ops]\n- rolearn: ${ROLE}\n  username: dev\n  groups: *g\n`), arn: SESSION, authenticated: true, groups: ['devs', 'ops'] },
  // ARN canonicalization and comparison
  { name: 'an assumed-role session is compared as its role ARN', source: `${ARN}:56-62 Canonicalize`, data: roles(dev()), arn: SESSION, authenticated: true, via: 'mapRoles' },
  { name: 'the comparison ignores case', source: `${MAPPER}:75 strings.EqualFold`, data: roles(`- rolearn: arn:aws:iam::${A}:role/DEV\n  username: dev\n`), arn: `arn:aws:sts::${A}:assumed-role/dev/s`, authenticated: true },
  { name: 'a rolearn with a path never matches a session', source: `${ARN}:60 (STS ARNs carry no path); ${MAPPER}:75`, data: roles(`- rolearn: arn:aws:iam::${A}:role/team/Dev\n  username: dev\n`), arn: SESSION, authenticated: false },
  { name: 'a rolearn written as a session ARN never matches', source: `${MAPPER}:75 (compared with the canonical role ARN)`, data: roles(`- rolearn: ${SESSION}\n  username: dev\n`), arn: SESSION, authenticated: false },
  { name: 'white space inside quotes is compared too', source: `${MAPPER}:75 (no trimming)`, data: roles(`- rolearn: "${ROLE} "\n  username: dev\n`), arn: SESSION, authenticated: false },
  { name: 'an IAM user keeps its path', source: `${ARN}:70 (user ARNs unchanged)`, data: users(`- userarn: arn:aws:iam::${A}:user/team/bob\n  username: bob\n`), arn: `arn:aws:iam::${A}:user/team/bob`, authenticated: true, via: 'mapUsers' },
  { name: 'the root user can be mapped by its ARN', source: `${ARN}:72 ROOT`, data: users(`- userarn: arn:aws:iam::${A}:root\n  username: root\n`), arn: `arn:aws:iam::${A}:root`, authenticated: true, username: 'root' },
  { name: 'a federated user is compared as its STS ARN', source: `${ARN}:54 FEDERATED_USER`, data: users(`- userarn: arn:aws:sts::${A}:federated-user/Bob\n  username: bob\n`), arn: `arn:aws:sts::${A}:federated-user/Bob`, authenticated: true },
  { name: 'a user ARN in mapRoles still matches (roles are looked up for every caller)', source: 'pkg/mapper/configmap/mapper.go:46-57 Map', data: roles(`- rolearn: arn:aws:iam::${A}:user/bob\n  username: bob\n`), arn: `arn:aws:iam::${A}:user/bob`, authenticated: true, via: 'mapRoles' },
  { name: 'the China partition', source: `${ARN}:62; pkg/endpoints/partitions.go`, data: roles(`- rolearn: arn:aws-cn:iam::${A}:role/Dev\n  username: dev\n`), arn: `arn:aws-cn:sts::${A}:assumed-role/Dev/s`, authenticated: true },
  { name: 'the EU sovereign partition (aws-eusc)', source: 'pkg/endpoints/partitions.go PARTITIONS', data: roles(`- rolearn: arn:aws-eusc:iam::${A}:role/Dev\n  username: dev\n`), arn: `arn:aws-eusc:sts::${A}:assumed-role/Dev/s`, authenticated: true },
  { name: 'an unknown partition is no caller at all', source: `${ARN}:44 checkPartition`, data: roles(`- rolearn: arn:aws-xx:iam::${A}:role/Dev\n  username: dev\n`), arn: `arn:aws-xx:sts::${A}:assumed-role/Dev/s`, authenticated: false, log: /recognized partition/ },
  // Lookup order and duplicates
  { name: 'mapRoles is looked up before mapUsers', source: 'pkg/mapper/configmap/mapper.go:49-59', data: { mapRoles: `- rolearn: arn:aws:iam::${A}:user/bob\n  username: from-roles\n`, mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: from-users\n` }, arn: `arn:aws:iam::${A}:user/bob`, authenticated: true, username: 'from-roles' },
  { name: 'duplicate rolearn (any case): the last entry wins, groups are not merged', source: `${CM}:242 saveMap; ${MAPPER}:96 Key() lower-cases`, data: roles(`- rolearn: ${ROLE}\n  username: first\n  groups: [system:masters]\n- rolearn: arn:aws:iam::${A}:role/dev\n  username: second\n  groups: [viewers]\n`), arn: SESSION, authenticated: true, username: 'second', groups: ['viewers'] },
  { name: 'duplicate userarn, exactly equal: the last entry wins', source: `${CM}:239 saveMap; ${MAPPER}:131 Key() exact`, data: users(`- userarn: arn:aws:iam::${A}:user/bob\n  username: first\n- userarn: arn:aws:iam::${A}:user/bob\n  username: second\n`), arn: `arn:aws:iam::${A}:user/bob`, authenticated: true, username: 'second' },
  // mapAccounts
  { name: 'a listed account: username is the canonical ARN, no groups', source: `${SERVER}:496-498 IsAccountAllowed`, data: { mapAccounts: `- "${A}"\n` }, arn: SESSION, authenticated: true, username: ROLE, groups: [], via: 'mapAccounts' },
  { name: 'an unquoted account id with a leading zero keeps its text (yaml.v2 into []string)', source: `${DECODE}:462 scalar(): a string target takes n.value`, data: { mapAccounts: '- 012345678901\n' }, arn: 'arn:aws:sts::012345678901:assumed-role/Dev/s', authenticated: true, via: 'mapAccounts' },
  { name: 'a mapping in mapRoles wins over mapAccounts', source: `${SERVER}:479-498 doMapping`, data: { ...roles(dev()), mapAccounts: `- "${A}"\n` }, arn: SESSION, authenticated: true, username: 'dev', via: 'mapRoles' },
  { name: 'a mapAccounts item that is a mapping is skipped; the others stay', source: `${DECODE}:585 sequence() skips elements it cannot decode`, data: { mapAccounts: `- {a: b}\n- "${A}"\n` }, arn: SESSION, authenticated: true, via: 'mapAccounts' },
  { name: 'mapAccounts as a string maps nothing', source: `${CM}:178 yaml.Unmarshal into []string`, data: { mapAccounts: `"${A}"\n` }, arn: SESSION, authenticated: false },
  // Templates
  { name: '{{SessionName}} replaces @ with -', source: `${SERVER}:543`, data: roles(dev('', '"dev:{{SessionName}}"')), arn: `arn:aws:sts::${A}:assumed-role/Dev/jane@example.com`, authenticated: true, username: 'dev:jane-example.com' },
  { name: '{{SessionNameRaw}} keeps the @', source: `${SERVER}:545`, data: roles(dev('', '"{{SessionNameRaw}}"')), arn: `arn:aws:sts::${A}:assumed-role/Dev/jane@example.com`, authenticated: true, username: 'jane@example.com' },
  { name: '{{AccountID}} in a group', source: `${SERVER}:518-524 renderTemplates (groups too)`, data: roles(dev('  groups: ["team-{{AccountID}}"]\n')), arn: SESSION, authenticated: true, groups: [`team-${A}`] },
  { name: '{{EC2PrivateDNSName}} renders for a 17-character instance id', source: `${SERVER}:67 instanceIDPattern`, data: roles(NODE), arn: node('i-0123456789abcdef0'), authenticated: true, groups: ['system:bootstrappers', 'system:nodes'] },
  { name: '{{EC2PrivateDNSName}} renders for an 8-character instance id', source: `${SERVER}:67 instanceIDPattern`, data: roles(NODE), arn: node('i-12345678'), authenticated: true },
  { name: '{{EC2PrivateDNSName}} denies a session that is no instance id', source: `${SERVER}:531-533, 483-485`, data: roles(NODE), arn: node('i-0abc123def'), authenticated: false, log: /mapper EKSConfigMap renderTemplates error: error rendering username template "system:node:\{\{EC2PrivateDNSName\}\}": SessionName did not contain an instance id/ },
  { name: '{{EC2PrivateDNSName}} in a group denies a person', source: `${SERVER}:519-521`, data: roles(dev('  groups: ["{{EC2PrivateDNSName}}"]\n')), arn: SESSION, authenticated: false, log: /error rendering group template/ },
  { name: 'an IAM user has no session name: {{SessionName}} renders empty', source: 'pkg/token/token.go:757 (users keep no SessionName)', data: users(`- userarn: arn:aws:iam::${A}:user/bob\n  username: "u-{{SessionName}}"\n`), arn: `arn:aws:iam::${A}:user/bob`, authenticated: true, username: 'u-' },
  { name: 'an unknown placeholder stays as literal text', source: `${SERVER}:529-549 (only five variables are replaced)`, data: roles(dev('', '"{{Foo}}"')), arn: SESSION, authenticated: true, username: '{{Foo}}' },
  // Authentication modes and access entries
  { name: 'API mode ignores aws-auth', source: 'EKS user guide, grant-k8s-access (authentication modes)', data: roles(dev()), arn: SESSION, mode: 'API', authenticated: false },
  { name: 'CONFIG_MAP ignores access entries', source: 'EKS user guide, grant-k8s-access', arn: SESSION, mode: 'CONFIG_MAP', entries: [{ principalArn: ROLE, username: 'entry' }], authenticated: false },
  { name: 'API_AND_CONFIG_MAP: the access entry wins over aws-auth', source: `${SERVER}:479 doMapping (DynamicFile mapper first); EKS user guide`, data: roles(dev('', 'from-aws-auth')), arn: SESSION, mode: 'API_AND_CONFIG_MAP', entries: [{ principalArn: ROLE, username: 'from-entry' }], authenticated: true, username: 'from-entry', via: 'access entry' },
  { name: 'API_AND_CONFIG_MAP without an entry falls back to aws-auth', source: `${SERVER}:476-505`, data: roles(dev()), arn: SESSION, mode: 'API_AND_CONFIG_MAP', entries: [{ principalArn: `arn:aws:iam::${A}:role/Other` }], authenticated: true, via: 'mapRoles' },
  { name: 'an access entry with a role path matches the session', source: 'pkg/mapper/dynamicfile/mapper.go match(): arn.StripPath', arn: SESSION, mode: 'API', entries: [{ principalArn: `arn:aws:iam::${A}:role/team/Dev` }], authenticated: true, via: 'access entry' },
  { name: "a STANDARD role entry's default username is the session ARN", source: 'EKS API reference, CreateAccessEntry username', arn: SESSION, mode: 'API', entries: [{ principalArn: ROLE }], authenticated: true, username: SESSION },
  { name: 'an EC2_LINUX entry makes a node identity', source: 'EKS API reference, CreateAccessEntry type', arn: node('i-0123456789abcdef0'), mode: 'API', entries: [{ principalArn: `arn:aws:iam::${A}:role/Node`, type: 'EC2_LINUX' }], authenticated: true, groups: ['system:bootstrappers', 'system:nodes'] },
  { name: 'mapAccounts counts in API_AND_CONFIG_MAP when no entry matches', source: `${SERVER}:496`, data: { mapAccounts: `- "${A}"\n` }, arn: SESSION, mode: 'API_AND_CONFIG_MAP', entries: [], authenticated: true, via: 'mapAccounts' },
];

describe('authenticator model: conformance with aws-iam-authenticator', () => {
  it(`has at least 60 cases (${CASES.length})`, () => assert.ok(CASES.length >= 60));
  for (const c of CASES) {
    it(`${c.name} [${c.source}]`, () => {
      const r = authenticate(c.arn, { mode: c.mode ?? 'CONFIG_MAP', awsAuth: c.data, accessEntries: c.entries });
      assert.strictEqual(r.authenticated, c.authenticated, `${r.log}\n${r.steps.map((s) => `${s.title}: ${s.detail}`).join('\n')}`);
      if (c.username !== undefined) assert.strictEqual(r.username, c.username);
      if (c.groups !== undefined) assert.deepStrictEqual(r.groups, c.groups);
      if (c.via !== undefined) assert.strictEqual(r.via, c.via);
      if (c.log) assert.match(r.log, c.log);
      assert.match(r.log, c.authenticated ? /^access granted / : /^access denied /);
    });
  }

  it('keeps case variants of one userarn both, and says the match is random', () => {
    const r = authenticate(`arn:aws:iam::${A}:user/bob`, { mode: 'CONFIG_MAP', awsAuth: users(`- userarn: arn:aws:iam::${A}:user/bob\n  username: a\n- userarn: arn:aws:iam::${A}:user/BOB\n  username: b\n`) });
    assert.strictEqual(r.authenticated, true);
    assert.strictEqual(r.ambiguous?.length, 2, 'both are stored (Key() is the exact ARN) and EqualFold matches both');
  });

  it("logs the sections' errors the way ParseMap does", () => {
    const model = loadAwsAuth({ mapRoles: '- rolearn: x\n  groups: [\n', mapUsers: '- username: bob\n' });
    assert.match(model.logLine!, /^Errors parsing configmap: \[/);
    assert.match(model.logLine!, /value for userarn must be supplied/);
    assert.strictEqual(model.sections.mapRoles.state, 'failed');
    assert.strictEqual(model.sections.mapUsers.items[0].dropped, 'value for userarn must be supplied');
    assert.strictEqual(model.sections.mapUsers.items[0].droppedKind, 'noUserArn');
  });

  it('says which check of Validate() dropped a role mapping, as a kind beside the logged text', () => {
    // pkg/config/types.go RoleMapping.Validate: neither rolearn nor sso, both, then the sso fields one by one.
    const sso = (accountID: string) => `  sso:\n    permissionSetName: Admin\n    accountID: "${accountID}"\n`;
    const model = loadAwsAuth({ mapRoles: `- username: a\n- rolearn: arn:aws:iam::111122223333:role/R\n${sso('111122223333')}- username: c\n${sso('12')}- rolearn: arn:aws:iam::111122223333:role/Ok\n` });
    assert.deepStrictEqual(model.sections.mapRoles.items.map((i) => i.droppedKind), ['noRoleArnOrSso', 'roleArnAndSso', 'invalidSso', undefined]);
  });

  it('never throws on hostile input, and grows linearly', () => {
    // go-yaml v2 accepts 10,000 levels and refuses the next (yaml.v2 limit_test.go): a list nested 5,000 deep loads
    // as one item that is not a mapping, dropped; 10,001 levels drop the section.
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const r = loadAwsAuth({ mapRoles: deep(5000), mapUsers: '&a [*a]', mapAccounts: '- ' + 'x'.repeat(100000) });
    assert.strictEqual(r.sections.mapRoles.state, 'loaded');
    assert.strictEqual(r.sections.mapRoles.items.length, 1);
    assert.ok(r.sections.mapRoles.items[0].dropped);
    assert.match(loadAwsAuth({ mapRoles: deep(10001) }).sections.mapRoles.error?.message ?? '', /exceeded max depth of 10000/);
    // Quoted closing brackets hide the depth from the cheap estimate: the main thread's stack overflows, and the text
    // is read in the worker all the same, with go-yaml's own verdict; the library works on afterwards.
    const hidden = (n: number) => '[' + '"]]]]]]]]", ['.repeat(n) + ']'.repeat(n + 1);
    assert.strictEqual(loadAwsAuth({ mapRoles: hidden(9000) }).sections.mapRoles.state, 'loaded');
    assert.match(loadAwsAuth({ mapRoles: hidden(10000) }).sections.mapRoles.error?.message ?? '', /exceeded max depth of 10000/);
    assert.strictEqual(loadAwsAuth({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/A\n  username: a\n' }).roles.length, 1);
    assert.strictEqual(r.sections.mapUsers.state, 'failed', 'an alias inside its own anchor is refused');
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n';
    assert.match(loadAwsAuth({ mapRoles: bomb }).sections.mapRoles.error?.message ?? '', /excessive aliasing/);
  });
});

describe('authenticator model: encoding/json details found by the Go mapper differential', () => {
  it('a group of another type keeps the value another-cased groups key put in its place (encoding/json decode.go `array` reuses the slice)', () => {
    const model = loadAwsAuth({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/Dev\n  groups: [devs, yes]\n  Groups: [system:bootstrappers, system:nodes]\n' });
    // json.Marshal sorts "Groups" before "groups": the second array decodes into the first one's backing array.
    assert.deepStrictEqual(model.roles[0].groups, ['devs', 'system:nodes']);
    assert.deepStrictEqual(loadAwsAuth({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/Dev\n  groups: [devs, yes]\n' }).roles[0].groups, ['devs', '']);
  });
});
