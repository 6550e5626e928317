import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settings } from '../../src/settings/index.ts';
import { validApplication } from '../fixtures/applications.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { contentSessions, contentWindow, iso } from '../helpers/content-dates.ts';
import { projectCopy } from '../helpers/pinned-build.ts';
import { postJson } from '../helpers/post.ts';
import { startResendStub, type ResendStub } from '../helpers/resend-stub.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { startSite, type RunningSite } from '../helpers/site.ts';

/**
 * What only the site under @netlify/dev (`npm run serve`) proves: the routes from each function's
 * config.path, netlify.toml's headers on pages and on function answers, a scheduled function
 * invoked by POST /.netlify/functions/<name>, Netlify Blobs as emulated there, and the outbox.
 * Everything else the functions do is tested on the in-process harness, in tests/behaviour/.
 * The real content: this is the site as it is deployed.
 */
const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((thing) => thing.stop()));
});

async function stub(port?: number): Promise<ResendStub> {
  const started = await startResendStub(port);
  running.push({ stop: () => started.close() });
  return started;
}

/** A port nothing listens on (yet): asked from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// @netlify/dev bundles a function afresh on every call (about 1.4 s idle, ten and more on a machine
// busy with other work): a few calls per test, with room for a loaded machine.
describe('the site under @netlify/dev', { timeout: 90_000 }, () => {
  // One server for the routing checks and the outbox, one whose Resend cannot be reached.
  let outbox: string;
  let offlineProject: string;
  let server: RunningSite;
  let offline: RunningSite;
  let resendPort: number;
  beforeAll(async () => {
    outbox = await mkdtemp(join(tmpdir(), 'komma-outbox-'));
    resendPort = await closedPort();
    // Each emulator in a project of its own. After start, @netlify/dev builds every function into
    // .netlify/functions-serve/<name>/ in the background; two emulators in one project overwrite
    // each other's files there, and a function then answers 500 (ENOENT from the copy step).
    offlineProject = await projectCopy('komma-smoke-');
    await cp('dist', join(offlineProject, 'dist'), { recursive: true });
    [server, offline] = await Promise.all([
      startSite({
        KOMMA_STORE: `test-${randomUUID()}`,
        KOMMA_NOW: iso(contentWindow.inside),
        KOMMA_OUTBOX: outbox,
        WEBINAR_TOKEN_SECRET: 'smoke-test-secret',
      }),
      startSite(
        {
          KOMMA_STORE: `test-${randomUUID()}`,
          RESEND_API_KEY: 're_test',
          RESEND_BASE_URL: `http://127.0.0.1:${resendPort}`,
          KOMMA_NOW: iso(contentSessions.between),
        },
        { cwd: offlineProject },
      ),
    ]);
  }, 90_000);
  // The emulators' own output says why a function answered 500 (a build error, a timeout).
  afterEach(({ task }) => {
    if (task.result?.state !== 'fail') return;
    for (const [name, site] of [
      ['server', server],
      ['offline', offline],
    ] as const) {
      console.error(`── ${name}'s output:\n${site?.log()}`);
    }
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), offline?.stop()]);
    await Promise.all([outbox, offlineProject].map((dir) => dir && rm(dir, { recursive: true, force: true })));
  });

  it('sends netlify.toml’s headers with pages', async () => {
    const page = await fetch(`${server.origin}/datenschutz/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('routes functions by config.path', async () => {
    const places = await fetch(`${server.origin}/api/webinar/plaetze`);
    expect(places.status).toBe(200);
    expect(await places.json()).toEqual({ full: expect.any(Array) });
    // Both paths of webinar-cancel's config.path reach it: its own German 404 for a missing token.
    for (const path of ['/webinar/abmelden/', '/webinar/abmelden']) {
      const cancel = await fetch(`${server.origin}${path}`);
      expect(cancel.status, path).toBe(404);
      expect(await cancel.text(), path).toContain('<h1>Dieser Link ist ungültig</h1>');
    }
  });

  it('answers a form with the function’s own headers and writes its emails to the outbox without an API key', async () => {
    const response = await postJson(`${server.origin}/api/bewerbung`, fresh(validApplication));
    expect(response.status).toBe(200);
    // netlify.toml's [[headers]] reach pages only (@netlify/dev adds none to a function's answer):
    // the function sets its own, through src/submissions/respond.ts.
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const { reference } = await response.json();
    // One file per email, named by its label and a digest of its idempotency key (src/mail/outbox.ts).
    const files = (await readdir(outbox)).sort();
    expect(files).toHaveLength(3);
    const confirmation = files.find((file) => new RegExp(`^${reference}-bestaetigung-[0-9a-f]{8}\\.html$`).test(file));
    const team = files.find((file) => new RegExp(`^${reference}-team-[0-9a-f]{8}\\.html$`).test(file));
    expect(confirmation).toBeDefined();
    expect(team).toBeDefined();
    const csv = files.find((file) => file.startsWith(team!.replace(/\.html$/, '-')) && file.endsWith('.csv'));
    expect(csv).toBeDefined();
    const teamPage = await readFile(join(outbox, team!), 'utf8');
    expect(teamPage).toContain(`Bewerbung KommA: Musterstadt (Bayern) – ${reference}`);
    expect(teamPage).toContain(`href="${csv}"`);
    await expect.poll(() => server.log()).toContain(join(outbox, team!));
  });

  it('keeps submissions in Blobs while Resend cannot be reached, then `npm run deliver-pending` (the scheduled function, by POST) sends each email once', async () => {
    const server = offline;
    const registration = fresh({ ...validRegistration, session: contentSessions.ahead.id });
    const response = await postJson(`${server.origin}/api/webinar`, registration);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: true, confirmationSent: false });

    const resend = await stub(resendPort);
    // Asynchronously: the stub answers from this process, which a synchronous spawn would block.
    const deliverPending = () =>
      promisify(execFile)(process.execPath, ['--experimental-strip-types', 'src/cli/deliver-pending.ts'], {
        env: { ...process.env, PORT: new URL(server.origin).port },
        encoding: 'utf8',
      });
    const first = await deliverPending();
    expect(JSON.parse(first.stdout)).toMatchObject({ accepted: 2, completed: 1, queued: 0 });
    expect(resend.delivered.map((request) => request.body.to)).toEqual([settings.teamInbox, registration.email]);

    const second = await deliverPending();
    expect(JSON.parse(second.stdout)).toMatchObject({ due: 0, accepted: 0 });
    expect(resend.requests).toHaveLength(2);
    expect(server.log()).not.toContain(registration.email);
  });
});
