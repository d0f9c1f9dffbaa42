/** The CLI's commands over injected I/O, so they are unit-tested without spawning processes. */
import { lintAwsAuth, Problem, RULE_IDS } from '../core/auth/lint';
import { parseAuthenticatorLine } from '../core/insights/parser';

export interface CliIo {
  readFile(path: string): string;
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `usage:
  eks-auth lint [--format text|json|sarif] [FILE ...|-]   lint aws-auth ConfigMaps (exit 1 on errors)
  eks-auth logs parse [FILE|-]                            one JSON object per authenticator log line
`;

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

function locate(file: string, text: string, p: Problem): Located {
  const pos = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - before.lastIndexOf('\n') };
  };
  const start = pos(p.offset);
  const end = pos(p.offset + p.length);
  return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: p.severity, code: p.code, message: p.message };
}

function sarif(results: Located[]): unknown {
  const level = (s: string) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'eks-auth', informationUri: 'https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html', rules: RULE_IDS.map((id) => ({ id, helpUri: `docs/rules.md#${id.toLowerCase()}` })) } },
        results: results.map((r) => ({
          ruleId: r.code,
          level: level(r.severity),
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
    results.push(...lintAwsAuth(text).map((p) => locate(file, text, p)));
  }
  if (format === 'json') io.stdout(JSON.stringify(results, null, 2) + '\n');
  else if (format === 'sarif') io.stdout(JSON.stringify(sarif(results), null, 2) + '\n');
  else for (const r of results) io.stdout(`${r.file}:${r.line}:${r.column} ${r.severity} ${r.code} ${r.message}\n`);
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
  for (const line of text.split('\n')) {
    if (line.trim()) io.stdout(JSON.stringify(parseAuthenticatorLine(line)) + '\n');
  }
  return 0;
}
