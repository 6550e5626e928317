import { describe, expect, it } from 'vitest';
import { applicationFields, applicationSchema } from '../../src/forms/application.ts';
import { normalise } from '../../src/forms/normalise.ts';
import { validate, type FieldErrors } from '../../src/forms/validate.ts';
import { webinarFields, webinarSchema } from '../../src/forms/webinar.ts';
import { sessionOptions } from '../../src/forms/session-options.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings } from '../fixtures/settings.ts';
import { validRegistration } from '../fixtures/webinar.ts';

const NO_ADDRESS = 'Bitte geben Sie hier keine E-Mail- oder Internetadresse an.';

/** Names as people write them, abbreviations with dots included. */
const ACCEPTED = [
  'Kim Beispiel',
  'St. Gallen',
  'z. B. Dezernat für Soziales',
  'Dr. Jenni Winterhagen',
  'Dr.med. Kim Beispiel',
  'Bürgermeister:in',
  'Amt f. Soziales',
  'Abt.Organisation',
  'Referat 1.2, Bildung',
  'Gemeinde <Süd> & "Nord"',
  'Musterfirma GmbH & Co.KG',
] as const;

/** Everything a mail client could turn into a link or a mailto. */
const REFUSED = [
  'kim@musterstadt.de',
  'Kim Beispiel (kim@beispiel)',
  'https://evil.example',
  'Kim ftp://evil',
  'www.musterstadt',
  'WWW.Musterstadt.DE',
  'musterstadt.de',
  'Kim Beispiel musterstadt.de',
  'evil.com/x',
  'evil.com:8080',
  'Kim (evil.com)',
  'Besuchen Sie evil.com, bitte',
  'evil.com?x=1',
  'bücher.example',
  'EVIL.COM',
  'evil.com.',
  'evil．com',
  'Bit.Ly/abc',
  'Evil.Com',
  'Kim ＥＶＩＬ．ＣＯＭ',
] as const;

const sessions = sessionOptions(testSettings.webinars);
const webinar = { fields: webinarFields(sessions), schema: webinarSchema(sessions.map((session) => session.value)) };

function applicationErrors(input: Readonly<Record<string, unknown>>): FieldErrors | undefined {
  const result = validate(applicationSchema, applicationFields, normalise(applicationFields, input));
  return result.ok ? undefined : result.errors;
}

function webinarErrors(input: Readonly<Record<string, unknown>>): FieldErrors | undefined {
  const result = validate(webinar.schema, webinar.fields, normalise(webinar.fields, input));
  return result.ok ? undefined : result.errors;
}

describe('name fields of the application', () => {
  it.each(ACCEPTED)('accept the contact name %j', (contactName) => {
    expect(applicationErrors({ ...validApplication, contactName })).toBeUndefined();
  });

  it.each(REFUSED)('refuse the contact name %j with the address message', (contactName) => {
    expect(applicationErrors({ ...validApplication, contactName })).toEqual({ contactName: NO_ADDRESS });
  });

  it.each(['municipality', 'unitName', 'leadership', 'contactName', 'contactRole'])(
    'refuse a web address as %s',
    (field) => {
      expect(
        applicationErrors({ ...validApplication, scope: 'unit', unitName: 'Amt 1', [field]: 'evil.com/x' }),
      ).toEqual({ [field]: NO_ADDRESS });
    },
  );

  it('keep the length message for an overlong value that also holds an address', () => {
    expect(applicationErrors({ ...validApplication, contactName: `${'a'.repeat(200)} evil.com` })).toEqual({
      contactName: 'Der Name darf höchstens 200 Zeichen lang sein.',
    });
  });
});

describe('name fields of the webinar registration', () => {
  it.each(ACCEPTED)('accept the name %j', (name) => {
    expect(webinarErrors({ ...validRegistration, name })).toBeUndefined();
  });

  it.each(REFUSED)('refuse the name %j with the address message', (name) => {
    expect(webinarErrors({ ...validRegistration, name })).toEqual({ name: NO_ADDRESS });
  });

  it.each(['name', 'organization', 'role'])('refuse an email address as %s', (field) => {
    expect(webinarErrors({ ...validRegistration, [field]: 'kim@musterstadt.de' })).toEqual({ [field]: NO_ADDRESS });
  });

  it('keep a name in NFKC: fullwidth letters become the letters they show', () => {
    const result = validate(
      webinar.schema,
      webinar.fields,
      normalise(webinar.fields, { ...validRegistration, name: 'Ｋｉｍ Beispiel' }),
    );
    expect(result.ok && result.data.name).toBe('Kim Beispiel');
  });

  it('still accept a registration without role', () => {
    const { role: _role, ...withoutRole } = validRegistration;
    expect(webinarErrors(withoutRole)).toBeUndefined();
  });
});
