/**
 * "Why can (or can't) this IAM identity get into this cluster, and as whom?" The authenticator model answers; this
 * module adds what a person needs around its trace: the near misses that explain most Unauthorized errors, the RBAC
 * bindings that grant the resulting identity, and the fix.
 */
import { canonicalize, equalFold, parseArn, stripPath } from '../auth/arn';
import { AccessEntryInfo, AuthenticationMode, AuthResult, authenticate, AwsAuthModel, DecodedItem, isAwsAuthModel, loadAwsAuth, LOG_WORDING_RELEASES, SECTION_KEYS, StepOutcome } from '../auth/authenticator';
import { accessPolicyName } from '../clusters/model';
import { markdownText } from '../markdown';

export type { AccessEntryInfo, StepOutcome };

export interface Binding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string }[];
  /** Where the binding comes from, for reports (a Terraform resource address). */
  source?: string;
}

export interface AccessContext {
  mode: AuthenticationMode;
  accessEntries: AccessEntryInfo[];
  /** aws-auth data (or its loaded model); undefined when the ConfigMap does not exist or was not read. */
  awsAuth?: Record<string, string> | AwsAuthModel;
  /** RBAC bindings; undefined when they were not read. */
  bindings?: Binding[];
}

export interface Step {
  title: string;
  outcome: StepOutcome;
  detail: string;
}

export interface AccessFix {
  kind: 'createAccessEntry' | 'openAwsAuth';
  label: string;
  principalArn: string;
}

export interface AccessExplanation {
  principal: string;
  comparedArn: string;
  mode: AuthenticationMode;
  authenticated: boolean;
  via?: AuthResult['via'];
  username?: string;
  groups: string[];
  policies: { policyArn: string; scope: string }[];
  bindings: Binding[];
  steps: Step[];
  nearMisses: string[];
  verdict: string;
  fix?: AccessFix;
  /** The authenticator model's own answer, with the line it would log. */
  trace: AuthResult;
}

/** An IAM principal that can have an access entry: only then is creating one offered. */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

const scopeText = (s?: { type?: string; namespaces?: string[] }) => (!s || s.type === 'cluster' ? 'cluster-wide' : `namespaces ${(s.namespaces ?? []).join(', ')}`);

/** What in aws-auth almost names this caller: written with a path, as a session, dropped, duplicated, mistyped. */
/** A near miss, and whether a mapping in aws-auth is what misses (its fix is in aws-auth). */
interface NearMiss {
  text: string;
  inAwsAuth: boolean;
  /** The aws-auth entry that misses, when one does: the mapping fix opens aws-auth at it. */
  item?: DecodedItem;
}

