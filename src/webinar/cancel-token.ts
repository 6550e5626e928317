import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Env } from '../env.ts';
import { logProblem } from '../log.ts';

/** The variable that holds the key of the cancel links' signatures. */
export const TOKEN_SECRET = 'WEBINAR_TOKEN_SECRET';

/** The path of the cancel page; the link's token follows as `?t=`. */
export const CANCEL_PATH = '/webinar/abmelden/';

/** What a cancel link names: a registration by its session and roster key, no personal data. */
export interface CancelTarget {
  readonly session: string;
  readonly key: string;
}

/** Bump when the payload changes: links already mailed then read as invalid, never as another registration. */
const VERSION = '1';
/** The purpose is signed too, so that a signature made for something else with the same secret never fits. */
const PURPOSE = 'komma-webinar-cancel';

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`${PURPOSE}\n${payload}`).digest();

/**
 * `<payload>.<signature>`, both base64url: the payload is `1\n<session>\n<key>` (the key is the
 * submission key, a hash), the signature HMAC-SHA256 over purpose and payload.
 */
export function signCancelToken(secret: string, target: CancelTarget): string {
  const payload = [VERSION, target.session, target.key].join('\n');
  return `${Buffer.from(payload).toString('base64url')}.${mac(secret, payload).toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The registration a token names, when `secret` signed it; undefined for anything else. */
export function readCancelToken(secret: string, token: string): CancelTarget | undefined {
  const [encoded, signature, ...rest] = token.split('.');
  if (!encoded || !signature || rest.length > 0 || !BASE64URL.test(encoded) || !BASE64URL.test(signature)) {
    return undefined;
  }
  const payload = Buffer.from(encoded, 'base64url').toString('utf8');
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  // timingSafeEqual needs equal lengths; the length of a signature is no secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const [version, session, key, ...extra] = payload.split('\n');
  if (version !== VERSION || !session || !key || extra.length > 0) return undefined;
  return { session, key };
}

/** The secret, when one is set; never logged. */
export function tokenSecret(env: Env): string | undefined {
  return env[TOKEN_SECRET]?.trim() || undefined;
}

/** The site's address, as Netlify sets it (the same default as the build's). */
export const siteUrl = (env: Env) => (env['URL'] || 'https://komma.imap-institut.de').replace(/\/+$/, '');

/** The personal cancel link of a registration; undefined without a secret. */
export function cancelLink(env: Env, target: CancelTarget): string | undefined {
  const secret = tokenSecret(env);
  return secret && `${siteUrl(env)}${CANCEL_PATH}?t=${signCancelToken(secret, target)}`;
}

/** Makes the personal cancel link of a registration; its reference names it in the log. */
export type CancelLinks = (target: CancelTarget, reference: string) => string | undefined;

/**
 * The cancel links of the confirmations. Without a secret there are none: the confirmations go out
 * without a link, and each one raises an alert in the log naming the variable (no personal data).
 */
export function cancelLinks(env: Env): CancelLinks {
  return (target, reference) => {
    const link = cancelLink(env, target);
    if (!link) {
      logProblem({
        form: 'webinar',
        outcome: 'configuration-alert',
        reference,
        missing: TOKEN_SECRET,
        note: `Confirmations carry no cancel link until ${TOKEN_SECRET} is set.`,
      });
    }
    return link;
  };
}
