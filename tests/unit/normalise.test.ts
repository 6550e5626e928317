import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applicationFields } from '../../src/forms/application.ts';
import { cleanLine, cleanText, normalise } from '../../src/forms/normalise.ts';
import { validApplication, validApplicationParsed } from '../fixtures/applications.ts';

const norm = (input: Readonly<Record<string, unknown>>) => normalise(applicationFields, input);

describe('cleanLine (single-line fields)', () => {
  it('trims surrounding spaces', () => {
    expect(cleanLine('  Musterstadt \t')).toBe('Musterstadt');
  });

  it('composes decomposed umlauts (NFC)', () => {
    expect(cleanLine('Mu\u0308nchen')).toBe('M\u00fcnchen');
  });

  it('removes control characters and zero-width characters', () => {
    expect(cleanLine('Muster\u0000stadt\u0007\u200b\ufeff')).toBe('Musterstadt');
  });

  it('removes bidi overrides and isolates', () => {
    expect(cleanLine('\u202eKim\u202c \u2066Beispiel\u2069')).toBe('Kim Beispiel');
  });

  it('turns line breaks into single spaces', () => {
    expect(cleanLine('Kim\r\nBeispiel\nund\u2028Co')).toBe('Kim Beispiel und Co');
  });

  it('collapses runs of spaces left behind', () => {
    expect(cleanLine('Kim  \u202e  Beispiel')).toBe('Kim Beispiel');
  });

  it('is NFC even when an invisible character sat between a letter and its combining mark', () => {
    expect(cleanLine('Mu\u200b\u0308nchen')).toBe('M\u00fcnchen');
  });
});

describe('cleanText (textareas)', () => {
  it('keeps line breaks as \\n and turns CRLF and CR into LF', () => {
    expect(cleanText('Erste Zeile\r\nZweite\rDritte\u2028Vierte')).toBe('Erste Zeile\nZweite\nDritte\nVierte');
  });

  it('trims, composes NFC and drops control and bidi characters but keeps the text', () => {
    expect(cleanText('  Mu\u0308nchen\u0000 \u202ebedroht\u202c\n ')).toBe('M\u00fcnchen bedroht');
  });

  it('turns tabs into spaces', () => {
    expect(cleanText('a\tb')).toBe('a b');
  });
});

