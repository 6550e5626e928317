import type { Env } from '../env.ts';
import type { Transport } from './email.ts';
import { outboxTransport } from './outbox.ts';
import { resendTransport } from './resend.ts';

export interface MailSetup {
  readonly transport: Transport;
  /** The team inbox: where submissions go, and the address every email names for questions. */
  readonly teamInbox: string;
  /** The sender of every email. */
  readonly from: string;
}

export type MailConfig = { ok: true; setup: MailSetup } | { ok: false; missing: string };

/**
 * Netlify sets CONTEXT to production, deploy-preview or branch-deploy; its local emulator sets
 * "dev", and a plain local run sets nothing.
 */
export function isDeployed(env: Env): boolean {
  return Boolean(env['CONTEXT']) && env['CONTEXT'] !== 'dev';
}

/**
 * Resend when RESEND_API_KEY is set. Without it, local runs write to outbox/; a deployed site
 * without a key is misconfigured and must say so rather than pretend to send. MAIL_TO, else the
 * settings' team inbox, is the one team address of every email.
 */
export function mailConfig(env: Env, settings: { readonly teamInbox: string }): MailConfig {
  const teamInbox = env['MAIL_TO'] || settings.teamInbox;
  const from = env['MAIL_FROM'] || `KommA – IMAP-Institut <${settings.teamInbox}>`;
  const apiKey = env['RESEND_API_KEY'];
  if (apiKey) {
    // The SDK would read RESEND_BASE_URL from process.env itself; the runtime's environment decides.
    const baseUrl = env['RESEND_BASE_URL'];
    return {
      ok: true,
      setup: { teamInbox, from, transport: resendTransport({ apiKey, ...(baseUrl && { baseUrl }) }) },
    };
  }
  if (isDeployed(env)) return { ok: false, missing: 'RESEND_API_KEY' };
  return { ok: true, setup: { teamInbox, from, transport: outboxTransport(outboxDirectory(env)) } };
}

/** Where a local run's emails go, in the words the local server prints when it starts. */
export function describeMailDestination(env: Env): string {
  if (env['RESEND_API_KEY']) return `Resend at ${env['RESEND_BASE_URL'] || 'https://api.resend.com'}`;
  return `the folder ${outboxDirectory(env)}/ (one HTML page each; set RESEND_API_KEY to send through Resend)`;
}

function outboxDirectory(env: Env): string {
  return env['KOMMA_OUTBOX'] || 'outbox';
}
