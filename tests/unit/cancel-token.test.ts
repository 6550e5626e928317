import { describe, expect, it, vi } from 'vitest';
import { cancelLinks, readCancelToken, signCancelToken } from '../../src/webinar/cancel-token.ts';

const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuv';
const target = { session: 'winter-2030', key: 'webinar-3f9a0c1d2e' };

describe('the cancel token', () => {
  it('names the registration it was signed for, and nothing personal', () => {
    const token = signCancelToken(SECRET, target);
    expect(readCancelToken(SECRET, token)).toEqual(target);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).toBe('1\nwinter-2030\nwebinar-3f9a0c1d2e');
  });

  it('is refused when signed with another secret', () => {
    expect(readCancelToken('another-secret', signCancelToken(SECRET, target))).toBeUndefined();
  });

  it('is refused when its payload or signature was changed', () => {
    const [payload, signature] = signCancelToken(SECRET, target).split('.') as [string, string];
    const otherPayload = Buffer.from('1\nwinter-2030\nwebinar-someone-else').toString('base64url');
    expect(readCancelToken(SECRET, `${otherPayload}.${signature}`)).toBeUndefined();
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(readCancelToken(SECRET, `${payload}.${flipped}`)).toBeUndefined();
    expect(readCancelToken(SECRET, `${payload}.${signature.slice(0, -2)}`)).toBeUndefined();
  });

  it('is refused when malformed, without throwing', () => {
    for (const token of ['', '.', 'abc', 'abc.', '.abc', 'a.b.c', 'ä.ö', '%%%.%%%', `${'A'.repeat(5000)}.x`]) {
      expect(readCancelToken(SECRET, token), token).toBeUndefined();
    }
  });

  it('is refused for another version of the payload, even when signed', () => {
    const signedV2 = signCancelToken(SECRET, { session: 'winter-2030', key: 'k' }).replace(
      /^[^.]+/,
      Buffer.from('2\nwinter-2030\nk').toString('base64url'),
    );
    expect(readCancelToken(SECRET, signedV2)).toBeUndefined();
  });
});

describe('cancel links', () => {
  it('lead to the cancel page of the site’s address', () => {
    const link = cancelLinks({ WEBINAR_TOKEN_SECRET: SECRET, URL: 'https://komma.example/' })(target, 'W-1')!;
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe('https://komma.example/webinar/abmelden/');
    expect(readCancelToken(SECRET, url.searchParams.get('t')!)).toEqual(target);
  });

  it('are missing without a secret, and the log names the variable and the reference only', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(cancelLinks({ WEBINAR_TOKEN_SECRET: ' ' })(target, 'W-ABCD-EFGH')).toBeUndefined();
    expect(JSON.parse(String(error.mock.calls[0]![0]))).toMatchObject({
      outcome: 'configuration-alert',
      reference: 'W-ABCD-EFGH',
      missing: 'WEBINAR_TOKEN_SECRET',
    });
    error.mockRestore();
  });
});
