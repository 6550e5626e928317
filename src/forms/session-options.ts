/**
 * Sessions as the registration form lists them, for the page at build time and the function. Not
 * for the browser: the labels need the date formatters, and the page already holds them.
 */
import type { WebinarSession } from '../settings/schema.ts';
import { formatSession } from '../time/format.ts';
import type { Option } from './fields.ts';

/**
 * The id is the value, „Dienstag, 16. Februar 2027, 11:00–12:00 Uhr" the label, and
 * data-session-start tells the page script when the option expires.
 */
export function sessionOptions(sessions: readonly WebinarSession[]): Option[] {
  return sessions.map((session) => ({
    value: session.id,
    label: formatSession(session),
    data: {
      'data-session-start': session.start.toISOString(),
      // Only a session with a capacity can be full: the page script asks for those alone.
      ...(session.capacity !== undefined && { 'data-capacity': String(session.capacity) }),
    },
  }));
}
