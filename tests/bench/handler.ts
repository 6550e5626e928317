/**
 * Handler time per valid submission: the deployed `bewerbung` module in a child process, answering
 * distinct valid JSON posts one after another (parse, validate, render, store, send). Resend is the
 * local stub and Netlify Blobs is Netlify's own local server, both in this process, so that the
 * child's clock counts the handler and not the services it talks to (which are remote on Netlify).
 * The Blobs server stands behind the front that keeps production's promises (atomic conditional
 * writes, ETags on reads), as everywhere the functions run locally.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { startLocalBlobs } from '../../src/server/local-blobs.ts';
import { settings } from '../../src/settings/index.ts';
import { contentWindow, iso } from '../helpers/content-dates.ts';
import { startResendStub } from '../helpers/resend-stub.ts';
import type { ChildReport, ChildRequest } from './handler-child.ts';
import { percentile } from './stats.ts';

const CHILD = join(import.meta.dirname, 'handler-child.ts');

export interface HandlerTimes {
  readonly submissions: number;
  readonly warmup: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly emailsSent: number;
}

function runChild(env: NodeJS.ProcessEnv, request: ChildRequest): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    // The function's log lines are not part of the figures: stdout is dropped, problems show.
    const child = fork(CHILD, [], {
      env,
      execArgv: ['--experimental-strip-types'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (message) => resolve(message as ChildReport));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The handler bench ended with exit code ${code} before reporting.`)));
    child.send(request);
  });
}

/**
 * `submissions` is capped by the settings' confirmationsPerDay: beyond it a confirmation is
 * withheld, which is a different (shorter) path than the one measured.
 */
export async function handlerTimes(bundleFile: string, submissions: number, warmup: number): Promise<HandlerTimes> {
  const count = Math.min(submissions, settings.confirmationsPerDay);
  const blobs = await startLocalBlobs();
  const resend = await startResendStub();
  try {
    const env = {
      ...process.env,
      NETLIFY_BLOBS_CONTEXT: blobs.encodedContext,
      RESEND_API_KEY: 're_bench',
      RESEND_BASE_URL: resend.url,
      // Inside the real content's application window, whatever round it is in.
      KOMMA_NOW: iso(contentWindow.inside),
      CONTEXT: '',
    };
    const report = await runChild(env, { bundleFile, submissions: count, warmup });
    if (report.failure) throw new Error(`The handler bench went off the measured path: ${report.failure}`);
    return {
      submissions: count,
      warmup,
      p50Ms: percentile(report.durationsMs, 50),
      p99Ms: percentile(report.durationsMs, 99),
      emailsSent: resend.delivered.length,
    };
  } finally {
    await resend.close();
    await blobs.stop();
  }
}
