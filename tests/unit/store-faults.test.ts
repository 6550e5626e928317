import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { drain } from '../../src/delivery/drain.ts';
import { pending } from '../../src/delivery/outbox.ts';
import { GIVE_UP_AFTER_MS } from '../../src/delivery/record.ts';
import { REQUEST_BUDGET_MS, StoreError, type StoreBound } from '../../src/delivery/store.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { webinarCancel } from '../../src/webinar/cancel.ts';
import { cancelLinks, signCancelToken } from '../../src/webinar/cancel-token.ts';
import { admit, findRegistration } from '../../src/webinar/roster.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSessions, testSettings, testWindow } from '../fixtures/settings.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';

const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
beforeEach(() => ({ resend, blobs } = parts));

const HOUR = 60 * 60_000;
const TEAM = 'postfach@komma-test.example';
const env = { RESEND_API_KEY: 're_test', MAIL_FROM: 'KommA <komma@komma-test.example>' };

/** Which store requests meet a fault: by method ("put", "get", "delete") and a piece of the key. */
interface Rule {
  readonly method?: string;
  readonly key?: string;
  /** Only conditional writes (If-Match / If-None-Match). */
  readonly conditional?: boolean;
  /** An HTTP status to answer instead of the store, or no answer until the call is aborted. */
  readonly fault: number | 'hang';
}

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly signal: AbortSignal | undefined;
}

/**
 * A fetch in front of the local Blobs server that fails chosen requests (the real client, the real
 * server for the rest): every request it sees is recorded, also those it fails.
 */
function faultyFetch(rules: readonly Rule[], onHang: () => void = () => {}) {
  const seen: Seen[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    const method = (init?.method ?? 'get').toLowerCase();
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({ method, url, signal: init?.signal ?? undefined });
    const rule = rules.find(
      (candidate) =>
        (!candidate.method || candidate.method === method) &&
        (!candidate.key || decodeURIComponent(url).includes(candidate.key)) &&
        (!candidate.conditional || 'if-match' in headers || 'if-none-match' in headers),
    );
    if (!rule) return globalThis.fetch(input, init);
    if (rule.fault === 'hang') {
      onHang();
      return new Promise<Response>((_, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    return new Response(null, { status: rule.fault });
  };
  return { fetch, seen };
}

const never = () => new AbortController().signal;
const bound = (callMs: number, signal = never()): StoreBound => ({ signal, callMs });

describe('the key-value store against a failing Blobs server', () => {
  it('does not take a conditional write that answers 500 as stored (the client says modified)', async () => {
    const { fetch } = faultyFetch([{ method: 'put', conditional: true, fault: 500 }]);
    const store = blobs.storeWith(fetch);
    await expect(store.writeIfNew('pending/a', { n: 1 })).rejects.toMatchObject({ name: 'StoreError', kind: 'failed' });
    await expect(store.writeIfMatch('pending/a', { n: 1 }, '"etag"')).rejects.toBeInstanceOf(StoreError);
    expect(await blobs.store.read('pending/a')).toBeUndefined();
  });

  it('does not take a conditional write that answers 429 as stored', async () => {
    const { fetch } = faultyFetch([{ method: 'put', conditional: true, fault: 429 }]);
    await expect(blobs.storeWith(fetch).writeIfNew('pending/a', {})).rejects.toBeInstanceOf(StoreError);
  });

  it('answers false only when the condition failed (412), and true with the value written', async () => {
    expect(await blobs.store.writeIfNew('pending/a', { n: 1 })).toBe(true);
    expect(await blobs.store.writeIfNew('pending/a', { n: 2 })).toBe(false);
    const read = await blobs.store.readWithEtag<{ n: number }>('pending/a');
    expect(read?.value).toEqual({ n: 1 });
    expect(await blobs.store.writeIfMatch('pending/a', { n: 3 }, read!.etag)).toBe(true);
    expect(await blobs.store.writeIfMatch('pending/a', { n: 4 }, read!.etag)).toBe(false);
    expect(await blobs.store.read('pending/a')).toEqual({ n: 3 });
  });

  it('throws a StoreError for plain writes, deletes, reads and listings that answer 500', async () => {
    const { fetch } = faultyFetch([{ fault: 500 }]);
    const store = blobs.storeWith(fetch);
    for (const call of [
      () => store.write('control/pause', {}),
      () => store.remove('control/pause'),
      () => store.read('control/pause'),
      () => store.keys('pending/'),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'StoreError', kind: 'failed' });
    }
  });

  it('ends a call that hangs at its bound, and the client’s retries of it reach no store', async () => {
    const { fetch, seen } = faultyFetch([{ fault: 'hang' }]);
    const store = blobs.storeWith(fetch, bound(30));
    await expect(store.read('pending/a')).rejects.toMatchObject({ name: 'StoreError', kind: 'timeout' });
    // The client retries a thrown fetch (1 ms apart under NODE_ENV=test): give it the time to try.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal?.aborted).toBe(true);
  });

  it('makes no request at all once the caller’s time is up', async () => {
    const { fetch, seen } = faultyFetch([]);
    const store = blobs.storeWith(fetch, bound(1000, AbortSignal.abort()));
    await expect(store.writeIfNew('pending/a', {})).rejects.toMatchObject({ kind: 'timeout' });
    expect(seen).toEqual([]);
  });
});

/** One valid application through the real pipeline, with the tests' runtime and `runtime`'s changes. */
async function submit(runtime: Partial<Runtime> = {}) {
  const response = await handleSubmission(
    new Request('https://komma.example/api/bewerbung', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...validApplication, submissionId: randomUUID() }),
    }),
    applicationForm(testSettings),
    {
      env: { ...env, RESEND_BASE_URL: resend.url },
      settings: testSettings,
      now: testWindow.inside,
      store: () => blobs.store,
      ...runtime,
    },
  );
  return { status: response.status, body: await response.json() };
}

