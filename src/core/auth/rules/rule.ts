/**
 * The shape of one aws-auth rule: declared once with its id, default severity, title and check; its documentation
 * (ruleDocs.json, keyed by id) is prose kept apart from the code.
 */
import type { Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { DecodedItem, SectionKey, SectionModel } from '../authenticator';
import type { EmbeddedText } from '../embedded';
import type { ClusterContext, LoadedSection, Reporter, RuleSeverities } from './context';
import RULE_DOCS from './ruleDocs.json';

/** What the rule reference (docs/rules.md) says about a rule. */
export interface RuleDocs {
  when: string;
  why: string;
  fix: string;
}

/** What every hook gets: the reporter bound to the rule, and the whole document. */
export interface Check {
  report: Reporter;
  text: string;
  cluster?: ClusterContext;
}

/** A section value the authenticator can read (a string) or cannot (anything else). */
export type SectionValue = { kind: 'not-a-string'; pair: Pair<YamlNode, YamlNode>; section: SectionKey };

/**
 * Where a rule looks. The linter walks each aws-auth document once and calls the hooks of every rule in order:
 * the ConfigMap's metadata, each data key that is not a section, each section value that is not a string, each
 * loaded section, each item of mapRoles/mapUsers, and finally the whole document.
 */
export interface RuleHooks {
  metadata?(c: Check, root: YAMLMap): void;
  unknownDataKey?(c: Check, keyNode: YamlNode, key: string): void;
  sectionNotString?(c: Check, value: SectionValue): void;
  section?(c: Check, section: SectionKey, e: EmbeddedText, model: SectionModel, keyNode: YamlNode): void;
  /** An item that is a mapping. */
  item?(c: Check, e: EmbeddedText, item: DecodedItem): void;
  /** An item that is not a mapping (a string, a list...): the authenticator drops it. */
  itemNotMapping?(c: Check, e: EmbeddedText, item: DecodedItem, got: string): void;
  document?(c: Check, loaded: ReadonlyMap<SectionKey, LoadedSection>, data: YAMLMap): void;
}

export interface Rule extends RuleSeverities {
  id: string;
  title: string;
  /** `cluster` rules need the live cluster's facts (a document opened from a cluster). */
  scope: 'file' | 'cluster';
  docs: RuleDocs;
  check: RuleHooks;
}

export type RuleMeta = Pick<Rule, 'id' | 'severity' | 'title'> & Partial<Pick<Rule, 'variants' | 'scope'>>;

/** Declares a rule: its metadata, its documentation from ruleDocs.json, and the hooks that check it. */
export function rule(meta: RuleMeta, check: RuleHooks): Rule {
  const docs = (RULE_DOCS as Record<string, RuleDocs>)[meta.id];
  if (!docs) throw new Error(`rule ${meta.id} has no entry in ruleDocs.json`);
  return { scope: 'file', ...meta, docs, check };
}
