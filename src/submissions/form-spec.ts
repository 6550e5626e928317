import type * as z from 'zod/mini';
import type { Field } from '../forms/fields.ts';
import type { FieldErrors } from '../forms/validate.ts';
import type { KeptCopy } from '../delivery/record.ts';
import type { KeyValueStore } from '../delivery/store.ts';
import type { Email } from '../mail/email.ts';
import type { Admission, Submission } from '../mail/submission.ts';
import type { MailSetup } from '../mail/transport.ts';
import type { PreviousAnswers } from './amendment.ts';

/** Why a valid submission cannot be accepted now (the clock decides: window closed, session over). */
export type Refusal = { status: number; message: string } | { errors: FieldErrors };

/** Everything the shared pipeline needs to know about one form, made from the settings. */
export interface FormSpec<T> {
  /** Names the form in logs, store keys and idempotency keys. */
  readonly id: string;
  /** First letter of its reference numbers: „B-…", „W-…". */
  readonly referencePrefix: string;
  readonly fields: readonly Field[];
  readonly schema: z.ZodMiniType<T>;
  readonly formPath: string;
  readonly thanksPath: string;
  /** Heading of the error page for plain form posts. */
  readonly failureTitle: string;
  /** „Ihre Bewerbung ist eingegangen.": the first words of every note beside a received submission. */
  readonly receivedText: string;
  /**
   * Rules that need the clock; undefined when the submission may go ahead. `amending`: the
   * reference of the submission this changes (src/submissions/amendment.ts), for the message.
   */
  check(data: T, now: Date, amending?: string): Refusal | undefined;
  /**
   * Where a new submission stands when places are limited (a webinar session's place or waiting
   * list), after check() and before anything is stored or sent; undefined: no place to give.
   * Every call of `store` may throw a StoreError (src/delivery/store.ts). For an amendment
   * (`ticket.revision` > 1), a webinar registration that names another session moves there.
   */
  admit?(data: T, ticket: AdmissionTicket, store: KeyValueStore): Promise<Admitted | Refusal | undefined>;
  /**
   * The key a submission under `key` takes instead, when its earlier version was withdrawn (a
   * cancelled webinar registration): registering again is a new submission with its own reference.
   */
  renew?(data: T, key: string, store: KeyValueStore): Promise<string>;
  /** Where a known submission stands now, for the answer to its retry (a place, once moved up). */
  standing?(data: T, key: string, store: KeyValueStore): Promise<Admission | undefined>;
  /**
   * What the stored version of a submission said, as far as a copy of it is kept (the kept
   * application, a webinar registration's roster entry): the old side of an amendment's changes.
   */
  previous?(ticket: AdmissionTicket, store: KeyValueStore): Promise<PreviousAnswers | undefined>;
  /**
   * A copy of a new submission to keep beyond its emails (the applications for the team's
   * overview, src/selection/): its outbox message carries it until it is written, by the request
   * or else by the drain. A failure changes nothing of the answer.
   */
  keep?(data: T, ticket: AdmissionTicket): KeptCopy;
  /** The address the confirmation goes to. */
  recipient(data: T): string;
  /** The team email and the confirmation to the sender; `key`: the submission's key in the store. */
  emails(submission: Submission<T>, key: string): { team: Email; confirmation: Email };
}

/**
 * A place or a waiting-list place. `existing`: the reference of the submission this one turned out
 * to repeat (the same person again for the same session); nothing new is stored or sent.
 */
export type Admitted = Admission & { readonly existing?: string };

/** What admit() knows of the submission besides its data: no personal data beyond the data itself. */
export interface AdmissionTicket {
  readonly key: string;
  readonly reference: string;
  readonly now: Date;
  /** The submission's version: 1 (or absent), one more for each amendment. */
  readonly revision?: number;
  /** For an amendment, when its first version arrived, where known (PreviousAnswers). */
  readonly firstReceivedAt?: string;
  /** The sender and team inbox, for the emails a change of places queues (moving up). */
  readonly mail?: Pick<MailSetup, 'from' | 'teamInbox'>;
}
