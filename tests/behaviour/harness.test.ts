import { getStore, type Store } from '@netlify/blobs';
import { describe, expect, it } from 'vitest';
import { testSettings, testWindow } from '../fixtures/settings.ts';
import { setEnv } from '../helpers/environment.ts';
import { DrainFailed } from '../helpers/harness.ts';
import { useHarness } from '../helpers/use-harness.ts';

/**
 * The harness itself behaves like production where the behaviour tests rely on it: conditional
 * writes are atomic per key, and chosen store calls fail as a real store can fail. Seen through
 * the same @netlify/blobs client the functions bundle, with the environment the harness gives them.
 */
const run = useHarness({ now: testWindow.inside, settings: testSettings });

/** The functions' store, as getStore() finds it from NETLIFY_BLOBS_CONTEXT; calls bounded by `timeoutMs`. */
function functionsStore(timeoutMs = 5000): Store {
  return getStore({
    name: run.harness.storeName,
    consistency: 'strong',
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
  });
}

describe('the harness store', () => {
  it('applies concurrent conditional writes to one key one at a time: exactly one onlyIfNew wins', async () => {
    const store = functionsStore();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.setJSON('hot/key', { i }, { onlyIfNew: true })),
    );
    expect(results.filter((result) => result.modified)).toHaveLength(1);
  });

  it('lets exactly one of concurrent onlyIfMatch writes with the same ETag win', async () => {
    const store = functionsStore();
    const { etag } = await store.setJSON('doc', { version: 0 });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.setJSON('doc', { version: i + 1 }, { onlyIfMatch: etag! })),
    );
    expect(results.filter((result) => result.modified)).toHaveLength(1);
  });

  it('fails the chosen calls with the chosen status, counts them, and lets the others through', async () => {
    const store = functionsStore();
    await store.setJSON('pending/a', { a: 1 });
    await store.setJSON('other/b', { b: 1 });
    // Six: the client's first try and its five retries.
    await run.harness.setStoreFaults({ rules: [{ method: 'GET', keyPrefix: 'pending/', status: 503, times: 6 }] });
    await expect(store.get('pending/a', { type: 'json' })).rejects.toThrow(/503/);
    expect(await store.get('other/b', { type: 'json' })).toEqual({ b: 1 });
    expect(run.harness.storeFaults).toBe(6);
    // Used up: the next call goes through.
    expect(await store.get('pending/a', { type: 'json' })).toEqual({ a: 1 });
  });

  it('fails a write before the store sees it: a 500 on PUT writes nothing (and the client still says modified, netlify/primitives#741)', async () => {
    const store = functionsStore();
    await run.harness.setStoreFaults({ rules: [{ method: 'PUT', status: 500 }] });
    const result = await store.setJSON('pending/x', { x: 1 }, { onlyIfNew: true });
    expect(result.modified).toBe(true);
    await run.harness.setStoreFaults({ rules: [] });
    expect(await store.get('pending/x')).toBeNull();
  });

  it('hangs a chosen call until the caller gives up', async () => {
    const store = functionsStore(50);
    await run.harness.setStoreFaults({ rules: [{ method: 'LIST', hang: true }] });
    await expect(store.list({ prefix: 'pending/' })).rejects.toThrow();
    expect(await store.get('pending/none')).toBeNull();
  });

  it('starts each test with an empty store and no faults', async () => {
    // The tests above wrote pending/… and left rules behind.
    expect((await functionsStore(500).list()).blobs).toEqual([]);
    expect(await functionsStore(500).get('pending/a')).toBeNull();
  });
});

describe('the harness drain', () => {
  // Six: the client's first try and its five retries fail the drain's first store call.
  const firstCallFails = { rules: [{ status: 503, times: 6 }] } as const;

  it('tells a run the store failed (503, drain-failed logged) from a run that answered: the next run tries again', async () => {
    await run.harness.setStoreFaults(firstCallFails);
    expect(await run.harness.tryDrain()).toBeUndefined();
    expect(run.log()).toContain('"outcome":"drain-failed"');
    expect(await run.harness.tryDrain()).toMatchObject({ due: 0, queued: 0 });
  });

  it('counts such runs in drainUntilEmpty and goes on until the queue is empty', async () => {
    await run.harness.setStoreFaults(firstCallFails);
    const summary = await run.harness.drainUntilEmpty({ maxRuns: 3, maxMs: 60_000, moveClock: false });
    expect(summary).toMatchObject({ failedRuns: 1, runs: 1, empty: true });
  });

  it('still throws for a 503 that is not the store’s: a deployed site without an API key', async () => {
    const restore = setEnv({ CONTEXT: 'deploy-preview', RESEND_API_KEY: undefined });
    try {
      const failure = run.harness.tryDrain();
      await expect(failure).rejects.toBeInstanceOf(DrainFailed);
      await expect(failure).rejects.toMatchObject({ status: 503 });
    } finally {
      restore();
    }
  });
});
