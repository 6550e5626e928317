import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upcomingSessions } from '../../src/forms/sessions.ts';
import { settings } from '../../src/settings/index.ts';
import { formatDate } from '../../src/time/format.ts';
import { axeViolations, axeViolationsOfCopy, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { contentSessions, contentWindow } from '../helpers/content-dates.ts';
import { pinnedBuild, type PinnedBuild } from '../helpers/pinned-build.ts';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';

/**
 * The form pages state the application window and the sessions as the build's clock sees them. One
 * build per state of the window, each by a clock pinned inside it (<html data-now> then pins the
 * page scripts to the same instant): the HTML must be right without JavaScript, and the script
 * must move nothing. A page read after a boundary its build had not reached is corrected by the
 * script; those cases take the pin out of the HTML, as a production build has none.
 */
const DAY = 86_400_000;
const MOMENTS = {
  /** Before the window opens and before any session starts. */
  before: new Date(Math.min(contentWindow.opens.getTime(), contentSessions.past.start.getTime()) - DAY),
  open: contentWindow.inside,
  closed: contentWindow.closed,
} as const;
type State = keyof typeof MOMENTS;
const STATES = Object.keys(MOMENTS) as State[];

/** Good, by the Core Web Vitals: at most 0.1. A page that states its truth at build time moves not at all. */
const MAX_LAYOUT_SHIFT = 0.02;
/** Only what moves inside the viewport counts: a laptop's and a phone's. */
const SCREENS = [
  ['laptop', { width: 1280, height: 720 }],
  ['phone', { width: 360, height: 740 }],
] as const;
type Screen = (typeof SCREENS)[number][1];

const builds = {} as Record<State, { build: PinnedBuild; server: StaticServer }>;
let chromium: TestBrowser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const [built] = await Promise.all([
    Promise.all(STATES.map((state) => pinnedBuild(MOMENTS[state]))),
    launchBrowser().then((browser) => (chromium = browser)),
  ]);
  for (const [index, state] of STATES.entries()) {
    const build = built[index]!;
    builds[state] = { build, server: await serveStatic(build.dist) };
  }
}, 120_000);
afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await chromium?.close();
  await Promise.all(Object.values(builds).map(({ build, server }) => server.close().then(() => build.remove())));
});

/**
 * Records every layout shift from the first frame on, as the Cumulative Layout Shift metric counts
 * them (shifts right after a person's input left out). Runs before the page's own scripts.
 */
function recordLayoutShifts(): void {
  const shifts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
      if (!entry.hadRecentInput) shifts.push(entry.value);
  });
  observer.observe({ type: 'layout-shift', buffered: true });
  Object.assign(window, { layoutShift: { shifts, observer } });
}

/** The sum of the page's layout shifts so far, after the next two frames have been laid out. */
function layoutShiftSoFar(page: Page): Promise<number> {
  return page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const { shifts, observer } = (
      window as unknown as { layoutShift: { shifts: number[]; observer: PerformanceObserver } }
    ).layoutShift;
    const pending = observer.takeRecords() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[];
    return [...shifts, ...pending.filter((entry) => !entry.hadRecentInput).map((entry) => entry.value)].reduce(
      (sum, value) => sum + value,
      0,
    );
  });
}

async function newPage(options: { javaScript?: boolean; clock?: Date; screen?: Screen } = {}): Promise<Page> {
  const { context } = await chromium.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.screen ?? SCREENS[0][1],
  });
  contexts.push(context);
  if (options.clock) await context.clock.install({ time: options.clock });
  await context.addInitScript(recordLayoutShifts);
  return context.newPage();
}

/** Opens a page of the build for `state` as its HTML arrives, without JavaScript. */
async function withoutScript(state: State, path: string): Promise<Page> {
  const page = await newPage({ javaScript: false });
  await page.goto(`${builds[state].server.origin}${path}`);
  return page;
}

/** Opens a page of the build for `state` with JavaScript; resolves once its script (if any) has run. */
async function withScript(state: State, path: string, screen?: Screen): Promise<Page> {
  const page = await newPage({ ...(screen && { screen }) });
  await page.goto(`${builds[state].server.origin}${path}`);
  // The form script's first act is to name the filled-in form; a page without a form has no script.
  if ((await page.locator('form[data-form]').count()) > 0)
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-submission-id]')!.value !== '');
  return page;
}

/**
 * Opens a page of the build for `state` as a production build would serve it, with the browser's
 * clock at `clock`: without the pin, the script judges by the reader's clock.
 */
async function readLater(state: State, path: string, clock: Date, screen?: Screen): Promise<Page> {
  const page = await newPage({ clock, ...(screen && { screen }) });
  await page.route(`**${path}`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace(/ data-now="[^"]*"/, '') });
  });
  await page.goto(`${builds[state].server.origin}${path}`);
  if ((await page.locator('form[data-form]').count()) > 0)
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-submission-id]')!.value !== '');
  return page;
}

/** What a reader sees of the application page: notice, which paragraph, form. */
async function applicationView(page: Page) {
  const visible = (selector: string) => page.locator(selector).first().isVisible();
  return {
    notice: await visible('[data-window-notice]'),
    before: await visible('[data-window-before]'),
    closed: await visible('[data-window-closed]'),
    form: await visible('form[data-form]'),
  };
}

