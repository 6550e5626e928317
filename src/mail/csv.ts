/**
 * A CSV file with a header row and data rows (one for a single submission, all of them for the
 * team's overview), for the team's spreadsheet: UTF-8 with BOM (so
 * Excel shows umlauts), semicolons (German Excel's list separator), CRLF, every cell quoted.
 */
import type { Field } from '../forms/fields.ts';
import { displayValue } from '../forms/summary.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Cells a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection). */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * A field's value as a cell: an empty answer stays empty (not „–“), a number stays a number that
 * German Excel reads as one (53264, not the text „53.264“; a decimal comma), the rest as people read it.
 */
export function csvValue(field: Field, value: unknown): string {
  if (value === undefined || value === '') return '';
  if (typeof value === 'number') return String(value).replace('.', ',');
  return displayValue(field, value);
}

export function csvFile(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `${cells.map(csvCell).join(';')}\r\n`;
  return `\ufeff${line(header)}${rows.map(line).join('')}`;
}
