import * as assert from 'assert';
import { describeExec, updateKubeconfigExec } from '../../../../src/core/kubeconfig/execPlugin';

const exec = (command: string, args: string[], env: Record<string, string> = {}, apiVersion = 'client.authentication.k8s.io/v1beta1') => ({ apiVersion, command, args, env: Object.entries(env).map(([name, value]) => ({ name, value })) });

describe('exec plugins', () => {
  // Flags: `aws eks get-token help` (awscli 2.9.19) and aws-iam-authenticator cmd/aws-iam-authenticator/{root,token}.go.
  it('reads aws eks get-token as update-kubeconfig writes it, --role included', () => {
    const p = describeExec(exec('aws', ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web', '--role', 'arn:aws:iam::1:role/R'], { AWS_PROFILE: 'dev' }), {});
    assert.deepStrictEqual([p.kind, p.clusterName, p.region, p.profile, p.roleArn], ['aws-cli', 'web', { name: 'eu-west-1', source: 'args' }, { name: 'dev', source: 'exec env' }, 'arn:aws:iam::1:role/R']);
  });

  it('takes --flag=value, unambiguous prefixes, and --profile over AWS_PROFILE', () => {
    const p = describeExec(exec('/usr/local/bin/aws', ['eks', 'get-token', '--cluster-n=web', '--role-arn=arn:x', '--profile', 'p1'], { AWS_PROFILE: 'p2' }), {});
    assert.deepStrictEqual([p.clusterName, p.roleArn, p.profile], ['web', 'arn:x', { name: 'p1', source: 'args' }]);
    assert.strictEqual(describeExec(exec('aws', ['eks', 'get-token', '--cluster', 'x']), {}).clusterName, undefined, '--cluster is a prefix of both --cluster-name and --cluster-id');
  });

  it('falls back from the exec env to the editor env for the profile and region', () => {
    const p = describeExec(exec('aws', ['eks', 'get-token', '--cluster-name', 'web']), { AWS_PROFILE: 'ed', AWS_DEFAULT_REGION: 'ap-south-1' });
    assert.deepStrictEqual([p.profile, p.region], [{ name: 'ed', source: 'editor env' }, { name: 'ap-south-1', source: 'editor env' }]);
    const q = describeExec(exec('aws', ['eks', 'get-token', '--cluster-name', 'web'], { AWS_REGION: 'us-west-2' }), { AWS_REGION: 'eu-north-1' });
    assert.deepStrictEqual(q.region, { name: 'us-west-2', source: 'exec env' });
    assert.deepStrictEqual(describeExec(exec('aws', ['eks', 'get-token', '--cluster-name', 'w']), {}).profile, { name: undefined, source: 'default' });
  });

  it('reads aws-iam-authenticator token with -i/-r and its environment variables', () => {
    const p = describeExec(exec('aws-iam-authenticator', ['token', '-i', 'web', '-r', 'arn:aws:iam::1:role/R']), {});
    assert.deepStrictEqual([p.kind, p.clusterName, p.roleArn], ['aws-iam-authenticator', 'web', 'arn:aws:iam::1:role/R']);
    const q = describeExec(exec('aws-iam-authenticator', ['token']), { KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID: 'env-cluster', DEFAULT_ROLE: 'arn:r' });
    assert.deepStrictEqual([q.clusterName, q.roleArn], ['env-cluster', 'arn:r']);
  });

  it('sees through aws-vault exec PROFILE -- aws ...', () => {
    const p = describeExec(exec('aws-vault', ['exec', '--duration=1h', 'prod', '--', 'aws', 'eks', 'get-token', '--cluster-name', 'web', '--region', 'us-east-1']), { AWS_PROFILE: 'other' });
    assert.deepStrictEqual([p.kind, p.wrapper, p.profile, p.command, p.clusterName], ['aws-cli', { name: 'aws-vault', profile: 'prod' }, { name: 'prod', source: 'aws-vault' }, 'aws-vault', 'web']);
  });

  it('says a plugin it does not know is unknown', () => {
    assert.strictEqual(describeExec(exec('gke-gcloud-auth-plugin', []), {}).kind, 'unknown');
    assert.strictEqual(describeExec(exec('aws', ['sts', 'get-caller-identity']), {}).kind, 'unknown');
  });

  it('writes the exec block in the form aws eks update-kubeconfig writes', () => {
    assert.deepStrictEqual(updateKubeconfigExec({ name: 'web', region: 'eu-west-1' }, 'dev', 'arn:r'), {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'web', '--role', 'arn:r'],
      env: [{ name: 'AWS_PROFILE', value: 'dev' }],
    });
  });
});
