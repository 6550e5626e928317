import { describe, expect, it } from 'vitest';
import { DRAFT_MAX_AGE_MS, draftKey, parseDraft, serialiseDraft } from '../../src/forms/draft.ts';
import { applicationFields } from '../../src/forms/application.ts';
import { HONEYPOT_FIELD } from '../../src/submissions/spam.ts';
import { validApplication } from '../fixtures/applications.ts';

const names = applicationFields.map((field) => field.name);
/** 12 January 2030, 14:05 in Berlin. */
const SAVED_AT = new Date('2030-01-12T14:05:00+01:00').getTime();

describe('a form draft in the browser', () => {
  it('keeps the form’s own filled-in fields and reads them back as they were', () => {
    const text = serialiseDraft(names, { ...validApplication, unitName: '' }, SAVED_AT)!;
    expect(parseDraft(text, names, SAVED_AT + 60_000)).toEqual({ savedAt: SAVED_AT, values: validApplication });
  });

  it('never keeps the honeypot or the submission id', () => {
    const text = serialiseDraft(
      names,
      { municipality: 'Musterstadt', [HONEYPOT_FIELD]: 'spam', submissionId: '0b6b2c1e-8a39-4a4e-9a52-0c7d2b4c9f10' },
      SAVED_AT,
    )!;
    expect(JSON.parse(text)).toEqual({ savedAt: SAVED_AT, values: { municipality: 'Musterstadt' } });
  });

  it('has nothing to keep when every field is empty', () => {
    expect(serialiseDraft(names, { municipality: '', [HONEYPOT_FIELD]: '', submissionId: 'x' }, SAVED_AT)).toBe(
      undefined,
    );
  });

  it('keeps when its first input was made, so that a restored draft keeps its fill time', () => {
    const startedAt = SAVED_AT - 10 * 60_000;
    const text = serialiseDraft(names, { municipality: 'Musterstadt' }, SAVED_AT, startedAt)!;
    expect(parseDraft(text, names, SAVED_AT + 60_000)).toEqual({
      savedAt: SAVED_AT,
      startedAt,
      values: { municipality: 'Musterstadt' },
    });
  });

  it.each([
    ['no start', undefined],
    ['a start as text', '2030-01-12'],
    ['a start after the save', SAVED_AT + 1],
  ])('reads a draft with %s as one without a start', (_, startedAt) => {
    const stored = JSON.stringify({ savedAt: SAVED_AT, startedAt, values: { municipality: 'Musterstadt' } });
    expect(parseDraft(stored, names, SAVED_AT)).toEqual({ savedAt: SAVED_AT, values: { municipality: 'Musterstadt' } });
  });

  it('is read back until it is 30 days old, and discarded after that', () => {
    const text = serialiseDraft(names, { municipality: 'Musterstadt' }, SAVED_AT)!;
    expect(parseDraft(text, names, SAVED_AT + DRAFT_MAX_AGE_MS)?.values).toEqual({ municipality: 'Musterstadt' });
    expect(parseDraft(text, names, SAVED_AT + DRAFT_MAX_AGE_MS + 1)).toBe(undefined);
    expect(DRAFT_MAX_AGE_MS).toBe(30 * 24 * 3_600_000);
  });

  it('reads back only the form’s fields with text, whatever the storage holds', () => {
    const stored = JSON.stringify({
      savedAt: SAVED_AT,
      values: { municipality: 'Musterstadt', population: 48500, [HONEYPOT_FIELD]: 'spam', other: 'x', state: null },
    });
    expect(parseDraft(stored, names, SAVED_AT)).toEqual({ savedAt: SAVED_AT, values: { municipality: 'Musterstadt' } });
  });

  it.each([
    ['nothing stored', null],
    ['an empty string', ''],
    ['text that is not JSON', '{"savedAt":'],
    ['a list', '[]'],
    ['no time', JSON.stringify({ values: { municipality: 'Musterstadt' } })],
    ['a time as text', JSON.stringify({ savedAt: '2030-01-12', values: { municipality: 'Musterstadt' } })],
    ['no values', JSON.stringify({ savedAt: SAVED_AT })],
  ])('has no draft from %s', (_, stored) => {
    expect(parseDraft(stored, names, SAVED_AT)).toBe(undefined);
  });

  it('keeps one draft per form, shared by the form page and its thank-you pages', () => {
    expect(draftKey('/bewerbung/')).toBe('komma-entwurf:bewerbung');
    expect(draftKey('/bewerbung')).toBe('komma-entwurf:bewerbung');
    expect(draftKey('/bewerbung/danke/verzoegert/')).toBe('komma-entwurf:bewerbung');
    expect(draftKey('/webinar/danke/')).toBe('komma-entwurf:webinar');
  });
});
