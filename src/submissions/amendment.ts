import { createHmac } from 'node:crypto';
import type { AnswerDigests } from '../delivery/record.ts';
import type { Field } from '../forms/fields.ts';
import { displayValue } from '../forms/summary.ts';
import type { FieldChange } from '../mail/amendment.ts';

/**
 * Amendments: the page keeps its submissionId after a lost or failed answer, so the same id with
 * other answers is the person's change of their submission (it keeps its key and reference), and
 * the same id with the same answers is a retry. The answers are stored as digests keyed by the
 * id, which only the person's browser knows: the store can compare them, nobody can read them.
 */
export function answerDigests(submissionId: string, values: Readonly<Record<string, unknown>>): AnswerDigests {
  return Object.fromEntries(
    Object.keys(values)
      .sort()
      .map((name) => [
        name,
        createHmac('sha256', submissionId)
          .update(`${name}\n${JSON.stringify(values[name])}`)
          .digest('hex')
          .slice(0, 32),
      ]),
  );
}

/** The fields whose answer differs, an answer added or removed included. */
export function changedFields(before: AnswerDigests, after: AnswerDigests): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]);
}

/**
 * Whether a submission the store knows (`stored`: its answers) is changed by `answers`. A record
 * from before answers were stored, or a post without an id, counts as a retry: today's rule.
 */
export function isAmendment(stored: AnswerDigests | undefined, answers: AnswerDigests | undefined): boolean {
  return stored !== undefined && answers !== undefined && changedFields(stored, answers).length > 0;
}

/** What the earlier version said, as far as a copy of it is kept (src/submissions/form-spec.ts). */
export interface PreviousAnswers {
  readonly data: Readonly<Record<string, unknown>>;
  /** The fields `data` covers; every field when absent (a missing one was left empty). */
  readonly fields?: readonly string[];
  /** When the first version arrived (ISO instant), where the copy says: a kept copy keeps it. */
  readonly receivedAt?: string;
}

/** The changed fields in form order, old → new, as people read them. */
export function fieldChanges(
  fields: readonly Field[],
  changed: readonly string[],
  data: Readonly<Record<string, unknown>>,
  previous: PreviousAnswers | undefined,
): FieldChange[] {
  const known = (name: string) => previous !== undefined && (!previous.fields || previous.fields.includes(name));
  return fields
    .filter((field) => changed.includes(field.name))
    .map((field) => ({
      name: field.name,
      label: field.label,
      before: known(field.name) ? displayValue(field, previous!.data[field.name]) : undefined,
      after: displayValue(field, data[field.name]),
    }));
}
