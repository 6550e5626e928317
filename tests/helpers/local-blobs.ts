/**
 * Netlify Blobs for the built functions: the emulator from `@netlify/blobs/server` on a temporary
 * directory, and the environment context that Netlify gives every function so that
 * `getStore({ name, region, consistency })` works without credentials.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BlobsServer } from '@netlify/blobs/server';
import { serveRequests } from './http-bridge.ts';
import type { StoreFaults } from './store-faults.ts';

/**
 * What Netlify puts (base64-encoded JSON) in NETLIFY_BLOBS_CONTEXT; read by `getEnvironmentContext`
 * in node_modules/@netlify/blobs/dist (the same code is bundled into every function).
 */
export interface BlobsContext {
  readonly siteID: string;
  readonly token: string;
  readonly edgeURL: string;
  /** Where reads with `consistency: 'strong'` go. */
  readonly uncachedEdgeURL: string;
  readonly deployID: string;
  readonly primaryRegion: string;
}

export interface LocalBlobs {
  readonly context: BlobsContext;
  /** The value of NETLIFY_BLOBS_CONTEXT. */
  readonly encodedContext: string;
  stop(): Promise<void>;
}

/**
 * The emulator's request handler, which `BlobsServer.start()` would serve. `start()` listens on
 * every interface (its HTTPServer calls `listen(port)` without a host), so we serve the same
 * handler on 127.0.0.1 ourselves; `address` is the base it resolves request URLs against.
 */
interface EmulatorInternals {
  address: string;
  handleRequest(request: Request): Promise<Response>;
}

/**
 * Netlify Blobs applies a conditional write (onlyIfNew, onlyIfMatch) atomically. The emulator checks
 * the condition and writes the file in separate steps with awaits between them, so two concurrent
 * writes to one key can both pass the check and one update is lost. A hot key (the day's total of
 * confirmations) would then count wrong for the emulator's sake alone. Writes to the same key are
 * therefore queued here, one at a time; reads and other keys are not held up. The emulator's ETag
 * is made from the file's modification time in milliseconds, so two writes to a key within one
 * millisecond would share an ETag and a stale onlyIfMatch would pass: writes to a key are kept a
 * millisecond apart as well.
 */
function oneWriteAtATime(handle: (request: Request) => Promise<Response>) {
  const queues = new Map<string, Promise<unknown>>();
  const lastWrite = new Map<string, number>();
  return (request: Request): Promise<Response> => {
    if (request.method !== 'PUT' && request.method !== 'DELETE') return handle(request);
    const key = new URL(request.url).pathname;
    const result = (queues.get(key) ?? Promise.resolve()).then(async () => {
      while (Date.now() === lastWrite.get(key)) await new Promise((resolve) => setTimeout(resolve, 1));
      try {
        return await handle(request);
      } finally {
        lastWrite.set(key, Date.now());
      }
    });
    const done = result.catch(() => {});
    queues.set(key, done);
    void done.then(() => {
      if (queues.get(key) === done) queues.delete(key);
    });
    return result;
  };
}

/** What stands in front of the emulator, e.g. fault rules (store-faults.ts); nothing by default. */
export type BlobsFront = (handle: (request: Request) => Promise<Response>) => (request: Request) => Promise<Response>;

export async function startLocalBlobs(front: BlobsFront = (handle) => handle): Promise<LocalBlobs> {
  const directory = await mkdtemp(join(tmpdir(), 'komma-load-blobs-'));
  const token = 'load-test-token';
  const emulator = new BlobsServer({ directory, token }) as unknown as EmulatorInternals;
  const server = await serveRequests(front(oneWriteAtATime((request) => emulator.handleRequest(request))));
  emulator.address = server.origin;
  const context: BlobsContext = {
    siteID: 'load-test-site',
    token,
    edgeURL: server.origin,
    uncachedEdgeURL: server.origin,
    deployID: 'load-test-deploy',
    primaryRegion: 'eu-central-1',
  };
  return {
    context,
    encodedContext: Buffer.from(JSON.stringify(context)).toString('base64'),
    async stop() {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

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
