import type * as z from 'zod/mini';
import type { Field } from './fields.ts';

/** One German message per failing field, in form order. */
export type FieldErrors = Record<string, string>;

export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Runs the form's schema over normalised values; keeps the first message for each field. */
export function validate<T>(schema: z.ZodMiniType<T>, fields: readonly Field[], values: unknown): Validation<T> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const byField = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '');
    if (!byField.has(name)) byField.set(name, issue.message);
  }
  const errors: FieldErrors = {};
  for (const field of fields) {
    const message = byField.get(field.name);
    if (message) errors[field.name] = message;
  }
  return { ok: false, errors };
}
