import type { Application } from '../forms/application.ts';
import { formatDate, formatDateTime } from '../time/format.ts';
import { applicationCsvHeader, applicationCsvRow } from './application.ts';
import { csvFile } from './csv.ts';
import type { Email } from './email.ts';
import { composeEmail, type EmailTable } from './layout.ts';

/** One line of a table: a category and how many applications fall into it. */
export interface Count {
  readonly label: string;
  readonly count: number;
}

/** The overview's figures, computed from the applications it covers (src/selection/overview.ts). */
export interface Overview {
  readonly total: number;
  /** Arrived since the last overview. */
  readonly fresh: number;
  /** Wish a completely anonymous participation. */
  readonly anonymous: number;
  readonly byState: readonly Count[];
  readonly byKind: readonly Count[];
  readonly bySize: readonly Count[];
  readonly byScope: readonly Count[];
  readonly byPublication: readonly Count[];
}

/** One application as the overview's CSV lists it (src/selection/kept.ts keeps them). */
export interface OverviewApplication {
  readonly reference: string;
  /** When it first arrived (ISO instant). */
  readonly receivedAt: string;
  readonly data: Application;
}

export interface OverviewOf {
  /** 07:00 Berlin time of the overview's day: it covers what arrived before. */
  readonly asOf: Date;
  /** "2027-01-12": names the attachment. */
  readonly day: string;
  readonly overview: Overview;
  /** The applications it covers, in the order of arrival: the CSV's rows. */
  readonly applications: readonly OverviewApplication[];
  /** The window has closed since the last overview: this one covers every application. */
  readonly closing: boolean;
  readonly closes: Date;
  /** "2027-06-30": the kept applications are deleted after this day. */
  readonly retainUntil: string;
  readonly teamInbox: string;
}

const applications = (count: number) => `${count.toLocaleString('de-DE')} ${count === 1 ? 'Bewerbung' : 'Bewerbungen'}`;

const table = (caption: string, heading: string, counts: readonly Count[]): EmailTable => ({
  caption,
  columns: [heading, 'Bewerbungen'],
  rows: counts.map(({ label, count }) => [label, count.toLocaleString('de-DE')]),
});

/** The cumulative CSV: the single application's columns, one row per application, by arrival. */
export function overviewCsv(kept: readonly OverviewApplication[]): string {
  return csvFile(
    applicationCsvHeader,
    kept.map((entry) => applicationCsvRow({ ...entry, receivedAt: new Date(entry.receivedAt) })),
  );
}

/** The team's „Auswahlübersicht": counts, tables and every application so far as a CSV file. */
export function overviewEmail(of: OverviewOf): Email {
  const { overview } = of;
  const date = formatDate(of.asOf);
  const retainUntil = formatDate(new Date(`${of.retainUntil}T12:00:00Z`));
  const filename = `bewerbungen-${of.day}.csv`;
  return composeEmail({
    to: of.teamInbox,
    replyTo: of.teamInbox,
    subject: `Auswahlübersicht vom ${date}${of.closing ? ' (Bewerbungsfrist beendet)' : ''}: ${applications(overview.total)} (${overview.fresh} neu)`,
    body: {
      intro: [
        ...(of.closing
          ? [
              `Die Bewerbungsfrist ist am ${formatDate(of.closes)} zu Ende gegangen. Diese Übersicht umfasst alle Bewerbungen.`,
            ]
          : []),
        `Stand: ${formatDateTime(of.asOf)}. Eingegangen sind bisher ${applications(overview.total)}, davon ${overview.fresh} neu seit der letzten Übersicht.`,
        `Komplett anonyme Teilnahme wünschen ${applications(overview.anonymous)}.`,
      ],
      rows: [],
      tables: [
        table('Nach Bundesland', 'Bundesland', overview.byState),
        table('Nach Art der Kommune', 'Art der Kommune', overview.byKind),
        table('Nach Größe', 'Einwohner:innen', overview.bySize),
        table('Nach Umfang der Teilnahme', 'Wer soll teilnehmen?', overview.byScope),
        table('Nach Wunsch zur Veröffentlichung', 'Veröffentlichung', overview.byPublication),
      ],
      outro: [
        `Alle Bewerbungen bis zu diesem Stand liegen als CSV-Datei bei (${filename}).`,
        `Die Website bewahrt die Bewerbungen für diese Übersicht bis zum ${retainUntil} auf und löscht sie danach. Die nächste Übersicht kommt am Morgen nach weiteren Bewerbungen.`,
      ],
    },
    attachments: [{ filename, contentType: 'text/csv; charset=utf-8', content: overviewCsv(of.applications) }],
  });
}
