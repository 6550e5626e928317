/**
 * Serves the production build in dist/ with its functions, headers and redirects through Netlify's
 * own emulator, as Netlify would route them: `npm run serve` (PORT, default 8888; HOST, default
 * 127.0.0.1). Needs no account and no network. With `--deliver-every=SECONDS` (as `npm start` runs
 * it) it also runs the scheduled function deliver-pending that often, as Netlify would in production.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { NetlifyDev } from '@netlify/dev';
import { serveLocalBlobs } from './local-blobs.ts';
import { provideLocalTokenSecret } from './local-secret.ts';
import { UNUSED_NETLIFY_FEATURES } from './netlify-features.ts';
import { triggerDrain } from './trigger-drain.ts';

const DIST = 'dist';
if (!existsSync(`${DIST}/index.html`)) {
  console.error(`No build in ${DIST}/. Run \`npm run build\` first, or \`npm start\` to build and serve.`);
  process.exit(1);
}

const port = Number(process.env['PORT'] ?? 8888);
const host = process.env['HOST'] ?? '127.0.0.1';
const blobs = await serveLocalBlobs();
await provideLocalTokenSecret();
// Links in the emails (cancel links) lead to this server, not to the live site, unless URL says
// otherwise. A port of 0 is known only once listening, after the function workers have started.
if (!process.env['URL'] && port > 0) process.env['URL'] = `http://localhost:${port}`;
const netlify = new NetlifyDev(UNUSED_NETLIFY_FEATURES);
await netlify.start();

async function send(res: ServerResponse, response: Response, method: string | undefined): Promise<void> {
  res.statusCode = response.status;
  // The emulator already applied the header rules from netlify.toml: copy, never add them again.
  response.headers.forEach((value, name) => res.appendHeader(name, value));
  if (!response.body || method === 'HEAD') {
    res.end();
    return;
  }
  Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
}

async function notFound(req: IncomingMessage): Promise<Response> {
  // As on Netlify: the site's own 404 page, with status 404 and the same header rules as any page.
  const page = await netlify.handle(new Request(new URL('/404.html', `http://${req.headers.host}`)));
  const body = page ? await page.arrayBuffer() : await readFile(`${DIST}/404.html`);
  return new Response(body, { status: 404, headers: page?.headers ?? { 'content-type': 'text/html; charset=utf-8' } });
}

const server = createServer(async (req, res) => {
  try {
    const match = await netlify.handleAndIntrospectNodeRequest(req);
    await send(res, match?.response ?? (await notFound(req)), req.method);
  } catch (error) {
    console.error('Request failed:', req.method, req.url, error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Interner Fehler');
  }
});

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  // Tests read the address from this line.
  console.log(
    `KommA site with functions on http://${host === '127.0.0.1' ? 'localhost' : host}:${actualPort}/ (listening on ${host}:${actualPort})`,
  );
  scheduleDrain(`http://127.0.0.1:${actualPort}`);
});

/** `--deliver-every=60`: the local stand-in for Netlify's scheduler. */
function scheduleDrain(origin: string): void {
  const flag = process.argv.find((arg) => arg.startsWith('--deliver-every='));
  const seconds = Number(flag?.split('=')[1]);
  if (!flag || !(seconds > 0)) return;
  console.log(`Running deliver-pending every ${seconds} s.`);
  const run = () =>
    triggerDrain(origin, seconds * 1000)
      .then(({ report }) => console.log(`deliver-pending: ${JSON.stringify(report)}`))
      .catch(() => console.error('deliver-pending: the server did not answer'));
  setInterval(run, seconds * 1000).unref();
}

async function shutdown(): Promise<void> {
  server.close();
  server.closeAllConnections();
  await netlify.stop();
  await blobs.stop();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
