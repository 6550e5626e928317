import type { WebinarSession } from '../settings/schema.ts';
import type { Attachment } from './email.ts';
import { calendarText, parameter, text, utcDateTime } from './icalendar.ts';

export const WEBINAR_TITLE = 'Online-Informationsveranstaltung KommA';
export const ACCESS_LINK = 'Den Zugangslink schicken wir Ihnen vor dem Webinar per E-Mail.';

/** What names a registration's calendar entry: its reference is the entry's UID. */
export interface CalendarOf {
  readonly reference: string;
  /** When the entry was made (DTSTAMP). */
  readonly stamp: Date;
  readonly teamInbox: string;
}

/**
 * The session as a calendar entry. METHOD:PUBLISH, so calendars offer to add it rather than to
 * answer an invitation; times in UTC, which every calendar converts to its own zone; and a UID
 * from the reference, so the same registration sent twice updates one entry instead of adding two.
 * `cancelled`: METHOD:CANCEL, STATUS:CANCELLED with the same UID and a higher SEQUENCE than the
 * confirmation's (0), which calendars read as "remove this entry" (RFC 5546, 3.2.5).
 */
export function calendarFile(of: CalendarOf, session: WebinarSession, { cancelled = false } = {}): Attachment {
  const method = cancelled ? 'CANCEL' : 'PUBLISH';
  const description = cancelled
    ? `Ihre Anmeldung ist storniert.\nIhre Vorgangsnummer: ${of.reference}`
    : `${ACCESS_LINK}\nIhre Vorgangsnummer: ${of.reference}`;
  const content = calendarText([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//IMAP Institut//KommA Website//DE',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${of.reference}@komma.imap-institut.de`,
    `SEQUENCE:${cancelled ? 1 : 0}`,
    `DTSTAMP:${utcDateTime(of.stamp)}`,
    `DTSTART:${utcDateTime(session.start)}`,
    `DTEND:${utcDateTime(session.end)}`,
    `SUMMARY:${text(WEBINAR_TITLE)}`,
    `LOCATION:${text('Online (Zugangslink folgt per E-Mail)')}`,
    `DESCRIPTION:${text(description)}`,
    `ORGANIZER;CN=${parameter('KommA-Team, IMAP-Institut')}:mailto:${of.teamInbox}`,
    ...(cancelled ? ['STATUS:CANCELLED'] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
  return {
    filename: `komma-webinar-${session.id}${cancelled ? '-storniert' : ''}.ics`,
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content,
  };
}
