import { beforeEach, describe, expect, it } from 'vitest';
import { drain } from '../../src/delivery/drain.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import { dayBefore, linkVariable, queueReminders, remindersDue } from '../../src/webinar/reminders.ts';
import { admit } from '../../src/webinar/roster.ts';
import { testSettingsFile } from '../fixtures/settings.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';

/** The test settings, with two places in the winter session (Tuesday 12 March 2030, 14:00–15:00). */
const settings = parseSettings({
  ...testSettingsFile,
  webinars: [{ ...testSettingsFile.webinars[0], capacity: 2 }, testSettingsFile.webinars[1]],
});
const [winter] = settings.webinars as [WebinarSession, WebinarSession];
const LINK = 'https://konferenz.komma-test.example/raum/winter-2030?pwd=geheim';
const VARIABLE = 'WEBINAR_LINK_WINTER_2030';
const mail = { from: 'KommA <komma@komma-test.example>', teamInbox: 'postfach@komma-test.example' };

/** Instants around the winter session, Berlin time. */
const at = {
  twoDaysBefore: new Date('2030-03-10T23:59:59+01:00'),
  dayBeforeMorning: new Date('2030-03-11T00:00:00+01:00'),
  dayBeforeEvening: new Date('2030-03-11T20:00:00+01:00'),
  sessionStarts: winter.start,
};

const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
let errors: string[];

beforeEach(async () => {
  ({ resend, blobs, errors } = parts);
  // Three registrations for two places: the third waits, and gets no access link.
  for (const n of [1, 2, 3]) {
    const person = { key: `webinar-${n}`, reference: `W-0000-000${n}`, name: `Person ${n}`, email: `p${n}@x.de` };
    await admit(blobs.store, winter, person, new Date('2030-03-05T09:00:00+01:00'));
  }
});

const run = (now: Date, env: Record<string, string> = { [VARIABLE]: LINK }) =>
  queueReminders({ store: blobs.store, env, sessions: settings.webinars, mail, now });
const send = (now: Date) =>
  drain({
    store: blobs.store,
    transport: resendTransport({ apiKey: 're_test', baseUrl: resend.url }),
    team: { to: mail.teamInbox, from: mail.from },
    now,
    clock: () => 0,
    sleep: async () => {},
  });

describe('webinar reminders', () => {
  it('name the variable of each session’s access link', () => {
    expect(linkVariable('2030-03-12')).toBe('WEBINAR_LINK_2030_03_12');
    expect(linkVariable('winter-2030')).toBe(VARIABLE);
    expect(dayBefore('2030-03-01')).toBe('2030-02-28');
  });

  it('are due from the Berlin day before the session until it starts', () => {
    expect(remindersDue(winter, at.twoDaysBefore)).toBe(false);
    expect(remindersDue(winter, at.dayBeforeMorning)).toBe(true);
    expect(remindersDue(winter, new Date(winter.start.getTime() - 1))).toBe(true);
    expect(remindersDue(winter, at.sessionStarts)).toBe(false);
  });

  it('go to each confirmed registrant once, with the link from the environment, however often the function runs', async () => {
    expect(await run(at.twoDaysBefore)).toEqual({ sessions: 0, queued: 0, missingLinks: [] });
    expect(await run(at.dayBeforeMorning)).toEqual({ sessions: 1, queued: 2, missingLinks: [] });
    // Again, several at once, before and after the drain has sent them.
    const again = await Promise.all([run(at.dayBeforeMorning), run(at.dayBeforeMorning)]);
    expect(again.map((report) => report.queued)).toEqual([0, 0]);
    expect(await send(at.dayBeforeMorning)).toMatchObject({ accepted: 2, completed: 2 });
    expect((await run(at.dayBeforeEvening)).queued).toBe(0);
    expect(await send(at.dayBeforeEvening)).toMatchObject({ accepted: 0 });

    expect(resend.delivered.map((request) => request.body.to).sort()).toEqual(['p1@x.de', 'p2@x.de']);
    const [reminder] = resend.delivered.map((request) => request.body);
    expect(reminder!.subject).toBe('Erinnerung: KommA-Webinar am Dienstag, 12. März 2030, 14:00–15:00 Uhr');
    expect(reminder!.text).toContain(`Ihr Zugangslink:\n${LINK}`);
    expect(reminder!.reply_to).toBe(mail.teamInbox);
    expect(resend.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      expect.stringMatching(/^komma-reminder-[0-9a-f]{64}-reminder$/),
      expect.stringMatching(/^komma-reminder-[0-9a-f]{64}-reminder$/),
    ]);
  });

  it('without the access link send nothing and raise an alert naming the variable, never a link', async () => {
    const report = await run(at.dayBeforeMorning, {});
    expect(report).toEqual({ sessions: 1, queued: 0, missingLinks: [VARIABLE] });
    expect(await send(at.dayBeforeMorning)).toMatchObject({ due: 0, accepted: 0 });
    expect(resend.requests).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!)).toMatchObject({
      level: 'error',
      form: 'webinar-reminder',
      outcome: 'configuration-alert',
      session: 'winter-2030',
      missing: VARIABLE,
    });
    // A value that is not a web address counts as missing, and is not repeated in the log.
    await run(at.dayBeforeMorning, { [VARIABLE]: 'geheim ohne Adresse' });
    expect(errors.join('\n')).not.toContain('geheim');
    expect(resend.requests).toHaveLength(0);
  });
});
