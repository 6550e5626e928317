/**
 * The Blobs emulator in a worker thread of its own. Netlify Blobs is a remote service; here its
 * emulator does file-system work for every read and write (a list walks the store's directory),
 * and on the suites' thread it would compete with the functions it serves. The worker keeps the
 * functions' timings theirs. Started by startBlobsWorker() in local-blobs.ts.
 */
import { parentPort } from 'node:worker_threads';
import { startLocalBlobs } from '../../src/server/local-blobs.ts';

const port = parentPort!;
const blobs = await startLocalBlobs();
port.on('message', async (message: unknown) => {
  if (message !== 'stop') return;
  await blobs.stop();
  port.postMessage('stopped');
  port.close();
});
port.postMessage({ encodedContext: blobs.encodedContext });
