/**
 * Step 1: which mechanism applies. The webhook injects container credentials when an association exists and web
 * identity only otherwise (aws/amazon-eks-pod-identity-webhook pkg/handler/handler.go, buildPodPatchConfig); the SDKs
 * read the web identity token before container credentials (@aws-sdk/credential-provider-node defaultProvider.js).
 */
import { ENV, IRSA_ANNOTATIONS } from './model';
import type { Step } from './model';
import { SOURCES } from './sources';
import { envOf, type Subject } from './subject';

/**
 * How the webhook reads the IRSA annotations (amazon-eks-pod-identity-webhook pkg/cache/cache.go, pkg/validation.go):
 * `sts-regional-endpoints` through Go's ParseBool, an invalid value ignored; `token-expiration` an integer raised to
 * 600 seconds at least, an invalid value ignored (86400 stays).
 */
export function irsaSettings(annotations: Record<string, string>): string[] {
  const notes: string[] = [];
  const regional = annotations[IRSA_ANNOTATIONS.regionalSts];
  if (regional !== undefined) {
    const v = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(regional) ? true : ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(regional) ? false : undefined;
    notes.push(v === undefined ? `${IRSA_ANNOTATIONS.regionalSts}: ${JSON.stringify(regional)} is not a boolean; the webhook ignores it` : v ? 'AWS_STS_REGIONAL_ENDPOINTS=regional is injected' : 'the global STS endpoint is used unless the SDK defaults to regional');
  }
  const exp = annotations[IRSA_ANNOTATIONS.tokenExpiration];
  if (exp !== undefined) {
    const n = /^[+-]?\d+$/.test(exp.trim()) ? Number(exp) : NaN;
    notes.push(Number.isNaN(n) ? `${IRSA_ANNOTATIONS.tokenExpiration}: ${JSON.stringify(exp)} is not an integer; the webhook ignores it (86400 s)` : n < 600 ? `${IRSA_ANNOTATIONS.tokenExpiration}: ${n} s is raised to the webhook's minimum, 600 s` : `token expiration ${n} s`);
  }
  return notes;
}

export function mechanismSteps(s: Subject, steps: Step[]): void {
  const { inputs, who, annotations, irsaRole, audience, association, pod, containers, configured, mechanism } = s;
  const mechanismSource = SOURCES.howItWorks;
  if (configured === 'none' && mechanism !== 'none') {
    steps.push({
      id: 'mechanism',
      verdict: 'warn',
      kind: 'no-mechanism',
      title: `No IAM role is configured for ${who} any more; pod ${pod!.name} keeps what it was created with`,
      evidence: [`the pod has the ${mechanism === 'irsa' ? 'IRSA' : 'Pod Identity'} variables from its creation`, 'a restarted pod will get none'],
      source: mechanismSource,
    });
  } else if (configured === 'none') {
    steps.push({
      id: 'mechanism',
      verdict: 'fail',
      kind: 'no-mechanism',
      title: `No IAM role is configured for ${who}`,
      evidence: [inputs.association === null ? 'the cluster has no Pod Identity association for it' : 'no Pod Identity association was given', `the service account has no ${IRSA_ANNOTATIONS.roleArn} annotation`],
      fix: `Create a Pod Identity association for ${who}, or annotate the service account with ${IRSA_ANNOTATIONS.roleArn}.`,
      source: mechanismSource,
    });
  } else if (association && irsaRole) {
    steps.push({
      id: 'mechanism',
      verdict: 'warn',
      kind: 'both-mechanisms',
      title: `Both mechanisms are configured for ${who}; Pod Identity wins for new pods`,
      evidence: [
        `Pod Identity association ${association.associationId ?? ''} → ${association.roleArn}`.replace('  ', ' '),
        `IRSA annotation → ${irsaRole}`,
        'the webhook injects container credentials when an association exists and skips web identity (amazon-eks-pod-identity-webhook, buildPodPatchConfig)',
        'a pod that already carries AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE keeps IRSA: the SDKs read the web identity token before container credentials',
      ],
      fix: 'Remove the annotation once the association works, so that one role is in play.',
      source: SOURCES.webhook,
    });
  } else {
    steps.push({
      id: 'mechanism',
      verdict: 'ok',
      title: configured === 'pod-identity' ? `Pod Identity association for ${who}` : irsaRole ? `IRSA annotation on ${who}` : `IRSA for ${who}`,
      evidence: configured === 'pod-identity' ? [`role ${association!.roleArn}`, ...(association!.targetRoleArn ? [`target role ${association!.targetRoleArn}`] : [])] : [irsaRole ? `${IRSA_ANNOTATIONS.roleArn}: ${irsaRole}` : 'a role whose ARN was not given (its trust policy was)', `audience ${audience}`, ...irsaSettings(annotations)],
      source: configured === 'pod-identity' ? SOURCES.howItWorks : SOURCES.webhookReadme,
    });
  }
  if (pod) {
    const earlier = [ENV.accessKeyId, ENV.profile].filter((n) => envOf(containers, n).present);
    if (earlier.length) {
      steps.push({
        id: 'mechanism',
        verdict: 'warn',
        kind: 'static-credentials-first',
        title: 'The pod sets credentials that come earlier in the SDK chain',
        evidence: [`${earlier.join(', ')} set in the pod spec; the SDKs use them before web identity or container credentials`],
        fix: `Remove ${earlier.join(', ')} from the pod spec.`,
        source: SOURCES.chain,
      });
    }
  }
}
