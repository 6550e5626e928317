import { describe, expect, it } from 'vitest';
import { applicationFields, applicationSchema, type Application } from '../../src/forms/application.ts';
import { normalise } from '../../src/forms/normalise.ts';
import { validate } from '../../src/forms/validate.ts';
import { windowState } from '../../src/forms/window.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';

function parsed(input: Readonly<Record<string, unknown>>): Application {
  const result = validate(applicationSchema, applicationFields, normalise(applicationFields, input));
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The test settings' window in words (4 March 2030, winter time, to 30 April 2030, summer time). */
const WINDOW = 'vom 4. März 2030, 00:00 Uhr, bis zum 30. April 2030, 23:59 Uhr';

describe('application window', () => {
  const state = (instant: Date) => windowState(testSettings.applicationWindow, instant);

  it('is not yet open a millisecond before midnight on 4 March (Berlin)', () => {
    expect(state(testWindow.justBefore)).toBe('before');
  });

  it('opens at 00:00:00 Berlin time on 4 March', () => {
    expect(state(testWindow.opens)).toBe('open');
  });

  it('is open in the middle of the window', () => {
    expect(state(testWindow.inside)).toBe('open');
  });

  it('is still open during the last second, 23:59:59.999 on 30 April (summer time)', () => {
    expect(state(testWindow.lastSecond)).toBe('open');
  });

  it('is closed from 00:00 on 1 May', () => {
    expect(state(testWindow.closed)).toBe('closed');
  });
});

describe('server rule for the application window', () => {
  const form = applicationForm(testSettings);
  const application = parsed(validApplication);

  it('lets an application through inside the window', () => {
    expect(form.check(application, testWindow.opens)).toBeUndefined();
    expect(form.check(application, testWindow.inside)).toBeUndefined();
    expect(form.check(application, testWindow.lastSecond)).toBeUndefined();
  });

  it('refuses with 403 before the window opens, naming the window', () => {
    expect(form.check(application, testWindow.justBefore)).toEqual({
      status: 403,
      message: `Die Bewerbungsfrist hat noch nicht begonnen. Bewerbungen sind ${WINDOW} möglich.`,
    });
  });

  it('refuses with 403 after the window closed, naming the window and the team inbox', () => {
    expect(form.check(application, testWindow.closed)).toEqual({
      status: 403,
      message: `Die Bewerbungsfrist ist abgelaufen. Bewerbungen waren ${WINDOW} möglich. Bei Fragen schreiben Sie an postfach@komma-test.example.`,
    });
  });
});
