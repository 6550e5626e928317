import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stub received it. */
export interface ReceivedRequest {
  readonly headers: IncomingMessage['headers'];
  readonly body: ResendEmailBody;
  /** The id the stub answered with, on emails it delivered: what Resend's webhook events name. */
  readonly id?: string;
}

/** The JSON body the Resend SDK posts to /emails (snake_case, as on the wire). */
export interface ResendEmailBody {
  from: string;
  to: string | string[];
  reply_to?: string | string[];
  subject: string;
  text?: string;
  html?: string;
  attachments?: { filename: string; content: string; content_type?: string }[];
}

type Behaviour =
  | { deliver: true }
  | { status: 500 }
  | { status: 429; retryAfter: number }
  | { hang: true }
  /** Any error answer Resend gives, e.g. 429 daily_quota_exceeded or 422 validation_error. */
  | { status: number; name: string; headers?: Record<string, string> };

/**
 * What can go wrong between us and Resend: a 500, a 429 out of turn, an answer that never comes
 * (longer than any client waits) and a connection reset.
 */
export type FaultKind = '500' | '429' | 'hang' | 'reset';

export const FAULT_KINDS: readonly FaultKind[] = ['500', '429', 'hang', 'reset'];

export interface FaultOptions {
  /** Share of requests (0 … 1), among those the rate limit let through, that meet a fault. */
  readonly share: number;
  /** The faults to draw from, with equal weight. Default: all four. */
  readonly kinds?: readonly FaultKind[];
  /** Seeds the generator that draws faults: the same seed and requests, the same faults. Default 1. */
  readonly seed?: number;
  /**
   * Share of hangs and resets that come after Resend took the email: the client cannot tell, so a
   * retry must carry the same idempotency key. Default 0.5.
   */
  readonly afterAcceptShare?: number;
  /** Retry-After of an injected 429, in seconds. Default 1. */
  readonly retryAfterSeconds?: number;
}

/** The stub's modes; each one off when undefined. */
export interface ResendStubModes {
  /** Resend's per-second rate limit: beyond this many requests in a second, 429 rate_limit_exceeded. */
  readonly ratePerSecond?: number | undefined;
  /** Emails accepted before 429 daily_quota_exceeded, which lasts until resetQuota(). */
  readonly dailyQuota?: number | undefined;
  readonly faults?: FaultOptions | undefined;
}

export interface ResendStubOptions extends ResendStubModes {
  /** A fixed port, e.g. one a server was told about before the stub ran; default: any free one. */
  readonly port?: number;
  /** Milliseconds for the rate-limit window; injected so a unit test can end a second at will. */
  readonly clock?: () => number;
  /** Told of each email as it is accepted, with the id it got (npm run resend-stub prints them). */
  readonly onDelivered?: (email: ReceivedRequest, id: string) => void;
}

/** What the modes did so far (since the start or the last reset()). */
export interface ResendStubStats {
  /** Requests refused by the per-second limit. */
  rateLimited: number;
  /** Requests refused because the daily quota was used up. */
  quotaRefused: number;
  /** 409 answers: a known idempotency key with another body. */
  conflicts: number;
  /** Repeated requests answered from an earlier one (same key, same body): not delivered again. */
  replays: number;
  /** Faults injected, by kind. */
  injected: Record<FaultKind, number>;
  /** Emails accepted since the last resetQuota(): what the daily quota counts. */
  acceptedToday: number;
}

/**
 * A local stand-in for Resend's POST /emails: records what it receives, answers like Resend
 * (ids, 422 for missing fields, 409 for a reused idempotency key with a different body), replays
 * the first answer for a repeated Idempotency-Key without delivering again, and can be told to
 * fail, rate-limit or hang for the next requests. Its modes (startResendStub's options, or
 * configure()) add Resend's per-second rate limit with its `ratelimit-*` headers, a daily quota,
 * and faults injected into a seeded share of requests.
 */
