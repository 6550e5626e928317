import { escapeHtml } from '../mail/html.ts';
import type { Admission } from '../mail/submission.ts';
import type { WebinarSession } from '../settings/schema.ts';
import { renderPage } from '../submissions/error-page.ts';
import { formatSession } from '../time/format.ts';
import { CANCEL_PATH } from './cancel-token.ts';

/**
 * The pages of the cancel link, one per state. Each is a whole German page with one h1, works
 * without JavaScript and loads nothing; the functions answer with them (src/webinar/cancel.ts).
 */
export type CancelPage =
  | {
      readonly kind: 'confirm';
      readonly session: WebinarSession;
      readonly standing: Admission;
      readonly reference: string;
      readonly token: string;
    }
  | { readonly kind: 'cancelled' | 'already'; readonly session: WebinarSession; readonly reference: string }
  | { readonly kind: 'invalid' | 'unknown' | 'unavailable'; readonly teamInbox: string }
  | { readonly kind: 'over' }
  | { readonly kind: 'refused'; readonly message: string };

const WEBINAR_PAGE = '<p><a href="/webinar/">Zur Seite der Online-Informationsveranstaltungen</a></p>';

const standingText = (standing: Admission) =>
  standing.status === 'confirmed'
    ? 'Sie haben einen Platz.'
    : `Sie stehen auf der Warteliste, Platz ${standing.place}.`;

const when = (session: WebinarSession) => escapeHtml(formatSession(session));

/** Title and main content of each page. */
function content(page: CancelPage): { title: string; main: string } {
  switch (page.kind) {
    case 'confirm':
      return {
        title: 'Anmeldung stornieren',
        main: `<h1>Anmeldung stornieren</h1>
<p>Sie sind angemeldet für die Online-Informationsveranstaltung am <strong>${when(page.session)}</strong>. ${standingText(page.standing)}<br>Ihre Vorgangsnummer: ${escapeHtml(page.reference)}</p>
<p>Wenn Sie stornieren, geben Sie ${page.standing.status === 'confirmed' ? 'Ihren Platz' : 'Ihren Platz auf der Warteliste'} frei. Sie erhalten dann eine Bestätigung per E-Mail.</p>
<form method="post" action="${CANCEL_PATH}">
<input type="hidden" name="t" value="${escapeHtml(page.token)}">
<button type="submit" class="button">Anmeldung verbindlich stornieren</button>
</form>
<p><a href="/webinar/">Nicht stornieren – zurück zur Seite der Online-Informationsveranstaltungen</a></p>`,
      };
    case 'cancelled':
      return {
        title: 'Ihre Anmeldung ist storniert',
        main: `<div class="panel" role="status"><h1>Ihre Anmeldung ist storniert</h1>
<p>Ihre Anmeldung für die Online-Informationsveranstaltung am ${when(page.session)} ist storniert (Vorgangsnummer ${escapeHtml(page.reference)}).</p></div>
<p>In den nächsten Minuten erhalten Sie eine Bestätigung per E-Mail. Hatten Sie einen Platz, liegt ihr eine Datei bei, mit der Sie den Termin aus Ihrem Kalender entfernen.</p>
${WEBINAR_PAGE}`,
      };
    case 'already':
      return {
        title: 'Ihre Anmeldung ist bereits storniert',
        main: `<h1>Ihre Anmeldung ist bereits storniert</h1>
<p>Die Anmeldung für die Online-Informationsveranstaltung am ${when(page.session)} (Vorgangsnummer ${escapeHtml(page.reference)}) wurde schon storniert. Sie müssen nichts weiter tun.</p>
<p>Sie möchten doch teilnehmen? Melden Sie sich gern erneut an, solange der Termin nicht begonnen hat.</p>
${WEBINAR_PAGE}`,
      };
    case 'invalid':
      return {
        title: 'Dieser Link ist ungültig',
        main: `<h1>Dieser Link ist ungültig</h1>
<p>Dieser Link ist ungültig oder unvollständig. Bitte öffnen Sie den Link aus Ihrer Bestätigungs-E-Mail noch einmal, am besten durch Anklicken statt Abschreiben.</p>
<p>Klappt es weiterhin nicht, schreiben Sie an ${escapeHtml(page.teamInbox)}; wir stornieren Ihre Anmeldung dann für Sie.</p>
${WEBINAR_PAGE}`,
      };
    case 'unknown':
      return {
        title: 'Anmeldung nicht gefunden',
        main: `<h1>Anmeldung nicht gefunden</h1>
<p>Zu diesem Link finden wir keine Anmeldung. Bitte schreiben Sie an ${escapeHtml(page.teamInbox)}, wenn Sie Ihre Anmeldung stornieren möchten.</p>
${WEBINAR_PAGE}`,
      };
    case 'over':
      return {
        title: 'Dieser Termin ist vorbei',
        main: `<h1>Dieser Termin hat bereits begonnen oder ist vorbei</h1>
<p>Eine Abmeldung ist nicht mehr nötig. Ihre Anmeldedaten löschen wir am Tag nach dem Termin.</p>
${WEBINAR_PAGE}`,
      };
    case 'unavailable':
      return {
        title: 'Abmeldung im Moment nicht möglich',
        main: `<h1>Die Abmeldung ist im Moment nicht möglich</h1>
<p>Bitte versuchen Sie es in einigen Minuten noch einmal. Wenn es weiterhin nicht klappt, schreiben Sie an ${escapeHtml(page.teamInbox)}.</p>`,
      };
    case 'refused':
      return {
        title: 'Die Abmeldung wurde nicht ausgeführt',
        main: `<div class="error-summary" role="alert"><h1>Die Abmeldung wurde nicht ausgeführt</h1>
<p>${escapeHtml(page.message)}</p></div>
<p>Bitte öffnen Sie den Link aus Ihrer Bestätigungs-E-Mail noch einmal.</p>`,
      };
  }
}

export function renderCancelPage(page: CancelPage): string {
  const { title, main } = content(page);
  return renderPage(title, main);
}
