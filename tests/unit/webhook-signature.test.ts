import { Resend } from 'resend';
import { describe, expect, it } from 'vitest';
import { sign, signingKey, verify, TOLERANCE_SECONDS } from '../../src/webhooks/signature.ts';

// The example of Svix's documentation and the Standard Webhooks test suites.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = '1614265330';
const BODY = '{"test": 2432232314}';
const AT = Number(TIMESTAMP) * 1000;

const key = signingKey(SECRET)!;
const headers = (signature: string, timestamp = TIMESTAMP, id = ID) => ({ id, timestamp, signature });

describe('the Svix signature of a webhook event', () => {
  it('is v1, and the base64 HMAC-SHA256 of id.timestamp.body, as in Svix’s own example', () => {
    expect(sign(key, ID, TIMESTAMP, BODY)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('is what the Resend SDK’s verify() accepts, so events signed this way in tests are signed as Resend signs them', () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(key, ID, timestamp, BODY);
    const resend = new Resend('re_unused');
    expect(
      resend.webhooks.verify({ payload: BODY, headers: { id: ID, timestamp, signature }, webhookSecret: SECRET }),
    ).toEqual(JSON.parse(BODY));
    expect(() =>
      resend.webhooks.verify({ payload: `${BODY} `, headers: { id: ID, timestamp, signature }, webhookSecret: SECRET }),
    ).toThrow();
  });

  it('accepts the event when any signature of the list matches (a secret being rotated)', () => {
    const other = sign(signingKey('whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=')!, ID, TIMESTAMP, BODY);
    const list = `${other} ${sign(key, ID, TIMESTAMP, BODY)}`;
    expect(verify(key, headers(list), BODY, AT)).toEqual({ ok: true, id: ID });
    expect(verify(key, headers(other), BODY, AT)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a changed body, id or timestamp, and a signature of another version', () => {
    const signature = sign(key, ID, TIMESTAMP, BODY);
    expect(verify(key, headers(signature), '{"test": 2432232315}', AT)).toMatchObject({ reason: 'mismatch' });
    expect(verify(key, headers(signature, TIMESTAMP, 'msg_other'), BODY, AT)).toMatchObject({ reason: 'mismatch' });
    expect(verify(key, headers(signature, '1614265331'), BODY, AT)).toMatchObject({ reason: 'mismatch' });
    expect(verify(key, headers(signature.replace('v1,', 'v2,')), BODY, AT)).toMatchObject({ reason: 'mismatch' });
    expect(verify(key, headers('v1,'), BODY, AT)).toMatchObject({ reason: 'mismatch' });
  });

  it('refuses an event without its three headers', () => {
    const signature = sign(key, ID, TIMESTAMP, BODY);
    expect(verify(key, { id: null, timestamp: TIMESTAMP, signature }, BODY, AT)).toMatchObject({ reason: 'unsigned' });
    expect(verify(key, { id: ID, timestamp: null, signature }, BODY, AT)).toMatchObject({ reason: 'unsigned' });
    expect(verify(key, { id: ID, timestamp: TIMESTAMP, signature: '' }, BODY, AT)).toMatchObject({
      reason: 'unsigned',
    });
  });

  it('refuses a timestamp more than five minutes from the clock, either way, however well signed', () => {
    const signature = sign(key, ID, TIMESTAMP, BODY);
    const limit = TOLERANCE_SECONDS * 1000;
    expect(verify(key, headers(signature), BODY, AT + limit).ok).toBe(true);
    expect(verify(key, headers(signature), BODY, AT - limit).ok).toBe(true);
    expect(verify(key, headers(signature), BODY, AT + limit + 1000)).toMatchObject({ reason: 'stale' });
    expect(verify(key, headers(signature), BODY, AT - limit - 1000)).toMatchObject({ reason: 'stale' });
    expect(verify(key, headers(sign(key, ID, 'soon', BODY), 'soon'), BODY, AT)).toMatchObject({ reason: 'stale' });
  });
});

describe('the signing secret', () => {
  it('is the base64 after whsec_; anything else is a configuration error', () => {
    expect(signingKey(SECRET)).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
    for (const wrong of [undefined, '', 'whsec_', 'whsec_not base64!', '   '])
      expect(signingKey(wrong)).toBeUndefined();
  });
});
