// The answers as people read them, shared by the emails and the browser's „Ihre Angaben prüfen": it lives
// in src/forms so that no browser script imports src/mail.
import { isActive, optionLabel, type Field } from './fields.ts';

export interface SummaryRow {
  /** The field's name, which is also its control's id in the form. */
  readonly name: string;
  readonly label: string;
  readonly value: string;
}

/** A field's value as people read it: option labels, „Ja“/„Nein“, „48.500“, „–“ when empty. */
export function displayValue(field: Field, value: unknown): string {
  if (value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return value ? 'Ja' : 'Nein';
  if (typeof value === 'number') return value.toLocaleString('de-DE');
  return field.options ? optionLabel(field, String(value)) : String(value);
}

/** Every field that applies, with its German label and readable value, in form order. */
export function summaryRows(fields: readonly Field[], data: Readonly<Record<string, unknown>>): SummaryRow[] {
  return fields
    .filter((field) => isActive(field, data))
    .map((field) => ({ name: field.name, label: field.label, value: displayValue(field, data[field.name]) }));
}

/** The rows a person checks before sending: only the fields they answered (a box left unticked is „Nein“). */
export function answeredRows(fields: readonly Field[], data: Readonly<Record<string, unknown>>): SummaryRow[] {
  return summaryRows(fields, data).filter((row) => data[row.name] !== undefined && data[row.name] !== '');
}
