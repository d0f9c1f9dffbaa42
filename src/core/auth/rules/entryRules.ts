/** Rules about one mapRoles/mapUsers item: required keys, unknown keys, value types, usernames and placeholders. */
import { DecodedItem, TEMPLATE_VARIABLES } from '../authenticator';
import type { EmbeddedText } from '../embedded';
import { embeddedFix } from './context';
import { rule, type Rule } from './rule';
import { braceKeyRange } from './structureRules';

const ROLE_KEYS = ['rolearn', 'username', 'groups', 'sso', 'userid'];
const USER_KEYS = ['userarn', 'username', 'groups', 'userid'];

type TypeError_ = DecodedItem['typeErrors'][number];

/** encoding/json could not store an unquoted `{...}`: YAML read it as a mapping (A18), not as a wrong type (A09). */
function isBraceValue(e: EmbeddedText, t: TypeError_): boolean {
  return t.got === 'object' && e.text.slice(t.range[0], t.range[1]).startsWith('{');
}

function droppedMessage(item: DecodedItem): string {
  if (item.section === 'mapUsers') return 'This user mapping has no userarn: the authenticator drops it. Add userarn: arn:aws:iam::ACCOUNT:user/NAME.';
  if (item.droppedKind === 'noRoleArnOrSso') return 'This role mapping has no rolearn: the authenticator drops it. Add rolearn: arn:aws:iam::ACCOUNT:role/NAME.';
  if (item.droppedKind === 'roleArnAndSso') return 'This role mapping has both rolearn and sso: the authenticator drops it. Keep only one of them.';
  return `The authenticator drops this role mapping: ${item.dropped}.`;
}

/** A05 for mapRoles, A06 for mapUsers: the same check, one id per section. */
function droppedItemRule(id: 'A05' | 'A06', section: 'mapRoles' | 'mapUsers'): Rule {
  const title = section === 'mapRoles' ? 'A role mapping the authenticator drops' : 'A user mapping the authenticator drops';
  return rule({ id, severity: 'error', title }, {
    itemNotMapping({ report }, e, item, got) {
      if (item.section === section) report.inEmbedded(e, item.range, `This ${section} item is a ${got}, not a mapping (rolearn/userarn, username, groups): the authenticator drops it.`);
    },
    item({ report }, e, item) {
      if (item.section === section && item.dropped) report.inEmbedded(e, item.range, droppedMessage(item));
    },
  });
}

export const ENTRY_RULES: Rule[] = [
  droppedItemRule('A05', 'mapRoles'),
  droppedItemRule('A06', 'mapUsers'),
  rule({ id: 'A07', severity: 'error', title: 'No username' }, {
    item({ report }, e, item) {
      const usernameError = item.typeErrors.some((t) => t.field.toLowerCase() === 'username');
      if (item.username === '' && !usernameError) report.inEmbedded(e, item.fields.username?.keyRange ?? item.range, 'username is missing or empty: EKS requires one. Add username: (for nodes, system:node:{{EC2PrivateDNSName}}).');
    },
  }),
  rule({ id: 'A08', severity: 'warning', title: 'An unknown item key' }, {
    item({ report }, e, item) {
      const known = item.section === 'mapRoles' ? ROLE_KEYS : USER_KEYS;
      for (const { key, range } of item.unknownKeys) {
        const suggestion = suggestKey(key.toLowerCase(), known);
        report.inEmbedded(e, range, `Unknown key "${key}" is ignored by the authenticator${suggestion ? `; did you mean "${suggestion}"?` : ` (known keys: ${known.join(', ')})`}.`, {
          fixes: [suggestion ? embeddedFix(e, `Rename to ${suggestion}`, range[0], range[1], suggestion) : undefined],
        });
      }
    },
  }),
  rule({ id: 'A09', severity: 'error', title: 'A value that is not a string' }, {
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
  }),
  rule({ id: 'A10', severity: 'warning', title: 'Two groups merged by an indentation slip' }, {
    item({ report }, e, item) {
      item.groups.forEach((g, i) => {
        if (g.includes(' - ')) report.inEmbedded(e, item.groupRanges[i], `The group "${g}" contains " - ": two list items were merged by an indentation slip. Put each "- group" on its own line at the same indentation.`);
      });
    },
  }),
  rule({ id: 'A17', severity: 'warning', title: 'An unknown placeholder' }, {
    item({ report }, e, item) {
      const templated = [...(item.fields.username && item.username ? [{ value: item.username, range: item.fields.username.valueRange }] : []), ...item.groups.map((value, i) => ({ value, range: item.groupRanges[i] }))];
      for (const { value, range } of templated) {
        if (!value.includes('{{')) continue;
        for (const m of value.matchAll(/\{\{([^{}]*)\}\}/g)) {
          if (!TEMPLATE_VARIABLES.includes(m[1])) report.inEmbedded(e, range, `Unknown placeholder {{${m[1]}}} is left as literal text. Known: ${TEMPLATE_VARIABLES.map((t) => `{{${t}}}`).join(', ')}.`);
        }
      }
    },
  }),
  rule({ id: 'A18', severity: 'error', title: 'An unquoted value that starts with {' }, {
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
  }),
  rule({ id: 'A19', severity: 'warning', title: 'A placeholder that cannot render for this caller' }, {
    item({ report }, e, item) {
      const { section, username } = item;
      const range = item.fields.username?.valueRange ?? item.range;
      const isNodeUser = username.startsWith('system:node:');
      if (username.includes('{{EC2PrivateDNSName}}') && (section === 'mapUsers' || (!isNodeUser && !item.groups.includes('system:nodes')))) {
        report.inEmbedded(e, range, `{{EC2PrivateDNSName}} renders only for EC2 node roles (session name = instance id); ${section === 'mapUsers' ? 'IAM users' : 'other callers'} are denied with "error rendering username template".`);
      }
      if (section === 'mapUsers' && /\{\{SessionName(Raw)?\}\}/.test(username)) report.inEmbedded(e, range, 'IAM users have no session name: {{SessionName}} renders empty here. Use a fixed username.');
    },
  }),
  rule({ id: 'A26', severity: 'warning', title: 'An sso mapping' }, {
    item({ report }, e, item) {
      if (item.fields.sso) report.inEmbedded(e, item.fields.sso.keyRange, 'sso mappings need the alpha SSORoleMatch feature gate, which is off by default and not documented for EKS: map the AWSReservedSSO_* role with rolearn (no path) or use an access entry.');
    },
  }),
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
