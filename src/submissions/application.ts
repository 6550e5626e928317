import { applicationFields, applicationSchema, type Application } from '../forms/application.ts';
import { windowState } from '../forms/window.ts';
import { applicationEmails } from '../mail/application.ts';
import { keptApplication, keptCopy } from '../selection/kept.ts';
import type { Settings } from '../settings/schema.ts';
import { formatWindow } from '../time/format.ts';
import type { FormSpec } from './form-spec.ts';

/** The application form on the server: the shared definition plus the window rule and its emails. */
export function applicationForm(settings: Settings): FormSpec<Application> {
  const window = formatWindow(settings.applicationWindow);
  return {
    id: 'bewerbung',
    referencePrefix: 'B',
    fields: applicationFields,
    schema: applicationSchema,
    formPath: '/bewerbung/',
    thanksPath: '/bewerbung/danke/',
    failureTitle: 'Ihre Bewerbung konnte nicht gesendet werden',
    receivedText: 'Ihre Bewerbung ist eingegangen.',
    check(_application, now, amending) {
      const state = windowState(settings.applicationWindow, now);
      if (state === 'before') {
        return {
          status: 403,
          message: `Die Bewerbungsfrist hat noch nicht begonnen. Bewerbungen sind ${window} möglich.`,
        };
      }
      if (state === 'closed' && amending) {
        return {
          status: 403,
          message: `Die Bewerbungsfrist ist abgelaufen: Ihre Änderung zu ${amending} können wir über das Formular nicht mehr annehmen. Es gilt die Fassung, die Sie zuvor geschickt haben. Bei Fragen schreiben Sie an ${settings.teamInbox}.`,
        };
      }
      if (state === 'closed') {
        return {
          status: 403,
          message: `Die Bewerbungsfrist ist abgelaufen. Bewerbungen waren ${window} möglich. Bei Fragen schreiben Sie an ${settings.teamInbox}.`,
        };
      }
      return undefined;
    },
    // An amendment keeps the first version's arrival: the overview's order and counts stay.
    keep: (data, { key, reference, now, revision, firstReceivedAt }) =>
      keptCopy({
        version: 1,
        key,
        reference,
        receivedAt: firstReceivedAt ?? now.toISOString(),
        data,
        ...(revision && { revision }),
      }),
    previous: async ({ key }, store) => {
      const kept = await keptApplication(store, key);
      return kept && { data: kept.data, receivedAt: kept.receivedAt };
    },
    recipient: (application) => application.email,
    emails: (submission) => applicationEmails(submission, settings),
  };
}
