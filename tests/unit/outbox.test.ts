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

  it('reports success with an id named after the label', async () => {
    expect(await outboxTransport(directory).send(email, options)).toEqual({ ok: true, id: 'outbox:B-TEST-0001-team' });
  });

  it('writes <label>.html with subject, sender and recipients, escaped', async () => {
    await outboxTransport(directory).send(email, options);
    const page = await readFile(join(directory, 'B-TEST-0001-team.html'), 'utf8');
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
    const page = await readFile(join(directory, 'B-TEST-0001-team.html'), 'utf8');
    expect(page).toContain('<p>Name der Kommune: Gemeinde &lt;Süd&gt;</p>');
    expect(page).toContain('<pre>Name der Kommune:\nGemeinde &lt;Süd&gt; &amp; &quot;Nord&quot;\n</pre>');
  });

  it('writes attachments beside the page and links them', async () => {
    await outboxTransport(directory).send(email, options);
    const file = 'B-TEST-0001-team-bewerbung-B-TEST-0001.csv';
    expect(await readFile(join(directory, file), 'utf8')).toBe('\ufeff"a";"b"\r\n');
    const page = await readFile(join(directory, 'B-TEST-0001-team.html'), 'utf8');
    expect(page).toContain(`<a href="${file}">bewerbung-B-TEST-0001.csv</a>`);
  });

  it('leaves one file when the same label is sent twice', async () => {
    const transport = outboxTransport(directory);
    const { attachments: _attachments, ...plain } = email;
    await transport.send(plain, options);
    await transport.send({ ...plain, subject: 'Zweiter Versuch' }, options);
    expect(await readdir(directory)).toEqual(['B-TEST-0001-team.html']);
    expect(await readFile(join(directory, 'B-TEST-0001-team.html'), 'utf8')).toContain(
      '<title>Zweiter Versuch</title>',
    );
  });

  it('keeps only safe characters of the label in the file name', async () => {
    await outboxTransport(directory).send(email, { ...options, label: '../B-TEST-0001/team' });
    expect(await readdir(directory)).toContain('B-TEST-0001team.html');
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
