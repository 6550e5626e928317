import { describe, expect, it } from 'vitest';
import { anonymousUnitApplication, validApplication } from '../fixtures/applications.ts';
import { testSettings } from '../fixtures/settings.ts';
import { postJson } from '../helpers/post.ts';
import { attachmentText } from '../helpers/resend-stub.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';

/**
 * The scheduled selection-overview as deployed, on the in-process harness with the real Resend SDK
 * against the stub: the tests' settings (window 4 March – 30 April 2030, applications kept until
 * 30 June 2030), the clock moved to each moment.
 */
const APPLYING = new Date('2030-03-20T10:00:00+01:00');
const NEXT_MORNING = new Date('2030-03-21T07:30:00+01:00');
const DAY_AFTER = new Date('2030-03-22T07:30:00+01:00');
const AFTER_KEEPING = new Date('2030-07-01T07:30:00+02:00');

const run = useHarness({ now: APPLYING, settings: testSettings });

/** Runs the scheduled function once, as Netlify's scheduler would. */
async function runOverview() {
  const response = await run.harness.invoke('selection-overview');
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
      const response = await postJson(run.url('/api/bewerbung'), application);
      expect(response.status).toBe(200);
      references.push((await response.json()).reference);
    }

    run.harness.setNow(NEXT_MORNING);
    run.harness.stub.reset();
    expect(await runOverview()).toEqual({ day: '2030-03-21', queued: true, applications: 3, fresh: 3, deleted: 0 });
    expect(await runOverview()).toMatchObject({ queued: false });
    expect(await run.harness.drain()).toMatchObject({ accepted: 1 });
    expect(await run.harness.drain()).toMatchObject({ accepted: 0 });

    expect(run.harness.stub.delivered).toHaveLength(1);
    const email = run.harness.stub.delivered[0]!.body;
    expect(email.to).toBe(testSettings.teamInbox);
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
    expect(run.log()).toContain('"form":"selection-overview","outcome":"run","day":"2030-03-21"');
    expect(run.log()).not.toContain('Großstadt');

    run.harness.setNow(DAY_AFTER);
    run.harness.stub.reset();
    expect(await runOverview()).toMatchObject({ day: '2030-03-22', queued: false });
    expect(await run.harness.drain()).toMatchObject({ accepted: 0 });
    expect(run.harness.stub.delivered).toEqual([]);

    run.harness.setNow(AFTER_KEEPING);
    expect(await runOverview()).toMatchObject({ queued: false, deleted: 3 });
    expect(await runOverview()).toMatchObject({ queued: false, deleted: 0 });
  });
});
