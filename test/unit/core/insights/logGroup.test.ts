import * as assert from 'assert';
import { clusterLogGroup, clusterLogGroupArn } from '../../../../src/core/insights/logGroup';

// awsdocs/amazon-eks-user-guide latest/ug/observability/control-plane-logs.adoc: "The log group name format is
// /aws/eks/my-cluster/cluster"; StartLiveTail takes log group ARNs.
describe('cluster log group', () => {
  it('names the group EKS writes control plane logs to', () => {
    assert.strictEqual(clusterLogGroup('prod-payments'), '/aws/eks/prod-payments/cluster');
  });

  it('takes the partition and account of its ARN from the cluster ARN', () => {
    assert.strictEqual(clusterLogGroupArn('arn:aws-cn:eks:cn-north-1:111122223333:cluster/c', 'cn-north-1', 'c'), 'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/aws/eks/c/cluster');
  });
});
