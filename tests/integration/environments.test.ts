import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validApplication, windowInstants } from '../fixtures/applications.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { postJson } from '../helpers/post.ts';
import { startResendStub, type ResendStub } from '../helpers/resend-stub.ts';
import { startSite, type RunningSite } from '../helpers/site.ts';

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((thing) => thing.stop()));
});

async function site(env: Record<string, string>): Promise<RunningSite> {
  const started = await startSite(env);
  running.push(started);
  return started;
}

async function stub(): Promise<ResendStub> {
  const started = await startResendStub();
  running.push({ stop: () => started.close() });
  return started;
}

describe('the application window, as the server clock sees it', () => {
  it.each([
    [
      'before it opens',
      windowInstants.justBefore,
      /noch nicht begonnen.*vom 28\. Dezember 2026, 00:00 Uhr, bis zum 28\. Februar 2027, 23:59 Uhr/,
    ],
    [
      'after it closed',
      windowInstants.closed,
      /abgelaufen.*vom 28\. Dezember 2026, 00:00 Uhr, bis zum 28\. Februar 2027, 23:59 Uhr/,
    ],
  ])('refuses an application %s with 403, naming the window, and sends nothing', async (_when, now, message) => {
    const resend = await stub();
    const server = await site({ RESEND_API_KEY: 're_test', RESEND_BASE_URL: resend.url, KOMMA_NOW: now });
    const response = await postJson(`${server.origin}/api/bewerbung`, validApplication);
    expect(response.status).toBe(403);
    expect((await response.json()).message).toMatch(message);
    expect(resend.requests).toHaveLength(0);
  });
});

describe('delivery without Resend', () => {
  it('writes both emails to the outbox on a local run without an API key, and logs the file names', async () => {
    const outbox = await mkdtemp(join(tmpdir(), 'komma-outbox-'));
    const server = await site({ KOMMA_NOW: windowInstants.inside, KOMMA_OUTBOX: outbox });
    const response = await postJson(`${server.origin}/api/bewerbung`, validApplication);
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

  it('answers 503 without a false success on both forms when Resend cannot be reached at all', async () => {
    // Inside the application window and before the webinar of 16 February.
    const server = await site({
      RESEND_API_KEY: 're_test',
      RESEND_BASE_URL: 'http://127.0.0.1:9',
      KOMMA_NOW: windowInstants.inside,
    });
    for (const [path, body] of [
      ['/api/bewerbung', validApplication],
      ['/api/webinar', validRegistration],
    ] as const) {
      const response = await postJson(`${server.origin}${path}`, body);
      expect(response.status, path).toBe(503);
      expect((await response.json()).message).toMatch(/nichts eingegangen/);
    }
  });
});
