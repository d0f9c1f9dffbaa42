/**
 * The demo's kubeconfig: one context that works and one for each way kubectl commonly fails on EKS, pointing at the
 * emulator's Kubernetes endpoints. The exec blocks are in the form `aws eks update-kubeconfig` writes.
 */
import { stringify } from 'yaml';

export interface DemoCluster {
  name: string;
  region: string;
  arn: string;
  endpoint: string;
  caData: string;
}

type Exec = { apiVersion: string; command: string; args: string[]; env?: { name: string; value: string }[] };

const exec = (c: { name: string; region: string }, profile: string, extra: Partial<Exec> = {}, args: string[] = []): Exec => ({
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  command: 'aws',
  args: ['--region', c.region, 'eks', 'get-token', '--cluster-name', c.name, ...args],
  env: [{ name: 'AWS_PROFILE', value: profile }],
  ...extra,
});

/** `awsCommand` is the aws executable the demo's working contexts name (an absolute path when PATH may lack it). */
export function demoKubeconfig(clusters: DemoCluster[], awsCommand = 'aws'): string {
  const byName = (name: string) => {
    const c = clusters.find((x) => x.name === name);
    if (!c) throw new Error(`the demo kubeconfig needs the demo scenario's cluster ${name}`);
    return c;
  };
  const prod = byName('prod-payments');
  const staging = byName('staging-web');
  const platform = byName('platform-api');
  const contexts: { name: string; cluster: DemoCluster; server?: string; exec: Exec; namespace?: string }[] = [
    { name: 'prod-payments-admin', cluster: prod, exec: exec(prod, 'demo-admin', { command: awsCommand }) },
    { name: 'prod-payments-developer', cluster: prod, exec: exec(prod, 'demo-dev', { command: awsCommand }), namespace: 'default' },
    { name: 'platform-api-auditor', cluster: platform, exec: exec(platform, 'demo-admin', { command: awsCommand }, ['--role', `arn:aws:iam::${platform.arn.split(':')[4]}:role/Auditor`]), namespace: 'payments' },
    { name: 'prod-payments-data-scientist', cluster: prod, exec: exec(prod, 'demo-admin', { command: awsCommand }, ['--role', `arn:aws:iam::${prod.arn.split(':')[4]}:role/DataScientist`]) },
    { name: 'prod-payments-v1alpha1', cluster: prod, exec: exec(prod, 'demo-admin', { command: awsCommand, apiVersion: 'client.authentication.k8s.io/v1alpha1' }) },
    { name: 'staging-web-wrong-region', cluster: staging, exec: exec({ name: staging.name, region: 'us-east-1' }, 'demo-admin', { command: awsCommand }) },
    { name: 'prod-payments-recreated', cluster: prod, server: 'https://127.0.0.1:1', exec: exec(prod, 'demo-admin', { command: awsCommand }) },
    { name: 'prod-payments-no-aws-cli', cluster: prod, exec: exec(prod, 'demo-admin', { command: '/opt/aws-cli-v1/bin/aws' }) },
    { name: 'prod-payments-sso-expired', cluster: prod, exec: exec(prod, 'demo-sso', { command: awsCommand }) },
  ];
  return `# EKS Auth Explorer demo kubeconfig: one working context and one per common failure.\n${stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((c) => ({ name: `${c.name}-cluster`, cluster: { server: c.server ?? c.cluster.endpoint, 'certificate-authority-data': c.cluster.caData } })),
      users: contexts.map((c) => ({ name: `${c.name}-user`, user: { exec: c.exec } })),
      contexts: contexts.map((c) => ({ name: c.name, context: { cluster: `${c.name}-cluster`, user: `${c.name}-user`, ...(c.namespace ? { namespace: c.namespace } : {}) } })),
      'current-context': 'prod-payments-admin',
    },
    { lineWidth: 0 },
  )}`;
}
