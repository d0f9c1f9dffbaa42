/** Rules about the rolearn/userarn of an item: what the authenticator compares it with, and why it never matches. */
import { arnProblem, canonicalize, parseArn, ParsedArn, stripPath } from '../arn';
import type { DecodedItem } from '../authenticator';
import type { EmbeddedText } from '../embedded';
import { embeddedFix, Range } from './context';
import { rule, type Check, type Rule } from './rule';

/** How an item's ARN reads, decided once and shared by the ARN rules so that exactly one of them explains it. */
type ArnReading =
  | { kind: 'whitespace' }
  | { kind: 'session'; fixed: string }
  | { kind: 'malformed'; problem: string; root: boolean }
  | { kind: 'parsed'; parsed: ParsedArn };

const readings = new WeakMap<DecodedItem, ArnReading | null>();

function readingOf(item: DecodedItem): ArnReading | undefined {
  if (!item.fields.arn || item.arn === '') return undefined;
  if (!readings.has(item)) readings.set(item, read(item));
  return readings.get(item) ?? undefined;
}

function read(item: DecodedItem): ArnReading | null {
  const arn = item.arn;
  if (arn !== arn.trim()) return { kind: 'whitespace' };
  const parsed = parseArn(arn);
  const session = parsed?.kind === 'assumed-role' ? canonicalize(arn) : undefined;
  const problem = arnProblem(arn, parsed) ?? (session && 'error' in session ? session.error : undefined);
  if (item.section === 'mapRoles' && session && !('error' in session) && !problem) return { kind: 'session', fixed: session.canonical };
  // A root principal's ARN (arn:P:iam::A:root) is a valid caller and matches as written.
  if (problem) return { kind: 'malformed', problem, root: /^arn:[^:]+:iam::\d{12}:root$/.test(arn) };
  return parsed ? { kind: 'parsed', parsed } : null;
}

/** The hook of a rule that looks at the ARN: the reading, the key's name and a fix that replaces the value. */
function onArn(fn: (c: Check, r: ArnContext) => void) {
  return (c: Check, e: EmbeddedText, item: DecodedItem) => {
    const reading = readingOf(item);
    if (!reading) return;
    const range = item.fields.arn!.valueRange;
    fn(c, { reading, item, e, range, key: item.section === 'mapRoles' ? 'rolearn' : 'userarn', replace: (title, value) => embeddedFix(e, title, range[0], range[1], value) });
  };
}

interface ArnContext {
  reading: ArnReading;
  item: DecodedItem;
  e: EmbeddedText;
  range: Range;
  key: 'rolearn' | 'userarn';
  replace(title: string, value: string): ReturnType<typeof embeddedFix>;
}

const SSO_PATH = 'aws-reserved/sso.amazonaws.com';
const SERVICE_PATH = 'aws-service-role/';

/** Why a mapping's ARN can never equal a caller's, with the rule that says so and the ARN that would match. */
export interface NeverMatch {
  rule: 'A11' | 'A12' | 'A13' | 'A14' | 'A25';
  message: string;
  /** The value that would match, where there is one. */
  fixed?: string;
}

/**
 * The one reading of "this ARN never matches", shared by the lint rules and by anything else that shows a mapping
 * (the explorer marks such a mapping with the same reason).
 */
export function neverMatches(item: DecodedItem): NeverMatch | undefined {
  const reading = readingOf(item);
  if (!reading) return undefined;
  const key = item.section === 'mapRoles' ? 'rolearn' : 'userarn';
  if (reading.kind === 'whitespace') return { rule: 'A14', message: `This ${key} has leading or trailing white space inside its quotes: the authenticator compares it exactly, so it never matches.`, fixed: item.arn.trim() };
  if (reading.kind === 'malformed') return reading.root ? undefined : { rule: 'A14', message: `This ${key} never matches: ${reading.problem}.` };
  if (reading.kind === 'session') return { rule: 'A13', message: `This is an STS session ARN; the authenticator compares IAM role ARNs, so it never matches. Use ${reading.fixed}.`, fixed: reading.fixed };
  if (reading.parsed.kind !== 'role' || !reading.parsed.path) return undefined;
  const path = reading.parsed.path;
  const fixed = stripPath(item.arn);
  if (path.startsWith(SERVICE_PATH)) return { rule: 'A25', message: `A service-linked role: its path never matches (use ${fixed}), and access entries do not support service-linked roles, so it cannot be migrated.`, fixed };
  if (path.startsWith(SSO_PATH)) return { rule: 'A12', message: `IAM Identity Center roles must be written without their aws-reserved/sso.amazonaws.com/... path: STS reports ${fixed}, so this never matches.`, fixed };
  return { rule: 'A11', message: `The role path "/${path}/" never matches: STS reports role ARNs without a path. Use ${fixed}.`, fixed };
}

/** A rule that reports `neverMatches` when it names this rule, with the fix to the matching value. */
function neverMatchRule(id: NeverMatch['rule'], severity: 'error' | 'warning', title: string, fixTitle: (n: NeverMatch) => string): Rule {
  return rule({ id, severity, title }, {
    item: onArn(({ report }, { item, e, range, replace }) => {
      const n = neverMatches(item);
      if (n?.rule !== id) return;
      report.inEmbedded(e, range, n.message, n.fixed !== undefined ? { fixes: [replace(fixTitle(n), n.fixed)] } : undefined);
    }),
  });
}

export const ARN_RULES: Rule[] = [
  neverMatchRule('A11', 'error', 'A role ARN with a path', (n) => `Use ${n.fixed}`),
  neverMatchRule('A12', 'error', 'An IAM Identity Center role with its path', (n) => `Use ${n.fixed}`),
  neverMatchRule('A13', 'error', 'An STS session ARN as rolearn', (n) => `Use ${n.fixed}`),
  neverMatchRule('A14', 'error', 'An ARN that never matches', () => 'Remove the white space'),
  rule({ id: 'A15', severity: 'warning', title: 'A user ARN as rolearn, or a role ARN as userarn' }, {
    item: onArn(({ report }, { reading, e, range, key }) => {
      if (reading.kind !== 'parsed') return;
      if (key === 'rolearn' && reading.parsed.kind === 'user') report.inEmbedded(e, range, 'rolearn holds an IAM user ARN: it works, but tools classify mappings by key. Move it to mapUsers as userarn.');
      if (key === 'userarn' && reading.parsed.kind === 'role') report.inEmbedded(e, range, 'userarn holds an IAM role ARN: it works, but tools classify mappings by key. Move it to mapRoles as rolearn (without a path).');
    }),
  }),
  neverMatchRule('A25', 'warning', 'A service-linked role', (n) => `Use ${n.fixed}`),
];
