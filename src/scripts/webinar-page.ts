import { upcomingSessions } from '../forms/sessions.ts';
import { webinarFields, webinarSchema } from '../forms/webinar.ts';
import { enhanceForm } from './enhance-form.ts';
import { pageNow } from './page-clock.ts';

const registration = document.querySelector<HTMLElement>('[data-registration]');
const form = document.querySelector<HTMLFormElement>('form[data-form]');

/**
 * The page may have been built long before it is read: sessions that have started since are
 * withdrawn, and with none left the page says so instead of showing the form. The server still
 * decides; this only spares people choosing a session they cannot register for.
 */
function offeredSessions(within: HTMLFormElement): HTMLInputElement[] {
  const radios = [...within.querySelectorAll<HTMLInputElement>('input[name="session"]')];
  const sessions = radios.map((radio) => ({ radio, start: new Date(radio.dataset['sessionStart']!) }));
  const offered = upcomingSessions(sessions, pageNow()).map((session) => session.radio);
  for (const radio of radios) if (!offered.includes(radio)) radio.closest('.choice')!.remove();
  // The error summary links to #session: the first session left takes over that id.
  const [first] = offered;
  if (first && first.id !== 'session') {
    first.labels?.[0]?.setAttribute('for', 'session');
    first.id = 'session';
  }
  return offered;
}

if (registration && form) {
  const offered = offeredSessions(form);
  if (offered.length === 0) {
    registration.hidden = true;
    document.querySelector<HTMLElement>('[data-no-sessions]')!.hidden = false;
  } else {
    // The same form as on the server, over the sessions this page still offers.
    const options = offered.map((radio) => ({
      value: radio.value,
      label: radio.labels?.[0]?.textContent ?? radio.value,
    }));
    enhanceForm({ form, fields: webinarFields(options), schema: webinarSchema(options.map((option) => option.value)) });
    markFullSessions(offered);
  }
}

/**
 * Sessions with a capacity may be full by now, which the static page cannot know: ask the server
 * and say so beside each full one. Registering stays possible (onto the waiting list), and the
 * server's answer says the place in any case, so a failed request changes nothing.
 */
function markFullSessions(offered: HTMLInputElement[]) {
  if (!offered.some((radio) => radio.dataset['capacity'])) return;
  fetch('/api/webinar/plaetze', { headers: { accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : { full: [] }))
    .then(({ full }: { full?: unknown }) => {
      for (const radio of offered) {
        if (!Array.isArray(full) || !full.includes(radio.value)) continue;
        const note = document.createElement('strong');
        note.textContent = ' – ausgebucht – Anmeldung auf die Warteliste';
        radio.labels?.[0]?.append(note);
      }
    })
    .catch(() => {});
}
