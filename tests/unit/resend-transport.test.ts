import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Email } from '../../src/mail/email.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { startResendStub, type ResendStub } from '../helpers/resend-stub.ts';

let resend: ResendStub;
beforeAll(async () => {
  resend = await startResendStub();
});
afterAll(() => resend.close());
beforeEach(() => resend.reset());

const email = (text: string): Email => ({
  to: 'team@example.org',
  replyTo: 'kim@example.org',
  subject: 'Bewerbung KommA: Musterstadt (Bayern) – B-TEST-0001',
  text,
  html: `<p>${text}</p>`,
});

describe('the Resend transport (real SDK, local stub)', () => {
  it('delivers a repeated email with the same key only once', async () => {
    const transport = resendTransport({ apiKey: 're_test', from: 'KommA <komma@example.org>', baseUrl: resend.url });
    const options = { idempotencyKey: 'komma-bewerbung-team-abc', label: 'B-TEST-0001-team' };
    expect(await transport.send(email('Eingegangen am 10. Januar 2027'), options)).toEqual({ ok: true, id: 'stub-1' });
    expect(await transport.send(email('Eingegangen am 10. Januar 2027'), options)).toEqual({ ok: true, id: 'stub-1' });
    expect(resend.delivered).toHaveLength(1);
  });

  it('does not count a reused key with a different email as sent', async () => {
    const transport = resendTransport({ apiKey: 're_test', from: 'KommA <komma@example.org>', baseUrl: resend.url });
    const options = { idempotencyKey: 'komma-bewerbung-team-def', label: 'B-TEST-0002-team' };
    await transport.send(email('eins'), options);
    expect(await transport.send(email('zwei'), options)).toEqual({
      ok: false,
      reason: 'resend 409: invalid_idempotent_request',
      maybeDelivered: false,
    });
  });

  it('reports a server error as a failure the caller must handle', async () => {
    resend.plan({ status: 500 });
    const transport = resendTransport({ apiKey: 're_test', from: 'KommA <komma@example.org>', baseUrl: resend.url });
    const result = await transport.send(email('x'), { idempotencyKey: 'k', label: 'l' });
    expect(result).toEqual({ ok: false, reason: 'resend 500: internal_server_error', maybeDelivered: false });
  });

  it('stops waiting for an answer after its timeout, and says the email may have gone out', async () => {
    resend.plan({ hang: true });
    const transport = resendTransport({
      apiKey: 're_test',
      from: 'KommA <komma@example.org>',
      baseUrl: resend.url,
      timeoutMs: 300,
      budgetMs: 400,
    });
    const result = await transport.send(email('x'), { idempotencyKey: 'k2', label: 'l' });
    // No answer: the email may have left all the same, which the form must not deny.
    expect(result).toEqual({ ok: false, reason: 'resend timeout: application_error', maybeDelivered: true });
  });
});
