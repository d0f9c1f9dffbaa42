/** Rules about the groups an item grants: node roles, cluster-admin, and names access entries reject. */
import type { DecodedItem } from '../authenticator';
import type { EmbeddedText } from '../embedded';
import { embeddedFix, embeddedInsert, lineEndOf, lineStartOf } from './context';
import type { Fix } from './types';
import { rule, type Rule } from './rule';

const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
const FARGATE_GROUP = 'system:node-proxier';
const WINDOWS_GROUP = 'eks:kube-proxy-windows';
const NODE_ROLE_GROUPS = [...NODE_GROUPS, FARGATE_GROUP];
const RESERVED_USERNAME_PREFIXES = ['aws:', 'amazon:', 'eks:', 'iam:', 'system:'];

const isNodeUser = (item: DecodedItem) => item.username.startsWith('system:node:');

/** Adds groups where they are written: to a flow list, after the last block item, or as a new groups key. */
function addGroupsFix(e: EmbeddedText, item: DecodedItem, missing: string[]): Fix | undefined {
  const text = e.text;
  const title = `Add ${missing.join(', ')} to groups`;
  const groups = item.fields.groups;
  if (groups && text[groups.valueRange[0]] === '[') {
    const values = [...item.groupRanges.map((g) => text.slice(g[0], g[1])), ...missing];
    return embeddedFix(e, title, groups.valueRange[0], groups.valueRange[1], `[${values.join(', ')}]`);
  }
  if (groups && item.groupRanges.length) {
    const first = item.groupRanges[0];
    const last = item.groupRanges[item.groupRanges.length - 1];
    const prefix = text.slice(lineStartOf(text, first[0]), first[0]);
    if (!/^ *- $/.test(prefix)) return undefined;
    const indent = /^ */.exec(prefix)![0];
    return embeddedInsert(e, title, lineEndOf(text, Math.max(last[0], last[1] - 1)), missing.map((g) => `\n${indent}- ${g}`).join(''));
  }
  if (!groups && text[item.range[0]] !== '{') {
    const indent = ' '.repeat(item.range[0] - lineStartOf(text, item.range[0]));
    return embeddedInsert(e, title, lineEndOf(text, Math.max(item.range[0], item.range[1] - 1)), `\n${indent}groups:` + missing.map((g) => `\n${indent}  - ${g}`).join(''));
  }
  return undefined;
}

export const GROUP_RULES: Rule[] = [
  rule({ id: 'A20', severity: 'error', variants: { fargate: 'info', windows: 'warning' }, title: 'A node role without the node groups' }, {
    item({ report }, e, item) {
      if (item.section !== 'mapRoles' || !isNodeUser(item)) return;
      const range = item.fields.username?.valueRange ?? item.range;
      const missing = NODE_GROUPS.filter((g) => !item.groups.includes(g));
      if (missing.length) {
        report.inEmbedded(e, range, `Node identities need the groups system:bootstrappers and system:nodes; missing ${missing.join(', ')}: nodes with this role cannot join. Add the missing groups.`, { fixes: [addGroupsFix(e, item, missing)] });
      }
      if (item.username.includes('{{SessionName}}') && !item.groups.includes(FARGATE_GROUP)) {
        report.inEmbedded(e, range, `A Fargate pod execution role (system:node:{{SessionName}}) also needs ${FARGATE_GROUP}.`, { variant: 'fargate', fixes: [addGroupsFix(e, item, [FARGATE_GROUP])] });
      }
      if (/windows/i.test(item.arn) && !item.groups.includes(WINDOWS_GROUP)) {
        report.inEmbedded(e, range, `Windows nodes also need the group ${WINDOWS_GROUP}, or kube-proxy cannot start on them.`, { variant: 'windows', fixes: [addGroupsFix(e, item, [WINDOWS_GROUP])] });
      }
    },
  }),
  rule({ id: 'A21', severity: 'warning', title: 'system:masters' }, {
    item({ report }, e, item) {
      item.groups.forEach((g, i) => {
        if (g === 'system:masters') report.inEmbedded(e, item.groupRanges[i], 'system:masters grants unrestricted cluster-admin that RBAC cannot limit or audit by name (CIS EKS 4.1.7). Bind a narrower ClusterRole to a custom group instead.');
      });
    },
  }),
  rule({ id: 'A22', severity: 'info', title: 'A reserved group or username that blocks migration' }, {
    item({ report }, e, item) {
      const node = isNodeUser(item);
      item.groups.forEach((g, i) => {
        if (g !== 'system:masters' && g.startsWith('system:') && !(node && NODE_ROLE_GROUPS.includes(g))) {
          report.inEmbedded(e, item.groupRanges[i], `The group ${g} uses the reserved system: prefix, which access entries reject: this mapping cannot be migrated as is.`);
        }
      });
      const prefix = item.username !== '' && !node ? RESERVED_USERNAME_PREFIXES.find((p) => item.username.startsWith(p)) : undefined;
      if (prefix) report.inEmbedded(e, item.fields.username?.valueRange ?? item.range, `The username starts with the reserved prefix "${prefix}", which access entries reject: this mapping cannot be migrated as is.`);
    },
  }),
];
