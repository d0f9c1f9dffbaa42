/** The access diff as text: a line per finding and per changed principal, for confirmations and the CLI. */
import type { AccessDiff, PrincipalAccess } from './accessDiff';

const accessText = (a: PrincipalAccess) =>
  a.authenticated ? `${a.username || '(empty username)'} [${a.groups.join(', ') || 'no groups'}]${a.adminVia.length ? ' admin' : ''}${a.policyScopes.length ? ` policies ${a.policyScopes.join(', ')}` : ''}` : 'Unauthorized';

/** "from X; because Y" for a finding or a principal, or '' when there is nothing to add. */
export function provenance(f: { sources: string[]; reasons: string[] }): string {
  return [f.sources.length ? `from ${f.sources.join(', ')}` : '', f.reasons.length ? `because ${f.reasons.join('; ')}` : ''].filter(Boolean).join('; ');
}

const withProvenance = (text: string, f: { sources: string[]; reasons: string[] }) => {
  const p = provenance(f);
  return p ? `${text} (${p})` : text;
};

/**
 * The diff as plain text: the findings, a line per changed principal (before -> after), then the node roles and
 * admin paths. `findings: false` leaves out the escalation lines, for a confirmation whose title already names them.
 */
export function diffText(d: AccessDiff, limit = Infinity, options: { findings?: boolean } = {}): string {
  if (d.severity === 'destroy') return d.findings.map((f) => `DESTROY: ${withProvenance(f.message, f)}`).join('\n');
  const lines: string[] = [];
  for (const f of d.findings) if (options.findings !== false || f.kind !== 'escalation') lines.push(`${f.kind.toUpperCase()}: ${withProvenance(f.message, f)}`);
  for (const u of d.unchecked) lines.push(`NOT CHECKED: ${u}`);
  const shown = d.principals.slice(0, limit);
  for (const p of shown) lines.push(withProvenance(`${p.severity === 'change' ? 'change' : p.severity}: ${p.principal}: ${accessText(p.before)} -> ${accessText(p.after)}`, p));
  if (d.principals.length > shown.length) lines.push(`... and ${d.principals.length - shown.length} more principals`);
  for (const r of d.nodeRoles) if (r.before !== r.after) lines.push(`node role ${r.label}: ${r.before ? 'joins' : 'cannot join'} -> ${r.after ? 'joins' : 'cannot join'}`);
  lines.push(`cluster-admin paths: ${d.adminPathsBefore.length} -> ${d.adminPathsAfter.length}`);
  if (d.severity === 'none') lines.unshift('No principal gains or loses access.');
  return lines.join('\n');
}
