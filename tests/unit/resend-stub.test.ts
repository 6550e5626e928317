import { afterEach, describe, expect, it } from 'vitest';
import { startResendStub, type ResendStub, type ResendStubOptions } from '../helpers/resend-stub.ts';

let stub: ResendStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function start(options: ResendStubOptions) {
  stub = await startResendStub(options);
  return stub;
}

const email = (subject = 'Betreff') => ({ from: 'a@example.org', to: 'b@example.org', subject, text: 'Text' });

/** One POST /emails as the SDK sends it; resolves to the status, or "reset" when the connection dropped. */
async function send(stub: ResendStub, key?: string, body: object = email(), signal?: AbortSignal) {
  try {
    const response = await fetch(`${stub.url}/emails`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer re_test',
        'content-type': 'application/json',
        ...(key && { 'idempotency-key': key }),
      },
      body: JSON.stringify(body),
      ...(signal && { signal }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as { name?: string } };
  } catch (error) {
    if (signal?.aborted) return { status: 'timeout' as const };
    return { status: 'reset' as const, error };
  }
}

describe('the Resend stub', () => {
  it('limits requests per second as Resend does, with ratelimit headers on every answer and Retry-After on 429', async () => {
    let now = 0;
    const stub = await start({ ratePerSecond: 2, clock: () => now });
    const [first, second, third] = [await send(stub), await send(stub), await send(stub)];
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(first.status === 200 && first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.status === 200 && first.headers.get('ratelimit-remaining')).toBe('1');
    expect(second.status === 200 && second.headers.get('ratelimit-remaining')).toBe('0');
    expect(third.status === 429 && third.body.name).toBe('rate_limit_exceeded');
    expect(third.status === 429 && third.headers.get('retry-after')).toBe('1');
    expect(third.status === 429 && third.headers.get('ratelimit-reset')).toBe('1');

    now = 1000;
    expect((await send(stub)).status).toBe(200);
    expect(stub.stats.rateLimited).toBe(1);
    expect(stub.delivered).toHaveLength(3);
  });

  it('refuses with 429 daily_quota_exceeded after the quota until resetQuota(), and still replays known keys', async () => {
    const stub = await start({ dailyQuota: 1 });
    expect((await send(stub, 'k1')).status).toBe(200);
    const refused = await send(stub, 'k2');
    expect(refused.status === 429 && refused.body.name).toBe('daily_quota_exceeded');
    expect((await send(stub, 'k1')).status).toBe(200);

    stub.resetQuota();
    expect((await send(stub, 'k2')).status).toBe(200);
    expect(stub.delivered).toHaveLength(2);
    expect(stub.stats).toMatchObject({ quotaRefused: 1, replays: 1, acceptedToday: 1 });
  });

  it('answers 409 for a reused key with another payload, and the first id for the same payload', async () => {
    const stub = await start({});
    const first = await send(stub, 'key', email('eins'));
    const again = await send(stub, 'key', email('eins'));
    const other = await send(stub, 'key', email('zwei'));
    expect(again.status === 200 && again.body).toEqual(first.status === 200 && first.body);
    expect(other.status === 409 && other.body.name).toBe('invalid_idempotent_request');
    expect(stub.delivered).toHaveLength(1);
  });

  it('injects 500s and 429s into the chosen share, reproducibly for a seed, until faults are turned off', async () => {
    const pattern = async (seed: number) => {
      const stub = await startResendStub({ faults: { share: 0.5, kinds: ['500', '429'], seed } });
      const statuses: unknown[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await send(stub, `key-${i}`)).status);
      await stub.close();
      return statuses;
    };
    const first = await pattern(7);
    expect(await pattern(7)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(429);
    expect(first).toContain(200);

    const stub = await start({ faults: { share: 1, kinds: ['500'] } });
    expect((await send(stub)).status).toBe(500);
    stub.configure({ faults: undefined });
    expect((await send(stub)).status).toBe(200);
    expect(stub.stats.injected['500']).toBe(1);
  });

  it('resets connections, and may have taken the email first', async () => {
    const stub = await start({ faults: { share: 1, kinds: ['reset'], afterAcceptShare: 1 } });
    expect((await send(stub, 'key')).status).toBe('reset');
    expect(stub.delivered).toHaveLength(1);
    stub.configure({ faults: undefined });
    // The retry with the same key is answered from the first: still one email.
    expect((await send(stub, 'key')).status).toBe(200);
    expect(stub.delivered).toHaveLength(1);
  });

  it('hangs past the client timeout, and close() ends the hung connection at once', async () => {
    const stub = await start({ faults: { share: 1, kinds: ['hang'], afterAcceptShare: 0 } });
    expect((await send(stub, 'key', email(), AbortSignal.timeout(100))).status).toBe('timeout');
    const stillHanging = send(stub, 'other');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await stub.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await stillHanging).status).toBe('reset');
    expect(stub.delivered).toHaveLength(0);
    expect(stub.stats.injected.hang).toBe(2);
  });
});
