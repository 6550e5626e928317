import { getStore, type Store } from '@netlify/blobs';
import type { Env } from '../env.ts';

/** Personal data stays in the EU: Frankfurt. A site-wide store's region is fixed by its first write. */
export const STORE_REGION = 'eu-central-1';

/**
 * One store per kind of deploy, so that previews and local runs never see production's
 * submissions (site-wide stores are shared by every deploy of a site). KOMMA_STORE names another
 * one for tests; production ignores it.
 */
export function storeName(env: Env): string {
  const context = env['CONTEXT'] ?? '';
  if (env['KOMMA_STORE'] && context !== 'production') return env['KOMMA_STORE'];
  const scope = context === 'production' ? 'production' : context && context !== 'dev' ? 'preview' : 'local';
  return `komma-delivery-${scope}`;
}

/**
 * A store call that did not happen, or of which nobody can say whether it did: its caller treats
 * the value as not stored. `timeout`: the call's time bound ended it; `failed`: the store answered
 * with an error, or could not be reached or opened; `conflict`: a compare-and-swap kept losing to
 * other writers.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind: 'timeout' | 'failed' | 'conflict';
  /** The call, e.g. "writeIfNew"; never a key, which may name a person's submission. */
  readonly during: string;

  // Fields assigned by hand, not as parameter properties: the CLIs and suites run this file with
  // Node's type stripping, which supports no TypeScript-only syntax.
  constructor(kind: StoreError['kind'], during: string, options?: { cause?: unknown }) {
    super(`store ${during}: ${kind}`, options);
    this.kind = kind;
    this.during = during;
  }
}

/** How long store calls may take: each at most `callMs`, and none after `signal` aborts. */
export interface StoreBound {
  /** Aborts when the caller's time is up: the request's budget, or the scheduled run's. */
  readonly signal: AbortSignal;
  /** Longest wait for one call, the client's own retries included. */
  readonly callMs: number;
}

/**
 * A person waits at most about two seconds for an answer: everything a request does, its store
 * calls and its sending, ends within this.
 */
export const REQUEST_BUDGET_MS = 1800;

/**
 * One store call of a request: Blobs answers in well under this, and a store that does not is
 * treated as absent for the rest of the request, so that the sending keeps about a second.
 */
export const REQUEST_STORE_CALL_MS = 800;

/** The bound of a request's store calls, `signal` aborting at the end of its budget (of `budgetMs`). */
export const requestBound = (signal: AbortSignal, budgetMs = REQUEST_BUDGET_MS): StoreBound => ({
  signal,
  callMs: Math.round((REQUEST_STORE_CALL_MS * budgetMs) / REQUEST_BUDGET_MS),
});

/** A scheduled function has 30 s: its store calls end by 26 s, each within 5 s. */
export const scheduledBound = (): StoreBound => ({ signal: AbortSignal.timeout(26_000), callMs: 5000 });

/**
 * The delivery store as plain keys and JSON values. Every call is bounded in time and either does
 * what it says or throws a StoreError; a conditional write answers false only when the condition
 * failed (HTTP 412). Key prefixes: src/delivery/keys.ts.
 */
