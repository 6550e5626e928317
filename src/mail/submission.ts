/**
 * A submission that passed every check, as the email templates see it. It lives beside the
 * templates so that src/mail/ never depends on src/submissions/ (which depends on src/mail/).
 */
export interface Submission<T> {
  readonly data: T;
  readonly reference: string;
  /** When it first arrived. Rendered once and stored, so every later send repeats the same bytes. */
  readonly receivedAt: Date;
  /** The team inbox: the team email's recipient, and the address every email names for questions. */
  readonly teamInbox: string;
  /** Why no confirmation goes to the sender (too many to one address today); the team email says so. */
  readonly confirmationWithheld?: string;
  /** A webinar registration's place: confirmed, or on the waiting list at `place`. */
  readonly admission?: Admission;
  /** A change to a submission whose first version reached the team: the copy says it arrived. */
  readonly amended?: boolean;
}

/** Where a registration stands in its session (src/webinar/roster.ts hands it out). */
export interface Admission {
  readonly status: 'confirmed' | 'waiting';
  /** Its place among the confirmed, or on the waiting list: 1, 2, … */
  readonly place: number;
}
