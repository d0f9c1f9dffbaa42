/** Rules about one mapRoles/mapUsers item: required keys, unknown keys, value types, usernames and placeholders. */
import { DecodedItem, TEMPLATE_VARIABLES } from '../authenticator';
import type { EmbeddedText } from '../embedded';
import { embeddedFix } from './context';
import type { Rule } from './rule';
import { braceKeyRange } from './structureRules';

const ROLE_KEYS = ['rolearn', 'username', 'groups', 'sso', 'userid'];
const USER_KEYS = ['userarn', 'username', 'groups', 'userid'];

type TypeError_ = DecodedItem['typeErrors'][number];

/** encoding/json could not store an unquoted `{...}`: YAML read it as a mapping (A18), not as a wrong type (A09). */
function isBraceValue(e: EmbeddedText, t: TypeError_): boolean {
  return t.got === 'object' && e.text.slice(t.range[0], t.range[1]).startsWith('{');
}

function droppedMessage(item: DecodedItem): string {
  const why = item.dropped!;
  if (item.section === 'mapUsers') return 'This user mapping has no userarn: the authenticator drops it. Add userarn: arn:aws:iam::ACCOUNT:user/NAME.';
  if (why.startsWith('one of')) return 'This role mapping has no rolearn: the authenticator drops it. Add rolearn: arn:aws:iam::ACCOUNT:role/NAME.';
  if (why.startsWith('only one')) return 'This role mapping has both rolearn and sso: the authenticator drops it. Keep only one of them.';
  return `The authenticator drops this role mapping: ${why}.`;
}

/** A05 for mapRoles, A06 for mapUsers: the same check, one id per section. */
function droppedItemRule(id: 'A05' | 'A06', section: 'mapRoles' | 'mapUsers'): Rule {
  const roles = section === 'mapRoles';
  return {
    id,
    title: roles ? 'A role mapping the authenticator drops' : 'A user mapping the authenticator drops',
    severity: 'error',
    scope: 'file',
    docs: roles
      ? { when: 'A role item has neither `rolearn` nor `sso`, or has both, or is not a mapping at all.', why: 'The entry is dropped.', fix: 'Keep exactly one of them.' }
      : { when: 'A user item has no `userarn`, or is not a mapping at all.', why: 'The entry is dropped.', fix: 'Add `userarn`.' },
    check: {
      itemNotMapping({ report }, e, item, got) {
        if (item.section === section) report.inEmbedded(e, item.range, `This ${section} item is a ${got}, not a mapping (rolearn/userarn, username, groups): the authenticator drops it.`);
      },
      item({ report }, e, item) {
        if (item.section === section && item.dropped) report.inEmbedded(e, item.range, droppedMessage(item));
      },
    },
  };
}

