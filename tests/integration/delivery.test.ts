import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { berlinDay, berlinOffset } from '../../src/time/format.ts';
import { fingerprint } from '../../src/submissions/reference.ts';
import { validApplication } from '../fixtures/applications.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { contentSessions, contentWindow, iso } from '../helpers/content-dates.ts';
import { postJson } from '../helpers/post.ts';
import { fresh, startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const started: SiteWithResend[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((running) => running.stop()));
});
async function siteAt(now: Date): Promise<SiteWithResend> {
  const running = await startSiteWithResend(iso(now));
  started.push(running);
  return running;
}
const api = (running: SiteWithResend, form = 'bewerbung') => `${running.site.origin}/api/${form}`;
const teamEmails = (running: SiteWithResend) =>
  running.resend.delivered.filter((request) => request.body.to === 'komma@imap-institut.de');

/** 23:59:30 Berlin time on the window's day `inside`, so that a minute later is the next day. */
function beforeMidnight(): Date {
  const day = berlinDay(contentWindow.inside);
  const guess = new Date(`${day}T23:59:30+01:00`);
  return new Date(`${day}T23:59:30${berlinOffset(guess)}`);
}

describe('one submission, one reference, whenever it is retried', () => {
  it('answers a retry after Berlin midnight with the same reference and sends nothing twice', async () => {
    const running = await siteAt(beforeMidnight());
    const application = fresh(validApplication);
    const first = await (await postJson(api(running), application)).json();
    expect(first).toMatchObject({ ok: true, queued: false, confirmationSent: true });

    await running.restartAt(iso(new Date(beforeMidnight().getTime() + MINUTE)));
    expect(berlinDay(new Date(beforeMidnight().getTime() + MINUTE))).not.toBe(berlinDay(beforeMidnight()));
    const again = await postJson(api(running), application);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(running.resend.delivered).toHaveLength(2);
  });

  it('counts a team email as sent when Resend already holds its key with another body (a deploy changed the wording)', async () => {
    const running = await siteAt(contentWindow.inside);
    const application = fresh(validApplication);
    const hash = fingerprint('bewerbung', application.submissionId, {});
    running.resend.rememberKey(`komma-bewerbung-${hash}-team`);
    const response = await postJson(api(running), application);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: false, confirmationSent: true });
    // Resend answered 409 invalid_idempotent_request for the team email: not sent again.
    expect(running.resend.requests[0]!.headers['idempotency-key']).toBe(`komma-bewerbung-${hash}-team`);
    expect(running.resend.delivered.map((request) => request.body.to)).toEqual([application.email]);
  });

  it('accepts the retry of an application that first arrived before the deadline, refuses a new one, and still delivers the queue', async () => {
    const running = await siteAt(contentWindow.closes);
    running.resend.plan({ status: 500 }, 2);
    const late = fresh(validApplication);
    const other = fresh(validApplication);
    const first = await (await postJson(api(running), late)).json();
    const second = await (await postJson(api(running), other)).json();
    expect([first.queued, second.queued]).toEqual([true, true]);

    await running.restartAt(iso(new Date(contentWindow.closed.getTime() + 10 * MINUTE)));
    const retry = await postJson(api(running), late);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ reference: first.reference, queued: false, confirmationSent: true });

    const latecomer = await postJson(api(running), fresh(validApplication));
    expect(latecomer.status).toBe(403);
    expect((await latecomer.json()).message).toMatch(/Bewerbungsfrist ist abgelaufen/);

    const report = await running.drain();
    expect(report).toMatchObject({ accepted: 2, completed: 1, queued: 0 });
    expect(teamEmails(running).map((request) => request.body.subject)).toEqual([
      expect.stringContaining(first.reference),
      expect.stringContaining(second.reference),
    ]);
  });
});

describe('the queue and the provider’s quota', () => {
  it('pauses the queue when the daily quota is used up, and delivers once it has reset', async () => {
    const running = await siteAt(contentWindow.inside);
    running.resend.plan({ status: 429, name: 'daily_quota_exceeded' }, 2);
    const body = await (await postJson(api(running), fresh(validApplication))).json();
    expect(body).toMatchObject({ queued: true, confirmationSent: false });

    const paused = await running.drain();
    expect(paused.pausedUntil).toBeDefined();
    expect(running.resend.requests).toHaveLength(2);

    // Paused: the next run asks Resend nothing.
    expect(await running.drain()).toMatchObject({ queued: 1, pausedUntil: paused.pausedUntil });
    expect(running.resend.requests).toHaveLength(2);

    await running.restartAt(iso(new Date(contentWindow.inside.getTime() + DAY)));
    expect(await running.drain()).toMatchObject({ accepted: 2, completed: 1, queued: 0 });
    expect(running.resend.delivered).toHaveLength(2);
  });
});

describe('no relay for strangers’ mailboxes', () => {
  it('sends all eight registrations naming one address to the team, but at most three confirmations', async () => {
    const running = await siteAt(contentSessions.between);
    const answers = [];
    for (let i = 1; i <= 8; i += 1) {
      const response = await postJson(api(running, 'webinar'), {
        ...validRegistration,
        session: contentSessions.ahead.id,
        name: `Person ${i}`,
        email: 'ziel@example.org',
        submissionId: randomUUID(),
      });
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
      /Ihre Anmeldung ist eingegangen\. An diese E-Mail-Adresse schicken wir heute keine weitere Bestätigung/,
    );
    expect(teamEmails(running)).toHaveLength(8);
    expect(running.resend.delivered.filter((request) => request.body.to === 'ziel@example.org')).toHaveLength(3);
    expect(teamEmails(running)[3]!.body.text).toContain(
      'Hinweis: Die Bestätigung an den Absender wurde nicht verschickt. An diese Adresse gingen heute bereits 3 Bestätigungen.',
    );
  });
});

describe('the review’s smaller defects', () => {
  it('refuses a body in another charset with 415 and sends nothing', async () => {
    const running = await siteAt(contentWindow.inside);
    const response = await fetch(api(running), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=ISO-8859-1', accept: 'application/json' },
      body: 'municipality=M%FCnchen',
    });
    expect(response.status).toBe(415);
    expect((await response.json()).message).toMatch(/UTF-8/);
    expect(running.resend.requests).toHaveLength(0);
  });

  it('accepts an internationalised domain and sends to its ASCII form', async () => {
    const running = await siteAt(contentWindow.inside);
    const response = await postJson(api(running), { ...fresh(validApplication), email: 'info@köln.de' });
    expect(response.status).toBe(200);
    const [team, confirmation] = running.resend.delivered.map((request) => request.body);
    expect(team!.reply_to).toBe('info@xn--kln-sna.de');
    expect(confirmation!.to).toBe('info@xn--kln-sna.de');
  });

  it('answers HTML to a client that refuses JSON (q=0), even for a JSON body', async () => {
    const running = await siteAt(contentWindow.inside);
    const response = await fetch(api(running), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json;q=0, text/html' },
      body: JSON.stringify({ ...validApplication, municipality: '' }),
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('Geben Sie den Namen der Kommune an.');
  });
});
