/**
 * Instants derived from the real content/settings.json, for tests of the built site and its
 * functions, which serve the real content. Editors move these dates every round: nothing here
 * names a date, so the tests follow them.
 */
import { settings } from '../../src/settings/index.ts';

const HOUR = 3_600_000;
const { opens, closes } = settings.applicationWindow;
const byStart = [...settings.webinars].sort((a, b) => a.start.getTime() - b.start.getTime());
if (byStart.length < 2) throw new Error('Tests of the real content need at least two webinar sessions.');
const [first, second] = byStart as [(typeof byStart)[number], (typeof byStart)[number]];

/** The application window of the content, and instants around its edges. */
export const contentWindow = {
  opens,
  closes,
  justBefore: new Date(opens.getTime() - 1),
  /** Well inside: a day after it opens (or its middle, for a short window). */
  inside: new Date(Math.min(opens.getTime() + 24 * HOUR, (opens.getTime() + closes.getTime()) / 2)),
  /** The last millisecond of the last second that still counts. */
  lastSecond: new Date(closes.getTime() + 999),
  closed: new Date(closes.getTime() + 1000),
} as const;

/** The content's first two sessions by start, and an instant after the first started, before the second. */
export const contentSessions = {
  past: first,
  ahead: second,
  between: new Date(Math.min(first.start.getTime() + HOUR, (first.start.getTime() + second.start.getTime()) / 2)),
  all: byStart,
} as const;

/** ISO form for KOMMA_NOW. */
export const iso = (instant: Date): string => instant.toISOString();
