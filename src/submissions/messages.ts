import type { ConfirmationState } from '../delivery/record.ts';

/** What a person reads when nothing arrived: try again later, the input is still there. */
export const unavailable = (teamInbox: string) =>
  `Ihre Angaben konnten gerade nicht übermittelt werden – bei uns ist nichts eingegangen. Bitte versuchen Sie es in einigen Minuten noch einmal. Ihre Eingaben bleiben im Formular erhalten. Wenn es weiterhin nicht klappt, schreiben Sie an ${teamInbox}.`;

/** After a timeout nobody knows whether the team email left: say so, and that a retry is safe. */
export const unconfirmed = (teamInbox: string) =>
  `Wir konnten nicht bestätigen, dass Ihre Angaben bei uns eingegangen sind. Bitte senden Sie das Formular in einigen Minuten noch einmal ab – Ihre Eingaben bleiben erhalten, und doppelt erhalten wir sie dadurch nicht. Wenn es weiterhin nicht klappt, schreiben Sie an ${teamInbox}.`;

/** The note beside a received submission whose confirmation has not gone out (yet). */
export function confirmationNote(state: ConfirmationState, received: string, teamInbox: string): string | undefined {
  switch (state) {
    case 'sent':
      return undefined;
    case 'pending':
      return `${received} Die Bestätigung per E-Mail kann sich etwas verzögern.`;
    case 'withheld':
      return `${received} An diese E-Mail-Adresse schicken wir heute keine weitere Bestätigung, weil dort heute schon mehrere E-Mails von uns eingegangen sind. Bei Fragen schreiben Sie an ${teamInbox}.`;
    case 'unchecked':
      return `${received} Eine Bestätigung per E-Mail können wir Ihnen diesmal nicht schicken. Bei Fragen schreiben Sie an ${teamInbox}.`;
    case 'failed':
      return `${received} Die Bestätigung konnte nicht an Ihre E-Mail-Adresse zugestellt werden. Bitte prüfen Sie die Adresse; bei Fragen schreiben Sie an ${teamInbox}.`;
  }
}

/** The answer to a second registration of the same person for the same session: nothing new was sent. */
export const alreadyRegistered = (teamInbox: string) =>
  `Sie sind bereits angemeldet. Es gilt Ihre bisherige Anmeldung mit der Vorgangsnummer unten; eine weitere Bestätigung schicken wir Ihnen nicht. Bei Fragen schreiben Sie an ${teamInbox}.`;
