/**
 * Netlify Blobs for local runs (`npm run serve`, `npm start`) and the tests: the emulator from
 * `@netlify/blobs/server`, behind a front that makes it keep production's promises, on 127.0.0.1,
 * with the environment context Netlify gives every function so that `getStore({ name, region,
 * consistency })` works without credentials.
 */
import { mkdir, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobsServer } from '@netlify/blobs/server';
import { serveRequests } from './http-bridge.ts';

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

/** The emulator's parts that the front uses; TypeScript calls them private. */
interface EmulatorInternals {
  address: string;
  handleRequest(request: Request): Promise<Response>;
  getLocalPaths(url: URL): { dataPath?: string; key?: string };
}

/** How the emulator makes an ETag: an HMAC of the file's modification time (private there too). */
const etagOf = (dataPath: string) =>
  (BlobsServer as unknown as { generateETag(path: string): Promise<string> }).generateETag(dataPath);

/**
 * The emulator (node_modules/@netlify/blobs/dist/server.js) falls short of Netlify Blobs in three
 * ways, which this front makes good:
 * - a conditional write (onlyIfNew, onlyIfMatch) checks and writes in steps with awaits between,
 *   so two writers can both pass: requests to one key are served one at a time, reads too, so that
 *   a read and its ETag describe one settled version;
 * - a read carries no ETag: the front adds it;
 * - the ETag is made from the file's modification time in milliseconds, which two writes in one
 *   millisecond (or within the file system's timestamp granularity) share, so a stale onlyIfMatch
 *   would pass: after each write the front moves the time on past the key's previous one.
 * Lists and requests for whole stores pass through unqueued.
 */
export function atomicFront(emulator: BlobsServer): (request: Request) => Promise<Response> {
  const internals = emulator as unknown as EmulatorInternals;
  const queues = new Map<string, Promise<unknown>>();
  const lastWritten = new Map<string, number>();

  async function serve(request: Request, dataPath: string): Promise<Response> {
    const response = await internals.handleRequest(request);
    if (request.method === 'PUT' && response.status === 200) {
      // The Date the emulator's ETag is made from (Node rounds the file's time to the millisecond).
      const { mtime, atime } = await stat(dataPath);
      const previous = lastWritten.get(dataPath) ?? -Infinity;
      let written = mtime.getTime();
      if (written <= previous) {
        written = previous + 1;
        await utimes(dataPath, atime, written / 1000);
      }
      lastWritten.set(dataPath, written);
    } else if (!(request.method === 'GET' && response.status === 200)) {
      return response;
    }
    const headers = new Headers(response.headers);
    headers.set('etag', await etagOf(dataPath));
    return new Response(response.body, { status: response.status, headers });
  }

  return (request) => {
    const { dataPath, key } = internals.getLocalPaths(new URL(request.url));
    if (!dataPath || !key) return internals.handleRequest(request);
    const result = (queues.get(dataPath) ?? Promise.resolve()).then(() => serve(request, dataPath));
    const settled = result.catch(() => {});
    queues.set(dataPath, settled);
    void settled.then(() => {
      if (queues.get(dataPath) === settled) queues.delete(dataPath);
    });
    return result;
  };
}

/** A request handler of the store's server. */
export type BlobsHandler = (request: Request) => Promise<Response>;

export interface LocalBlobsOptions {
  /** Where the blobs are kept; without it, a temporary directory that stop() removes. */
  readonly directory?: string;
  /** What stands in front of the atomic front, e.g. a test's fault rules; nothing by default. */
  readonly front?: (handle: BlobsHandler) => BlobsHandler;
}

/**
 * Blobs for `npm run serve` and `astro dev`: kept under .netlify/blobs-serve, and named to the
 * functions in NETLIFY_BLOBS_CONTEXT, which the emulator's function workers inherit from this process.
 */
export async function serveLocalBlobs(): Promise<LocalBlobs> {
  const blobs = await startLocalBlobs({ directory: join(process.cwd(), '.netlify', 'blobs-serve') });
  process.env['NETLIFY_BLOBS_CONTEXT'] = blobs.encodedContext;
  return blobs;
}

/**
 * Starts the emulator behind atomicFront() on 127.0.0.1 and an OS-assigned port. Not
 * `BlobsServer.start()`: its server listens on every interface.
 */
export async function startLocalBlobs(options: LocalBlobsOptions = {}): Promise<LocalBlobs> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'komma-blobs-')));
  await mkdir(directory, { recursive: true });
  const token = 'local-blobs-token';
  const emulator = new BlobsServer({ directory, token });
  const front = options.front ?? ((handle: BlobsHandler) => handle);
  const server = await serveRequests(front(atomicFront(emulator)));
  (emulator as unknown as EmulatorInternals).address = server.origin;
  const context: BlobsContext = {
    siteID: 'local-site',
    token,
    edgeURL: server.origin,
    uncachedEdgeURL: server.origin,
    deployID: 'local-deploy',
    primaryRegion: 'eu-central-1',
  };
  return {
    context,
    encodedContext: Buffer.from(JSON.stringify(context)).toString('base64'),
    async stop() {
      await server.stop();
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
