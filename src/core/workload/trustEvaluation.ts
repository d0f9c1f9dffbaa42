/**
 * Whether a role's trust policy lets one request in: an explicit Deny wins, then any Allow, else the implicit deny.
 *
 * Evaluation follows the IAM User Guide: "Policy evaluation logic" (deny > allow > implicit deny), "IAM JSON policy
 * elements: Principal" (`"*"` and `{"AWS": "*"}` are equivalent; an account ID or `:root` ARN names every principal
 * of that account), "Condition operators" (string, ARN, Bool and Null operators, `...IfExists`, negated operators
 * true when the key is absent), "Multivalued context keys" (`ForAnyValue:`/`ForAllValues:`), and "Condition" (keys
 * are case-insensitive, values case-sensitive; several values for a key are ORed, several keys and operators ANDed).
 * It covers what trust policies for IRSA and EKS Pod Identity use. An operator outside that set makes the statement's
 * verdict `unknown` rather than a guess.
 */
import { asList, type PolicyDocument, type PolicyStatement } from './policyDocument';

/** Who asks: the principal type as the trust policy names it, and the value IAM compares. */
export type RequestPrincipal =
  | { type: 'Federated'; value: string }
  | { type: 'Service'; value: string }
  /** A role's session: `roleArn` is the role, `account` its account; a trust policy may name either. */
  | { type: 'AWS'; roleArn: string; account: string };

export interface TrustRequest {
  action: string;
  principal: RequestPrincipal;
  /** Context keys as the request carries them (any case); a list is a multivalued key such as `aws:TagKeys`. */
  context: Record<string, string | string[]>;
  /** Keys whose value this explanation cannot know (a pod name before a pod is given): conditions on them are `unknown`. */
  unknownKeys?: string[];
}

export type Tri = 'yes' | 'no' | 'unknown';

export interface ConditionCheck {
  operator: string;
  key: string;
  expected: string[];
  /** What the request carries for the key; undefined when the key is absent. */
  actual?: string[];
  result: Tri;
}

export interface StatementCheck {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal: boolean;
  action: boolean;
  conditions: ConditionCheck[];
  applies: Tri;
}

export interface TrustDecision {
  /** `allowed`, `explicit-deny`, `implicit-deny`, or `unknown` when a deciding condition needs a value not known yet. */
  decision: 'allowed' | 'explicit-deny' | 'implicit-deny' | 'unknown';
  statements: StatementCheck[];
}

/** IAM's `*` (any run) and `?` (one character) wildcards, anchored. */
function wildcard(pattern: string, flags = ''): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, flags);
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  // Action names are case-insensitive (IAM User Guide, "Action").
  const hit = (list: string[]) => list.some((a) => wildcard(a, 'i').test(action));
  if (statement.NotAction !== undefined) return !hit(asList(statement.NotAction));
  return hit(asList(statement.Action));
}

function accountOf(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  const m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(value);
  return m?.[1];
}

function principalListed(block: '*' | Record<string, string | string[]>, p: RequestPrincipal): boolean {
  if (block === '*') return true;
  const entries = Object.entries(block);
  for (const [type, values] of entries) {
    for (const v of asList(values)) {
      if (type === 'AWS' && v === '*') return true;
      if (type !== p.type) continue;
      if (p.type === 'Service' && v.toLowerCase() === p.value.toLowerCase()) return true;
      if (p.type === 'Federated' && v === p.value) return true;
      if (p.type === 'AWS' && (v === p.roleArn || accountOf(v) === p.account)) return true;
    }
  }
  return false;
}

function principalMatches(statement: PolicyStatement, p: RequestPrincipal): boolean {
  if (statement.NotPrincipal !== undefined) return !principalListed(statement.NotPrincipal, p);
  return statement.Principal !== undefined && principalListed(statement.Principal, p);
}

type Compare = (actual: string, expected: string) => boolean;

