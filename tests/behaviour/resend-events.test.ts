import { getStore } from '@netlify/blobs';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { doneKey } from '../../src/delivery/keys.ts';
import type { Tombstone } from '../../src/delivery/record.ts';
import { sign, signingKey } from '../../src/webhooks/signature.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';
import { postJson } from '../helpers/post.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const TEAM = testSettings.teamInbox;
const DAY = 24 * 60 * 60_000;

const run = useHarness({
  now: testWindow.inside,
  settings: testSettings,
  env: { RESEND_WEBHOOK_SECRET: SECRET },
});
const resend = () => run.harness.stub;
const endpoint = () => run.url('/api/resend-events');
const notes = () =>
  resend().delivered.filter((request) => /nicht zustellbar|als Spam gemeldet/.test(request.body.subject));

interface Delivery {
  /** The svix-id: the same on each redelivery of one event. */
  readonly id: string;
  readonly body: string;
}

/** A Resend email event as its webhook carries it (https://resend.com/docs/webhooks/event-types). */
function emailEvent(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}): Delivery {
  const createdAt = run.harness.now.toISOString();
  const data = {
    created_at: createdAt,
    email_id: emailId,
    from: 'KommA <komma@example.org>',
    to: [to],
    subject: 'x',
    ...extra,
  };
  return { id: `msg_${randomUUID().replaceAll('-', '')}`, body: JSON.stringify({ type, created_at: createdAt, data }) };
}

/** Delivers `event` as Svix does: signed now (real time), or as `options` spoil it. */
function deliver(event: Delivery, options: { secret?: string; ageSeconds?: number } = {}): Promise<Response> {
  const timestamp = String(Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0));
  const signature = sign(signingKey(options.secret ?? SECRET)!, event.id, timestamp, event.body);
  return fetch(endpoint(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': event.id,
      'svix-timestamp': timestamp,
      'svix-signature': signature,
    },
    body: event.body,
  });
}

/** An application sent in the request: its reference and the ids Resend gave its two emails. */
async function sentApplication() {
  const application = fresh(validApplication);
  const answer = await (await postJson(run.url('/api/bewerbung'), application)).json();
  expect(answer).toMatchObject({ ok: true, confirmationSent: true });
  const idOf = (to: string) => resend().delivered.find((request) => request.body.to === to)!.id!;
  return {
    reference: answer.reference as string,
    address: application.email,
    confirmationId: idOf(application.email),
    teamId: idOf(TEAM),
  };
}

const bounce = { bounce: { type: 'Permanent', subType: 'General', message: 'Mailbox does not exist' } };

describe('a bounced confirmation', () => {
  it('reaches the team as exactly one note with the reference, however often the event comes', async () => {
    const sent = await sentApplication();
    const event = emailEvent('email.bounced', sent.confirmationId, sent.address, bounce);

    expect((await deliver(event)).status).toBe(200);
    await run.harness.drain();
    expect(notes()).toHaveLength(1);
    const note = notes()[0]!;
    expect(note.body.to).toBe(TEAM);
    expect(note.body.subject).toBe(`Bestätigung an ${sent.address} nicht zustellbar – ${sent.reference}`);
    expect(note.body.text).toContain('Mailbox does not exist');

    // Svix delivers again (same svix-id, new signature); another event of the same email comes too.
    expect(await (await deliver(event)).json()).toEqual({ duplicate: true });
    expect((await deliver(emailEvent('email.failed', sent.confirmationId, sent.address))).status).toBe(200);
    await run.harness.drain();
    expect(notes()).toHaveLength(1);
    expect(run.log()).not.toContain(sent.address);
  });

  it('is refused with 400 when wrongly signed, stale or unsigned, and nothing is sent', async () => {
    const sent = await sentApplication();
    const event = emailEvent('email.bounced', sent.confirmationId, sent.address, bounce);
    const before = resend().delivered.length;

    expect((await deliver(event, { secret: `whsec_${randomBytes(24).toString('base64')}` })).status).toBe(400);
    expect((await deliver(event, { ageSeconds: 6 * 60 })).status).toBe(400);
    const unsigned = await fetch(endpoint(), { method: 'POST', body: event.body });
    expect(unsigned.status).toBe(400);
    const tampered = { ...event, body: event.body.replace(sent.confirmationId, sent.teamId) };
    const forged = await fetch(endpoint(), {
      method: 'POST',
      headers: signedHeadersOf(event),
      body: tampered.body,
    });
    expect(forged.status).toBe(400);

    await run.harness.drain();
    expect(resend().delivered).toHaveLength(before);
    // None of them counts as seen: the genuine event still does its work.
    expect(await (await deliver(event)).json()).toEqual({ outcome: 'bounced' });
  });
});

