/**
 * Lighthouse on /bewerbung/ at each state of the application window: a build pinned before it opens,
 * while it is open and after it closes, and the build from before it opens read while it is open,
 * each served with gzip as a static host serves it, measured
 * with Lighthouse's mobile and desktop settings in headless Chromium. The page states the window's
 * state at build time, so no state may shift the layout (CLS) or cost performance.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM_FLAGS } from '../helpers/browser.ts';
import { contentWindow } from '../helpers/content-dates.ts';
import { browserLine, findBrowser } from '../helpers/find-browser.ts';
import { pinnedBuild } from '../helpers/pinned-build.ts';
import { serveStatic } from '../helpers/static-server.ts';

const PAGE = '/bewerbung/';

export const MOMENTS = {
  'before it opens': contentWindow.justBefore,
  'while open': contentWindow.inside,
  'after it closes': contentWindow.closed,
} as const;

/**
 * A page built before the window opens and read while it is open (no rebuild in between): the
 * page must decide its state before the first paint, or its layout shifts.
 */
const STALE = 'built before, read while open';
export type Moment = keyof typeof MOMENTS | typeof STALE;

/** The moments measured: each a build by a clock, and the clock the page is read by. */
const READINGS: readonly { moment: Moment; builtAt: Date; readAt: Date }[] = [
  ...(Object.entries(MOMENTS) as [keyof typeof MOMENTS, Date][]).map(([moment, at]) => ({
    moment,
    builtAt: at,
    readAt: at,
  })),
  { moment: STALE, builtAt: contentWindow.justBefore, readAt: contentWindow.inside },
];
export type FormFactor = 'mobile' | 'desktop';

export interface LighthouseRun {
  readonly moment: Moment;
  readonly formFactor: FormFactor;
  /** Lighthouse's performance score, 0–100. */
  readonly performance: number;
  readonly cls: number;
  readonly lcpMs: number;
  readonly tbtMs: number;
}

/** Headless Chromium with a DevTools port for Lighthouse, on a fresh profile. */
async function startChromium(): Promise<{ port: number; stop: () => Promise<void> }> {
  const browser = await findBrowser();
  console.log(browserLine(browser));
  const profile = await mkdtemp(join(tmpdir(), 'komma-lighthouse-'));
  const child: ChildProcess = spawn(
    browser.path,
    [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profile}`,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { env: { ...process.env, ...browser.env } },
  );
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
    await rm(profile, { recursive: true, force: true });
  };
  // Chromium says where DevTools listens on stderr once it is ready.
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`Chromium ended (${code}) before DevTools listened:\n${output}`)));
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { port, stop };
}

async function measure(url: string, port: number, formFactor: FormFactor) {
  const config = formFactor === 'desktop' ? desktopConfig : undefined;
  const result = await lighthouse(url, { port, logLevel: 'error', onlyCategories: ['performance'] }, config);
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}.`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
  const numeric = (audit: string) => lhr.audits[audit]?.numericValue ?? Number.NaN;
  return {
    performance: Math.round((lhr.categories['performance']?.score ?? 0) * 100),
    cls: numeric('cumulative-layout-shift'),
    lcpMs: numeric('largest-contentful-paint'),
    tbtMs: numeric('total-blocking-time'),
  };
}

/**
 * One pinned build per moment, each measured on mobile and desktop; builds run one after another,
 * and a build read at two moments (the stale one) is built once.
 */
export async function lighthouseRuns(): Promise<LighthouseRun[]> {
  const runs: LighthouseRun[] = [];
  const chromium = await startChromium();
  try {
    for (const builtAt of new Set(READINGS.map((reading) => reading.builtAt))) {
      const build = await pinnedBuild(builtAt);
      const page = join(build.dist, PAGE, 'index.html');
      const html = await readFile(page, 'utf8');
      try {
        for (const { moment, readAt } of READINGS.filter((reading) => reading.builtAt === builtAt)) {
          // The pinned build's <html data-now> is the clock its scripts read: the reader's, here.
          const read = html.replace(/ data-now="[^"]*"/, ` data-now="${readAt.toISOString()}"`);
          if (!read.includes(readAt.toISOString())) throw new Error(`${page} has no <html data-now> to read it by`);
          await writeFile(page, read);
          const server = await serveStatic(build.dist, { gzip: true });
          try {
            for (const formFactor of ['mobile', 'desktop'] as const) {
              runs.push({ moment, formFactor, ...(await measure(server.origin + PAGE, chromium.port, formFactor)) });
            }
          } finally {
            await server.close();
          }
        }
      } finally {
        await build.remove();
      }
    }
  } finally {
    await chromium.stop();
  }
  // In the order of READINGS, whatever order the builds came in.
  const order = READINGS.map((reading) => reading.moment);
  return runs.sort((a, b) => order.indexOf(a.moment) - order.indexOf(b.moment));
}
