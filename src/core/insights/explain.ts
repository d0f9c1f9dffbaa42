/** Why the authenticator did or did not map an ARN, given the cluster's access entries and aws-auth. */
import { canonicalArn, parseArn, stripRolePath } from '../auth/arn';
import type { AuthenticationMode, Mapping } from '../clusters/model';

export interface Explanation {
  canonicalArn: string;
  mode: AuthenticationMode;
  accessEntry?: string;
  awsAuth?: Mapping;
  verdict: string;
  nearMisses: string[];
  /** The fix the panel offers as an action. */
  fix?: { kind: 'createAccessEntry' | 'openAwsAuth'; label: string; principalArn: string };
}

export function explainArn(arn: string, mode: AuthenticationMode, accessEntryArns: string[], mappings: Mapping[]): Explanation {
  const compared = canonicalArn(arn);
  const lower = compared.toLowerCase();
  const parsed = parseArn(compared);
  const nearMisses: string[] = [];
  const entry = mode !== 'CONFIG_MAP' ? accessEntryArns.find((a) => stripRolePath(a).toLowerCase() === stripRolePath(lower)) : undefined;
  const byArn = (m: Mapping) => m.section !== 'mapAccounts' && m.arn.toLowerCase() === lower;
  const mapping = mode !== 'API' ? (mappings.find((m) => m.section === 'mapRoles' && byArn(m)) ?? mappings.find((m) => m.section === 'mapUsers' && byArn(m)) ?? mappings.find((m) => m.section === 'mapAccounts' && m.arn === parsed?.account)) : undefined;

  for (const m of mappings) {
    if (m.section === 'mapAccounts' || byArn(m)) continue;
    const p = parseArn(m.arn);
    if (!p || !parsed || p.account !== parsed.account) continue;
    if (p.kind === 'role' && p.path && stripRolePath(m.arn).toLowerCase() === lower) nearMisses.push(`aws-auth maps ${m.arn} with the path /${p.path}/: STS reports the role without a path, so it never matches. Write ${stripRolePath(m.arn)}.`);
    else if (p.kind === 'assumed-role' && canonicalArn(m.arn).toLowerCase() === lower) nearMisses.push(`aws-auth maps the session ARN ${m.arn}: map the role ARN ${canonicalArn(m.arn)} instead.`);
    else if (p.name.toLowerCase() === parsed.name.toLowerCase() && p.kind !== parsed.kind) nearMisses.push(`aws-auth maps ${m.arn}, a ${p.kind} with the same name: the caller is a ${parsed.kind}.`);
  }
  const sameRole = mappings.filter((m) => m.section === 'mapRoles' && m.arn.toLowerCase() === lower);
  if (sameRole.length > 1) nearMisses.push(`aws-auth maps ${compared} ${sameRole.length} times: only the last entry (groups ${sameRole[sameRole.length - 1].groups.join(', ') || 'none'}) counts.`);
  if (mode === 'API' && mappings.some(byArn)) nearMisses.push('aws-auth maps this ARN, but the cluster is in API mode, which ignores aws-auth.');

  let verdict: string;
  let fix: Explanation['fix'];
  if (entry) verdict = `Mapped by the access entry for ${entry}${mapping ? ' (it wins over the aws-auth entry)' : ''}.`;
  else if (mapping) verdict = mapping.section === 'mapAccounts' ? `Mapped by mapAccounts (account ${mapping.arn}): username ${compared}, no groups.` : `Mapped by aws-auth ${mapping.section}: username ${mapping.username ?? '(none)'}, groups ${mapping.groups.join(', ') || 'none'}.`;
  else {
    verdict = `Unauthorized: no ${mode === 'CONFIG_MAP' ? 'aws-auth mapping' : mode === 'API' ? 'access entry' : 'access entry or aws-auth mapping'} matches ${compared}.`;
    fix = mode === 'CONFIG_MAP' || nearMisses.length ? { kind: 'openAwsAuth', label: 'Open aws-auth to fix the mapping', principalArn: compared } : { kind: 'createAccessEntry', label: `Create an access entry for ${compared}`, principalArn: compared };
  }
  return { canonicalArn: compared, mode, accessEntry: entry, awsAuth: mapping, verdict, nearMisses, fix };
}
