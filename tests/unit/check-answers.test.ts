import { describe, expect, it } from 'vitest';
import { applicationFields, applicationSchema } from '../../src/forms/application.ts';
import { normalise } from '../../src/forms/normalise.ts';
import { validate } from '../../src/forms/validate.ts';
import { answeredRows } from '../../src/forms/summary.ts';
import { anonymousUnitApplication, validApplication } from '../fixtures/applications.ts';

function answers(input: Readonly<Record<string, unknown>>) {
  const result = validate(applicationSchema, applicationFields, normalise(applicationFields, input));
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.errors)}`);
  return answeredRows(applicationFields, result.data);
}

describe('the answers a person checks before sending', () => {
  it('lists each answer as people read it, with the field it came from, in form order', () => {
    expect(answers(validApplication)).toEqual([
      { name: 'municipality', label: 'Name der Kommune', value: 'Musterstadt' },
      { name: 'state', label: 'Bundesland', value: 'Bayern' },
      { name: 'kind', label: 'Art der Kommune', value: 'Stadt' },
      { name: 'population', label: 'Einwohnerzahl', value: '48.500' },
      { name: 'scope', label: 'Wer soll am Projekt teilnehmen?', value: 'Die gesamte Verwaltung' },
      {
        name: 'leadership',
        label: 'Name und Funktion der unterstützenden Leitung',
        value: validApplication.leadership,
      },
      {
        name: 'leadershipSupports',
        label: 'Die zuständige (politische) Leitung unterstützt die Bewerbung.',
        value: 'Ja',
      },
      { name: 'contactName', label: 'Name der Ansprechperson', value: 'Kim Beispiel' },
      { name: 'contactRole', label: 'Funktion der Ansprechperson', value: validApplication.contactRole },
      { name: 'email', label: 'E-Mail-Adresse der Ansprechperson', value: validApplication.email },
      { name: 'phone', label: 'Telefonnummer (freiwillig)', value: validApplication.phone },
      {
        name: 'needs',
        label: 'Vor welchen Herausforderungen im Umgang mit Rassismus und Hass steht Ihre Verwaltung?',
        value: validApplication.needs,
      },
      {
        name: 'stakeholders',
        label:
          'Welche Personen, Organisationseinheiten und Organisationen sollen einbezogen werden, und besteht dort Interesse?',
        value: validApplication.stakeholders,
      },
      {
        name: 'decisionMakersInformed',
        label: 'Die Entscheidungsträger:innen der Kommune sind über die Bewerbung informiert.',
        value: 'Ja',
      },
      { name: 'publication', label: 'Darf Ihre Teilnahme veröffentlicht werden?', value: 'Nennung nur nach Absprache' },
    ]);
  });

  it('leaves out optional fields left empty, and says „Nein“ for a box left unticked', () => {
    const rows = answers({ ...validApplication, phone: '', decisionMakersInformed: '' });
    expect(rows.map((row) => row.name)).not.toContain('phone');
    expect(rows.find((row) => row.name === 'decisionMakersInformed')?.value).toBe('Nein');
  });

  it('lists a field that applies only with a certain answer when it does', () => {
    const rows = answers(anonymousUnitApplication);
    expect(rows.find((row) => row.name === 'unitName')?.value).toBe('Amt für Bürgerdienste');
    expect(rows.find((row) => row.name === 'anonymityReason')?.value).toBe(anonymousUnitApplication.anonymityReason);
    // A unit's name typed in and then made irrelevant by „Die gesamte Verwaltung“ is not sent, so not listed.
    expect(answers({ ...validApplication, unitName: 'Amt für Bürgerdienste' }).map((row) => row.name)).not.toContain(
      'unitName',
    );
  });
});
