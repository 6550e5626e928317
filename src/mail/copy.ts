import type { Field } from '../forms/fields.ts';
import { holdsAddress } from '../forms/rules.ts';
import { summaryRows, type SummaryRow } from '../forms/summary.ts';

/** What the person's copy shows instead of a free-text answer with a link or an address in it. */
export const LINK_LEFT_OUT = '(Text mit Link – nicht wiedergegeben)';

/**
 * The answers as the copy to the person shows them. Anyone can type any address into a form, so
 * our domain must not carry someone's link or address to it: a free-text answer (the name fields
 * refuse them already, src/forms/rules.ts) is left out when it holds one, read after NFKC as in the
 * name filter. The team's email shows every answer as sent.
 */
export function copyRows(fields: readonly Field[], data: Readonly<Record<string, unknown>>): SummaryRow[] {
  const freeText = new Set(fields.filter((field) => field.kind === 'textarea').map((field) => field.name));
  return summaryRows(fields, data).map((row) =>
    freeText.has(row.name) && holdsAddress(row.value.normalize('NFKC')) ? { ...row, value: LINK_LEFT_OUT } : row,
  );
}
