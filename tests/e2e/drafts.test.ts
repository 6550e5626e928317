import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { draftKey } from '../../src/forms/draft.ts';
import { formatDayMonthTime } from '../../src/time/format.ts';
import { validApplication } from '../fixtures/applications.ts';
import { axeViolations, type TestBrowser } from '../helpers/browser.ts';
import { contentSessions, contentWindow, iso } from '../helpers/content-dates.ts';
import { confirmAnswers, fillApplication, isFocused, shown } from '../helpers/form-pages.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { pinnedBuild } from '../helpers/pinned-build.ts';
import { usePinnedSite } from '../helpers/pinned-site.ts';
import { startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';

let running: SiteWithResend;
let resend: ResendStub;
let chromium: TestBrowser;
const contexts: BrowserContext[] = [];

/** Inside the application window, at a time whose minute the notice must name. */
const TYPED_AT = new Date(contentWindow.inside.getTime() + 5 * 60_000);
const APPLICATION = draftKey('/bewerbung/');
const WEBINAR = draftKey('/webinar/');
const DAY = 24 * 3_600_000;

// The pages state the window as their build saw it: built (and served) inside the window, whatever
// the day the tests run, so both forms are there.
usePinnedSite(contentWindow.inside, contexts, (started) => {
  ({ running, chromium } = started);
  ({ resend } = running);
});

/** A form page in a fresh browser (empty storage) whose clock reads `now`; `initScript` runs before the page's own. */
async function openPage(
  path: string,
  options: { now?: Date; initScript?: () => void; origin?: string } = {},
): Promise<Page> {
  const { context } = await chromium.newContext();
  contexts.push(context);
  await context.clock.install({ time: options.now ?? TYPED_AT });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  await page.goto(`${options.origin ?? running.site.origin}${path}`);
  return page;
}

/** The draft as stored in the page's localStorage, parsed; null when there is none. */
const storedDraft = (page: Page, key = APPLICATION) =>
  page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? 'null'), key);

/** Stores a draft as the page script would have, `age` milliseconds ago by the page's clock. */
const storeDraft = (page: Page, key: string, values: Record<string, string>, age = 0) =>
  page.evaluate(([k, v, a]) => localStorage.setItem(k, JSON.stringify({ savedAt: Date.now() - a, values: v })), [
    key,
    values,
    age,
  ] as const);

/** Some of each kind of field: text, select, radios, a field that applies only with a radio, a box, a long text. */
const TYPED = {
  municipality: 'Entwurfstadt',
  state: 'DE-SN',
  kind: 'gemeinde',
  scope: 'unit',
  unitName: 'Amt für Bürgerdienste',
  leadershipSupports: 'on',
  needs: 'Hass im Netz',
};

async function typeSome(page: Page): Promise<void> {
  await page.fill('#municipality', TYPED.municipality);
  await page.selectOption('#state', TYPED.state);
  await page.check(`input[name="kind"][value="${TYPED.kind}"]`);
  await page.check(`input[name="scope"][value="${TYPED.scope}"]`);
  await page.fill('#unitName', TYPED.unitName);
  await page.check('#leadershipSupports');
  await page.fill('#needs', TYPED.needs);
}

/** Waits until the page has saved these values (saving waits for typing to pause). */
const savedValues = (page: Page, values: Record<string, string>, key = APPLICATION) =>
  expect.poll(async () => (await storedDraft(page, key))?.values).toEqual(values);

