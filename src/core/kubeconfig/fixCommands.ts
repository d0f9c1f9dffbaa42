/**
 * The program and arguments of the doctor's fixes that run a command. A module of its own, with only a type import of
 * the doctor, so the VS Code glue and the reports quote a command without loading the doctor at activation.
 */
import type { DoctorFix } from './doctor';

/** The program and arguments a fix runs in a terminal, or undefined for a fix that runs none. */
export function fixArgv(fix: DoctorFix): string[] | undefined {
  if (fix.kind === 'updateKubeconfig') return fix.argv;
  // The same aws the exec plugin runs, so the login is for the CLI that makes the tokens.
  if (fix.kind === 'ssoLogin') return [fix.aws, 'sso', 'login', '--profile', fix.profile];
  return undefined;
}
