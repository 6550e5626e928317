import type { WebinarSession } from '../settings/schema.ts';
import { formatSession } from '../time/format.ts';
import type { Email } from './email.ts';
import { composeEmail } from './layout.ts';
import { cancelParagraph } from './webinar.ts';

export interface ReminderOf {
  readonly name: string;
  readonly email: string;
  readonly reference: string;
  readonly teamInbox: string;
  /** The access link, from the environment (WEBINAR_LINK_…); never on a public page. */
  readonly link: string;
  /** The person's cancel link, when the site has a token secret. */
  readonly cancelLink?: string | undefined;
}

/** The reminder the day before a session, with the access link. */
export function reminderEmail(person: ReminderOf, session: WebinarSession): Email {
  const when = formatSession(session);
  return composeEmail({
    to: person.email,
    replyTo: person.teamInbox,
    subject: `Erinnerung: KommA-Webinar am ${when}`,
    body: {
      intro: [
        `Guten Tag ${person.name},`,
        `wir freuen uns auf Ihre Teilnahme an der Online-Informationsveranstaltung des Modellprojekts KommA am ${when}.`,
        `Ihr Zugangslink:\n${person.link}`,
        `Bitte geben Sie den Link nicht weiter: Er gilt nur für angemeldete Teilnehmende.\nIhre Vorgangsnummer: ${person.reference}`,
        cancelParagraph(person.cancelLink),
      ],
      rows: [],
      outro: ['Mit freundlichen Grüßen\nIhr KommA-Team am IMAP-Institut'],
    },
  });
}