export interface ResendStub {
  readonly url: string;
  /** Every request, also those answered with an error. */
  readonly requests: ReceivedRequest[];
  /** Emails Resend would have delivered: each idempotency key once. */
  readonly delivered: ReceivedRequest[];
  readonly stats: Readonly<ResendStubStats>;
  /** The next `times` requests get this answer ({ deliver: true }: answered as usual). Comes before any mode. */
  plan(behaviour: Behaviour, times?: number): void;
  /** Pretends an earlier email under `key` with another body: the next one gets 409, as from Resend. */
  rememberKey(key: string): void;
  /** Changes the modes named in `modes`; `faults: undefined` turns faults off (recovery). */
  configure(modes: ResendStubModes): void;
  /** A new day for the daily quota. */
  resetQuota(): void;
  /** Forgets requests, deliveries, plans, keys and stats; the modes stay. */
  reset(): void;
  /** Stops the server, and ends every connection, hung ones included. */
  close(): Promise<void>;
}

/** A small seeded generator (mulberry32): reproducible fault patterns without a dependency. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const emptyStats = (): ResendStubStats => ({
  rateLimited: 0,
  quotaRefused: 0,
  conflicts: 0,
  replays: 0,
  injected: { '500': 0, '429': 0, hang: 0, reset: 0 },
  acceptedToday: 0,
});

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

const error = (status: number, name: string, message: string, headers?: Record<string, string>): Answer => ({
  status,
  body: { name, message, statusCode: status },
  ...(headers && { headers }),
});

/** `options`: the modes and port, or (as before the modes) just a port. */
export async function startResendStub(options: number | ResendStubOptions = {}): Promise<ResendStub> {
  const {
    port = 0,
    clock = () => performance.now(),
    onDelivered,
    ...initialModes
  } = typeof options === 'number' ? { port: options } : options;
  const requests: ReceivedRequest[] = [];
  const delivered: ReceivedRequest[] = [];
  const planned: Behaviour[] = [];
  const idempotent = new Map<string, { body: string; id: string }>();
  const hung = new Set<ServerResponse>();
  let stats = emptyStats();
  let modes: ResendStubModes = {};
  let random = seededRandom(1);
  let counter = 0;
  // Resend counts requests per second; a window starts with the first request after the last one ended.
  let window = { start: -Infinity, used: 0 };

  const configure = (changes: ResendStubModes) => {
    modes = { ...modes, ...changes };
    if ('faults' in changes && changes.faults) random = seededRandom(changes.faults.seed ?? 1);
  };
  configure(initialModes);

  /** Counts this request against the second; the headers Resend sends, and whether it is over the limit. */
  const takeRate = (): { over: boolean; headers: Record<string, string> } => {
    const limit = modes.ratePerSecond;
    if (limit === undefined) return { over: false, headers: {} };
    const now = clock();
    if (now - window.start >= 1000) window = { start: now, used: 0 };
    const over = window.used >= limit;
    if (!over) window.used += 1;
    // Whole seconds, as Resend sends them; at least 1 while the window lasts.
    const reset = String(Math.max(1, Math.ceil((window.start + 1000 - now) / 1000)));
    const headers = {
      'ratelimit-limit': String(limit),
      'ratelimit-remaining': String(Math.max(0, limit - window.used)),
      'ratelimit-reset': reset,
    };
    return { over, headers: over ? { ...headers, 'retry-after': reset } : headers };
  };

  const drawFault = (): { kind: FaultKind; afterAccept: boolean } | undefined => {
    const faults = modes.faults;
    if (!faults || faults.share <= 0) return undefined;
    // Always three draws, so that one decision never shifts the pattern of the next requests.
    const [hit, pick, after] = [random(), random(), random()];
    if (hit >= faults.share) return undefined;
    const kinds = faults.kinds?.length ? faults.kinds : FAULT_KINDS;
    const kind = kinds[Math.floor(pick * kinds.length)]!;
    return { kind, afterAccept: after < (faults.afterAcceptShare ?? 0.5) };
  };

  /** Resend's own handling of a well-formed request: validation, idempotency, quota, delivery. */
  const handleEmail = (raw: string, received: ReceivedRequest): Answer => {
    const { body } = received;
    if (!body.from || !body.to || !body.subject) {
      return error(422, 'missing_required_field', 'Missing from, to or subject');
    }
    const key = received.headers['idempotency-key'];
    if (typeof key === 'string') {
      const earlier = idempotent.get(key);
      if (earlier && earlier.body !== raw) {
        stats.conflicts += 1;
        return error(409, 'invalid_idempotent_request', 'Same key, different payload');
      }
      if (earlier) {
        stats.replays += 1;
        return { status: 200, body: { id: earlier.id } };
      }
    }
    if (modes.dailyQuota !== undefined && stats.acceptedToday >= modes.dailyQuota) {
      stats.quotaRefused += 1;
      return error(429, 'daily_quota_exceeded', 'You have reached your daily email sending quota.');
    }
    const id = `stub-${++counter}`;
    if (typeof key === 'string') idempotent.set(key, { body: raw, id });
    delivered.push({ ...received, id });
    stats.acceptedToday += 1;
    onDelivered?.(received, id);
    return { status: 200, body: { id } };
  };

  const answer = (res: ServerResponse, { status, body, headers = {} }: Answer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...extra, ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || req.url !== '/emails') return answer(res, error(404, 'not_found', 'Not found'));
    if (!req.headers.authorization?.startsWith('Bearer re_')) {
      return answer(res, error(401, 'missing_api_key', 'Missing API key'));
    }
    let body: ResendEmailBody;
    try {
      body = JSON.parse(raw) as ResendEmailBody;
    } catch {
      return answer(res, error(422, 'validation_error', 'The body is not valid JSON'));
    }
    const received = { headers: req.headers, body };
    requests.push(received);

    const behaviour = planned.shift();
    if (behaviour && 'hang' in behaviour) return; // never answers; close() ends the socket
    if (behaviour && 'name' in behaviour) {
      return answer(res, error(behaviour.status, behaviour.name, behaviour.name, behaviour.headers));
    }
    if (behaviour && 'retryAfter' in behaviour) {
      return answer(
        res,
        error(429, 'rate_limit_exceeded', 'Too many requests.', { 'retry-after': String(behaviour.retryAfter) }),
      );
    }
    if (behaviour && 'status' in behaviour && behaviour.status === 500)
      return answer(res, error(500, 'internal_server_error', 'Boom'));

    const rate = takeRate();
    if (rate.over) {
      stats.rateLimited += 1;
      return answer(res, error(429, 'rate_limit_exceeded', 'Too many requests.'), rate.headers);
    }
    const fault = drawFault();
    if (fault) stats.injected[fault.kind] += 1;
    if (fault?.kind === '500') return answer(res, error(500, 'internal_server_error', 'Injected fault'), rate.headers);
    if (fault?.kind === '429') {
      const retryAfter = String(modes.faults?.retryAfterSeconds ?? 1);
      return answer(res, error(429, 'rate_limit_exceeded', 'Too many requests.'), {
        ...rate.headers,
        'ratelimit-remaining': '0',
        'retry-after': retryAfter,
      });
    }
    if (fault) {
      // The email may have left before the line went quiet: the client cannot tell the two apart.
      if (fault.afterAccept) handleEmail(raw, received);
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    answer(res, handleEmail(raw, received), rate.headers);
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    delivered,
    get stats() {
      return stats;
    },
    plan(behaviour, times = 1) {
      for (let i = 0; i < times; i += 1) planned.push(behaviour);
    },
    rememberKey(key) {
      idempotent.set(key, { body: '{"earlier":"payload"}', id: `stub-${++counter}` });
    },
    configure,
    resetQuota() {
      stats.acceptedToday = 0;
    },
    reset() {
      requests.length = 0;
      delivered.length = 0;
      planned.length = 0;
      idempotent.clear();
      stats = emptyStats();
      window = { start: -Infinity, used: 0 };
    },
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The text of an attachment as the SDK sent it (base64 on the wire). */
export function attachmentText(attachment: { content: string }): string {
  return Buffer.from(attachment.content, 'base64').toString('utf8');
}
