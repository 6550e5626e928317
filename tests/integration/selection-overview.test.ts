import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousUnitApplication, validApplication } from '../fixtures/applications.ts';
import { testSettingsFile } from '../fixtures/settings.ts';
import { pinnedBuild, type PinnedBuild } from '../helpers/pinned-build.ts';
import { postJson } from '../helpers/post.ts';
import { attachmentText } from '../helpers/resend-stub.ts';
import { fresh, startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';

/**
 * The scheduled selection-overview with the real functions in @netlify/dev (Blobs emulated) and the
 * real Resend SDK against the stub. The test owns its data: a copy of the project whose
 * content/settings.json is the tests' own (window 4 March – 30 April 2030, applications kept until
 * 30 June 2030), built and served with the clock pinned to each moment.
 */
const APPLYING = new Date('2030-03-20T10:00:00+01:00');
const NEXT_MORNING = '2030-03-21T07:30:00+01:00';
const DAY_AFTER = '2030-03-22T07:30:00+01:00';
const AFTER_KEEPING = '2030-07-01T07:30:00+02:00';

let build: PinnedBuild;
let running: SiteWithResend;

beforeAll(async () => {
  build = await pinnedBuild(APPLYING, {
    settings: () => ({ ...testSettingsFile, webinars: testSettingsFile.webinars.map((session) => ({ ...session })) }),
  });
  running = await startSiteWithResend(APPLYING.toISOString(), {}, { cwd: build.dir });
}, 120_000);
afterAll(async () => {
  await running?.stop();
  await build?.remove();
});

/** Runs the scheduled function once, as Netlify's scheduler would. */
async function runOverview() {
  const response = await fetch(`${running.site.origin}/.netlify/functions/selection-overview`, { method: 'POST' });
  expect(response.status).toBe(200);
  return response.json();
}

describe('the scheduled selection-overview', () => {
  it('sends the team one overview with the counts and the CSV the morning after, nothing the day after, and deletes the applications after retainApplicationsUntil', async () => {
    const applications = [
      fresh(validApplication),
      fresh({ ...validApplication, municipality: 'Großstadt', state: 'DE-NW', population: '250000' }),
      fresh(anonymousUnitApplication),
    ];
    const references: string[] = [];
    for (const application of applications) {
      const response = await postJson(`${running.site.origin}/api/bewerbung`, application);
      expect(response.status).toBe(200);
      references.push((await response.json()).reference);
    }

    await running.restartAt(NEXT_MORNING);
    running.resend.reset();
    expect(await runOverview()).toEqual({ day: '2030-03-21', queued: true, applications: 3, fresh: 3, deleted: 0 });
    expect(await runOverview()).toMatchObject({ queued: false });
    expect(await running.drain()).toMatchObject({ accepted: 1 });
    expect(await running.drain()).toMatchObject({ accepted: 0 });

    expect(running.resend.delivered).toHaveLength(1);
    const email = running.resend.delivered[0]!.body;
    expect(email.to).toBe(testSettingsFile.teamInbox);
    expect(email.subject).toBe('Auswahlübersicht vom 21. März 2030: 3 Bewerbungen (3 neu)');
    // The populations as typed („48.500", „250000", „3200") land in their size classes.
    expect(email.text).toContain('Nach Größe\nunter 20.000: 1\n20.000 bis unter 100.000: 1\n100.000 und mehr: 1');
    expect(['Bayern: 1', 'Nordrhein-Westfalen: 1', 'Sachsen: 1'].every((line) => email.text!.includes(line))).toBe(
      true,
    );
    const [csv] = email.attachments!;
    expect(csv!.filename).toBe('bewerbungen-2030-03-21.csv');
    const lines = attachmentText(csv!).split('\r\n');
    expect(lines[0]!.startsWith('\ufeff"Vorgangsnummer";"Eingegangen";"Name der Kommune";"Bundesland"')).toBe(true);
    expect(
      lines
        .slice(1, -1)
        .map((line) => line.split(';')[0])
        .sort(),
    ).toEqual(references.map((r) => `"${r}"`).sort());
    expect(lines.find((line) => line.includes('HYPERLINK'))).toContain(`"'=HYPERLINK(""http://example.org"")"`);
    // The log names counts and references, never what the applicants typed.
    expect(running.site.log()).toContain('"form":"selection-overview","outcome":"run","day":"2030-03-21"');
    expect(running.site.log()).not.toContain('Großstadt');

    await running.restartAt(DAY_AFTER);
    running.resend.reset();
    expect(await runOverview()).toMatchObject({ day: '2030-03-22', queued: false });
    expect(await running.drain()).toMatchObject({ accepted: 0 });
    expect(running.resend.delivered).toEqual([]);

    await running.restartAt(AFTER_KEEPING);
    expect(await runOverview()).toMatchObject({ queued: false, deleted: 3 });
    expect(await runOverview()).toMatchObject({ queued: false, deleted: 0 });
  }, 180_000);
});

describe('the privacy page', () => {
  it('states until which day the applications are kept, from the settings', async () => {
    const page = await (await fetch(`${running.site.origin}/datenschutz/`)).text();
    expect(page).toContain('Bewerbungen für die Auswahl bis zum <time datetime="2030-06-30">30. Juni 2030</time>');
  });
});
