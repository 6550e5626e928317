import { describe, expect, it } from 'vitest';
import { applicationFields, applicationSchema } from '../../src/forms/application.ts';
import { normalise } from '../../src/forms/normalise.ts';
import { validate } from '../../src/forms/validate.ts';
import { applicationEmails } from '../../src/mail/application.ts';
import { LINK_LEFT_OUT } from '../../src/mail/copy.ts';
import { webinarEmails } from '../../src/mail/webinar.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { testSessions, testSettings } from '../fixtures/settings.ts';
import { validApplication } from '../fixtures/applications.ts';
import { validRegistration } from '../fixtures/webinar.ts';

function parsed<T>(schema: Parameters<typeof validate<T>>[0], fields: typeof applicationFields, input: object): T {
  const result = validate(schema, fields, normalise(fields, input as Record<string, unknown>));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

const application = (needs: string) =>
  applicationEmails(
    {
      data: parsed(applicationSchema, applicationFields, { ...validApplication, needs }),
      reference: 'B-TEST-0001',
      receivedAt: new Date('2030-03-20T10:00:00+01:00'),
      teamInbox: 'team@example.org',
    },
    testSettings,
  );

const form = webinarForm(testSettings);
const registration = (questions: string) =>
  webinarEmails(
    {
      data: parsed(form.schema, form.fields as never, { ...validRegistration, session: 'winter-2030', questions }),
      reference: 'W-TEST-0001',
      receivedAt: new Date('2030-03-05T10:00:00+01:00'),
      teamInbox: 'team@example.org',
    },
    testSessions.winter,
  );

/** Free text with a link or an address in it, as a stranger would send it to someone else's mailbox. */
const WITH_LINK = [
  'Bitte melden Sie sich hier an: https://phish.example/login',
  'Schreiben Sie an boss@evil.example',
  'Mehr unter www.evil.example',
  'Siehe evil.com',
  'Siehe Bit.Ly/abc',
  'Siehe EVIL．COM',
];

describe('the copy sent to the person', () => {
  it.each(WITH_LINK)('leaves out a free-text answer with a link or address: %j', (text) => {
    const { team, confirmation } = application(text);
    expect(confirmation.text).not.toContain(text);
    expect(confirmation.html).not.toContain(text.split(' ').at(-1));
    expect(confirmation.text).toContain(`Herausforderungen`);
    expect(confirmation.text).toContain(LINK_LEFT_OUT);
    // The team gets everything as sent.
    expect(team.text).toContain(text);
  });

  it('shows a free-text answer without a link as sent', () => {
    const text = 'Drohungen gegen Mitarbeitende, z. B. im Bürgerbüro (ca. 3.5 Fälle im Monat).';
    const { confirmation } = application(text);
    expect(confirmation.text).toContain(text);
    expect(confirmation.text).not.toContain(LINK_LEFT_OUT);
  });

  it('does the same for the webinar questions, in the confirmation only', () => {
    const text = 'Infos: https://phish.example/login';
    const { team, confirmation } = registration(text);
    expect(confirmation.text).not.toContain('phish.example');
    expect(confirmation.text).toContain(LINK_LEFT_OUT);
    expect(team.text).toContain(text);
  });
});
