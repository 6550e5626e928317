import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { drain } from '../../src/delivery/drain.ts';
import { lookup, pending } from '../../src/delivery/outbox.ts';
import { csvFile } from '../../src/mail/csv.ts';
import { applicationFields } from '../../src/forms/application.ts';
import { applicationCsvHeader } from '../../src/mail/application.ts';
import { overviewEmail } from '../../src/mail/overview.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { KEPT, keptApplications, type KeptApplication } from '../../src/selection/kept.ts';
import { sizeClassLabels, sizeClassOf, summarise } from '../../src/selection/overview.ts';
import { overviewTime, queueOverview } from '../../src/selection/selection-overview.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { anonymousUnitApplication, validApplication, validApplicationParsed } from '../fixtures/applications.ts';
import { testSettings, testSettingsFile } from '../fixtures/settings.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import { attachmentText, type ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';

/** Instants of the test settings' round (window 4 March – 30 April 2030, kept until 30 June 2030). */
const at = (instant: string) => new Date(instant);
const DEFAULT_BOUNDS = [20_000, 100_000];
const mail = { from: 'KommA <komma@komma-test.example>', teamInbox: testSettings.teamInbox };

/** A kept application as the pipeline stores it, with a few fields changed. */
function kept(n: number, receivedAt: string, change: Partial<KeptApplication['data']> = {}): KeptApplication {
  const data = { ...validApplicationParsed, ...change } as KeptApplication['data'];
  return { version: 1, key: `bewerbung-${n}`, reference: `B-TEST-000${n}`, receivedAt, data };
}

/** A known set: two from Bayern, one anonymous unit from Sachsen; populations at and around the bounds. */
const known = [
  kept(1, '2030-03-05T09:00:00.000Z', { population: 19_999 }),
  kept(2, '2030-03-06T09:00:00.000Z', { population: 20_000, kind: 'gemeinde' }),
  kept(3, '2030-03-07T09:00:00.000Z', {
    municipality: 'Gemeinde <Süd> & "Nord"',
    state: 'DE-SN',
    kind: 'gemeinde',
    population: 100_000,
    scope: 'unit',
    unitName: 'Amt für Bürgerdienste',
    publication: 'anonymous',
    needs: '=HYPERLINK("http://example.org")',
  }),
];
const rowOf = (counts: readonly { label: string; count: number }[], label: string) =>
  counts.find((row) => row.label === label)?.count;

describe('size classes', () => {
  it('name the default classes as Destatis does: each bound opens the class above it', () => {
    expect(sizeClassLabels(DEFAULT_BOUNDS)).toEqual(['unter 20.000', '20.000 bis unter 100.000', '100.000 und mehr']);
    expect(sizeClassLabels([5000, 20_000, 100_000])).toEqual([
      'unter 5.000',
      '5.000 bis unter 20.000',
      '20.000 bis unter 100.000',
      '100.000 und mehr',
    ]);
  });

  it('put a population equal to a bound into the class above it', () => {
    expect([1, 19_999, 20_000, 99_999, 100_000, 3_600_000].map((n) => sizeClassOf(n, DEFAULT_BOUNDS))).toEqual([
      0, 0, 1, 1, 2, 2,
    ]);
  });
});

