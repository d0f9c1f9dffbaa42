/** `eks-auth diff` and `eks-auth plan-check`: who gains and who loses access, before a change lands. */
import { AccessState, diffAccess } from '../core/access/accessDiff';
import { ClusterDiff, formatDiffReport, REPORT_FORMATS, ReportFormat } from '../core/access/diffReport';
import { readTerraformPlan } from '../core/access/terraformPlan';
import { AUTHENTICATION_MODES, isAuthenticationMode, type AuthenticationMode } from '../core/auth/authenticator';
import { readAwsAuthFile } from '../core/auth/configMapText';
import type { CliIo } from './commands';
import { readAccessEntries, readInput } from './inputs';


export const DIFF_USAGE = `  eks-auth diff --before FILE --after FILE [--access-entries-before F.json] [--access-entries-after F.json]
                [--mode M] [--mode-after M] [--format text|json|sarif|markdown]
                                                          who gains and loses access (exit 1: a lockout)
  eks-auth plan-check PLAN.json [--mode M] [--format text|json|sarif|markdown]
                                                          the same for terraform show -json output (exit 1: a lockout;
                                                          a destroyed cluster is reported, exit 0)
`;

function options(args: string[], names: string[], command: string, io: CliIo): { opts: Record<string, string>; rest: string[] } | undefined {
  const opts: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) {
      rest.push(args[i]);
      continue;
    }
    if (!names.includes(m[1])) {
      io.stderr(`eks-auth ${command}: unknown option: --${m[1]}\n`);
      return undefined;
    }
    opts[m[1]] = m[2] ?? args[++i] ?? '';
  }
  const format = opts.format ?? 'text';
  if (!REPORT_FORMATS.includes(format as ReportFormat)) {
    io.stderr(`eks-auth ${command}: --format must be one of ${REPORT_FORMATS.join(', ')}, not: ${format}\n`);
    return undefined;
  }
  for (const k of ['mode', 'mode-after']) {
    if (opts[k] !== undefined && !isAuthenticationMode(opts[k])) {
      io.stderr(`eks-auth ${command}: --${k} must be one of ${AUTHENTICATION_MODES.join(', ')}, not: ${opts[k]}\n`);
      return undefined;
    }
  }
  return { opts, rest };
}

function report(diffs: ClusterDiff[], format: string, artifact: string, io: CliIo): number {
  io.stdout(formatDiffReport(diffs, format as ReportFormat, artifact));
  return diffs.some((d) => d.diff.severity === 'lockout') ? 1 : 0;
}

export function diffCommand(args: string[], io: CliIo): number {
  const parsed = options(args, ['before', 'after', 'access-entries-before', 'access-entries-after', 'mode', 'mode-after', 'format'], 'diff', io);
  if (!parsed) return 2;
  const { opts, rest } = parsed;
  if (rest.length || (!opts.before && !opts['access-entries-before']) || (!opts.after && !opts['access-entries-after'])) {
    io.stderr(`eks-auth diff: needs --before and --after (aws-auth files) or the access entry files\n${DIFF_USAGE}`);
    return 2;
  }
  let before: AccessState;
  let after: AccessState;
  try {
    const mode = (opts.mode ?? 'API_AND_CONFIG_MAP') as AuthenticationMode;
    const state = (awsAuth: string | undefined, entries: string | undefined, m: AuthenticationMode): AccessState => ({
      mode: m,
      awsAuth: awsAuth ? readAwsAuthFile(readInput(io, awsAuth)).data : undefined,
      accessEntries: entries ? readAccessEntries(io, entries) : [],
    });
    before = state(opts.before, opts['access-entries-before'], mode);
    after = state(opts.after, opts['access-entries-after'], (opts['mode-after'] ?? mode) as AuthenticationMode);
  } catch (e) {
    io.stderr(`eks-auth diff: ${(e as Error).message}\n`);
    return 2;
  }
  return report([{ cluster: 'the cluster', diff: diffAccess(before, after) }], opts.format ?? 'text', opts.after ?? opts['access-entries-after'], io);
}

export function planCheckCommand(args: string[], io: CliIo): number {
  const parsed = options(args, ['mode', 'format'], 'plan-check', io);
  if (!parsed) return 2;
  const { opts, rest } = parsed;
  if (rest.length !== 1) {
    io.stderr(`eks-auth plan-check: expected one PLAN.json (terraform show -json PLANFILE > plan.json)\n${DIFF_USAGE}`);
    return 2;
  }
  let clusters;
  try {
    clusters = readTerraformPlan(readInput(io, rest[0]), (opts.mode ?? 'API_AND_CONFIG_MAP') as AuthenticationMode);
  } catch (e) {
    io.stderr(`eks-auth plan-check: ${rest[0]}: ${(e as Error).message}\n`);
    return 2;
  }
  // No EKS resource in the plan: every format still prints a valid, empty report (SARIF with a run and no results).
  return report(clusters.map((c) => ({ cluster: c.cluster, diff: diffAccess(c.before, c.after), notes: c.notes })), opts.format ?? 'text', rest[0], io);
}
