import type { Email, OutgoingEmail } from './email.ts';
import { composeEmail } from './layout.ts';
import { formatDateTime } from '../time/format.ts';

/**
 * Tells the team that a confirmation could not be delivered (the provider refused the address),
 * so someone can reach the sender another way. It goes to the same inbox, from the same sender,
 * as the submission's team email, and names the reference, not the person.
 */
export function confirmationFailedNotice(team: OutgoingEmail, reference: string, reason: string): OutgoingEmail {
  const email = composeEmail({
    to: team.to,
    replyTo: team.to,
    subject: `Bestätigung nicht zugestellt – ${reference}`,
    body: {
      intro: [
        `Die Bestätigung zu Vorgang ${reference} konnte nicht zugestellt werden. Der E-Mail-Dienst hat sie abgelehnt (${reason}).`,
        'Die Angaben selbst haben Sie mit der E-Mail zu diesem Vorgang erhalten. Bitte prüfen Sie die E-Mail-Adresse darin und nehmen Sie gegebenenfalls auf anderem Weg Kontakt auf.',
      ],
      rows: [],
    },
  });
  return { ...email, from: team.from };
}

/**
 * Tells the team that the emails of a message were given up after failing for 72 hours (the
 * technical failure of src/delivery/record.ts). It names the reference and when it came in, never
 * the person: the team finds the rest under that reference, or asks the person to send again.
 */
export function technicalFailureNotice(
  team: { readonly to: string; readonly from: string },
  reference: string,
  receivedAt: string,
): OutgoingEmail {
  const email = composeEmail({
    to: team.to,
    replyTo: team.to,
    subject: `Zustellung abgebrochen – ${reference}`,
    body: {
      intro: [
        `Die E-Mails zu Vorgang ${reference} (eingegangen am ${formatDateTime(new Date(receivedAt))}) konnten 72 Stunden lang nicht zugestellt werden. Die Website versucht es nicht weiter und hat die gespeicherten Angaben gelöscht.`,
        'Falls Sie zu diesem Vorgang keine E-Mail erhalten haben, fehlen Ihnen die Angaben. Bitte prüfen Sie die Einstellungen des E-Mail-Versands und bitten Sie die Person, die Angaben noch einmal zu senden, sobald sie sich bei Ihnen meldet.',
      ],
      rows: [],
    },
  });
  return { ...email, from: team.from };
}

/** What the provider reported about an email to a person that did not reach them (Resend's webhook events). */
export type Undeliverable = 'bounced' | 'complained' | 'failed';

const UNDELIVERABLE_COPY: Readonly<Record<Undeliverable, { subject: string; sentence: string; next: string }>> = {
  bounced: {
    subject: 'nicht zustellbar',
    sentence: 'wurde vom empfangenden Mailserver abgewiesen',
    next: 'Bitte prüfen Sie die Adresse in der E-Mail zu diesem Vorgang und nehmen Sie gegebenenfalls auf anderem Weg Kontakt auf.',
  },
  failed: {
    subject: 'nicht zustellbar',
    sentence: 'konnte vom E-Mail-Dienst nicht versandt werden',
    next: 'Bitte prüfen Sie die Adresse in der E-Mail zu diesem Vorgang und nehmen Sie gegebenenfalls auf anderem Weg Kontakt auf.',
  },
  complained: {
    subject: 'als Spam gemeldet',
    sentence: 'kam an, wurde dort aber als Spam gemeldet',
    next: 'Der E-Mail-Dienst schickt an diese Adresse vorerst nichts mehr. Bitte nehmen Sie bei Bedarf auf anderem Weg Kontakt auf.',
  },
};

/**
 * Tells the team that an email to a person did not arrive after all (a bounce, a failure, a spam
 * report that Resend's webhook reported): „Bestätigung an … nicht zustellbar". The team may read
 * the address, as it has it anyway in the submission's email; logs never name it.
 */
export function undeliverableNotice(
  teamInbox: string,
  report: {
    readonly reference: string;
    /** „Bestätigung", „Erinnerung". */
    readonly what: string;
    readonly kind: Undeliverable;
    readonly to: readonly string[];
    /** The provider's own words, when it gave any. */
    readonly detail?: string | undefined;
  },
): Email {
  const copy = UNDELIVERABLE_COPY[report.kind];
  const address = report.to.length > 0 ? report.to.join(', ') : 'die angegebene Adresse';
  return composeEmail({
    to: teamInbox,
    replyTo: teamInbox,
    subject: `${report.what} an ${address} ${copy.subject} – ${report.reference}`,
    body: {
      intro: [
        `Die ${report.what} zu Vorgang ${report.reference} an ${address} ${copy.sentence}.`,
        ...(report.detail ? [`Angabe des E-Mail-Dienstes: ${report.detail}`] : []),
        copy.next,
      ],
      rows: [],
    },
  });
}
