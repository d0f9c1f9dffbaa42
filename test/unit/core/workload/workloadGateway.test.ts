/** The client-node side of the workload gateways: what a V1Pod becomes, and where a token may go. */
import * as assert from 'assert';
import type { V1Pod } from '@kubernetes/client-node';
import { ClientNodeWorkloadKubeGateway, podInfo } from '../../../../src/core/workload/workloadGateway';

describe('workload gateway (Kubernetes)', () => {
  it('reads a V1Pod as client-node returns it (creationTimestamp a Date), keeping AWS values and other names only', () => {
    const pod: V1Pod = {
      metadata: { name: 'api-1', namespace: 'payments', uid: 'u1', creationTimestamp: new Date('2026-11-21T09:00:00Z'), annotations: { 'eks.amazonaws.com/skip-containers': 'sidecar' } },
      spec: {
        serviceAccountName: 'api',
        hostNetwork: true,
        nodeName: 'node-1',
        containers: [{ name: 'api', env: [{ name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111122223333:role/r' }, { name: 'SECRET', value: 's3cr3t' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'x', key: 'y' } } }] }],
        volumes: [{ name: 'aws-token', projected: { sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 86400, path: 'token' } }] } }],
      },
    };
    const p = podInfo(pod);
    assert.deepStrictEqual([p.creationTimestamp, p.hostNetwork, p.nodeName, p.serviceAccountName], ['2026-11-21T09:00:00.000Z', true, 'node-1', 'api']);
    assert.deepStrictEqual(p.containers[0].env, [{ name: 'AWS_ROLE_ARN', value: 'arn:aws:iam::111122223333:role/r' }, { name: 'SECRET' }, { name: 'FROM_SECRET' }]);
    assert.strictEqual(p.volumes![0].projected!.sources![0].serviceAccountToken!.audience, 'sts.amazonaws.com');
  });

  it('refuses an endpoint that is not HTTPS before any token is made', () => {
    let made = 0;
    assert.throws(
      () => new ClientNodeWorkloadKubeGateway({ clusterName: 'prod', region: 'us-east-1', endpoint: 'http://127.0.0.1:1', caData: 'Q0E=', credentials: async () => (made++, { accessKeyId: 'a', secretAccessKey: 'b' }) }),
      /not HTTPS .*no token was sent/,
    );
    assert.strictEqual(made, 0);
  });
});
