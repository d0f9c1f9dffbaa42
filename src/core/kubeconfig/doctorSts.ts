/**
 * Step 4: who the token says is calling, by STS's own answer to the token's presigned GetCallerIdentity, as
 * aws-iam-authenticator's Verify asks it (kubernetes-sigs/aws-iam-authenticator pkg/token/token.go), with what each
 * refusal STS gives means for the API server's answer.
 */
import type { DoctorStep, StsAnswer } from './doctorTypes';
import { NETWORK_WORDS, type Timed } from './doctorWalk';

export type StsReading = { caller: { arn: string; account: string } } | { failed: string } | { cancelled: true };

/** Fills the STS step from its answer: the caller, or the summary of a step that failed. */
export function readStsAnswer(stsStep: DoctorStep, answered: Timed<StsAnswer>, target: string, clusterId: string, stepMs: number): StsReading {
  if (!answered.ok && answered.kind === 'cancelled') return { cancelled: true };
  if (!answered.ok) {
    stsStep.status = 'fail';
    stsStep.evidence.push(`STS at ${target} did not answer within ${Math.round(stepMs / 1000)} s.`);
    return { failed: stsStep.evidence[0] };
  }
  const a = answered.value;
  if (!a.ok) {
    stsStep.status = 'fail';
    stsStep.evidence.push(a.network ? `STS at ${target} could not be reached: ${NETWORK_WORDS[a.network]}: ${a.message}` : `STS refused the token with ${a.status} ${a.code}: ${a.message}`);
    if (a.code === 'SignatureDoesNotMatch') stsStep.evidence.push(`The token was not signed for x-k8s-aws-id ${clusterId} with these credentials: the API server would get the same answer and say 401 Unauthorized.`);
    if (a.code === 'ExpiredToken') stsStep.evidence.push('The credentials the plugin used have expired: refresh them (aws sso login, a new aws-vault session, new keys).');
    if (a.code === 'InvalidClientTokenId') stsStep.evidence.push('STS does not know the access key the token was signed with (deleted or deactivated keys, or keys of another partition).');
    return { failed: stsStep.evidence[0] };
  }
  stsStep.evidence.push(`STS says the token is ${a.arn} (account ${a.account})`);
  return { caller: { arn: a.arn, account: a.account } };
}
