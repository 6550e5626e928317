import type { OutgoingEmail } from '../mail/email.ts';
import { confirmationFailedNotice } from '../mail/notice.ts';
import type { Verdict } from './verdict.ts';

/**
 * The stored form of a submission until its emails are out: what the drain needs to send the very
 * same requests later (rendered emails, idempotency keys) and the state of each email. Plain JSON
 * in Netlify Blobs; every change makes a new record, so a conditional write can merge safely.
 */
export type EmailRole = 'team' | 'confirmation' | 'notice' | 'reminder' | 'overview';

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

export interface SubmissionRecord {
  readonly version: 1;
  readonly key: string;
  readonly form: string;
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
}

/** What stays once every email is out: enough to answer a late retry, no personal data. */
export interface Tombstone {
  readonly version: 1;
  readonly key: string;
  readonly form: string;
  readonly reference: string;
  readonly receivedAt: string;
  readonly completedAt: string;
  readonly confirmation: ConfirmationState;
  readonly waitingList?: number;
}

export type ConfirmationState = 'sent' | 'pending' | 'withheld' | 'failed';

/** Resend keeps a key for 24 hours (at most 256 characters); one key per email of a submission. */
export function idempotencyKey(recordKey: string, role: EmailRole): string {
  return `komma-${recordKey}-${role}`;
}

/** Backoff after the drain's own failures: 2, 4, 8 … minutes, at most an hour. */
export function backoffMs(failures: number): number {
  return Math.min(60, 2 ** Math.max(1, failures)) * 60_000;
}

const find = (record: SubmissionRecord, role: EmailRole) => record.emails.find((entry) => entry.role === role);

export function teamAccepted(record: SubmissionRecord): boolean {
  return find(record, 'team')?.status === 'accepted';
}

export function confirmationState(record: SubmissionRecord): ConfirmationState {
  if (record.confirmationWithheld) return 'withheld';
  const status = find(record, 'confirmation')?.status;
  return status === 'accepted' ? 'sent' : status === 'failed' ? 'failed' : 'pending';
}

/** True when no email waits any more: accepted, or failed for good. */
export function isSettled(record: SubmissionRecord): boolean {
  return record.emails.every((entry) => entry.status !== 'pending');
}

export function tombstoneOf(record: SubmissionRecord, now: Date): Tombstone {
  const { key, form, reference, receivedAt, waitingList } = record;
  return {
    version: 1,
    key,
    form,
    reference,
    receivedAt,
    completedAt: now.toISOString(),
    confirmation: confirmationState(record),
    ...(waitingList && { waitingList }),
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
export function withVerdict(record: SubmissionRecord, role: EmailRole, verdict: Verdict): SubmissionRecord {
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
      idempotencyKey: idempotencyKey(record.key, 'notice'),
      email: confirmationFailedNotice(team.email, record.reference, updated.lastError ?? 'abgelehnt'),
      status: 'pending',
      attempts: 0,
    });
  }
  return { ...record, emails };
}

/** After a failed drain run: wait longer each time. */
export function afterFailure(record: SubmissionRecord, now: Date): SubmissionRecord {
  const failures = record.failures + 1;
  return { ...record, failures, nextAttemptAt: new Date(now.getTime() + backoffMs(failures)).toISOString() };
}

/** After the request's own attempt: due at the drain's next run, without counting as a failure. */
export function dueNow(record: SubmissionRecord, now: Date): SubmissionRecord {
  return { ...record, nextAttemptAt: now.toISOString() };
}
