import type { WebinarSession } from '../settings/schema.ts';
import { formatDate, formatSession } from '../time/format.ts';
import type { Email } from './email.ts';
import { composeEmail } from './layout.ts';
import type { Admission } from './submission.ts';
import { accessParagraph, cancelParagraph } from './webinar.ts';
import { calendarFile } from './webinar-calendar.ts';

/** A registration as the roster holds it: no organisation, no questions. */
export interface RosterPerson {
  readonly name: string;
  readonly email: string;
  readonly reference: string;
}

export interface CancelMail {
  readonly teamInbox: string;
  /** When it happened: the calendar files' DTSTAMP. */
  readonly now: Date;
  /** Why the person's email does not go out (src/delivery/allowance.ts); the team's note says so. */
  readonly withheld?: string | undefined;
}

/** The team's paragraph when the person's email is withheld. */
const withheldPersonNote = (mail: CancelMail) =>
  mail.withheld ? [`Hinweis: Die E-Mail an die Person wurde nicht verschickt. ${mail.withheld}`] : [];

const GREETING = 'Mit freundlichen Grüßen\nIhr KommA-Team am IMAP-Institut';

/** What the person held: „hatte einen Platz", „stand auf der Warteliste, Platz 2". */
const held = (standing: Admission) =>
  standing.status === 'confirmed' ? 'hatte einen Platz' : `stand auf der Warteliste, Platz ${standing.place}`;

/**
 * The person's confirmation of a cancellation. Who held a place gets a calendar file that removes
 * the entry of the confirmation (METHOD:CANCEL, same UID); the waiting list never had one.
 */
export function cancellationEmail(person: RosterPerson & Admission, session: WebinarSession, mail: CancelMail): Email {
  const hadPlace = person.status === 'confirmed';
  return composeEmail({
    to: person.email,
    replyTo: mail.teamInbox,
    subject: `Ihre Anmeldung ist storniert: KommA-Webinar am ${formatDate(session.start)} – ${person.reference}`,
    body: {
      intro: [
        `Guten Tag ${person.name},`,
        `Ihre Anmeldung zur Online-Informationsveranstaltung am ${formatSession(session)} ist storniert${hadPlace ? '' : ', und Sie stehen nicht mehr auf der Warteliste'}.\nIhre Vorgangsnummer: ${person.reference}`,
        ...(hadPlace
          ? [
              'Mit der Datei im Anhang entfernen Sie den Termin aus Ihrem Kalender, falls Ihr Kalenderprogramm das nicht von selbst tut.',
            ]
          : []),
        'Sie möchten doch teilnehmen? Melden Sie sich gern erneut über unsere Website an, solange der Termin nicht begonnen hat.',
      ],
      rows: [],
      outro: [GREETING],
    },
    ...(hadPlace && {
      attachments: [
        calendarFile({ reference: person.reference, stamp: mail.now, teamInbox: mail.teamInbox }, session, {
          cancelled: true,
        }),
      ],
    }),
  });
}

/** A freed place goes to the waiting list: the team hears of it by a separate email per person. */
const freedPlaceNote = (standing: Admission, session: WebinarSession) =>
  standing.status === 'confirmed' && session.capacity !== undefined
    ? [
        'Der Platz ist frei geworden. Steht jemand auf der Warteliste, rückt die erste Person nach und erhält eine Bestätigung; Sie erhalten dazu eine eigene E-Mail.',
      ]
    : [];

/** The team's note of a cancellation: the person's data only here, never in the log. */
export function cancellationTeamEmail(
  person: RosterPerson & Admission,
  session: WebinarSession,
  mail: CancelMail,
): Email {
  return composeEmail({
    to: mail.teamInbox,
    replyTo: person.email,
    subject: `Abmeldung – Webinar ${formatDate(session.start)}: ${person.name} – ${person.reference}`,
    body: {
      intro: [
        `${person.name} <${person.email}> hat die Anmeldung zur Online-Informationsveranstaltung am ${formatSession(session)} über den persönlichen Link storniert (${held(person)}).`,
        `Vorgangsnummer: ${person.reference}`,
        ...freedPlaceNote(person, session),
        ...withheldPersonNote(mail),
      ],
      rows: [],
    },
  });
}

/** The confirmation of someone who moved up from the waiting list: a place, with the calendar file. */
export function movedUpEmail(
  person: RosterPerson,
  session: WebinarSession,
  mail: CancelMail,
  cancelLink: string | undefined,
  accessLink?: string,
): Email {
  return composeEmail({
    to: person.email,
    replyTo: mail.teamInbox,
    subject: `Ein Platz ist frei geworden: Ihre Anmeldung zum KommA-Webinar am ${formatDate(session.start)} – ${person.reference}`,
    body: {
      intro: [
        `Guten Tag ${person.name},`,
        'gute Nachricht: Für die Online-Informationsveranstaltung des Modellprojekts „Kommunale Allianzen und Strategien gegen Rassismus und Hass“ (KommA) ist ein Platz frei geworden. Sie standen auf der Warteliste und sind jetzt verbindlich angemeldet.',
        `Ihr Termin: ${formatSession(session)}\nIhre Vorgangsnummer: ${person.reference}`,
        accessParagraph(accessLink),
        cancelParagraph(cancelLink),
      ],
      rows: [],
      outro: [GREETING],
    },
    attachments: [calendarFile({ reference: person.reference, stamp: mail.now, teamInbox: mail.teamInbox }, session)],
  });
}

/** The team's note that someone moved up. */
export function movedUpTeamEmail(person: RosterPerson, session: WebinarSession, mail: CancelMail): Email {
  return composeEmail({
    to: mail.teamInbox,
    replyTo: person.email,
    subject: `Nachgerückt – Webinar ${formatDate(session.start)}: ${person.name} – ${person.reference}`,
    body: {
      intro: [
        `${person.name} <${person.email}> ist von der Warteliste nachgerückt und hat für die Online-Informationsveranstaltung am ${formatSession(session)} jetzt einen Platz.${mail.withheld ? '' : ' Die Bestätigung mit Kalendereintrag ist unterwegs.'}`,
        `Vorgangsnummer: ${person.reference}`,
        ...withheldPersonNote(mail),
      ],
      rows: [],
    },
  });
}
