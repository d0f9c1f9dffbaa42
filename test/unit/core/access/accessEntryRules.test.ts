import * as assert from 'assert';
import { accessEntryProblems, policyProblem, usernameProblem } from '../../../../src/core/access/accessEntryRules';

const A = '111122223333';

/** From the CreateAccessEntry model docs in @aws-sdk/client-eks and the EKS user guide, "Create access entries". */
const CASES: [string, Parameters<typeof accessEntryProblems>[0], RegExp | null][] = [
  ['a role, STANDARD, no username', { principalArn: `arn:aws:iam::${A}:role/R` }, null],
  ['a role with a path (allowed in access entries)', { principalArn: `arn:aws:iam::${A}:role/team/R` }, null],
  ['a user of another account, STANDARD', { principalArn: 'arn:aws:iam::999999999999:user/u' }, null],
  ['a username with a colon before {{SessionName}}', { principalArn: `arn:aws:iam::${A}:role/R`, username: 'jo:hn{{SessionName}}' }, null],
  ['a username without {{SessionName}} needs no colon', { principalArn: `arn:aws:iam::${A}:role/R`, username: 'john' }, null],
  ['an STS session', { principalArn: `arn:aws:sts::${A}:assumed-role/R/s` }, /STS session ARNs are not accepted/],
  ['john{{SessionName}}', { principalArn: `arn:aws:iam::${A}:role/R`, username: 'john{{SessionName}}' }, /colon before it/],
  ['{{SessionNameRaw}} without a colon', { principalArn: `arn:aws:iam::${A}:role/R`, username: 'x{{SessionNameRaw}}' }, /colon before it/],
  ['a reserved prefix', { principalArn: `arn:aws:iam::${A}:role/R`, username: 'amazon:x' }, /cannot start with amazon:/],
  ['system: groups', { principalArn: `arn:aws:iam::${A}:role/R`, kubernetesGroups: ['system:masters'] }, /cannot start with system:/],
  ['an unknown type', { principalArn: `arn:aws:iam::${A}:role/R`, type: 'WINDOWS' }, /Unknown access entry type WINDOWS/],
  ['a user for a node type', { principalArn: `arn:aws:iam::${A}:user/u`, type: 'HYBRID_LINUX' }, /need an IAM role/],
  ['another account for a node type', { principalArn: 'arn:aws:iam::999999999999:role/N', type: 'EC2_WINDOWS' }, /cluster's account/],
  ['groups on a node type', { principalArn: `arn:aws:iam::${A}:role/N`, type: 'EC2_LINUX', kubernetesGroups: ['g'] }, /cannot be set for access entries of type EC2_LINUX/],
  ['a username on a node type', { principalArn: `arn:aws:iam::${A}:role/N`, type: 'FARGATE_LINUX', username: 'n' }, /username cannot be set/],
  ['a service-linked role', { principalArn: `arn:aws:iam::${A}:role/aws-service-role/x.amazonaws.com/R` }, /Service-linked/],
];

describe('access entry rules', () => {
  for (const [name, input, expected] of CASES) {
    it(`${expected ? 'refuses' : 'accepts'} ${name}`, () => {
      const problems = accessEntryProblems(input, A);
      if (expected) assert.ok(problems.some((p) => expected.test(p)), problems.join(' | ') || 'no problem');
      else assert.deepStrictEqual(problems, []);
    });
  }

  it('pairs policies with types: none for node types, only AmazonEKSAutoNodePolicy for EC2', () => {
    const p = (n: string) => `arn:aws:eks::aws:cluster-access-policy/${n}`;
    assert.strictEqual(policyProblem(p('AmazonEKSViewPolicy')), undefined);
    assert.match(policyProblem(p('AmazonEKSViewPolicy'), 'EC2_LINUX')!, /cannot be associated/);
    assert.strictEqual(policyProblem(p('AmazonEKSAutoNodePolicy'), 'EC2'), undefined);
    assert.match(policyProblem(p('AmazonEKSClusterAdminPolicy'), 'EC2')!, /take only AmazonEKSAutoNodePolicy/);
    assert.strictEqual(usernameProblem('arn:aws:sts::1:assumed-role/R/{{SessionName}}'), undefined, 'an ARN has colons before the placeholder');
  });
});