const EXPECTED_APPLICATION_VIEW: Record<State, Awaited<ReturnType<typeof applicationView>>> = {
  before: { notice: true, before: true, closed: false, form: false },
  open: { notice: false, before: false, closed: false, form: true },
  closed: { notice: true, before: false, closed: true, form: false },
};

describe.each(STATES)('application page built while the window is %s', (state) => {
  it('states it in the HTML, without JavaScript', async () => {
    const page = await withoutScript(state, '/bewerbung/');
    expect(await applicationView(page)).toEqual(EXPECTED_APPLICATION_VIEW[state]);
    const notice = await page.locator('[data-window-notice]').innerText();
    if (state === 'before')
      expect(notice).toContain(`Sie können sich ab dem ${formatDate(contentWindow.opens)} bewerben.`);
    if (state === 'closed') {
      expect(notice).toContain(`Die Bewerbungsfrist ist am ${formatDate(contentWindow.closes)} abgelaufen.`);
      // Closed is for good: no form to send and no script to load.
      expect(await page.locator('form, script[src]').count()).toBe(0);
    }
    expect(await axeViolationsOfCopy(page, chromium)).toEqual([]);
  });

  it.each(SCREENS)(
    `does not move on a %s screen once its script has run (layout shift ≤ ${MAX_LAYOUT_SHIFT})`,
    async (_, screen) => {
      const page = await withScript(state, '/bewerbung/', screen);
      expect(await layoutShiftSoFar(page)).toBeLessThanOrEqual(MAX_LAYOUT_SHIFT);
      expect(await applicationView(page)).toEqual(EXPECTED_APPLICATION_VIEW[state]);
    },
  );

  it('shows the same with JavaScript, without axe violations', async () => {
    const page = await withScript(state, '/bewerbung/');
    expect(await applicationView(page)).toEqual(EXPECTED_APPLICATION_VIEW[state]);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe.each(STATES)('webinar page built while the application window is %s', (state) => {
  const offered = upcomingSessions(settings.webinars, MOMENTS[state]).map((session) => session.id);

  it('offers the sessions still ahead then in the HTML, or says there are none, without JavaScript', async () => {
    const page = await withoutScript(state, '/webinar/');
    const radios = page.locator('input[name="session"]');
    expect(await radios.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(
      offered,
    );
    expect(await page.locator('[data-no-sessions]').isVisible()).toBe(offered.length === 0);
    if (offered.length === 0) expect(await page.locator('form, script[src]').count()).toBe(0);
  });

  it.each(SCREENS)(
    `does not move on a %s screen once its script has run (layout shift ≤ ${MAX_LAYOUT_SHIFT})`,
    async (_, screen) => {
      const page = await withScript(state, '/webinar/', screen);
      expect(await layoutShiftSoFar(page)).toBeLessThanOrEqual(MAX_LAYOUT_SHIFT);
      expect(await page.locator('input[name="session"]').count()).toBe(offered.length);
    },
  );

  it('offers the same with JavaScript, without axe violations', async () => {
    const page = await withScript(state, '/webinar/');
    expect(await page.locator('input[name="session"]').count()).toBe(offered.length);
    expect(await page.locator('[data-no-sessions]').isVisible()).toBe(offered.length === 0);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('a page read after a boundary its build had not reached', () => {
  it('shows the form when it was built before the window opened and is read after', async () => {
    const page = await readLater('before', '/bewerbung/', contentWindow.inside);
    expect(await applicationView(page)).toEqual(EXPECTED_APPLICATION_VIEW.open);
    // The form is the enhanced one: an empty form gets the error summary, not a round trip.
    await page.click('button[type="submit"]');
    await page.locator('[data-error-summary]').waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('says the window has closed when it was built before it opened or while it was open', async () => {
    for (const state of ['before', 'open'] as const) {
      const page = await readLater(state, '/bewerbung/', contentWindow.closed);
      expect(await applicationView(page), state).toEqual(EXPECTED_APPLICATION_VIEW.closed);
    }
  });

  // The <head> script decides the state before the first paint: the page shows the reader's state
  // from its first frame, as a page built in it would.
  describe.each([
    ['before', 'open'],
    ['before', 'closed'],
    ['open', 'closed'],
  ] as const)('built while the window was %s and read when it is %s', (built, read) => {
    it.each(SCREENS)(`does not move on a %s screen (layout shift ≤ ${MAX_LAYOUT_SHIFT})`, async (_, screen) => {
      const page = await readLater(built, '/bewerbung/', MOMENTS[read], screen);
      expect(await layoutShiftSoFar(page)).toBeLessThanOrEqual(MAX_LAYOUT_SHIFT);
      expect(await applicationView(page)).toEqual(EXPECTED_APPLICATION_VIEW[read]);
    });
  });

  it('keeps the form when the reader’s clock lags behind the build’s', async () => {
    const page = await readLater('open', '/bewerbung/', MOMENTS.before);
    expect(await applicationView(page)).toEqual(EXPECTED_APPLICATION_VIEW.open);
  });

  it('withdraws a session that has started since the page was built', async () => {
    const builtWith = upcomingSessions(settings.webinars, MOMENTS.before).map((session) => session.id);
    const page = await readLater('before', '/webinar/', contentSessions.between);
    const radios = page.locator('input[name="session"]');
    expect(await radios.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(
      builtWith.filter((id) => id !== contentSessions.past.id),
    );
  });
});
