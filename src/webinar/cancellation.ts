import { createHash } from 'node:crypto';
import { idempotencyKey, type EmailRole, type QueuedEmail, type SubmissionRecord } from '../delivery/record.ts';
import type { DeliveryStore } from '../delivery/store.ts';
import { logEvent } from '../log.ts';
import type { Email } from '../mail/email.ts';
import type { MailSetup } from '../mail/transport.ts';
import { cancellationEmail, cancellationTeamEmail, movedUpEmail, movedUpTeamEmail } from '../mail/webinar-cancel.ts';
import type { WebinarSession } from '../settings/schema.ts';
import type { CancelLinks, CancelTarget } from './cancel-token.ts';
import { dueToMoveUp, markCancelled, recordMovedUp } from './roster.ts';

export interface CancelRun {
  readonly store: DeliveryStore;
  readonly session: WebinarSession;
  readonly mail: Pick<MailSetup, 'from' | 'teamInbox'>;
  /** The moved-up people's confirmations carry their own cancel links. */
  readonly links: CancelLinks;
  readonly now: Date;
}

/** What a cancellation did: `cancelled` by this call, `already` by an earlier one; or no such registration. */
export type CancelResult =
  { readonly kind: 'cancelled' | 'already'; readonly reference: string } | { readonly kind: 'unknown' };

const recordKey = (kind: string, session: string, key: string) =>
  `webinar-${kind}-${createHash('sha256').update(`${session}\n${key}`).digest('hex')}`;

/**
 * A record of two emails for the drain (team first, as every record), due at once: the same format
 * as the forms', so deliver-pending sends it with the same guarantees.
 */
function queuedRecord(
  key: string,
  form: string,
  reference: string,
  emails: { team: Email; confirmation: Email },
  run: CancelRun,
): SubmissionRecord {
  const queued = (role: EmailRole & keyof typeof emails, label: string): QueuedEmail => ({
    role,
    label: `${reference}-${label}`,
    idempotencyKey: idempotencyKey(key, role),
    email: { ...emails[role], from: run.mail.from },
    status: 'pending',
    attempts: 0,
  });
  return {
    version: 1,
    key,
    form,
    reference,
    receivedAt: run.now.toISOString(),
    emails: [queued('team', 'team'), queued('confirmation', 'bestaetigung')],
    failures: 0,
    nextAttemptAt: run.now.toISOString(),
  };
}

/**
 * Everyone who now holds a place but was told they wait gets a confirmation with the calendar
 * file: one record per person, keyed by the registration and written with onlyIfNew, so that two
 * cancellations at once, or a retry, still send it once. Then the roster records what they were
 * told, so a retry of that person's registration hears „Platz" too.
 */
export async function moveUp(run: CancelRun): Promise<number> {
  const mail = { teamInbox: run.mail.teamInbox, now: run.now };
  const due = await dueToMoveUp(run.store, run.session);
  let moved = 0;
  for (const registration of due) {
    const link = run.links({ session: run.session.id, key: registration.key }, registration.reference);
    const record = queuedRecord(
      recordKey('moved-up', run.session.id, registration.key),
      'webinar-moved-up',
      registration.reference,
      {
        team: movedUpTeamEmail(registration, run.session, mail),
        confirmation: movedUpEmail(registration, run.session, mail, link),
      },
      run,
    );
    if (await run.store.create(record)) {
      moved += 1;
      logEvent({ form: 'webinar-cancel', outcome: 'moved-up', reference: registration.reference });
    }
  }
  if (due.length > 0) await recordMovedUp(run.store, run.session, due);
  return moved;
}

/**
 * Cancels the registration `target` names: marks it cancelled (once), queues the person's
 * confirmation with the calendar cancellation and the team's note (once, keyed by the
 * registration), and moves the waiting list up. A retry repeats the queueing and the moving up,
 * which add nothing twice but finish what a failure in between left undone.
 */
export async function cancelRegistration(run: CancelRun, target: CancelTarget): Promise<CancelResult> {
  const found = await markCancelled(run.store, run.session, target.key, run.now);
  if (found.kind === 'unknown') return { kind: 'unknown' };
  const { registration } = found;
  const mail = { teamInbox: run.mail.teamInbox, now: run.now };
  const record = queuedRecord(
    recordKey('cancel', run.session.id, registration.key),
    'webinar-cancel',
    registration.reference,
    {
      team: cancellationTeamEmail(registration, run.session, mail),
      confirmation: cancellationEmail(registration, run.session, mail),
    },
    run,
  );
  if (await run.store.create(record)) {
    logEvent({ form: 'webinar-cancel', outcome: 'cancelled', reference: registration.reference });
  }
  await moveUp(run);
  return { kind: found.kind, reference: registration.reference };
}
