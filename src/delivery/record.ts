import type { OutgoingEmail } from '../mail/email.ts';
import { COUNTERS_UNAVAILABLE } from './allowance.ts';
import { confirmationFailedNotice, technicalFailureNotice } from '../mail/notice.ts';
import type { Verdict } from './verdict.ts';

/**
 * An outbox message: the emails of one submission, cancellation, reminder or overview until they
 * are out, with what the drain needs to send the very same requests later (rendered emails,
 * idempotency keys) and the state of each email. Plain JSON in Netlify Blobs; every change makes
 * a new message, so a conditional write can merge safely.
 */
export type EmailRole = 'team' | 'confirmation' | 'notice' | 'reminder' | 'overview' | 'alert';

export interface QueuedEmail {
  readonly role: EmailRole;
  /** "B-7F3K-9Q2M-team": names the email in logs and the outbox; no personal data. */
  readonly label: string;
  readonly idempotencyKey: string;
  readonly email: OutgoingEmail;
  readonly status: 'pending' | 'accepted' | 'failed';
  readonly attempts: number;
  readonly providerId?: string;
  /** The last failure as the provider named it ("503: internal_server_error"); no personal data. */
  readonly lastError?: string;
}

/**
 * A copy to keep beside the message (src/selection/kept.ts): written unless a copy of the same or a
 * later version of the submission is there (writeKeptCopy()), so that an amendment replaces it and
 * a late write of an older version does not.
 */
export interface KeptCopy {
  readonly key: string;
  readonly value: unknown;
  /** The submission's version (1 unless amended). */
  readonly revision?: number;
}

/**
 * What a submission said, field by field, as digests keyed by its submissionId (src/submissions/
 * amendment.ts): enough to tell a retry from an amendment and which fields changed, and no
 * personal data, as nobody without the id can test a guess.
 */
export type AnswerDigests = Readonly<Record<string, string>>;

export interface OutboxMessage {
  readonly version: 1;
  readonly key: string;
  /** What queued it: a form ("bewerbung", "webinar") or a job ("webinar-reminder", "selection-overview"). */
  readonly source: string;
  readonly reference: string;
  readonly receivedAt: string;
  /** The team email first: it decides whether the submission counts as received. */
  readonly emails: readonly QueuedEmail[];
  /** Failed drain runs for this record; the backoff grows with them. */
  readonly failures: number;
  readonly nextAttemptAt: string;
  /** Why no confirmation goes out (see src/delivery/allowance.ts). */
  readonly confirmationWithheld?: string;
  /** A webinar registration's place on the waiting list (the session was full). */
  readonly waitingList?: number;
  /** A copy still to keep; the drain writes it when the request could not. */
  readonly keep?: KeptCopy;
  /** The submission's version: 1 (or absent) at first, one more for each amendment. */
  readonly revision?: number;
  /** The answers of this version (a form with a submissionId only). */
  readonly answers?: AnswerDigests;
}

/** What stays once every email is out: enough to answer a late retry, no personal data. */
export interface Tombstone {
  readonly version: 1;
  readonly key: string;
  readonly source: string;
  readonly reference: string;
  readonly receivedAt: string;
  readonly completedAt: string;
  readonly confirmation: ConfirmationState;
  readonly waitingList?: number;
  readonly revision?: number;
  readonly answers?: AnswerDigests;
  /** GOV.UK Notify's word for a message given up after its emails kept failing (see giveUp()). */
  readonly state?: 'technical-failure';
}

/** `unchecked`: withheld because the day's counters could not be read (COUNTERS_UNAVAILABLE). */
export type ConfirmationState = 'sent' | 'pending' | 'withheld' | 'unchecked' | 'failed';

/**
 * Resend keeps a key for 24 hours (at most 256 characters); one key per email of a submission's
 * version. A later version needs keys of its own: Resend answers a known key with other content by
 * 409 invalid_idempotent_request, and sends nothing.
 */
export function idempotencyKey(recordKey: string, role: EmailRole, revision = 1): string {
  return revision > 1 ? `komma-${recordKey}-v${revision}-${role}` : `komma-${recordKey}-${role}`;
}

/** The version of a message or tombstone: 1 unless amended. */
export const revisionOf = (stored: { readonly revision?: number }) => stored.revision ?? 1;

/** Backoff after the drain's own failures: 2, 4, 8 … minutes, at most an hour. */
export function backoffMs(failures: number): number {
  return Math.min(60, 2 ** Math.max(1, failures)) * 60_000;
}

const find = (record: OutboxMessage, role: EmailRole) => record.emails.find((entry) => entry.role === role);

export function teamAccepted(record: OutboxMessage): boolean {
  return find(record, 'team')?.status === 'accepted';
}

export function confirmationState(record: OutboxMessage): ConfirmationState {
  if (record.confirmationWithheld)
    return record.confirmationWithheld === COUNTERS_UNAVAILABLE ? 'unchecked' : 'withheld';
  const status = find(record, 'confirmation')?.status;
  return status === 'accepted' ? 'sent' : status === 'failed' ? 'failed' : 'pending';
}

