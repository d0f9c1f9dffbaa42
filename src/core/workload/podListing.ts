/**
 * The pods the restart fix would delete, listed only when a failing step calls for it. A listing that fails leaves
 * that one fix out, not the explanation, and says why: refused by RBAC (status 403, typed like every other refusal
 * in gather.ts) or failed otherwise.
 */
import type { OwnedPod, WorkloadFixGateway } from './fixGateway';
import { needsPods } from './fixPlan';
import { isPermissionError } from './gather';
import type { WorkloadExplanation } from './model';

export interface PodListing {
  pods: OwnedPod[];
  /** The pods were needed and could not be listed; `refused` when RBAC said no (Kubernetes list pods). */
  unlisted?: { namespace: string; refused: boolean; detail: string };
}

export async function podsForFixes(fixes: Pick<WorkloadFixGateway, 'listPods'>, explanation: WorkloadExplanation, namespace: string): Promise<PodListing> {
  if (!needsPods(explanation)) return { pods: [] };
  try {
    return { pods: await fixes.listPods(namespace) };
  } catch (e) {
    return { pods: [], unlisted: { namespace, refused: isPermissionError(e), detail: (e as Error)?.message ?? String(e) } };
  }
}