describe('the overview of a known set of applications', () => {
  const overview = summarise(known, 1, DEFAULT_BOUNDS);

  it('counts the total, the new ones since the last overview and the anonymous ones', () => {
    expect([overview.total, overview.fresh, overview.anonymous]).toEqual([3, 2, 1]);
  });

  it('counts by Land, kind, size, scope and publication wish, listing every option with zeros', () => {
    expect(overview.byState).toHaveLength(16);
    expect([rowOf(overview.byState, 'Bayern'), rowOf(overview.byState, 'Sachsen')]).toEqual([2, 1]);
    expect(rowOf(overview.byState, 'Berlin')).toBe(0);
    expect(overview.byKind.map((row) => [row.label, row.count])).toEqual([
      ['Gemeinde', 2],
      ['Stadt', 1],
      ['Kreisfreie Stadt', 0],
      ['Landkreis', 0],
      ['Gemeindeverband', 0],
      ['Andere', 0],
    ]);
    expect(overview.bySize.map((row) => row.count)).toEqual([1, 1, 1]);
    expect(overview.byScope.map((row) => row.count)).toEqual([2, 1]);
    expect(overview.byPublication).toEqual([
      { label: 'Nennung nur nach Absprache', count: 2 },
      { label: 'Komplett anonyme Teilnahme', count: 1 },
    ]);
  });

  it('renders a German email with headed tables and the cumulative CSV in the single CSV’s columns', () => {
    const asOf = overviewTime('2030-03-08');
    const email = overviewEmail({
      asOf,
      day: '2030-03-08',
      overview,
      applications: known,
      closing: false,
      closes: testSettings.applicationWindow.closes,
      retainUntil: '2030-06-30',
      teamInbox: mail.teamInbox,
    });
    expect(email.subject).toBe('Auswahlübersicht vom 8. März 2030: 3 Bewerbungen (2 neu)');
    expect([email.to, email.replyTo]).toEqual([mail.teamInbox, mail.teamInbox]);
    expect(email.text).toContain('Stand: 8. März 2030, 07:00 Uhr. Eingegangen sind bisher 3 Bewerbungen, davon 2 neu');
    expect(email.text).toContain('Komplett anonyme Teilnahme wünschen 1 Bewerbung.');
    expect(email.text).toContain('Nach Bundesland\nBaden-Württemberg: 0\nBayern: 2');
    expect(email.text).toContain('Nach Größe\nunter 20.000: 1\n20.000 bis unter 100.000: 1\n100.000 und mehr: 1');
    expect(email.text).toContain('bis zum 30. Juni 2030 auf und löscht sie danach');
    expect(email.html).toContain('<caption');
    expect(email.html).toContain(
      '<th scope="col" style="text-align:left;padding:6px 12px 6px 0;border-bottom:1px solid #ddd">Einwohner:innen</th>',
    );
    expect(email.html).toMatch(/<th scope="row"[^>]*>Sachsen<\/th><td[^>]*>1<\/td>/);
    expect(email.html).not.toContain('<Süd>');

    const [csv] = email.attachments!;
    expect(csv!.filename).toBe('bewerbungen-2030-03-08.csv');
    expect(csv!.contentType).toBe('text/csv; charset=utf-8');
    const lines = csv!.content.split('\r\n');
    expect(lines[0]).toBe(csvFile(applicationCsvHeader, []).replace('\r\n', ''));
    expect(csv!.content.startsWith('\ufeff"Vorgangsnummer";"Eingegangen";"Name der Kommune"')).toBe(true);
    // Ordered by arrival, the cells of the single CSV: reference, Berlin date and time received, then the fields.
    expect(lines.slice(1).map((line) => line.split(';').slice(0, 3).join(';'))).toEqual([
      '"B-TEST-0001";"2030-03-05 10:00";"Musterstadt"',
      '"B-TEST-0002";"2030-03-06 10:00";"Musterstadt"',
      '"B-TEST-0003";"2030-03-07 10:00";"Gemeinde <Süd> & ""Nord"""',
      '',
    ]);
    expect(lines[3]).toContain(`"'=HYPERLINK(""http://example.org"")"`);
    const population = 2 + applicationFields.findIndex((field) => field.name === 'population');
    expect(lines.slice(1, -1).map((line) => line.split(';')[population])).toEqual(['"19999"', '"20000"', '"100000"']);
  });
});

describe('the settings of the overview', () => {
  const parse = (change: Record<string, unknown>) => () => parseSettings({ ...testSettingsFile, ...change });

  it('take size classes 20,000 and 100,000 unless they say otherwise', () => {
    expect(testSettings.sizeClasses).toEqual(DEFAULT_BOUNDS);
    expect(parse({ sizeClasses: [5000, 50_000] })().sizeClasses).toEqual([5000, 50_000]);
  });

  it.each([
    [{ retainApplicationsUntil: '30.06.2030' }, 'retainApplicationsUntil: Ein Datum in der Form JJJJ-MM-TT angeben'],
    [{ retainApplicationsUntil: '2030-02-30' }, 'retainApplicationsUntil: Dieses Datum gibt es im Kalender nicht.'],
    [
      { retainApplicationsUntil: '2030-04-30' },
      'retainApplicationsUntil: Das Datum muss nach dem letzten Tag der Bewerbungsfrist liegen',
    ],
    [{ retainApplicationsUntil: undefined }, 'retainApplicationsUntil: Ein Datum angeben, z. B. "2027-06-30".'],
    [{ sizeClasses: [100_000, 20_000] }, 'sizeClasses: Die Grenzen aufsteigend angeben'],
    [{ sizeClasses: [20_000.5] }, 'sizeClasses.0: Eine ganze Zahl angeben'],
    [{ sizeClasses: [] }, 'sizeClasses: Mindestens eine Grenze angeben'],
  ])('refuse %j with a German message naming the field', (change, message) => {
    expect(parse(change)).toThrow(message);
  });

  it('name a broken window’s own problem before comparing the day with it', () => {
    const brokenWindow = { applicationWindow: { ...testSettingsFile.applicationWindow, closes: 'Ende April' } };
    expect(parse(brokenWindow)).toThrow('applicationWindow.closes: Datum und Uhrzeit in Berliner Zeit');
    expect(parse(brokenWindow)).not.toThrow('retainApplicationsUntil');
  });

  it('accept the first day after the window’s last as the end of keeping', () => {
    expect(parse({ retainApplicationsUntil: '2030-05-01' })().retainApplicationsUntil).toBe('2030-05-01');
  });
});

