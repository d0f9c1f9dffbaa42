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

/** The role path, for the rules A11, A12 and A25 that split it by kind. */
function rolePath({ reading, item }: ArnContext): { path: string; fixed: string } | undefined {
  if (reading.kind !== 'parsed' || reading.parsed.kind !== 'role' || !reading.parsed.path) return undefined;
  return { path: reading.parsed.path, fixed: stripPath(item.arn) };
}

const SSO_PATH = 'aws-reserved/sso.amazonaws.com';
const SERVICE_PATH = 'aws-service-role/';

export const ARN_RULES: Rule[] = [
  rule({ id: 'A11', severity: 'error', title: 'A role ARN with a path' }, {
    item: onArn(({ report }, a) => {
      const { e, range, replace } = a;
      const p = rolePath(a);
      if (!p || p.path.startsWith(SERVICE_PATH) || p.path.startsWith(SSO_PATH)) return;
      report.inEmbedded(e, range, `The role path "/${p.path}/" never matches: STS reports role ARNs without a path. Use ${p.fixed}.`, { fixes: [replace(`Use ${p.fixed}`, p.fixed)] });
    }),
  }),
  rule({ id: 'A12', severity: 'error', title: 'An IAM Identity Center role with its path' }, {
    item: onArn(({ report }, a) => {
      const { e, range, replace } = a;
      const p = rolePath(a);
      if (!p?.path.startsWith(SSO_PATH)) return;
      report.inEmbedded(e, range, `IAM Identity Center roles must be written without their aws-reserved/sso.amazonaws.com/... path: STS reports ${p.fixed}, so this never matches.`, { fixes: [replace(`Use ${p.fixed}`, p.fixed)] });
    }),
  }),
  rule({ id: 'A13', severity: 'error', title: 'An STS session ARN as rolearn' }, {
    item: onArn(({ report }, { reading, e, range, replace }) => {
      if (reading.kind !== 'session') return;
      report.inEmbedded(e, range, `This is an STS session ARN; the authenticator compares IAM role ARNs, so it never matches. Use ${reading.fixed}.`, { fixes: [replace(`Use ${reading.fixed}`, reading.fixed)] });
    }),
  }),
  rule({ id: 'A14', severity: 'error', title: 'An ARN that never matches' }, {
    item: onArn(({ report }, { reading, item, e, range, key, replace }) => {
      if (reading.kind === 'whitespace') {
        report.inEmbedded(e, range, `This ${key} has leading or trailing white space inside its quotes: the authenticator compares it exactly, so it never matches.`, { fixes: [replace('Remove the white space', item.arn.trim())] });
      } else if (reading.kind === 'malformed' && !reading.root) {
        report.inEmbedded(e, range, `This ${key} never matches: ${reading.problem}.`);
      }
    }),
  }),
  rule({ id: 'A15', severity: 'warning', title: 'A user ARN as rolearn, or a role ARN as userarn' }, {
    item: onArn(({ report }, { reading, e, range, key }) => {
      if (reading.kind !== 'parsed') return;
      if (key === 'rolearn' && reading.parsed.kind === 'user') report.inEmbedded(e, range, 'rolearn holds an IAM user ARN: it works, but tools classify mappings by key. Move it to mapUsers as userarn.');
      if (key === 'userarn' && reading.parsed.kind === 'role') report.inEmbedded(e, range, 'userarn holds an IAM role ARN: it works, but tools classify mappings by key. Move it to mapRoles as rolearn (without a path).');
    }),
  }),
  rule({ id: 'A25', severity: 'warning', title: 'A service-linked role' }, {
    item: onArn(({ report }, a) => {
      const { e, range, replace } = a;
      const p = rolePath(a);
      if (!p?.path.startsWith(SERVICE_PATH)) return;
      report.inEmbedded(e, range, `A service-linked role: its path never matches (use ${p.fixed}), and access entries do not support service-linked roles, so it cannot be migrated.`, { fixes: [replace(`Use ${p.fixed}`, p.fixed)] });
    }),
  }),
];
