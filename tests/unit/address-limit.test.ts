import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { countedAddress } from '../../src/delivery/allowance.ts';
import { drain } from '../../src/delivery/drain.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/submissions/runtime.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { cancelRegistration } from '../../src/webinar/cancellation.ts';
import { linkVariable, queueReminders } from '../../src/webinar/reminders.ts';
import { registrations } from '../../src/webinar/roster.ts';
import { testSettingsFile } from '../fixtures/settings.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';

const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
beforeEach(() => ({ resend, blobs } = parts));

const mail = { from: 'KommA <komma@komma-test.example>', teamInbox: 'postfach@komma-test.example' };
const LINK = 'https://konferenz.komma-test.example/raum/winter-2030';
/** One stranger's mailbox, named eight ways: case and `+tag` do not make another address. */
const addresses = Array.from({ length: 8 }, (_, n) => (n % 2 ? `Fremd+${n}@Beispiel.DE` : `fremd+${n}@beispiel.de`));
const MAILBOX = 'fremd@beispiel.de';

/** Tuesday 5 March 2030 (registrations), Monday 11 and Tuesday 12 March (the reminders' days). */
const day = {
  registering: new Date('2030-03-05T09:00:00+01:00'),
  dayBefore: new Date('2030-03-11T09:00:00+01:00'),
  sessionMorning: new Date('2030-03-12T08:00:00+01:00'),
};

function setup(capacity?: number) {
  const settings = parseSettings({
    ...testSettingsFile,
    webinars: [{ ...testSettingsFile.webinars[0], ...(capacity && { capacity }) }, testSettingsFile.webinars[1]],
  });
  const [winter] = settings.webinars as [WebinarSession, WebinarSession];
  const env = { RESEND_API_KEY: 're_test', MAIL_FROM: mail.from, RESEND_BASE_URL: resend.url };

  async function register(email: string, now = day.registering) {
    const runtime: Runtime = { env, settings, now, store: () => blobs.store };
    const request = new Request('https://komma.example/api/webinar', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...validRegistration, session: winter.id, email, submissionId: randomUUID() }),
    });
    const response = await handleSubmission(request, webinarForm(settings), runtime);
    return response.json();
  }
  const remind = (now: Date) =>
    queueReminders({
      store: blobs.store,
      env: { [linkVariable(winter.id)]: LINK },
      sessions: settings.webinars,
      mail,
      now,
    });
  return { winter, register, remind };
}

const send = (now: Date) =>
  drain({
    store: blobs.store,
    transport: resendTransport({ apiKey: 're_test', baseUrl: resend.url }),
    team: { to: mail.teamInbox, from: mail.from },
    now,
    clock: () => 0,
    sleep: async () => {},
  });

/** Everything delivered to the mailbox, however the address was written. */
const toMailbox = () =>
  resend.delivered.map((request) => request.body).filter((body) => countedAddress(String(body.to)) === MAILBOX);

describe('the per-address limit', () => {
  it('counts an address without case and +tag', () => {
    expect(countedAddress('Fremd+1@Beispiel.DE')).toBe(MAILBOX);
    expect(countedAddress('fremd+werbung+2@beispiel.de')).toBe(MAILBOX);
    expect(countedAddress('+x@beispiel.de')).toBe('+x@beispiel.de');
  });

  it('gives one mailbox named by 8 registrations at most 3 emails a day, and at most 3 reminders in all', async () => {
    const { register, remind } = setup();
    for (const email of addresses) await register(email);
    await send(day.registering);
    expect(toMailbox()).toHaveLength(3);
    const team = resend.delivered.filter((request) => request.body.to === mail.teamInbox);
    expect(team).toHaveLength(8);
    expect(team.filter((request) => request.body.text?.includes('gingen heute bereits 3 E-Mails'))).toHaveLength(5);

    resend.reset();
    await remind(day.dayBefore);
    await send(day.dayBefore);
    await remind(day.sessionMorning);
    await send(day.sessionMorning);
    const reminders = toMailbox();
    expect(reminders.every((body) => body.subject?.startsWith('Erinnerung'))).toBe(true);
    expect(reminders).toHaveLength(3);
  });

  it('counts reminders toward the day: a fourth email that day waits for the next', async () => {
    const { register, remind } = setup();
    // Registered on the day before the session: three confirmations use up that day.
    for (const email of addresses.slice(0, 3)) await register(email, day.dayBefore);
    await remind(day.dayBefore);
    await send(day.dayBefore);
    expect(toMailbox().map((body) => body.subject?.startsWith('Erinnerung'))).toEqual([false, false, false]);
    resend.reset();
    await remind(day.sessionMorning);
    await send(day.sessionMorning);
    expect(toMailbox().map((body) => body.subject?.startsWith('Erinnerung'))).toEqual([true, true, true]);
  });

  it('counts cancellations and move-up notices, and tells the team why the person got none', async () => {
    const { winter, register } = setup(1);
    for (const email of addresses.slice(0, 3)) await register(email);
    const [first] = await registrations(blobs.store, winter);
    const cancelled = await cancelRegistration(
      { store: blobs.store, session: winter, mail, links: () => undefined, now: day.registering },
      { session: winter.id, key: first!.key },
    );
    expect(cancelled.kind).toBe('cancelled');
    await send(day.registering);
    expect(toMailbox()).toHaveLength(3);
    const notes = resend.delivered
      .map((request) => request.body)
      .filter((body) => body.to === mail.teamInbox && /^(Abmeldung|Nachgerückt)/.test(body.subject ?? ''));
    expect(notes).toHaveLength(2);
    for (const note of notes) {
      expect(note.text).toContain('Hinweis: Die E-Mail an die Person wurde nicht verschickt.');
    }
    expect(notes.find((note) => note.subject?.startsWith('Nachgerückt'))!.text).not.toContain('ist unterwegs');
  });
});
