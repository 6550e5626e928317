import { describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../src/delivery/record.ts';
import { fingerprint, referenceFrom, submissionIdOf } from '../../src/submissions/reference.ts';

const values = { municipality: 'Musterstadt', population: 48500, leadershipSupports: true };
const REFERENCE = /^B-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
/** A submissionId as the page script makes it (crypto.randomUUID). */
const ID = '3f2b8c1e-9a4d-4e7b-8c21-5d6e7f809a1b';
const OTHER_ID = 'a1b2c3d4-e5f6-4a7b-9c8d-0e1f2a3b4c5d';

describe('fingerprint of a post without a submissionId (no JavaScript)', () => {
  it('is a SHA-256 hex digest and the same for the same submission', () => {
    const hash = fingerprint('bewerbung', undefined, values);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('bewerbung', undefined, { ...values })).toBe(hash);
  });

  it('does not depend on the order of the keys', () => {
    const reordered = { leadershipSupports: true, population: 48500, municipality: 'Musterstadt' };
    expect(fingerprint('bewerbung', undefined, reordered)).toBe(fingerprint('bewerbung', undefined, values));
  });

  it.each([
    ['municipality', 'Musterdorf'],
    ['population', 48501],
    ['leadershipSupports', false],
  ] as const)('changes when %s changes', (key, value) => {
    expect(fingerprint('bewerbung', undefined, { ...values, [key]: value })).not.toBe(
      fingerprint('bewerbung', undefined, values),
    );
  });

  it('tells a number from the same digits as text', () => {
    expect(fingerprint('bewerbung', undefined, { ...values, population: '48500' })).not.toBe(
      fingerprint('bewerbung', undefined, values),
    );
  });

  it('changes when a field is added', () => {
    expect(fingerprint('bewerbung', undefined, { ...values, phone: '089 12345' })).not.toBe(
      fingerprint('bewerbung', undefined, values),
    );
  });

  it('changes with the form id', () => {
    expect(fingerprint('webinar', undefined, values)).not.toBe(fingerprint('bewerbung', undefined, values));
  });
});

describe('fingerprint of a post with a submissionId (the page script)', () => {
  it('follows the submissionId, whatever the values: a corrected retry is the same submission', () => {
    expect(fingerprint('bewerbung', ID, { ...values, population: 1 })).toBe(fingerprint('bewerbung', ID, values));
  });

  it('differs between submissionIds with the same values', () => {
    expect(fingerprint('bewerbung', OTHER_ID, values)).not.toBe(fingerprint('bewerbung', ID, values));
  });

  it('differs from the fingerprint of the same values without a submissionId', () => {
    expect(fingerprint('bewerbung', ID, values)).not.toBe(fingerprint('bewerbung', undefined, values));
  });

  it('changes with the form id', () => {
    expect(fingerprint('webinar', ID, values)).not.toBe(fingerprint('bewerbung', ID, values));
  });
});

describe('submissionIdOf', () => {
  it('takes a random UUID as the page script makes it, in lower case', () => {
    expect(submissionIdOf(ID)).toBe(ID);
    expect(submissionIdOf(ID.toUpperCase())).toBe(ID);
  });

  it.each([
    ['nothing', undefined],
    ['a number', 42],
    ['an array', [ID]],
    ['an empty string', ''],
    ['a UUID with spaces around it', ` ${ID} `],
    ['a UUID without hyphens', ID.replace(/-/g, '')],
    ['a UUID of version 0', '3f2b8c1e-9a4d-0e7b-8c21-5d6e7f809a1b'],
    ['a UUID of another variant', '3f2b8c1e-9a4d-4e7b-cc21-5d6e7f809a1b'],
    ['a UUID with a letter that is no hex digit', '3f2b8c1e-9a4d-4e7b-8c21-5d6e7f809a1g'],
  ])('counts %s as no submissionId', (_name, value) => {
    expect(submissionIdOf(value)).toBeUndefined();
  });
});

describe('referenceFrom', () => {
  it('writes the first 40 bits of the hash in Crockford base-32 after the prefix', () => {
    expect(referenceFrom('B', '0'.repeat(64))).toBe('B-0000-0000');
    expect(referenceFrom('B', 'f'.repeat(64))).toBe('B-ZZZZ-ZZZZ');
    expect(referenceFrom('B', '0123456789abcdef'.repeat(4))).toBe('B-04HM-ASW9');
  });

  it('uses only unambiguous characters (no I, L, O, U) for real fingerprints', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(referenceFrom('B', fingerprint('bewerbung', undefined, { ...values, population: i }))).toMatch(REFERENCE);
    }
  });

  it('gives the same reference for the same submission', () => {
    const hash = fingerprint('bewerbung', undefined, values);
    expect(referenceFrom('B', hash)).toBe(referenceFrom('B', fingerprint('bewerbung', undefined, { ...values })));
  });
});

describe('idempotencyKey', () => {
  const recordKey = `bewerbung-${fingerprint('bewerbung', undefined, values)}`;

  it('names the record and the email: komma-<record key>-<role>', () => {
    expect(idempotencyKey(recordKey, 'team')).toBe(`komma-${recordKey}-team`);
  });

  it('differs between the team email, the confirmation and the notice', () => {
    const keys = (['team', 'confirmation', 'notice'] as const).map((role) => idempotencyKey(recordKey, role));
    expect(new Set(keys).size).toBe(3);
  });

  it('is the same for the same submission', () => {
    const again = `bewerbung-${fingerprint('bewerbung', undefined, { ...values })}`;
    expect(idempotencyKey(recordKey, 'team')).toBe(idempotencyKey(again, 'team'));
  });

  it('differs between submissions', () => {
    const other = `bewerbung-${fingerprint('bewerbung', undefined, { ...values, population: 1 })}`;
    expect(idempotencyKey(other, 'team')).not.toBe(idempotencyKey(recordKey, 'team'));
  });

  it('stays within the 256 characters Resend allows', () => {
    expect(idempotencyKey(recordKey, 'confirmation').length).toBeLessThanOrEqual(256);
  });
});
