/** What the browser tests of the form pages share: filling in, waiting for the script, focus. */
import type { Page } from 'playwright-core';
import { validApplication } from '../fixtures/applications.ts';

/** Fills the application form as a person would, from a named fixture. */
export async function fillApplication(
  page: Page,
  application: Record<string, string> = validApplication,
): Promise<void> {
  for (const name of [
    'municipality',
    'population',
    'leadership',
    'contactName',
    'contactRole',
    'email',
    'phone',
    'needs',
    'stakeholders',
  ]) {
    await page.fill(`#${name}`, application[name] ?? '');
  }
  await page.selectOption('#state', application['state']!);
  await page.check(`input[name="kind"][value="${application['kind']}"]`);
  await page.check(`input[name="scope"][value="${application['scope']}"]`);
  await page.check('#leadershipSupports');
  await page.check(`input[name="publication"][value="${application['publication']}"]`);
}

/** Waits until the script has revealed an element. */
export const shown = (page: Page, selector: string) =>
  page.waitForFunction((s) => !document.querySelector<HTMLElement>(s)!.hidden, selector);

export const isFocused = (page: Page, selector: string) =>
  page.evaluate((s) => document.activeElement === document.querySelector(s), selector);

/** After a valid submit: waits for „Ihre Angaben prüfen“ and sends with „Verbindlich absenden“. */
export async function confirmAnswers(page: Page): Promise<void> {
  await shown(page, '[data-check-answers]');
  await page.click('[data-confirm]');
}
