import { settings } from '../settings/index.ts';
import type { Transport } from './email.ts';
import { outboxTransport } from './outbox.ts';
import { resendTransport } from './resend.ts';

export interface MailSetup {
  readonly transport: Transport;
  /** The team inbox that receives submissions. */
  readonly teamInbox: string;
}

export type MailConfig = { ok: true; setup: MailSetup } | { ok: false; missing: string };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Netlify sets CONTEXT to production, deploy-preview or branch-deploy; its local emulator sets
 * "dev", and a plain local run sets nothing.
 */
export function isDeployed(env: Env): boolean {
  return Boolean(env['CONTEXT']) && env['CONTEXT'] !== 'dev';
}

/**
 * Resend when RESEND_API_KEY is set. Without it, local runs write to outbox/; a deployed site
 * without a key is misconfigured and must say so rather than pretend to send.
 */
export function mailConfig(env: Env = process.env): MailConfig {
  const teamInbox = env['MAIL_TO'] || settings.teamInbox;
  const apiKey = env['RESEND_API_KEY'];
  if (apiKey) {
    const from = env['MAIL_FROM'] || `KommA – IMAP Institut <${settings.teamInbox}>`;
    return { ok: true, setup: { teamInbox, transport: resendTransport({ apiKey, from }) } };
  }
  if (isDeployed(env)) return { ok: false, missing: 'RESEND_API_KEY' };
  return { ok: true, setup: { teamInbox, transport: outboxTransport(env['KOMMA_OUTBOX'] || 'outbox') } };
}
