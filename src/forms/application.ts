/**
 * The application form (/bewerbung/, POST /api/bewerbung): fields, schema and German messages.
 * One definition for the page, the browser script and the function. zod/mini keeps the browser
 * bundle small.
 */
import * as z from 'zod/mini';
import type { Field } from './fields.ts';
import { email, phone, nameLine, requiredText, optionalText, oneOf, mustBeTrue } from './rules.ts';

const STATES = [
  { value: 'DE-BW', label: 'Baden-Württemberg' },
  { value: 'DE-BY', label: 'Bayern' },
  { value: 'DE-BE', label: 'Berlin' },
  { value: 'DE-BB', label: 'Brandenburg' },
  { value: 'DE-HB', label: 'Bremen' },
  { value: 'DE-HH', label: 'Hamburg' },
  { value: 'DE-HE', label: 'Hessen' },
  { value: 'DE-MV', label: 'Mecklenburg-Vorpommern' },
  { value: 'DE-NI', label: 'Niedersachsen' },
  { value: 'DE-NW', label: 'Nordrhein-Westfalen' },
  { value: 'DE-RP', label: 'Rheinland-Pfalz' },
  { value: 'DE-SL', label: 'Saarland' },
  { value: 'DE-SN', label: 'Sachsen' },
  { value: 'DE-ST', label: 'Sachsen-Anhalt' },
  { value: 'DE-SH', label: 'Schleswig-Holstein' },
  { value: 'DE-TH', label: 'Thüringen' },
] as const;

const KINDS = [
  { value: 'gemeinde', label: 'Gemeinde' },
  { value: 'stadt', label: 'Stadt' },
  { value: 'kreisfreie-stadt', label: 'Kreisfreie Stadt' },
  { value: 'landkreis', label: 'Landkreis' },
  { value: 'verband', label: 'Gemeindeverband', hint: 'zum Beispiel Amt, Verbandsgemeinde, Samtgemeinde' },
  { value: 'andere', label: 'Andere' },
] as const;

const SCOPES = [
  { value: 'whole', label: 'Die gesamte Verwaltung' },
  { value: 'unit', label: 'Eine Abteilung oder Organisationseinheit' },
] as const;

const PUBLICATION = [
  {
    value: 'by-agreement',
    label: 'Nennung nur nach Absprache',
    hint: 'Wir nennen Ihre Kommune außerhalb des Projektnetzwerks nur, wenn Sie zugestimmt haben.',
  },
  {
    value: 'anonymous',
    label: 'Komplett anonyme Teilnahme',
    hint: 'Bei begründeter Sorge wegen einer aktuellen Gefährdungslage.',
  },
] as const;

const MAX = { line: 200, leadership: 300, needs: 3000, stakeholders: 2000, anonymityReason: 1000 } as const;

