import * as assert from 'assert';
import { readKubeconfig } from '../../../../src/core/kubeconfig/kubeconfig';
import { lostByUpdateKubeconfig } from '../../../../src/core/kubeconfig/updateKubeconfigLoss';

// What Debian's awscli 2.9.19 writes for `aws eks update-kubeconfig --name web --profile dev --role-arn ... --alias web`:
// dumped by its own code (customizations/eks/update_kubeconfig.py EKSClient.get_cluster_entry and get_user_entry,
// kubeconfig.py KubeconfigAppender.insert_cluster_user_pair, Kubeconfig.dump_content) with a DescribeCluster answer
// filled in by hand.
const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/web';
const AWSCLI = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0E=
    server: https://ABC.gr7.eu-west-1.eks.amazonaws.com
  name: ${ARN}
contexts:
- context:
    cluster: ${ARN}
    user: ${ARN}
  name: web
current-context: web
kind: Config
preferences: {}
users:
- name: ${ARN}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - web
      - --role
      - arn:aws:iam::111122223333:role/Dev
      command: aws
      env:
      - name: AWS_PROFILE
        value: dev
`;

const lost = (text: string, profile: string | undefined = 'dev') => lostByUpdateKubeconfig(readKubeconfig([{ path: '/k/config', text }]).contexts[0], profile);
/** The awscli file with one exact piece of text replaced (asserted present). */
const edited = (from: string, to: string) => {
  assert.ok(AWSCLI.includes(from), from);
  return AWSCLI.replace(from, to);
};

describe('what aws eks update-kubeconfig --alias would take from a context', () => {
  it('takes nothing from a context as awscli writes it, nor from one with another STS region or a CA file', () => {
    assert.deepStrictEqual(lost(AWSCLI), []);
    assert.deepStrictEqual(lost(edited('      - eu-west-1\n', '      - us-east-1\n')), [], 'any STS region signs a token the cluster accepts; awscli writes the cluster\'s');
    assert.deepStrictEqual(lost(edited('certificate-authority-data: Q0E=', 'certificate-authority: ca.crt')), [], 'EKS\'s CA as data replaces the file');
    assert.deepStrictEqual(lost(edited('      - --role\n      - arn:aws:iam::111122223333:role/Dev\n', '      - --role-arn=arn:aws:iam::111122223333:role/Dev\n')), []);
  });

  it('names each field of the context, cluster, user and exec block that awscli does not write', () => {
    const cases: [string, string, RegExp][] = [
      [`    user: ${ARN}\n  name: web`, `    user: ${ARN}\n    namespace: payments\n  name: web`, /^the context's namespace payments$/],
      [`    user: ${ARN}\n  name: web`, `    user: ${ARN}\n    extensions: []\n  name: web`, /^the context's extensions$/],
      ['    server: https://ABC', '    proxy-url: socks5://127.0.0.1:1080\n    server: https://ABC', /^the cluster's proxy-url$/],
      ['    server: https://ABC', '    tls-server-name: api.internal\n    server: https://ABC', /^the cluster's tls-server-name$/],
      ['    certificate-authority-data: Q0E=', '    insecure-skip-tls-verify: true', /^the cluster's insecure-skip-tls-verify$/],
      ['    certificate-authority-data: Q0E=', '    certificate-authority-data: Q0E=\n    certificate-authority: ca.crt', /certificate-authority file/],
      ['  user:\n    exec:', '  user:\n    as: admin\n    exec:', /^the user's as$/],
      ['      command: aws\n', '      command: aws\n      interactiveMode: Never\n', /^the exec block's interactiveMode$/],
      ['      command: aws\n', '      command: aws\n      provideClusterInfo: true\n', /^the exec block's provideClusterInfo$/],
      ['      command: aws\n', '      command: /opt/aws/bin/aws\n', /^the exec command \/opt\/aws\/bin\/aws --region/],
      ['      - web\n', '      - web\n      - --output\n      - json\n', /^the exec argument --output json$/],
      ['      - --region\n', '      - --profile\n      - dev\n      - --region\n', /^the exec argument --profile dev$/],
      ['        value: dev\n', '        value: dev\n      - name: AWS_ACCESS_KEY_ID\n        value: AKIAFAKE\n', /^the exec env AWS_ACCESS_KEY_ID$/],
      ['        value: dev\n', '        value: prod\n', /^the exec env AWS_PROFILE prod \(awscli writes dev\)$/],
    ];
    for (const [from, to, expected] of cases) {
      const l = lost(edited(from, to));
      assert.ok(l.length === 1 && expected.test(l[0]), `${to.trim()}: ${JSON.stringify(l)}`);
    }
  });

  it('names a wrapper or another plugin as the command awscli replaces: aws-vault, aws-iam-authenticator', () => {
    // aws-vault's README: `command: aws-vault`, `args: [exec, PROFILE, --, aws, eks, get-token, --cluster-name, NAME]`.
    const vault = edited('      command: aws\n', '      command: aws-vault\n').replace('      - --region\n      - eu-west-1\n      - eks\n', '      - exec\n      - dev\n      - --\n      - aws\n      - eks\n');
    assert.deepStrictEqual(lost(vault), [`the exec command aws-vault exec dev -- aws eks get-token --cluster-name web --role arn:aws:iam::111122223333:role/Dev (awscli writes aws --region R eks get-token)`]);
    const authenticator = edited('      command: aws\n', '      command: aws-iam-authenticator\n');
    assert.match(lost(authenticator).join(), /the exec command aws-iam-authenticator/);
  });

  it('names entries of another KUBECONFIG file, which awscli does not rewrite', () => {
    const [contextFile, entriesFile] = [AWSCLI.replace(/clusters:[\s\S]*?contexts:/, 'contexts:').replace(/users:[\s\S]*$/, ''), AWSCLI.replace(/contexts:[\s\S]*?current-context: web\n/, '')];
    const ctx = readKubeconfig([{ path: '/k/a', text: contextFile }, { path: '/k/b', text: entriesFile }]).contexts[0];
    assert.deepStrictEqual(lostByUpdateKubeconfig(ctx, 'dev'), [`cluster ${ARN} from /k/b (awscli writes its entries into /k/a)`, `user ${ARN} from /k/b (awscli writes its entries into /k/a)`]);
  });
});
