/**
 * The end of the chain: whether the container's SDK reads these credentials at all (EKS User Guide,
 * pod-id-minimum-sdk and iam-roles-for-service-accounts-minimum-sdk), and what the pod ends up with: the role, or
 * where the SDK's default chain goes instead (@aws-sdk/credential-provider-node defaultProvider.js).
 */
import type { Mechanism, Step, WorkloadExplanation, WorkloadInputs } from './model';
import type { TrustResult } from './awsTrust';
import { SDK_MINIMUMS, compareVersions } from './sdkVersions';
import { SDK_MESSAGES, SOURCES } from './sources';
import { parseRoleArn } from './subject';

/** The SDK in the container. */
export function sdkStep(inputs: WorkloadInputs, mechanism: Mechanism, steps: Step[]): void {
  if (mechanism !== 'none' && inputs.sdk) {
    const min = SDK_MINIMUMS[inputs.sdk.sdk];
    const need = min ? (mechanism === 'pod-identity' ? min.podIdentity : min.irsa) : undefined;
    const source = mechanism === 'pod-identity' ? SOURCES.podIdSdk : SOURCES.irsaSdk;
    if (!min || !need) {
      steps.push({ id: 'sdk', verdict: 'unknown', kind: 'not-checked', title: `No minimum version is listed for ${inputs.sdk.sdk}`, evidence: [`known SDKs: ${Object.keys(SDK_MINIMUMS).join(', ')}`], source });
    } else if (compareVersions(inputs.sdk.version, need) < 0) {
      steps.push({
        id: 'sdk',
        verdict: 'fail',
        kind: 'sdk-too-old',
        title: `${min.label} ${inputs.sdk.version} is too old for ${mechanism === 'pod-identity' ? 'EKS Pod Identity' : 'IRSA'}`,
        evidence: [`the first release that reads these credentials is ${need}`, 'an older SDK skips them and goes on down its chain, usually to the node role through IMDS'],
        fix: `Upgrade ${min.label} to ${need} or later.`,
        source,
      });
    } else {
      steps.push({ id: 'sdk', verdict: 'ok', title: `${min.label} ${inputs.sdk.version} reads these credentials`, evidence: [`minimum ${need}`], source });
    }
  }
}

/** Step 4: the outcome. */
export function outcome(inputs: WorkloadInputs, mechanism: Mechanism, steps: Step[], { trustOk, roleArn, sdkMessage }: TrustResult): WorkloadExplanation {
  const failed = steps.find((s) => s.verdict === 'fail');
  const works = !failed && mechanism !== 'none' && trustOk;
  const explanation: WorkloadExplanation = { works, mechanism, roleArn: works ? roleArn : undefined, steps, sdkMessage: works ? undefined : sdkMessage };
  if (works) {
    const r = roleArn ? parseRoleArn(roleArn) : undefined;
    steps.push({ id: 'outcome', verdict: 'ok', title: `The pod's SDK gets ${roleArn ?? 'the role'}`, evidence: [`session: arn:${r?.partition ?? 'aws'}:sts::${r?.account ?? 'ACCOUNT'}:assumed-role/${r?.name ?? 'ROLE'}/<session name>`], source: mechanism === 'pod-identity' ? SOURCES.howItWorks : SOURCES.irsaTrust });
    return explanation;
  }
  if (!failed && mechanism !== 'none') {
    const open = steps.filter((s) => s.verdict === 'unknown').map((s) => s.title);
    steps.push({ id: 'outcome', verdict: 'unknown', kind: 'not-checked', title: 'Not every step could be checked', evidence: [`the pod gets ${roleArn ?? 'the role'} if these hold: ${open.join('; ')}`], source: SOURCES.chain });
    return explanation;
  }
  explanation.fallback = fallback(inputs, failed, mechanism);
  if (explanation.fallback.kind !== 'error') explanation.sdkMessage = explanation.fallback.kind === 'none' ? SDK_MESSAGES.nothing : undefined;
  steps.push({
    id: 'outcome',
    verdict: 'fail',
    kind: failed?.kind ?? 'no-mechanism',
    title: `The pod does not get ${roleArn ?? 'a role'}: ${failed?.title ?? 'no mechanism'}`,
    evidence: [explanation.fallback.detail, ...(explanation.sdkMessage ? [`the SDK reports: ${explanation.sdkMessage}`] : [])],
    fix: failed?.fix,
    source: SOURCES.chain,
  });
  return explanation;
}

/** Where the SDK's chain goes when the pod's own mechanism is missing, or the error it stops on when AWS refuses. */
function fallback(inputs: WorkloadInputs, failed: Step | undefined, mechanism: Mechanism): NonNullable<WorkloadExplanation['fallback']> {
  const noCredentials = !failed || ['no-mechanism', 'not-injected', 'pod-created-before', 'other-service-account', 'sdk-too-old'].includes(failed.kind ?? '') || mechanism === 'none';
  if (!noCredentials) {
    // The chain goes on only past providers that report "not configured" (tryNextLink); an STS or agent refusal stops it.
    return { kind: 'error', detail: 'the SDK stops on this error; it does not fall back to the node role' };
  }
  const node = inputs.node;
  const hostNetwork = inputs.pod?.hostNetwork === true;
  if (node?.imdsDisabled) return { kind: 'none', detail: 'IMDS is disabled on the node: the SDK finds no credentials' };
  if (node?.imdsV2Required && node.imdsHopLimit !== undefined && node.imdsHopLimit < 2 && !hostNetwork) {
    return { kind: 'none', detail: `IMDSv2 is required with hop limit ${node.imdsHopLimit}, which a pod off the host network cannot reach: the SDK finds no credentials` };
  }
  const role = node?.roleArn;
  return {
    kind: 'node-role',
    roleArn: role,
    detail: `the SDK falls back to IMDS and gets the node role${role ? ` ${role}` : ''}${node?.imdsHopLimit === undefined ? ', unless IMDS is blocked for pods (IMDSv2 required with hop limit 1)' : ''}: calls fail with AccessDenied naming the node role`,
  };
}

