/** A workload identity explanation as text, JSON or Markdown. Markdown escapes every value that came from outside. */
import { markdownText } from '../markdown';
import type { Step, WorkloadExplanation } from './model';

export const WORKLOAD_FORMATS = ['text', 'json', 'markdown'] as const;
export type WorkloadFormat = (typeof WORKLOAD_FORMATS)[number];

const MARK: Record<Step['verdict'], string> = { ok: 'ok  ', fail: 'FAIL', warn: 'warn', unknown: '?   ' };

function headline(e: WorkloadExplanation, who: string): string {
  if (e.works) return `${who}: gets ${e.roleArn ?? 'its role'} through ${e.mechanism === 'irsa' ? 'IRSA' : 'EKS Pod Identity'}`;
  return `${who}: does not get its role (${e.mechanism === 'none' ? 'no mechanism' : e.mechanism === 'irsa' ? 'IRSA' : 'EKS Pod Identity'})`;
}

export function formatWorkload(e: WorkloadExplanation, who: string, format: WorkloadFormat): string {
  if (format === 'json') {
    return JSON.stringify({ serviceAccount: who, works: e.works, mechanism: e.mechanism, roleArn: e.roleArn ?? null, steps: e.steps, fallback: e.fallback ?? null, sdkMessage: e.sdkMessage ?? null }, null, 2) + '\n';
  }
  if (format === 'markdown') {
    const lines = [`## ${markdownText(headline(e, who))}`, ''];
    for (const s of e.steps) {
      lines.push(`- **${MARK[s.verdict].trim()}** ${markdownText(s.title)}${s.kind ? ` \`${s.kind}\`` : ''}`);
      for (const ev of s.evidence) lines.push(`  - ${markdownText(ev)}`);
      if (s.fix) lines.push(`  - Fix: ${markdownText(s.fix)}`);
      lines.push(`  - Source: <${s.source}>`);
    }
    if (e.sdkMessage) lines.push('', `The SDK reports: ${markdownText(e.sdkMessage)}`);
    return lines.join('\n') + '\n';
  }
  const out = [headline(e, who)];
  for (const s of e.steps) {
    out.push(`  ${MARK[s.verdict]} ${s.id}: ${s.title}${s.kind && s.verdict !== 'ok' ? ` [${s.kind}]` : ''}`);
    for (const ev of s.evidence) out.push(`         ${ev}`);
    if (s.fix) out.push(`         fix: ${s.fix}`);
    if (s.verdict !== 'ok') out.push(`         see ${s.source}`);
  }
  return out.join('\n') + '\n';
}
