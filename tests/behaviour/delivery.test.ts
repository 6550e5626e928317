import { describe, expect, it } from 'vitest';
import { berlinDay, berlinOffset } from '../../src/time/format.ts';
import { fingerprint } from '../../src/submissions/reference.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';
import { postJson } from '../helpers/post.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TEAM = testSettings.teamInbox;

const run = useHarness({ now: testWindow.inside, settings: testSettings });
const harness = () => run.harness;
const resend = () => run.harness.stub;
const api = (form = 'bewerbung') => run.url(`/api/${form}`);
const teamEmails = () => resend().delivered.filter((request) => request.body.to === TEAM);

/** 23:59:30 Berlin time on the window's day `inside`, so that a minute later is the next day. */
function beforeMidnight(): Date {
  const day = berlinDay(testWindow.inside);
  const guess = new Date(`${day}T23:59:30+01:00`);
  return new Date(`${day}T23:59:30${berlinOffset(guess)}`);
}

describe('one submission, one reference, whenever it is retried', () => {
  it('answers a retry after Berlin midnight with the same reference and sends nothing twice', async () => {
    harness().setNow(beforeMidnight());
    const application = fresh(validApplication);
    const first = await (await postJson(api(), application)).json();
    expect(first).toMatchObject({ ok: true, queued: false, confirmationSent: true });

    harness().setNow(new Date(beforeMidnight().getTime() + MINUTE));
    expect(berlinDay(new Date(beforeMidnight().getTime() + MINUTE))).not.toBe(berlinDay(beforeMidnight()));
    const again = await postJson(api(), application);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(resend().delivered).toHaveLength(2);
  });

  it('counts a team email as sent when Resend already holds its key with another body (a deploy changed the wording)', async () => {
    const application = fresh(validApplication);
    const hash = fingerprint('bewerbung', application.submissionId, {});
    resend().rememberKey(`komma-bewerbung-${hash}-team`);
    const response = await postJson(api(), application);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: false, confirmationSent: true });
    // Resend answered 409 invalid_idempotent_request for the team email: not sent again.
    expect(resend().requests[0]!.headers['idempotency-key']).toBe(`komma-bewerbung-${hash}-team`);
    expect(resend().delivered.map((request) => request.body.to)).toEqual([application.email]);
  });

  it('accepts the retry of an application that first arrived before the deadline, refuses a new one, and still delivers the queue', async () => {
    harness().setNow(testWindow.closes);
    resend().plan({ status: 500 }, 2);
    const late = fresh(validApplication);
    const other = fresh(validApplication);
    const first = await (await postJson(api(), late)).json();
    const second = await (await postJson(api(), other)).json();
    expect([first.queued, second.queued]).toEqual([true, true]);

    harness().setNow(new Date(testWindow.closed.getTime() + 10 * MINUTE));
    const retry = await postJson(api(), late);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ reference: first.reference, queued: false, confirmationSent: true });

    const latecomer = await postJson(api(), fresh(validApplication));
    expect(latecomer.status).toBe(403);
    expect((await latecomer.json()).message).toMatch(/Bewerbungsfrist ist abgelaufen/);

    const report = await harness().drain();
    expect(report).toMatchObject({ accepted: 2, completed: 1, queued: 0 });
    expect(teamEmails().map((request) => request.body.subject)).toEqual([
      expect.stringContaining(first.reference),
      expect.stringContaining(second.reference),
    ]);
  });
});

describe('the queue and the provider’s quota', () => {
  it('pauses the queue when the daily quota is used up, and delivers once it has reset', async () => {
    resend().plan({ status: 429, name: 'daily_quota_exceeded' }, 2);
    const body = await (await postJson(api(), fresh(validApplication))).json();
    expect(body).toMatchObject({ queued: true, confirmationSent: false });

    const paused = await harness().drain();
    expect(paused.pausedUntil).toBeDefined();
    expect(resend().requests).toHaveLength(2);

    // Paused: the next run asks Resend nothing.
    expect(await harness().drain()).toMatchObject({ queued: 1, pausedUntil: paused.pausedUntil });
    expect(resend().requests).toHaveLength(2);

    harness().setNow(new Date(testWindow.inside.getTime() + DAY));
    expect(await harness().drain()).toMatchObject({ accepted: 2, completed: 1, queued: 0 });
    expect(resend().delivered).toHaveLength(2);
  });
});

describe('no relay for strangers’ mailboxes', () => {
  // Applications, as one person holds one webinar place per session: a registration naming the
  // address again is the same registration, and sends nothing (tests/unit/address-limit.test.ts).
  it('sends all eight applications naming one address to the team, but at most three confirmations', async () => {
    const answers = [];
    for (let i = 1; i <= 8; i += 1) {
      const response = await postJson(api(), { ...fresh(validApplication), email: 'ziel@example.org' });
      expect(response.status).toBe(200);
      answers.push(await response.json());
    }
    expect(answers.map((answer) => answer.confirmationSent)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(answers[3].message).toMatch(
      /Ihre Bewerbung ist eingegangen\. An diese E-Mail-Adresse schicken wir heute keine weitere Bestätigung/,
    );
    expect(teamEmails()).toHaveLength(8);
    expect(resend().delivered.filter((request) => request.body.to === 'ziel@example.org')).toHaveLength(3);
    expect(teamEmails()[3]!.body.text).toContain(
      'Hinweis: Die Bestätigung an die angegebene Adresse wurde nicht verschickt. An diese Adresse gingen heute bereits 3 E-Mails von uns.',
    );
  });
});
