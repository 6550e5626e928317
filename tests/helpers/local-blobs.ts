/**
 * Netlify Blobs for the built functions: src/server/local-blobs.ts (the emulator behind the front
 * that makes its conditional writes atomic), here in a worker thread of its own, with the store
 * fault rules (store-faults.ts) in front of it.
 */
import { Worker } from 'node:worker_threads';
import type { LocalBlobs } from '../../src/server/local-blobs.ts';
import type { StoreFaults } from './store-faults.ts';

/** The Blobs emulator in its worker, with fault rules the suite can change while it runs. */
export interface BlobsWorker extends Omit<LocalBlobs, 'context'> {
  /** Replaces the store fault rules; resolves once the worker applies them. */
  setStoreFaults(faults: StoreFaults): Promise<void>;
  /** How many store calls the rules failed so far. */
  readonly storeFaults: number;
}

/** The messages between the suite and blobs-worker.ts. */
export type BlobsWorkerMessage =
  | { readonly type: 'ready'; readonly encodedContext: string }
  | { readonly type: 'fault' }
  | { readonly type: 'faults-set' }
  | { readonly type: 'stopped' };

/** startLocalBlobs(), run in a worker thread (blobs-worker.ts) so that it has its own event loop. */
export async function startBlobsWorker(): Promise<BlobsWorker> {
  const worker = new Worker(new URL('./blobs-worker.ts', import.meta.url));
  let storeFaults = 0;
  const next = (type: BlobsWorkerMessage['type']) =>
    new Promise<BlobsWorkerMessage>((resolve) => {
      const listen = (message: BlobsWorkerMessage) => {
        if (message.type !== type) return;
        worker.off('message', listen);
        resolve(message);
      };
      worker.on('message', listen);
    });
  worker.on('message', (message: BlobsWorkerMessage) => {
    if (message.type === 'fault') storeFaults += 1;
  });
  try {
    const ready = await Promise.race([
      next('ready'),
      new Promise<never>((_resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the Blobs worker ended with code ${code}`)));
      }),
    ]);
    return {
      encodedContext: (ready as Extract<BlobsWorkerMessage, { type: 'ready' }>).encodedContext,
      get storeFaults() {
        return storeFaults;
      },
      async setStoreFaults(faults) {
        const applied = next('faults-set');
        worker.postMessage({ type: 'faults', faults });
        await applied;
      },
      async stop() {
        const stopped = next('stopped');
        worker.postMessage({ type: 'stop' });
        // The worker removes its directory first; if it hangs, end it anyway.
        await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        await worker.terminate();
      },
    };
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}
