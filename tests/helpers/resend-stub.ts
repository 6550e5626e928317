import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stub received it. */
export interface ReceivedRequest {
  readonly headers: IncomingMessage['headers'];
  readonly body: ResendEmailBody;
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
 * A local stand-in for Resend's POST /emails: records what it receives, answers like Resend
 * (ids, 422 for missing fields, 409 for a reused idempotency key with a different body), replays
 * the first answer for a repeated Idempotency-Key without delivering again, and can be told to
 * fail, rate-limit or hang for the next requests.
 */
export interface ResendStub {
  readonly url: string;
  /** Every request, also those answered with an error. */
  readonly requests: ReceivedRequest[];
  /** Emails Resend would have delivered: each idempotency key once. */
  readonly delivered: ReceivedRequest[];
  /** The next `times` requests get this answer ({ deliver: true }: answered as usual). */
  plan(behaviour: Behaviour, times?: number): void;
  /** Pretends an earlier email under `key` with another body: the next one gets 409, as from Resend. */
  rememberKey(key: string): void;
  reset(): void;
  close(): Promise<void>;
}

/** `port`: a fixed port, e.g. one a server was told about before the stub ran; default: any free one. */
export async function startResendStub(port = 0): Promise<ResendStub> {
  const requests: ReceivedRequest[] = [];
  const delivered: ReceivedRequest[] = [];
  const planned: Behaviour[] = [];
  const idempotent = new Map<string, { body: string; id: string }>();
  let counter = 0;

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || req.url !== '/emails')
      return answer(res, 404, { name: 'not_found', message: 'Not found', statusCode: 404 });
    if (!req.headers.authorization?.startsWith('Bearer re_')) {
      return answer(res, 401, { name: 'missing_api_key', message: 'Missing API key', statusCode: 401 });
    }
    const body = JSON.parse(raw) as ResendEmailBody;
    const received = { headers: req.headers, body };
    requests.push(received);

    const behaviour = planned.shift();
    if (behaviour && 'hang' in behaviour) return; // never answers; close() ends the socket
    if (behaviour && 'name' in behaviour) {
      return answer(
        res,
        behaviour.status,
        { name: behaviour.name, message: behaviour.name, statusCode: behaviour.status },
        behaviour.headers,
      );
    }
    if (behaviour && 'retryAfter' in behaviour) {
      return answer(
        res,
        429,
        { name: 'rate_limit_exceeded', message: 'Too many requests.', statusCode: 429 },
        { 'retry-after': String(behaviour.retryAfter) },
      );
    }
    if (behaviour && 'status' in behaviour && behaviour.status === 500)
      return answer(res, 500, { name: 'internal_server_error', message: 'Boom', statusCode: 500 });

    if (!body.from || !body.to || !body.subject) {
      return answer(res, 422, {
        name: 'missing_required_field',
        message: 'Missing from, to or subject',
        statusCode: 422,
      });
    }
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string') {
      const earlier = idempotent.get(key);
      if (earlier && earlier.body !== raw) {
        return answer(res, 409, {
          name: 'invalid_idempotent_request',
          message: 'Same key, different payload',
          statusCode: 409,
        });
      }
      if (earlier) return answer(res, 200, { id: earlier.id });
    }
    const id = `stub-${++counter}`;
    if (typeof key === 'string') idempotent.set(key, { body: raw, id });
    delivered.push(received);
    answer(res, 200, { id });
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    delivered,
    plan(behaviour, times = 1) {
      for (let i = 0; i < times; i += 1) planned.push(behaviour);
    },
    rememberKey(key) {
      idempotent.set(key, { body: '{"earlier":"payload"}', id: `stub-${++counter}` });
    },
    reset() {
      requests.length = 0;
      delivered.length = 0;
      planned.length = 0;
      idempotent.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The text of an attachment as the SDK sent it (base64 on the wire). */
export function attachmentText(attachment: { content: string }): string {
  return Buffer.from(attachment.content, 'base64').toString('utf8');
}
