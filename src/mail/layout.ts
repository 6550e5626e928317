import type { Attachment, Email } from './email.ts';
import { labelWithColon } from '../forms/fields.ts';
import type { SummaryRow } from '../forms/summary.ts';
import { escapeHtml, escapeMultiline } from './html.ts';
import type { Submission } from './submission.ts';

/** Subjects are one line whatever the input held: no header can be smuggled in through a name. */
const oneLine = (text: string) => text.replace(/[\r\n\u2028\u2029]+/g, ' ');

/** A paragraph-per-entry email body: plain text, and HTML that mail clients render reliably. */
export interface EmailBody {
  /** Paragraphs before the table of fields. */
  readonly intro: readonly string[];
  readonly rows: readonly SummaryRow[];
  /** Tables with column headings after the rows (the team's overview: counts by Land, …). */
  readonly tables?: readonly EmailTable[];
  /** Paragraphs after the table. */
  readonly outro?: readonly string[];
}

/** A table with a caption, column headings, and a heading cell that leads each row. */
export interface EmailTable {
  readonly caption: string;
  readonly columns: readonly string[];
  /** Each row: its heading, then one cell per further column. */
  readonly rows: readonly (readonly string[])[];
}

const CELL = 'padding:6px 12px 6px 0;border-bottom:1px solid #ddd';

function tableText(table: EmailTable): string {
  return [table.caption, ...table.rows.map(([heading, ...cells]) => `${heading}: ${cells.join(' | ')}`)].join('\n');
}

function tableHtml(table: EmailTable): string {
  const head = table.columns.map(
    (column) => `<th scope="col" style="text-align:left;${CELL}">${escapeHtml(column)}</th>`,
  );
  const rows = table.rows.map(
    ([heading, ...cells]) =>
      `<tr><th scope="row" style="text-align:left;font-weight:normal;${CELL}">${escapeHtml(heading ?? '')}</th>` +
      cells.map((cell) => `<td style="text-align:right;${CELL}">${escapeHtml(cell)}</td>`).join('') +
      '</tr>',
  );
  return `<table style="border-collapse:collapse;max-width:640px;margin:0 0 24px">
<caption style="text-align:left;font-weight:bold;padding:0 0 6px">${escapeHtml(table.caption)}</caption>
<thead><tr>${head.join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function renderText(body: EmailBody): string {
  const rows = body.rows.map((row) => `${labelWithColon(row.label)}\n${row.value}`).join('\n\n');
  const tables = (body.tables ?? []).map(tableText);
  return [...body.intro, ...(rows ? [rows] : []), ...tables, ...(body.outro ?? [])].join('\n\n') + '\n';
}

/** A line that is nothing but a web address (a personal link we put there): a link in the HTML. */
const LINK_LINE = /^https?:\/\/\S+$/;

function paragraphHtml(text: string): string {
  const lines = text.split('\n').map((line) => {
    const escaped = escapeHtml(line);
    return LINK_LINE.test(line) ? `<a href="${escaped}">${escaped}</a>` : escaped;
  });
  return `<p>${lines.join('<br>')}</p>`;
}

function renderHtml(title: string, body: EmailBody): string {
  const paragraphs = (texts: readonly string[]) => texts.map(paragraphHtml).join('\n');
  const rows = body.rows
    .map(
      (row) =>
        `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:6px 12px 6px 0;border-bottom:1px solid #ddd">${escapeHtml(row.label)}</th>` +
        `<td style="vertical-align:top;padding:6px 0;border-bottom:1px solid #ddd">${escapeMultiline(row.value)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1b1b1b">
${paragraphs(body.intro)}
${rows && `<table style="border-collapse:collapse;max-width:640px">\n${rows}\n</table>`}
${(body.tables ?? []).map(tableHtml).join('\n')}
${paragraphs(body.outro ?? [])}
</body></html>
`;
}

/** What a form's template decides about one email; composeEmail() makes the rest. */
export interface EmailDraft {
  readonly to: string;
  readonly replyTo: string;
  readonly subject: string;
  readonly body: EmailBody;
  readonly attachments?: readonly Attachment[];
}

/** The email of a draft: the subject on one line, the body as plain text and as HTML. */
export function composeEmail({ subject, body, ...envelope }: EmailDraft): Email {
  return { ...envelope, subject: oneLine(subject), text: renderText(body), html: renderHtml(subject, body) };
}

/** The team email's paragraph when the sender gets no confirmation (see src/delivery/allowance.ts). */
export function withheldNote(submission: Submission<unknown>): string[] {
  return submission.confirmationWithheld
    ? [`Hinweis: Die Bestätigung an den Absender wurde nicht verschickt. ${submission.confirmationWithheld}`]
    : [];
}

/** The person's copy of an amendment: its subject says what it is about. */
export const amendedSubject = (submission: Submission<unknown>, subject: string) =>
  submission.amended ? `Änderung eingegangen – ${subject}` : subject;

/** The paragraph that opens the person's copy of an amendment (src/submissions/amendment.ts). */
export function amendedNote(submission: Submission<unknown>): string[] {
  return submission.amended
    ? [
        `Ihre Änderung zu ${submission.reference} ist bei uns eingegangen. Es gelten die Angaben in dieser E-Mail; sie ersetzen Ihre bisherigen.`,
      ]
    : [];
}
