/** Export of troubleshooting rows. */

function csvCell(value: unknown): string {
  const text = String(value ?? '');
  // A leading = + - @ makes spreadsheets run the cell as a formula: log lines are attacker-controlled.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function rowsToCsv<T extends object>(rows: T[]): string {
  if (!rows.length) return '';
  const columns = Object.keys(rows[0]) as (keyof T)[];
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}
