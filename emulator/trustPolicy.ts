/**
 * The emulator's own reading of a role trust policy, for STS AssumeRoleWithWebIdentity and EKS Auth
 * AssumeRoleForPodIdentity: enough of IAM's policy evaluation logic (IAM User Guide, "Policy evaluation logic" and
 * "IAM JSON policy elements reference") to decide the requests IRSA and Pod Identity pods make. It is written apart
 * from the product's evaluator (src/core/workload/trustEvaluation.ts) and must never import it, so that the two can
 * disagree and a test notice.
 *
 * Covered: a single statement object or a list; Effect Allow/Deny (an explicit Deny wins); Principal `*`, or
 * `Federated`/`AWS`/`Service` as a string or a list (an AWS account principal trusts the account's roles);
 * Action/NotAction with `*` and `?` wildcards, without case; condition operators StringEquals, StringNotEquals,
 * StringEqualsIgnoreCase, StringLike, StringNotLike and the Arn operators, with `ForAnyValue:`/`ForAllValues:` and
 * `...IfExists`, and Null; condition keys without case. Any other operator makes an Allow statement not apply and a
 * Deny statement apply: the emulator never guesses an Allow.
 */

export interface TrustRequest {
  /** The principal, by type: `{ Federated: 'arn:aws:iam::...:oidc-provider/...' }`. */
  principal: { type: 'Federated' | 'AWS' | 'Service'; id: string };
  action: string;
  /** Request context keys (case as sent; compared without case). */
  context: Record<string, string | string[]>;
}

type Json = unknown;

const list = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM's wildcard match: `*` any run, `?` one character. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

function principalMatches(principal: Json, p: TrustRequest['principal']): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const ids = list((principal as Record<string, Json>)[p.type]);
  // An AWS principal naming an account (`arn:aws:iam::ACCOUNT:root` or the bare ID) trusts every principal of that
  // account (IAM User Guide, "AWS account principals"), as the target-role trust in pod-id-assign-target-role does.
  const account = p.type === 'AWS' ? /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(p.id)?.[1] : undefined;
  return ids.some((id) => id === '*' || id === p.id || (account !== undefined && (id === account || (typeof id === 'string' && new RegExp(`^arn:[^:]+:iam::${account}:root$`).test(id)))));
}

function actionMatches(statement: Record<string, Json>, action: string): boolean {
  if (statement.Action !== undefined) return list(statement.Action).some((a) => typeof a === 'string' && wildcard(a, action, true));
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((a) => typeof a === 'string' && wildcard(a, action, true));
  return false;
}

const STRING_TESTS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringNotEquals: (p, v) => p !== v,
  StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  StringNotEqualsIgnoreCase: (p, v) => p.toLowerCase() !== v.toLowerCase(),
  StringLike: (p, v) => wildcard(p, v, false),
  StringNotLike: (p, v) => !wildcard(p, v, false),
  // ArnEquals and ArnLike behave alike, wildcards included ("ARN condition operators").
  ArnEquals: (p, v) => wildcard(p, v, false),
  ArnLike: (p, v) => wildcard(p, v, false),
  ArnNotEquals: (p, v) => !wildcard(p, v, false),
  ArnNotLike: (p, v) => !wildcard(p, v, false),
};
const NEGATED = new Set(['StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike']);

/** Whether one operator's block holds; undefined for an operator this evaluator does not know. */
function operatorHolds(operator: string, block: Json, context: Record<string, string[]>): boolean | undefined {
  if (!block || typeof block !== 'object') return undefined;
  let op = operator;
  let quantifier: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) [quantifier, op] = ['any', op.slice('ForAnyValue:'.length)];
  else if (op.startsWith('ForAllValues:')) [quantifier, op] = ['all', op.slice('ForAllValues:'.length)];
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  for (const [key, expected] of Object.entries(block as Record<string, Json>)) {
    const values = context[key.toLowerCase()];
    const patterns = list(expected).map(String);
    if (op === 'Null') {
      if ((values === undefined) !== (patterns[0] === 'true')) return false;
      continue;
    }
    const test = STRING_TESTS[op];
    if (!test) return undefined;
    if (values === undefined) {
      // A missing key: ...IfExists and ForAllValues hold; a negated operator holds; the rest do not.
      if (ifExists || quantifier === 'all' || NEGATED.has(op)) continue;
      return false;
    }
    // Negated operators hold when the value matches none of the patterns; the others when it matches any.
    const one = (v: string) => (NEGATED.has(op) ? patterns.every((p) => test(p, v)) : patterns.some((p) => test(p, v)));
    const holds = quantifier === 'all' ? values.every(one) : values.some(one);
    if (!holds) return false;
  }
  return true;
}

/** Whether a statement applies to the request; `unknown` when one of its operators is not one this evaluator knows. */
function statementApplies(statement: Record<string, Json>, r: TrustRequest, context: Record<string, string[]>): boolean | 'unknown' {
  if (statement.NotPrincipal !== undefined || !principalMatches(statement.Principal, r.principal)) return false;
  if (!actionMatches(statement, r.action)) return false;
  const conditions = statement.Condition;
  if (conditions === undefined) return true;
  if (!conditions || typeof conditions !== 'object') return false;
  const results = Object.entries(conditions as Record<string, Json>).map(([op, block]) => operatorHolds(op, block, context));
  if (results.includes(false)) return false;
  return results.includes(undefined) ? 'unknown' : true;
}

/** `allowed` only when a statement allows and none denies; a policy that is not JSON allows nothing. */
export function trustAllows(policyText: string, r: TrustRequest): { allowed: boolean; reason: 'allowed' | 'explicit-deny' | 'no-allow' | 'unreadable' } {
  let doc: Json;
  try {
    doc = JSON.parse(policyText);
  } catch {
    try {
      doc = JSON.parse(decodeURIComponent(policyText));
    } catch {
      return { allowed: false, reason: 'unreadable' };
    }
  }
  const statements = list((doc as Record<string, Json> | null)?.Statement).filter((s): s is Record<string, Json> => !!s && typeof s === 'object');
  const context: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.context)) context[k.toLowerCase()] = list(v).map(String);
  const verdicts = statements.map((s) => ({ effect: s.Effect, applies: statementApplies(s, r, context) }));
  // A Deny that might apply is taken to apply, an Allow only when it surely does: never a guessed Allow.
  if (verdicts.some((v) => v.effect === 'Deny' && v.applies !== false)) return { allowed: false, reason: 'explicit-deny' };
  return verdicts.some((v) => v.effect === 'Allow' && v.applies === true) ? { allowed: true, reason: 'allowed' } : { allowed: false, reason: 'no-allow' };
}
