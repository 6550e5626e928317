import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutgoingEmail } from '../../src/mail/email.ts';
import { outboxTransport } from '../../src/mail/outbox.ts';

const email: OutgoingEmail = {
  from: 'KommA <komma@example.org>',
  to: 'team@example.org',
  replyTo: 'kim.beispiel@musterstadt.de',
  subject: 'Bewerbung KommA: Gemeinde <Süd> & "Nord" (Sachsen) – B-TEST-0001',
  text: 'Name der Kommune:\nGemeinde <Süd> & "Nord"\n',
  html: '<p>Name der Kommune: Gemeinde &lt;Süd&gt;</p>',
  attachments: [
    { filename: 'bewerbung-B-TEST-0001.csv', contentType: 'text/csv; charset=utf-8', content: '\ufeff"a";"b"\r\n' },
  ],
};

const options = { idempotencyKey: 'komma-bewerbung-abc-team', label: 'B-TEST-0001-team', timeoutMs: 2000 };
/** The label, then the idempotency key's digest: B-TEST-0001-team-1a2b3c4d. */
const NAME = /^B-TEST-0001-team-[0-9a-f]{8}$/;

/** The one email page in the outbox, by name. */
async function onlyPage(directory: string): Promise<string> {
  const pages = (await readdir(directory)).filter((file) => file.endsWith('.html'));
  expect(pages).toHaveLength(1);
  return pages[0]!.slice(0, -'.html'.length);
}

describe('outbox transport', () => {
  let root = '';
  let directory = '';

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'komma-outbox-'));
    directory = join(root, 'outbox');
    vi.spyOn(console, 'info').mockImplementation(() => {});
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(root, { recursive: true, force: true });
  });

  it('reports success with an id named after the file, which starts with the label', async () => {
    const result = await outboxTransport(directory).send(email, options);
    const name = await onlyPage(directory);
    expect(name).toMatch(NAME);
    expect(result).toEqual({ ok: true, id: `outbox:${name}` });
  });

  it('writes <label>-<digest>.html with subject, sender and recipients, escaped', async () => {
    await outboxTransport(directory).send(email, options);
    const page = await readFile(join(directory, `${await onlyPage(directory)}.html`), 'utf8');
    expect(page).toContain(
      '<title>Bewerbung KommA: Gemeinde &lt;Süd&gt; &amp; &quot;Nord&quot; (Sachsen) – B-TEST-0001</title>',
    );
    expect(page).toContain('<th scope="row">Von</th><td>KommA &lt;komma@example.org&gt;</td>');
    expect(page).toContain('<th scope="row">An</th><td>team@example.org</td>');
    expect(page).toContain('<th scope="row">Antwort an</th><td>kim.beispiel@musterstadt.de</td>');
    expect(page).not.toContain('<Süd>');
  });

  it('includes the HTML part as is and the text part escaped', async () => {
    await outboxTransport(directory).send(email, options);
    const page = await readFile(join(directory, `${await onlyPage(directory)}.html`), 'utf8');
    expect(page).toContain('<p>Name der Kommune: Gemeinde &lt;Süd&gt;</p>');
    expect(page).toContain('<pre>Name der Kommune:\nGemeinde &lt;Süd&gt; &amp; &quot;Nord&quot;\n</pre>');
  });

  it('writes attachments beside the page and links them', async () => {
    await outboxTransport(directory).send(email, options);
    const name = await onlyPage(directory);
    const file = `${name}-bewerbung-B-TEST-0001.csv`;
    expect(await readFile(join(directory, file), 'utf8')).toBe('\ufeff"a";"b"\r\n');
    const page = await readFile(join(directory, `${name}.html`), 'utf8');
    expect(page).toContain(`<a href="${file}">bewerbung-B-TEST-0001.csv</a>`);
  });

  it('leaves one file when the same email (same idempotency key) is sent twice', async () => {
    const transport = outboxTransport(directory);
    const { attachments: _attachments, ...plain } = email;
    await transport.send(plain, options);
    await transport.send({ ...plain, subject: 'Zweiter Versuch' }, options);
    const name = await onlyPage(directory);
    expect(await readdir(directory)).toEqual([`${name}.html`]);
    expect(await readFile(join(directory, `${name}.html`), 'utf8')).toContain('<title>Zweiter Versuch</title>');
  });

  it('keeps every email under one reference: a registration, its cancellation and its move-up notice', async () => {
    const transport = outboxTransport(directory);
    const emails = [
      { subject: 'Anmeldung bestätigt', key: 'komma-webinar-abc-confirmation' },
      { subject: 'Anmeldung storniert', key: 'komma-webinar-cancel-abc-confirmation' },
      { subject: 'Sie sind nachgerückt', key: 'komma-webinar-moved-abc-confirmation' },
    ];
    for (const { subject, key } of emails)
      await transport.send(
        { ...email, subject, attachments: [] },
        { ...options, label: 'W-TEST-0001-bestaetigung', idempotencyKey: key },
      );
    const files = await readdir(directory);
    expect(files).toHaveLength(3);
    const titles = await Promise.all(
      files.map(async (file) => (await readFile(join(directory, file), 'utf8')).match(/<title>(.*)<\/title>/)![1]),
    );
    expect(titles.sort()).toEqual(emails.map(({ subject }) => subject).sort());
    for (const file of files) expect(file).toMatch(/^W-TEST-0001-bestaetigung-[0-9a-f]{8}\.html$/);
  });

  it('keeps only safe characters of the label in the file name', async () => {
    await outboxTransport(directory).send(email, { ...options, label: '../B-TEST-0001/team' });
    expect(await onlyPage(directory)).toMatch(/^B-TEST-0001team-[0-9a-f]{8}$/);
  });

  it('reports a file it cannot write as a failure value, never as an exception', async () => {
    // A file where the outbox folder should be: mkdir fails with ENOTDIR.
    const blocked = join(root, 'blocked');
    await writeFile(blocked, '');
    expect(await outboxTransport(join(blocked, 'outbox')).send(email, options)).toEqual({
      ok: false,
      status: null,
      name: 'outbox_ENOTDIR',
      timedOut: false,
    });
  });
});
