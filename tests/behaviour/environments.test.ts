import { describe, expect, it } from 'vitest';
import { formatWindow } from '../../src/time/format.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';
import { postForm, postJson } from '../helpers/post.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';

/**
 * The functions as the environment sets them up: the server's clock against the window, and
 * MAIL_TO. Without an API key (the outbox) and with a provider that cannot be reached, then
 * `npm run deliver-pending`: tests/integration/netlify-dev-smoke.test.ts.
 */
const run = useHarness({
  now: testWindow.inside,
  settings: testSettings,
  env: { MAIL_TO: 'bewerbungen@example.org' },
});
const api = () => run.url('/api/bewerbung');

const WINDOW = formatWindow(testWindow).replace(/[.()]/g, '\\$&');

describe('the application window, as the server clock sees it', () => {
  it.each([
    ['before it opens', testWindow.justBefore, new RegExp(`noch nicht begonnen.*${WINDOW}`)],
    ['after it closed', testWindow.closed, new RegExp(`abgelaufen.*${WINDOW}`)],
  ])('refuses an application %s with 403, naming the window, and sends nothing', async (_when, now, message) => {
    run.harness.setNow(now);
    const response = await postJson(api(), fresh(validApplication));
    expect(response.status).toBe(403);
    expect((await response.json()).message).toMatch(message);
    expect(run.harness.stub.requests).toHaveLength(0);
  });

  it('does not suggest trying later on the page a late plain form post gets', async () => {
    run.harness.setNow(testWindow.closed);
    const response = await postForm(api(), validApplication);
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain('Die Bewerbungsfrist ist abgelaufen.');
    expect(page).not.toMatch(/später|erneut|noch einmal/);
  });
});

describe('one team inbox', () => {
  it('names MAIL_TO in every email, not the settings’ inbox, when MAIL_TO is set', async () => {
    const response = await postJson(api(), fresh(validApplication));
    expect(response.status).toBe(200);
    const [team, confirmation] = run.harness.stub.delivered.map((request) => request.body);
    expect(team!.to).toBe('bewerbungen@example.org');
    expect(confirmation!.reply_to).toBe('bewerbungen@example.org');
    expect(confirmation!.text).toContain('schreiben Sie an bewerbungen@example.org');
    expect(confirmation!.text).not.toContain(testSettings.teamInbox);
  });
});
