import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/parse.ts';
import { formatDate } from '../../src/time/format.ts';
import { linkVariable } from '../../src/webinar/reminders.ts';
import { testSessions, testSettingsFile } from '../fixtures/settings.ts';
import { validRegistration as validFixture } from '../fixtures/webinar.ts';
import { postJson } from '../helpers/post.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';

/**
 * The tests' settings with two places in the summer session (10 April 2030), as an editor would
 * set it, served by the functions on the in-process harness. The many-at-once case with more
 * registrations lives in tests/unit/webinar-capacity.test.ts.
 */
const CAPACITY = 2;
const AT_ONCE = 5;
const session = testSessions.summer;
const HOUR = 3_600_000;
const LINK = 'https://konferenz.example/raum/komma?pwd=nur-fuer-angemeldete';

const run = useHarness({
  now: testSessions.between,
  settings: parseSettings({
    ...testSettingsFile,
    webinars: testSettingsFile.webinars.map((entry) =>
      entry.id === session.id ? { ...entry, capacity: CAPACITY } : { ...entry },
    ),
  }),
  env: { [linkVariable(session.id)]: LINK },
});

describe('a webinar session with a capacity, served by the functions', () => {
  it('confirms exactly its capacity of concurrent registrations for the last places, says the session is full, reminds those confirmed once and forgets them the day after', async () => {
    const origin = run.harness.origin;
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
      const confirmation = run.harness.stub.delivered.find((request) => request.body.to === answer.email)!.body;
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
    run.harness.setNow(new Date(session.start.getTime() - 20 * HOUR));
    run.harness.stub.reset();
    const remind = async () => {
      const response = await run.harness.invoke('webinar-reminders');
      return response.json();
    };
    expect(await remind()).toEqual({ sessions: 1, queued: CAPACITY, missingLinks: [] });
    expect(await remind()).toEqual({ sessions: 1, queued: 0, missingLinks: [] });
    expect(await run.harness.drain()).toMatchObject({ accepted: CAPACITY });
    expect(await run.harness.drain()).toMatchObject({ accepted: 0 });
    const reminded = run.harness.stub.delivered.map((request) => request.body);
    const confirmed = answers.filter((answer) => !answer.body.waitingList).map((answer) => answer.email);
    expect(reminded.map((email) => email.to).sort()).toEqual(confirmed.sort());
    for (const email of reminded) expect(email.text).toContain(`Ihr Zugangslink:\n${LINK}`);
    expect(run.log()).not.toContain(LINK);

    // The day after the session, deliver-pending's housekeeping deletes the registrations: the
    // session's one roster document.
    run.harness.setNow(new Date(session.end.getTime() + 24 * HOUR));
    await run.harness.drain();
    expect(run.log()).toContain(`"registrationsDeleted":1`);
  });
});
