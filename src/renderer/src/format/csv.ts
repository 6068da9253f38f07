/**
 * Rows as RFC 4180 CSV: quoted when needed, numbers at full precision, missing as empty. A text
 * cell that a spreadsheet would run as a formula (leading =, +, -, @, tab or carriage return: a
 * model or task name from an imported file) is prefixed with ' (OWASP's CSV-injection advice);
 * numbers are written as numbers, so a negative value stays a number.
 */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const cell = (v: string | number | boolean | null | undefined) => {
    if (v == null || (typeof v === 'number' && !Number.isFinite(v))) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header.map(String), ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
