import { getStore, type Store } from '@netlify/blobs';
import type { Env } from '../env.ts';
import type { SubmissionRecord, Tombstone } from './record.ts';

/** Personal data stays in the EU: Frankfurt. A site-wide store's region is fixed by its first write. */
export const STORE_REGION = 'eu-central-1';

/**
 * One store per kind of deploy, so that previews and local runs never see production's
 * submissions (site-wide stores are shared by every deploy of a site). KOMMA_STORE names another
 * one for tests; production ignores it.
 */
export function storeName(env: Env): string {
  const context = env['CONTEXT'] ?? '';
  if (env['KOMMA_STORE'] && context !== 'production') return env['KOMMA_STORE'];
  const scope = context === 'production' ? 'production' : context && context !== 'dev' ? 'preview' : 'local';
  return `komma-delivery-${scope}`;
}

/** The queue is paused until `until` (a provider quota is used up). */
export interface Pause {
  readonly until: string;
  readonly reason: string;
}

export type Found =
  | { readonly kind: 'pending'; readonly record: SubmissionRecord }
  | { readonly kind: 'done'; readonly tombstone: Tombstone };

/**
 * The delivery store. Keys: `pending/<key>` holds a record with its emails until every email is
 * out, `done/<key>` the tombstone after that, `control/pause` a quota pause, `allowances/<day>/…`
 * the day's confirmation counters. Writes that race use conditional writes (onlyIfNew, onlyIfMatch).
 */
export interface DeliveryStore {
  lookup(key: string): Promise<Found | undefined>;
  /** Writes a new record; false when one with this key exists already. */
  create(record: SubmissionRecord): Promise<boolean>;
  /** Applies `change` to the stored record, again on a fresh copy if another writer came first. */
  update(key: string, change: (record: SubmissionRecord) => SubmissionRecord): Promise<SubmissionRecord | undefined>;
  /** Replaces the record by its tombstone: the personal data is gone. */
  complete(tombstone: Tombstone): Promise<void>;
  pending(): Promise<SubmissionRecord[]>;
  pause(): Promise<Pause | undefined>;
  setPause(pause: Pause | undefined): Promise<void>;
  /** Counts one more under `counter` unless it reached `limit`; false when it had. */
  take(counter: string, limit: number): Promise<boolean>;
  /** Deletes the counters of days before `day` ("2027-01-10"). */
  forgetCountersBefore(day: string): Promise<void>;
  /**
   * Plain keys for other records that live beside the submissions (the webinar registrations, see
   * src/webinar/roster.ts): every key under `prefix`, and single-writer reads, writes and deletes.
   */
  keys(prefix: string): Promise<string[]>;
  read<T>(key: string): Promise<T | undefined>;
  /** The value with the ETag to write it back with writeIfMatch(); undefined when there is none. */
  readWithEtag<T>(key: string): Promise<{ value: T; etag: string } | undefined>;
  write(key: string, value: unknown): Promise<void>;
  /** Writes `value` only where `key` holds nothing yet; false when something was there. */
  writeIfNew(key: string, value: unknown): Promise<boolean>;
  /** Writes `value` only where `key` still holds the version `etag` names; false when it changed. */
  writeIfMatch(key: string, value: unknown, etag: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}

const CONFLICT_RETRIES = 10;

/** After a lost conditional write: wait a little, at random, so that racing writers spread out. */
const pause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));

