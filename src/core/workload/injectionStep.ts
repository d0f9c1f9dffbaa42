/**
 * Step 2: what the pod was given: the env and projected token volume the webhook adds at admission, so only to pods
 * created after the association or annotation (aws/amazon-eks-pod-identity-webhook README, Usage), and for Pod
 * Identity the agent on the node (EKS User Guide, pod-id-agent-setup).
 */
import { ENV, POD_IDENTITY_AUDIENCE } from './model';
import type { Step } from './model';
import { SOURCES } from './sources';
import { envOf, time, tokenVolumeAudience, type Subject } from './subject';

export function injectionSteps(s: Subject, steps: Step[]): void {
  const { sa, who, irsaRole, audience, association, pod, containers, podWebIdentity, podContainerCreds, configured, mechanism } = s;
  const created = time(pod?.creationTimestamp);
  if (configured !== 'none') {
    const injectionSource = configured === 'pod-identity' ? SOURCES.howItWorks : SOURCES.webhookReadme;
    if (!pod) {
      steps.push({ id: 'injection', verdict: 'unknown', kind: 'not-checked', title: 'No pod was looked at', evidence: ['give a pod to see what the webhook injected'], source: injectionSource });
    } else if (pod.namespace !== sa.namespace || (pod.serviceAccountName ?? 'default') !== sa.name) {
      steps.push({
        id: 'injection',
        verdict: 'fail',
        kind: 'other-service-account',
        title: `Pod ${pod.name} runs as another service account`,
        evidence: [`the pod runs as ${pod.namespace}/${pod.serviceAccountName ?? 'default'}, not ${who}`],
        fix: `Set serviceAccountName: ${sa.name} in the pod template.`,
        source: injectionSource,
      });
    } else if (configured === 'pod-identity') {
      const assoc = association!;
      const assocCreated = time(assoc.createdAt);
      const assocModified = time(assoc.modifiedAt);
      if (podContainerCreds) {
        const vol = tokenVolumeAudience(pod, POD_IDENTITY_AUDIENCE);
        steps.push({
          id: 'injection',
          verdict: 'ok',
          title: `Pod ${pod.name} has the Pod Identity variables`,
          evidence: [`${ENV.containerFullUri}=${envOf(containers, ENV.containerFullUri).value ?? '(from a reference)'}`, `${ENV.containerTokenFile}=${envOf(containers, ENV.containerTokenFile).value ?? '(from a reference)'}`, vol ? `projected token volume ${vol} with audience ${POD_IDENTITY_AUDIENCE}` : `no projected token volume with audience ${POD_IDENTITY_AUDIENCE} was found`],
          source: injectionSource,
        });
        if (created !== undefined && assocModified !== undefined && assocModified > created && assocModified !== assocCreated) {
          steps.push({
            id: 'injection',
            verdict: 'warn',
            kind: 'association-changed',
            title: 'The association changed after the pod started',
            evidence: [`association modified ${assoc.modifiedAt}, pod created ${pod.creationTimestamp}`, 'the agent caches credentials for up to 6 hours (59 minutes with a target role) and a change does not reset the cache'],
            fix: `Restart the pods of ${who} to pick up the change now.`,
            source: SOURCES.targetRole,
          });
        }
      } else {
        const before = created !== undefined && assocCreated !== undefined && created < assocCreated;
        steps.push({
          id: 'injection',
          // A pod that still has the IRSA variables keeps working with the annotated role until it is restarted.
          verdict: podWebIdentity ? 'warn' : 'fail',
          kind: before ? 'pod-created-before' : 'not-injected',
          title: before ? `Pod ${pod.name} was created before the association` : `Pod ${pod.name} was not given Pod Identity credentials`,
          evidence: [
            `no container has ${ENV.containerFullUri} and ${ENV.containerTokenFile}`,
            ...(podWebIdentity ? ['the pod has the IRSA variables instead, from before the association'] : []),
            ...(before ? [`pod created ${pod.creationTimestamp}, association created ${assoc.createdAt}; the webhook only changes pods when they are created`] : ['the webhook runs with failurePolicy Ignore, so a missed or failed call admits the pod unchanged (aws/eks-pod-identity-agent#153)']),
          ],
          fix: `Restart the pods of ${who} (kubectl rollout restart on their workload).`,
          source: before ? SOURCES.howItWorks : SOURCES.missedInjection,
        });
      }
    } else {
      const injectedRole = envOf(containers, ENV.roleArn).value;
      if (podWebIdentity && injectedRole !== undefined && irsaRole !== undefined && injectedRole !== irsaRole) {
        steps.push({
          id: 'injection',
          verdict: 'fail',
          kind: 'injected-other-role',
          title: `Pod ${pod.name} was given another role`,
          evidence: [`${ENV.roleArn}=${injectedRole} in the pod, ${irsaRole} on the service account: the annotation changed after the pod was created`],
          fix: `Restart the pods of ${who}.`,
          source: SOURCES.webhookReadme,
        });
      } else if (podWebIdentity) {
        const vol = tokenVolumeAudience(pod, audience);
        steps.push({
          id: 'injection',
          verdict: 'ok',
          title: `Pod ${pod.name} has the IRSA variables`,
          evidence: [`${ENV.roleArn}=${injectedRole ?? '(from a reference)'}`, `${ENV.webIdentityTokenFile}=${envOf(containers, ENV.webIdentityTokenFile).value ?? '(from a reference)'}`, vol ? `projected token volume ${vol} with audience ${audience}` : `no projected token volume with audience ${audience} was found`],
          source: SOURCES.webhookReadme,
        });
      } else {
        steps.push({
          id: 'injection',
          verdict: 'fail',
          kind: 'not-injected',
          title: `Pod ${pod.name} was not given the IRSA variables`,
          evidence: [`no container has ${ENV.roleArn} and ${ENV.webIdentityTokenFile}`, 'the webhook only changes pods when they are created: the annotation was added later, or the webhook missed the pod'],
          fix: `Restart the pods of ${who}.`,
          source: SOURCES.webhookReadme,
        });
      }
    }
    if (pod?.hostNetwork && mechanism === 'pod-identity') {
      steps.push({
        id: 'injection',
        verdict: 'warn',
        kind: 'host-network',
        title: `Pod ${pod.name} uses hostNetwork`,
        evidence: ['pods on the host network have been reported to get "Unauthorized Exception! EKS does not have permissions to assume the associated role." from the agent while the same workload works without hostNetwork (aws/eks-pod-identity-agent#139, open)'],
        fix: 'Run the pod without hostNetwork if it can, or use IRSA for it.',
        source: SOURCES.hostNetwork,
      });
    }
  }
}

