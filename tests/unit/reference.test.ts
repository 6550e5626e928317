import { describe, expect, it } from 'vitest';
import { fingerprint, idempotencyKey, referenceFrom } from '../../src/submissions/reference.ts';

const DAY = '2027-01-10';

const values = { municipality: 'Musterstadt', population: 48500, leadershipSupports: true };
const REFERENCE = /^B-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('fingerprint', () => {
  it('is a SHA-256 hex digest and the same for the same submission', () => {
    const hash = fingerprint('bewerbung', DAY, values);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint('bewerbung', DAY, { ...values })).toBe(hash);
  });

  it('does not depend on the order of the keys', () => {
    const reordered = { leadershipSupports: true, population: 48500, municipality: 'Musterstadt' };
    expect(fingerprint('bewerbung', DAY, reordered)).toBe(fingerprint('bewerbung', DAY, values));
  });

  it.each([
    ['municipality', 'Musterdorf'],
    ['population', 48501],
    ['leadershipSupports', false],
  ] as const)('changes when %s changes', (key, value) => {
    expect(fingerprint('bewerbung', DAY, { ...values, [key]: value })).not.toBe(fingerprint('bewerbung', DAY, values));
  });

  it('tells a number from the same digits as text', () => {
    expect(fingerprint('bewerbung', DAY, { ...values, population: '48500' })).not.toBe(
      fingerprint('bewerbung', DAY, values),
    );
  });

  it('changes when a field is added', () => {
    expect(fingerprint('bewerbung', DAY, { ...values, phone: '089 12345' })).not.toBe(
      fingerprint('bewerbung', DAY, values),
    );
  });

  it('changes with the Berlin day it arrived, as Resend forgets keys after 24 hours anyway', () => {
    expect(fingerprint('bewerbung', '2027-01-11', values)).not.toBe(fingerprint('bewerbung', DAY, values));
  });

  it('changes with the form id', () => {
    expect(fingerprint('webinar', DAY, values)).not.toBe(fingerprint('bewerbung', DAY, values));
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
      expect(referenceFrom('B', fingerprint('bewerbung', DAY, { ...values, population: i }))).toMatch(REFERENCE);
    }
  });

  it('gives the same reference for the same submission', () => {
    const hash = fingerprint('bewerbung', DAY, values);
    expect(referenceFrom('B', hash)).toBe(referenceFrom('B', fingerprint('bewerbung', DAY, { ...values })));
  });
});

describe('idempotencyKey', () => {
  const hash = fingerprint('bewerbung', DAY, values);

  it('differs between the team email and the confirmation', () => {
    expect(idempotencyKey('bewerbung', hash, 'team')).not.toBe(idempotencyKey('bewerbung', hash, 'confirmation'));
  });

  it('is the same for the same submission', () => {
    expect(idempotencyKey('bewerbung', hash, 'team')).toBe(
      idempotencyKey('bewerbung', fingerprint('bewerbung', DAY, { ...values }), 'team'),
    );
  });

  it('differs between submissions', () => {
    const other = fingerprint('bewerbung', DAY, { ...values, population: 1 });
    expect(idempotencyKey('bewerbung', other, 'team')).not.toBe(idempotencyKey('bewerbung', hash, 'team'));
  });

  it('stays within the 256 characters Resend allows', () => {
    expect(idempotencyKey('bewerbung', hash, 'confirmation').length).toBeLessThanOrEqual(256);
  });
});
