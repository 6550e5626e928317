import { createHash } from 'node:crypto';
import type { Env } from '../env.ts';
import type { WebinarSession } from '../settings/schema.ts';
import { berlinDay } from '../time/format.ts';

/** WEBINAR_LINK_2027_01_31 for the session "2027-01-31": where its access link is set. */
export function linkVariable(sessionId: string): string {
  return `WEBINAR_LINK_${sessionId.replace(/-/g, '_').toUpperCase()}`;
}

/** The calendar day before a Berlin day: "2027-01-30" for "2027-01-31". */
export function dayBefore(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Reminders are due from the Berlin day before the session until it starts: a person who
 * registers on the day itself still gets the link.
 */
export function remindersDue(session: WebinarSession, now: Date): boolean {
  return berlinDay(now) >= dayBefore(berlinDay(session.start)) && now < session.start;
}

/** The session's access link from the environment, if it is a web address; never logged. */
export function accessLink(env: Env, sessionId: string): string | undefined {
  const value = env[linkVariable(sessionId)]?.trim();
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The access link for someone who gets a place at `now`, when reminders are already due: the
 * last reminder run before the start may have passed, so the confirmation carries the link itself.
 */
export function accessLinkNow(env: Env, session: WebinarSession, now: Date): string | undefined {
  return remindersDue(session, now) ? accessLink(env, session.id) : undefined;
}

/** The outbox key of one registration's reminder: one per registration, however often the runs come. */
export const reminderKey = (sessionId: string, registrationKey: string) =>
  `reminder-${createHash('sha256').update(`${sessionId}\n${registrationKey}`).digest('hex')}`;
