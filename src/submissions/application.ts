import { applicationFields, applicationSchema, type Application } from '../forms/application.ts';
import { windowState } from '../forms/window.ts';
import { applicationEmails } from '../mail/application.ts';
import { settings } from '../settings/index.ts';
import { formatWindow } from '../time/format.ts';
import type { FormSpec } from './form-spec.ts';

const WINDOW = formatWindow(settings.applicationWindow);

/** The application form on the server: the shared definition plus the window rule and its emails. */
export const applicationForm: FormSpec<Application> = {
  id: 'bewerbung',
  referencePrefix: 'B',
  fields: applicationFields,
  schema: applicationSchema,
  formPath: '/bewerbung/',
  thanksPath: '/bewerbung/danke/',
  failureTitle: 'Ihre Bewerbung konnte nicht gesendet werden',
  check(_application, now) {
    const state = windowState(settings.applicationWindow, now);
    if (state === 'before') {
      return {
        status: 403,
        message: `Die Bewerbungsfrist hat noch nicht begonnen. Bewerbungen sind ${WINDOW} möglich.`,
      };
    }
    if (state === 'closed') {
      return {
        status: 403,
        message: `Die Bewerbungsfrist ist abgelaufen. Bewerbungen waren ${WINDOW} möglich. Bei Fragen schreiben Sie an ${settings.teamInbox}.`,
      };
    }
    return undefined;
  },
  emails: applicationEmails,
};