describe('normalise', () => {
  it('keeps line breaks in textareas and removes them from single-line fields', () => {
    const values = norm({ municipality: 'Muster\r\nstadt', needs: 'Eins\r\nZwei' });
    expect(values['municipality']).toBe('Muster stadt');
    expect(values['needs']).toBe('Eins\nZwei');
  });

  it('drops empty and blank fields instead of keeping empty strings', () => {
    const values = norm({ municipality: '', leadership: '   ', needs: '\r\n', phone: '\u200b' });
    expect(values).not.toHaveProperty('municipality');
    expect(values).not.toHaveProperty('leadership');
    expect(values).not.toHaveProperty('needs');
    expect(values).not.toHaveProperty('phone');
  });

  it.each(['on', 'true', true] as const)('reads the checkbox value %s as true', (value) => {
    expect(norm({ leadershipSupports: value })['leadershipSupports']).toBe(true);
  });

  it('reads an absent checkbox as false', () => {
    const values = norm({});
    expect(values['leadershipSupports']).toBe(false);
    expect(values['decisionMakersInformed']).toBe(false);
  });

  it.each(['48.500', '48 500', '48\u00a0500', '48500', ' 48500 '])('reads the population %j as 48500', (population) => {
    expect(norm({ population })['population']).toBe(48500);
  });

  it('reads millions with several thousands separators', () => {
    expect(norm({ population: '1.234.567' })['population']).toBe(1234567);
  });

  it('leaves a population that is not a whole number as typed, for the schema to refuse', () => {
    expect(norm({ population: 'etwa 5000' })['population']).toBe('etwa 5000');
    expect(norm({ population: '48,5' })['population']).toBe('48,5');
    expect(norm({ population: '4.85' })['population']).toBe('4.85');
  });

  it('drops the unit name when the whole administration applies', () => {
    const values = norm({ ...validApplication, scope: 'whole', unitName: 'Amt für Bürgerdienste' });
    expect(values).not.toHaveProperty('unitName');
  });

  it('keeps the unit name when a unit applies', () => {
    expect(norm({ scope: 'unit', unitName: ' Amt für Bürgerdienste ' })['unitName']).toBe('Amt für Bürgerdienste');
  });

  it('drops the reason for anonymity unless the application is anonymous', () => {
    expect(norm({ publication: 'by-agreement', anonymityReason: 'Bedrohungen' })).not.toHaveProperty('anonymityReason');
    expect(norm({ publication: 'anonymous', anonymityReason: 'Bedrohungen' })['anonymityReason']).toBe('Bedrohungen');
  });

  it('drops keys that are not fields of the form', () => {
    const values = norm({ ...validApplication, website: 'http://spam.example', elapsedMs: '5000', isAdmin: true });
    const names: readonly string[] = applicationFields.map((field) => field.name);
    expect(Object.keys(values).filter((key) => !names.includes(key))).toEqual([]);
    expect(values).not.toHaveProperty('website');
    expect(values).not.toHaveProperty('elapsedMs');
    expect(values).not.toHaveProperty('isAdmin');
  });

  it('turns urlencoded strings and JSON booleans and numbers into the same values', () => {
    const fromForm = norm(validApplication);
    const fromJson = norm({
      ...validApplication,
      population: 48500,
      leadershipSupports: true,
      decisionMakersInformed: true,
    });
    expect(fromJson).toEqual(fromForm);
    expect(fromForm).toEqual(validApplicationParsed);
  });

  it('reads an unticked checkbox sent as JSON false or "false" as false', () => {
    expect(norm({ decisionMakersInformed: false })['decisionMakersInformed']).toBe(false);
    expect(norm({ decisionMakersInformed: 'false' })['decisionMakersInformed']).toBe(false);
  });

  it('treats JSON null like a missing value', () => {
    const values = norm({ municipality: null, population: null });
    expect(values).not.toHaveProperty('municipality');
    expect(values).not.toHaveProperty('population');
  });
});

describe('normalise: email addresses', () => {
  const email = (address: string) => norm({ email: address })['email'];

  it('writes an internationalised domain in its ASCII form', () => {
    expect(email('info@köln.de')).toBe('info@xn--kln-sna.de');
  });

  it('lowercases the domain and leaves the local part alone', () => {
    expect(email('Kim.Beispiel@MÜNCHEN.de')).toBe('Kim.Beispiel@xn--mnchen-3ya.de');
    expect(email('Kim.Beispiel@Musterstadt.DE')).toBe('Kim.Beispiel@musterstadt.de');
    expect(email('jürgen@musterstadt.de')).toBe('jürgen@musterstadt.de');
  });

  it('converts only the part after the last @', () => {
    expect(email('"a@b"@köln.de')).toBe('"a@b"@xn--kln-sna.de');
  });

  it('composes a decomposed umlaut before converting', () => {
    expect(email('info@ko\u0308ln.de')).toBe('info@xn--kln-sna.de');
  });

  it.each([
    'info',
    'info@',
    'info@köln.de/pfad',
    'info@köln.de:25',
    'info@[köln].de',
    'info@kö ln.de',
    'info@köln<.de',
    'info@xn--ü.de',
  ])('leaves %j as typed, for the schema to refuse', (address) => {
    expect(email(address)).toBe(address);
  });

  it.each(['köln.de', 'MÜNCHEN.de', 'straße.de', 'bücher.example', 'ÖSTERREICH.at', 'παράδειγμα.gr'])(
    "agrees with Node's url.domainToASCII for %s",
    (domain) => {
      expect(email(`info@${domain}`)).toBe(`info@${domainToASCII(domain)}`);
    },
  );
});
