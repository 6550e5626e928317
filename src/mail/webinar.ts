import { sessionOptions } from '../forms/session-options.ts';
import { summaryRows } from '../forms/summary.ts';
import { webinarFields, type Webinar } from '../forms/webinar.ts';
import type { WebinarSession } from '../settings/schema.ts';
import { formatDate, formatSession } from '../time/format.ts';
import { copyRows } from './copy.ts';
import type { Email } from './email.ts';
import { amendedNote, amendedSubject, composeEmail, withheldNote, type EmailBody } from './layout.ts';
import type { Submission } from './submission.ts';
import { ACCESS_LINK, calendarFile } from './webinar-calendar.ts';

/**
 * How to withdraw: the personal cancel link when there is one (src/webinar/cancel-token.ts), else
 * a reply to the email. Confirmations, the waiting list's and a moved-up person's, all say it.
 */
export function cancelParagraph(cancelLink: string | undefined): string {
  return cancelLink
    ? `Falls Sie nicht teilnehmen können, melden Sie sich bitte über diesen Link ab – so wird Ihr Platz für andere frei:\n${cancelLink}`
    : 'Wenn Sie nicht teilnehmen können, antworten Sie einfach auf diese E-Mail.';
}

/** Every field with its label and the session in words: all of them for the team, `copy` for the person. */
function rowsOf(data: Webinar, session: WebinarSession, copy = false) {
  return (copy ? copyRows : summaryRows)(webinarFields(sessionOptions([session])), data);
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
function waitingListEmail(
  submission: Submission<Webinar>,
  session: WebinarSession,
  waiting: string,
  cancelLink: string | undefined,
): Email {
  const { data, reference } = submission;
  const subject = amendedSubject(
    submission,
    `${waiting}: KommA-Webinar am ${formatDate(session.start)} – ${reference}`,
  );
  const body: EmailBody = {
    intro: [
      `Guten Tag ${data.name},`,
      'vielen Dank für Ihr Interesse an der Online-Informationsveranstaltung des Modellprojekts „Kommunale Allianzen und Strategien gegen Rassismus und Hass“ (KommA).',
      ...amendedNote(submission),
      `Der Termin am ${formatSession(session)} ist leider ausgebucht. Wir haben Sie auf die Warteliste gesetzt: ${waiting}.\nIhre Vorgangsnummer: ${reference}`,
      'Wie es weitergeht: Wird ein Platz frei, schicken wir Ihnen eine Bestätigung mit dem Termin für Ihren Kalender und vor dem Webinar den Zugangslink. Bis dahin ist Ihr Platz nicht gesichert.',
      cancelLink
        ? `Falls Sie nicht mehr teilnehmen möchten, melden Sie sich bitte über diesen Link von der Warteliste ab:\n${cancelLink}`
        : 'Wenn Sie nicht mehr teilnehmen möchten, antworten Sie einfach auf diese E-Mail.',
      'Das haben Sie uns geschickt:',
    ],
    rows: rowsOf(data, session, true),
    outro: ['Mit freundlichen Grüßen\nIhr KommA-Team am IMAP-Institut'],
  };
  return composeEmail({ to: data.email, replyTo: submission.teamInbox, subject, body });
}

/**
 * What comes next for someone with a place: the access link itself when reminders are due already
 * (the last reminder run before the start may have passed), else the promise of it.
 */
export function accessParagraph(accessLink: string | undefined): string {
  return accessLink
    ? `Ihr Zugangslink:\n${accessLink}\nBitte geben Sie den Link nicht weiter: Er gilt für angemeldete Teilnehmende. Den Termin für Ihren Kalender finden Sie im Anhang dieser E-Mail.`
    : `Wie es weitergeht: ${ACCESS_LINK} Den Termin für Ihren Kalender finden Sie im Anhang dieser E-Mail.`;
}

function confirmationEmail(
  submission: Submission<Webinar>,
  session: WebinarSession,
  cancelLink: string | undefined,
  accessLink: string | undefined,
): Email {
  const waiting = waitingList(submission);
  if (waiting) return waitingListEmail(submission, session, waiting, cancelLink);
  const { data, reference } = submission;
  const subject = amendedSubject(
    submission,
    `Ihre Anmeldung zum KommA-Webinar am ${formatDate(session.start)} – ${reference}`,
  );
  const body: EmailBody = {
    intro: [
      `Guten Tag ${data.name},`,
      'vielen Dank für Ihre Anmeldung zur Online-Informationsveranstaltung des Modellprojekts „Kommunale Allianzen und Strategien gegen Rassismus und Hass“ (KommA).',
      ...amendedNote(submission),
      `Ihr Termin: ${formatSession(session)}\nIhre Vorgangsnummer: ${reference}`,
      accessParagraph(accessLink),
      cancelParagraph(cancelLink),
      'Das haben Sie uns geschickt:',
    ],
    rows: rowsOf(data, session, true),
    outro: ['Mit freundlichen Grüßen\nIhr KommA-Team am IMAP-Institut'],
  };
  return composeEmail({
    to: data.email,
    replyTo: submission.teamInbox,
    subject,
    body,
    attachments: [
      calendarFile(
        { reference: submission.reference, stamp: submission.receivedAt, teamInbox: submission.teamInbox },
        session,
      ),
    ],
  });
}

/**
 * Both emails of a registration for `session`, the session its data name; `cancelLink`: its
 * personal link; `accessLink`: the session's access link, for a place given when reminders are due.
 */
export function webinarEmails(
  submission: Submission<Webinar>,
  session: WebinarSession,
  cancelLink?: string,
  accessLink?: string,
): { team: Email; confirmation: Email } {
  return {
    team: teamEmail(submission, session),
    confirmation: confirmationEmail(submission, session, cancelLink, accessLink),
  };
}