describe('the markers of events handled', () => {
  it('are kept three days, so that Svix’s redeliveries over a day change nothing, and then go', async () => {
    const sent = await sentApplication();
    await deliver(emailEvent('email.delivered', sent.confirmationId, sent.address));
    const store = getStore({ name: run.harness.storeName, consistency: 'strong' });
    const markers = async () => (await store.list({ prefix: 'webhook-events/' })).blobs.length;
    expect(await markers()).toBe(1);

    run.harness.setNow(new Date(run.harness.now.getTime() + 3 * DAY));
    await run.harness.drain();
    expect(await markers()).toBe(1);
    run.harness.setNow(new Date(run.harness.now.getTime() + DAY));
    await run.harness.drain();
    expect(await markers()).toBe(0);
  });
});

describe('a store that fails', () => {
  it('answers 503, so that Svix delivers again, and the redelivery sends the note once', async () => {
    const sent = await sentApplication();
    const event = emailEvent('email.bounced', sent.confirmationId, sent.address, bounce);
    // Every attempt of the client (it retries 5 more times) at queueing the note fails.
    await run.harness.setStoreFaults({ rules: [{ method: 'PUT', keyPrefix: 'pending/undeliverable-' }] });
    expect((await deliver(event)).status).toBe(503);
    expect(run.log()).toContain('"outcome":"store-failed"');

    await run.harness.setStoreFaults({ rules: [] });
    expect(await (await deliver(event)).json()).toEqual({ outcome: 'bounced' });
    await run.harness.drain();
    expect(notes()).toHaveLength(1);
  });
});

/** The headers Svix would send for `event`, to put on another body. */
function signedHeadersOf(event: Delivery): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'svix-id': event.id,
    'svix-timestamp': timestamp,
    'svix-signature': sign(signingKey(SECRET)!, event.id, timestamp, event.body),
  };
}

describe('events of other emails', () => {
  it('raises a configuration alert in the log, without the address, when a team email bounces, and sends no note', async () => {
    const sent = await sentApplication();
    const response = await deliver(emailEvent('email.bounced', sent.teamId, TEAM, bounce));
    expect(response.status).toBe(200);
    await run.harness.drain();
    expect(notes()).toHaveLength(0);
    const alert = run.harness.logs.lines.find((line) => line.includes('"configuration-alert"'));
    expect(alert).toContain(sent.reference);
    expect(alert).not.toContain(TEAM);
  });

  it('records delivered on the tombstone, and a later delay does not undo it', async () => {
    const sent = await sentApplication();
    expect((await deliver(emailEvent('email.delivered', sent.confirmationId, sent.address))).status).toBe(200);
    expect((await deliver(emailEvent('email.delivery_delayed', sent.confirmationId, sent.address))).status).toBe(200);
    expect((await deliver(emailEvent('email.delivery_delayed', sent.teamId, TEAM))).status).toBe(200);

    const store = getStore({ name: run.harness.storeName, consistency: 'strong' });
    const keys = (await store.list({ prefix: doneKey('') })).blobs.map((blob) => blob.key);
    const tombstones = (await Promise.all(keys.map((key) => store.get(key, { type: 'json' })))) as Tombstone[];
    const tombstone = tombstones.find((candidate) => candidate.reference === sent.reference)!;
    expect(tombstone.deliveries).toEqual({ confirmation: 'delivered', team: 'delivery-delayed' });
    expect(JSON.stringify(tombstone)).not.toContain(sent.address);
  });

  it('acknowledges an email it does not know, and events it does not act on, without doing anything', async () => {
    expect(await (await deliver(emailEvent('email.bounced', 'not-ours', 'a@example.org', bounce))).json()).toEqual({
      outcome: 'unknown-email',
    });
    expect(await (await deliver(emailEvent('email.opened', 'not-ours', 'a@example.org'))).json()).toEqual({
      ignored: 'email.opened',
    });
    await run.harness.drain();
    expect(resend().delivered).toHaveLength(0);
  });
});

describe('requests that are not events', () => {
  it('answers other methods with 405, and a signed body that is not JSON, or not an email event, with 400', async () => {
    expect((await fetch(endpoint())).status).toBe(405);
    expect((await deliver({ id: 'msg_1', body: '{"type": "email.bounced", ' })).status).toBe(400);
    expect((await deliver({ id: 'msg_2', body: '{"type": "email.bounced", "data": {}}' })).status).toBe(400);
    expect((await deliver({ id: 'msg_3', body: '[]' })).status).toBe(400);
  });

  it('answers 503 with a configuration error in the log while RESEND_WEBHOOK_SECRET is missing', async () => {
    delete process.env['RESEND_WEBHOOK_SECRET'];
    try {
      const response = await deliver(emailEvent('email.bounced', 'x', 'a@example.org'));
      expect(response.status).toBe(503);
      expect(run.log()).toMatch(/"configuration-error".*"RESEND_WEBHOOK_SECRET"/);
    } finally {
      process.env['RESEND_WEBHOOK_SECRET'] = SECRET;
    }
  });
});
