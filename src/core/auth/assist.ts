/** Hovers and completions for aws-auth files, worked out on text and offsets. */
import { parseArn } from './arn';
import { callerFor, TEMPLATE_VARIABLES } from './authenticator';
import { markdownText } from '../markdown';

export const GROUP_DOCS: Record<string, string> = {
  'system:masters': 'Bound to the `cluster-admin` ClusterRole by default: unrestricted access to everything, and RBAC cannot take it away. Avoid it (CIS EKS 4.1.7); bind a narrower role to a custom group.',
  'system:bootstrappers': 'Lets a node fetch and approve its kubelet client certificate (TLS bootstrapping). Every node role needs it.',
  'system:nodes': 'The group the Node authorizer and NodeRestriction admission plugin expect kubelets in: nodes can read what their pods need and update their own Node object. Every node role needs it.',
  'system:node-proxier': 'Bound to `system:node-proxier`: what kube-proxy needs. Fargate pod execution roles need it.',
  'eks:kube-proxy-windows': 'Lets kube-proxy run on Windows nodes. Windows node roles need it.',
};

export const TEMPLATE_DOCS: Record<string, string> = {
  AccountID: 'The 12-digit account id of the caller.',
  SessionName: 'The role session name with `@` replaced by `-`; empty for IAM users. For EC2 nodes it is the instance id; for Fargate it is the pod\'s session.',
  SessionNameRaw: 'The role session name as it is, `@` kept.',
  AccessKeyID: 'The access key id the caller signed with.',
  EC2PrivateDNSName: 'The private DNS name of the EC2 instance whose id is the session name. Rendering fails ("error rendering username template") and access is denied when the caller is not an EC2 instance.',
};

/** Markdown for the ARN, group or template variable at `offset`, or undefined. */
export function hoverAt(text: string, offset: number): { markdown: string; start: number; end: number } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const line = text.slice(lineStart, nl < 0 ? text.length : nl);
  const col = offset - lineStart;
  const at = (re: RegExp) => {
    for (const m of line.matchAll(re)) if (m.index! <= col && col <= m.index! + m[0].length) return m;
    return undefined;
  };
  const template = at(/\{\{(\w+)\}\}/g);
  if (template) {
    const doc = TEMPLATE_DOCS[template[1]];
    const markdown = doc ? `**{{${template[1]}}}**: ${doc}` : `**{{${template[1]}}}** is not a known template variable: it stays as literal text. Known: ${TEMPLATE_VARIABLES.join(', ')}.`;
    return { markdown, start: lineStart + template.index!, end: lineStart + template.index! + template[0].length };
  }
  const arn = at(/arn:[\w-]*:(?:iam|sts)::[^\s"',\]}]+/g);
  if (arn) {
    const p = parseArn(arn[0]);
    if (!p) return undefined;
    const compared = callerFor(arn[0]).principal?.canonical ?? arn[0];
    // The ARN comes from the file: escaped, so a crafted one renders as its characters and links nowhere.
    const t = markdownText;
    const lines = [
      `**IAM ${p.kind === 'assumed-role' ? 'STS assumed-role session' : p.kind}** ${t(p.name)}`,
      '',
      `- partition: ${t(p.partition)}`,
      `- account: ${t(p.account)}`,
      ...(p.path ? [`- path: ${t(`/${p.path}/`)}`] : []),
      ...(p.session ? [`- session: ${t(p.session)}`] : []),
      '',
      `The authenticator compares callers with ${t(compared)} (case-insensitive, exact).`,
      ...(p.kind === 'role' && p.path ? ['', 'STS reports role ARNs **without** a path, so this mapping never matches as written.'] : []),
      ...(p.kind === 'assumed-role' ? ['', 'An STS session ARN never matches a mapping: map the role ARN instead.'] : []),
    ];
    return { markdown: lines.join('\n'), start: lineStart + arn.index!, end: lineStart + arn.index! + arn[0].length };
  }
  const group = at(/(?:system|eks):[\w:-]+/g);
  if (group && GROUP_DOCS[group[0]]) {
    return { markdown: `**${group[0]}**: ${GROUP_DOCS[group[0]]}`, start: lineStart + group.index!, end: lineStart + group.index! + group[0].length };
  }
  return undefined;
}

export interface Completion {
  label: string;
  kind: 'key' | 'group' | 'variable' | 'snippet';
  insertText: string;
  /** True when insertText uses snippet syntax (${1:...}). */
  snippet?: boolean;
  detail: string;
}

const SNIPPETS: Completion[] = [
  {
    label: 'EC2 node role',
    kind: 'snippet',
    snippet: true,
    detail: 'mapRoles entry for a managed or self-managed EC2 node group',
    insertText: '- rolearn: arn:aws:iam::${1:111122223333}:role/${2:NodeInstanceRole}\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n',
  },
  {
    label: 'Fargate pod execution role',
    kind: 'snippet',
    snippet: true,
    detail: 'mapRoles entry for a Fargate profile',
    insertText: '- rolearn: arn:aws:iam::${1:111122223333}:role/${2:FargatePodExecutionRole}\n  username: system:node:{{SessionName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n    - system:node-proxier\n',
  },
  {
    label: 'SSO permission-set role',
    kind: 'snippet',
    snippet: true,
    detail: 'mapRoles entry for an IAM Identity Center permission set (no aws-reserved path)',
    insertText: '- rolearn: arn:aws:iam::${1:111122223333}:role/AWSReservedSSO_${2:PermissionSet}_${3:0123456789abcdef}\n  username: "${4:sso}:{{SessionName}}"\n  groups:\n    - ${5:developers}\n',
  },
];

/** Completions at `offset` inside an aws-auth file. */
export function completionsAt(text: string, offset: number): Completion[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  if (/\{\{\w*$/.test(before)) {
    return TEMPLATE_VARIABLES.map((v) => ({ label: v, kind: 'variable', insertText: `${v}}}`, detail: TEMPLATE_DOCS[v] }));
  }
  const inMapUsers = lastSectionBefore(text, offset) === 'mapUsers';
  if (/^\s*-\s+[\w:-]*$/.test(before) && /groups:\s*$/m.test(previousKeyLine(text, lineStart))) {
    return Object.entries(GROUP_DOCS).map(([g, doc]) => ({ label: g, kind: 'group', insertText: g, detail: doc }));
  }
  if (/^\s*(-\s+)?\w*$/.test(before)) {
    const keys = inMapUsers ? ['userarn', 'username', 'groups'] : ['rolearn', 'username', 'groups'];
    const items: Completion[] = keys.map((k) => ({ label: k, kind: 'key', insertText: k === 'groups' ? 'groups:\n' : `${k}: `, detail: `aws-auth ${inMapUsers ? 'mapUsers' : 'mapRoles'} key` }));
    return /^\s*\w*$/.test(before) && !inMapUsers ? [...items, ...SNIPPETS] : items;
  }
  return [];
}

function lastSectionBefore(text: string, offset: number): string | undefined {
  // [ \t]*, not \s*: \s crosses newlines, and after 100,000 blank lines every line start would rescan the rest.
  const head = text.slice(0, offset);
  const m = [...head.matchAll(/^[ \t]*(mapRoles|mapUsers|mapAccounts)[ \t]*:/gm)].pop();
  return m?.[1];
}

/** The nearest line above that holds a key, so list items know which list they are in. */
function previousKeyLine(text: string, lineStart: number): string {
  let end = lineStart - 1;
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    if (/^\s*[\w-]+:\s*(\S.*)?$/.test(line) || /^\s*-\s+\w+:/.test(line)) return line;
    end = start - 1;
  }
  return '';
}
