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
  it('counts a resend of the same submission at a later time as already sent, not as a failure', async () => {
    const transport = resendTransport({ apiKey: 're_test', from: 'KommA <komma@example.org>', baseUrl: resend.url });
    const options = { idempotencyKey: 'komma-bewerbung-team-abc', label: 'B-TEST-0001-team' };
    expect(await transport.send(email('Eingegangen am 10. Januar 2027, 10:00 Uhr'), options)).toEqual({
      ok: true,
      id: 'stub-1',
    });
    expect(await transport.send(email('Eingegangen am 10. Januar 2027, 10:05 Uhr'), options)).toEqual({
      ok: true,
      id: 'already-sent',
    });
    expect(resend.delivered).toHaveLength(1);
  });

  it('reports a server error as a failure the caller must handle', async () => {
    resend.plan({ status: 500 });
    const transport = resendTransport({ apiKey: 're_test', from: 'KommA <komma@example.org>', baseUrl: resend.url });
    const result = await transport.send(email('x'), { idempotencyKey: 'k', label: 'l' });
    expect(result).toEqual({ ok: false, reason: 'resend 500: internal_server_error' });
  });

  it('stops waiting for an answer after its timeout', async () => {
    resend.plan({ hang: true });
    const transport = resendTransport({
      apiKey: 're_test',
      from: 'KommA <komma@example.org>',
      baseUrl: resend.url,
      timeoutMs: 300,
      budgetMs: 400,
    });
    const result = await transport.send(email('x'), { idempotencyKey: 'k2', label: 'l' });
    expect(result).toEqual({ ok: false, reason: 'resend no response: application_error' });
  });
});
