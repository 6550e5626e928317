import { describe, expect, it } from 'vitest';
import { HONEYPOT_FIELD, spamSignal } from '../../src/submissions/spam.ts';

describe('spam signals', () => {
  it.each([null, '', false, [], '100', {}])('ignores an elapsedMs that is no finite number (%j)', (elapsedMs) => {
    expect(spamSignal({ elapsedMs })).toBeUndefined();
  });

  it('takes a finite number under two seconds as fast, not as a machine for certain', () => {
    expect(spamSignal({ elapsedMs: 400 })).toBe('fast');
    expect(spamSignal({ elapsedMs: 2000 })).toBeUndefined();
    expect(spamSignal({ elapsedMs: Number.POSITIVE_INFINITY })).toBeUndefined();
  });

  it('takes a filled honeypot as a machine, under a name no autofill fills, fast or not', () => {
    expect(HONEYPOT_FIELD).not.toMatch(/website|url|company|name|mail|phone|address/i);
    expect(spamSignal({ [HONEYPOT_FIELD]: 'https://spam.example' })).toBe('honeypot');
    expect(spamSignal({ [HONEYPOT_FIELD]: 'x', elapsedMs: 100 })).toBe('honeypot');
    expect(spamSignal({ [HONEYPOT_FIELD]: '   ' })).toBeUndefined();
    // The old name is an ordinary unknown field now: autofill filling it proves nothing.
    expect(spamSignal({ website: 'https://musterstadt.de' })).toBeUndefined();
  });
});