const BASE: Record<string, { compare: Compare; negated: boolean }> = {
  stringequals: { compare: (a, e) => a === e, negated: false },
  stringnotequals: { compare: (a, e) => a === e, negated: true },
  stringequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { compare: (a, e) => wildcard(e).test(a), negated: false },
  stringnotlike: { compare: (a, e) => wildcard(e).test(a), negated: true },
  // ArnEquals and ArnLike behave the same and both accept wildcards (IAM User Guide, "Amazon Resource Name (ARN) condition operators").
  arnequals: { compare: (a, e) => wildcard(e).test(a), negated: false },
  arnlike: { compare: (a, e) => wildcard(e).test(a), negated: false },
  arnnotequals: { compare: (a, e) => wildcard(e).test(a), negated: true },
  arnnotlike: { compare: (a, e) => wildcard(e).test(a), negated: true },
  bool: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

function checkCondition(operator: string, key: string, expectedRaw: unknown, req: TrustRequest, lookup: Map<string, string[]>): ConditionCheck {
  const expected = asList(expectedRaw as unknown[]).map((v) => String(v));
  const lower = key.toLowerCase();
  const actual = lookup.get(lower);
  const base: ConditionCheck = { operator, key, expected, actual, result: 'no' };
  if (req.unknownKeys?.some((k) => k.toLowerCase() === lower)) return { ...base, actual: undefined, result: 'unknown' };
  const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/i.exec(operator);
  const set = m?.[1]?.toLowerCase();
  const opName = (m?.[2] ?? operator).toLowerCase();
  const ifExists = !!m?.[3];
  if (opName === 'null') {
    // Null: "true" means the key must be absent, "false" that it must be present.
    const wantAbsent = expected.some((e) => e.toLowerCase() === 'true');
    return { ...base, result: (actual === undefined) === wantAbsent ? 'yes' : 'no' };
  }
  const op = BASE[opName];
  if (!op) return { ...base, result: 'unknown' };
  if (actual === undefined || actual.length === 0) {
    // An absent key: IfExists and negated operators hold, ForAllValues holds vacuously, everything else fails.
    const holds = ifExists || set === 'forallvalues' || (op.negated && set !== 'foranyvalue');
    return { ...base, result: holds ? 'yes' : 'no' };
  }
  const one = (a: string) => (op.negated ? !expected.some((e) => op.compare(a, e)) : expected.some((e) => op.compare(a, e)));
  const ok = set === 'forallvalues' ? actual.every(one) : actual.some(one);
  return { ...base, result: ok ? 'yes' : 'no' };
}

function and(values: Tri[]): Tri {
  if (values.includes('no')) return 'no';
  return values.includes('unknown') ? 'unknown' : 'yes';
}

/** Evaluates one request against a trust policy, statement by statement, keeping why each applied or not. */
export function evaluateTrust(policy: PolicyDocument, req: TrustRequest): TrustDecision {
  const lookup = new Map<string, string[]>();
  for (const [k, v] of Object.entries(req.context)) lookup.set(k.toLowerCase(), asList(v));
  const statements = policy.statements.map((s, index): StatementCheck => {
    const principal = principalMatches(s, req.principal);
    const action = actionMatches(s, req.action);
    const conditions: ConditionCheck[] = [];
    for (const [operator, block] of Object.entries(s.Condition ?? {})) {
      for (const [key, expected] of Object.entries(block)) conditions.push(checkCondition(operator, key, expected, req, lookup));
    }
    const applies = principal && action ? and(conditions.map((c) => c.result)) : 'no';
    return { index, sid: s.Sid, effect: s.Effect, principal, action, conditions, applies };
  });
  const denies = statements.filter((s) => s.effect === 'Deny');
  const allows = statements.filter((s) => s.effect === 'Allow');
  if (denies.some((s) => s.applies === 'yes')) return { decision: 'explicit-deny', statements };
  const allowed = allows.some((s) => s.applies === 'yes');
  if (denies.some((s) => s.applies === 'unknown') && (allowed || allows.some((s) => s.applies === 'unknown'))) return { decision: 'unknown', statements };
  if (allowed) return { decision: 'allowed', statements };
  return { decision: allows.some((s) => s.applies === 'unknown') ? 'unknown' : 'implicit-deny', statements };
}

/**
 * The statement that comes closest to allowing the request: an Allow that names the principal and the action, so that
 * an explanation can say which condition is wrong rather than only "denied".
 */
export function nearestAllow(decision: TrustDecision): StatementCheck | undefined {
  const allows = decision.statements.filter((s) => s.effect === 'Allow');
  return allows.find((s) => s.principal && s.action) ?? allows.find((s) => s.principal) ?? allows.find((s) => s.action);
}
