import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { drain } from '../../src/delivery/drain.ts';
import { pending } from '../../src/delivery/outbox.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';

const MINUTE = 60_000;
const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
beforeEach(() => ({ resend, blobs } = parts));

const env = { RESEND_API_KEY: 're_test', MAIL_FROM: 'KommA <komma@komma-test.example>' };
const transport = () => resendTransport({ apiKey: 're_test', baseUrl: resend.url });

/** The real pipeline, its emails to the stub, its store on a local Blobs server. */
async function submit(now: Date, change: Record<string, unknown> = {}, store = blobs.store) {
  const runtime: Runtime = {
    env: { ...env, RESEND_BASE_URL: resend.url },
    settings: testSettings,
    now,
    store: () => store,
  };
  const request = new Request('https://komma.example/api/bewerbung', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ ...validApplication, submissionId: randomUUID(), ...change }),
  });
  const response = await handleSubmission(request, applicationForm(testSettings), runtime);
  return response.json();
}

/** A fake monotonic clock that waiting moves forward: a 30-second backoff takes no time. */
function fakeTime() {
  let ms = 0;
  const waits: number[] = [];
  return {
    waits,
    clock: () => ms,
    sleep: async (wait: number) => {
      waits.push(wait);
      ms += wait;
    },
    advance: (wait: number) => (ms += wait),
  };
}

const run = (now: Date, time = fakeTime(), budgetMs?: number) =>
  drain({
    store: blobs.store,
    transport: transport(),
    team: { to: 'postfach@komma-test.example', from: env.MAIL_FROM },
    now,
    clock: time.clock,
    sleep: time.sleep,
    ...(budgetMs !== undefined && { budgetMs }),
  });

