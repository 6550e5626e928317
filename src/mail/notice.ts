import type { OutgoingEmail } from './email.ts';
import { composeEmail } from './layout.ts';

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