describe('07:00 in Berlin', () => {
  it('is 06:00 UTC in winter and 05:00 UTC in summer', () => {
    expect(overviewTime('2030-03-08').toISOString()).toBe('2030-03-08T06:00:00.000Z');
    expect(overviewTime('2030-03-31').toISOString()).toBe('2030-03-31T05:00:00.000Z');
  });
});

describe('the daily overview through the real pipeline, store and queue', () => {
  const parts = useStubAndBlobs();
  let resend: ResendStub;
  let blobs: TestBlobs;
  beforeEach(() => ({ resend, blobs } = parts));

  const env = { RESEND_API_KEY: 're_test', MAIL_FROM: mail.from };

  /** One application through the real pipeline at `now`; the same submissionId twice is a retry. */
  async function submit(now: string, body: Record<string, unknown>, submissionId: string = randomUUID()) {
    const runtime: Runtime = {
      env: { ...env, RESEND_BASE_URL: resend.url },
      settings: testSettings,
      now: at(now),
      store: () => blobs.store,
    };
    const request = new Request('https://komma.example/api/bewerbung', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      // One address per submission (the daily limit per address stays out of the way); the same
      // submissionId with the same answers is a retry, other answers would amend it.
      body: JSON.stringify({ ...body, email: `person-${submissionId.slice(0, 8)}@komma-test.example`, submissionId }),
    });
    const response = await handleSubmission(request, applicationForm(testSettings), runtime);
    expect(response.status).toBe(200);
    return (await response.json()).reference as string;
  }

  const overview = (now: string) => queueOverview({ store: blobs.store, settings: testSettings, mail, now: at(now) });
  /** deliver-pending at `now`, with a clock that needs no waiting; returns the overview emails it sent. */
  async function send(now: string) {
    resend.reset();
    await drain({
      store: blobs.store,
      transport: resendTransport({ apiKey: 're_test', baseUrl: resend.url }),
      team: { to: mail.teamInbox, from: mail.from },
      now: at(now),
      clock: () => 0,
      sleep: async () => {},
    });
    return resend.delivered.map((request) => request.body).filter((body) => body.subject?.startsWith('Auswahl'));
  }

  it('keeps each application once, however often it is sent, and never the data of a refused one', async () => {
    const id = randomUUID();
    const first = await submit('2030-03-20T10:00:00+01:00', validApplication, id);
    const again = await submit('2030-03-20T10:05:00+01:00', validApplication, id);
    expect(again).toBe(first);
    await handleSubmission(
      new Request('https://komma.example/api/bewerbung', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...validApplication, municipality: '' }),
      }),
      applicationForm(testSettings),
      { env, settings: testSettings, now: at('2030-03-20T10:10:00+01:00'), store: () => blobs.store },
    );
    const stored = await keptApplications(blobs.store);
    expect(stored.map((entry) => [entry.reference, entry.receivedAt, entry.data.municipality])).toEqual([
      [first, '2030-03-20T09:00:00.000Z', 'Musterstadt'],
    ]);
  });

  it('answers as always when keeping fails, logs the reference only, and the drain keeps it later', async () => {
    const failing = {
      ...blobs.store,
      writeIfNew: (key: string, value: unknown) =>
        key.startsWith(KEPT) ? Promise.reject(new Error('blobs down')) : blobs.store.writeIfNew(key, value),
    };
    const response = await handleSubmission(
      new Request('https://komma.example/api/bewerbung', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...validApplication, submissionId: randomUUID() }),
      }),
      applicationForm(testSettings),
      {
        env: { ...env, RESEND_BASE_URL: resend.url },
        settings: testSettings,
        now: at('2030-03-20T10:00:00+01:00'),
        store: () => failing,
      },
    );
    const body = await response.json();
    expect([response.status, body.queued]).toEqual([200, false]);
    expect(resend.delivered).toHaveLength(2);
    expect(parts.errors.join('\n')).toContain(
      `"outcome":"store-failed","reference":"${body.reference}","during":"keep"`,
    );
    expect(parts.errors.join('\n')).not.toContain('Musterstadt');
    expect(await keptApplications(blobs.store)).toEqual([]);

    // Both emails are out, but the message waits for its copy: the drain writes it, then ends it.
    expect(await pending(blobs.store)).toHaveLength(1);
    expect(await send('2030-03-20T10:02:00+01:00')).toEqual([]);
    expect((await keptApplications(blobs.store)).map((entry) => entry.reference)).toEqual([body.reference]);
    expect(resend.delivered).toHaveLength(0);
    expect(await pending(blobs.store)).toEqual([]);
  });

  it('sends one overview a day from 07:00 after new applications, the closing one, and deletes after retainApplicationsUntil', async () => {
    const first = await submit('2030-03-20T10:00:00+01:00', validApplication);
    const second = await submit('2030-03-20T18:00:00+01:00', anonymousUnitApplication);
    // Before 07:00 nothing goes out; from 07:00 one overview, however often the function runs.
    expect(await overview('2030-03-21T06:59:59+01:00')).toMatchObject({ queued: false });
    // Runs at once may both write the day's record (the local emulator's onlyIfNew is check-then-write):
    // it is one key with one idempotency key, so one email all the same.
    const runs = await Promise.all([overview('2030-03-21T07:00:00+01:00'), overview('2030-03-21T07:01:00+01:00')]);
    expect(runs.find((run) => run.queued)).toEqual({
      day: '2030-03-21',
      queued: true,
      applications: 2,
      fresh: 2,
      deleted: 0,
    });
    expect(await overview('2030-03-21T08:00:00+01:00')).toMatchObject({ queued: false });
    const [email, ...more] = await send('2030-03-21T07:02:00+01:00');
    expect(more).toEqual([]);
    expect(email!.subject).toBe('Auswahlübersicht vom 21. März 2030: 2 Bewerbungen (2 neu)');
    expect(email!.to).toBe(testSettings.teamInbox);
    const csv = attachmentText(email!.attachments![0]!);
    expect(csv.split('\r\n').map((line) => line.split(';')[0])).toEqual([
      '\ufeff"Vorgangsnummer"',
      `"${first}"`,
      `"${second}"`,
      '',
    ]);
    expect(await send('2030-03-21T07:10:00+01:00')).toEqual([]);
    // Sent: the record with the CSV has become a tombstone.
    expect(await lookup(blobs.store, 'overview-2030-03-21')).toMatchObject({ kind: 'done' });

    // An application after 07:00 waits for the next morning; a day without new ones brings nothing.
    await submit('2030-03-22T09:00:00+01:00', validApplication);
    expect(await overview('2030-03-22T10:00:00+01:00')).toMatchObject({ queued: false });
    expect(await overview('2030-03-23T07:00:00+01:00')).toMatchObject({ queued: true, applications: 3, fresh: 1 });
    expect((await send('2030-03-23T07:05:00+01:00'))[0]!.subject).toBe(
      'Auswahlübersicht vom 23. März 2030: 3 Bewerbungen (1 neu)',
    );
    expect(await overview('2030-03-24T07:00:00+01:00')).toMatchObject({ queued: false });

    // The day after the window's last: the closing overview, also with nothing new.
    expect(await overview('2030-04-30T07:00:00+02:00')).toMatchObject({ queued: false });
    expect(await overview('2030-05-01T07:00:00+02:00')).toMatchObject({ queued: true, applications: 3, fresh: 0 });
    const [closing] = await send('2030-05-01T07:05:00+02:00');
    expect(closing!.subject).toBe('Auswahlübersicht vom 1. Mai 2030 (Bewerbungsfrist beendet): 3 Bewerbungen (0 neu)');
    expect(closing!.text).toContain('Die Bewerbungsfrist ist am 30. April 2030 zu Ende gegangen.');
    expect(await overview('2030-05-02T07:00:00+02:00')).toMatchObject({ queued: false });

    // Kept to the end of 30 June 2030 (Berlin); the first run after it deletes them all.
    expect(await overview('2030-06-30T23:59:59+02:00')).toMatchObject({ deleted: 0 });
    expect(await blobs.store.keys(KEPT)).toHaveLength(3);
    expect(await overview('2030-07-01T00:00:00+02:00')).toMatchObject({ queued: false, deleted: 3 });
    expect(await blobs.store.keys(KEPT)).toEqual([]);
    expect(await overview('2030-07-01T07:00:00+02:00')).toEqual({
      day: '2030-07-01',
      queued: false,
      applications: 0,
      fresh: 0,
      deleted: 0,
    });
  });
});
