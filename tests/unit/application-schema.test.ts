import { describe, expect, it } from 'vitest';
import { applicationFields, applicationSchema } from '../../src/forms/application.ts';
import { normalise } from '../../src/forms/normalise.ts';
import { validate, type FieldErrors } from '../../src/forms/validate.ts';
import {
  anonymousUnitApplication,
  invalidApplications,
  validApplication,
  validApplicationParsed,
} from '../fixtures/applications.ts';

/** The validation of a submission as the server sees it: { data } when valid, { errors } otherwise. */
function check(input: Readonly<Record<string, unknown>>): { data?: unknown; errors?: FieldErrors } {
  const result = validate(applicationSchema, applicationFields, normalise(applicationFields, input));
  return result.ok ? { data: result.data } : { errors: result.errors };
}

describe('application schema', () => {
  it('accepts the valid application with numbers and booleans parsed', () => {
    expect(check(validApplication)).toEqual({ data: validApplicationParsed });
  });

  it('accepts an anonymous application of a unit, keeping unit name and reason', () => {
    const { data, errors } = check(anonymousUnitApplication);
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({
      municipality: 'Gemeinde <Süd> & "Nord"',
      population: 3200,
      scope: 'unit',
      unitName: 'Amt für Bürgerdienste',
      publication: 'anonymous',
      anonymityReason: 'Bedrohungen gegen den Bürgermeister im letzten Jahr.',
    });
  });

  for (const invalid of invalidApplications) {
    it(`refuses ${invalid.name} with exactly that field's message`, () => {
      expect(check({ ...validApplication, ...invalid.change })).toEqual({
        errors: { [invalid.field]: invalid.message },
      });
    });
  }

  it('lists every required field of an empty submission, in form order', () => {
    const { errors } = check({});
    expect(Object.entries(errors ?? {})).toEqual([
      ['municipality', 'Geben Sie den Namen der Kommune an.'],
      ['state', 'Wählen Sie das Bundesland aus.'],
      ['kind', 'Wählen Sie die Art der Kommune aus.'],
      ['population', 'Geben Sie die Einwohnerzahl als ganze Zahl an, zum Beispiel 48500.'],
      ['scope', 'Wählen Sie aus, ob die gesamte Verwaltung oder eine Organisationseinheit teilnehmen soll.'],
      ['leadership', 'Geben Sie Name und Funktion der unterstützenden Leitung an.'],
      ['leadershipSupports', 'Bestätigen Sie, dass die zuständige Leitung die Bewerbung unterstützt.'],
      ['contactName', 'Geben Sie den Namen der Ansprechperson an.'],
      ['contactRole', 'Geben Sie die Funktion der Ansprechperson an.'],
      ['email', 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.'],
      ['needs', 'Beschreiben Sie die Herausforderungen Ihrer Verwaltung.'],
      ['stakeholders', 'Geben Sie an, wer einbezogen werden soll.'],
      ['publication', 'Wählen Sie aus, ob Ihre Teilnahme veröffentlicht werden darf.'],
    ]);
  });

  it('accepts an application without phone, without informed decision makers and without reason for anonymity', () => {
    const {
      phone: _phone,
      decisionMakersInformed: _informed,
      anonymityReason: _reason,
      ...rest
    } = anonymousUnitApplication;
    const { data, errors } = check(rest);
    expect(errors).toBeUndefined();
    expect(data).not.toHaveProperty('phone');
    expect(data).not.toHaveProperty('anonymityReason');
    expect(data).toMatchObject({ decisionMakersInformed: false });
  });

  it('accepts a municipality name of 200 characters', () => {
    expect(check({ ...validApplication, municipality: 'a'.repeat(200) }).errors).toBeUndefined();
  });

  it('refuses a municipality name of 201 characters', () => {
    expect(check({ ...validApplication, municipality: 'a'.repeat(201) })).toEqual({
      errors: { municipality: 'Der Name der Kommune darf höchstens 200 Zeichen lang sein.' },
    });
  });

  it('refuses a unit name of 201 characters', () => {
    expect(check({ ...anonymousUnitApplication, unitName: 'a'.repeat(201) })).toEqual({
      errors: { unitName: 'Die Bezeichnung der Organisationseinheit darf höchstens 200 Zeichen lang sein.' },
    });
  });

  it('reports a missing unit name also when other fields fail', () => {
    expect(check({ ...validApplication, scope: 'unit', municipality: '', email: 'kim@musterstadt' })).toEqual({
      errors: {
        municipality: 'Geben Sie den Namen der Kommune an.',
        unitName: 'Geben Sie die Bezeichnung der Organisationseinheit an.',
        email: 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.',
      },
    });
  });

  it('refuses a population of 0', () => {
    expect(check({ ...validApplication, population: '0' })).toEqual({
      errors: { population: 'Die Einwohnerzahl muss mindestens 1 sein.' },
    });
  });

  it('names the unit name field when JSON sends it as a number', () => {
    expect(check({ ...anonymousUnitApplication, unitName: 42 })).toEqual({
      errors: { unitName: 'Geben Sie die Bezeichnung der Organisationseinheit an.' },
    });
  });

  it('accepts an email address with an internationalised domain and keeps it in ASCII form', () => {
    expect(check({ ...validApplication, email: 'info@köln.de' })).toEqual({
      data: { ...validApplicationParsed, email: 'info@xn--kln-sna.de' },
    });
  });

  it('refuses an email address as the name of the contact person', () => {
    expect(check({ ...validApplication, contactName: 'kim.beispiel@musterstadt.de' })).toEqual({
      errors: { contactName: 'Bitte geben Sie hier keine E-Mail- oder Internetadresse an.' },
    });
  });

  it('refuses a web address as the name of the municipality', () => {
    expect(check({ ...validApplication, municipality: 'www.musterstadt.de' })).toEqual({
      errors: { municipality: 'Bitte geben Sie hier keine E-Mail- oder Internetadresse an.' },
    });
  });
});