/** Reads many keys with a few requests in flight, as the drain lists whole prefixes. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The store over a Netlify Blobs store (the real one, `@netlify/dev`'s, or a test's BlobsServer). */
export function blobsDeliveryStore(blobs: Store): DeliveryStore {
  const pendingKey = (key: string) => `pending/${key}`;

  /**
   * A value with the ETag to write it back conditionally. Netlify Blobs sends the ETag with the
   * value; the local emulator (BlobsServer) only lists it. There, the ETag is read first and the
   * value after it, so a stale pair can only fail the conditional write, never pass it.
   */
  async function readForUpdate<T>(key: string): Promise<{ data: T; etag: string } | undefined> {
    const read = await blobs.getWithMetadata(key, { type: 'json' });
    if (!read) return undefined;
    if (read.etag) return { data: read.data as T, etag: read.etag };
    const { blobs: listed } = await blobs.list({ prefix: key });
    const etag = listed.find((blob) => blob.key === key)?.etag;
    const data = (await blobs.get(key, { type: 'json' })) as T | null;
    return etag && data !== null ? { data, etag } : undefined;
  }

  async function update(key: string, change: (record: SubmissionRecord) => SubmissionRecord) {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt += 1) {
      const current = await readForUpdate<SubmissionRecord>(pendingKey(key));
      if (!current) return undefined;
      const next = change(current.data);
      const { modified } = await blobs.setJSON(pendingKey(key), next, { onlyIfMatch: current.etag });
      if (modified) return next;
      await pause(attempt);
    }
    throw new Error(`update of ${key} kept conflicting`);
  }

  return {
    async lookup(key) {
      const record = (await blobs.get(pendingKey(key), { type: 'json' })) as SubmissionRecord | null;
      if (record) return { kind: 'pending', record };
      const tombstone = (await blobs.get(`done/${key}`, { type: 'json' })) as Tombstone | null;
      return tombstone ? { kind: 'done', tombstone } : undefined;
    },
    async create(record) {
      if (!(await blobs.setJSON(pendingKey(record.key), record, { onlyIfNew: true })).modified) return false;
      // A copy sent at the same moment may have finished in between: complete() writes the
      // tombstone before it deletes the record, so a new record beside a tombstone is a duplicate.
      if (await blobs.get(`done/${record.key}`)) {
        await blobs.delete(pendingKey(record.key));
        return false;
      }
      return true;
    },
    update,
    async complete(tombstone) {
      // Tombstone first: a retry in between finds one of the two, never neither.
      await blobs.setJSON(`done/${tombstone.key}`, tombstone);
      await blobs.delete(pendingKey(tombstone.key));
    },
    async pending() {
      const { blobs: listed } = await blobs.list({ prefix: 'pending/' });
      const records = await mapLimited(listed, 8, (blob) => blobs.get(blob.key, { type: 'json' }));
      return records.filter((record): record is SubmissionRecord => record !== null);
    },
    async pause() {
      return ((await blobs.get('control/pause', { type: 'json' })) as Pause | null) ?? undefined;
    },
    async setPause(pause) {
      if (pause) await blobs.setJSON('control/pause', pause);
      else await blobs.delete('control/pause');
    },
    async take(counter, limit) {
      const key = `allowances/${counter}`;
      for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt += 1) {
        const current = await readForUpdate<{ count?: number }>(key);
        const count = current?.data.count ?? 0;
        if (count >= limit) return false;
        const { modified } = await blobs.setJSON(
          key,
          { count: count + 1 },
          current?.etag ? { onlyIfMatch: current.etag } : { onlyIfNew: true },
        );
        if (modified) return true;
        await pause(attempt);
      }
      throw new Error(`counter ${counter} kept conflicting`);
    },
    async forgetCountersBefore(day) {
      const { blobs: listed } = await blobs.list({ prefix: 'allowances/' });
      const old = listed.filter((blob) => blob.key.split('/')[1]! < day);
      await mapLimited(old, 8, (blob) => blobs.delete(blob.key));
    },
    async keys(prefix) {
      // The local emulator lists by readdir, then stat of each file: a file renamed or deleted in
      // between (another writer's temporary file) fails the whole list, and a temporary file
      // (".<random>") may show up in it. Try again; our keys never start a segment with a dot.
      for (let attempt = 0; ; attempt += 1) {
        try {
          const { blobs: listed } = await blobs.list({ prefix });
          return listed.map((blob) => blob.key).filter((key) => !key.includes('/.'));
        } catch (error) {
          if (attempt >= CONFLICT_RETRIES) throw error;
          await pause(attempt);
        }
      }
    },
    async read<T>(key: string) {
      return ((await blobs.get(key, { type: 'json' })) as T | null) ?? undefined;
    },
    async readWithEtag<T>(key: string) {
      const read = await blobs.getWithMetadata(key, { type: 'json' });
      if (!read) return undefined;
      if (!read.etag) throw new Error(`the store answered ${key} without an ETag`);
      return { value: read.data as T, etag: read.etag };
    },
    async write(key, value) {
      await blobs.setJSON(key, value);
    },
    async writeIfNew(key, value) {
      return (await blobs.setJSON(key, value, { onlyIfNew: true })).modified;
    },
    async writeIfMatch(key, value, etag) {
      // @netlify/blobs 11.1.1 answers { modified: true } for every status but 412 (netlify/primitives#741):
      // only a success carries the new ETag.
      const { modified, etag: written } = await blobs.setJSON(key, value, { onlyIfMatch: etag });
      if (!modified) return false;
      if (!written) throw new Error(`the conditional write of ${key} was not confirmed`);
      return true;
    },
    async remove(key) {
      await blobs.delete(key);
    },
  };
}

/** The site's delivery store. Call it inside a handler: Netlify sets up Blobs per request. */
export function deliveryStore(env: Env): DeliveryStore {
  return blobsDeliveryStore(getStore({ name: storeName(env), region: STORE_REGION, consistency: 'strong' }));
}
