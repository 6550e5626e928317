import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatWindow } from '../../src/time/format.ts';
import { validApplication } from '../fixtures/applications.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { contentSessions, contentWindow, iso } from '../helpers/content-dates.ts';
import { postForm, postJson } from '../helpers/post.ts';
import { startResendStub, type ResendStub } from '../helpers/resend-stub.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { startSite, type RunningSite } from '../helpers/site.ts';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((thing) => thing.stop()));
});

async function site(env: Record<string, string>): Promise<RunningSite> {
  const started = await startSite({ KOMMA_STORE: `test-${randomUUID()}`, ...env });
  running.push(started);
  return started;
}

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

const WINDOW = formatWindow(contentWindow).replace(/[.()]/g, '\\$&');

describe('the application window, as the server clock sees it', () => {
  it.each([
    ['before it opens', contentWindow.justBefore, new RegExp(`noch nicht begonnen.*${WINDOW}`)],
    ['after it closed', contentWindow.closed, new RegExp(`abgelaufen.*${WINDOW}`)],
  ])('refuses an application %s with 403, naming the window, and sends nothing', async (_when, now, message) => {
    const resend = await stub();
    const server = await site({ RESEND_API_KEY: 're_test', RESEND_BASE_URL: resend.url, KOMMA_NOW: iso(now) });
    const response = await postJson(`${server.origin}/api/bewerbung`, fresh(validApplication));
    expect(response.status).toBe(403);
    expect((await response.json()).message).toMatch(message);
    expect(resend.requests).toHaveLength(0);
  });

  it('does not suggest trying later on the page a late plain form post gets', async () => {
    const server = await site({ KOMMA_NOW: iso(contentWindow.closed), KOMMA_OUTBOX: '/nonexistent/outbox' });
    const response = await postForm(`${server.origin}/api/bewerbung`, validApplication);
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain('Die Bewerbungsfrist ist abgelaufen.');
    expect(page).not.toMatch(/später|erneut|noch einmal/);
  });
});

describe('delivery without Resend', () => {
  it('writes both emails to the outbox on a local run without an API key, and logs the file names', async () => {
    const outbox = await mkdtemp(join(tmpdir(), 'komma-outbox-'));
    const server = await site({ KOMMA_NOW: iso(contentWindow.inside), KOMMA_OUTBOX: outbox });
    const response = await postJson(`${server.origin}/api/bewerbung`, fresh(validApplication));
    expect(response.status).toBe(200);
    const { reference } = await response.json();
    const files = (await readdir(outbox)).sort();
    expect(files).toEqual([
      `${reference}-bestaetigung.html`,
      `${reference}-team-bewerbung-${reference}.csv`,
      `${reference}-team.html`,
    ]);
    const team = await readFile(join(outbox, `${reference}-team.html`), 'utf8');
    expect(team).toContain(`Bewerbung KommA: Musterstadt (Bayern) – ${reference}`);
    expect(team).toContain(`href="${reference}-team-bewerbung-${reference}.csv"`);
    await expect.poll(() => server.log()).toContain(join(outbox, `${reference}-team.html`));
  });

  it('keeps submissions while Resend cannot be reached, then `npm run deliver-pending` sends each email once', async () => {
    const port = await closedPort();
    const server = await site({
      RESEND_API_KEY: 're_test',
      RESEND_BASE_URL: `http://127.0.0.1:${port}`,
      KOMMA_NOW: iso(contentSessions.between),
    });
    const registration = fresh({ ...validRegistration, session: contentSessions.ahead.id });
    const response = await postJson(`${server.origin}/api/webinar`, registration);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: true, confirmationSent: false });

    const resend = await stub(port);
    // Asynchronously: the stub answers from this process, which a synchronous spawn would block.
    const deliverPending = () =>
      promisify(execFile)(process.execPath, ['--experimental-strip-types', 'src/cli/deliver-pending.ts'], {
        env: { ...process.env, PORT: new URL(server.origin).port },
        encoding: 'utf8',
      });
    const first = await deliverPending();
    expect(JSON.parse(first.stdout)).toMatchObject({ accepted: 2, completed: 1, queued: 0 });
    expect(resend.delivered.map((request) => request.body.to)).toEqual(['komma@imap-institut.de', registration.email]);

    const second = await deliverPending();
    expect(JSON.parse(second.stdout)).toMatchObject({ due: 0, accepted: 0 });
    expect(resend.requests).toHaveLength(2);
    expect(server.log()).not.toContain(registration.email);
  });
});

describe('one team inbox', () => {
  it('names MAIL_TO in every email, not the settings’ inbox, when MAIL_TO is set', async () => {
    const resend = await stub();
    const server = await site({
      RESEND_API_KEY: 're_test',
      RESEND_BASE_URL: resend.url,
      MAIL_TO: 'bewerbungen@example.org',
      KOMMA_NOW: iso(contentWindow.inside),
    });
    const response = await postJson(`${server.origin}/api/bewerbung`, fresh(validApplication));
    expect(response.status).toBe(200);
    const [team, confirmation] = resend.delivered.map((request) => request.body);
    expect(team!.to).toBe('bewerbungen@example.org');
    expect(confirmation!.reply_to).toBe('bewerbungen@example.org');
    expect(confirmation!.text).toContain('schreiben Sie an bewerbungen@example.org');
    expect(confirmation!.text).not.toMatch(/komma@imap-institut\.de/);
  });
});