function nearMisses(result: AuthResult, model: AwsAuthModel | undefined, mode: AuthenticationMode): NearMiss[] {
  const out: NearMiss[] = [];
  const mapping = (text: string, item?: DecodedItem) => void out.push({ text, inAwsAuth: true, item });
  const note = (text: string) => void out.push({ text, inAwsAuth: false });
  const p = result.caller.principal;
  if (!p) return out;
  const canonical = p.canonical;
  if (model && mode !== 'API') {
    for (const key of SECTION_KEYS) {
      const section = model.sections[key];
      if ((section.error || section.notAList) && key !== 'mapAccounts') mapping(`aws-auth ${key} is dropped as a whole by the authenticator (${section.error?.message ?? 'not a list'}): any mapping for ${canonical} in it is ignored.`);
    }
    const items: DecodedItem[] = [...model.sections.mapRoles.items, ...model.sections.mapUsers.items];
    for (const item of items) {
      if (item.arn === '') continue;
      const where = `aws-auth ${item.section} entry ${item.index + 1}`;
      if (equalFold(item.arn, canonical)) {
        if (item.dropped) mapping(`${where} names ${item.arn}, but the authenticator drops it: ${item.dropped}.`, item);
        else if (item.replacedBy) mapping(`${where} names ${item.arn}, but a later entry (${item.replacedBy.index + 1}) for the same ARN replaces it: only the last counts, and groups are not merged.`, item);
        else if (item === result.mapping) for (const t of item.typeErrors) mapping(`${where}: the ${t.field} value is a ${t.got}, not a string, so the authenticator drops it.`, item);
        continue;
      }
      if (equalFold(item.arn.trim(), canonical)) {
        mapping(`${where} writes ${JSON.stringify(item.arn)} with white space inside the quotes: the authenticator compares exactly, so it never matches.`, item);
        continue;
      }
      const written = canonicalize(item.arn.trim());
      if ('error' in written || written.account !== p.account) continue;
      if (written.kind === 'role' && stripPath(item.arn) !== item.arn && equalFold(stripPath(item.arn), canonical)) {
        mapping(`${where} maps ${item.arn} with the path /${parseArn(item.arn)?.path}/: STS reports the role without a path, so it never matches. Write ${stripPath(item.arn)}.`, item);
      } else if (written.kind === 'assumed-role' && equalFold(written.canonical, canonical)) {
        mapping(`${where} maps the session ARN ${item.arn}: the authenticator compares role ARNs, so map ${written.canonical} instead.`, item);
      } else {
        const name = (arn: string) => arn.split('/').pop()!.toLowerCase();
        if (name(item.arn) === name(canonical) && written.kind !== p.kind && written.kind !== 'assumed-role') mapping(`${where} maps ${item.arn}, a ${written.kind} with the same name: the caller is a ${p.kind === 'assumed-role' ? 'role' : p.kind}.`, item);
      }
    }
  }
  if (result.ambiguous) note(`mapUsers holds ${result.ambiguous.length} entries for this ARN that differ only in case: the authenticator picks one at random on every request.`);
  const template = result.template?.username ?? '';
  if (template.startsWith('system:node:') && !/\{\{(EC2PrivateDNSName|SessionName)\}\}/.test(template)) note(`The node username ${template} is the same for every node: use system:node:{{EC2PrivateDNSName}} for EC2 nodes.`);
  if (mode === 'API' && model && !result.authenticated) {
    const inAwsAuth = authenticate(result.caller, { mode: 'CONFIG_MAP', awsAuth: model });
    if (inAwsAuth.authenticated) mapping('aws-auth maps this ARN, but the cluster is in API mode, which ignores aws-auth.', inAwsAuth.mapping);
  }
  return out;
}

/**
 * The aws-auth entry a mapping fix for this principal starts from: the one that names it but misses (a path, a
 * session ARN, dropped, replaced, mistyped), else the one that maps it. Undefined when aws-auth has no entry for it.
 */
export function awsAuthEntryFor(principal: string, model: AwsAuthModel): DecodedItem | undefined {
  const trace = authenticate(principal, { mode: 'CONFIG_MAP', awsAuth: model });
  return nearMisses(trace, model, 'CONFIG_MAP').find((m) => m.item)?.item ?? trace.mapping;
}