describe('the answer to a person when the store fails', () => {
  it('costs a person at most the request’s 2 s when the store hangs: every store call ends at the deadline', async () => {
    const budgets: number[] = [];
    const deadline = new AbortController();
    // The store hangs; the test lets the request's time run out at once instead of waiting for it.
    const { fetch, seen } = faultyFetch([{ fault: 'hang' }], () => deadline.abort());
    const answer = await submit({
      timer: (ms) => (budgets.push(ms), deadline.signal),
      store: (requestBound) => blobs.storeWith(fetch, requestBound),
    });
    expect(budgets).toEqual([REQUEST_BUDGET_MS]);
    expect(REQUEST_BUDGET_MS).toBeLessThanOrEqual(2000);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((request) => request.signal?.aborted)).toBe(true);
    // Neither stored nor sent (no time was left to send): not "received".
    expect(answer.status).toBe(503);
    expect(answer.body.message).toMatch(/bei uns ist nichts eingegangen/);
    expect(resend.requests).toHaveLength(0);
  });

  it('waits for a hanging store once, then sends the team email and says received, without a confirmation', async () => {
    const { fetch, seen } = faultyFetch([{ fault: 'hang' }]);
    const answer = await submit({ store: (requestBound) => blobs.storeWith(fetch, requestBound) });
    expect(seen).toHaveLength(1); // the lookup; after its timeout the store counts as absent
    expect(seen[0]!.signal?.aborted).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ queued: false, confirmationSent: false });
    expect(resend.delivered.map((request) => request.body.to)).toEqual([TEAM]);
    expect(resend.delivered[0]!.body.text).toContain('Tageszähler für E-Mails an eine Adresse waren nicht erreichbar');
  });

  it('answers 503, not "received", when the outbox cannot be written (500) and the provider is down', async () => {
    resend.plan({ status: 500 }, 2);
    const { fetch } = faultyFetch([{ method: 'put', key: 'pending/', fault: 500 }]);
    const answer = await submit({ store: () => blobs.storeWith(fetch) });
    expect(answer.status).toBe(503);
    expect(await pending(blobs.store)).toEqual([]);
    expect(resend.delivered).toHaveLength(0);
  });

  it('answers received when the outbox cannot be written but the team email went out, and logs it as not stored', async () => {
    const { fetch } = faultyFetch([{ method: 'put', key: 'pending/', fault: 500 }]);
    const logged = vi.spyOn(console, 'info').mockImplementation(() => {});
    const answer = await submit({ store: () => blobs.storeWith(fetch) });
    const events = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    logged.mockRestore();
    expect(answer.status).toBe(200);
    expect(answer.body.queued).toBe(false);
    expect(resend.delivered.map((request) => request.body.to)).toEqual([TEAM, 'kim.beispiel@musterstadt.de']);
    expect(events).toContainEqual(
      expect.objectContaining({ outcome: 'received', reference: answer.body.reference, stored: false }),
    );
  });
});

