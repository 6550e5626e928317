import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingEmail } from '../../src/mail/email.ts';
import { rateLimitOf, resendTransport, retryAfterMs } from '../../src/mail/resend.ts';
import { attachmentText, startResendStub, type ResendStub } from '../helpers/resend-stub.ts';

let resend: ResendStub;
beforeAll(async () => {
  resend = await startResendStub();
});
afterAll(() => resend.close());
beforeEach(() => resend.reset());

const email = (text: string): OutgoingEmail => ({
  from: 'KommA <komma@example.org>',
  to: 'team@example.org',
  replyTo: 'kim@example.org',
  subject: 'Bewerbung KommA: Musterstadt (Bayern) – B-TEST-0001',
  text,
  html: `<p>${text}</p>`,
});

const transport = () => resendTransport({ apiKey: 're_test', baseUrl: resend.url });
const options = (idempotencyKey: string) => ({ idempotencyKey, label: 'B-TEST-0001-team', timeoutMs: 2000 });

describe('the Resend transport (real SDK, local stub)', () => {
  it('sends the email as given, with its sender, attachments and idempotency key', async () => {
    const withCsv: OutgoingEmail = {
      ...email('Eingegangen am 20. März 2030'),
      attachments: [{ filename: 'bewerbung-B-TEST-0001.csv', contentType: 'text/csv; charset=utf-8', content: '"ä"' }],
    };
    expect(await transport().send(withCsv, options('komma-bewerbung-abc-team'))).toEqual({
      ok: true,
      id: expect.stringMatching(/^stub-\d+$/),
    });
    const [request] = resend.requests;
    expect(request!.headers['idempotency-key']).toBe('komma-bewerbung-abc-team');
    const { attachments, ...body } = request!.body;
    expect(body).toEqual({
      from: 'KommA <komma@example.org>',
      to: 'team@example.org',
      reply_to: 'kim@example.org',
      subject: 'Bewerbung KommA: Musterstadt (Bayern) – B-TEST-0001',
      text: 'Eingegangen am 20. März 2030',
      html: '<p>Eingegangen am 20. März 2030</p>',
    });
    expect(attachments).toHaveLength(1);
    expect(attachments![0]).toMatchObject({
      filename: 'bewerbung-B-TEST-0001.csv',
      content_type: 'text/csv; charset=utf-8',
    });
    expect(attachmentText(attachments![0]!)).toBe('"ä"');
  });

  it('delivers a repeated email with the same key only once', async () => {
    const send = () => transport().send(email('Eingegangen am 20. März 2030'), options('komma-bewerbung-abc-team'));
    const first = await send();
    expect(first).toEqual({ ok: true, id: expect.stringMatching(/^stub-\d+$/) });
    expect(await send()).toEqual(first);
    expect(resend.delivered).toHaveLength(1);
  });

  it('reports a reused key with a different email as the provider names it', async () => {
    await transport().send(email('eins'), options('komma-bewerbung-def-team'));
    expect(await transport().send(email('zwei'), options('komma-bewerbung-def-team'))).toEqual({
      ok: false,
      status: 409,
      name: 'invalid_idempotent_request',
      timedOut: false,
    });
  });

  it('reports a server error as a failure value after one call, without retrying', async () => {
    resend.plan({ status: 500 });
    expect(await transport().send(email('x'), options('k1'))).toEqual({
      ok: false,
      status: 500,
      name: 'internal_server_error',
      timedOut: false,
    });
    expect(resend.requests).toHaveLength(1);
  });

  it('reports a rate limit with the Retry-After it was given, after one call, without waiting', async () => {
    resend.plan({ status: 429, retryAfter: 30 });
    const started = performance.now();
    expect(await transport().send(email('x'), options('k2'))).toEqual({
      ok: false,
      status: 429,
      name: 'rate_limit_exceeded',
      timedOut: false,
      retryAfterMs: 30_000,
    });
    expect(resend.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('passes on the provider’s rate limit headers with a failure', async () => {
    resend.plan({
      status: 429,
      name: 'daily_quota_exceeded',
      headers: { 'retry-after': '3600', 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
    });
    expect(await transport().send(email('x'), options('k3'))).toEqual({
      ok: false,
      status: 429,
      name: 'daily_quota_exceeded',
      timedOut: false,
      retryAfterMs: 3_600_000,
      rateLimit: { limit: 2, remaining: 0, resetMs: 1000 },
    });
  });

  it('reports a refused address as a failure value with its status and name', async () => {
    resend.plan({ status: 422, name: 'validation_error' });
    expect(await transport().send(email('x'), options('k4'))).toEqual({
      ok: false,
      status: 422,
      name: 'validation_error',
      timedOut: false,
    });
  });

  it('stops waiting for an answer after its timeout, and says that it timed out', async () => {
    resend.plan({ hang: true });
    // A fraction of a millisecond, as a budget minus elapsed time gives: AbortSignal.timeout needs whole ones.
    const result = await transport().send(email('x'), { ...options('k5'), timeoutMs: 300.5 });
    // No answer: the email may have left all the same, which the verdict must not deny.
    expect(result).toMatchObject({ ok: false, status: null, timedOut: true });
    expect(resend.requests).toHaveLength(1);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2030-03-20T09:00:00Z');

  it('reads delta-seconds', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('0', now)).toBe(0);
  });

  it('reads an HTTP date as the time until then, and a date already past as no wait', () => {
    expect(retryAfterMs('Wed, 20 Mar 2030 09:01:30 GMT', now)).toBe(90_000);
    expect(retryAfterMs('Wed, 20 Mar 2030 08:00:00 GMT', now)).toBe(0);
  });

  it.each([undefined, '', '   ', 'bald', '-5', '1.5.2030'])('takes %j as no Retry-After', (value) => {
    expect(retryAfterMs(value, now)).toBeUndefined();
  });
});

describe('rateLimitOf', () => {
  it('reads limit, remaining and the reset in seconds', () => {
    expect(rateLimitOf({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '1' })).toEqual({
      limit: 2,
      remaining: 1,
      resetMs: 1000,
    });
  });

  it('keeps the headers it can read and leaves out the others', () => {
    expect(rateLimitOf({ 'ratelimit-limit': '10', 'ratelimit-remaining': 'viele' })).toEqual({ limit: 10 });
  });

  it('is undefined without headers or without any rate limit header', () => {
    expect(rateLimitOf(null)).toBeUndefined();
    expect(rateLimitOf({ 'content-type': 'application/json' })).toBeUndefined();
    expect(rateLimitOf({ 'ratelimit-limit': '', 'ratelimit-reset': '-1' })).toBeUndefined();
  });
});
