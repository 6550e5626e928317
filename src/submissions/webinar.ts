import { sessionOptions } from '../forms/session-options.ts';
import { upcomingSessions } from '../forms/sessions.ts';
import { webinarFields, webinarSchema, type Webinar } from '../forms/webinar.ts';
import { webinarEmails } from '../mail/webinar.ts';
import type { Settings } from '../settings/schema.ts';
import type { FormSpec } from './form-spec.ts';

/**
 * The webinar registration on the server: the shared definition over every session in the
 * settings, so that a session that has started is refused with its own message, not as unknown.
 */
export function webinarForm(settings: Settings): FormSpec<Webinar> {
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
    recipient: (registration) => registration.email,
    emails: (submission) => webinarEmails(submission, sessionOf(submission.data)),
  };
}