describe('a webinar registration whose roster entry cannot be written', () => {
  it('is not confirmed with a cancel link that leads nowhere', async () => {
    const linkEnv = { ...env, RESEND_BASE_URL: resend.url, WEBINAR_TOKEN_SECRET: 'x'.repeat(32) };
    const { fetch } = faultyFetch([{ method: 'put', key: 'registrations/', fault: 500 }]);
    const response = await handleSubmission(
      new Request('https://komma.example/api/webinar', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...validRegistration, session: 'sommer-2030', submissionId: randomUUID() }),
      }),
      webinarForm(testSettings, cancelLinks(linkEnv)),
      { env: linkEnv, settings: testSettings, now: testSessions.beforeBoth, store: () => blobs.storeWith(fetch) },
    );
    expect(response.status).toBe(200);
    const confirmation = resend.delivered.find((request) => request.body.to !== TEAM)!.body;
    expect(confirmation.text).not.toContain('/webinar/abmelden/');
    expect(confirmation.text).toContain('antworten Sie einfach auf diese E-Mail');
  });
});

describe('a webinar cancellation that cannot be recorded', () => {
  it('answers 503 and queues nothing', async () => {
    const secret = 'unit-test-secret';
    const [winter] = testSettings.webinars;
    const person = { key: 'webinar-1', reference: 'W-0001-TEST', name: 'Person 1', email: 'p1@x.de' };
    await admit(blobs.store, winter!, person, testSessions.beforeBoth);
    const { fetch } = faultyFetch([{ method: 'put', fault: 500 }]);
    const token = signCancelToken(secret, { session: winter!.id, key: person.key });
    const response = await webinarCancel(
      new Request('https://komma.example/webinar/abmelden/', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ t: token }).toString(),
      }),
      {
        env: { ...env, RESEND_BASE_URL: resend.url, WEBINAR_TOKEN_SECRET: secret },
        settings: testSettings,
        now: testSessions.beforeBoth,
        store: () => blobs.storeWith(fetch),
      },
    );
    expect(response.status).toBe(503);
    expect(await pending(blobs.store)).toEqual([]);
    expect((await findRegistration(blobs.store, winter!, person.key)).kind).toBe('active');
    expect(resend.requests).toHaveLength(0);
  });
});

describe('a message whose emails keep failing', () => {
  const runDrain = (now: Date) =>
    drain({
      store: blobs.store,
      transport: resendTransport({ apiKey: 're_test', baseUrl: resend.url }),
      team: { to: TEAM, from: env.MAIL_FROM },
      now,
      clock: () => 0,
      sleep: async () => {},
    });
  const after = (ms: number) => new Date(testWindow.inside.getTime() + ms);

  it('ends after 72 hours as a technical failure, and the team hears once with the reference only', async () => {
    resend.plan({ status: 500 });
    const { body } = await submit();
    const { reference } = body;

    resend.plan({ status: 500 }, 100);
    expect(await runDrain(after(GIVE_UP_AFTER_MS - HOUR))).toMatchObject({ givenUp: 0, queued: 1 });
    expect(await runDrain(after(GIVE_UP_AFTER_MS))).toMatchObject({ givenUp: 1, queued: 0 });
    const [note, ...others] = await pending(blobs.store);
    expect(others).toEqual([]);
    expect(note!.source).toBe('technical-failure');
    const { blobs: done } = await blobs.blobs.list({ prefix: 'done/' });
    const tombstone = JSON.stringify(await blobs.blobs.get(done[0]!.key, { type: 'json' }));
    expect(tombstone).toContain('"state":"technical-failure"');
    expect(tombstone).not.toMatch(/kim|Musterstadt/i);

    resend.reset();
    await runDrain(after(GIVE_UP_AFTER_MS + HOUR));
    await runDrain(after(GIVE_UP_AFTER_MS + 2 * HOUR));
    expect(resend.delivered).toHaveLength(1);
    const sent = resend.delivered[0]!.body;
    expect(sent.to).toBe(TEAM);
    expect(sent.subject).toBe(`Zustellung abgebrochen – ${reference}`);
    expect(sent.text).toContain('72 Stunden');
    expect(`${sent.subject} ${sent.text}`).not.toMatch(/kim|Musterstadt/i);
    expect(await pending(blobs.store)).toEqual([]);
  });
});
