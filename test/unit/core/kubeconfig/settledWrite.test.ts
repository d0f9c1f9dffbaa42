import * as assert from 'assert';
import { kubeconfigWriteSettled } from '../../../../src/core/kubeconfig/settledWrite';

// awscli writes a kubeconfig by opening it "w+" and dumping YAML into it (Debian awscli 2.9.19,
// customizations/eks/kubeconfig.py KubeconfigWriter.write_kubeconfig): a read may see it empty or cut off.
const WRITTEN = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0E=
    server: https://NEW.gr7.eu-west-1.eks.amazonaws.com
  name: arn:aws:eks:eu-west-1:111122223333:cluster/web
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:111122223333:cluster/web
    user: arn:aws:eks:eu-west-1:111122223333:cluster/web
  name: web
current-context: web
kind: Config
preferences: {}
users:
- name: arn:aws:eks:eu-west-1:111122223333:cluster/web
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args: [--region, eu-west-1, eks, get-token, --cluster-name, web]
      command: aws
`;
const BEFORE = WRITTEN.replace('NEW', 'OLD');

describe('when a kubeconfig another program writes is written', () => {
  it('waits for the same complete kubeconfig on two reads in a row', () => {
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, BEFORE, WRITTEN, 'web'), false, 'the first read of the new text');
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, WRITTEN, WRITTEN, 'web'), true);
    assert.strictEqual(kubeconfigWriteSettled(undefined, WRITTEN, WRITTEN, 'web'), true, 'a file that did not exist before');
  });

  it('does not take the file as written while it is empty, cut off, unchanged, gone or without the context', () => {
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, '', '', 'web'), false, 'truncated by open("w+")');
    const cut = WRITTEN.slice(0, WRITTEN.indexOf('contexts:'));
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, cut, cut, 'web'), false, 'cut at a line end: valid YAML without the context');
    const broken = WRITTEN.slice(0, WRITTEN.indexOf('args:') + 14);
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, broken, broken, 'web'), false, 'cut inside a flow list: not YAML');
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, BEFORE, BEFORE, 'web'), false);
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, undefined, undefined, 'web'), false);
    assert.strictEqual(kubeconfigWriteSettled(BEFORE, WRITTEN, WRITTEN, 'other'), false);
  });
});
