/**
 * Reads aws-iam-authenticator log lines (logrus text or JSON) into fields and an outcome. Log lines are hostile
 * input: anything unexpected comes back as outcome `other` with the raw text, never as an exception.
 */
import { someLine } from '../linearText';

export type Outcome = 'granted' | 'denied-unmapped' | 'token-expired' | 'token-malformed' | 'sts-error' | 'throttled' | 'render-error' | 'denied-other' | 'configmap-error' | 'other';

export const OUTCOMES: Outcome[] = ['granted', 'denied-unmapped', 'token-expired', 'token-malformed', 'sts-error', 'throttled', 'render-error', 'denied-other', 'configmap-error', 'other'];

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

/** Go's %q quoting, undone; the common value has no escapes and is used as is. */
function unquote(inner: string): string {
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner.replace(/\\(.)/g, '$1');
  }
}

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/**
 * logrus text: `key=value` pairs, the value bare or Go-quoted (%q). One pass over the line: a regex with `\w+=`
 * retries from every position of a long word and takes quadratic time on a 64 KiB line of letters.
 */
function scanPairs(text: string, into: Map<string, string>): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isWord(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isWord(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== 61 /* = */) {
      i = j;
      continue;
    }
    const key = text.slice(i, j);
    let k = j + 1;
    let value: string | undefined;
    if (text.charCodeAt(k) === 34 /* " */) {
      let q = k + 1;
      while (q < n && text.charCodeAt(q) !== 34) q += text.charCodeAt(q) === 92 /* \ */ ? 2 : 1;
      if (q < n) {
        value = unquote(text.slice(k + 1, q));
        k = q + 1;
      }
    }
    if (value === undefined) {
      let e = k;
      while (e < n && !isSpace(text.charCodeAt(e))) e++;
      if (e === k) {
        i = k;
        continue;
      }
      value = text.slice(k, e);
      k = e;
    }
    into.set(key, value);
    i = k;
  }
}

/** A field as text: strings as they are, numbers and booleans written out; objects and arrays are not text. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
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

/**
 * `token.*expired|expired.*token` asked one line at a time, as `.` does: the regex took quadratic time on a line of
 * repeated "token". The two words cannot overlap (no end of one begins the other), so "both on one line" is the same
 * question in either order.
 */
const tokenAndExpired = (line: string) => line.includes('token') && line.includes('expired');

export function classify(message: string | undefined, error: string | undefined): Outcome {
  const msg = (message ?? '').toLowerCase();
  const err = (error ?? '').toLowerCase();
  if (msg === 'access granted') return 'granted';
  if (msg.startsWith('errors parsing configmap') || err.startsWith('errors parsing configmap')) return 'configmap-error';
  if (msg !== 'access denied' && !err) return 'other';
  if (err.includes('x-amz-date parameter is expired') || someLine(err, tokenAndExpired)) return 'token-expired';
  if (err.includes('throttl')) return 'throttled';
  if (err.startsWith('input token was not properly formatted') || err.includes('not properly formatted')) return 'token-malformed';
  if (err.startsWith('sts getcalleridentity failed') || err.includes('sts getcalleridentity')) return 'sts-error';
  if (err.includes('is not mapped')) return 'denied-unmapped';
  if (err.includes('rendertemplates') || err.includes('error rendering')) return 'render-error';
  // The server logs "access denied" with whatever error token verification returned
  // (aws-iam-authenticator pkg/server/server.go, `log.WithError(err).Warn("access denied")`): a wording not listed
  // above is still a denial, and the summary counts it as one.
  return msg === 'access denied' ? 'denied-other' : 'other';
}

/** Reads one log line. Never throws: whatever the line holds, it comes back as one event (at worst `other`). */
export function parseAuthenticatorLine(line: string): AuthenticatorEvent {
  const raw = typeof line === 'string' ? line : String(line ?? '');
  try {
    return readLine(raw);
  } catch {
    return { groups: [], outcome: 'other', raw };
  }
}

function readLine(raw: string): AuthenticatorEvent {
  const trimmed = (raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw).trim();
  // A Map, not an object: a JSON key "__proto__" or "toString" must stay a field.
  const fields = new Map<string, unknown>();
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { groups: [], outcome: 'other', raw };
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) for (const [k, v] of Object.entries(parsed)) fields.set(k, v);
  } else {
    scanPairs(trimmed, fields as Map<string, string>);
  }
  const str = (k: string) => text(fields.get(k));
  const message = str('msg');
  const error = str('error');
  return {
    time: str('time'),
    level: str('level'),
    message,
    arn: str('arn'),
    username: str('username'),
    groups: parseGroups(fields.get('groups')),
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
  'denied-other': 'denied: other reason',
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
  'denied-other': 'The authenticator denied the request for a reason this panel does not name: read the error in the raw line.',
  'configmap-error': 'aws-auth has a YAML error: a whole section was dropped. Open aws-auth from the cluster to see where.',
  other: 'An informational line, or one this parser does not recognise.',
};
