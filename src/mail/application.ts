import { applicationFields, type Application } from '../forms/application.ts';
import { isActive, optionLabel } from '../forms/fields.ts';
import { displayValue, summaryRows } from '../forms/summary.ts';
import type { Settings } from '../settings/schema.ts';
import { formatDate } from '../time/format.ts';
import { copyRows } from './copy.ts';
import { csvFile } from './csv.ts';
import type { Email } from './email.ts';
import { amendedNote, amendedSubject, composeEmail, withheldNote, type EmailBody } from './layout.ts';
import type { Submission } from './submission.ts';

const stateField = applicationFields.find((field) => field.name === 'state')!;

/** The CSV columns of an application: the single team email's file and the overview's share them. */
export const applicationCsvHeader: readonly string[] = [
  'Vorgangsnummer',
  'Eingegangen',
  ...applicationFields.map((field) => field.label),
];

/** One application as a CSV row: every field in form order, also those that did not apply, so rows line up. */
export function applicationCsvRow(submission: Pick<Submission<Application>, 'data' | 'reference' | 'receivedAt'>) {
  const { data } = submission;
  const all = applicationFields.map((field) => (isActive(field, data) ? displayValue(field, data[field.name]) : ''));
  return [submission.reference, formatDate(submission.receivedAt), ...all];
}

function teamEmail(submission: Submission<Application>): Email {
  const { data, reference } = submission;
  const anonymous = data.publication === 'anonymous';
  const subject = `${anonymous ? 'ANONYME TEILNAHME – ' : ''}Bewerbung KommA: ${data.municipality} (${optionLabel(stateField, data.state)}) – ${reference}`;
  const body: EmailBody = {
    intro: [
      ...(anonymous
        ? [
            `ACHTUNG: Die Kommune wünscht eine komplett anonyme Teilnahme.${data.anonymityReason ? `\nBegründung: ${data.anonymityReason}` : ''}`,
          ]
        : []),
      `Neue Bewerbung über das Formular auf der Website, eingegangen am ${formatDate(submission.receivedAt)}.`,
      `Vorgangsnummer: ${reference}\nAntworten auf diese E-Mail gehen an ${data.contactName} <${data.email}>.`,
      ...withheldNote(submission),
    ],
    rows: summaryRows(applicationFields, data),
    outro: ['Die Angaben liegen dieser E-Mail auch als CSV-Datei bei.'],
  };
  return composeEmail({
    to: submission.teamInbox,
    replyTo: data.email,
    subject,
    body,
    attachments: [
      {
        filename: `bewerbung-${reference}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: csvFile(applicationCsvHeader, [applicationCsvRow(submission)]),
      },
    ],
  });
}

function confirmationEmail(submission: Submission<Application>, settings: Settings): Email {
  const { data, reference } = submission;
  const subject = amendedSubject(submission, `Ihre Bewerbung für das Modellprojekt KommA – ${reference}`);
  const closes = formatDate(settings.applicationWindow.closes);
  const body: EmailBody = {
    intro: [
      `Guten Tag ${data.contactName},`,
      ...amendedNote(submission),
      `vielen Dank für die Bewerbung von ${data.municipality} für das Modellprojekt „Kommunale Allianzen und Strategien gegen Rassismus und Hass“ (KommA). Ihre Bewerbung ist am ${formatDate(submission.receivedAt)} bei uns eingegangen.`,
      `Ihre Vorgangsnummer: ${reference}`,
      'Das haben Sie uns geschickt:',
    ],
    rows: copyRows(applicationFields, data),
    outro: [
      `Wie es weitergeht: Die Bewerbungsfrist endet am ${closes}. Danach wählen wir die Modellkommunen aus und melden uns bei Ihnen.`,
      `Wenn sich Angaben ändern: Antworten Sie einfach auf diese E-Mail oder schreiben Sie an ${submission.teamInbox}, gern mit Ihrer Vorgangsnummer. Wir schauen dann gemeinsam, inwieweit sich die Bewerbung inhaltlich verändert.`,
      'Mit freundlichen Grüßen\nIhr KommA-Team am IMAP Institut',
    ],
  };
  return composeEmail({ to: data.email, replyTo: submission.teamInbox, subject, body });
}

export function applicationEmails(
  submission: Submission<Application>,
  settings: Settings,
): { team: Email; confirmation: Email } {
  return { team: teamEmail(submission), confirmation: confirmationEmail(submission, settings) };
}
