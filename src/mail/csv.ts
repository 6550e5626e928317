/**
 * A CSV file with a header row and data rows (one for a single submission, all of them for the
 * team's overview), for the team's spreadsheet: UTF-8 with BOM (so
 * Excel shows umlauts), semicolons (German Excel's list separator), CRLF, every cell quoted.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Cells a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection). */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvFile(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `${cells.map(csvCell).join(';')}\r\n`;
  return `\ufeff${line(header)}${rows.map(line).join('')}`;
}
