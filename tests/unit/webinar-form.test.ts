import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/forms/normalise.ts';
import { sessionOptions } from '../../src/forms/session-options.ts';
import { upcomingSessions } from '../../src/forms/sessions.ts';
import { validate, type FieldErrors } from '../../src/forms/validate.ts';
import { webinarFields, webinarSchema, type Webinar } from '../../src/forms/webinar.ts';
import { settings } from '../../src/settings/index.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { invalidRegistrations, minimalRegistration, sessions, validRegistration } from '../fixtures/webinar.ts';

const at = (instant: string) => new Date(instant);
const PAST = 'Dieser Termin hat bereits begonnen oder ist vorbei. Bitte wählen Sie einen anderen Termin.';

/** The validation of a registration as the function sees it: { data } when valid, { errors } otherwise. */
function check(input: Readonly<Record<string, unknown>>): { data?: Webinar; errors?: FieldErrors } {
  const result = validate(webinarForm.schema, webinarForm.fields, normalise(webinarForm.fields, input));
  return result.ok ? { data: result.data } : { errors: result.errors };
}

function parsed(input: Readonly<Record<string, unknown>>): Webinar {
  const { data, errors } = check(input);
  if (!data) throw new Error(`fixture is invalid: ${JSON.stringify(errors)}`);
  return data;
}

describe('webinar schema', () => {
  it('accepts the valid registration as typed: it is already clean text', () => {
    expect(check(validRegistration)).toEqual({ data: validRegistration });
  });

  it('accepts a registration without role and questions', () => {
    expect(check({ ...minimalRegistration, role: ' ', questions: '' })).toEqual({ data: minimalRegistration });
  });

  for (const invalid of invalidRegistrations) {
    it(`refuses ${invalid.name} with exactly that field's message`, () => {
      expect(check({ ...validRegistration, ...invalid.change })).toEqual({
        errors: { [invalid.field]: invalid.message },
      });
    });
  }

  it('lists every required field of an empty registration, in form order', () => {
    expect(Object.entries(check({}).errors ?? {})).toEqual([
      ['session', 'Wählen Sie einen Termin aus.'],
      ['name', 'Geben Sie Ihren Vor- und Nachnamen an.'],
      ['email', 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.'],
      ['organization', 'Geben Sie Ihre Kommune oder Organisation an.'],
    ]);
  });

  it('accepts names and questions at their limits', () => {
    const longest = { ...validRegistration, name: 'a'.repeat(200), role: 'b'.repeat(200), questions: 'c'.repeat(1000) };
    expect(check(longest).errors).toBeUndefined();
  });

  it('names the role field when JSON sends it as a number', () => {
    expect(check({ ...validRegistration, role: 42 })).toEqual({
      errors: { role: 'Geben Sie Ihre Funktion als Text an.' },
    });
  });

  it('is the same form in the browser, made from the session radios the page offers', () => {
    const options = [{ value: sessions.ahead, label: 'Dienstag, 16. Februar 2027, 11:00–12:00 Uhr' }];
    const fields = webinarFields(options);
    const schema = webinarSchema(options.map((option) => option.value));
    const inBrowser = (input: Readonly<Record<string, unknown>>) => validate(schema, fields, normalise(fields, input));
    expect(inBrowser(validRegistration)).toEqual({ ok: true, data: check(validRegistration).data });
    expect(inBrowser({ ...validRegistration, session: sessions.past })).toEqual({
      ok: false,
      errors: { session: 'Wählen Sie einen Termin aus.' },
    });
  });
});

describe('sessions still ahead', () => {
  const list = [
    { id: 'a', start: at('2027-01-31T14:00:00+01:00') },
    { id: 'b', start: at('2027-02-16T11:00:00+01:00') },
  ];
  const ids = (now: string) => upcomingSessions(list, at(now)).map((session) => session.id);

  it('keeps every session before the first starts, in order', () => {
    expect(ids('2027-01-01T00:00:00+01:00')).toEqual(['a', 'b']);
  });

  it('still offers a session one millisecond before it starts', () => {
    expect(ids('2027-01-31T13:59:59.999+01:00')).toEqual(['a', 'b']);
  });

  it('no longer offers a session at its start instant', () => {
    expect(ids('2027-01-31T14:00:00+01:00')).toEqual(['b']);
  });

  it('offers none once the last has started', () => {
    expect(ids('2027-02-16T11:00:00+01:00')).toEqual([]);
  });
});

describe('server rule for the session', () => {
  it('lets a registration through until one millisecond before the session starts', () => {
    const registration = parsed(validRegistration);
    expect(webinarForm.check(registration, at(sessions.between))).toBeUndefined();
    expect(webinarForm.check(registration, at(sessions.justBeforeAheadStarts))).toBeUndefined();
  });

  it('refuses a session at its start instant, with a message at the session field', () => {
    expect(webinarForm.check(parsed(validRegistration), at(sessions.aheadStarts))).toEqual({
      errors: { session: PAST },
    });
  });

  it('refuses a session that is over', () => {
    const registration = parsed({ ...validRegistration, session: sessions.past });
    expect(webinarForm.check(registration, at(sessions.between))).toEqual({ errors: { session: PAST } });
  });
});

describe('sessions in words', () => {
  it('labels each session with weekday, date and time range in Berlin time, and carries its start', () => {
    expect(sessionOptions(settings.webinars)).toEqual([
      {
        value: '2027-01-31',
        label: 'Sonntag, 31. Januar 2027, 14:00–15:00 Uhr',
        data: { 'data-session-start': '2027-01-31T13:00:00.000Z' },
      },
      {
        value: '2027-02-16',
        label: 'Dienstag, 16. Februar 2027, 11:00–12:00 Uhr',
        data: { 'data-session-start': '2027-02-16T10:00:00.000Z' },
      },
    ]);
  });

  it('names a summer session in summer time', () => {
    const summer = { id: 'sommer', start: at('2027-04-15T12:00:00Z'), end: at('2027-04-15T13:30:00Z') };
    expect(sessionOptions([summer])[0]!.label).toBe('Donnerstag, 15. April 2027, 14:00–15:30 Uhr');
  });

  it('offers the settings’ sessions as the options of the session field', () => {
    expect(webinarForm.fields[0]).toMatchObject({ name: 'session', kind: 'radios', label: 'Termin' });
    expect(webinarForm.fields[0]!.options!.map((option) => option.label)).toEqual([
      'Sonntag, 31. Januar 2027, 14:00–15:00 Uhr',
      'Dienstag, 16. Februar 2027, 11:00–12:00 Uhr',
    ]);
  });
});
