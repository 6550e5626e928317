/**
 * Netlify Blobs for the built functions: src/server/local-blobs.ts (the emulator behind the front
 * that makes its conditional writes atomic), here in a worker thread of its own.
 */
import { Worker } from 'node:worker_threads';
import type { LocalBlobs } from '../../src/server/local-blobs.ts';

/** startLocalBlobs(), run in a worker thread (blobs-worker.ts) so that it has its own event loop. */
export async function startBlobsWorker(): Promise<Omit<LocalBlobs, 'context'>> {
  const worker = new Worker(new URL('./blobs-worker.ts', import.meta.url));
  try {
    const { encodedContext } = await new Promise<{ encodedContext: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the Blobs worker ended with code ${code}`)));
    });
    return {
      encodedContext,
      async stop() {
        const stopped = new Promise<unknown>((resolve) => worker.once('message', resolve));
        worker.postMessage('stop');
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
