/**
 * The real functions, fast: each built once as Netlify builds it, served from one node:http server
 * on 127.0.0.1, with Netlify Blobs from the local emulator and the real Resend SDK talking HTTP to
 * the stub. Nothing of ours is mocked; only the world around the functions is local. See
 * /work/shared/DESIGN.md, "Testing at two speeds".
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrainReport } from '../../src/delivery/drain.ts';
import type { Settings } from '../../src/settings/schema.ts';
import { startResendStub, type ResendStub, type ResendStubOptions } from './resend-stub.ts';
import {
  BUILT_FUNCTIONS,
  bundleFunctions,
  importFunctions,
  type BuiltFunction,
  type FunctionContext,
} from './build-functions.ts';
import { setEnv, type EnvChanges } from './environment.ts';
import { captureFunctionLogs, type FunctionLogs } from './function-logs.ts';
import { serveRequests } from '../../src/server/http-bridge.ts';
import { installSettings } from './harness-settings.ts';
import { startBlobsWorker } from './local-blobs.ts';
import type { StoreFaults } from './store-faults.ts';

/** What Netlify's emulator tells functions about the deploy; our functions read the context only. */
const CONTEXT: FunctionContext = { deploy: { context: 'dev' } };

/** The scheduled function that sends what the forms queued (src/delivery/drain.ts). */
export const DRAIN_FUNCTION = 'deliver-pending';

/** The longest backoff of a record after failed drain runs (src/delivery/record.ts), and a minute. */
export const PAST_ANY_BACKOFF_MS = 61 * 60_000;

export interface HarnessOptions {
  /** KOMMA_NOW at the start. */
  readonly now: Date;
  /**
   * The settings every function reads, in place of content/settings.json (tests/fixtures/
   * settings.ts for tests of behaviour; src/settings/index.ts only for tests of the real content).
   */
  readonly settings: Settings;
  /** The Resend stub's modes. */
  readonly stub?: ResendStubOptions;
  /** A file for the functions' log lines; without it they are only counted. */
  readonly logFile?: string;
  /** Keep the functions' log lines in memory (`logs.lines`), for tests that read them. */
  readonly keepLogs?: boolean;
  /** More environment for the functions, or (undefined) less: e.g. MAIL_TO, no RESEND_API_KEY. */
  readonly env?: EnvChanges;
}

export interface DrainOptions {
  /** At most this many runs of deliver-pending. */
  readonly maxRuns: number;
  /** No run starts after this many milliseconds. */
  readonly maxMs: number;
  /**
   * Whether the clock may move: past a quota pause, or past the backoff of records that failed in
   * a run. Without it, the loop ends when nothing is due.
   */
  readonly moveClock: boolean;
  /** Hears each report, e.g. to print progress. */
  readonly onRun?: (report: DrainReport, run: number) => void;
  /** Hears each run that failed honestly (tryDrain), with the number of such runs so far. */
  readonly onFailedRun?: (failed: number) => void;
}

export interface DrainSummary {
  readonly runs: number;
  readonly reports: readonly DrainReport[];
  /** Wall time of the loop. */
  readonly seconds: number;
  /** How often KOMMA_NOW moved forward, and why. */
  readonly clockMoves: readonly string[];
  /** True when the last run found the queue empty. */
  readonly empty: boolean;
  /** Runs that failed honestly (a store that did not answer in time): the next run tried again. */
  readonly failedRuns: number;
}

/** deliver-pending answered other than 200. */
export class DrainFailed extends Error {
  readonly status: number;
  constructor(status: number, body: unknown) {
    super(`deliver-pending answered ${status}: ${JSON.stringify(body)}`);
    this.status = status;
  }
}

