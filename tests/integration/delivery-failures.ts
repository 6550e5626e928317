import { expect, it } from 'vitest';
import { postJson } from '../helpers/post.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';

/**
 * The delivery failure cases every form must pass, registered inside the caller's describe():
 * both forms share one pipeline, and these tests prove it for each endpoint.
 */
export function deliveryFailureTests(running: () => { api: string; resend: ResendStub }, submission: object): void {
  it('answers 503 "nothing was received" when Resend fails, and sends no confirmation', async () => {
    const { api, resend } = running();
    resend.plan({ status: 500 });
    const response = await postJson(api, submission);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('120');
    expect((await response.json()).message).toMatch(/bei uns ist nichts eingegangen.*in einigen Minuten/);
    expect(resend.requests).toHaveLength(1);
    expect(resend.delivered).toHaveLength(0);
  });

  it('waits as Retry-After says after a 429, then delivers both emails', async () => {
    const { api, resend } = running();
    resend.plan({ status: 429, retryAfter: 1 });
    const response = await postJson(api, submission);
    expect(response.status).toBe(200);
    expect(resend.requests).toHaveLength(3);
    expect(resend.delivered).toHaveLength(2);
  });

  it('gives up with 503 when Resend keeps answering 429', async () => {
    const { api, resend } = running();
    resend.plan({ status: 429, retryAfter: 1 }, 20);
    const response = await postJson(api, submission);
    expect(response.status).toBe(503);
    expect(resend.delivered).toHaveLength(0);
    expect(resend.requests.length).toBeGreaterThan(1);
  });

  it('gives up with 503 when Resend does not answer in time, without claiming nothing arrived', async () => {
    const { api, resend } = running();
    resend.plan({ hang: true });
    const response = await postJson(api, submission);
    expect(response.status).toBe(503);
    expect(resend.delivered).toHaveLength(0);
    // Nobody knows whether it left: no "nothing received", but a safe retry.
    expect((await response.json()).message).toMatch(
      /nicht bestätigen.*noch einmal ab.*doppelt erhalten wir sie dadurch nicht/,
    );
  });

  it('counts the submission as received when only the confirmation fails, and says so', async () => {
    const { api, resend } = running();
    resend.plan({ deliver: true });
    resend.plan({ status: 500 });
    const response = await postJson(api, submission);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.confirmationSent).toBe(false);
    expect(body.message).toMatch(/Bestätigung.*nicht verschickt.*trotzdem bei uns eingegangen/);
    expect(resend.delivered.map((request) => request.body.to)).toEqual(['komma@imap-institut.de']);
  });
}
