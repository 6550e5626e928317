import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getStore, type Store } from '@netlify/blobs';
import { BlobsServer } from '@netlify/blobs/server';
import { blobsStore, type KeyValueStore, type StoreBound } from '../../src/delivery/store.ts';

export interface TestBlobs {
  /** The raw store, to look at what was written. */
  readonly blobs: Store;
  /** The delivery store over it, bounded generously: tests of time bounds use storeWith(). */
  readonly store: KeyValueStore;
  /** The delivery store over the same server through `fetch` (a fault-injecting one), within `bound`. */
  storeWith(fetch: typeof globalThis.fetch, bound?: StoreBound): KeyValueStore;
  stop(): Promise<void>;
}

/** No test waits this long: a bound that only ends a call that hangs for good. */
const generous = (): StoreBound => ({ signal: new AbortController().signal, callMs: 10_000 });

/** Netlify's own local Blobs server on a temporary directory, with the delivery store over it. */
export async function startBlobs(): Promise<TestBlobs> {
  const directory = await mkdtemp(join(tmpdir(), 'komma-blobs-'));
  const server = new BlobsServer({ directory, token: 'test-token', port: 0 });
  const { port } = await server.start();
  const url = `http://127.0.0.1:${port}`;
  const open = (fetch?: typeof globalThis.fetch) =>
    getStore({
      name: 'komma-delivery-test',
      siteID: 'test-site',
      token: 'test-token',
      edgeURL: url,
      uncachedEdgeURL: url,
      consistency: 'strong',
      region: 'eu-central-1',
      ...(fetch && { fetch }),
    });
  return {
    blobs: open(),
    store: blobsStore(open, generous()),
    storeWith: (fetch, bound = generous()) => blobsStore(open, bound, fetch),
    async stop() {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
