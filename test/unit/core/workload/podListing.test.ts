/**
 * The restart fix needs the service account's pods; a listing that fails leaves that fix out and says why, typed by
 * the error (client-node's ApiException carries the HTTP status as `code`; 403 is RBAC's refusal), never by its text.
 */
import * as assert from 'assert';
import type { OwnedPod } from '../../../../src/core/workload/fixGateway';
import type { WorkloadExplanation } from '../../../../src/core/workload/model';
import { podsForFixes } from '../../../../src/core/workload/podListing';

const stale: WorkloadExplanation = { works: false, mechanism: 'pod-identity', steps: [{ id: 'injection', verdict: 'fail', kind: 'pod-created-before', title: 'created before', evidence: [], source: '' }] };
const fine: WorkloadExplanation = { works: true, mechanism: 'pod-identity', steps: [] };
const POD: OwnedPod = { name: 'api-1', namespace: 'payments', containers: [], owner: { kind: 'ReplicaSet', name: 'api-6f4' } };

/** client-node 1.x ApiException: `code` is the status, the message carries the body (here worded to mislead). */
function apiException(code: number): Error {
  return Object.assign(new Error(`HTTP-Code: ${code}\nMessage: Unknown API Status Code!\nBody: "forbidden-looking text"`), { code });
}

describe('listing the pods for the restart fix', () => {
  it('lists only when a failing step calls for a restart', async () => {
    let asked = 0;
    const gw = { listPods: async () => (asked++, [POD]) };
    assert.deepStrictEqual(await podsForFixes(gw, fine, 'payments'), { pods: [] });
    assert.deepStrictEqual(await podsForFixes(gw, stale, 'payments'), { pods: [POD] });
    assert.strictEqual(asked, 1);
  });

  it('a 403 is a refusal: the explanation says Kubernetes list pods is missing', async () => {
    const { pods, unlisted } = await podsForFixes({ listPods: async () => Promise.reject(apiException(403)) }, stale, 'payments');
    assert.deepStrictEqual([pods, unlisted?.namespace, unlisted?.refused], [[], 'payments', true]);
  });

  it('another failure (a 500, a reset connection) is not called a refusal, whatever its text says', async () => {
    const { unlisted } = await podsForFixes({ listPods: async () => Promise.reject(apiException(500)) }, stale, 'payments');
    assert.strictEqual(unlisted?.refused, false);
    const reset = await podsForFixes({ listPods: async () => Promise.reject(Object.assign(new Error('forbidden'), { code: 'ECONNRESET' })) }, stale, 'payments');
    assert.strictEqual(reset.unlisted?.refused, false);
  });
});