/** True when nothing waits any more: every email accepted or failed for good, the copy kept. */
export function isSettled(record: OutboxMessage): boolean {
  return !record.keep && record.emails.every((entry) => entry.status !== 'pending');
}

/** The message once its copy is kept. */
export function kept(record: OutboxMessage): OutboxMessage {
  const { keep: _, ...rest } = record;
  return rest;
}

export function tombstoneOf(record: OutboxMessage, now: Date): Tombstone {
  const { key, source, reference, receivedAt, waitingList, revision, answers } = record;
  return {
    version: 1,
    key,
    source,
    reference,
    receivedAt,
    completedAt: now.toISOString(),
    confirmation: confirmationState(record),
    ...(waitingList && { waitingList }),
    ...(revision && { revision }),
    ...(answers && { answers }),
  };
}

/** Emails to the person who wrote in: a refusal of their address is theirs, not our configuration. */
const PERSONAL_ROLES: ReadonlySet<EmailRole> = new Set(['confirmation', 'reminder']);

/**
 * A refusal that no retry of this email can mend, but a change of configuration can: a bad API key
 * or sender (401, 403), or the team's own address refused. Such an email stays queued, and the log
 * raises an alert; only a refused address of the person (confirmation, reminder) fails for good.
 */
export function isConfigurationProblem(role: EmailRole, verdict: Verdict): boolean {
  return verdict.kind === 'refused' && (!PERSONAL_ROLES.has(role) || verdict.status === 401 || verdict.status === 403);
}

/** The record after one attempt at the email in `role`. An accepted email never goes back to pending. */
export function withVerdict(record: OutboxMessage, role: EmailRole, verdict: Verdict): OutboxMessage {
  const entry = find(record, role);
  if (!entry || entry.status !== 'pending') return record;
  const attempts = entry.attempts + 1;
  let updated: QueuedEmail;
  if (verdict.kind === 'accepted') {
    const { lastError: _, ...rest } = entry;
    updated = { ...rest, status: 'accepted', attempts, providerId: verdict.providerId };
  } else if (verdict.kind === 'refused' && !isConfigurationProblem(role, verdict)) {
    updated = { ...entry, status: 'failed', attempts, lastError: verdict.reason };
  } else {
    updated = { ...entry, attempts, lastError: verdict.reason };
  }
  const emails = record.emails.map((candidate) => (candidate === entry ? updated : candidate));
  // The sender cannot be told; the team can: a short note joins the queue.
  if (updated.status === 'failed' && role === 'confirmation' && !find(record, 'notice')) {
    const team = find(record, 'team')!;
    emails.push({
      role: 'notice',
      label: `${record.reference}-hinweis`,
      idempotencyKey: idempotencyKey(record.key, 'notice', revisionOf(record)),
      email: confirmationFailedNotice(team.email, record.reference, updated.lastError ?? 'abgelehnt'),
      status: 'pending',
      attempts: 0,
    });
  }
  return { ...record, emails };
}

/** After a failed drain run: wait longer each time. */
export function afterFailure(record: OutboxMessage, now: Date): OutboxMessage {
  const failures = record.failures + 1;
  return { ...record, failures, nextAttemptAt: new Date(now.getTime() + backoffMs(failures)).toISOString() };
}

/** After the request's own attempt: due at the drain's next run, without counting as a failure. */
export function dueNow(record: OutboxMessage, now: Date): OutboxMessage {
  return { ...record, nextAttemptAt: now.toISOString() };
}

/** As GOV.UK Notify: a message whose emails keep failing for this long is given up. */
export const GIVE_UP_AFTER_MS = 72 * 60 * 60_000;

/** The source of the team's note about a message given up: such a note is never itself noted. */
export const TECHNICAL_FAILURE = 'technical-failure';

export function isOverdue(record: OutboxMessage, now: Date): boolean {
  return now.getTime() - new Date(record.receivedAt).getTime() >= GIVE_UP_AFTER_MS;
}

/**
 * A message given up: the tombstone that ends it, and the team's note naming its reference (none
 * for a note that failed itself). The note is a message of its own, keyed by the given-up one,
 * so that the team hears once.
 */
export function giveUp(
  record: OutboxMessage,
  team: { readonly to: string; readonly from: string },
  now: Date,
): { tombstone: Tombstone; note?: OutboxMessage } {
  const tombstone: Tombstone = { ...tombstoneOf(record, now), state: 'technical-failure' };
  if (record.source === TECHNICAL_FAILURE) return { tombstone };
  const key = `${TECHNICAL_FAILURE}-${record.key}`;
  const note: OutboxMessage = {
    version: 1,
    key,
    source: TECHNICAL_FAILURE,
    reference: record.reference,
    receivedAt: now.toISOString(),
    emails: [
      {
        role: 'alert',
        label: `${record.reference}-abbruch`,
        idempotencyKey: idempotencyKey(key, 'alert'),
        email: technicalFailureNotice(team, record.reference, record.receivedAt),
        status: 'pending',
        attempts: 0,
      },
    ],
    failures: 0,
    nextAttemptAt: now.toISOString(),
  };
  return { tombstone, note };
}
