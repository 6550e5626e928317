import { getStore, type Store } from '@netlify/blobs';
import { blobsDeliveryStore, type DeliveryStore } from '../../src/delivery/store.ts';
import { startLocalBlobs, type BlobsContext } from '../../src/server/local-blobs.ts';

export interface TestBlobs {
  /** The raw store, to look at what was written. */
  readonly blobs: Store;
  readonly store: DeliveryStore;
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

/**
 * Netlify's own local Blobs server on a temporary directory, behind the front that applies
 * conditional writes atomically and answers reads with their ETag, as production does
 * (src/server/local-blobs.ts); the delivery store over it.
 */
export async function startBlobs(): Promise<TestBlobs> {
  const local = await startLocalBlobs();
  const blobs = testStore(local.context);
  return { blobs, store: blobsDeliveryStore(blobs), context: local.context, stop: () => local.stop() };
}
