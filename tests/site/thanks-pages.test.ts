import { describe, expect, it } from 'vitest';
import { builtPage } from '../helpers/dist.ts';

/** The main text of a built page, with the markup's line breaks and indentation as single spaces. */
const mainText = async (path: string) =>
  (await builtPage(path)).querySelector('main')!.textContent.replace(/\s+/g, ' ').trim();

describe('thank-you pages while the confirmation waits in the queue', () => {
  it.each([
    ['/bewerbung/danke/verzoegert/', 'Ihre Bewerbung', 'einer Kopie Ihrer Angaben'],
    ['/webinar/danke/verzoegert/', 'Ihre Anmeldung', 'einer Kopie Ihrer Angaben sowie dem Termin als Kalendereintrag'],
  ])('%s says what the confirmation will bring, in correct German', async (path, submission, contents) => {
    expect(await mainText(path)).toContain(
      `${submission} ist eingegangen. Die Bestätigung per E-Mail kann sich etwas verzögern. ` +
        `Wir schicken sie Ihnen mit Ihrer Vorgangsnummer und ${contents}; bitte sehen Sie auch im Spam-Ordner nach. ` +
        `Bitte senden Sie ${submission} nicht noch einmal.`,
    );
  });
});
