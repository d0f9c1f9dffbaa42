/** Reading the CLI's input files, with messages that name the file and what was expected. */
import type { AccessEntryInfo } from '../core/access/explain';
import type { CliIo } from './commands';

export function readInput(io: CliIo, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    throw new Error(`cannot read ${file === '-' ? 'standard input' : file}: ${(e as Error).message}`);
  }
}

/** A JSON list of access entries, `{"accessEntries": [...]}` (ListAccessEntries-like) or `{"accessEntry": {...}}`. */
export function readAccessEntries(io: CliIo, file: string): AccessEntryInfo[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readInput(io, file));
  } catch (e) {
    throw new Error(e instanceof SyntaxError ? `${file}: not JSON: ${e.message}` : (e as Error).message);
  }
  const p = parsed as AccessEntryInfo[] | { accessEntries?: AccessEntryInfo[]; accessEntry?: AccessEntryInfo } | null;
  const entries = Array.isArray(p) ? p : p && typeof p === 'object' ? (p.accessEntries ?? (p.accessEntry ? [p.accessEntry] : undefined)) : undefined;
  if (!Array.isArray(entries) || !entries.every((e) => e && typeof e.principalArn === 'string')) throw new Error(`${file}: expected a list of access entries with principalArn`);
  return entries;
}
