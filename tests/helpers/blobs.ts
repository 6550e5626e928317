import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getStore, type Store } from '@netlify/blobs';
import { BlobsServer } from '@netlify/blobs/server';
import { blobsDeliveryStore, type DeliveryStore } from '../../src/delivery/store.ts';

export interface TestBlobs {
  /** The raw store, to look at what was written. */
  readonly blobs: Store;
  readonly store: DeliveryStore;
  stop(): Promise<void>;
}

/** Netlify's own local Blobs server on a temporary directory, with the delivery store over it. */
export async function startBlobs(): Promise<TestBlobs> {
  const directory = await mkdtemp(join(tmpdir(), 'komma-blobs-'));
  const server = new BlobsServer({ directory, token: 'test-token', port: 0 });
  const { port } = await server.start();
  const url = `http://127.0.0.1:${port}`;
  const blobs = getStore({
    name: 'komma-delivery-test',
    siteID: 'test-site',
    token: 'test-token',
    edgeURL: url,
    uncachedEdgeURL: url,
    consistency: 'strong',
    region: 'eu-central-1',
  });
  return {
    blobs,
    store: blobsDeliveryStore(blobs),
    async stop() {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
