/** What the registry generates: the rules reference (docs/rules.md), SARIF rule metadata and the setting's schema. */
import { ANALYZER_FAILURE, RULES } from './registry';
import type { Rule } from './rule';
import type { Severity } from './types';

export const RULES_DOC_PATH = 'docs/rules.md';

export function ruleAnchor(id: string): string {
  return id.toLowerCase();
}

function severityText(rule: Rule): string {
  const all = [rule.severity, ...Object.values(rule.variants ?? {})];
  return [...new Set(all)].join(' / ');
}

/** docs/rules.md, every word of it from the registry. */
export function rulesMarkdown(): string {
  const out = [
    '# aws-auth rules reference',
    '',
    '<!-- Generated from src/core/auth/rules/registry.ts by `npm run docs:rules`; edit the registry, not this file. -->',
    '',
    'Every diagnostic of the EKS Auth Explorer language service and of `eks-auth lint` carries one of these ids as its code.',
    `Rules ${idRange('file')} apply to any aws-auth file; ${idRange('cluster')} apply when the file was opened from a live cluster.`,
    'Change a rule\'s severity or turn it off with the `eksAuth.lint.rules` setting (`{"A21": "off"}`), or silence one',
    'line with a comment on the line above it: `# eks-auth-disable-next-line A21`.',
    '',
    'Sources: aws-iam-authenticator (`pkg/mapper/configmap`, `pkg/config`, `pkg/arn`), the Amazon EKS user guide and the EKS best-practices guide.',
    'What the authenticator does with each input, with the upstream file and line: [authenticator.md](authenticator.md).',
    '',
  ];
  for (const rule of [...RULES, ANALYZER_FAILURE]) {
    out.push(
      `<a id="${ruleAnchor(rule.id)}"></a>`,
      `## ${rule.id}: ${rule.title}`,
      '',
      `- **Severity:** ${severityText(rule)}`,
      `- **When:** ${rule.docs.when}`,
      `- **Why it matters:** ${rule.docs.why}`,
      `- **Fix:** ${rule.docs.fix}`,
      '',
    );
  }
  return out.join('\n');
}

function idRange(scope: Rule['scope']): string {
  const ids = RULES.filter((r) => r.scope === scope).map((r) => r.id);
  return `${ids[0]}-${ids[ids.length - 1]}`;
}

/** SARIF 2.1.0 `reportingDescriptor`s: one per rule, with its title, default level and documentation link. */
export function sarifRules(helpBase = RULES_DOC_PATH): unknown[] {
  return [...RULES, ANALYZER_FAILURE].map((rule) => ({
    id: rule.id,
    name: rule.title,
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.docs.when} ${rule.docs.why}` },
    help: { text: rule.docs.fix },
    helpUri: `${helpBase}#${ruleAnchor(rule.id)}`,
    defaultConfiguration: { level: sarifLevel(rule.severity) },
  }));
}

export function sarifLevel(s: Severity | string): 'error' | 'warning' | 'note' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

const OVERRIDES = ['error', 'warning', 'info', 'hint', 'off'];

/** The JSON schema of `eksAuth.lint.rules` in package.json: one property per rule id, nothing else. */
export function lintRulesSettingSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const rule of RULES) properties[rule.id] = { type: 'string', enum: OVERRIDES, markdownDescription: `${rule.title} (default: ${severityText(rule)}).` };
  return {
    type: 'object',
    default: {},
    properties,
    additionalProperties: false,
    markdownDescription: 'Per-rule severity overrides, for example `{"A21": "off"}`. Rule ids and what they check: docs/rules.md.',
  };
}
