import type { OutgoingEmail } from './email.ts';
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