export function explainAccess(principal: string, ctx: AccessContext): AccessExplanation {
  const model = ctx.awsAuth === undefined ? undefined : isAwsAuthModel(ctx.awsAuth) ? ctx.awsAuth : loadAwsAuth(ctx.awsAuth);
  const trace = authenticate(principal, { mode: ctx.mode, accessEntries: ctx.accessEntries, awsAuth: model });
  const compared = trace.caller.principal?.canonical ?? principal.trim();
  const steps: Step[] = trace.steps.filter((s) => s.id !== 'verdict').map((s) => ({ title: s.title, outcome: s.outcome, detail: s.detail }));
  const found = nearMisses(trace, model, ctx.mode);
  const misses = found.map((m) => m.text);
  const { username, groups } = trace;
  const policies = trace.via === 'access entry' ? (trace.entry?.policies ?? []).map((p) => ({ policyArn: p.policyArn ?? '', scope: scopeText(p.accessScope) })) : [];
  if (trace.via === 'access entry' && policies.length) steps.push({ title: 'Access policies', outcome: 'info', detail: policies.map((p) => `${accessPolicyName(p.policyArn)} (${p.scope})`).join('; ') });

  const bindings = trace.authenticated ? (ctx.bindings ?? []).filter((b) => b.subjects.some((s) => (s.kind === 'User' && s.name === username) || (s.kind === 'Group' && groups.includes(s.name)))) : [];
  if (trace.authenticated && ctx.bindings) {
    steps.push({
      title: 'RBAC bindings',
      outcome: bindings.length || policies.length || groups.includes('system:masters') ? 'match' : 'warning',
      detail: bindings.length
        ? bindings.map((b) => `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} -> ${b.roleRef.kind} ${b.roleRef.name}`).join('; ')
        : groups.includes('system:masters')
          ? 'system:masters is bound to cluster-admin by Kubernetes itself.'
          : policies.length
            ? 'No RBAC binding names this identity; its access policies grant access instead.'
            : 'No RBAC binding names this user or its groups: it authenticates, then every request is Forbidden.',
    });
  }

  let verdict: string;
  let fix: AccessFix | undefined;
  const source = trace.via === 'access entry' ? 'the access entry' : `aws-auth ${trace.via}`;
  if (trace.authenticated) {
    verdict = `Authenticated by ${source} as ${username || '(empty username)'} with groups ${groups.join(', ') || 'none'}${policies.length ? ` and policies ${policies.map((p) => `${accessPolicyName(p.policyArn)} (${p.scope})`).join(', ')}` : ''}${trace.condition ? ` (${trace.condition})` : ''}.`;
  } else if (trace.via) {
    verdict = `Unauthorized: ${source} matches, but its username or group template cannot be rendered for this caller (${trace.log.replace(/^.*error="/, '').replace(/"$/, '')}).`;
  } else {
    verdict = !trace.caller.principal
      ? `Unauthorized: ${trace.caller.problem}.`
      : `Unauthorized: no ${ctx.mode === 'CONFIG_MAP' ? 'aws-auth mapping' : ctx.mode === 'API' ? 'access entry' : 'access entry or aws-auth mapping'} matches ${compared}.`;
    if (trace.caller.principal && PRINCIPAL_ARN.test(compared)) {
      const awsAuthMiss = found.some((m) => m.inAwsAuth);
      fix =
        ctx.mode === 'CONFIG_MAP' || (awsAuthMiss && ctx.mode !== 'API')
          ? { kind: 'openAwsAuth', label: 'Open aws-auth to fix the mapping', principalArn: compared }
          : { kind: 'createAccessEntry', label: `Create an access entry for ${compared}`, principalArn: compared };
    }
  }
  return { principal, comparedArn: compared, mode: ctx.mode, authenticated: trace.authenticated, via: trace.via, username, groups, policies, bindings, steps, nearMisses: misses, verdict, fix, trace };
}

/**
 * The explanation as Markdown for the editor, every value from outside escaped; the CLI passes `plain` to print the
 * same table as text in a terminal, where nothing renders.
 */
export function explanationMarkdown(e: AccessExplanation, cluster?: string, plain = false): string {
  // Words, not emoji: they read the same in every font, screen reader and terminal.
  const result: Record<StepOutcome, string> = { match: '**match**', 'no-match': '**no match**', skipped: 'skipped', info: 'info', warning: '**warning**' };
  const t = plain ? (v: string) => v.replace(/[\r\n]+/g, ' ') : markdownText;
  const lines = [`# Access for ${t(e.principal)}${cluster ? ` on ${t(cluster)}` : ''}`, '', `**${t(e.verdict)}**`, '', '| result | step | evidence |', '|---|---|---|'];
  for (const s of e.steps) lines.push(`| ${result[s.outcome]} | ${t(s.title)} | ${t(s.detail)} |`);
  if (e.nearMisses.length) lines.push('', '## Near misses', '', ...e.nearMisses.map((n) => `- ${t(n)}`));
  lines.push('', `Authenticator log (as aws-iam-authenticator ${LOG_WORDING_RELEASES} writes it): ${t(e.trace.log)}`);
  if (e.fix) lines.push('', `**Fix:** ${t(e.fix.label)}.`);
  return lines.join('\n') + '\n';
}
