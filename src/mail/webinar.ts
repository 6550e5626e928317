import ical, { ICalCalendarMethod } from 'ical-generator';
import { sessionOptions } from '../forms/session-options.ts';
import { webinarFields, type Webinar } from '../forms/webinar.ts';
import type { WebinarSession } from '../settings/schema.ts';
import { formatDate, formatSession } from '../time/format.ts';
import type { Attachment, Email } from './email.ts';
import { composeEmail, withheldNote, type EmailBody } from './layout.ts';
import type { Submission } from './submission.ts';
import { summaryRows } from './summary.ts';

const TITLE = 'Online-Informationsveranstaltung KommA';
const ACCESS_LINK = 'Den Zugangslink schicken wir Ihnen vor dem Webinar per E-Mail.';

/**
 * The session as a calendar entry: METHOD:PUBLISH, so calendars offer to add it rather than to
 * answer an invitation; times in UTC, which every calendar converts to its own zone; and a UID
 * from the reference, so the same registration sent twice updates one entry instead of adding two.
 */
function calendarFile(submission: Submission<Webinar>, session: WebinarSession): Attachment {
  const calendar = ical({
    prodId: { company: 'IMAP Institut', product: 'KommA Website', language: 'DE' },
    method: ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: `${submission.reference}@komma.imap-institut.de`,
    stamp: submission.receivedAt,
    start: session.start,
    end: session.end,
    summary: TITLE,
    description: `${ACCESS_LINK}\nIhre Vorgangsnummer: ${submission.reference}`,
    location: 'Online (Zugangslink folgt per E-Mail)',
    organizer: { name: 'KommA-Team, IMAP Institut', email: submission.teamInbox },
  });
  return {
    filename: `komma-webinar-${session.id}.ics`,
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: calendar.toString(),
  };
}

/** Every field with its label and the session in words, for both emails. */
function rowsOf(data: Webinar, session: WebinarSession) {
  return summaryRows(webinarFields(sessionOptions([session])), data);
}

/** „Warteliste, Platz 2" when the session was full; nothing for a confirmed place. */
function waitingList(submission: Submission<Webinar>): string | undefined {
  const { admission } = submission;
  return admission?.status === 'waiting' ? `Warteliste, Platz ${admission.place}` : undefined;
}

function teamEmail(submission: Submission<Webinar>, session: WebinarSession): Email {
  const { data, reference } = submission;
  const waiting = waitingList(submission);
  const subject = `${waiting ? `${waiting} – ` : ''}Webinar-Anmeldung ${formatDate(session.start)}: ${data.name}, ${data.organization}`;
  const body: EmailBody = {
    intro: [
      `Neue Anmeldung zur Online-Informationsveranstaltung am ${formatSession(session)}, eingegangen am ${formatDate(submission.receivedAt)}.`,
      ...(waiting
        ? [
            `Der Termin ist ausgebucht (${session.capacity} Plätze): ${waiting}. Die Person hat keinen Kalendereintrag erhalten.`,
          ]
        : []),
      `Vorgangsnummer: ${reference}\nAntworten auf diese E-Mail gehen an ${data.name} <${data.email}>.`,
      ...withheldNote(submission),
    ],
    rows: rowsOf(data, session),
  };
  return composeEmail({ to: submission.teamInbox, replyTo: data.email, subject, body });
}

/** The confirmation of a place on the waiting list: no calendar entry, since there is no place yet. */
function waitingListEmail(submission: Submission<Webinar>, session: WebinarSession, waiting: string): Email {
  const { data, reference } = submission;
  const subject = `${waiting}: KommA-Webinar am ${formatDate(session.start)} – ${reference}`;
  const body: EmailBody = {
    intro: [
      `Guten Tag ${data.name},`,
      'vielen Dank für Ihr Interesse an der Online-Informationsveranstaltung des Modellprojekts „Kommunale Allianzen und Strategien gegen Rassismus und Hass“ (KommA).',
      `Der Termin am ${formatSession(session)} ist leider ausgebucht. Wir haben Sie auf die Warteliste gesetzt: ${waiting}.\nIhre Vorgangsnummer: ${reference}`,
      'Wie es weitergeht: Wird ein Platz frei, schicken wir Ihnen eine Bestätigung mit dem Termin für Ihren Kalender und vor dem Webinar den Zugangslink. Bis dahin ist Ihr Platz nicht gesichert.',
      'Wenn Sie nicht mehr teilnehmen möchten, antworten Sie einfach auf diese E-Mail.',
      'Das haben Sie uns geschickt:',
    ],
    rows: rowsOf(data, session),
    outro: ['Mit freundlichen Grüßen\nIhr KommA-Team am IMAP Institut'],
  };
  return composeEmail({ to: data.email, replyTo: submission.teamInbox, subject, body });
}

function confirmationEmail(submission: Submission<Webinar>, session: WebinarSession): Email {
  const waiting = waitingList(submission);
  if (waiting) return waitingListEmail(submission, session, waiting);
  const { data, reference } = submission;
  const subject = `Ihre Anmeldung zum KommA-Webinar am ${formatDate(session.start)} – ${reference}`;
  const body: EmailBody = {
    intro: [
      `Guten Tag ${data.name},`,
      'vielen Dank für Ihre Anmeldung zur Online-Informationsveranstaltung des Modellprojekts „Kommunale Allianzen und Strategien gegen Rassismus und Hass“ (KommA).',
      `Ihr Termin: ${formatSession(session)}\nIhre Vorgangsnummer: ${reference}`,
      `Wie es weitergeht: ${ACCESS_LINK} Den Termin für Ihren Kalender finden Sie im Anhang dieser E-Mail.`,
      'Wenn Sie nicht teilnehmen können, antworten Sie einfach auf diese E-Mail.',
      'Das haben Sie uns geschickt:',
    ],
    rows: rowsOf(data, session),
    outro: ['Mit freundlichen Grüßen\nIhr KommA-Team am IMAP Institut'],
  };
  return composeEmail({
    to: data.email,
    replyTo: submission.teamInbox,
    subject,
    body,
    attachments: [calendarFile(submission, session)],
  });
}

/** Both emails of a registration for `session`, the session its data name. */
export function webinarEmails(
  submission: Submission<Webinar>,
  session: WebinarSession,
): { team: Email; confirmation: Email } {
  return { team: teamEmail(submission, session), confirmation: confirmationEmail(submission, session) };
}
