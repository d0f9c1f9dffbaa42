/** Rules about the rolearn/userarn of an item: what the authenticator compares it with, and why it never matches. */
import { arnProblem, canonicalize, parseArn, ParsedArn, stripPath } from '../arn';
import type { DecodedItem } from '../authenticator';
import type { EmbeddedText } from '../embedded';
import { embeddedFix, Range } from './context';
import type { Check, Rule } from './rule';

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
  {
    id: 'A11',
    title: 'A role ARN with a path',
    severity: 'error',
    scope: 'file',
    docs: { when: '`rolearn` has a path (`role/team/Name`).', why: 'STS reports role ARNs without a path, so the mapping never matches.', fix: 'Keep only the last segment. Quick fix.' },
    check: {
      item: onArn(({ report }, a) => {
        const { e, range, replace } = a;
        const p = rolePath(a);
        if (!p || p.path.startsWith(SERVICE_PATH) || p.path.startsWith(SSO_PATH)) return;
        report.inEmbedded(e, range, `The role path "/${p.path}/" never matches: STS reports role ARNs without a path. Use ${p.fixed}.`, { fixes: [replace(`Use ${p.fixed}`, p.fixed)] });
      }),
    },
  },
  {
    id: 'A12',
    title: 'An IAM Identity Center role with its path',
    severity: 'error',
    scope: 'file',
    docs: { when: 'An IAM Identity Center role written with its `aws-reserved/sso.amazonaws.com/...` path.', why: 'Special case of A11, and the most common one.', fix: 'Use `role/AWSReservedSSO_<set>_<id>`. Quick fix.' },
    check: {
      item: onArn(({ report }, a) => {
        const { e, range, replace } = a;
        const p = rolePath(a);
        if (!p?.path.startsWith(SSO_PATH)) return;
        report.inEmbedded(e, range, `IAM Identity Center roles must be written without their aws-reserved/sso.amazonaws.com/... path: STS reports ${p.fixed}, so this never matches.`, { fixes: [replace(`Use ${p.fixed}`, p.fixed)] });
      }),
    },
  },
  {
    id: 'A13',
    title: 'An STS session ARN as rolearn',
    severity: 'error',
    scope: 'file',
    docs: { when: '`rolearn` is an STS `assumed-role/R/session` ARN.', why: 'The authenticator compares IAM role ARNs.', fix: 'Use `arn:P:iam::A:role/R`. Quick fix.' },
    check: {
      item: onArn(({ report }, { reading, e, range, replace }) => {
        if (reading.kind !== 'session') return;
        report.inEmbedded(e, range, `This is an STS session ARN; the authenticator compares IAM role ARNs, so it never matches. Use ${reading.fixed}.`, { fixes: [replace(`Use ${reading.fixed}`, reading.fixed)] });
      }),
    },
  },
  {
    id: 'A14',
    title: 'An ARN that never matches',
    severity: 'error',
    scope: 'file',
    docs: { when: 'Malformed ARN (partition, 12-digit account, `role/` or `user/`), one with `*` or `?`, or white space inside the quotes.', why: 'No wildcards and no fuzzy matching: it never matches.', fix: 'Write the exact ARN.' },
    check: {
      item: onArn(({ report }, { reading, item, e, range, key, replace }) => {
        if (reading.kind === 'whitespace') {
          report.inEmbedded(e, range, `This ${key} has leading or trailing white space inside its quotes: the authenticator compares it exactly, so it never matches.`, { fixes: [replace('Remove the white space', item.arn.trim())] });
        } else if (reading.kind === 'malformed' && !reading.root) {
          report.inEmbedded(e, range, `This ${key} never matches: ${reading.problem}.`);
        }
      }),
    },
  },
  {
    id: 'A15',
    title: 'A user ARN as rolearn, or a role ARN as userarn',
    severity: 'warning',
    scope: 'file',
    docs: { when: '`rolearn` holds a user ARN, or `userarn` a role ARN.', why: 'It works, but tools (eksctl, migration to access entries) classify mappings by key.', fix: 'Move it to the right section.' },
    check: {
      item: onArn(({ report }, { reading, e, range, key }) => {
        if (reading.kind !== 'parsed') return;
        if (key === 'rolearn' && reading.parsed.kind === 'user') report.inEmbedded(e, range, 'rolearn holds an IAM user ARN: it works, but tools classify mappings by key. Move it to mapUsers as userarn.');
        if (key === 'userarn' && reading.parsed.kind === 'role') report.inEmbedded(e, range, 'userarn holds an IAM role ARN: it works, but tools classify mappings by key. Move it to mapRoles as rolearn (without a path).');
      }),
    },
  },
  {
    id: 'A25',
    title: 'A service-linked role',
    severity: 'warning',
    scope: 'file',
    docs: { when: 'A service-linked role (`role/aws-service-role/...`).', why: 'The path rule applies, and access entries do not support service-linked roles.', fix: 'Remove the path, and keep it out of a migration.' },
    check: {
      item: onArn(({ report }, a) => {
        const { e, range, replace } = a;
        const p = rolePath(a);
        if (!p?.path.startsWith(SERVICE_PATH)) return;
        report.inEmbedded(e, range, `A service-linked role: its path never matches (use ${p.fixed}), and access entries do not support service-linked roles, so it cannot be migrated.`, { fixes: [replace(`Use ${p.fixed}`, p.fixed)] });
      }),
    },
  },
];