export const ENTRY_RULES: Rule[] = [
  droppedItemRule('A05', 'mapRoles'),
  droppedItemRule('A06', 'mapUsers'),
  {
    id: 'A07',
    title: 'No username',
    severity: 'error',
    scope: 'file',
    docs: { when: '`username` is missing or empty.', why: 'The EKS documentation requires it; an empty username makes audit logs useless.', fix: 'Add a username; for nodes `system:node:{{EC2PrivateDNSName}}`.' },
    check: {
      item({ report }, e, item) {
        const usernameError = item.typeErrors.some((t) => t.field.toLowerCase() === 'username');
        if (item.username === '' && !usernameError) report.inEmbedded(e, item.fields.username?.keyRange ?? item.range, 'username is missing or empty: EKS requires one. Add username: (for nodes, system:node:{{EC2PrivateDNSName}}).');
      },
    },
  },
  {
    id: 'A08',
    title: 'An unknown item key',
    severity: 'warning',
    scope: 'file',
    docs: { when: 'Unknown item key (`group`, `role`, ...). Known keys match case-insensitively, so `roleArn` is fine.', why: 'Unknown keys are silently ignored: `group:` instead of `groups:` grants no group.', fix: 'Rename the key. Quick fix suggests the nearest known key.' },
    check: {
      item({ report }, e, item) {
        const known = item.section === 'mapRoles' ? ROLE_KEYS : USER_KEYS;
        for (const { key, range } of item.unknownKeys) {
          const suggestion = suggestKey(key.toLowerCase(), known);
          report.inEmbedded(e, range, `Unknown key "${key}" is ignored by the authenticator${suggestion ? `; did you mean "${suggestion}"?` : ` (known keys: ${known.join(', ')})`}.`, {
            fixes: [suggestion ? embeddedFix(e, `Rename to ${suggestion}`, range[0], range[1], suggestion) : undefined],
          });
        }
      },
    },
  },
  {
    id: 'A09',
    title: 'A value that is not a string',
    severity: 'error',
    scope: 'file',
    docs: {
      when: 'A value the authenticator reads as another type than a string: `username: on` (YAML 1.1 boolean), `username: 12345`, `groups: system:masters` (a string, not a list), a group `yes`.',
      why: '`encoding/json` skips the value and keeps the entry: an empty username, no groups, or an empty group name in that place. The identity authenticates, then gets Forbidden.',
      fix: 'Write `groups:` as a list, quote odd values.',
    },
    check: {
      item({ report }, e, item) {
        for (const t of item.typeErrors) {
          if (isBraceValue(e, t)) continue;
          const source = e.text.slice(t.range[0], t.range[1]);
          const field = t.field.toLowerCase();
          const what = `${source || 'This value'} is read as a ${t.got}${t.got === 'bool' ? ' (YAML 1.1: yes/no/on/off/y/n are booleans)' : ''}, not a string`;
          const isGroupItem = field === 'groups' && item.groupRanges.some((g) => g[0] === t.range[0] && g[1] === t.range[1]);
          const consequence =
            field === 'username'
              ? 'the authenticator drops the username, so the identity authenticates with an empty username. Quote it.'
              : isGroupItem
                ? 'the authenticator keeps this group as an empty name. Quote it.'
                : field === 'groups'
                  ? 'groups must be a list of strings ("- group" items): the authenticator drops the field and the identity gets no groups, so Kubernetes answers Forbidden.'
                  : field === 'rolearn' || field === 'userarn'
                    ? `the authenticator drops ${field}, so it drops the whole entry. Quote it.`
                    : 'the authenticator ignores the value. Quote it.';
          report.inEmbedded(e, t.range, `${what}: ${consequence}`);
        }
      },
    },
  },
  {
    id: 'A10',
    title: 'Two groups merged by an indentation slip',
    severity: 'warning',
    scope: 'file',
    docs: { when: 'A group value contains ` - `.', why: 'An indentation slip merged two list items into one string.', fix: 'Put each `- group` on its own line at the same indentation.' },
    check: {
      item({ report }, e, item) {
        item.groups.forEach((g, i) => {
          if (g.includes(' - ')) report.inEmbedded(e, item.groupRanges[i], `The group "${g}" contains " - ": two list items were merged by an indentation slip. Put each "- group" on its own line at the same indentation.`);
        });
      },
    },
  },
  {
    id: 'A17',
    title: 'An unknown placeholder',
    severity: 'warning',
    scope: 'file',
    docs: { when: 'Unknown `{{...}}` placeholder in `username` or `groups`.', why: 'Unknown placeholders stay as literal text.', fix: 'Use `{{AccountID}}`, `{{SessionName}}`, `{{SessionNameRaw}}`, `{{AccessKeyID}}` or `{{EC2PrivateDNSName}}`.' },
    check: {
      item({ report }, e, item) {
        const templated = [...(item.fields.username && item.username ? [{ value: item.username, range: item.fields.username.valueRange }] : []), ...item.groups.map((value, i) => ({ value, range: item.groupRanges[i] }))];
        for (const { value, range } of templated) {
          if (!value.includes('{{')) continue;
          for (const m of value.matchAll(/\{\{([^{}]*)\}\}/g)) {
            if (!TEMPLATE_VARIABLES.includes(m[1])) report.inEmbedded(e, range, `Unknown placeholder {{${m[1]}}} is left as literal text. Known: ${TEMPLATE_VARIABLES.map((t) => `{{${t}}}`).join(', ')}.`);
          }
        }
      },
    },
  },
  {
    id: 'A18',
    title: 'An unquoted value that starts with {',
    severity: 'error',
    scope: 'file',
    docs: {
      when: 'An unquoted value that starts with `{`, such as `username: {{SessionName}}`.',
      why: 'YAML reads it as a mapping. `{{SessionName}}` is a mapping used as a key, which go-yaml refuses (`invalid map key`): the whole section is dropped. `{x}` is a mapping value: that field is dropped.',
      fix: 'Quote it. Quick fix.',
    },
    check: {
      section({ report }, section, e, model) {
        const range = model.error && braceKeyRange(e.text, model.error);
        if (!range) return;
        const source = e.text.slice(range[0], range[1]);
        report.inEmbedded(e, range, `${source} is read as a YAML mapping because it starts with "{", and a mapping cannot be a key (go-yaml: ${model.error!.message}): the authenticator drops the whole ${section} section. Quote it: "${source}".`, {
          fixes: [embeddedFix(e, 'Quote the value', range[0], range[1], `"${source}"`)],
        });
      },
      item({ report }, e, item) {
        for (const t of item.typeErrors) {
          if (!isBraceValue(e, t)) continue;
          const source = e.text.slice(t.range[0], t.range[1]);
          const field = t.field.toLowerCase();
          report.inEmbedded(e, t.range, `${source} is read as a YAML mapping because it starts with "{", so the authenticator cannot use it as the ${field.startsWith('group') ? 'group' : field}. Quote it: "${source}".`, {
            fixes: [embeddedFix(e, 'Quote the value', t.range[0], t.range[1], `"${source}"`)],
          });
        }
      },
    },
  },
  {
    id: 'A19',
    title: 'A placeholder that cannot render for this caller',
    severity: 'warning',
    scope: 'file',
    docs: { when: '`{{EC2PrivateDNSName}}` in `mapUsers` or for a role without node groups; `{{SessionName}}` in `mapUsers`.', why: 'Rendering fails (access denied) or renders empty.', fix: 'Use a fixed username.' },
    check: {
      item({ report }, e, item) {
        const { section, username } = item;
        const range = item.fields.username?.valueRange ?? item.range;
        const isNodeUser = username.startsWith('system:node:');
        if (username.includes('{{EC2PrivateDNSName}}') && (section === 'mapUsers' || (!isNodeUser && !item.groups.includes('system:nodes')))) {
          report.inEmbedded(e, range, `{{EC2PrivateDNSName}} renders only for EC2 node roles (session name = instance id); ${section === 'mapUsers' ? 'IAM users' : 'other callers'} are denied with "error rendering username template".`);
        }
        if (section === 'mapUsers' && /\{\{SessionName(Raw)?\}\}/.test(username)) report.inEmbedded(e, range, 'IAM users have no session name: {{SessionName}} renders empty here. Use a fixed username.');
      },
    },
  },
  {
    id: 'A26',
    title: 'An sso mapping',
    severity: 'warning',
    scope: 'file',
    docs: { when: 'An `sso:` entry.', why: 'Needs the alpha `SSORoleMatch` feature gate, which EKS does not enable.', fix: 'Map the `AWSReservedSSO_*` role with `rolearn`, or use an access entry.' },
    check: {
      item({ report }, e, item) {
        if (item.fields.sso) report.inEmbedded(e, item.fields.sso.keyRange, 'sso mappings need the alpha SSORoleMatch feature gate, which is off by default and not documented for EKS: map the AWSReservedSSO_* role with rolearn (no path) or use an access entry.');
      },
    },
  },
];

/** A near spelling of a known key: `group` for groups, `roleArn_` for rolearn, `role` for rolearn. */
function suggestKey(key: string, known: string[]): string | undefined {
  const aliases: Record<string, string> = { group: 'groups', role: 'rolearn', user: 'userarn', arn: known[0], name: 'username', 'role-arn': 'rolearn', role_arn: 'rolearn', user_arn: 'userarn', 'user-arn': 'userarn', user_name: 'username' };
  if (aliases[key] && known.includes(aliases[key])) return aliases[key];
  // Keys longer than any known key by more than the distance cannot be near: skip the quadratic comparison.
  if (key.length > 12) return undefined;
  let best: { key: string; distance: number } | undefined;
  for (const k of known) {
    const d = levenshtein(key, k);
    if (d <= 2 && (!best || d < best.distance)) best = { key: k, distance: d };
  }
  return best?.key;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
