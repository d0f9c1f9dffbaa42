/**
 * Every aws-auth rule, declared once. docs/rules.md, the SARIF rule metadata of `eks-auth lint` and the schema of
 * the `eksAuth.lint.rules` setting are generated from this list (see reference.ts and its tests).
 */
import { ARN_RULES } from './arnRules';
import { CLUSTER_RULES } from './clusterRules';
import { DUPLICATE_RULES } from './duplicateRules';
import { ENTRY_RULES } from './entryRules';
import { GROUP_RULES } from './groupRules';
import { rule, type Rule } from './rule';
import { STRUCTURE_RULES } from './structureRules';

/** Not a rule of aws-auth: what the linter reports when one of its own rules failed, so the failure is visible. */
export const ANALYZER_FAILURE: Rule = rule({ id: 'E00', severity: 'error', title: 'The analyzer failed on this input' }, {});

export const RULES: readonly Rule[] = [...STRUCTURE_RULES, ...ENTRY_RULES, ...ARN_RULES, ...DUPLICATE_RULES, ...GROUP_RULES, ...CLUSTER_RULES].sort((a, b) => a.id.localeCompare(b.id));

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

export function ruleById(id: string): Rule | undefined {
  return id === ANALYZER_FAILURE.id ? ANALYZER_FAILURE : RULES.find((r) => r.id === id);
}
