import { mailbox } from '../forms/address.ts';
import { sessionOptions } from '../forms/session-options.ts';
import { upcomingSessions } from '../forms/sessions.ts';
import { webinarFields, webinarSchema, type Webinar } from '../forms/webinar.ts';
import { webinarEmails } from '../mail/webinar.ts';
import type { Settings } from '../settings/schema.ts';
import { logProblem } from '../log.ts';
import type { CancelLinks } from '../webinar/cancel-token.ts';
import type { Env } from '../env.ts';
import { accessLinkNow } from '../webinar/access.ts';
import { leaveSession } from '../webinar/cancellation.ts';
import {
  admit,
  amendRegistration,
  findRegistration,
  registrationKey,
  registrationOf,
  registrations,
} from '../webinar/roster.ts';
import type { FormSpec } from './form-spec.ts';
import { unavailable } from './messages.ts';

/**
 * The webinar registration on the server: the shared definition over every session in the
 * settings, so that a session that has started is refused with its own message, not as unknown.
 * `cancelLinks` puts each person's cancel link into the confirmation (none without it); `env`
 * gives the sessions' access links, which a confirmation carries once reminders are due.
 */
export function webinarForm(settings: Settings, cancelLinks?: CancelLinks, env: Env = {}): FormSpec<Webinar> {
  const sessions = settings.webinars;
  /** The session a valid registration names; the schema admits only the settings' ids. */
  const sessionOf = (registration: Webinar) => {
    const session = sessions.find((candidate) => candidate.id === registration.session);
    if (!session) throw new Error(`Unknown webinar session "${registration.session}" passed the schema.`);
    return session;
  };
  return {
    id: 'webinar',
    referencePrefix: 'W',
    fields: webinarFields(sessionOptions(sessions)),
    schema: webinarSchema(sessions.map((session) => session.id)),
    formPath: '/webinar/',
    thanksPath: '/webinar/danke/',
    failureTitle: 'Ihre Anmeldung konnte nicht gesendet werden',
    receivedText: 'Ihre Anmeldung ist eingegangen.',
    check(registration, now) {
      if (upcomingSessions([sessionOf(registration)], now).length > 0) return undefined;
      return {
        errors: {
          session: 'Dieser Termin hat bereits begonnen oder ist vorbei. Bitte wählen Sie einen anderen Termin.',
        },
      };
    },
    renew: (_registration, key, store) => registrationKey(store, sessions, key),
    async standing(registration, key, store) {
      const found = await findRegistration(store, sessionOf(registration), key);
      return found.kind === 'active'
        ? { status: found.registration.status, place: found.registration.place }
        : undefined;
    },
    async previous({ key }, store) {
      const found = await registrationOf(store, sessions, key);
      return found && { data: found, fields: ['session', 'name', 'email'] };
    },
    async admit(registration, ticket, store) {
      const session = sessionOf(registration);
      const { key, reference, now, mail } = ticket;
      const amending = (ticket.revision ?? 1) > 1;
      try {
        const { name, email } = registration;
        // An amendment: where the registration stands now decides whether it moves.
        const from = amending ? (await registrationOf(store, sessions, key))?.session : undefined;
        const left = sessions.find((candidate) => candidate.id === from && candidate.id !== session.id);
        if (left) {
          // The same person holds the new session already (another submission): that is their
          // registration there, and this one stays where it is.
          const holder = (await registrations(store, session)).find(
            (entry) => entry.key !== key && mailbox(entry.email) === mailbox(email),
          );
          if (holder) return { status: holder.status, place: holder.place, existing: holder.reference };
          // Another session under the same id: the registration moves, and its old place goes to
          // the first on that session's waiting list.
          if (!mail) throw new Error('A registration cannot move without the mail setup.');
          await leaveSession({ store, session: left, mail, links: cancelLinks ?? (() => undefined), now }, key);
        } else if (from) {
          // The same session: its place stays, reminders and cancellations use the new name and address.
          await amendRegistration(store, session, key, { name, email });
        }
        return await admit(store, session, { key, reference, name, email }, now);
      } catch (error) {
        logProblem({
          form: 'webinar',
          outcome: 'roster-failed',
          reference,
          error: error instanceof Error ? error.name : typeof error,
        });
        // Without the roster nobody can count places: a limited session waits for the store; an
        // unlimited one goes ahead (only its reminder needs the roster), unless an amendment may
        // have to free a place elsewhere.
        if (session.capacity === undefined && !amending) return undefined;
        return { status: 503, message: unavailable(settings.teamInbox) };
      }
    },
    recipient: (registration) => registration.email,
    emails(submission, key) {
      const session = sessionOf(submission.data);
      // Without an admission the roster could not record the registration: a cancel link would
      // lead nowhere, so the confirmation asks for a reply instead.
      const link = submission.admission && cancelLinks?.({ session: session.id, key }, submission.reference);
      const access =
        submission.admission?.status === 'confirmed' ? accessLinkNow(env, session, submission.receivedAt) : undefined;
      return webinarEmails(submission, session, link, access);
    },
  };
}
