/**
 * A built site served as Netlify serves it, in the test's own process: the pages of a dist/ folder
 * with netlify.toml's header rules and the site's 404 page, and the routes of the functions
 * (config.path) answered by the in-process harness (tests/helpers/harness.ts: functions built once
 * per run, the real Resend SDK against the stub, Blobs from the local emulator). It starts in
 * milliseconds, where `npm run serve` (@netlify/dev) takes seconds and bundles a function afresh on
 * every request; tests/integration/netlify-dev-smoke.test.ts keeps proving the emulator's routing.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { parseAllHeaders, type Header } from '@netlify/headers-parser';
import type { DrainReport } from '../../src/delivery/drain.ts';
import { serveRequests } from '../../src/server/http-bridge.ts';
import { settings as contentSettings } from '../../src/settings/index.ts';
import { SETTINGS_FILE, parseSettings } from '../../src/settings/parse.ts';
import type { Settings } from '../../src/settings/schema.ts';
import { setEnv, type EnvChanges } from './environment.ts';
import { startHarness, type Harness } from './harness.ts';
import { TEST_REQUEST_BUDGET } from './request-budget.ts';
import { installSettings } from './harness-settings.ts';
import type { ResendStub } from './resend-stub.ts';

export interface TestSiteOptions {
  /** The functions' clock (KOMMA_NOW) at the start; the pages' is the build's. */
  readonly now: Date;
  /**
   * The project the build was made in, e.g. a pinnedBuild's dir: its dist/ is served, and its
   * content/settings.json is what the functions read. Without it: this project, whose settings are
   * src/settings/index.ts's.
   */
  readonly projectDir?: string;
  /** More environment for the functions, e.g. WEBINAR_TOKEN_SECRET. */
  readonly env?: EnvChanges;
}

export interface TestSite {
  /** e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  readonly harness: Harness;
  /** The stub behind the real Resend SDK: what the functions sent. */
  readonly resend: ResendStub;
  /** The functions' log lines so far, one per line. */
  log(): string;
  /** Moves the functions' clock; the next request reads it. */
  setNow(instant: Date): void;
  /** Runs the scheduled function deliver-pending once, as Netlify's scheduler would. */
  drain(): Promise<DrainReport>;
  stop(): Promise<void>;
}

/** As @netlify/static answers every file before the header rules apply. */
const STATIC_HEADERS = { age: '0', 'cache-control': 'public, max-age=0, must-revalidate' };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The sites running in this process, latest last. The functions read their clock, store and
 * settings from the process (as on Netlify, one site per process), so only the latest site answers;
 * stopping it gives the one before back its environment.
 */
const running: { readonly site: TestSite; readonly settings: Settings }[] = [];

/** The settings the build was made from: the project's own, or a copy's edited content. */
async function settingsOf(projectDir: string | undefined): Promise<Settings> {
  if (projectDir === undefined) return contentSettings;
  return parseSettings(JSON.parse(await readFile(join(projectDir, SETTINGS_FILE), 'utf8')));
}

/** netlify.toml's [[headers]] (and any _headers file), parsed as @netlify/dev parses them. */
async function headerRules(projectDir: string, dist: string): Promise<Header[]> {
  const { headers, errors } = await parseAllHeaders({
    headersFiles: [join(projectDir, '_headers'), join(dist, '_headers')],
    netlifyConfigPath: join(projectDir, 'netlify.toml'),
    configHeaders: [],
    minimal: false,
  });
  if (errors.length > 0) throw new Error(`netlify.toml's headers: ${errors.map((e) => e.message).join('; ')}`);
  return headers as Header[];
}

/** The files a URL path may mean, in @netlify/static's order: "/a/" → a.html, a/index.html. */
function candidates(pathname: string): string[] {
  if (pathname.endsWith('/')) {
    const base = pathname.slice(0, -1);
    return [...(base ? [`${base}.html`] : []), `${pathname}index.html`];
  }
  if (extname(pathname)) return [pathname];
  return [pathname, `${pathname}.html`, `${pathname}/index.html`];
}

/** The file in `dist` for the path, or undefined; nothing outside `dist`. */
async function fileFor(dist: string, pathname: string): Promise<string | undefined> {
  for (const candidate of candidates(pathname)) {
    const file = resolve(dist, `.${candidate}`);
    if (!file.startsWith(dist + sep)) return undefined;
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  return undefined;
}

/** Starts the site; stop it in afterAll. */
export async function startTestSite(options: TestSiteOptions): Promise<TestSite> {
  const projectDir = resolve(options.projectDir ?? '.');
  const dist = join(projectDir, 'dist');
  const [settings, rules] = await Promise.all([settingsOf(options.projectDir), headerRules(projectDir, dist)]);
  const harness = await startHarness({
    now: options.now,
    settings,
    keepLogs: true,
    env: { ...TEST_REQUEST_BUDGET, ...options.env },
  });

  const page = async (file: string, status: number, rulePath: string): Promise<Response> => {
    const headers = new Headers(STATIC_HEADERS);
    headers.set('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    for (const rule of rules) {
      if (!rule.forRegExp.test(rulePath)) continue;
      for (const [name, value] of Object.entries(rule.values)) headers.set(name, value);
    }
    return new Response(await readFile(file), { status, headers });
  };

  const answer = async (request: Request): Promise<Response> => {
    if (running.at(-1)?.site !== site) {
      return new Response('Another test site started later in this process answers now; stop it first.', {
        status: 500,
      });
    }
    // As on Netlify: a function's config.path comes before a file at the same path.
    const fromFunction = await harness.route(request);
    if (fromFunction) return fromFunction;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return new Response('Bad Request', { status: 400 });
    }
    const file = await fileFor(dist, pathname);
    if (file) return page(file, 200, pathname);
    return page(join(dist, '404.html'), 404, '/404.html');
  };

  const server = await serveRequests(answer, (error) => harness.logs.note('test-site-threw', error)).catch(
    async (error: unknown) => {
      await harness.stop();
      throw error;
    },
  );
  // Links in the emails (cancel links) lead to this server, as `npm run serve` sets it.
  const restoreUrl = setEnv({ URL: server.origin });

  const site: TestSite = {
    origin: server.origin,
    harness,
    resend: harness.stub,
    log: () => harness.logs.lines.join('\n'),
    setNow: (instant) => harness.setNow(instant),
    drain: () => harness.drain(),
    async stop() {
      const index = running.findIndex((entry) => entry.site === site);
      if (index === -1) return;
      running.splice(index, 1);
      await server.stop();
      restoreUrl();
      await harness.stop();
      const previous = running.at(-1);
      if (previous) installSettings(previous.settings);
    },
  };
  running.push({ site, settings });
  return site;
}
