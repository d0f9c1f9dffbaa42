/**
 * Command lines for VS Code's integrated terminal. The line is quoted for the shell the terminal is opened with, and
 * the terminal is opened with that shell explicitly, so the two cannot differ.
 */
import * as vscode from 'vscode';
import { shellKindOf, tryCommandLine, type ShellKind } from '../core/shell/commandLine';

export interface TerminalCommand {
  /** The shell the terminal runs; undefined leaves VS Code's default, whose kind is then known from the platform. */
  shellPath?: string;
  shell: ShellKind;
  line: string;
}

/** The terminal's shell and the command line quoted for it, or undefined when a value cannot be passed safely. */
export function terminalCommand(argv: readonly string[]): TerminalCommand | undefined {
  const shellPath = vscode.env.shell || undefined;
  const shell = shellKindOf(shellPath, process.platform);
  const line = tryCommandLine(shell, argv);
  return line === undefined ? undefined : { shellPath, shell, line };
}
