/**
 * The aws-auth analyzer: walks each aws-auth document once and runs every rule of the registry (rules/registry.ts)
 * on it, with positions in the host document and quick fixes as plain text edits, computed here so the editor
 * never lints again to offer them. Pure: no VS Code, no I/O, so the editor, the CLI and the tests share it.
 */
import { isScalar, Node as YamlNode, Pair, Scalar, YAMLMap } from 'yaml';
import { isSkippable, loadSection, SECTION_KEYS, SectionKey } from './authenticator';
import { findAwsAuthDocuments } from './awsAuth';
import { embeddedFromScalar } from './embedded';
import { lineIndex } from '../textPositions';
import { LoadedSection, ProblemSink } from './rules/context';
import { ANALYZER_FAILURE, RULES } from './rules/registry';
import type { Check, Rule, RuleHooks } from './rules/rule';
import type { ClusterContext, LintOptions, Problem, Severity } from './rules/types';

export { applyEdits } from './rules/types';
export type { ClusterContext, Edit, Fix, LintOptions, Problem, Severity } from './rules/types';
export { RULE_IDS } from './rules/registry';

/**
 * Lints every aws-auth document in a YAML file. Never throws: a rule that fails is reported as E00 and the other
 * rules still run; `rules` is the registry, replaceable only so tests can prove that.
 */
export function lintAwsAuth(text: string, options: LintOptions = {}, rules: readonly Rule[] = RULES): Problem[] {
  const sink = new ProblemSink();
  const run = new LintRun(text, options.cluster, rules, sink);
  try {
    run.walk();
  } catch (e) {
    run.failed('the document walk', e);
  }
  const problems = sink.problems.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
  return applyOverrides(suppress(text, problems), options.rules ?? {});
}

class LintRun {
  private readonly checks: { rule: Rule; check: Check }[];
  private readonly failures = new Set<string>();

  constructor(
    private readonly text: string,
    cluster: ClusterContext | undefined,
    rules: readonly Rule[],
    private readonly sink: ProblemSink,
  ) {
    this.checks = rules.map((rule) => ({ rule, check: { report: sink.reporter(rule.id, rule), text, cluster } }));
  }

  /** Calls one hook of every rule that has it; a rule that throws is reported once and the others go on. */
  private each<K extends keyof RuleHooks>(hook: K, ...args: Parameters<NonNullable<RuleHooks[K]>> extends [Check, ...infer R] ? R : never): void {
    for (const { rule, check } of this.checks) {
      const fn = rule.check[hook] as ((c: Check, ...a: unknown[]) => void) | undefined;
      if (!fn || this.failures.has(rule.id)) continue;
      try {
        fn(check, ...args);
      } catch (e) {
        this.failures.add(rule.id);
        this.failed(`rule ${rule.id}`, e);
      }
    }
  }

  failed(what: string, e: unknown): void {
    this.sink.reporter(ANALYZER_FAILURE.id, ANALYZER_FAILURE).at([0, 0], `aws-auth analysis failed in ${what}: ${(e as Error)?.message ?? String(e)}. The other rules ran; please report this with the document.`);
  }

  walk(): void {
    for (const { doc, data, isConfigMap } of findAwsAuthDocuments(this.text)) {
      const loaded = new Map<SectionKey, LoadedSection>();
      if (isConfigMap) this.each('metadata', doc.contents as YAMLMap);
      for (const pair of data.items) this.walkDataPair(pair as Pair<YamlNode, YamlNode>, loaded);
      this.each('document', loaded, data);
    }
  }

  private walkDataPair(pair: Pair<YamlNode, YamlNode>, loaded: Map<SectionKey, LoadedSection>): void {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : '';
    const section = SECTION_KEYS.find((k) => k === key);
    if (!section) {
      if (keyNode) this.each('unknownDataKey', keyNode, key);
      return;
    }
    const value = pair.value;
    if (!value || (isScalar(value) && (value.value === null || value.value === undefined))) return;
    if (!isScalar(value) || typeof value.value !== 'string') {
      this.each('sectionNotString', { kind: 'not-a-string', pair, section });
      return;
    }
    if (isSkippable(value.value)) return;
    const embedded = embeddedFromScalar(this.text, value as Scalar);
    const model = loadSection(section, embedded.text);
    loaded.set(section, { model, embedded });
    this.each('section', section, embedded, model, keyNode);
    if (model.error || model.notAList || section === 'mapAccounts') return;
    for (const item of model.items) {
      const notMapping = item.typeErrors.find((t) => t.field === '');
      if (notMapping) this.each('itemNotMapping', embedded, item, notMapping.got);
      else this.each('item', embedded, item);
    }
  }
}

function applyOverrides(problems: Problem[], rules: Record<string, Severity | 'off'>): Problem[] {
  const out: Problem[] = [];
  for (const p of problems) {
    const override = rules[p.code];
    if (override === 'off') continue;
    out.push(override ? { ...p, severity: override } : p);
  }
  return out;
}

/** `# eks-auth-disable-next-line A21 A16` (or with no ids: every rule) silences problems that start on the next line. */
function suppress(text: string, problems: Problem[]): Problem[] {
  if (!text.includes('eks-auth-disable-next-line')) return problems;
  const lines = text.split('\n');
  const index = lineIndex(text);
  return problems.filter((p) => {
    const m = /#\s*eks-auth-disable-next-line\b(.*)$/.exec(lines[index.lineOf(p.offset) - 1] ?? '');
    if (!m) return true;
    const ids = m[1].split(/[\s,]+/).filter(Boolean);
    return ids.length > 0 && !ids.includes(p.code);
  });
}
