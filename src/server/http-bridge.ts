/**
 * Node's http ↔ WHATWG Request/Response, for hosting `(request) => Response` handlers (the built
 * functions, the Blobs emulator) on a node:http server of our own that listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Netlify's limit for the body of a synchronous function call (6 MB). Larger bodies never reach a
 * function there, so the bridge answers them itself, as the platform would.
 */
export const PLATFORM_BODY_LIMIT = 6 * 1024 * 1024;

/** Connection-level headers: they describe our hop, not the request the function receives. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** The request's body, or undefined when it is larger than the platform accepts. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The WHATWG Request a handler sees: the URL from the Host header, as Netlify builds it. */
export function toRequest(req: IncomingMessage, body: Buffer, fallbackOrigin: string): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, req.rawHeaders[i + 1]!);
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${req.headers.host ?? ''}`);
  } catch {
    url = new URL(req.url ?? '/', fallbackOrigin);
  }
  const method = req.method ?? 'GET';
  const withBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, { method, headers, ...(withBody && { body: new Uint8Array(body) }) });
}

export async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = method === 'HEAD' || !response.body ? undefined : Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, headers);
  res.end(body);
}

export interface BridgeServer {
  readonly origin: string;
  stop(): Promise<void>;
}

/**
 * One node:http server on 127.0.0.1, port 0, that hands every request to `handle`. A handler that
 * throws gets a plain 500, as a crashed function gets on Netlify; `onError` hears about it.
 */
export async function serveRequests(
  handle: (request: Request) => Promise<Response>,
  onError: (error: unknown) => void = () => {},
): Promise<BridgeServer> {
  let origin = '';
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req, PLATFORM_BODY_LIMIT);
      if (!body) {
        res.writeHead(413, { 'content-type': 'text/plain' });
        res.end('Payload too large (platform limit)');
        return;
      }
      const request = toRequest(req, body, origin);
      await writeResponse(res, await handle(request), request.method);
    } catch (error) {
      onError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
