/**
 * The webinar registration (/webinar/, POST /api/webinar): fields, schema and German messages.
 * The sessions are the settings' webinars, which the browser does not load (reading their dates
 * needs Temporal, too big for the page), so both are made from a list of sessions: the page and the function pass the settings',
 * the page script the session radios it finds in the page. One definition all the same.
 */
import * as z from 'zod/mini';
import type { Field, Option } from './fields.ts';
import { email, nameLine, optionalText } from './rules.ts';

const MAX = { line: 200, questions: 1000 } as const;

/** The fields in form order; `sessions` are the options of the first, one per session id. */
export function webinarFields(sessions: readonly Option[]) {
  return [
    { name: 'session', kind: 'radios', required: true, label: 'Termin', options: sessions },
    {
      name: 'name',
      kind: 'text',
      required: true,
      label: 'Vor- und Nachname',
      maxLength: MAX.line,
      autocomplete: 'name',
    },
    {
      name: 'email',
      kind: 'email',
      required: true,
      label: 'E-Mail-Adresse',
      hint: 'An diese Adresse schicken wir die Bestätigung und vor dem Webinar den Zugangslink.',
      autocomplete: 'email',
    },
    {
      name: 'organization',
      kind: 'text',
      required: true,
      label: 'Kommune oder Organisation',
      maxLength: MAX.line,
      autocomplete: 'organization',
    },
    {
      name: 'role',
      kind: 'text',
      required: false,
      label: 'Funktion (freiwillig)',
      maxLength: MAX.line,
      autocomplete: 'organization-title',
    },
    {
      name: 'questions',
      kind: 'textarea',
      required: false,
      label: 'Fragen oder Themen vorab (freiwillig)',
      maxLength: MAX.questions,
    },
  ] as const satisfies readonly Field[];
}

/** The schema; a session id outside `sessionIds` is refused like a missing one. */
export function webinarSchema(sessionIds: readonly string[]) {
  return z.object({
    session: z.enum(sessionIds, { error: 'Wählen Sie einen Termin aus.' }),
    name: nameLine('Geben Sie Ihren Vor- und Nachnamen an.', MAX.line, 'Der Name'),
    email: email(),
    organization: nameLine(
      'Geben Sie Ihre Kommune oder Organisation an.',
      MAX.line,
      'Die Angabe zur Kommune oder Organisation',
    ),
    role: z.optional(nameLine('Geben Sie Ihre Funktion als Text an.', MAX.line, 'Die Funktion')),
    questions: optionalText(MAX.questions),
  });
}

export type Webinar = z.output<ReturnType<typeof webinarSchema>>;
