import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/time/format.ts';
import { linkVariable } from '../../src/webinar/reminders.ts';
import { validRegistration as validFixture } from '../fixtures/webinar.ts';
import { contentSessions, iso } from '../helpers/content-dates.ts';
import { pinnedBuild, type PinnedBuild } from '../helpers/pinned-build.ts';
import { postJson } from '../helpers/post.ts';
import { fresh, startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';

/**
 * The real content has no capacity: this file builds a copy of the project whose session still
 * ahead has two places, as an editor would set it, and serves it with its functions in
 * @netlify/dev (Blobs emulated). The many-at-once case with more registrations lives in
 * tests/unit/webinar-capacity.test.ts, where each request does not bundle a function afresh.
 */
const CAPACITY = 2;
const AT_ONCE = 5;
const session = contentSessions.ahead;
const HOUR = 3_600_000;
const LINK = 'https://konferenz.example/raum/komma?pwd=nur-fuer-angemeldete';

let build: PinnedBuild;
let running: SiteWithResend;

beforeAll(async () => {
  build = await pinnedBuild(contentSessions.between, {
    settings: (file) => ({
      ...file,
      webinars: file.webinars.map((entry) => (entry.id === session.id ? { ...entry, capacity: CAPACITY } : entry)),
    }),
  });
  running = await startSiteWithResend(
    iso(contentSessions.between),
    { [linkVariable(session.id)]: LINK },
    { cwd: build.dir },
  );
}, 120_000);
afterAll(async () => {
  await running?.stop();
  await build?.remove();
});

describe('a webinar session with a capacity, served by the functions', () => {
  it('confirms exactly its capacity of concurrent registrations for the last places, says the session is full, reminds those confirmed once and forgets them the day after', async () => {
    const origin = running.site.origin;
    const places = async () => (await fetch(`${origin}/api/webinar/plaetze`)).json();
    expect(await places()).toEqual({ full: [] });

    const registrations = Array.from({ length: AT_ONCE }, () => fresh({ ...validFixture, session: session.id }));
    const answers = await Promise.all(
      registrations.map(async (registration) => {
        const response = await postJson(`${origin}/api/webinar`, registration);
        return { status: response.status, body: await response.json(), email: registration.email };
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(AT_ONCE).fill(200));
    expect(answers.filter((answer) => answer.body.waitingList === undefined)).toHaveLength(CAPACITY);
    const waiting = answers.map((answer) => answer.body.waitingList).filter(Boolean);
    expect(waiting.sort()).toEqual([1, 2, 3]);

    // Each waiting person's confirmation says the place and has no calendar file; the others have one.
    const day = formatDate(session.start);
    for (const answer of answers) {
      const confirmation = running.resend.delivered.find((request) => request.body.to === answer.email)!.body;
      if (answer.body.waitingList) {
        expect(confirmation.subject).toBe(
          `Warteliste, Platz ${answer.body.waitingList}: KommA-Webinar am ${day} – ${answer.body.reference}`,
        );
        expect(confirmation.attachments ?? []).toEqual([]);
      } else {
        expect(confirmation.subject).toBe(`Ihre Anmeldung zum KommA-Webinar am ${day} – ${answer.body.reference}`);
        expect(confirmation.attachments).toHaveLength(1);
      }
    }
    expect(await places()).toEqual({ full: [session.id] });

    // From the day before the session, the scheduled reminders: each confirmed person once, with
    // the link from the environment, however often the function runs.
    await running.restartAt(iso(new Date(session.start.getTime() - 20 * HOUR)));
    running.resend.reset();
    const remind = async () => {
      const response = await fetch(`${running.site.origin}/.netlify/functions/webinar-reminders`, { method: 'POST' });
      return response.json();
    };
    expect(await remind()).toEqual({ sessions: 1, queued: CAPACITY, missingLinks: [] });
    expect(await remind()).toEqual({ sessions: 1, queued: 0, missingLinks: [] });
    expect(await running.drain()).toMatchObject({ accepted: CAPACITY });
    expect(await running.drain()).toMatchObject({ accepted: 0 });
    const reminded = running.resend.delivered.map((request) => request.body);
    const confirmed = answers.filter((answer) => !answer.body.waitingList).map((answer) => answer.email);
    expect(reminded.map((email) => email.to).sort()).toEqual(confirmed.sort());
    for (const email of reminded) expect(email.text).toContain(`Ihr Zugangslink:\n${LINK}`);
    expect(running.site.log()).not.toContain(LINK);

    // The day after the session, deliver-pending's housekeeping deletes the registrations: the
    // session's one roster document.
    await running.restartAt(iso(new Date(session.end.getTime() + 24 * HOUR)));
    await running.drain();
    expect(running.site.log()).toContain(`"registrationsDeleted":1`);
  }, 120_000);
});