export interface KeyValueStore {
  read<T>(key: string): Promise<T | undefined>;
  /** The value with the ETag to write it back with writeIfMatch. */
  readWithEtag<T>(key: string): Promise<{ value: T; etag: string } | undefined>;
  write(key: string, value: unknown): Promise<void>;
  /** Writes `value` only where `key` holds nothing yet; false when something was there. */
  writeIfNew(key: string, value: unknown): Promise<boolean>;
  /** Writes `value` only where `key` still holds the value read with `etag`; false when it changed. */
  writeIfMatch(key: string, value: unknown, etag: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Every key under `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/** The name the rest of the code (the outbox, the rosters, the overview) knows the store by. */
export type DeliveryStore = KeyValueStore;

type Fetch = typeof globalThis.fetch;

/** Opens the Blobs store with the given fetch: each call gets one whose requests share its bound. */
export type OpenBlobs = (fetch: Fetch) => Store;

/** Reads many keys with a few requests in flight, as the drain lists whole prefixes. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const CONFLICT_RETRIES = 10;

/** After a lost conditional write: wait a little, at random, so that racing writers spread out. */
const backOff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));

/**
 * Reads, changes and writes back with onlyIfMatch, again on a fresh copy if another writer came
 * first: `change` sees the stored value (undefined where there is none) and returns the new one,
 * or undefined to write nothing. Gives the value written, or undefined.
 */
export async function compareAndSwap<T>(
  store: KeyValueStore,
  key: string,
  change: (current: T | undefined) => T | undefined,
): Promise<T | undefined> {
  for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt += 1) {
    const current = await store.readWithEtag<T>(key);
    const next = change(current?.value);
    if (next === undefined) return undefined;
    const written = current ? await store.writeIfMatch(key, next, current.etag) : await store.writeIfNew(key, next);
    if (written) return next;
    await backOff(attempt);
  }
  throw new StoreError('conflict', 'compareAndSwap');
}

/**
 * Runs one store call within `bound`. The Blobs client retries a failed request itself, five
 * times, 5 s apart (1 ms under NODE_ENV=test), and counts a thrown fetch as a failed request: so
 * the call is raced against its deadline, and once that has passed, every further request of the
 * call fails at once instead of reaching the store late.
 */
function boundedCalls(open: OpenBlobs, bound: StoreBound, base: Fetch) {
  return async function call<T>(during: string, run: (blobs: Store) => Promise<T>): Promise<T> {
    if (bound.signal.aborted) throw new StoreError('timeout', during);
    const signal = AbortSignal.any([bound.signal, AbortSignal.timeout(bound.callMs)]);
    const fetch: Fetch = (input, init) =>
      signal.aborted
        ? Promise.reject(new StoreError('timeout', during))
        : base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    let onAbort = () => {};
    const deadline = new Promise<never>((_, reject) => {
      onAbort = () => reject(new StoreError('timeout', during));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const work = Promise.resolve().then(() => run(open(fetch)));
      work.catch(() => {}); // when the deadline wins, the client's late failure has nobody to tell
      return await Promise.race([work, deadline]);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new StoreError(signal.aborted ? 'timeout' : 'failed', during, { cause: error });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}

/**
 * @netlify/blobs 11.1.1 reports `modified: true` for every answer to a conditional write but 412,
 * a 500 or 429 after its retries included (https://github.com/netlify/primitives/issues/741). A
 * write that happened answers 200 with the new ETag: only that counts.
 */
async function conditionalWrite(
  during: string,
  blobs: Store,
  key: string,
  value: unknown,
  condition: { onlyIfNew: true } | { onlyIfMatch: string },
): Promise<boolean> {
  const { modified, etag } = await blobs.setJSON(key, value, condition);
  if (!modified) return false;
  if (!etag) throw new StoreError('failed', during);
  return true;
}

/** The key-value store over Netlify Blobs (the real one, `@netlify/dev`'s, or a test's BlobsServer). */
export function blobsStore(open: OpenBlobs, bound: StoreBound, fetch: Fetch = globalThis.fetch): KeyValueStore {
  const call = boundedCalls(open, bound, fetch);
  const list = (prefix: string) =>
    call('list', async (blobs) => (await blobs.list({ prefix })).blobs.map(({ key, etag }) => ({ key, etag })));

  return {
    read: <T>(key: string) =>
      call('read', async (blobs) => ((await blobs.get(key, { type: 'json' })) as T | null) ?? undefined),
    async readWithEtag<T>(key: string) {
      const read = await call('readWithEtag', (blobs) => blobs.getWithMetadata(key, { type: 'json' }));
      if (!read) return undefined;
      // Production answers every read with its ETag, and so does the local server's front
      // (src/server/local-blobs.ts): a value without one cannot be written back safely.
      if (!read.etag) throw new StoreError('failed', 'readWithEtag');
      return { value: read.data as T, etag: read.etag };
    },
    write: (key, value) =>
      call('write', async (blobs) => {
        await blobs.setJSON(key, value); // unconditional: the client throws on any answer but 200
      }),
    writeIfNew: (key, value) =>
      call('writeIfNew', (blobs) => conditionalWrite('writeIfNew', blobs, key, value, { onlyIfNew: true })),
    writeIfMatch: (key, value, etag) =>
      call('writeIfMatch', (blobs) => conditionalWrite('writeIfMatch', blobs, key, value, { onlyIfMatch: etag })),
    remove: (key) => call('remove', (blobs) => blobs.delete(key)), // throws on any answer but 200, 204, 404
    async keys(prefix) {
      // The local emulator lists by readdir, then stat of each file: a file renamed or deleted in
      // between (another writer's temporary file) fails the whole list, and a temporary file
      // (".<random>") may show up in it. Try again; our keys never start a segment with a dot.
      for (let attempt = 0; ; attempt += 1) {
        try {
          return (await list(prefix)).map((blob) => blob.key).filter((key) => !key.includes('/.'));
        } catch (error) {
          if (attempt >= 3 || (error instanceof StoreError && error.kind === 'timeout')) throw error;
        }
      }
    },
  };
}

/**
 * The store's absence as an object: where Blobs cannot be opened, or has failed once in a request
 * already, every call throws at once, and each step answers as it does for a failed call.
 */
export const unavailableStore: KeyValueStore = (() => {
  const fail = (during: string) => () => Promise.reject(new StoreError('failed', during));
  return {
    read: fail('read'),
    readWithEtag: fail('readWithEtag'),
    write: fail('write'),
    writeIfNew: fail('writeIfNew'),
    writeIfMatch: fail('writeIfMatch'),
    remove: fail('remove'),
    keys: fail('keys'),
  };
})();

/**
 * `store` until a call of it times out, then unavailableStore: in a request, a store that did not
 * answer in time once is not waited for again, and the sending keeps the rest of the budget.
 */
export function untilFirstTimeout(store: KeyValueStore): KeyValueStore {
  let current = store;
  async function attempt<R>(run: (store: KeyValueStore) => Promise<R>): Promise<R> {
    try {
      return await run(current);
    } catch (error) {
      const failure = error instanceof StoreError ? error : new StoreError('failed', 'call', { cause: error });
      if (failure.kind === 'timeout') current = unavailableStore;
      throw failure;
    }
  }
  return {
    read: <T>(key: string) => attempt((store) => store.read<T>(key)),
    readWithEtag: <T>(key: string) => attempt((store) => store.readWithEtag<T>(key)),
    write: (key, value) => attempt((store) => store.write(key, value)),
    writeIfNew: (key, value) => attempt((store) => store.writeIfNew(key, value)),
    writeIfMatch: (key, value, etag) => attempt((store) => store.writeIfMatch(key, value, etag)),
    remove: (key) => attempt((store) => store.remove(key)),
    keys: (prefix) => attempt((store) => store.keys(prefix)),
  };
}

/** The site's delivery store. Call it inside a handler: Netlify sets up Blobs per request. */
export function deliveryStore(env: Env, bound: StoreBound): KeyValueStore {
  const name = storeName(env);
  return blobsStore((fetch) => getStore({ name, region: STORE_REGION, consistency: 'strong', fetch }), bound);
}
