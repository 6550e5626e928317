/**
 * Chosen store calls fail: a front of the Blobs emulator that answers a matching request itself,
 * with an error status or not at all, before the emulator sees it (so a failed write wrote
 * nothing). Set per test through the harness (`harness.setStoreFaults`).
 *
 * Mind the client: @netlify/blobs retries a 429 or 5xx (and a failed fetch) five more times, so a
 * rule meant to outlast one call needs `times` of at least 6, or none (every matching call).
 */
export type StoreMethod = 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'LIST';

export interface StoreFaultRule {
  /** The kind of call; LIST is a GET of the store itself (a listing). Unset: every kind. */
  readonly method?: StoreMethod;
  /** Calls whose key (or, for LIST, whose `prefix`) starts with this. Unset: every key. */
  readonly keyPrefix?: string;
  /** The answer's status [500], or one of several, drawn from the seeded sequence; ignored with `hang`. */
  readonly status?: number | readonly number[];
  /** Never answer: the call stays open until the caller gives up (or the harness stops). */
  readonly hang?: boolean;
  /** Fail only so many matching calls, then let them through. Unset: all of them. */
  readonly times?: number;
  /** The share of matching calls that fail, from a seeded sequence [1]. */
  readonly probability?: number;
}

export interface StoreFaults {
  readonly rules: readonly StoreFaultRule[];
  /** Seeds the sequence that `probability` draws from, so a run can be repeated. */
  readonly seed?: number;
}

/** A store call as the fault rules see it. */
interface StoreCall {
  readonly method: StoreMethod;
  readonly key: string;
}

/** /[region:xx/]siteID/storeName/key… → the method and key (see BlobsServer.getLocalPaths). */
export function storeCallOf(request: Request): StoreCall {
  const url = new URL(request.url);
  let parts = url.pathname.split('/').slice(1);
  if (parts[0]?.startsWith('region:')) parts = parts.slice(1);
  const key = parts.slice(2).map(decodeURIComponent).join('/');
  if (request.method === 'GET' && key === '') return { method: 'LIST', key: url.searchParams.get('prefix') ?? '' };
  return { method: request.method as StoreMethod, key };
}

/** mulberry32: a small seeded generator, enough to pick which calls fail. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultyFront {
  /** The handler with the faults in front of it. */
  readonly handle: (request: Request) => Promise<Response>;
  /** Replaces the rules (an empty list lets everything through). */
  set(faults: StoreFaults): void;
}

/**
 * Puts the fault rules in front of `handle`. `onFault` hears each call that was failed. The first
 * matching rule that still has calls left decides.
 */
export function faultyFront(
  handle: (request: Request) => Promise<Response>,
  onFault: (call: StoreCall) => void = () => {},
): FaultyFront {
  let rules: { rule: StoreFaultRule; left: number }[] = [];
  let random = seeded(1);
  return {
    set(faults) {
      rules = faults.rules.map((rule) => ({ rule, left: rule.times ?? Infinity }));
      random = seeded(faults.seed ?? 1);
    },
    handle(request) {
      const call = storeCallOf(request);
      const match = rules.find(
        ({ rule, left }) =>
          left > 0 &&
          (rule.method === undefined || rule.method === call.method) &&
          call.key.startsWith(rule.keyPrefix ?? ''),
      );
      if (!match || random() >= (match.rule.probability ?? 1)) return handle(request);
      match.left -= 1;
      onFault(call);
      if (match.rule.hang) return new Promise<Response>(() => {});
      const statuses = [match.rule.status ?? 500].flat();
      const status = statuses[Math.floor(random() * statuses.length)]!;
      return Promise.resolve(new Response(null, { status }));
    },
  };
}
