/** The CLI's commands over injected I/O, so they are unit-tested without spawning processes. */
import { AccessEntryInfo, explainAccess, explanationMarkdown } from '../core/access/explain';
import { readAwsAuthFile } from '../core/auth/configMapText';
import { lintAwsAuth, Problem } from '../core/auth/lint';
import { sarifLevel, sarifRules } from '../core/auth/rules/reference';
import { AUTHENTICATION_MODES, isAuthenticationMode, type AuthenticationMode } from '../core/auth/authenticator';
import { parseAuthenticatorLine } from '../core/insights/parser';
import { DIFF_USAGE, diffCommand, planCheckCommand } from './diffCommands';
import { DOCTOR_USAGE, doctorCommand, type DoctorIo } from './doctorCommand';
import { readAccessEntries, readInput } from './inputs';
import { WORKLOAD_USAGE, workloadCommand, type WorkloadLiveIo } from './workloadCommand';
import { lineIndex, type LineIndex } from '../core/textPositions';

export interface CliIo {
  readFile(path: string): string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** What `eks-auth doctor` needs besides files: the environment and the real gateways. */
  doctor?: Omit<DoctorIo, keyof CliIo>;
  /** What `eks-auth workload explain --live` needs: the cluster and its gateways. */
  workload?: WorkloadLiveIo;
}

const USAGE = `usage:
  eks-auth lint [--format text|json|sarif] [FILE ...|-]   lint aws-auth ConfigMaps (exit 1 on errors)
  eks-auth logs parse [FILE|-]                            one JSON object per authenticator log line
  eks-auth explain --arn ARN --aws-auth FILE [--mode CONFIG_MAP|API_AND_CONFIG_MAP|API]
                   [--access-entries FILE.json] [--format text|json]
                                                          who the ARN authenticates as (exit 1: Unauthorized)
${DIFF_USAGE}${DOCTOR_USAGE}${WORKLOAD_USAGE}`;

interface Located {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

function locate(file: string, index: LineIndex, p: Problem): Located {
  const start = index.position(p.offset);
  const end = index.position(p.offset + p.length);
  return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: p.severity, code: p.code, message: p.message };
}

function sarif(results: Located[]): unknown {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'eks-auth', informationUri: 'https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html', rules: sarifRules() } },
        results: results.map((r) => ({
          ruleId: r.code,
          level: sarifLevel(r.severity),
          message: { text: r.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: r.file === '-' ? 'stdin' : r.file }, region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } } }],
        })),
      },
    ],
  };
}

export async function runCli(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'lint') return lint(rest, io);
  if (command === 'logs' && rest[0] === 'parse') return parseLogs(rest.slice(1), io);
  if (command === 'explain') return explain(rest, io);
  if (command === 'diff') return diffCommand(rest, io);
  if (command === 'plan-check') return planCheckCommand(rest, io);
  if (command === 'workload') return workloadCommand(rest, io);
  if (command === 'doctor') {
    if (!io.doctor) {
      io.stderr('eks-auth doctor: not available here\n');
      return 2;
    }
    return doctorCommand(rest, { ...io, ...io.doctor });
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  io.stderr(command ? `eks-auth: unknown command: ${args.join(' ')}\n${USAGE}` : USAGE);
  return 2;
}

function lint(args: string[], io: CliIo): number {
  let format = 'text';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a === '-f') format = args[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a.startsWith('-') && a !== '-') {
      io.stderr(`eks-auth lint: unknown option: ${a}\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (!['text', 'json', 'sarif'].includes(format)) {
    io.stderr(`eks-auth lint: --format must be text, json or sarif, not: ${format}\n`);
    return 2;
  }
  if (!files.length) files.push('-');
  const results: Located[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      io.stderr(`eks-auth lint: cannot read ${file === '-' ? 'standard input' : file}: ${(e as Error).message}\n`);
      return 2;
    }
    const index = lineIndex(text);
    for (const p of lintAwsAuth(text)) results.push(locate(file, index, p));
  }
  if (format === 'json') io.stdout(JSON.stringify(results, null, 2) + '\n');
  else if (format === 'sarif') io.stdout(JSON.stringify(sarif(results), null, 2) + '\n');
  else io.stdout(results.map((r) => `${r.file}:${r.line}:${r.column} ${r.severity} ${r.code} ${r.message}\n`).join(''));
  return results.some((r) => r.severity === 'error') ? 1 : 0;
}

function parseLogs(args: string[], io: CliIo): number {
  if (args.length > 1) {
    io.stderr(`eks-auth logs parse: expected one FILE or -\n${USAGE}`);
    return 2;
  }
  const file = args[0] ?? '-';
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    io.stderr(`eks-auth logs parse: cannot read ${file === '-' ? 'standard input' : file}: ${(e as Error).message}\n`);
    return 2;
  }
  // One JSON object per input line, blank ones included, whatever the line holds; a final newline ends the last.
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) io.stdout(JSON.stringify(parseAuthenticatorLine(line.endsWith('\r') ? line.slice(0, -1) : line)) + '\n');
  return 0;
}


/** Offline explain: a local aws-auth file and, optionally, a saved list of access entries. */
function explain(args: string[], io: CliIo): number {
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--(arn|aws-auth|mode|access-entries|format)(?:=(.*))?$/.exec(args[i]);
    if (!m) {
      io.stderr(`eks-auth explain: unknown argument: ${args[i]}\n${USAGE}`);
      return 2;
    }
    opts[m[1]] = m[2] ?? args[++i] ?? '';
  }
  const format = opts.format ?? 'text';
  if (!opts.arn || (!opts['aws-auth'] && !opts['access-entries']) || !['text', 'json'].includes(format) || (opts.mode && !isAuthenticationMode(opts.mode))) {
    io.stderr(`eks-auth explain: needs --arn and --aws-auth or --access-entries; --mode is one of ${AUTHENTICATION_MODES.join(', ')}; --format text or json\n${USAGE}`);
    return 2;
  }
  let awsAuth: Record<string, string> | undefined;
  let entries: AccessEntryInfo[] = [];
  try {
    if (opts['aws-auth']) {
      const file = readAwsAuthFile(readInput(io, opts['aws-auth']));
      awsAuth = file.data;
      // Said only when it leaves nothing to read: beside kube-system/aws-auth the other objects are just other objects.
      if (!file.data) for (const name of file.ignored) io.stderr(`eks-auth explain: ${name} is not kube-system/aws-auth: the authenticator never reads it\n`);
    }
    if (opts['access-entries']) entries = readAccessEntries(io, opts['access-entries']);
  } catch (e) {
    io.stderr(`eks-auth explain: ${(e as Error).message}\n`);
    return 2;
  }
  const mode = (opts.mode ?? (opts['access-entries'] ? (awsAuth ? 'API_AND_CONFIG_MAP' : 'API') : 'CONFIG_MAP')) as AuthenticationMode;
  const explanation = explainAccess(opts.arn, { mode, accessEntries: entries, awsAuth });
  io.stdout(format === 'json' ? JSON.stringify(explanation, null, 2) + '\n' : explanationMarkdown(explanation, undefined, true));
  return explanation.authenticated ? 0 : 1;
}
