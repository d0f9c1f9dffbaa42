/** Rules about the ConfigMap and its sections as a whole: names, keys, string values, YAML that loads. */
import { isMap, isScalar, isSeq, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { SECTION_KEYS, SectionModel } from '../authenticator';
import { hostEol } from '../embedded';
import { embeddedFix, lineStartOf, Range } from './context';
import type { Fix } from './types';
import { rule, type Rule } from './rule';

/**
 * `{{SessionName}}` unquoted is a flow mapping whose key is a mapping, which go-yaml refuses ("invalid map key"):
 * the range of the `{{...}}` that caused a section error, when that is what happened (A18 reports it, A03 not).
 */
export function braceKeyRange(text: string, error: NonNullable<SectionModel['error']>): Range | undefined {
  const at = sectionErrorOffset(text, error);
  if (!error.message.startsWith('invalid map key') || text[at] !== '{' || text[at - 1] !== '{') return undefined;
  const close = text.indexOf('}}', at);
  return [at - 1, close < 0 ? at + 1 : close + 2];
}

export function sectionErrorOffset(text: string, error: NonNullable<SectionModel['error']>): number {
  return Math.min(error.position, Math.max(0, text.length - 1));
}

/**
 * A01 fix: a YAML list under the key becomes a block string holding the same list, in the host's line breaks. A
 * block list keeps its lines, re-indented under the key; a flow list (`[{...}]`, on the key's line or not) keeps
 * its text from the bracket on, which flow syntax lets start each line at any indentation.
 */
function blockStringFix(text: string, pair: Pair<YamlNode, YamlNode>): Fix | undefined {
  const key = pair.key;
  const value = pair.value;
  if (!key?.range || !value?.range || !isSeq(value)) return undefined;
  const eol = hostEol(text);
  const colon = text.indexOf(':', key.range[1]);
  const indent = ' '.repeat(key.range[0] - lineStartOf(text, key.range[0]) + 2);
  let end = value.range[1];
  while (end > value.range[0] && /\s/.test(text[end - 1])) end--;
  const flow = value.flow === true || text[value.range[0]] === '[';
  const lines = text.slice(flow ? value.range[0] : lineStartOf(text, value.range[0]), end).split(/\r?\n/);
  let body: string;
  if (flow) body = lines.map((l) => (l.trim() ? indent + l.trim() : '')).join(eol);
  else {
    // A loop, not Math.min(...): a list of 200,000 lines would overflow the call stack.
    let minIndent = Infinity;
    for (const l of lines) if (l.trim()) minIndent = Math.min(minIndent, /^ */.exec(l)![0].length);
    if (minIndent === Infinity) return undefined;
    body = lines.map((l) => (l.trim() ? indent + l.slice(minIndent) : '')).join(eol);
  }
  return { title: 'Turn the list into a block string (|)', edits: [{ offset: colon + 1, length: end - colon - 1, newText: ` |${eol}${body}` }] };
}

export const STRUCTURE_RULES: Rule[] = [
  rule({ id: 'A01', severity: 'error', title: 'A section is not a string' }, {
    sectionNotString({ report, text }, { pair, section }) {
      const value = pair.value!;
      if (!isScalar(value)) {
        report.at(value, `${section} must be a string holding YAML (write "${section}: |" and indent the list under it): the API server rejects a ConfigMap whose data value is a list or map.`, { fixes: [blockStringFix(text, pair)] });
      } else {
        report.at(value, `${section} must be a string: the API server rejects a ConfigMap whose data value is a ${typeof value.value}. Quote it or write it as a block string with "|".`);
      }
    },
  }),
  rule({ id: 'A02', severity: 'warning', title: 'An unknown or miscased data key' }, {
    unknownDataKey({ report }, keyNode, key) {
      const caseVariant = SECTION_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
      if (caseVariant && keyNode.range) {
        report.at(keyNode, `"${key}" is ignored: the authenticator reads only the exact key "${caseVariant}". Rename it to ${caseVariant}.`, {
          fixes: [{ title: `Rename to ${caseVariant}`, edits: [{ offset: keyNode.range[0], length: keyNode.range[1] - keyNode.range[0], newText: caseVariant }] }],
        });
      } else {
        report.at(keyNode, `Unknown data key "${key}" is ignored by the authenticator, which reads only mapRoles, mapUsers and mapAccounts.`);
      }
    },
  }),
  rule({ id: 'A03', severity: 'error', title: 'A section the authenticator cannot load' }, {
    section({ report }, section, e, model) {
      const error = model.error;
      if (!error || braceKeyRange(e.text, error)) return;
      const at = sectionErrorOffset(e.text, error);
      report.inEmbedded(e, [at, at + 1], `YAML error in ${section}: ${error.message}. The authenticator drops the whole ${section} section when it cannot convert it${section === 'mapRoles' ? ' (node roles included: nodes go NotReady)' : ''}. Fix the YAML.`);
    },
  }),
  rule({ id: 'A04', severity: 'error', title: 'A section that is not a list' }, {
    section({ report }, section, e, model) {
      if (model.error || !model.notAList) return;
      const got = model.notAList.got === 'object' ? 'a mapping' : `a ${model.notAList.got}`;
      report.inEmbedded(e, model.notAList.range, `${section} must be a YAML list ("- ..." items): this is ${got}, so nothing in the section maps (the authenticator logs a type error and loads no entry from it).`);
    },
  }),
  rule({ id: 'A23', severity: 'info', title: 'IAM users are mapped' }, {
    section({ report }, section, _e, _model, keyNode) {
      if (section === 'mapUsers') report.at(keyNode, 'mapUsers maps IAM users; IAM roles (mapRoles or access entries) are the recommended way to grant access, as users carry long-lived keys.');
    },
  }),
  rule({ id: 'A24', severity: 'error', variants: { unquoted: 'warning' }, title: 'A mapAccounts item that is not a quoted account id' }, {
    section({ report }, section, e, model) {
      if (section !== 'mapAccounts' || model.error || model.notAList) return;
      for (const err of model.accountErrors) report.inEmbedded(e, err.range, `mapAccounts items must be account ids: the authenticator cannot read this one as a string (${err.message}) and skips it.`);
      for (const account of model.accounts) {
        const source = e.text.slice(account.range[0], account.range[1]);
        const value = account.value;
        if (!/^\d{12}$/.test(value)) {
          report.inEmbedded(e, account.range, `mapAccounts items must be 12-digit AWS account ids; "${value || source}" never matches a caller's account.`);
        } else if (!/^["']/.test(source)) {
          report.inEmbedded(e, account.range, `Quote the account id ("${value}"): the authenticator keeps it as written, but YAML 1.2 tools (kubectl plugins, Terraform's yamldecode, yq) read an unquoted ${value} as a number${value.startsWith('0') ? ' and drop its leading zero' : ''}.`, {
            variant: 'unquoted',
            fixes: [embeddedFix(e, 'Quote the account id', account.range[0], account.range[1], `"${value}"`)],
          });
        }
      }
    },
  }),
  rule({ id: 'A27', severity: 'warning', title: 'Not kube-system/aws-auth' }, {
    metadata({ report }, root) {
      const metadata = root.get('metadata', true) as YAMLMap | undefined;
      const name = isMap(metadata) ? (metadata.get('name', true) as YamlNode | undefined) : undefined;
      const namespace = isMap(metadata) ? (metadata.get('namespace', true) as YamlNode | undefined) : undefined;
      const nameValue = isScalar(name) ? String(name.value) : undefined;
      const nsValue = isScalar(namespace) ? String(namespace.value) : undefined;
      if (nameValue !== 'aws-auth') {
        report.at(name ?? metadata ?? root, `The ConfigMap is named "${nameValue ?? ''}": the authenticator reads only kube-system/aws-auth, so rename it to aws-auth.`);
      }
      // The same rule explain and the diff follow (awsAuth.ts authenticatorReads).
      if (nsValue !== 'kube-system') {
        report.at(
          namespace ?? name ?? metadata ?? root,
          nsValue === undefined
            ? 'No namespace: kubectl applies this to the current namespace, but the authenticator reads only kube-system/aws-auth. Add namespace: kube-system.'
            : `The namespace is "${nsValue}": the authenticator reads only kube-system/aws-auth. Set namespace: kube-system.`,
        );
      }
    },
  }),
];

