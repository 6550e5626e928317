import { expect, it } from 'vitest';
import type { DrainReport } from '../../src/delivery/drain.ts';
import { postJson } from '../helpers/post.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { testSettings } from '../fixtures/settings.ts';

interface Running {
  readonly api: string;
  readonly resend: ResendStub;
  drain(): Promise<DrainReport>;
  /** The functions' log lines of this test. */
  log(): string;
}

const TEAM = testSettings.teamInbox;

/**
 * The delivery failure cases every form must pass, registered inside the caller's describe():
 * both forms share one pipeline and one queue, and these tests prove it for each endpoint.
 * `received` is the form's „Ihre … ist eingegangen."
 */
export function deliveryFailureTests(running: () => Running, submission: { email: string }, received: string): void {
  const delayed = `${received} Die Bestätigung per E-Mail kann sich etwas verzögern.`;
  // Every email of a submission names its reference in the text (not every subject does).
  const sentFor = (resend: ResendStub, reference: string) =>
    resend.delivered.filter((request) => request.body.text?.includes(reference));

  it('keeps the submission when Resend fails, answers "queued", and the drain sends both emails once', async () => {
    const { api, resend, drain } = running();
    resend.plan({ status: 500 });
    const sender = fresh(submission);
    const response = await postJson(api, sender);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      ok: true,
      reference: expect.stringMatching(/^[BW]-/),
      queued: true,
      confirmationSent: false,
      message: delayed,
    });
    expect(resend.requests).toHaveLength(1);
    expect(resend.delivered).toHaveLength(0);

    await drain();
    const sent = sentFor(resend, body.reference);
    expect(sent.map((request) => request.body.to)).toEqual([TEAM, sender.email]);
    // The drain repeats the request's idempotency key for the team email: Resend would dedupe it.
    expect(resend.requests[0]!.headers['idempotency-key']).toBe(sent[0]!.headers['idempotency-key']);

    const requestsBefore = resend.requests.length;
    await drain();
    expect(resend.requests.slice(requestsBefore).filter((r) => r.body.text?.includes(body.reference))).toEqual([]);
  });

  it('answers "queued" at once when Resend rate-limits, without waiting for Retry-After', async () => {
    const { api, resend } = running();
    resend.plan({ status: 429, retryAfter: 30 });
    const response = await postJson(api, fresh(submission));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: true, confirmationSent: false, message: delayed });
    expect(resend.requests).toHaveLength(1);
  });

  it('answers "queued" when Resend does not answer in time, and the drain sends it later', async () => {
    const { api, resend, drain } = running();
    resend.plan({ hang: true });
    const response = await postJson(api, fresh(submission));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ queued: true, confirmationSent: false });
    await drain();
    expect(sentFor(resend, body.reference)).toHaveLength(2);
  });

  it('counts the submission as received when only the confirmation fails, and sends it later', async () => {
    const { api, resend, drain } = running();
    resend.plan({ deliver: true });
    resend.plan({ status: 500 });
    const sender = fresh(submission);
    const response = await postJson(api, sender);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      ok: true,
      reference: body.reference,
      queued: false,
      confirmationSent: false,
      message: delayed,
    });
    expect(resend.delivered.map((request) => request.body.to)).toEqual([TEAM]);
    await drain();
    expect(sentFor(resend, body.reference).map((request) => request.body.to)).toEqual([TEAM, sender.email]);
  });

  it('keeps the submission queued and raises a configuration alert when Resend refuses the team email (403)', async () => {
    const { api, resend, drain, log } = running();
    resend.plan({ status: 403, name: 'invalid_access' }, 2);
    const response = await postJson(api, fresh(submission));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ queued: true, confirmationSent: false, message: delayed });
    expect(log()).toMatch(new RegExp(`"outcome":"configuration-alert","reference":"${body.reference}"`));
    const report = await drain();
    expect(report.queued).toBeGreaterThanOrEqual(1);
    expect(sentFor(resend, body.reference)).toEqual([]);
  });
}
