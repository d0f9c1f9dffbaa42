/**
 * A word for a POSIX shell: as it is when that is safe, else single-quoted. A module of its own so that the VS Code
 * glue can quote a command without loading the doctor (and, through it, the token signer) at activation.
 */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
