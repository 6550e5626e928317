import { isActive, optionLabel, type Field } from '../forms/fields.ts';

export interface SummaryRow {
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
    .map((field) => ({ label: field.label, value: displayValue(field, data[field.name]) }));
}
