import { createHash } from 'node:crypto';
import { emailWithheld, giveBack } from '../delivery/allowance.ts';
import { pendingKey } from '../delivery/keys.ts';
import { enqueue, lookup, outboxMessage } from '../delivery/outbox.ts';
import type { DeliveryStore } from '../delivery/store.ts';
import { logEvent, logProblem } from '../log.ts';
import type { Email } from '../mail/email.ts';
import type { MailSetup } from '../mail/transport.ts';
import {
  cancellationEmail,
  cancellationTeamEmail,
  movedUpEmail,
  movedUpTeamEmail,
  type CancelMail,
} from '../mail/webinar-cancel.ts';
import { berlinDay } from '../time/format.ts';
import type { WebinarSession } from '../settings/schema.ts';
import type { CancelLinks, CancelTarget } from './cancel-token.ts';
import type { Admission } from '../mail/submission.ts';
import { reminderKey } from './access.ts';
import {
  amendRegistration,
  cancelledRegistrations,
  dueToMoveUp,
  markCancelled,
  recordMovedUp,
  type RosterEntry,
} from './roster.ts';

export interface CancelRun {
  readonly store: DeliveryStore;
  readonly session: WebinarSession;
  readonly mail: Pick<MailSetup, 'from' | 'teamInbox'>;
  /** The moved-up people's confirmations carry their own cancel links. */
  readonly links: CancelLinks;
  /** The session's access link when reminders are due already (accessLinkNow()): moved-up people get it at once. */
  readonly accessLink?: string | undefined;
  readonly now: Date;
}

/** What a cancellation did: `cancelled` by this call, `already` by an earlier one; or no such registration. */
export type CancelResult =
  { readonly kind: 'cancelled' | 'already'; readonly reference: string } | { readonly kind: 'unknown' };

const recordKey = (kind: string, session: string, key: string) =>
  `webinar-${kind}-${createHash('sha256').update(`${session}\n${key}`).digest('hex')}`;

/** The outbox key of a registration's move-up emails: the reminders look there too. */
export const movedUpKey = (session: string, key: string) => recordKey('moved-up', session, key);

/**
 * Queues the team's note and the person's email as one outbox message (team first, as every
 * message), due at once: deliver-pending sends it with the same guarantees as the forms'. Once:
 * a message that is queued or sent already adds nothing. The person's email counts toward the
 * per-address limit (src/delivery/allowance.ts); over it, only the team's note goes, saying why.
 */
async function queueTwo(
  run: CancelRun,
  key: string,
  source: string,
  person: { readonly reference: string; readonly email: string },
  render: (mail: CancelMail) => { team: Email; confirmation: Email },
): Promise<boolean> {
  if (await lookup(run.store, key)) return false;
  const day = berlinDay(run.now);
  const withheld = await emailWithheld(run.store, person.email, day);
  const emails = render({ teamInbox: run.mail.teamInbox, now: run.now, withheld });
  const queued = await enqueue(
    run.store,
    outboxMessage({
      key,
      source,
      reference: person.reference,
      from: run.mail.from,
      emails: [
        { role: 'team', label: 'team', email: emails.team },
        ...(withheld ? [] : [{ role: 'confirmation' as const, label: 'bestaetigung', email: emails.confirmation }]),
      ],
      receivedAt: run.now,
      ...(withheld && { confirmationWithheld: withheld }),
    }),
  );
  // Another request queued it first (a double click on „Stornieren“): that one counted.
  if (!queued && !withheld) await giveBack(run.store, person.email, day);
  return queued;
}

/**
 * Everyone who now holds a place but was told they wait gets a confirmation with the calendar
 * file: one record per person, keyed by the registration and written with onlyIfNew, so that two
 * cancellations at once, or a retry, still send it once. Then the roster records what they were
 * told, so a retry of that person's registration hears „Platz" too.
 */
export async function moveUp(run: CancelRun): Promise<number> {
  const due = await dueToMoveUp(run.store, run.session);
  let moved = 0;
  for (const registration of due) {
    const link = run.links({ session: run.session.id, key: registration.key }, registration.reference);
    const queued = await queueTwo(
      run,
      movedUpKey(run.session.id, registration.key),
      'webinar-moved-up',
      registration,
      (mail) => ({
        team: movedUpTeamEmail(registration, run.session, mail),
        confirmation: movedUpEmail(registration, run.session, mail, link, run.accessLink),
      }),
    );
    if (queued) {
      moved += 1;
      logEvent({ form: 'webinar-cancel', outcome: 'moved-up', reference: registration.reference });
    }
  }
  if (due.length > 0) await recordMovedUp(run.store, run.session, due);
  return moved;
}

/** A reminder queued but not sent yet would give the access link to someone without a place. */
const dropQueuedReminder = (run: CancelRun, key: string) =>
  run.store.remove(pendingKey(reminderKey(run.session.id, key)));

/**
 * What follows a recorded cancellation: the person's confirmation with the calendar cancellation
 * and the team's note (once, keyed by the registration), no reminder left queued for them, and the
 * waiting list moved up. Each step adds nothing twice, so running it again finishes what a
 * failure left undone.
 */
async function followUp(run: CancelRun, registration: RosterEntry & Admission): Promise<void> {
  const queued = await queueTwo(
    run,
    recordKey('cancel', run.session.id, registration.key),
    'webinar-cancel',
    registration,
    (mail) => ({
      team: cancellationTeamEmail(registration, run.session, mail),
      confirmation: cancellationEmail(registration, run.session, mail),
    }),
  );
  if (queued) {
    logEvent({ form: 'webinar-cancel', outcome: 'cancelled', reference: registration.reference });
  }
  await dropQueuedReminder(run, registration.key);
  await moveUp(run);
}

/**
 * Cancels the registration `target` names: marks it cancelled (once), then follows up (followUp()).
 * Once the roster records it, the cancellation stands and the answer says so; when the follow-up
 * fails, the next reminders run finishes it (settleCancellations()).
 */
export async function cancelRegistration(run: CancelRun, target: CancelTarget): Promise<CancelResult> {
  const found = await markCancelled(run.store, run.session, target.key, run.now);
  if (found.kind === 'unknown') return { kind: 'unknown' };
  const { registration } = found;
  try {
    await followUp(run, registration);
  } catch (error) {
    logProblem({
      form: 'webinar-cancel',
      outcome: 'follow-up-deferred',
      reference: registration.reference,
      error: error instanceof Error ? error.name : typeof error,
    });
  }
  return { kind: found.kind, reference: registration.reference };
}

/**
 * Finishes the follow-up of every cancellation of the session (its emails, the moving up): what
 * a failed store call in the cancel request left undone goes out with the next scheduled run.
 */
export async function settleCancellations(run: CancelRun): Promise<void> {
  for (const registration of await cancelledRegistrations(run.store, run.session)) await followUp(run, registration);
  await moveUp(run);
}

/**
 * The registration leaves `run.session` without a cancellation email (an amendment moved it to
 * another session, and its new confirmation says so): its place is freed, the waiting list moves up.
 */
export async function leaveSession(run: CancelRun, key: string): Promise<void> {
  await amendRegistration(run.store, run.session, key, undefined);
  await dropQueuedReminder(run, key);
  await moveUp(run);
}
