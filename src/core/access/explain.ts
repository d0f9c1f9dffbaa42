/**
 * "Why can (or can't) this IAM identity get into this cluster, and as whom?" Walks the authenticator's flow for one
 * principal over the cluster's authentication mode, access entries, aws-auth and RBAC bindings, and names the
 * near misses that explain most Unauthorized errors.
 */
import { canonicalArn, parseArn, ParsedArn, stripRolePath } from '../auth/arn';
import { TEMPLATE_VARIABLES } from '../auth/awsAuth';
import { AuthenticationMode, Mapping, readMappings } from '../clusters/model';

export interface AccessEntryInfo {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  policies?: { policyArn?: string; accessScope?: { type?: string; namespaces?: string[] } }[];
}

export interface Binding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string }[];
}

export interface AccessContext {
  mode: AuthenticationMode;
  accessEntries: AccessEntryInfo[];
  /** aws-auth data; undefined when the ConfigMap does not exist or was not read. */
  awsAuth?: Record<string, string>;
  /** RBAC bindings; undefined when they were not read. */
  bindings?: Binding[];
}

export type StepOutcome = 'match' | 'no-match' | 'skipped' | 'info' | 'warning';

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
  via?: 'access entry' | 'mapRoles' | 'mapUsers' | 'mapAccounts';
  username?: string;
  groups: string[];
  policies: { policyArn: string; scope: string }[];
  bindings: Binding[];
  steps: Step[];
  nearMisses: string[];
  verdict: string;
  fix?: AccessFix;
}

/** Renders aws-auth / access entry templates for a caller, as the authenticator does. */
export function renderTemplate(template: string, caller: ParsedArn | undefined): { value: string; notes: string[] } {
  const notes: string[] = [];
  const session = caller?.kind === 'assumed-role' ? (caller.session ?? '') : '';
  const value = template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    switch (name) {
      case 'AccountID':
        return caller?.account ?? whole;
      case 'SessionName':
        if (!session) notes.push('{{SessionName}} renders empty: the caller has no role session');
        return session.replace(/@/g, '-');
      case 'SessionNameRaw':
        return session;
      case 'AccessKeyID':
        notes.push("{{AccessKeyID}} becomes the caller's access key id");
        return whole;
      case 'EC2PrivateDNSName':
        notes.push(/^i-[0-9a-f]+$/.test(session) ? `{{EC2PrivateDNSName}} becomes the private DNS name of instance ${session}` : '{{EC2PrivateDNSName}} fails to render: the session name is not an EC2 instance id, so access is denied');
        return whole;
      default:
        if (!TEMPLATE_VARIABLES.includes(name)) notes.push(`${whole} is not a template variable and stays as literal text`);
        return whole;
    }
  });
  return { value, notes };
}

const scopeText = (s?: { type?: string; namespaces?: string[] }) => (!s || s.type === 'cluster' ? 'cluster-wide' : `namespaces ${(s.namespaces ?? []).join(', ')}`);

