import { describe, expect, it } from 'vitest';
import { applicationFields, applicationSchema, type Application } from '../../src/forms/application.ts';
import { normalise } from '../../src/forms/normalise.ts';
import { validate } from '../../src/forms/validate.ts';
import { applicationEmails } from '../../src/mail/application.ts';
import { csvCell } from '../../src/mail/csv.ts';
import type { Submission } from '../../src/mail/submission.ts';
import { anonymousUnitApplication, validApplication } from '../fixtures/applications.ts';
import { testSettings } from '../fixtures/settings.ts';

/** A label as the text part writes it: with a colon, unless it already ends in punctuation. */
const heading = (label: string): string => (/[.?!:]$/.test(label) ? label : `${label}:`);

/**
 * Half past midnight in Berlin on 20 March 2030, still 19 March in UTC: the emails name the Berlin
 * day, not the hour (the emails are rendered once; every retry sends the same text).
 */
const RECEIVED_AT = new Date('2030-03-19T23:30:00Z');
const RECEIVED = '20. März 2030';

function parsed(input: Readonly<Record<string, unknown>>): Application {
  const result = validate(applicationSchema, applicationFields, normalise(applicationFields, input));
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The team inbox of a submission (MAIL_TO, say): not the settings' own, which the emails must not name. */
const submissionOf = (data: Application): Submission<Application> => ({
  data,
  reference: 'B-TEST-0001',
  receivedAt: RECEIVED_AT,
  teamInbox: 'team@example.org',
});

const emailsFor = (data: Application) => applicationEmails(submissionOf(data), testSettings);

const valid = emailsFor(parsed(validApplication));
const anonymous = emailsFor(parsed(anonymousUnitApplication));

/** The cells of one CSV line whose cells are all quoted; undefined if any cell is not. */
function quotedCells(line: string): string[] | undefined {
  if (!/^"(?:[^"]|"")*"(?:;"(?:[^"]|"")*")*$/.test(line)) return undefined;
  return [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replace(/""/g, '"'));
}

function csvOf(email: { attachments?: readonly { content: string }[] }): string {
  const [attachment] = email.attachments ?? [];
  if (!attachment) throw new Error('no attachment');
  return attachment.content;
}

