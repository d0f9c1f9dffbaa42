/**
 * An access diff in the formats pipelines want: text, JSON, SARIF 2.1.0 and Markdown for a pull-request comment.
 * Every format is valid for every input, an empty list of clusters (a plan with no EKS change) included: text and
 * Markdown say so in one line, JSON is `[]`, SARIF has its run with no results (an upload step needs a valid log).
 */
import { markdownText } from '../markdown';
import { AccessDiff, diffText, Finding, PrincipalAccess, provenance } from './accessDiff';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown';
export const REPORT_FORMATS: ReportFormat[] = ['text', 'json', 'sarif', 'markdown'];

export interface ClusterDiff {
  cluster: string;
  diff: AccessDiff;
  notes?: string[];
}

/** What an empty report says: the plan touches no aws-auth, access entry, policy association or mode. */
export const NO_EKS_CHANGE = 'The plan changes no EKS access (no aws-auth, access entry, policy association, RBAC binding or authentication mode).';

const accessCell = (a: PrincipalAccess) =>
  a.authenticated ? `${a.username || '(empty username)'}; groups ${a.groups.join(', ') || 'none'}${a.adminVia.length ? `; cluster-admin via ${a.adminVia.join(', ')}` : ''}${a.policyScopes.length ? `; policies ${a.policyScopes.join(', ')}` : ''}` : 'Unauthorized';

const LEVEL: Record<Finding['kind'] | 'change' | 'unchecked', string> = { lockout: 'error', escalation: 'warning', destroy: 'warning', change: 'note', unchecked: 'warning' };

export function formatDiffReport(diffs: ClusterDiff[], format: ReportFormat, artifact = 'plan.json'): string {
  if (format === 'json') return JSON.stringify(diffs, null, 2) + '\n';
  if (format === 'text') {
    if (!diffs.length) return `${NO_EKS_CHANGE}\n`;
    return diffs.map((d) => [`${d.cluster}: ${d.diff.severity}`, diffText(d.diff), ...(d.notes ?? []).map((n) => `note: ${n}`)].join('\n')).join('\n\n') + '\n';
  }
  if (format === 'markdown') {
    if (!diffs.length) return `${markdownText(NO_EKS_CHANGE)}\n`;
    const t = markdownText;
    const out: string[] = [];
    for (const d of diffs) {
      out.push(`### ${t(d.cluster)}: ${d.diff.severity}`, '');
      for (const f of d.diff.findings) {
        const p = provenance(f);
        out.push(`- **${f.kind === 'lockout' ? 'Lockout' : f.kind === 'escalation' ? 'Escalation' : 'Cluster destroyed'}:** ${t(f.message)}${p ? ` (${t(p)})` : ''}`);
      }
      for (const u of d.diff.unchecked) out.push(`- **Not checked:** ${t(u)}`);
      if (d.diff.severity === 'destroy') {
        out.push('');
        continue;
      }
      if (d.diff.principals.length) {
        out.push('', '| change | principal | before | after | from |', '|---|---|---|---|---|');
        for (const p of d.diff.principals) out.push(`| ${p.severity} | ${t(p.principal)} | ${t(accessCell(p.before))} | ${t(accessCell(p.after))} | ${t(provenance(p))} |`);
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
  // SARIF 2.1.0: a finding's Terraform addresses are logical locations in the plan file (3.33 logicalLocation).
  const result = (cluster: string, ruleId: string, text: string, f: { sources: string[]; reasons: string[] }) => {
    const p = provenance(f);
    return {
      ruleId,
      level: LEVEL[ruleId as keyof typeof LEVEL],
      message: { text: `${cluster}: ${text}${p ? ` (${p})` : ''}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: artifact } },
          ...(f.sources.length ? { logicalLocations: f.sources.map((s) => ({ fullyQualifiedName: s, kind: 'resource' })) } : {}),
        },
      ],
    };
  };
  const results = diffs.flatMap((d) => [
    ...d.diff.findings.map((f) => result(d.cluster, f.kind, f.message, f)),
    ...d.diff.principals.filter((p) => p.severity === 'change').map((p) => result(d.cluster, 'change', `${p.principal} ${p.changes.join('; ')}`, p)),
    ...(d.diff.unchecked).map((u) => result(d.cluster, 'unchecked', u, { sources: [], reasons: [] })),
  ]);
  const rule = (id: string, text: string, level: string) => ({ id, name: id, shortDescription: { text }, defaultConfiguration: { level } });
  return (
    JSON.stringify(
      {
        version: '2.1.0',
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        runs: [
          {
            tool: {
              driver: {
                name: 'eks-auth',
                rules: [
                  rule('lockout', 'A change leaves no cluster-admin, stops a node role joining, or removes your own access', 'error'),
                  rule('escalation', 'A principal gains cluster-admin', 'warning'),
                  rule('change', "A principal's access changes", 'note'),
                  rule('destroy', 'The change destroys the cluster', 'warning'),
                  rule('unchecked', 'Part of the change could not be checked (node roles that could not be listed)', 'warning'),
                ],
              },
            },
            results,
          },
        ],
      },
      null,
      2,
    ) + '\n'
  );
}
