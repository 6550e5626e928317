import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { mailbox } from '../../src/forms/address.ts';
import { drain } from '../../src/delivery/drain.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { cancelRegistration } from '../../src/webinar/cancellation.ts';
import { linkVariable, queueReminders } from '../../src/webinar/reminders.ts';
import { registrations } from '../../src/webinar/roster.ts';
import { testSettingsFile } from '../fixtures/settings.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';
import { TEST_REQUEST_BUDGET_MS } from '../helpers/request-budget.ts';

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

/**
 * Eight sessions on Tuesday 12 March 2030, one an hour from 09:00: one person holds one place per
 * session (src/webinar/roster.ts), so one mailbox named eight times is eight registrations only
 * across eight sessions. `capacities`: places of the first sessions (unlimited when absent).
 */
function setup(capacities: readonly number[] = []) {
  const settings = parseSettings({
    ...testSettingsFile,
    webinars: Array.from({ length: 8 }, (_, n) => ({
      id: `winter-2030-${n + 1}`,
      start: `2030-03-12 ${String(9 + n).padStart(2, '0')}:00`,
      end: `2030-03-12 ${String(9 + n).padStart(2, '0')}:45`,
      ...(capacities[n] && { capacity: capacities[n] }),
    })),
  });
  const sessions = settings.webinars;
  const env = { RESEND_API_KEY: 're_test', MAIL_FROM: mail.from, RESEND_BASE_URL: resend.url };

  async function register(email: string, session: WebinarSession, now = day.registering) {
    const runtime: Runtime = { env, settings, now, store: () => blobs.store, requestBudgetMs: TEST_REQUEST_BUDGET_MS };
    const request = new Request('https://komma.example/api/webinar', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...validRegistration, session: session.id, email, submissionId: randomUUID() }),
    });
    const response = await handleSubmission(request, webinarForm(settings), runtime);
    return response.json();
  }
  const remind = (now: Date) =>
    queueReminders({
      store: blobs.store,
      env: Object.fromEntries(sessions.map((session) => [linkVariable(session.id), LINK])),
      sessions,
      mail,
      now,
    });
  const cancel = async (session: WebinarSession, email: string) => {
    const registration = (await registrations(blobs.store, session)).find((entry) => entry.email === email);
    return cancelRegistration(
      { store: blobs.store, session, mail, links: () => undefined, now: day.registering },
      { session: session.id, key: registration!.key },
    );
  };
  return { sessions, register, remind, cancel };
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
  resend.delivered.map((request) => request.body).filter((body) => mailbox(String(body.to)) === MAILBOX);

describe('the per-address limit', () => {
  it('counts an address without case and +tag', () => {
    expect(mailbox('Fremd+1@Beispiel.DE')).toBe(MAILBOX);
    expect(mailbox('fremd+werbung+2@beispiel.de')).toBe(MAILBOX);
    expect(mailbox('+x@beispiel.de')).toBe('+x@beispiel.de');
  });

  it('gives one mailbox named by 8 registrations at most 3 emails a day, and at most 3 reminders in all', async () => {
    const { sessions, register, remind } = setup();
    for (const [n, email] of addresses.entries()) await register(email, sessions[n]!);
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
    const { sessions, register, remind } = setup();
    // Registered on the day before the sessions: three confirmations use up that day.
    for (const [n, email] of addresses.slice(0, 3).entries()) await register(email, sessions[n]!, day.dayBefore);
    await remind(day.dayBefore);
    await send(day.dayBefore);
    expect(toMailbox().map((body) => body.subject?.startsWith('Erinnerung'))).toEqual([false, false, false]);
    resend.reset();
    await remind(day.sessionMorning);
    await send(day.sessionMorning);
    expect(toMailbox().map((body) => body.subject?.startsWith('Erinnerung'))).toEqual([true, true, true]);
  });

  it('counts cancellations and move-up notices, and tells the team why the person got none', async () => {
    const { sessions, register, cancel } = setup([1, 1]);
    const [first, second, third] = sessions as [WebinarSession, WebinarSession, WebinarSession];
    const other = 'andere@beispiel.de';
    await register(other, second);
    // Three emails to the mailbox: a place in the first session, the waiting list of the second, a place in the third.
    await register(addresses[0]!, first);
    await register(addresses[1]!, second);
    await register(addresses[2]!, third);
    expect((await cancel(first, addresses[0]!)).kind).toBe('cancelled');
    // The other person leaves the second session: the mailbox moves up there.
    expect((await cancel(second, other)).kind).toBe('cancelled');
    await send(day.registering);
    expect(toMailbox()).toHaveLength(3);
    const notes = resend.delivered
      .map((request) => request.body)
      .filter((body) => body.to === mail.teamInbox && /^(Abmeldung|Nachgerückt)/.test(body.subject ?? ''));
    const withheld = notes.filter((note) =>
      note.text?.includes('Hinweis: Die E-Mail an die Person wurde nicht verschickt.'),
    );
    expect(withheld.map((note) => note.subject?.split(' ')[0])).toEqual(['Abmeldung', 'Nachgerückt']);
    expect(withheld.find((note) => note.subject?.startsWith('Nachgerückt'))!.text).not.toContain('ist unterwegs');
    // The other person's cancellation went out: only the mailbox over its limit is spared.
    expect(
      resend.delivered.some(
        (request) =>
          request.body.to === other && (request.body.subject ?? '').startsWith('Ihre Anmeldung ist storniert'),
      ),
    ).toBe(true);
  });
});