describe('the drain', () => {
  it('sends what the request could not, paced at two requests a second without rate-limit headers', async () => {
    resend.plan({ status: 500 }, 2);
    const [a, b] = [await submit(testWindow.inside), await submit(testWindow.inside)];
    expect([a.queued, b.queued]).toEqual([true, true]);
    resend.reset();

    const time = fakeTime();
    const report = await run(testWindow.inside, time);
    expect(report).toMatchObject({ due: 2, accepted: 4, completed: 2, queued: 0, stoppedEarly: false });
    expect(resend.delivered.map((request) => request.body.to)).toEqual([
      'postfach@komma-test.example',
      'kim.beispiel@musterstadt.de',
      'postfach@komma-test.example',
      'kim.beispiel@musterstadt.de',
    ]);
    expect(time.waits).toEqual([500, 500, 500]);
  });

  it('waits as Retry-After says after a 429 and sends the same email again, without counting a failure', async () => {
    resend.plan({ status: 500 });
    await submit(testWindow.inside);
    resend.reset();
    resend.plan({ status: 429, retryAfter: 3 });
    const time = fakeTime();
    const report = await run(testWindow.inside, time);
    expect(report).toMatchObject({ accepted: 2, completed: 1 });
    expect(time.waits[0]).toBe(3000);
    expect(resend.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      expect.stringMatching(/-team$/),
      expect.stringMatching(/-team$/),
      expect.stringMatching(/-confirmation$/),
    ]);
  });

  it('stops before its time budget and leaves the rest queued for the next run', async () => {
    resend.plan({ status: 500 }, 3);
    for (let i = 0; i < 3; i += 1) await submit(testWindow.inside);
    resend.reset();
    const report = await run(testWindow.inside, fakeTime(), 1200);
    expect(report.stoppedEarly).toBe(true);
    expect(report.accepted).toBe(3);
    expect(report.queued).toBe(2);
    expect(await run(testWindow.inside)).toMatchObject({ accepted: 3, queued: 0 });
  });

  it('backs off longer after each failed run, by the injected clock', async () => {
    resend.plan({ status: 500 }, 3);
    await submit(testWindow.inside);
    await run(testWindow.inside);
    const [record] = await pending(blobs.store);
    expect(record!.nextAttemptAt).toBe(new Date(testWindow.inside.getTime() + 2 * MINUTE).toISOString());

    // Not due yet: nothing is sent.
    expect(await run(new Date(testWindow.inside.getTime() + MINUTE))).toMatchObject({ due: 0, queued: 1 });
    await run(new Date(testWindow.inside.getTime() + 2 * MINUTE));
    const [again] = await pending(blobs.store);
    expect(again!.failures).toBe(2);
    expect(again!.nextAttemptAt).toBe(new Date(testWindow.inside.getTime() + 6 * MINUTE).toISOString());
    expect(resend.delivered).toHaveLength(0);
  });

  it('pauses the whole queue on a daily quota until it resets, and sends nothing meanwhile', async () => {
    resend.plan({ status: 500 });
    await submit(testWindow.inside);
    resend.reset();
    resend.plan({ status: 429, name: 'daily_quota_exceeded', headers: { 'retry-after': '3600' } });
    const paused = await run(testWindow.inside);
    expect(paused.pausedUntil).toBe(new Date(testWindow.inside.getTime() + 60 * MINUTE).toISOString());
    expect(await run(new Date(testWindow.inside.getTime() + 30 * MINUTE))).toMatchObject({ queued: 1, accepted: 0 });
    expect(resend.requests).toHaveLength(1);
    expect(await run(new Date(testWindow.inside.getTime() + 61 * MINUTE))).toMatchObject({ accepted: 2, queued: 0 });
  });

  it('tells the team when the provider refuses the confirmation address, and keeps no personal data after', async () => {
    resend.plan({ deliver: true });
    resend.plan({ status: 422, name: 'validation_error' });
    const body = await submit(testWindow.inside);
    expect(body).toMatchObject({ queued: false, confirmationSent: false });
    await run(testWindow.inside);
    const notice = resend.delivered.at(-1)!.body;
    expect(notice.to).toBe('postfach@komma-test.example');
    expect(notice.subject).toBe(`Bestätigung nicht zugestellt – ${body.reference}`);
    expect(notice.text).toContain('422: validation_error');

    expect(await pending(blobs.store)).toEqual([]);
    const { blobs: listed } = await blobs.blobs.list({ prefix: 'done/' });
    const tombstone = JSON.stringify(await blobs.blobs.get(listed[0]!.key, { type: 'json' }));
    expect(tombstone).toContain(body.reference);
    expect(tombstone).toContain('"confirmation":"failed"');
    expect(tombstone).not.toMatch(/kim|Musterstadt|@/i);
  });

  it('completes a message whose emails went out in the request but whose completion failed, without sending again', async () => {
    // Every write of a tombstone fails (500), as a store under faults may answer after the sending.
    const failDone: typeof fetch = (input, init) => {
      const tombstone = init?.method?.toLowerCase() === 'put' && decodeURIComponent(String(input)).includes('/done/');
      return tombstone ? Promise.resolve(new Response(null, { status: 500 })) : fetch(input, init);
    };
    const body = await submit(testWindow.inside, {}, blobs.storeWith(failDone));
    expect(resend.delivered).toHaveLength(2);
    expect(await pending(blobs.store)).toHaveLength(1);
    resend.reset();
    const report = await run(new Date(testWindow.inside.getTime() + 2 * MINUTE));
    expect(report).toMatchObject({ completed: 1, queued: 0 });
    expect(resend.requests).toHaveLength(0);
    expect(await pending(blobs.store)).toHaveLength(0);
    const { blobs: done } = await blobs.blobs.list({ prefix: 'done/' });
    expect(JSON.stringify(await blobs.blobs.get(done[0]!.key, { type: 'json' }))).toContain(body.reference);
  });

  it('never sends an accepted email again', async () => {
    resend.plan({ deliver: true });
    resend.plan({ status: 500 });
    await submit(testWindow.inside);
    resend.reset();
    await run(testWindow.inside);
    expect(resend.requests.map((request) => request.body.to)).toEqual(['kim.beispiel@musterstadt.de']);
  });
});

