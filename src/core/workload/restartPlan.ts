/**
 * "Restart the pods created before the association" as `kubectl rollout restart` does it: the pod template of each
 * Deployment, StatefulSet or DaemonSet behind the stale pods gets the `kubectl.kubernetes.io/restartedAt` annotation
 * (kubernetes/kubectl pkg/polymorphichelpers/objectrestarter.go, sent by pkg/cmd/rollout/rollout_restart.go as a
 * strategic merge patch), so its controller replaces the pods by its own rules (maxUnavailable, maxSurge, one
 * StatefulSet ordinal at a time) instead of all at once; the webhook admits the replacements at their new creation
 * time. A pod of a bare ReplicaSet, a Job or a ReplicationController has no rollout: it is deleted, one at a time, with
 * a uid precondition (apimachinery DeleteOptions.preconditions) so a pod re-created under the same name since the
 * plan is not deleted again. A pod with no controller would not come back and is only named.
 */
import type { OwnedPod, WorkloadFixGateway, WorkloadKind, WorkloadRef } from './fixGateway';
import { RESTARTED_AT } from './model';

/** Controllers that own their pods directly and have a rollout (objectrestarter.go). */
const ROLLED: Record<string, WorkloadKind> = { StatefulSet: 'StatefulSet', DaemonSet: 'DaemonSet' };
/** Controllers with no rollout that create a deleted pod again (kubernetes pkg/controller: replicaset, job, replication). */
const RECREATE_ON_DELETE = new Set(['ReplicaSet', 'Job', 'ReplicationController']);

export interface RestartPlan {
  /** Each workload once, in the order its first stale pod came. */
  workloads: WorkloadRef[];
  /** Pods deleted one by one, each only while its uid is the planned one. */
  deletes: (OwnedPod & { uid: string })[];
  leftAlone: { pod: OwnedPod; why: string }[];
}

const refText = (w: WorkloadRef) => `${w.kind} ${w.namespace}/${w.name}`;

/** What restarting the stale pods takes: the workloads to roll, the pods to delete, and the pods nothing brings back. */
export function planRestart(stale: OwnedPod[]): RestartPlan {
  const plan: RestartPlan = { workloads: [], deletes: [], leftAlone: [] };
  for (const pod of stale) {
    const owner = pod.owner;
    const workload = pod.workload ?? (owner && Object.hasOwn(ROLLED, owner.kind) ? { kind: ROLLED[owner.kind], namespace: pod.namespace, name: owner.name } : undefined);
    if (workload) {
      if (!plan.workloads.some((w) => refText(w) === refText(workload))) plan.workloads.push(workload);
    } else if (!owner) {
      plan.leftAlone.push({ pod, why: 'has no controller that would create it again' });
    } else if (pod.ownerUnreadable) {
      plan.leftAlone.push({ pod, why: `its ${owner.kind} ${owner.name} could not be read, so the Deployment to restart is unknown: ${pod.ownerUnreadable}` });
    } else if (!RECREATE_ON_DELETE.has(owner.kind)) {
      plan.leftAlone.push({ pod, why: `is owned by ${owner.kind} ${owner.name}, which this does not restart` });
    } else if (!pod.uid) {
      plan.leftAlone.push({ pod, why: 'its uid is unknown, so it cannot be deleted safely' });
    } else {
      plan.deletes.push({ ...pod, uid: pod.uid });
    }
  }
  return plan;
}

/** The confirmation's lines: every patch and every delete as sent, then the pods left alone. */
export function restartDetails(plan: RestartPlan): string[] {
  return [
    ...plan.workloads.map((w) => `rollout restart ${refText(w)}: patch spec.template.metadata.annotations ${RESTARTED_AT}=<now>; its controller replaces the pods by its rollout rules`),
    ...plan.deletes.map((p) => `delete pod ${p.namespace}/${p.name} if its uid is still ${p.uid} (re-created by ${p.owner!.kind} ${p.owner!.name}, which has no rollout)`),
    ...plan.leftAlone.map(({ pod, why }) => `left alone: pod ${pod.namespace}/${pod.name} ${why}`),
  ];
}

/**
 * The pods with the Deployment behind their ReplicaSet, read once per ReplicaSet (GET replicaset). A refused read
 * is kept on the pod (`ownerUnreadable`): the plan then names it rather than deleting a Deployment's pod.
 */
export async function withWorkloads(pods: OwnedPod[], gw: Pick<WorkloadFixGateway, 'getReplicaSetOwner'>): Promise<OwnedPod[]> {
  const owners = new Map<string, Promise<{ kind: string; name: string } | undefined | Error>>();
  const ownerOf = (ns: string, rs: string) => {
    const key = `${ns}/${rs}`;
    if (!owners.has(key)) owners.set(key, gw.getReplicaSetOwner(ns, rs).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    return owners.get(key)!;
  };
  return Promise.all(
    pods.map(async (p) => {
      if (p.owner?.kind !== 'ReplicaSet') return p;
      const owner = await ownerOf(p.namespace, p.owner.name);
      if (owner instanceof Error) return { ...p, ownerUnreadable: owner.message };
      return owner?.kind === 'Deployment' ? { ...p, workload: { kind: 'Deployment' as const, namespace: p.namespace, name: owner.name } } : p;
    }),
  );
}

/** A restart that stopped part way: what was already done, the step that failed, and why. */
export class RestartIncomplete extends Error {
  readonly kind = 'restart-incomplete';
  constructor(
    readonly done: string[],
    readonly failedStep: string,
    readonly reason: string,
  ) {
    super(`${failedStep} failed: ${reason}${done.length ? `. Already done: ${done.join('; ')}` : '. Nothing was changed.'}`);
  }
}

/** Kubernetes writes times as RFC 3339 with whole seconds, as Go's time.RFC3339 formats them. */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** Patches each workload, then deletes each pod, one at a time; a failure throws {@link RestartIncomplete}. */
export async function applyRestart(plan: RestartPlan, gw: WorkloadFixGateway, now = new Date()): Promise<string[]> {
  const done: string[] = [];
  const restartedAt = rfc3339(now);
  const steps: { what: string; run: () => Promise<string> }[] = [
    ...plan.workloads.map((w) => ({
      what: `rollout restart ${refText(w)}`,
      run: async () => {
        const { paused } = await gw.restartWorkload(w, restartedAt);
        // kubectl refuses a paused Deployment (objectrestarter.go); the patch is kept, and rolls out on resume.
        return `restarted ${refText(w)} (${RESTARTED_AT}=${restartedAt})${paused ? '; it is paused, so its pods are replaced only after kubectl rollout resume' : ''}`;
      },
    })),
    ...plan.deletes.map((p) => ({
      what: `delete pod ${p.namespace}/${p.name}`,
      run: async () => {
        await gw.deletePod(p.namespace, p.name, p.uid);
        return `deleted pod ${p.namespace}/${p.name}`;
      },
    })),
  ];
  for (const step of steps) {
    try {
      done.push(await step.run());
    } catch (e) {
      throw new RestartIncomplete(done, step.what, e instanceof Error ? e.message : String(e));
    }
  }
  return done;
}