export interface Harness {
  /** http://127.0.0.1:port of the functions' server. */
  readonly origin: string;
  readonly stub: ResendStub;
  readonly functions: readonly BuiltFunction[];
  readonly logs: FunctionLogs;
  /** The store's name (KOMMA_STORE): each run has its own, and each newStore(). */
  readonly storeName: string;
  /** An empty store from the functions' next call on (a new KOMMA_STORE). */
  newStore(): void;
  /** KOMMA_NOW as the functions read it on their next call. */
  readonly now: Date;
  setNow(instant: Date): void;
  /** The settings the functions read from their next call on. */
  setSettings(settings: Settings): void;
  /** Fails chosen store calls from now on (store-faults.ts); `{ rules: [] }` ends that. */
  setStoreFaults(faults: StoreFaults): Promise<void>;
  /** How many store calls the fault rules failed since the start. */
  readonly storeFaults: number;
  /**
   * The answer of the function whose config.path is the request's path, as Netlify routes it; none
   * (undefined) when no function has that path.
   */
  route(request: Request): Promise<Response> | undefined;
  /** Calls a function by name as Netlify's scheduler (or `netlify functions:invoke`) does: a POST. */
  invoke(name: string): Promise<Response>;
  /** One run of the scheduled deliver-pending function, called as Netlify's scheduler calls it. */
  drain(): Promise<DrainReport>;
  /**
   * One run that may fail honestly: undefined when it answered 503 and logged `drain-failed` (the
   * store did not answer within the run's bounds, which a busy machine causes too; nothing is lost,
   * and Netlify's next run tries again). Any other failure throws, as drain() does.
   */
  tryDrain(): Promise<DrainReport | undefined>;
  /** deliver-pending again and again until the queue is empty or a bound is hit. */
  drainUntilEmpty(options: DrainOptions): Promise<DrainSummary>;
  stop(): Promise<void>;
}

const newStoreName = () => `komma-harness-${randomUUID()}`;

/**
 * The built functions: the run's (built once by the global setup, build-functions-once.ts), or,
 * outside vitest (npm run load), built now into a folder that `stops` removes.
 */
async function functionsDirectory(stops: (() => Promise<void> | void)[]): Promise<string> {
  const built = process.env[BUILT_FUNCTIONS];
  if (built) return built;
  const directory = await mkdtemp(join(tmpdir(), 'komma-harness-functions-'));
  stops.push(() => rm(directory, { recursive: true, force: true }));
  await bundleFunctions(directory);
  return directory;
}

/** Each function's paths (config.path) → its handler; scheduled functions have none. */
function routesOf(functions: readonly BuiltFunction[]): Map<string, BuiltFunction> {
  const routes = new Map<string, BuiltFunction>();
  for (const fn of functions) {
    const paths = fn.config.path === undefined ? [] : [fn.config.path].flat();
    for (const path of paths) routes.set(path, fn);
  }
  return routes;
}

