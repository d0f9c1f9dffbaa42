/** The doctor's reports as text for a terminal and as Markdown for a preview, with every outside value escaped. */
import { markdownText } from '../markdown';
import type { ContextReport, DoctorFix, StepStatus } from './doctor';
import { tryCommandLine, type ShellKind } from '../shell/commandLine';
import { fixArgv } from './fixCommands';
import { shownExec } from './redact';

/**
 * The reports as they may leave the process (JSON, text, Markdown): a fix that rewrites an exec block keeps the
 * block's env in memory to write it back, but shows credential-like values redacted.
 */
export function publicReports(reports: ContextReport[]): ContextReport[] {
  return reports.map((r) => ({ ...r, steps: r.steps.map((s) => ({ ...s, fixes: s.fixes.map((f) => (f.kind === 'rewriteExec' ? { ...f, exec: shownExec(f.exec) } : f)) })) }));
}

const MARK: Record<StepStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };
const ICON: Record<ContextReport['verdict'], string> = { ok: 'OK', fail: 'FAIL', warn: 'WARN', 'not-eks': 'NOT EKS' };

/** Control characters from a kubeconfig or a service must not move the terminal's cursor or colour its output. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const plain = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

/** The command a fix runs, quoted for `shell`, or a word that it must be run by hand. */
function fixCommand(fix: DoctorFix, shell: ShellKind): string | undefined {
  const argv = fixArgv(fix);
  if (!argv) return undefined;
  return tryCommandLine(shell, argv) ?? 'a value in it cannot be quoted safely for this shell: run it by hand';
}

/** The reports for a terminal; commands are quoted for `shell`, the one the user will paste them into. */
export function doctorText(reports: ContextReport[], shell: ShellKind = 'posix'): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${ICON[r.verdict]}  ${plain(r.context)}${r.current ? ' (current)' : ''}: ${plain(r.summary)}`);
    for (const s of r.steps) {
      out.push(`  ${MARK[s.status]}  ${s.title}`);
      for (const e of s.evidence) out.push(`        ${plain(e)}`);
      for (const f of s.fixes) {
        const command = fixCommand(f, shell);
        out.push(`        fix: ${plain(f.label)}${command ? `: ${plain(command)}` : f.kind === 'installAwsCli' ? `: ${plain(f.url)}` : ''}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

export function doctorMarkdown(reports: ContextReport[]): string {
  const out: string[] = ['# kubectl access, context by context', ''];
  if (reports.length > 1) {
    // The failing contexts first, so the table answers "what is broken" at a glance.
    const rank = { fail: 0, warn: 1, ok: 2, 'not-eks': 3 } as const;
    out.push('| context | verdict | why |', '|---|---|---|');
    for (const r of [...reports].sort((a, b) => rank[a.verdict] - rank[b.verdict])) out.push(`| ${markdownText(r.context)}${r.current ? ' (current)' : ''} | ${ICON[r.verdict]} | ${markdownText(r.summary)} |`);
    out.push('');
  }
  for (const r of reports) {
    out.push(`## ${ICON[r.verdict]} ${markdownText(r.context)}${r.current ? ' (current context)' : ''}`, '', markdownText(r.summary), '');
    if (r.identityArn) out.push(`Identity: ${markdownText(r.identityArn)}${r.username !== undefined ? `, seen by the cluster as ${markdownText(r.username)} in ${r.groups?.length ? r.groups.map(markdownText).join(', ') : 'no groups'}` : ''}`, '');
    for (const s of r.steps) {
      out.push(`### ${MARK[s.status]} ${markdownText(s.title)}`, '');
      for (const e of s.evidence) out.push(`- ${markdownText(e)}`);
      for (const f of s.fixes) out.push(`- **Fix:** ${markdownText(f.label)}`);
      out.push('');
    }
  }
  return out.join('\n');
}

/** The CLI's exit code: 0 when every EKS context works, 1 when one fails, 3 when only warnings remain (2 is a usage error). */
export function doctorExitCode(reports: ContextReport[]): number {
  if (reports.some((r) => r.verdict === 'fail')) return 1;
  if (reports.some((r) => r.verdict === 'warn')) return 3;
  return 0;
}
