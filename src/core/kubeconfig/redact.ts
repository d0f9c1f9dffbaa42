/**
 * What of an exec block may be shown. Values of `env` entries that hold credentials never leave the process: a
 * kubeconfig may carry AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN in an exec block's env (issue 20), and reports go
 * to terminals, CI logs and JSON files. An access key id is not secret (AWS prints it in CloudTrail and in the token
 * itself), but its last characters and kind are enough to recognise it.
 */
import type { ExecSpec } from './kubeconfig';

export const REDACTED = '(redacted)';
const SECRET_NAME = /secret|token|passw(or)?d|credential|private|api_?key|session/i;

/** The last four characters, and whether it is a long-term (AKIA) or temporary (ASIA) key, which is what a user checks. */
export function maskAccessKeyId(id: string): string {
  const kind = id.startsWith('ASIA') ? 'temporary key' : id.startsWith('AKIA') ? 'long-term key' : 'key';
  return id.length > 8 ? `${kind} ending ${id.slice(-4)}` : kind;
}

/** The value of an env entry as it may be shown. */
export function shownEnvValue(name: string, value: string): string {
  if (/^AWS_ACCESS_KEY_ID$/i.test(name)) return maskAccessKeyId(value);
  return SECRET_NAME.test(name) ? REDACTED : value;
}

/** The values that must not appear anywhere in a report: every credential-like env value of the exec block. */
export function secretValues(exec: ExecSpec | undefined): string[] {
  return (exec?.env ?? []).filter((e) => e.value.length >= 4 && (SECRET_NAME.test(e.name) || /^AWS_ACCESS_KEY_ID$/i.test(e.name))).map((e) => e.value);
}

/** Removes known secrets and anything shaped like an EKS bearer token from a line of text. */
export function scrub(text: string, secrets: string[]): string {
  let out = text.replace(/k8s-aws-v1\.[A-Za-z0-9_-]+/g, `k8s-aws-v1.${REDACTED}`);
  for (const s of secrets) if (s) out = out.split(s).join(REDACTED);
  return out;
}

/** An exec block as it may be shown: credential-like env values redacted. */
export function shownExec(exec: ExecSpec): ExecSpec {
  return { ...exec, env: exec.env.map((e) => ({ name: e.name, value: shownEnvValue(e.name, e.value) })) };
}