/**
 * Starts the stub, the Blobs emulator and the functions' server. On failure halfway, what already
 * runs is stopped again, so a crashed suite leaves nothing listening.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await Promise.resolve(stop()).catch(() => {});
  };
  try {
    // The settings first: a function bundle reads them when it is imported.
    installSettings(options.settings);
    const functions = await importFunctions(await functionsDirectory(stops));
    // By name: other scheduled functions exist (rebuild-at-boundaries), and only this one drains.
    const deliverPending = functions.find((fn) => fn.name === DRAIN_FUNCTION);
    if (!deliverPending?.config.schedule) throw new Error(`functions/${DRAIN_FUNCTION} is missing or has no schedule`);

    const stub = await startResendStub(options.stub ?? {});
    stops.push(() => stub.close());
    const blobs = await startBlobsWorker();
    stops.push(() => blobs.stop());

    const restoreEnv = setEnv({
      NETLIFY_BLOBS_CONTEXT: blobs.encodedContext,
      KOMMA_STORE: newStoreName(),
      RESEND_API_KEY: 're_load_test',
      RESEND_BASE_URL: stub.url,
      // As deployed: confirmations carry cancel links, and no configuration alert fills the log.
      WEBINAR_TOKEN_SECRET: 'load-test-secret',
      KOMMA_NOW: options.now.toISOString(),
      // The deploy context comes from the function's context ('dev'), as on Netlify: a CONTEXT left
      // in the shell (CI sets one) must not decide, and production would ignore KOMMA_NOW.
      CONTEXT: undefined,
      MAIL_TO: undefined,
      MAIL_FROM: undefined,
      KOMMA_OUTBOX: undefined,
      ...options.env,
    });
    stops.push(restoreEnv);
    const logs = captureFunctionLogs(options.logFile, { keep: options.keepLogs ?? false });
    stops.push(() => logs.restore());

    const routes = routesOf(functions);
    const route = (request: Request) => routes.get(new URL(request.url).pathname)?.handler(request, CONTEXT);
    const server = await serveRequests(
      async (request) => (await route(request)) ?? new Response('Not found', { status: 404 }),
      (error) => logs.note('harness-handler-threw', error),
    );
    stops.push(() => server.stop());

    const harness: Harness = {
      origin: server.origin,
      stub,
      functions,
      logs,
      get storeName() {
        return process.env['KOMMA_STORE']!;
      },
      newStore() {
        process.env['KOMMA_STORE'] = newStoreName();
      },
      get now() {
        return new Date(process.env['KOMMA_NOW']!);
      },
      setNow(instant) {
        process.env['KOMMA_NOW'] = instant.toISOString();
      },
      setSettings: installSettings,
      setStoreFaults: (faults) => blobs.setStoreFaults(faults),
      route,
      get storeFaults() {
        return blobs.storeFaults;
      },
      invoke(name) {
        const fn = functions.find((candidate) => candidate.name === name);
        if (!fn) throw new Error(`no function named ${name} in functions/`);
        const request = new Request(`${server.origin}/.netlify/functions/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ next_run: new Date(Date.now() + 120_000).toISOString() }),
        });
        return fn.handler(request, CONTEXT);
      },
      async drain() {
        const response = await harness.invoke(deliverPending.name);
        const body: unknown = await response.json();
        if (response.status !== 200) throw new DrainFailed(response.status, body);
        return body as DrainReport;
      },
      async tryDrain() {
        const failedBefore = logs.problems()['drain-failed'] ?? 0;
        try {
          return await harness.drain();
        } catch (error) {
          const logged = (logs.problems()['drain-failed'] ?? 0) > failedBefore;
          if (error instanceof DrainFailed && error.status === 503 && logged) return undefined;
          throw error;
        }
      },
      async drainUntilEmpty(drainOptions) {
        const started = performance.now();
        const reports: DrainReport[] = [];
        const clockMoves: string[] = [];
        let failedRuns = 0;
        let lastFailed = false;
        while (reports.length + failedRuns < drainOptions.maxRuns && performance.now() - started < drainOptions.maxMs) {
          const report = await harness.tryDrain();
          lastFailed = !report;
          if (!report) {
            failedRuns += 1;
            drainOptions.onFailedRun?.(failedRuns);
            continue;
          }
          reports.push(report);
          drainOptions.onRun?.(report, reports.length);
          if (report.queued === 0) break;
          const progress = report.accepted + report.failed + report.completed > 0;
          if (report.pausedUntil) {
            if (!drainOptions.moveClock) break;
            // The drain judges the pause by KOMMA_NOW: a second past it, the queue runs again.
            harness.setNow(new Date(new Date(report.pausedUntil).getTime() + 1000));
            clockMoves.push(`past the quota pause to ${harness.now.toISOString()}`);
          } else if (report.due === 0 || !progress) {
            if (!drainOptions.moveClock) break;
            harness.setNow(new Date(harness.now.getTime() + PAST_ANY_BACKOFF_MS));
            clockMoves.push(`past every backoff to ${harness.now.toISOString()}`);
          }
        }
        const last = reports.at(-1);
        return {
          runs: reports.length,
          reports,
          seconds: (performance.now() - started) / 1000,
          clockMoves,
          empty: !lastFailed && last?.queued === 0,
          failedRuns,
        };
      },
      stop: stopAll,
    };
    return harness;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Runs `body` with a harness and stops the harness afterwards, also when `body` throws. */
export async function withHarness<T>(options: HarnessOptions, body: (harness: Harness) => Promise<T>): Promise<T> {
  const harness = await startHarness(options);
  try {
    return await body(harness);
  } finally {
    await harness.stop();
  }
}
