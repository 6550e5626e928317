import type { z } from 'zod/mini';
import type { Field } from '../forms/fields.ts';
import type { FieldErrors } from '../forms/validate.ts';
import type { Email } from '../mail/email.ts';

/** A submission that passed every check, as the email templates see it. */
export interface Submission<T> {
  readonly data: T;
  readonly reference: string;
  /**
   * The Berlin calendar day it arrived, as noon UTC of that day. A day, not an instant: everything
   * an email says must be the same for every retry under its idempotency key.
   */
  readonly receivedOn: Date;
  readonly teamInbox: string;
}

/** Why a valid submission cannot be accepted now (the clock decides: window closed, session over). */
export type Refusal = { status: number; message: string } | { errors: FieldErrors };

/** Everything the shared pipeline needs to know about one form. */
export interface FormSpec<T> {
  /** Names the form in logs and idempotency keys. */
  readonly id: string;
  /** First letter of its reference numbers: „B-…", „W-…". */
  readonly referencePrefix: string;
  readonly fields: readonly Field[];
  readonly schema: z.ZodMiniType<T>;
  readonly formPath: string;
  readonly thanksPath: string;
  /** Heading of the error page for plain form posts. */
  readonly failureTitle: string;
  /** Rules that need the clock; undefined when the submission may go ahead. */
  check(data: T, now: Date): Refusal | undefined;
  /** The team email and the confirmation to the sender. */
  emails(submission: Submission<T>): { team: Email; confirmation: Email };
}
