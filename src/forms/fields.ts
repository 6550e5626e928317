/**
 * Field metadata: what the page renders, what the emails label and what normalisation does with
 * each value. Browser-safe: the page script imports it too.
 */
export type FieldKind = 'text' | 'email' | 'tel' | 'number' | 'textarea' | 'select' | 'radios' | 'checkbox';

export interface Option {
  readonly value: string;
  readonly label: string;
  readonly hint?: string;
  /** data-* attributes for the option's control, e.g. a session's start for the page script. */
  readonly data?: Readonly<Record<`data-${string}`, string>>;
}

export interface Field {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly maxLength?: number;
  readonly autocomplete?: string;
  readonly options?: readonly Option[];
  /** The field counts only when another field has this value; otherwise its input is ignored. */
  readonly when?: { readonly field: string; readonly value: string };
}

/** The label of an option value, e.g. "DE-BY" → "Bayern"; the value itself if unknown. */
export function optionLabel(field: Field, value: string): string {
  return field.options?.find((option) => option.value === value)?.label ?? value;
}

/** True when the field counts for this submission (see Field.when). */
export function isActive(field: Field, values: Readonly<Record<string, unknown>>): boolean {
  return !field.when || values[field.when.field] === field.when.value;
}

/** „Name der Kommune:" but „…teilnehmen?": a label that ends in punctuation takes no colon. */
export function labelWithColon(label: string): string {
  return /[.?!:]$/.test(label) ? label : `${label}:`;
}
