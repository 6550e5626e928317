import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/forms/normalise.ts';
import { sessionOptions } from '../../src/forms/session-options.ts';
import { upcomingSessions } from '../../src/forms/sessions.ts';
import { validate, type FieldErrors } from '../../src/forms/validate.ts';
import { webinarFields, webinarSchema, type Webinar } from '../../src/forms/webinar.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { testSessions, testSettings } from '../fixtures/settings.ts';
import { invalidRegistrations, minimalRegistration, validRegistration } from '../fixtures/webinar.ts';

const PAST = 'Dieser Termin hat bereits begonnen oder ist vorbei. Bitte wählen Sie einen anderen Termin.';
const { winter, summer } = testSessions;
const form = webinarForm(testSettings);

/** The fixture registrations, which name the summer session of the test settings. */
const valid = validRegistration;
const minimal = minimalRegistration;

/** The validation of a registration as the function sees it: { data } when valid, { errors } otherwise. */
function check(input: Readonly<Record<string, unknown>>): { data?: Webinar; errors?: FieldErrors } {
  const result = validate(form.schema, form.fields, normalise(form.fields, input));
  return result.ok ? { data: result.data } : { errors: result.errors };
}

function parsed(input: Readonly<Record<string, unknown>>): Webinar {
  const { data, errors } = check(input);
  if (!data) throw new Error(`fixture is invalid: ${JSON.stringify(errors)}`);
  return data;
}

describe('webinar schema', () => {
  it('accepts the valid registration as typed: it is already clean text', () => {
    expect(check(valid)).toEqual({ data: valid });
  });

  it('accepts a registration without role and questions', () => {
    expect(check({ ...minimal, role: ' ', questions: '' })).toEqual({ data: minimal });
  });

  for (const invalid of invalidRegistrations) {
    it(`refuses ${invalid.name} with exactly that field's message`, () => {
      expect(check({ ...valid, ...invalid.change })).toEqual({
        errors: { [invalid.field]: invalid.message },
      });
    });
  }

  it('refuses a session id its settings do not hold', () => {
    expect(check({ ...valid, session: 'herbst-2030' })).toEqual({
      errors: { session: 'Wählen Sie einen Termin aus.' },
    });
  });

  it('lists every required field of an empty registration, in form order', () => {
    expect(Object.entries(check({}).errors ?? {})).toEqual([
      ['session', 'Wählen Sie einen Termin aus.'],
      ['name', 'Geben Sie Ihren Vor- und Nachnamen an.'],
      ['email', 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.'],
      ['organization', 'Geben Sie Ihre Kommune oder Organisation an.'],
    ]);
  });

  it('accepts names and questions at their limits', () => {
    const longest = { ...valid, name: 'a'.repeat(200), role: 'b'.repeat(200), questions: 'c'.repeat(1000) };
    expect(check(longest).errors).toBeUndefined();
  });

  it('names the role field when JSON sends it as a number', () => {
    expect(check({ ...valid, role: 42 })).toEqual({
      errors: { role: 'Geben Sie Ihre Funktion als Text an.' },
    });
  });

  it('is the same form in the browser, made from the session radios the page offers', () => {
    const options = [{ value: summer.id, label: 'Mittwoch, 10. April 2030, 10:00–11:30 Uhr' }];
    const fields = webinarFields(options);
    const schema = webinarSchema(options.map((option) => option.value));
    const inBrowser = (input: Readonly<Record<string, unknown>>) => validate(schema, fields, normalise(fields, input));
    expect(inBrowser(valid)).toEqual({ ok: true, data: check(valid).data });
    expect(inBrowser({ ...valid, session: winter.id })).toEqual({
      ok: false,
      errors: { session: 'Wählen Sie einen Termin aus.' },
    });
  });
});

describe('sessions still ahead', () => {
  const ids = (now: Date) => upcomingSessions(testSettings.webinars, now).map((session) => session.id);

  it('keeps every session before the first starts, in order', () => {
    expect(ids(testSessions.beforeBoth)).toEqual([winter.id, summer.id]);
  });

  it('still offers a session one millisecond before it starts', () => {
    expect(ids(testSessions.justBeforeWinterStarts)).toEqual([winter.id, summer.id]);
  });

  it('no longer offers a session at its start instant', () => {
    expect(ids(winter.start)).toEqual([summer.id]);
  });

  it('offers none once the last has started', () => {
    expect(ids(testSessions.summerStarts)).toEqual([]);
  });
});

describe('server rule for the session', () => {
  it('lets a registration through until one millisecond before the session starts', () => {
    const registration = parsed(valid);
    expect(form.check(registration, testSessions.between)).toBeUndefined();
    expect(form.check(registration, testSessions.justBeforeSummerStarts)).toBeUndefined();
  });

  it('refuses a session at its start instant, with a message at the session field', () => {
    expect(form.check(parsed(valid), testSessions.summerStarts)).toEqual({
      errors: { session: PAST },
    });
  });

  it('refuses a session that is over', () => {
    const registration = parsed({ ...valid, session: winter.id });
    expect(form.check(registration, testSessions.between)).toEqual({ errors: { session: PAST } });
  });

  it('sends the confirmation to the address the registration names', () => {
    expect(form.recipient(parsed(valid))).toBe('kim.beispiel@musterstadt.de');
  });
});

describe('sessions in words', () => {
  it('labels each session with weekday, date and time range in Berlin time, and carries its start', () => {
    expect(sessionOptions(testSettings.webinars)).toEqual([
      {
        value: 'winter-2030',
        label: 'Dienstag, 12. März 2030, 14:00–15:00 Uhr',
        data: { 'data-session-start': '2030-03-12T13:00:00.000Z' },
      },
      {
        value: 'sommer-2030',
        label: 'Mittwoch, 10. April 2030, 10:00–11:30 Uhr',
        data: { 'data-session-start': '2030-04-10T08:00:00.000Z' },
      },
    ]);
  });

  it('names a summer session in summer time', () => {
    const inUtc = { id: 'sommer', start: new Date('2030-04-10T08:00:00Z'), end: new Date('2030-04-10T09:30:00Z') };
    expect(sessionOptions([inUtc])[0]!.label).toBe('Mittwoch, 10. April 2030, 10:00–11:30 Uhr');
  });

  it('offers the settings’ sessions as the options of the session field', () => {
    expect(form.fields[0]).toMatchObject({ name: 'session', kind: 'radios', label: 'Termin' });
    expect(form.fields[0]!.options!.map((option) => option.label)).toEqual([
      'Dienstag, 12. März 2030, 14:00–15:00 Uhr',
      'Mittwoch, 10. April 2030, 10:00–11:30 Uhr',
    ]);
  });
});
