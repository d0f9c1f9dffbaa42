/**
 * Reads aws-iam-authenticator log lines (logrus text or JSON) into fields and an outcome. Log lines are hostile
 * input: anything unexpected comes back as outcome `other` with the raw text, never as an exception.
 */

export type Outcome = 'granted' | 'denied-unmapped' | 'token-expired' | 'token-malformed' | 'sts-error' | 'throttled' | 'render-error' | 'configmap-error' | 'other';

export const OUTCOMES: Outcome[] = ['granted', 'denied-unmapped', 'token-expired', 'token-malformed', 'sts-error', 'throttled', 'render-error', 'configmap-error', 'other'];

export interface AuthenticatorEvent {
  time?: string;
  level?: string;
  message?: string;
  arn?: string;
  username?: string;
  groups: string[];
  uid?: string;
  client?: string;
  error?: string;
  outcome: Outcome;
  raw: string;
}

const MAX_LINE = 64 * 1024;

/** key=value with the value bare or Go-quoted (%q); group 2 is the inside of a quoted value. */
const PAIR = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;

/** Go's %q quoting, undone; the common value has no escapes and is used as is. */
function unquote(inner: string): string {
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner.replace(/\\(.)/g, '$1');
  }
}

function scanPairs(text: string, into: Record<string, unknown>): void {
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m; m = PAIR.exec(text)) into[m[1]] = m[2] !== undefined ? unquote(m[2]) : m[3];
}

function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value !== 'string') return [];
  let inner = value.trim();
  if (inner.startsWith('[')) inner = inner.slice(1);
  if (inner.endsWith(']')) inner = inner.slice(0, -1);
  inner = inner.trim();
  return inner ? inner.split(/\s+/) : [];
}

export function classify(message: string | undefined, error: string | undefined): Outcome {
  const msg = (message ?? '').toLowerCase();
  const err = (error ?? '').toLowerCase();
  if (msg === 'access granted') return 'granted';
  if (msg.startsWith('errors parsing configmap') || err.startsWith('errors parsing configmap')) return 'configmap-error';
  if (msg !== 'access denied' && !err) return 'other';
  if (/x-amz-date parameter is expired|token.*expired|expired.*token/.test(err)) return 'token-expired';
  if (err.includes('was throttled') || /throttl/.test(err)) return 'throttled';
  if (err.startsWith('input token was not properly formatted') || err.includes('not properly formatted')) return 'token-malformed';
  if (err.startsWith('sts getcalleridentity failed') || err.includes('sts getcalleridentity')) return 'sts-error';
  if (err.includes('is not mapped')) return 'denied-unmapped';
  if (err.includes('rendertemplates') || err.includes('error rendering')) return 'render-error';
  return 'other';
}

export function parseAuthenticatorLine(line: string): AuthenticatorEvent {
  const raw = line;
  const text = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
  const fields: Record<string, unknown> = {};
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const parsed = JSON.parse(trimmed) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(fields, parsed);
    } else {
      scanPairs(trimmed, fields);
    }
  } catch {
    return { groups: [], outcome: 'other', raw };
  }
  const str = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : fields[k] === undefined ? undefined : String(fields[k]));
  const message = str('msg');
  const error = str('error');
  return {
    time: str('time'),
    level: str('level'),
    message,
    arn: str('arn'),
    username: str('username'),
    groups: parseGroups(fields.groups),
    uid: str('uid'),
    client: str('client'),
    error,
    outcome: message === undefined && error === undefined ? 'other' : classify(message, error),
    raw,
  };
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  granted: 'granted',
  'denied-unmapped': 'denied: not mapped',
  'token-expired': 'denied: token expired',
  'token-malformed': 'denied: malformed token',
  'sts-error': 'denied: STS error',
  throttled: 'denied: STS throttled',
  'render-error': 'denied: template error',
  'configmap-error': 'aws-auth parse error',
  other: 'other',
};

/** What each outcome means and what to do, shown in the panel. */
export const OUTCOME_ADVICE: Record<Outcome, string> = {
  granted: 'The identity was authenticated with this username and groups; a later Forbidden comes from RBAC, not from authentication.',
  'denied-unmapped': 'No access entry and no aws-auth mapping matches this ARN. Explain the row to see near misses, then add an access entry or fix aws-auth.',
  'token-expired': 'The token was older than 15 minutes: the client clock is off, or a cached token was reused. Sync the clock; use `aws eks get-token` fresh.',
  'token-malformed': 'The token is not a presigned STS URL for this cluster: check the kubeconfig exec plugin and the cluster name it passes.',
  'sts-error': 'STS rejected the presigned request: the credentials were invalid or expired when the token was made.',
  throttled: 'STS throttled the authenticator; retries usually succeed. Many clients authenticating at once can cause this.',
  'render-error': 'A username or group template could not be rendered, e.g. {{EC2PrivateDNSName}} for a caller that is not an EC2 instance.',
  'configmap-error': 'aws-auth has a YAML error: a whole section was dropped. Open aws-auth from the cluster to see where.',
  other: 'An informational line, or one this parser does not recognise.',
};
