/** An access diff in the formats pipelines want: text, JSON, SARIF 2.1.0 and Markdown for a pull-request comment. */
import { markdownText } from '../markdown';
import { AccessDiff, diffText, PrincipalAccess } from './accessDiff';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown';
export const REPORT_FORMATS: ReportFormat[] = ['text', 'json', 'sarif', 'markdown'];

export interface ClusterDiff {
  cluster: string;
  diff: AccessDiff;
  notes?: string[];
}

const accessCell = (a: PrincipalAccess) =>
  a.authenticated ? `${a.username || '(empty username)'}; groups ${a.groups.join(', ') || 'none'}${a.adminVia.length ? `; cluster-admin via ${a.adminVia.join(', ')}` : ''}${a.policyScopes.length ? `; policies ${a.policyScopes.join(', ')}` : ''}` : 'Unauthorized';

export function formatDiffReport(diffs: ClusterDiff[], format: ReportFormat, artifact = 'plan.json'): string {
  if (format === 'json') return JSON.stringify(diffs, null, 2) + '\n';
  if (format === 'text') return diffs.map((d) => [`${d.cluster}: ${d.diff.severity}`, diffText(d.diff), ...(d.notes ?? []).map((n) => `note: ${n}`)].join('\n')).join('\n\n') + '\n';
  if (format === 'markdown') {
    const t = markdownText;
    const out: string[] = [];
    for (const d of diffs) {
      out.push(`### ${t(d.cluster)}: ${d.diff.severity}`, '');
      for (const l of d.diff.lockouts) out.push(`- **Lockout:** ${t(l)}`);
      for (const e of d.diff.escalations) out.push(`- **Escalation:** ${t(e)}`);
      if (d.diff.principals.length) {
        out.push('', '| change | principal | before | after |', '|---|---|---|---|');
        for (const p of d.diff.principals) out.push(`| ${p.severity} | ${t(p.principal)} | ${t(accessCell(p.before))} | ${t(accessCell(p.after))} |`);
      } else out.push('No principal gains or loses access.');
      const roles = d.diff.nodeRoles.filter((r) => r.before !== r.after);
      if (roles.length) {
        const joins = (j: boolean) => (j ? 'joins' : 'cannot join');
        out.push('', '| node or Fargate role | before | after |', '|---|---|---|');
        for (const r of roles) out.push(`| ${t(r.label)} (${t(r.arn)}) | ${joins(r.before)} | ${joins(r.after)} |`);
      }
      out.push('', `Cluster-admin paths: ${d.diff.adminPathsBefore.length} before, ${d.diff.adminPathsAfter.length} after.`);
      for (const n of d.notes ?? []) out.push('', `> ${t(n)}`);
      out.push('');
    }
    return out.join('\n');
  }
  const results = diffs.flatMap((d) => [
    ...d.diff.lockouts.map((l) => ({ ruleId: 'lockout', level: 'error', message: { text: `${d.cluster}: ${l}` } })),
    ...d.diff.escalations.map((e) => ({ ruleId: 'escalation', level: 'warning', message: { text: `${d.cluster}: ${e}` } })),
    ...d.diff.principals.filter((p) => p.severity === 'change').map((p) => ({ ruleId: 'change', level: 'note', message: { text: `${d.cluster}: ${p.principal} ${p.changes.join('; ')}` } })),
  ]).map((r) => ({ ...r, locations: [{ physicalLocation: { artifactLocation: { uri: artifact } } }] }));
  const rule = (id: string, text: string, level: string) => ({ id, name: id, shortDescription: { text }, defaultConfiguration: { level } });
  return (
    JSON.stringify(
      {
        version: '2.1.0',
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        runs: [
          {
            tool: { driver: { name: 'eks-auth', rules: [rule('lockout', 'A change leaves no cluster-admin, stops a node role joining, or removes your own access', 'error'), rule('escalation', 'A principal gains cluster-admin', 'warning'), rule('change', "A principal's access changes", 'note')] } },
            results,
          },
        ],
      },
      null,
      2,
    ) + '\n'
  );
}
