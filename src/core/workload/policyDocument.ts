/**
 * Reading an IAM role trust policy the way IAM accepts it and GetRole returns it.
 *
 * IAM's grammar (IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON policy language"):
 * `Statement` is one statement object or a list of them; `Principal`, `Action`, `Resource` and every condition value
 * may be a string or a list of strings. GetRole returns `AssumeRolePolicyDocument` URL-encoded (RFC 3986), which the
 * AWS CLI decodes for display but the SDKs hand over as is (the IAM API reference, GetRole: "AssumeRolePolicyDocument:
 * The policy that grants an entity permission to assume the role ... URL-encoded compliant with RFC 3986").
 */

export type StringOrList = string | string[];

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** `"*"` or a map of principal type (`AWS`, `Federated`, `Service`, `CanonicalUser`) to one value or a list. */
  Principal?: '*' | Record<string, StringOrList>;
  NotPrincipal?: '*' | Record<string, StringOrList>;
  Action?: StringOrList;
  NotAction?: StringOrList;
  /** Operator (with an optional `ForAnyValue:`/`ForAllValues:` prefix and `IfExists` suffix) to key to values. */
  Condition?: Record<string, Record<string, StringOrList | boolean | number>>;
}

export interface PolicyDocument {
  Version?: string;
  statements: PolicyStatement[];
}

/** Why a trust policy could not be read; typed so callers branch on `kind`, never on the message. */
export class PolicyReadError extends Error {
  constructor(
    readonly kind: 'not-json' | 'not-a-policy' | 'bad-statement',
    message: string,
  ) {
    super(message);
  }
}

/** The text as IAM stores it: GetRole's URL-encoded form is decoded, anything already JSON is left alone. */
export function decodePolicyText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return trimmed;
  if (/^%7B/i.test(trimmed)) {
    try {
      return decodeURIComponent(trimmed.replace(/\+/g, '%20'));
    } catch {
      throw new PolicyReadError('not-json', 'the trust policy looks URL-encoded but does not decode');
    }
  }
  return trimmed;
}

function isStringOrList(v: unknown): v is StringOrList {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function readPrincipal(v: unknown, where: string): '*' | Record<string, StringOrList> {
  if (v === '*') return '*';
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new PolicyReadError('bad-statement', `${where}: Principal must be "*" or an object`);
  for (const [k, val] of Object.entries(v)) {
    if (!isStringOrList(val)) throw new PolicyReadError('bad-statement', `${where}: Principal.${k} must be a string or a list of strings`);
  }
  return v as Record<string, StringOrList>;
}

/**
 * Parses a trust policy: JSON or URL-encoded JSON, one statement or a list. Throws a {@link PolicyReadError} on
 * anything IAM itself would reject as malformed (no Effect, no Action, values that are not strings).
 */
export function readTrustPolicy(text: string): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodePolicyText(text));
  } catch (e) {
    if (e instanceof PolicyReadError) throw e;
    throw new PolicyReadError('not-json', `the trust policy is not JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new PolicyReadError('not-a-policy', 'the trust policy must be a JSON object with a Statement');
  const doc = parsed as { Version?: unknown; Statement?: unknown };
  const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement && typeof doc.Statement === 'object' ? [doc.Statement] : undefined;
  if (!raw) throw new PolicyReadError('not-a-policy', 'the trust policy has no Statement');
  const statements = raw.map((s: unknown, i: number): PolicyStatement => {
    const where = `Statement ${i + 1}`;
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw new PolicyReadError('bad-statement', `${where} is not an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new PolicyReadError('bad-statement', `${where}: Effect must be Allow or Deny`);
    if (st.Action === undefined && st.NotAction === undefined) throw new PolicyReadError('bad-statement', `${where}: no Action`);
    for (const k of ['Action', 'NotAction'] as const) {
      if (st[k] !== undefined && !isStringOrList(st[k])) throw new PolicyReadError('bad-statement', `${where}: ${k} must be a string or a list of strings`);
    }
    if (st.Sid !== undefined && typeof st.Sid !== 'string') throw new PolicyReadError('bad-statement', `${where}: Sid must be a string`);
    const cond = st.Condition;
    if (cond !== undefined) {
      if (!cond || typeof cond !== 'object' || Array.isArray(cond)) throw new PolicyReadError('bad-statement', `${where}: Condition must be an object`);
      for (const [op, block] of Object.entries(cond)) {
        if (!block || typeof block !== 'object' || Array.isArray(block)) throw new PolicyReadError('bad-statement', `${where}: Condition.${op} must be an object of keys`);
        for (const [key, val] of Object.entries(block)) {
          const ok = isStringOrList(val) || typeof val === 'boolean' || typeof val === 'number' || (Array.isArray(val) && val.every((x) => ['string', 'boolean', 'number'].includes(typeof x)));
          if (!ok) throw new PolicyReadError('bad-statement', `${where}: Condition.${op}.${key} must be a string, a boolean, a number or a list`);
        }
      }
    }
    return {
      Sid: st.Sid as string | undefined,
      Effect: st.Effect,
      Principal: st.Principal === undefined ? undefined : readPrincipal(st.Principal, where),
      NotPrincipal: st.NotPrincipal === undefined ? undefined : readPrincipal(st.NotPrincipal, where),
      Action: st.Action as StringOrList | undefined,
      NotAction: st.NotAction as StringOrList | undefined,
      Condition: cond as PolicyStatement['Condition'],
    };
  });
  return { Version: typeof doc.Version === 'string' ? doc.Version : undefined, statements };
}

export function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