export function explainAccess(principal: string, ctx: AccessContext): AccessExplanation {
  // STS reports role sessions without a path, so a role typed with its path is compared without it.
  const compared = stripRolePath(canonicalArn(principal.trim()));
  const caller = parseArn(principal.trim());
  const callerCanonical = parseArn(compared);
  const lower = compared.toLowerCase();
  const steps: Step[] = [];
  const nearMisses: string[] = [];

  steps.push({
    title: 'The ARN the authenticator compares',
    outcome: caller ? 'info' : 'warning',
    detail: !caller
      ? `${principal} is not an IAM role, IAM user or STS assumed-role ARN: nothing can match it.`
      : caller.kind === 'assumed-role'
        ? `STS reports ${principal}; the authenticator compares the role ARN ${compared} (no path, case-insensitive).`
        : caller.kind === 'role' && caller.path
          ? `${principal} has a path; STS reports role sessions without it, so the authenticator compares ${compared}.`
          : `${compared} (compared case-insensitively).`,
  });
  steps.push({
    title: 'Authentication mode',
    outcome: 'info',
    detail:
      ctx.mode === 'API'
        ? 'API: only access entries count; aws-auth is ignored.'
        : ctx.mode === 'CONFIG_MAP'
          ? 'CONFIG_MAP: only aws-auth counts (and the IAM principal that created the cluster, which has invisible cluster-admin).'
          : 'API_AND_CONFIG_MAP: access entries first; aws-auth for principals without one.',
  });

  // Access entries
  const comparable = lower;
  const entry = ctx.accessEntries.find((e) => stripRolePath(canonicalArn(e.principalArn)).toLowerCase() === comparable);
  if (ctx.mode === 'CONFIG_MAP') steps.push({ title: 'Access entry', outcome: 'skipped', detail: 'Not used in CONFIG_MAP mode.' });
  else if (entry) {
    steps.push({ title: 'Access entry', outcome: 'match', detail: `${entry.principalArn} (type ${entry.type ?? 'STANDARD'}), username ${entry.username ?? '(default)'}, groups ${(entry.kubernetesGroups ?? []).join(', ') || 'none'}, policies ${(entry.policies ?? []).map((p) => `${(p.policyArn ?? '').split('/').pop()} (${scopeText(p.accessScope)})`).join('; ') || 'none'}.` });
  } else steps.push({ title: 'Access entry', outcome: 'no-match', detail: `No access entry for ${compared}.` });

  // aws-auth
  let mapping: Mapping | undefined;
  let sameRole: Mapping[] = [];
  if (ctx.awsAuth === undefined) {
    steps.push({ title: 'aws-auth', outcome: ctx.mode === 'API' ? 'skipped' : 'warning', detail: ctx.mode === 'API' ? 'Ignored in API mode.' : 'kube-system/aws-auth does not exist or could not be read.' });
  } else {
    const { mappings, errors } = readMappings(ctx.awsAuth);
    for (const error of errors) steps.push({ title: 'aws-auth section dropped', outcome: 'warning', detail: `${error}: the authenticator ignores this whole section.` });
    // The authenticator compares the mapping's ARN as written (case-insensitively): a session ARN or a path never matches.
    const byArn = (m: Mapping) => m.section !== 'mapAccounts' && m.arn.trim().toLowerCase() === lower;
    sameRole = mappings.filter((m) => m.section === 'mapRoles' && byArn(m));
    // The authenticator keys roles by ARN: the last entry wins.
    mapping = sameRole[sameRole.length - 1] ?? mappings.filter((m) => m.section === 'mapUsers' && byArn(m)).pop() ?? mappings.find((m) => m.section === 'mapAccounts' && m.arn === callerCanonical?.account);
    if (ctx.mode === 'API') steps.push({ title: 'aws-auth', outcome: 'skipped', detail: mapping ? `aws-auth maps ${compared} in ${mapping.section}, but API mode ignores it.` : 'Ignored in API mode.' });
    else if (mapping) steps.push({ title: `aws-auth ${mapping.section}`, outcome: 'match', detail: mapping.section === 'mapAccounts' ? `Account ${mapping.arn} is listed: username is the caller's ARN, no groups.` : `${mapping.arn}: username ${mapping.username ?? '(none)'}, groups ${mapping.groups.join(', ') || 'none'}.` });
    else steps.push({ title: 'aws-auth', outcome: 'no-match', detail: `Neither mapRoles, mapUsers nor mapAccounts maps ${compared}.` });
    if (sameRole.length > 1) nearMisses.push(`aws-auth maps ${compared} ${sameRole.length} times: only the last entry counts (groups ${sameRole[sameRole.length - 1].groups.join(', ') || 'none'}); groups are not merged.`);
    for (const m of mappings) {
      if (m.section === 'mapAccounts' || byArn(m)) continue;
      const p = parseArn(m.arn);
      if (!p || !callerCanonical || p.account !== callerCanonical.account) continue;
      if (p.kind === 'role' && p.path && stripRolePath(m.arn).toLowerCase() === comparable) nearMisses.push(`aws-auth maps ${m.arn} with the path /${p.path}/: STS reports the role without a path, so it never matches. Write ${stripRolePath(m.arn)}.`);
      else if (p.kind === 'assumed-role' && canonicalArn(m.arn).toLowerCase() === lower) nearMisses.push(`aws-auth maps the session ARN ${m.arn}: map the role ARN ${canonicalArn(m.arn)} instead.`);
      else if (p.name.toLowerCase() === callerCanonical.name.toLowerCase() && p.kind !== callerCanonical.kind && p.kind !== 'assumed-role') nearMisses.push(`aws-auth maps ${m.arn}, a ${p.kind} with the same name: the caller is a ${callerCanonical.kind}.`);
    }
  }

  // Which one wins
  let via: AccessExplanation['via'];
  let rawUsername: string | undefined;
  let groups: string[] = [];
  let policies: AccessExplanation['policies'] = [];
  if (entry && ctx.mode !== 'CONFIG_MAP') {
    via = 'access entry';
    rawUsername = entry.username;
    groups = entry.kubernetesGroups ?? [];
    policies = (entry.policies ?? []).map((p) => ({ policyArn: p.policyArn ?? '', scope: scopeText(p.accessScope) }));
    if (mapping && ctx.mode === 'API_AND_CONFIG_MAP') steps.push({ title: 'Which wins', outcome: 'info', detail: `Both an access entry and aws-auth ${mapping.section} name ${compared}: the access entry wins.` });
  } else if (mapping && ctx.mode !== 'API') {
    via = mapping.section;
    rawUsername = mapping.section === 'mapAccounts' ? compared : mapping.username;
    groups = mapping.groups;
  }

  let username: string | undefined;
  if (rawUsername !== undefined) {
    const rendered = renderTemplate(rawUsername, caller);
    username = rendered.value;
    const renderedGroups = groups.map((g) => renderTemplate(g, caller));
    groups = renderedGroups.map((g) => g.value);
    const notes = [...rendered.notes, ...renderedGroups.flatMap((g) => g.notes)];
    steps.push({ title: 'Kubernetes identity', outcome: notes.some((n) => n.includes('fails')) ? 'warning' : 'match', detail: `username ${username}, groups ${groups.join(', ') || 'none'}${notes.length ? ` (${notes.join('; ')})` : ''}.` });
    if (rawUsername.startsWith('system:node:') && !/\{\{(EC2PrivateDNSName|SessionName)\}\}/.test(rawUsername)) {
      nearMisses.push(`The node username ${rawUsername} is the same for every node: use system:node:{{EC2PrivateDNSName}} for EC2 nodes.`);
    }
  }
  if (ctx.mode === 'API' && mapping && !entry) nearMisses.push('aws-auth maps this ARN, but the cluster is in API mode, which ignores aws-auth.');

  // RBAC
  const bindings = (ctx.bindings ?? []).filter((b) => b.subjects.some((s) => (s.kind === 'User' && s.name === username) || (s.kind === 'Group' && groups.includes(s.name))));
  if (via && ctx.bindings) {
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

  const renderFails = (username ?? '').includes('{{EC2PrivateDNSName}}') && !/^i-[0-9a-f]+$/.test(caller?.session ?? '');
  const authenticated = Boolean(via) && !renderFails;
  let verdict: string;
  let fix: AccessFix | undefined;
  if (via && authenticated) verdict = `Authenticated by ${via === 'access entry' ? 'the access entry' : `aws-auth ${via}`} as ${username ?? '(no username)'} with groups ${groups.join(', ') || 'none'}${policies.length ? ` and policies ${policies.map((p) => `${p.policyArn.split('/').pop()} (${p.scope})`).join(', ')}` : ''}.`;
  else if (via) verdict = `Unauthorized: the ${via} matches, but its username template cannot be rendered for this caller.`;
  else {
    verdict = `Unauthorized: no ${ctx.mode === 'CONFIG_MAP' ? 'aws-auth mapping' : ctx.mode === 'API' ? 'access entry' : 'access entry or aws-auth mapping'} matches ${compared}.`;
    fix =
      ctx.mode === 'CONFIG_MAP' || (nearMisses.length && ctx.mode !== 'API')
        ? { kind: 'openAwsAuth', label: 'Open aws-auth to fix the mapping', principalArn: compared }
        : { kind: 'createAccessEntry', label: `Create an access entry for ${compared}`, principalArn: compared };
  }
  return { principal, comparedArn: compared, mode: ctx.mode, authenticated, via, username, groups, policies, bindings, steps, nearMisses, verdict, fix };
}

/** The explanation as Markdown, for the editor and the CLI's text output. */
export function explanationMarkdown(e: AccessExplanation, cluster?: string): string {
  // Words, not emoji: they read the same in every font, screen reader and terminal.
  const result: Record<StepOutcome, string> = { match: '**match**', 'no-match': '**no match**', skipped: 'skipped', info: 'info', warning: '**warning**' };
  const lines = [`# Access for ${e.principal}${cluster ? ` on ${cluster}` : ''}`, '', `**${e.verdict}**`, '', '| result | step | evidence |', '|---|---|---|'];
  for (const s of e.steps) lines.push(`| ${result[s.outcome]} | ${s.title} | ${s.detail.replace(/\|/g, '\\|')} |`);
  if (e.nearMisses.length) lines.push('', '## Near misses', '', ...e.nearMisses.map((n) => `- ${n}`));
  if (e.fix) lines.push('', `**Fix:** ${e.fix.label}.`);
  return lines.join('\n') + '\n';
}
