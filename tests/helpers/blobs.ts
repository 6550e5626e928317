import { getStore, type Store } from '@netlify/blobs';
import { blobsStore, type KeyValueStore, type StoreBound } from '../../src/delivery/store.ts';
import { startLocalBlobs, type BlobsContext } from '../../src/server/local-blobs.ts';

export interface TestBlobs {
  /** The raw store, to look at what was written. */
  readonly blobs: Store;
  /** The delivery store over it, bounded generously: tests of time bounds use storeWith(). */
  readonly store: KeyValueStore;
  /** The delivery store over the same server through `fetch` (a fault-injecting one), within `bound`. */
  storeWith(fetch: typeof globalThis.fetch, bound?: StoreBound): KeyValueStore;
  /** Where the server is: another client (one that counts its requests, say) can open the same store. */
  readonly context: BlobsContext;
  stop(): Promise<void>;
}

export const TEST_STORE = 'komma-delivery-test';

/** The Blobs client for the test store, over `fetch` when given. */
export function testStore(context: BlobsContext, fetch?: typeof globalThis.fetch): Store {
  const { siteID, token, edgeURL, uncachedEdgeURL } = context;
  return getStore({
    name: TEST_STORE,
    siteID,
    token,
    edgeURL,
    uncachedEdgeURL,
    consistency: 'strong',
    region: 'eu-central-1',
    ...(fetch && { fetch }),
  });
}

/** No test waits this long: a bound that only ends a call that hangs for good. */
const generous = (): StoreBound => ({ signal: new AbortController().signal, callMs: 10_000 });

/**
 * Netlify's own local Blobs server on a temporary directory, behind the front that applies
 * conditional writes atomically and answers reads with their ETag, as production does
 * (src/server/local-blobs.ts); the delivery store over it.
 */
export async function startBlobs(): Promise<TestBlobs> {
  const local = await startLocalBlobs();
  const open = (fetch?: typeof globalThis.fetch) => testStore(local.context, fetch);
  return {
    blobs: open(),
    store: blobsStore(open, generous()),
    storeWith: (fetch, bound = generous()) => blobsStore(open, bound, fetch),
    context: local.context,
    stop: () => local.stop(),
  };
}