export const applicationFields = [
  {
    name: 'municipality',
    kind: 'text',
    required: true,
    label: 'Name der Kommune',
    maxLength: MAX.line,
    autocomplete: 'organization',
  },
  { name: 'state', kind: 'select', required: true, label: 'Bundesland', options: STATES },
  { name: 'kind', kind: 'radios', required: true, label: 'Art der Kommune', options: KINDS },
  {
    name: 'population',
    kind: 'number',
    required: true,
    label: 'Einwohnerzahl',
    hint: 'Eine ganze Zahl, zum Beispiel 48500.',
  },
  { name: 'scope', kind: 'radios', required: true, label: 'Wer soll am Projekt teilnehmen?', options: SCOPES },
  {
    name: 'unitName',
    kind: 'text',
    required: true,
    label: 'Bezeichnung der Organisationseinheit',
    hint: 'Nur wenn sich eine Abteilung oder Organisationseinheit bewirbt, zum Beispiel „Amt für Personal und Organisation“.',
    maxLength: MAX.line,
    when: { field: 'scope', value: 'unit' },
  },
  {
    name: 'leadership',
    kind: 'text',
    required: true,
    label: 'Name und Funktion der unterstützenden Leitung',
    hint: 'Zum Beispiel „Maria Muster, Bürgermeisterin“ oder „Dezernent:in für Soziales“.',
    maxLength: MAX.leadership,
  },
  {
    name: 'leadershipSupports',
    kind: 'checkbox',
    required: true,
    label: 'Die zuständige (politische) Leitung unterstützt die Bewerbung.',
    hint: 'Eine Unterschrift ist für die Bewerbung nicht nötig. Erst wenn Ihre Kommune ausgewählt wird, unterschreiben die Leitung und das IMAP-Institut einen Kooperationsvertrag.',
  },
  {
    name: 'contactName',
    kind: 'text',
    required: true,
    label: 'Name der Ansprechperson',
    maxLength: MAX.line,
    autocomplete: 'name',
  },
  {
    name: 'contactRole',
    kind: 'text',
    required: true,
    label: 'Funktion der Ansprechperson',
    maxLength: MAX.line,
    autocomplete: 'organization-title',
  },
  {
    name: 'email',
    kind: 'email',
    required: true,
    label: 'E-Mail-Adresse der Ansprechperson',
    hint: 'An diese Adresse schicken wir die Bestätigung und unsere Rückfragen.',
    autocomplete: 'email',
  },
  { name: 'phone', kind: 'tel', required: false, label: 'Telefonnummer (freiwillig)', autocomplete: 'tel' },
  {
    name: 'needs',
    kind: 'textarea',
    required: true,
    label: 'Vor welchen Herausforderungen im Umgang mit Rassismus und Hass steht Ihre Verwaltung?',
    maxLength: MAX.needs,
  },
  {
    name: 'stakeholders',
    kind: 'textarea',
    required: true,
    label:
      'Welche Personen, Organisationseinheiten und Organisationen sollen einbezogen werden, und besteht dort Interesse?',
    maxLength: MAX.stakeholders,
  },
  {
    name: 'decisionMakersInformed',
    kind: 'checkbox',
    required: false,
    label: 'Die Entscheidungsträger:innen der Kommune sind über die Bewerbung informiert.',
    hint: 'Freiwillig. Für einen guten Projektstart empfehlen wir, alle relevanten Entscheidungsträger:innen Ihrer Kommune über die Bewerbung zu informieren.',
  },
  {
    name: 'publication',
    kind: 'radios',
    required: true,
    label: 'Darf Ihre Teilnahme veröffentlicht werden?',
    options: PUBLICATION,
  },
  {
    name: 'anonymityReason',
    kind: 'textarea',
    required: false,
    label: 'Kurze Begründung für die anonyme Teilnahme (freiwillig)',
    maxLength: MAX.anonymityReason,
    when: { field: 'publication', value: 'anonymous' },
  },
] as const satisfies readonly Field[];

export const applicationSchema = z
  .object({
    municipality: nameLine('Geben Sie den Namen der Kommune an.', MAX.line, 'Der Name der Kommune'),
    state: oneOf(STATES, 'Wählen Sie das Bundesland aus.'),
    kind: oneOf(KINDS, 'Wählen Sie die Art der Kommune aus.'),
    population: z
      .int({ error: 'Geben Sie die Einwohnerzahl als ganze Zahl an, zum Beispiel 48500.' })
      .check(
        z.gte(1, 'Die Einwohnerzahl muss mindestens 1 sein.'),
        z.lte(20_000_000, 'Die Einwohnerzahl darf höchstens 20.000.000 sein.'),
      ),
    scope: oneOf(SCOPES, 'Wählen Sie aus, ob die gesamte Verwaltung oder eine Organisationseinheit teilnehmen soll.'),
    unitName: z.optional(
      nameLine(
        'Geben Sie die Bezeichnung der Organisationseinheit an.',
        MAX.line,
        'Die Bezeichnung der Organisationseinheit',
      ),
    ),
    leadership: nameLine(
      'Geben Sie Name und Funktion der unterstützenden Leitung an.',
      MAX.leadership,
      'Die Angabe zur Leitung',
    ),
    leadershipSupports: mustBeTrue('Bestätigen Sie, dass die zuständige Leitung die Bewerbung unterstützt.'),
    contactName: nameLine('Geben Sie den Namen der Ansprechperson an.', MAX.line, 'Der Name'),
    contactRole: nameLine('Geben Sie die Funktion der Ansprechperson an.', MAX.line, 'Die Funktion'),
    email: email(),
    phone: z.optional(phone()),
    needs: requiredText('Beschreiben Sie die Herausforderungen Ihrer Verwaltung.', MAX.needs),
    stakeholders: requiredText('Geben Sie an, wer einbezogen werden soll.', MAX.stakeholders),
    decisionMakersInformed: z.boolean({ error: 'Setzen Sie hier ein Häkchen oder lassen Sie das Kästchen leer.' }),
    publication: oneOf(PUBLICATION, 'Wählen Sie aus, ob Ihre Teilnahme veröffentlicht werden darf.'),
    anonymityReason: optionalText(MAX.anonymityReason),
  })
  .check(
    z.refine((application) => application.scope !== 'unit' || Boolean(application.unitName), {
      path: ['unitName'],
      message: 'Geben Sie die Bezeichnung der Organisationseinheit an.',
      // Also when other fields failed, so the person sees every problem at once.
      when: (payload) => (payload.value as { scope?: unknown }).scope === 'unit',
    }),
  );

export type Application = z.output<typeof applicationSchema>;