describe('a draft of the application in this browser', () => {
  it('is saved while the person types: the form’s fields with the time, never the honeypot or the submission id', async () => {
    const page = await openPage('/bewerbung/');
    expect(await page.locator('[data-draft-hint]').innerText()).toMatch(
      /^Ihre Eingaben werden nur in diesem Browser als Entwurf gespeichert/,
    );
    // A machine filling the honeypot: that is no part of a person's draft.
    await page.evaluate(() => (document.querySelector<HTMLInputElement>('#kontrollfeld')!.value = 'spam'));
    await typeSome(page);
    await savedValues(page, TYPED);
    const { savedAt } = await storedDraft(page);
    expect(savedAt).toBeGreaterThanOrEqual(TYPED_AT.getTime());
    expect(savedAt).toBeLessThan(TYPED_AT.getTime() + 60_000);
    expect(await page.locator('[data-draft-notice]').isVisible()).toBe(false);
  });

  it('is put back after a reload with a notice saying when it was saved, fields that apply and counters included', async () => {
    const page = await openPage('/bewerbung/');
    await typeSome(page);
    await savedValues(page, TYPED);
    await page.reload();

    const status = page.locator('[data-draft-notice] [role="status"]');
    await status.waitFor({ state: 'visible' });
    expect(await status.innerText()).toBe(
      `Wir haben Ihren Entwurf vom ${formatDayMonthTime(TYPED_AT)} wiederhergestellt.`,
    );
    expect(await status.innerText()).toMatch(
      /^Wir haben Ihren Entwurf vom \d{1,2}\. \p{L}+, \d\d:\d\d Uhr wiederhergestellt\.$/u,
    );
    expect(await page.inputValue('#municipality')).toBe(TYPED.municipality);
    expect(await page.inputValue('#state')).toBe(TYPED.state);
    expect(await page.isChecked(`input[name="kind"][value="${TYPED.kind}"]`)).toBe(true);
    expect(await page.isChecked(`input[name="scope"][value="${TYPED.scope}"]`)).toBe(true);
    expect(await page.locator('#unitName').isVisible()).toBe(true);
    expect(await page.inputValue('#unitName')).toBe(TYPED.unitName);
    expect(await page.isChecked('#leadershipSupports')).toBe(true);
    expect(await page.isChecked('#decisionMakersInformed')).toBe(false);
    expect(await page.inputValue('#needs')).toBe(TYPED.needs);
    expect(await page.locator('[data-field="needs"] [data-counter]').innerText()).toBe(
      'Sie haben noch 2.988 Zeichen übrig.',
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it('goes with „Entwurf löschen“, which empties the form, focuses the first field and says so', async () => {
    const page = await openPage('/bewerbung/');
    await typeSome(page);
    await savedValues(page, TYPED);
    await page.reload();
    await shown(page, '[data-draft-notice]');

    await page.locator('[data-draft-discard]').focus();
    await page.keyboard.press('Enter');
    expect(await storedDraft(page)).toBe(null);
    expect(await isFocused(page, '#municipality')).toBe(true);
    expect(await page.locator('[data-draft-notice] [role="status"]').innerText()).toBe(
      'Ihr Entwurf ist gelöscht, das Formular ist wieder leer.',
    );
    expect(await page.locator('[data-draft-discard]').isVisible()).toBe(false);
    expect(await page.inputValue('#municipality')).toBe('');
    expect(await page.inputValue('#state')).toBe('');
    expect(await page.locator('input[name="kind"]:checked').count()).toBe(0);
    expect(await page.locator('#unitName').isVisible()).toBe(false);
    expect(await page.isChecked('#leadershipSupports')).toBe(false);
    expect(await page.locator('[data-field="needs"] [data-counter]').innerText()).toBe(
      'Sie haben noch 3.000 Zeichen übrig.',
    );
    expect(await axeViolations(page)).toEqual([]);

    await page.reload();
    await page.locator('#municipality').waitFor();
    expect(await page.locator('[data-draft-notice]').isVisible()).toBe(false);
    expect(await page.inputValue('#municipality')).toBe('');
  });

  it('keeps the time of its first input: sent at once after a reload, it reaches the team and the person, and is removed', async () => {
    const page = await openPage('/bewerbung/');
    const application = { ...validApplication, email: 'kim.entwurf@musterstadt.de' };
    await fillApplication(page, application);
    await expect.poll(async () => (await storedDraft(page))?.values.email).toBe(application.email);
    const { startedAt, savedAt } = await storedDraft(page);
    expect(startedAt).toBeGreaterThanOrEqual(TYPED_AT.getTime());
    expect(startedAt).toBeLessThan(savedAt);
    // The person comes back to the page five minutes later.
    await page.clock.fastForward(5 * 60_000);
    await page.reload();
    await shown(page, '[data-draft-notice]');

    const posted = page.waitForRequest((request) => request.url().endsWith('/api/bewerbung'));
    await page.click('button[type="submit"]');
    await confirmAnswers(page);
    await shown(page, '[data-success]');
    const body = (await posted).postDataJSON();
    expect(body).toMatchObject({ municipality: application.municipality, email: application.email });
    // Counted from the first input before the reload, not from the reload.
    expect(body.elapsedMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(resend.delivered.map((request) => request.body.to)).toContain(application.email);
    expect(resend.delivered).toHaveLength(2);
    expect(await storedDraft(page)).toBe(null);

    await page.reload();
    await page.locator('#municipality').waitFor();
    expect(await page.locator('[data-draft-notice]').isVisible()).toBe(false);
    expect(await page.inputValue('#municipality')).toBe('');
  });

  it('sent within two seconds of its first input, still reaches the team, marked, with no copy to the address', async () => {
    const page = await openPage('/bewerbung/');
    const application = { ...validApplication, email: 'kim.schnell@musterstadt.de' };
    // A draft begun half a second ago, by a page clock that stands still: the fill time stays 500 ms.
    const now = TYPED_AT.getTime();
    await page.clock.setFixedTime(now);
    await page.evaluate(
      ([k, values, at]) => localStorage.setItem(k, JSON.stringify({ savedAt: at, startedAt: at - 500, values })),
      [APPLICATION, application, now] as const,
    );
    await page.reload();
    await shown(page, '[data-draft-notice]');

    const posted = page.waitForRequest((request) => request.url().endsWith('/api/bewerbung'));
    await page.click('button[type="submit"]');
    await confirmAnswers(page);
    await shown(page, '[data-success]');
    expect((await posted).postDataJSON().elapsedMs).toBe(500);
    expect(await page.locator('[data-success]').innerText()).toContain(
      'Eine Bestätigung per E-Mail können wir Ihnen diesmal nicht schicken.',
    );
    expect(resend.delivered).toHaveLength(1);
    const team = resend.delivered[0]!.body;
    expect(team.subject).toMatch(/^Bewerbung KommA: /);
    expect(team.to).not.toBe(application.email);
    expect(team.text).toContain('sehr schnell ausgefüllt – bitte prüfen');
    expect(await storedDraft(page)).toBe(null);
  });

  it('is removed by the thank-you page when the form had to post without its submit script', async () => {
    const page = await openPage('/bewerbung/');
    // The submit module cannot load (offline, or replaced by a deploy): the form posts as without JavaScript.
    await page.route('**/form-submit.*.js', (route) => route.abort());
    await fillApplication(page, { ...validApplication, email: 'kim.ohnemodul@musterstadt.de' });
    await expect.poll(async () => (await storedDraft(page))?.values.email).toBeDefined();
    await Promise.all([
      page.waitForURL(/\/bewerbung\/danke\/\?ref=B-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      page.click('button[type="submit"]'),
    ]);
    await shown(page, '[data-reference-line]');
    expect(await storedDraft(page)).toBe(null);
    expect(resend.delivered).toHaveLength(2);
  });

  it('is discarded when it is older than 30 days', async () => {
    const page = await openPage('/bewerbung/');
    await storeDraft(page, APPLICATION, { municipality: 'Altstadt' }, 31 * DAY);
    await page.reload();
    await page.locator('#municipality').waitFor();
    await expect.poll(() => storedDraft(page)).toBe(null);
    expect(await page.inputValue('#municipality')).toBe('');
    expect(await page.locator('[data-draft-notice]').isVisible()).toBe(false);
  });

  it('does not stand in the way when the browser refuses to store anything', async () => {
    const page = await openPage('/bewerbung/', {
      initScript: () => {
        Storage.prototype.setItem = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      },
    });
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.locator('#municipality').waitFor();
    // No promise of a draft this browser will not keep.
    expect(await page.locator('[data-draft-hint]').isVisible()).toBe(false);
    await fillApplication(page, { ...validApplication, email: 'kim.ohnespeicher@musterstadt.de' });
    await page.clock.fastForward(5000);
    await page.click('button[type="submit"]');
    await confirmAnswers(page);
    await shown(page, '[data-success]');
    expect(resend.delivered).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});

describe('a draft of the webinar registration in this browser', () => {
  const { past, ahead, between } = contentSessions;

  it('is kept apart from the application’s, and does not tick a session that has started since', async () => {
    // The site as built once the first session has started: it no longer offers that session.
    const later = await pinnedBuild(between);
    const site = await startSiteWithResend(iso(between), {}, { cwd: later.dir });
    try {
      await draftNamesNoStartedSession(await openPage('/webinar/', { now: between, origin: site.site.origin }));
    } finally {
      await site.stop();
      await later.remove();
    }
  });

  async function draftNamesNoStartedSession(page: Page): Promise<void> {
    await page.fill('#name', 'Kim Beispiel');
    await savedValues(page, { name: 'Kim Beispiel' }, WEBINAR);
    expect(await storedDraft(page, APPLICATION)).toBe(null);

    // Saved while the first session was still ahead; it has started since.
    await storeDraft(page, WEBINAR, { session: past.id, name: 'Kim Beispiel' });
    await page.reload();
    await shown(page, '[data-draft-notice]');
    expect(await page.inputValue('#name')).toBe('Kim Beispiel');
    expect(await page.locator(`input[name="session"][value="${past.id}"]`).count()).toBe(0);
    expect(await page.locator('input[name="session"]:checked').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await storeDraft(page, WEBINAR, { session: ahead.id, name: 'Kim Beispiel' });
    await page.reload();
    await shown(page, '[data-draft-notice]');
    expect(await page.isChecked(`input[name="session"][value="${ahead.id}"]`)).toBe(true);
  }
});
