/**
 * Command lines for the shell that will read them. A value taken from a kubeconfig or a cluster (a cluster name, a
 * profile) is data, and each shell has its own rules for keeping data from becoming code:
 * - POSIX sh (dash, bash, zsh): inside single quotes nothing is special, and a single quote cannot appear; it is
 *   written as `'\''` (POSIX.1-2017 Shell Command Language, 2.2.2 Single-Quotes).
 * - PowerShell: inside a verbatim (single-quoted) string only a quote character is special, and it is doubled. The
 *   tokenizer treats U+2018, U+2019, U+201A and U+201B as single quotes too, so each of those is doubled as well
 *   (about_Quoting_Rules; the language specification's `single-quote-character`). Windows PowerShell 5 passes an
 *   argument that holds `"` to a native program mangled, so such a value is refused rather than changed.
 * - cmd.exe: `%VAR%` expands even inside double quotes and `!VAR!` under delayed expansion, and a `"` ends the quoted
 *   part, after which `&`, `|`, `<` and `>` run commands. No quoting makes those safe on one line, so a value holding
 *   `"`, `%`, `!`, a control character or a line break is refused; any other value is double-quoted.
 * A refused value is one no EKS cluster, region or profile can legitimately have in a fix we offer, so the user is
 * told to run the command by hand instead.
 */

export type ShellKind = 'posix' | 'powershell' | 'cmd';

/** The shell a terminal runs, from its executable's path (`vscode.env.shell`, `$SHELL`, `%ComSpec%`). */
export function shellKindOf(shellPath: string | undefined, platform: string): ShellKind {
  const base = (shellPath ?? '').split(/[\\/]/).pop()?.toLowerCase().replace(/\.exe$/, '') ?? '';
  if (base === 'pwsh' || base === 'powershell' || base === 'pwsh-preview') return 'powershell';
  if (base === 'cmd') return 'cmd';
  if (base) return 'posix';
  // No shell known: Windows terminals open PowerShell by default, everything else a POSIX shell.
  return platform === 'win32' ? 'powershell' : 'posix';
}

export class UnquotableArgumentError extends Error {
  readonly kind = 'unquotable-argument';
  constructor(readonly shell: ShellKind, readonly value: string) {
    super(`${JSON.stringify(value)} cannot be passed safely to ${shell === 'cmd' ? 'cmd.exe' : 'PowerShell'}: run the command by hand`);
    this.name = 'UnquotableArgumentError';
  }
}

// Words each shell hands over unchanged when unquoted. PowerShell reads a leading `@` as splatting and `,` as an
// array, and splits `-a=.b` for native programs; a batch file (`aws.cmd` from pip) splits at `,`, `;` and `=`.
const PLAIN: Record<ShellKind, RegExp> = {
  posix: /^[A-Za-z0-9_@%+=:,./-]+$/,
  powershell: /^(?:[A-Za-z0-9_+:./][A-Za-z0-9_+:./-]*|-[A-Za-z0-9-]*)$/,
  cmd: /^[A-Za-z0-9_+:./-]+$/,
};
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;
const PWSH_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/** One argument, quoted for `shell` so that the shell hands the program exactly `value`. */
export function quoteArgument(shell: ShellKind, value: string): string {
  if (PLAIN[shell].test(value)) return value;
  switch (shell) {
    case 'posix':
      return `'${value.replace(/'/g, `'\\''`)}'`;
    case 'powershell':
      if (value.includes('"') || CONTROL.test(value)) throw new UnquotableArgumentError(shell, value);
      return `'${value.replace(PWSH_QUOTES, (q) => q + q)}'`;
    case 'cmd':
      if (/["%!]/.test(value) || CONTROL.test(value)) throw new UnquotableArgumentError(shell, value);
      return `"${value}"`;
  }
}

/**
 * A whole command line. In PowerShell a line that starts with a quoted word is a string, not a command, so a quoted
 * program is run with the call operator `&`.
 */
export function commandLine(shell: ShellKind, argv: readonly string[]): string {
  const [program, ...args] = argv.map((a) => quoteArgument(shell, a));
  const head = shell === 'powershell' && program.startsWith("'") ? `& ${program}` : program;
  return [head, ...args].join(' ');
}

/** The command line, or undefined when a value cannot be passed safely to that shell. */
export function tryCommandLine(shell: ShellKind, argv: readonly string[]): string | undefined {
  try {
    return commandLine(shell, argv);
  } catch (e) {
    if (e instanceof UnquotableArgumentError) return undefined;
    throw e;
  }
}
