import { describe, expect, it } from 'vitest';
import { applicationFields, applicationSchema, type Application } from '../../src/forms/application.ts';
import { normalise } from '../../src/forms/normalise.ts';
import { validate } from '../../src/forms/validate.ts';
import { windowState } from '../../src/forms/window.ts';
import { settings } from '../../src/settings/index.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { validApplication, windowInstants } from '../fixtures/applications.ts';

const at = (instant: string) => new Date(instant);

function parsed(input: Readonly<Record<string, unknown>>): Application {
  const result = validate(applicationSchema, applicationFields, normalise(applicationFields, input));
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const WINDOW = 'vom 28. Dezember 2026, 00:00 Uhr, bis zum 28. Februar 2027, 23:59 Uhr';

describe('application window', () => {
  const state = (instant: string) => windowState(settings.applicationWindow, at(instant));

  it('is not yet open a millisecond before midnight on 28 December (Berlin)', () => {
    expect(state(windowInstants.justBefore)).toBe('before');
  });

  it('opens at 00:00:00 Berlin time on 28 December', () => {
    expect(state(windowInstants.opens)).toBe('open');
  });

  it('is open in the middle of the window', () => {
    expect(state(windowInstants.inside)).toBe('open');
  });

  it('is still open during the last second, 23:59:59.999 on 28 February', () => {
    expect(state(windowInstants.lastSecond)).toBe('open');
  });

  it('is closed from 00:00 on 1 March', () => {
    expect(state(windowInstants.closed)).toBe('closed');
  });
});

describe('server rule for the application window', () => {
  const application = parsed(validApplication);

  it('lets an application through inside the window', () => {
    expect(applicationForm.check(application, at(windowInstants.inside))).toBeUndefined();
    expect(applicationForm.check(application, at(windowInstants.lastSecond))).toBeUndefined();
  });

  it('refuses with 403 before the window opens, naming the window', () => {
    expect(applicationForm.check(application, at(windowInstants.justBefore))).toEqual({
      status: 403,
      message: `Die Bewerbungsfrist hat noch nicht begonnen. Bewerbungen sind ${WINDOW} möglich.`,
    });
  });

  it('refuses with 403 after the window closed, naming the window and the team inbox', () => {
    expect(applicationForm.check(application, at(windowInstants.closed))).toEqual({
      status: 403,
      message: `Die Bewerbungsfrist ist abgelaufen. Bewerbungen waren ${WINDOW} möglich. Bei Fragen schreiben Sie an komma@imap-institut.de.`,
    });
  });
});
