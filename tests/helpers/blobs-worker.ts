/**
 * The Blobs emulator in a worker thread of its own. Netlify Blobs is a remote service; here its
 * emulator does file-system work for every read and write (a list walks the store's directory),
 * and on the suites' thread it would compete with the functions it serves. The worker keeps the
 * functions' timings theirs. Started by startBlobsWorker() in local-blobs.ts; the store fault
 * rules (store-faults.ts) stand in front of the emulator here.
 */
import { parentPort } from 'node:worker_threads';
import { startLocalBlobs } from '../../src/server/local-blobs.ts';
import type { BlobsWorkerMessage } from './local-blobs.ts';
import { faultyFront, type StoreFaults } from './store-faults.ts';

const port = parentPort!;
const send = (message: BlobsWorkerMessage) => port.postMessage(message);
let setFaults: (faults: StoreFaults) => void = () => {};
const blobs = await startLocalBlobs({
  front: (handle) => {
    const front = faultyFront(handle, () => send({ type: 'fault' }));
    setFaults = (faults) => front.set(faults);
    return front.handle;
  },
});
port.on('message', async (message: { type: 'stop' } | { type: 'faults'; faults: StoreFaults }) => {
  if (message.type === 'faults') {
    setFaults(message.faults);
    send({ type: 'faults-set' });
    return;
  }
  await blobs.stop();
  send({ type: 'stopped' });
  port.close();
});
send({ type: 'ready', encodedContext: blobs.encodedContext });
