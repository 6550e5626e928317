import { emailWithheld, giveBack } from '../delivery/allowance.ts';
import { enqueue, lookup, outboxMessage } from '../delivery/outbox.ts';
import { confirmationState, type OutboxMessage } from '../delivery/record.ts';
import { scheduledRun } from '../scheduled/scheduled-run.ts';
import { scheduledBound, type DeliveryStore } from '../delivery/store.ts';
import type { Env } from '../env.ts';
import { upcomingSessions } from '../forms/sessions.ts';
import { logEvent, logProblem } from '../log.ts';
import { reminderEmail } from '../mail/reminder.ts';
import type { MailSetup } from '../mail/transport.ts';
import type { WebinarSession } from '../settings/schema.ts';
import type { Runtime } from '../runtime.ts';
import { berlinDay } from '../time/format.ts';
import { accessLink, accessLinkNow, linkVariable, reminderKey, remindersDue } from './access.ts';
import { cancelLink, cancelLinks } from './cancel-token.ts';
import { movedUpKey, settleCancellations } from './cancellation.ts';
import { registrations } from './roster.ts';

export { dayBefore, linkVariable, remindersDue } from './access.ts';

export interface ReminderRun {
  readonly store: DeliveryStore;
  readonly env: Env;
  readonly sessions: readonly WebinarSession[];
  readonly mail: Pick<MailSetup, 'from' | 'teamInbox'>;
  readonly now: Date;
}

/** A type, not an interface: it is a log line's details too (scheduledRun). */
export type ReminderReport = {
  /** Sessions whose reminders are due now. */
  sessions: number;
  /** Reminders queued by this run (each registrant once, whatever the number of runs). */
  queued: number;
  /** Sessions left out because their access link is not set. */
  missingLinks: string[];
};

/** The reminder of one registration as an outbox message, due at once: deliver-pending sends it. */
function reminderMessage(
  run: ReminderRun,
  session: WebinarSession,
  registration: { key: string; reference: string; name: string; email: string },
  link: string,
): OutboxMessage {
  const key = reminderKey(session.id, registration.key);
  // The confirmations raise the alert when the secret is missing; reminders go out without the link.
  const cancel = cancelLink(run.env, { session: session.id, key: registration.key });
  const email = reminderEmail({ ...registration, teamInbox: run.mail.teamInbox, link, cancelLink: cancel }, session);
  return outboxMessage({
    key,
    source: 'webinar-reminder',
    reference: registration.reference,
    from: run.mail.from,
    emails: [{ role: 'reminder', label: 'erinnerung', email }],
    receivedAt: run.now,
  });
}

/** What the person was told of their place, as the outbox remembers it: sent, pending, withheld … */
async function placeConfirmation(store: DeliveryStore, key: string) {
  const found = await lookup(store, key);
  if (!found) return undefined;
  return found.kind === 'pending' ? confirmationState(found.record) : found.tombstone.confirmation;
}

const WITHHELD = new Set(['withheld', 'unchecked']);

/**
 * Whether a reminder may go to `registration`: not when neither its confirmation nor a move-up
 * notice reached the address, as the per-address limit withheld them (the team has the list: an
 * address that anyone could type in gets no access link it never asked for); and only within the
 * day's per-address limit, which reminders count toward (src/delivery/allowance.ts).
 */
async function reminderWithheld(
  run: ReminderRun,
  session: WebinarSession,
  registration: { readonly key: string; readonly email: string },
): Promise<string | undefined> {
  const confirmed = await placeConfirmation(run.store, registration.key);
  if (confirmed && WITHHELD.has(confirmed)) {
    const movedUp = await placeConfirmation(run.store, movedUpKey(session.id, registration.key));
    if (!movedUp || WITHHELD.has(movedUp)) return 'confirmation withheld';
  }
  return emailWithheld(run.store, registration.email, berlinDay(run.now));
}

/**
 * One run of the scheduled function: for each session whose reminders are due, a reminder for each
 * confirmed registrant into the delivery store, under a key of its own written with onlyIfNew. A
 * second run finds the record, or its tombstone once sent, and adds nothing: each registrant gets
 * one reminder however often this runs. A reminder counts toward the per-address limit, and none
 * goes where the confirmation was withheld (reminderWithheld()). Without the session's access link, nothing goes out and
 * the log raises an alert naming the variable.
 */
export async function queueReminders(run: ReminderRun): Promise<ReminderReport> {
  const report: ReminderReport = { sessions: 0, queued: 0, missingLinks: [] };
  for (const session of run.sessions.filter((candidate) => remindersDue(candidate, run.now))) {
    report.sessions += 1;
    const variable = linkVariable(session.id);
    const link = accessLink(run.env, session.id);
    if (!link) {
      report.missingLinks.push(variable);
      logProblem({
        form: 'webinar-reminder',
        outcome: 'configuration-alert',
        session: session.id,
        missing: variable,
        note: `No reminders go out for this session until ${variable} holds its access link (an http(s) URL).`,
      });
      continue;
    }
    for (const registration of await registrations(run.store, session)) {
      if (registration.status !== 'confirmed') continue;
      const message = reminderMessage(run, session, registration, link);
      // Queued or sent already: nothing to count or add.
      if (await lookup(run.store, message.key)) continue;
      if (await reminderWithheld(run, session, registration)) {
        // A later run tries again (a new day has room); the log names the reference only.
        logEvent({ form: 'webinar-reminder', outcome: 'withheld', reference: message.reference });
        continue;
      }
      if (await enqueue(run.store, message)) {
        report.queued += 1;
        logEvent({ form: 'webinar-reminder', outcome: 'queued', reference: message.reference });
      } else {
        // Another run queued it first: that one counted.
        await giveBack(run.store, registration.email, berlinDay(run.now));
      }
    }
  }
  return report;
}

/**
 * Finishes, for each session still ahead, what a cancellation left undone when the store failed
 * during its request (its emails, the moving up): settleCancellations().
 */
export async function settleSessions(run: ReminderRun): Promise<void> {
  for (const session of upcomingSessions(run.sessions, run.now)) {
    const links = cancelLinks(run.env);
    const { store, mail, now } = run;
    await settleCancellations({ store, session, mail, links, accessLink: accessLinkNow(run.env, session, now), now });
  }
}

/**
 * The scheduled function's work: the cancellations settled first (so that whoever moved up is
 * reminded too), then one reminders run; its report as the answer and one log line.
 */
export function webinarReminders(runtime: Runtime): Promise<Response> {
  const { env, now, settings } = runtime;
  return scheduledRun('webinar-reminder', runtime, async (mail) => {
    const run = { store: runtime.store(scheduledBound()), env, sessions: settings.webinars, mail, now };
    await settleSessions(run);
    return queueReminders(run);
  });
}
