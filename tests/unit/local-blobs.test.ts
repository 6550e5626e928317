import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBlobs, type TestBlobs } from '../helpers/blobs.ts';

let blobs: TestBlobs;
beforeEach(async () => {
  blobs = await startBlobs();
});
afterEach(() => blobs.stop());

describe('the local Blobs server (src/server/local-blobs.ts)', () => {
  it('answers a read with the ETag of the write that made it', async () => {
    const { etag } = await blobs.blobs.setJSON('k', { n: 1 });
    expect(etag).toMatch(/^".+"$/);
    expect(await blobs.blobs.getWithMetadata('k', { type: 'json' })).toMatchObject({ data: { n: 1 }, etag });
  });

  it('gives every write its own ETag, so a stale onlyIfMatch fails even right after the write', async () => {
    const seen = new Set<string>();
    let etag = (await blobs.blobs.setJSON('k', { n: 0 })).etag!;
    for (let n = 1; n <= 50; n += 1) {
      seen.add(etag);
      const written = await blobs.blobs.setJSON('k', { n }, { onlyIfMatch: etag });
      expect(written.modified).toBe(true);
      expect(await blobs.blobs.setJSON('k', { n: -1 }, { onlyIfMatch: etag })).toEqual({ modified: false });
      etag = written.etag!;
    }
    expect(seen.size).toBe(50);
    expect(await blobs.blobs.get('k', { type: 'json' })).toEqual({ n: 50 });
  });

  it('lets one of many onlyIfNew writes to a key at once win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => blobs.store.writeIfNew('once', { n })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
