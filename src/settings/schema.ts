import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { unknownFields } from './issues.ts';
import { berlinDay } from '../time/format.ts';
import { isCalendarDay, readBerlinTime, type MinuteMeans } from './berlin-time.ts';

// zod/mini as a namespace: the functions load this schema, and their bundle size is their cold-start
// time. Classic zod was ~440 KB of each function's ~650 KB bundle, and `import { z }` makes esbuild
// (Netlify's bundler) keep all of zod, every locale included, mini or not; `import * as z` lets it
// drop what is unused (https://github.com/colinhacks/zod/issues/6597). Classic zod registers its
// English messages by itself, mini does not: registered here, so that a missing field still reads
// "Invalid input: expected object, received undefined", as before.
z.config(en());

/** For confirmationsPerDay, whether it is not a number at all or not a whole one. */
const wholeNumberMessage = 'Eine ganze Zahl angeben, z. B. 200.';

/**
 * A time as editors write it (src/settings/berlin-time.ts): Berlin wall clock to the minute,
 * "2027-01-31 14:00", or an instant with Berlin's offset, "2027-01-31T14:00:00+01:00".
 */
const berlinTime = (minute: MinuteMeans) =>
  z.pipe(
    z.string('Datum und Uhrzeit in Anführungszeichen angeben, z. B. "2026-12-28 00:00".'),
    z.transform((value: string, context) => {
      const reading = readBerlinTime(value, minute);
      if ('instant' in reading) return reading.instant;
      context.issues.push({ code: 'custom', message: reading.problem, input: value });
      return z.NEVER;
    }),
  );

const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** A Berlin calendar day, e.g. "2027-06-30". A malformed value has its message from the shape check. */
const plainDate = z.string('Ein Datum angeben, z. B. "2027-06-30".').check(
  z.regex(DAY_SHAPE, 'Ein Datum in der Form JJJJ-MM-TT angeben, z. B. "2027-06-30".'),
  z.refine((value) => !DAY_SHAPE.test(value) || isCalendarDay(value), {
    message: 'Dieses Datum gibt es im Kalender nicht.',
  }),
);

const webinarSession = z
  .strictObject(
    {
      id: z
        .string()
        .check(z.regex(/^[a-z0-9-]+$/, 'Nur Kleinbuchstaben, Ziffern und Bindestriche, z. B. "2027-01-31".')),
      start: berlinTime('start'),
      /** "15:00" ends the session at 15:00. */
      end: berlinTime('start'),
      /** Places in the session; beyond them, registrations go on the waiting list. None: unlimited. */
      capacity: z.optional(
        z.number(wholeNumberMessage).check(z.int(wholeNumberMessage), z.positive('Mindestens 1 angeben.')),
      ),
    },
    unknownFields,
  )
  .check(
    z.refine((session) => session.end > session.start, {
      message: 'Das Ende muss nach dem Beginn liegen.',
      path: ['end'],
    }),
  );

export const settingsSchema = z
  .strictObject(
    {
      applicationWindow: z
        .strictObject(
          /** `closes` is the last second that still counts: "2027-02-28 23:59" counts to 23:59:59. */
          { opens: berlinTime('start'), closes: berlinTime('last second') },
          unknownFields,
        )
        .check(
          z.refine((window) => window.closes > window.opens, {
            message: 'Das Ende der Bewerbungsfrist muss nach ihrem Beginn liegen.',
            path: ['closes'],
          }),
        ),
      webinars: z.array(webinarSession).check(
        z.refine((sessions) => new Set(sessions.map((s) => s.id)).size === sessions.length, {
          message: 'Jede Webinar-ID darf nur einmal vorkommen.',
        }),
      ),
      teamInbox: z.email('Eine gültige E-Mail-Adresse angeben.'),
      projectLeads: z
        .array(z.string().check(z.trim(), z.minLength(1)))
        .check(z.minLength(1, 'Mindestens eine Projektleitung angeben.')),
      /** At most this many confirmation emails per Berlin day in all (abuse guard, see docs/delivery.md). */
      confirmationsPerDay: z._default(
        z.number(wholeNumberMessage).check(z.int(wholeNumberMessage), z.positive('Mindestens 1 angeben.')),
        200,
      ),
      /**
       * Applications are kept for the team's daily overview until the end of this Berlin day, then
       * deleted (src/selection/). Required: the privacy page states it, so there is no silent default.
       */
      retainApplicationsUntil: plainDate,
      /** Bounds of the overview's size classes (inhabitants); each bound opens the class above it. */
      sizeClasses: z._default(
        z
          .array(z.number(wholeNumberMessage).check(z.int(wholeNumberMessage), z.positive('Mindestens 1 angeben.')))
          .check(
            z.minLength(1, 'Mindestens eine Grenze angeben, z. B. [20000, 100000].'),
            z.refine((bounds) => bounds.every((bound, index) => index === 0 || bound > bounds[index - 1]!), {
              message: 'Die Grenzen aufsteigend angeben, jede größer als die vorige, z. B. [20000, 100000].',
            }),
          ),
        [20_000, 100_000],
      ),
    },
    unknownFields,
  )
  .check(
    // The last overview goes out the morning after the window closes: the applications must still be there.
    z.refine((settings) => settings.retainApplicationsUntil > berlinDay(settings.applicationWindow.closes), {
      message:
        'Das Datum muss nach dem letzten Tag der Bewerbungsfrist liegen: Am Tag danach geht die letzte Auswahlübersicht an das Team.',
      path: ['retainApplicationsUntil'],
      // Only on settings that passed every other check: a broken date has its own message first.
      when: (payload) => payload.issues.length === 0,
    }),
  );

export type Settings = z.output<typeof settingsSchema>;
export type WebinarSession = Settings['webinars'][number];