describe('the pipeline when the store fails', () => {
  /** A valid application whose store cannot even be opened. */
  const submitWithoutStore = () => {
    const runtime: Runtime = {
      env: { ...env, RESEND_BASE_URL: resend.url },
      settings: testSettings,
      now: testWindow.inside,
      store: () => {
        throw new Error('Blobs unavailable');
      },
    };
    const request = new Request('https://komma.example/api/bewerbung', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(validApplication),
    });
    return handleSubmission(request, applicationForm(testSettings), runtime);
  };

  it('answers 200 when storing failed but the team email went out, withholds the confirmation (its counters are unreadable), and logs the reference only', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await submitWithoutStore();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: false, confirmationSent: false });
    expect(resend.delivered.map((request) => request.body.to)).toEqual(['postfach@komma-test.example']);
    expect(resend.delivered[0]!.body.text).toContain('Tageszähler für E-Mails an eine Adresse waren nicht erreichbar');
    const logged = errors.mock.calls.map((call) => String(call[0])).join('\n');
    expect(logged).toContain('"outcome":"store-failed"');
    expect(logged).not.toContain('kim.beispiel');
  });

  /** The store of the test's server through `fetch`, its calls bounded as a request's are. */
  const requestStoreWith = (fetch: typeof globalThis.fetch) =>
    blobs.storeWith(fetch, { signal: new AbortController().signal, callMs: 800 });

  /** A fetch that answers writes of queued messages (pending/…) as `fault` does; the rest goes through. */
  const onQueueWrite =
    (fault: (input: Parameters<typeof fetch>[0], init?: RequestInit) => Promise<Response>): typeof fetch =>
    (input, init) =>
      init?.method?.toLowerCase() === 'put' && decodeURIComponent(String(input)).includes('/pending/')
        ? fault(input, init)
        : fetch(input, init);

  it('promises no confirmation when the message could not be stored and the confirmation failed after the team email', async () => {
    const refused = onQueueWrite(() => Promise.resolve(new Response(null, { status: 500 })));
    resend.plan({ deliver: true });
    resend.plan({ status: 500 });
    const body = await submit(testWindow.inside, {}, requestStoreWith(refused));
    expect(body).toMatchObject({ ok: true, queued: false, confirmationSent: false });
    expect(body.message).toContain('Eine Bestätigung per E-Mail können wir Ihnen diesmal nicht schicken.');
    expect(resend.delivered.map((request) => request.body.to)).toEqual(['postfach@komma-test.example']);
  });

  it('answers that it could not confirm, not that nothing arrived, when a queue write timed out but landed', async () => {
    // The write reaches the store, its answer never comes back: the request's bound ends the call.
    const landsSilently = onQueueWrite(async (input, init) => {
      await fetch(input, { ...init, signal: null });
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason), { once: true }),
      );
    });
    resend.plan({ status: 422, name: 'validation_error' }); // refused: the team email surely did not leave
    const body = await submit(testWindow.inside, {}, requestStoreWith(landsSilently));
    expect(body.message).toMatch(/^Wir konnten nicht bestätigen, dass Ihre Angaben bei uns eingegangen sind/);
    resend.reset();
    await run(new Date(testWindow.inside.getTime() + 2 * MINUTE));
    expect(resend.delivered.map((request) => request.body.to)).toEqual([
      'postfach@komma-test.example',
      'kim.beispiel@musterstadt.de',
    ]);
  });

  it('answers 503 and keeps nothing when neither storing nor sending worked', async () => {
    resend.plan({ status: 500 });
    const response = await submitWithoutStore();
    expect(response.status).toBe(503);
    expect((await response.json()).message).toMatch(/Wir konnten nicht bestätigen/);
  });
});
