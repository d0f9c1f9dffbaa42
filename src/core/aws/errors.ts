/** Turns AWS SDK and network errors into a message that names the cause and the next step. */
import { followedOnOneLine } from '../linearText';

/** What went wrong, for callers that act on it; the message is for people and may be reworded freely. */
export type AwsErrorKind = 'sso-expired' | 'credentials-expired' | 'access-denied' | 'unrecognized-credentials' | 'no-credentials' | 'throttled' | 'update-in-progress' | 'one-update-at-a-time' | 'unreachable' | 'other';

export interface ExplainedError {
  kind: AwsErrorKind;
  message: string;
  /** What the user should do next, when something can be done. */
  next?: string;
}

export function explainAwsError(e: unknown, profile?: string): ExplainedError {
  const err = e as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
  const name = err?.name ?? 'Error';
  const message = err?.message ?? String(e);
  const profileArg = profile ? ` --profile ${profile}` : '';
  // `SSO session .*expired` is one case of `sso.*(expired|invalid)`; that one is asked a line at a time, in linear time,
  // because the message may come from a server and the regex took quadratic time on "sso sso sso ...".
  if (/Token is expired|refresh failed/i.test(message) || followedOnOneLine(message, /sso/i, /expired|invalid/i) || name === 'TokenProviderError') {
    return { kind: 'sso-expired', message: `The SSO session has expired: ${message}`, next: `Run "aws sso login${profileArg}", then refresh.` };
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || /security token included in the request is expired/i.test(message)) {
    return { kind: 'credentials-expired', message: `The AWS credentials have expired: ${message}`, next: `Refresh them (for example "aws sso login${profileArg}" or a new session), then refresh.` };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || /not authorized to perform/i.test(message)) {
    const action = /perform: ([\w-]+:\w+)/.exec(message)?.[1];
    return { kind: 'access-denied', message: action ? `Access denied: the identity may not call ${action}.` : `Access denied: ${message}`, next: action ? `Allow ${action} in the identity's IAM policy.` : undefined };
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId' || name === 'SignatureDoesNotMatch') {
    return { kind: 'unrecognized-credentials', message: `AWS does not recognize these credentials (${name}).`, next: 'Check the access key of the profile, or sign in again.' };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials|Unable to locate credentials/i.test(message)) {
    return { kind: 'no-credentials', message: `No AWS credentials were found${profile ? ` for profile ${profile}` : ''}: ${message}`, next: 'Configure a profile with "aws configure" or "aws configure sso".' };
  }
  if (name === 'ThrottlingException' || name === 'Throttling' || name === 'TooManyRequestsException') {
    return { kind: 'throttled', message: 'AWS is throttling these requests (rate exceeded).', next: 'Wait a moment and refresh.' };
  }
  if (name === 'ResourceInUseException' && /while update|in progress/i.test(message)) {
    return { kind: 'update-in-progress', message: `Another update of this cluster is still in progress: ${message}`, next: 'Wait until the cluster is ACTIVE again (its update history shows the running update), then try again.' };
  }
  if (/^Only one type of update can be allowed/.test(message)) {
    return { kind: 'one-update-at-a-time', message: `EKS takes one kind of cluster update at a time: ${message}`, next: 'Make the changes one after the other.' };
  }
  const code = err?.code ?? err?.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EAI_AGAIN' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    const endpoint = /(?:connect \w+ |getaddrinfo \w+ )(\S+)/.exec(message)?.[1];
    return { kind: 'unreachable', message: `The endpoint${endpoint ? ` ${endpoint}` : ''} is unreachable (${code ?? 'network error'}).`, next: 'Check the network, the region, and any eksAuth.endpoints.* override.' };
  }
  return { kind: 'other', message: `${name}: ${message}` };
}

export function formatExplained(e: ExplainedError): string {
  return e.next ? `${e.message} ${e.next}` : e.message;
}