describe('team email', () => {
  it('goes to the team inbox and replies go to the applicant', () => {
    expect(valid.team.to).toBe('team@example.org');
    expect(valid.team.replyTo).toBe('kim.beispiel@musterstadt.de');
  });

  it('names municipality, state and reference in the subject', () => {
    expect(valid.team.subject).toBe('Bewerbung KommA: Musterstadt (Bayern) – B-TEST-0001');
  });

  it('flags an anonymous application at the start of the subject', () => {
    expect(anonymous.team.subject).toBe(
      'ANONYME TEILNAHME – Bewerbung KommA: Gemeinde <Süd> & "Nord" (Sachsen) – B-TEST-0001',
    );
  });

  it('opens an anonymous application with the wish for anonymity and its reason', () => {
    expect(anonymous.team.text.split('\n\n')[0]).toBe(
      'ACHTUNG: Die Kommune wünscht eine komplett anonyme Teilnahme.\nBegründung: Bedrohungen gegen den Bürgermeister im letzten Jahr.',
    );
  });

  it('does not mention anonymity when the application is not anonymous', () => {
    expect(valid.team.text).not.toContain('anonym');
    expect(valid.team.text.split('\n\n')[0]).toBe(
      `Neue Bewerbung über das Formular auf der Website, eingegangen am ${RECEIVED}.`,
    );
  });

  it('lists every field label in form order in the text part', () => {
    const positions = applicationFields.map((field) => anonymous.team.text.indexOf(`\n${heading(field.label)}\n`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('shows values as people read them: option labels, Ja, population with thousands separator', () => {
    expect(valid.team.text).toContain('Bundesland:\nBayern\n');
    expect(valid.team.text).toContain('Art der Kommune:\nStadt\n');
    expect(valid.team.text).toContain('Einwohnerzahl:\n48.500\n');
    expect(valid.team.text).toContain('Die zuständige (politische) Leitung unterstützt die Bewerbung.\nJa\n');
  });

  it('leaves out fields that do not apply', () => {
    expect(valid.team.text).not.toContain('Bezeichnung der Organisationseinheit');
    expect(valid.team.text).not.toContain('Kurze Begründung für die anonyme Teilnahme');
  });

  it('states the Berlin day it was received', () => {
    expect(valid.team.text).toContain(`eingegangen am ${RECEIVED}.`);
  });

  it('escapes what the applicant typed in the HTML part', () => {
    expect(anonymous.team.html).not.toContain('<Süd>');
    expect(anonymous.team.html).toContain('Gemeinde &lt;Süd&gt; &amp; &quot;Nord&quot;');
    expect(anonymous.team.html).toContain('&lt;kim.beispiel@musterstadt.de&gt;');
  });

  it('keeps the line breaks of a textarea as <br> in the HTML part', () => {
    expect(valid.team.html).toContain('Drohungen gegen Mitarbeitende im Bürgerbüro.<br>Hassrede in sozialen Medien.');
  });

  it('never puts a line break into the subject, even when one reaches the template', () => {
    const data = { ...parsed(validApplication), municipality: 'Musterstadt\r\nBcc: x@evil.example\u2028X' };
    const { team, confirmation } = emailsFor(data);
    expect(team.subject).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(confirmation.subject).not.toMatch(/[\r\n\u2028\u2029]/);
    expect(team.subject).toBe('Bewerbung KommA: Musterstadt Bcc: x@evil.example X (Bayern) – B-TEST-0001');
  });

  it('gets a one-line subject from a name with CRLF sent through the form', () => {
    // No address in it: name fields refuse those (tests/unit/name-fields.test.ts); the line break is the point.
    const { team } = emailsFor(parsed({ ...validApplication, municipality: 'Musterstadt\r\nBcc: Verteiler Nord' }));
    expect(team.subject).toBe('Bewerbung KommA: Musterstadt Bcc: Verteiler Nord (Bayern) – B-TEST-0001');
  });

  it('says so when the sender gets no confirmation, and why', () => {
    const reason = 'An diese Adresse gingen heute bereits 3 E-Mails von uns.';
    const { team } = applicationEmails(
      { ...submissionOf(parsed(validApplication)), confirmationWithheld: reason },
      testSettings,
    );
    expect(team.text.split('\n\n')[2]).toBe(
      'Hinweis: Die Bestätigung an den Absender wurde nicht verschickt. An diese Adresse gingen heute bereits 3 E-Mails von uns.',
    );
    expect(valid.team.text).not.toContain('Hinweis:');
  });
});

describe('CSV attachment of the team email', () => {
  const csv = csvOf(anonymous.team);
  const lines = csv.slice(1).split('\r\n');

  it('is a UTF-8 CSV file named after the reference', () => {
    expect(anonymous.team.attachments?.map(({ filename, contentType }) => ({ filename, contentType }))).toEqual([
      { filename: 'bewerbung-B-TEST-0001.csv', contentType: 'text/csv; charset=utf-8' },
    ]);
  });

  it('starts with a byte order mark so Excel reads umlauts', () => {
    expect(csv.startsWith('\ufeff"Vorgangsnummer";')).toBe(true);
  });

  it('holds a header row and one data row, each ending in CRLF', () => {
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(csv.endsWith('"\r\n')).toBe(true);
  });

  it('quotes every cell and separates cells with semicolons', () => {
    expect(quotedCells(lines[0]!)).toBeDefined();
    expect(quotedCells(lines[1]!)).toBeDefined();
  });

  it('has reference, time of receipt and every field in form order as columns', () => {
    expect(quotedCells(lines[0]!)).toEqual([
      'Vorgangsnummer',
      'Eingegangen',
      ...applicationFields.map((field) => field.label),
    ]);
    expect(quotedCells(lines[1]!)?.slice(0, 6)).toEqual([
      'B-TEST-0001',
      RECEIVED,
      'Gemeinde <Süd> & "Nord"',
      'Sachsen',
      'Gemeinde',
      '3.200',
    ]);
  });

  it('doubles quotes inside cells', () => {
    expect(lines[1]).toContain(';"Gemeinde <Süd> & ""Nord""";');
  });

  it('writes a formula as text, with a leading apostrophe', () => {
    expect(lines[1]).toContain(';"\'=HYPERLINK(""http://example.org"")";');
  });

  it('keeps a column for fields that do not apply, left empty', () => {
    const cells = quotedCells(csvOf(valid.team).slice(1).split('\r\n')[1]!) ?? [];
    const column = (name: string) => 2 + applicationFields.findIndex((field) => field.name === name);
    expect(cells).toHaveLength(2 + applicationFields.length);
    expect(cells[column('unitName')]).toBe('');
    expect(cells[column('anonymityReason')]).toBe('');
  });
});

describe('csvCell', () => {
  it('quotes a plain value', () => {
    expect(csvCell('Musterstadt')).toBe('"Musterstadt"');
  });

  it('doubles quotes', () => {
    expect(csvCell('"Nord"')).toBe('"""Nord"""');
  });

  it.each([
    ['=1+1', `"'=1+1"`],
    ['+49 89 1234', `"'+49 89 1234"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('neutralises %j, which a spreadsheet would run', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves formula characters alone when they do not start the cell', () => {
    expect(csvCell('a=1+2-3@x')).toBe('"a=1+2-3@x"');
  });
});

describe('confirmation email', () => {
  it('goes to the applicant and replies go to the team inbox', () => {
    expect(valid.confirmation.to).toBe('kim.beispiel@musterstadt.de');
    expect(valid.confirmation.replyTo).toBe('team@example.org');
  });

  it('names the reference in subject and body', () => {
    expect(valid.confirmation.subject).toBe('Ihre Bewerbung für das Modellprojekt KommA – B-TEST-0001');
    expect(valid.confirmation.text).toContain('Ihre Vorgangsnummer: B-TEST-0001');
  });

  it('states when the application was received', () => {
    expect(valid.confirmation.text).toContain(`Ihre Bewerbung ist am ${RECEIVED} bei uns eingegangen.`);
  });

  it('contains a copy of what was sent', () => {
    expect(valid.confirmation.text).toContain('Das haben Sie uns geschickt:');
    for (const field of applicationFields.filter(
      (field) => field.name !== 'unitName' && field.name !== 'anonymityReason',
    )) {
      expect(valid.confirmation.text).toContain(`${heading(field.label)}\n`);
    }
    expect(valid.confirmation.text).toContain('Name der Kommune:\nMusterstadt\n');
  });

  it('says how to change details: reply, or write to the team inbox', () => {
    expect(valid.confirmation.text).toContain(
      'Wenn sich Angaben ändern: Antworten Sie einfach auf diese E-Mail oder schreiben Sie an team@example.org, gern mit Ihrer Vorgangsnummer.',
    );
    expect(valid.confirmation.text).not.toContain(testSettings.teamInbox);
  });

  it('names the end of the application window', () => {
    expect(valid.confirmation.text).toContain('Die Bewerbungsfrist endet am 30. April 2030.');
  });

  it('escapes what the applicant typed in the HTML part', () => {
    expect(anonymous.confirmation.html).not.toContain('<Süd>');
    expect(anonymous.confirmation.html).toContain('Gemeinde &lt;Süd&gt; &amp; &quot;Nord&quot;');
  });

  it('has no attachment', () => {
    expect(valid.confirmation.attachments).toBeUndefined();
  });
});
