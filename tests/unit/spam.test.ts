import { describe, expect, it } from 'vitest';
import { HONEYPOT_FIELD, looksLikeSpam } from '../../src/submissions/spam.ts';

describe('spam signals', () => {
  it.each([null, '', false, [], '100', {}])('ignores an elapsedMs that is no finite number (%j)', (elapsedMs) => {
    expect(looksLikeSpam({ elapsedMs })).toBe(false);
  });

  it('takes a finite number under two seconds as a machine', () => {
    expect(looksLikeSpam({ elapsedMs: 400 })).toBe(true);
    expect(looksLikeSpam({ elapsedMs: 2000 })).toBe(false);
    expect(looksLikeSpam({ elapsedMs: Number.POSITIVE_INFINITY })).toBe(false);
  });

  it('takes a filled honeypot as a machine, under a name no autofill fills', () => {
    expect(HONEYPOT_FIELD).not.toMatch(/website|url|company|name|mail|phone|address/i);
    expect(looksLikeSpam({ [HONEYPOT_FIELD]: 'https://spam.example' })).toBe(true);
    expect(looksLikeSpam({ [HONEYPOT_FIELD]: '   ' })).toBe(false);
    // The old name is an ordinary unknown field now: autofill filling it proves nothing.
    expect(looksLikeSpam({ website: 'https://musterstadt.de' })).toBe(false);
  });
});