/** Step 2b: the Pod Identity Agent, which serves the credentials on the pod's node. */
export function agentStep(s: Subject, steps: Step[]): void {
  const { inputs, pod, mechanism } = s;
  if (mechanism === 'pod-identity') {
    const agent = inputs.agent;
    if (!agent || agent.addonStatus === undefined) {
      steps.push({ id: 'agent', verdict: 'unknown', kind: 'not-checked', title: 'The Pod Identity Agent was not checked', evidence: ['DescribeAddon eks-pod-identity-agent was not read'], source: SOURCES.agentSetup });
    } else if (agent.addonStatus === 'absent') {
      steps.push({
        id: 'agent',
        verdict: 'fail',
        kind: 'agent-missing',
        title: 'The EKS Pod Identity Agent add-on is not installed',
        evidence: ['DescribeAddon eks-pod-identity-agent: not found', 'the agent is required; it serves credentials only to pods on nodes where it runs (EKS Auto Mode clusters have it built in)'],
        fix: 'Install the add-on: aws eks create-addon --cluster-name CLUSTER --addon-name eks-pod-identity-agent',
        source: SOURCES.considerations,
      });
    } else if (agent.runningOnNode === false) {
      steps.push({ id: 'agent', verdict: 'fail', kind: 'agent-not-running', title: `The agent is not running on node ${pod?.nodeName ?? ''}`.trim(), evidence: [`add-on status ${agent.addonStatus}`, 'no ready eks-pod-identity-agent pod on the pod\'s node'], fix: 'Look at the agent DaemonSet pod on that node (kubectl -n kube-system get pods -l app.kubernetes.io/name=eks-pod-identity-agent -o wide).', source: SOURCES.considerations });
    } else if (agent.addonStatus !== 'ACTIVE') {
      steps.push({ id: 'agent', verdict: 'warn', kind: 'agent-degraded', title: `The agent add-on is ${agent.addonStatus}`, evidence: [`DescribeAddon status ${agent.addonStatus}`], source: SOURCES.agentSetup });
    } else {
      steps.push({ id: 'agent', verdict: 'ok', title: 'The EKS Pod Identity Agent add-on is active', evidence: ['DescribeAddon status ACTIVE', ...(agent.runningOnNode ? ['an agent pod runs on the pod\'s node'] : [])], source: SOURCES.agentSetup });
    }
  }
}
