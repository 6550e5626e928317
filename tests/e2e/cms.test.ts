import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/parse.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startDecapServer, type RunningDecapServer } from '../helpers/decap-server.ts';
import { astroBuild, projectCopy } from '../helpers/pinned-build.ts';
import { startSite, type RunningSite } from '../helpers/site.ts';

// The web editor against its local backend, as `npm run cms` runs it, in a copy of the project:
// what an editor saves there lands in the copy's content/, and the copy's next build shows it.
let dir: string;
let decap: RunningDecapServer;
let site: RunningSite;
let chromium: TestBrowser;

/** This test's own answer: a date tag, bold text beside it and a `-` list, as editors write them. */
const OWN_ANSWER = {
  file: 'bearbeitungstest.mdx',
  text: [
    '---',
    'question: Was darf der Web-Editor nicht verändern?',
    'order: 999',
    '---',
    '',
    'Bewerbungen sind **bis zum Ende der Frist** möglich: <Bewerbungsfrist />.',
    '',
    '- erster Punkt mit **Nachdruck**',
    '- zweiter Punkt',
    '',
  ].join('\n'),
};

beforeAll(async () => {
  dir = await projectCopy('komma-cms-');
  decap = await startDecapServer(dir);
  // The copy's editor talks to this test's decap-server, not to the default port 8081.
  const config = join(dir, 'public/admin/config.yml');
  const yaml = await readFile(config, 'utf8');
  await writeFile(config, yaml.replace(/^(\s*url:) http:\/\/localhost:8081\/api\/v1$/m, `$1 ${decap.apiUrl}`));
  await writeFile(join(dir, 'content/faq', OWN_ANSWER.file), OWN_ANSWER.text);
  await build();
  [site, chromium] = await Promise.all([startSite({}, { cwd: dir }), launchBrowser()]);
}, 180_000);
afterAll(async () => {
  await chromium?.close();
  await site?.stop();
  await decap?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function build(): Promise<void> {
  const { code, output } = await astroBuild(dir);
  if (code !== 0) throw new Error(`The build of the copy failed:\n${output}`);
}

/** The copy's questions by their order, from the frontmatter of content/faq/. */
async function questionsByOrder(): Promise<Map<number, string>> {
  const files = (await readdir(join(dir, 'content/faq'))).filter((name) => name.endsWith('.mdx'));
  const sources = await Promise.all(files.map((name) => readFile(join(dir, 'content/faq', name), 'utf8')));
  return new Map(
    sources.map((source) => [
      Number(/^order: (\d+)$/m.exec(source)![1]),
      /^question: (["']?)(.+)\1$/m.exec(source)![2]!,
    ]),
  );
}

/** A context that records every request and every Content-Security-Policy violation of its pages. */
async function editorContext() {
  const { context, requests } = await chromium.newContext();
  const violations: string[] = [];
  await context.exposeFunction('reportViolation', (violation: string) => violations.push(violation));
  await context.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { reportViolation(v: string): void }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      ),
    ),
  );
  return { context, requests, violations };
}

/** Opens /admin/, signs in to the local backend (which needs no account) and opens a collection. */
async function openEditor(page: Page, collection = 'Häufige Fragen'): Promise<void> {
  await page.goto(`${site.origin}/admin/`);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.getByRole('link', { name: collection }).click();
}

/** The answer's editor in raw mode: plain text, one paragraph element per line. */
function answerEditor(page: Page) {
  return page.locator('[contenteditable="true"]');
}

/** „Veröffentlichen“ → „Jetzt veröffentlichen“: the local backend writes the file at once. */
async function publish(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Veröffentlichen' }).click();
  await page.getByText('Jetzt veröffentlichen').click();
}

describe('the web editor at /admin/ with the local backend', () => {
  it('adds a question that the next build shows on the home page in its place by order', async () => {
    const questions = await questionsByOrder();
    const orders = [...questions.keys()].sort((a, b) => a - b);
    // Between the first two questions whose orders leave room for one more.
    const index = orders.findIndex((order, i) => i + 1 < orders.length && orders[i + 1]! - order > 1);
    const [before, after] = [orders[index]!, orders[index + 1]!];
    const order = Math.floor((before + after) / 2);
    const question = 'Wie lange dauert die Begleitung für eine Kommune?';
    const answer = 'Die Begleitung dauert **zwei Jahre**.';

    const { context, requests, violations } = await editorContext();
    const page = await context.newPage();
    await openEditor(page);
    await page.getByRole('link', { name: /Frage erstellen/ }).click();
    await page.getByLabel('Frage', { exact: true }).fill(question);
    await page.getByLabel('Reihenfolge').fill(String(order));
    await answerEditor(page).click();
    await page.keyboard.type(answer);
    await publish(page);

    // The file name is the answer's address: ASCII, formed from the question.
    const file = join(dir, 'content/faq', 'wie-lange-dauert-die-begleitung-fur-eine-kommune.mdx');
    await expect.poll(() => readFile(file, 'utf8').catch(() => ''), { timeout: 15_000 }).not.toBe('');
    expect(await readFile(file, 'utf8')).toBe(`---\nquestion: ${question}\norder: ${order}\n---\n${answer}\n`);
    expect(requests.filter((url) => !url.startsWith('http://127.0.0.1:'))).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();

    await build();
    const home = parse(await readFile(join(dir, 'dist/index.html'), 'utf8'));
    const headings = home.querySelectorAll('main h2[id]').map((h) => h.textContent.trim());
    const position = headings.indexOf(question);
    expect(position).toBeGreaterThan(0);
    expect(headings[position - 1]).toBe(questions.get(before));
    expect(headings[position + 1]).toBe(questions.get(after));
  }, 120_000);

  it('saves an edited answer byte for byte as before but for the edited word', async () => {
    const path = join(dir, 'content/faq', OWN_ANSWER.file);
    const { context, requests, violations } = await editorContext();
    const page = await context.newPage();
    await openEditor(page);
    await page.getByText('Was darf der Web-Editor nicht verändern?').click();
    const body = answerEditor(page);
    await expect.poll(() => body.textContent()).toContain('<Bewerbungsfrist />');
    // As an editor would: select the word „zweiter“ and type over it.
    await body.evaluate((editor, word) => {
      const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const start = walker.currentNode.textContent!.indexOf(word);
        if (start < 0) continue;
        const range = document.createRange();
        range.setStart(walker.currentNode, start);
        range.setEnd(walker.currentNode, start + word.length);
        (editor as HTMLElement).focus();
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(range);
        return;
      }
      throw new Error(`"${word}" is not in the answer`);
    }, 'zweiter');
    await page.keyboard.type('letzter');
    await publish(page);

    const expected = OWN_ANSWER.text.replace('zweiter', 'letzter');
    // Polled to the end: decap-server empties the file before it writes it, and a read in between
    // sees neither version.
    await expect.poll(() => readFile(path, 'utf8'), { timeout: 15_000 }).toBe(expected);
    expect(requests.filter((url) => !url.startsWith('http://127.0.0.1:'))).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);

  it('saves the settings with only the changed value different, as JSON the site reads', async () => {
    const path = join(dir, 'content/settings.json');
    const before = JSON.parse(await readFile(path, 'utf8'));
    const { context, requests, violations } = await editorContext();
    const page = await context.newPage();
    await openEditor(page, 'Einstellungen');
    await page.getByText('Termine, Teampostfach und Projektleitung').click();
    await page.getByLabel('Teampostfach').fill('redaktion@example.org');
    await publish(page);

    await expect.poll(async () => JSON.parse(await readFile(path, 'utf8')).teamInbox).toBe('redaktion@example.org');
    const after = JSON.parse(await readFile(path, 'utf8'));
    expect(after).toEqual({ ...before, teamInbox: 'redaktion@example.org' });
    expect(parseSettings(after).teamInbox).toBe('redaktion@example.org');
    expect(requests.filter((url) => !url.startsWith('http://127.0.0.1:'))).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);
});
