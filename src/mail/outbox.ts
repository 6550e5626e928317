import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { OutgoingEmail, SendOptions, SendResult, Transport } from './email.ts';
import { escapeHtml } from './html.ts';

/**
 * Local runs without an API key: each email becomes an HTML file a person can open in a browser,
 * with its attachments beside it. The file name is the label (reference and kind), for people,
 * and a digest of the idempotency key: labels repeat (a registration, its cancellation and its
 * move-up notice share the reference), keys do not, except on a retry of the same email, which
 * leaves one file, as Resend would send one email.
 */
export function outboxTransport(directory: string): Transport {
  return {
    async send(email: OutgoingEmail, options: SendOptions): Promise<SendResult> {
      try {
        return await write(email, options);
      } catch (error) {
        // A transport reports failures; it never throws them at the form (no 5xx, no stack trace).
        return {
          ok: false,
          status: null,
          name: `outbox_${(error as NodeJS.ErrnoException).code ?? 'write_failed'}`,
          timedOut: false,
        };
      }
    },
  };

  async function write(email: OutgoingEmail, { label, idempotencyKey }: SendOptions): Promise<SendResult> {
    await mkdir(directory, { recursive: true });
    const name = `${label.replace(/[^a-z0-9-]/gi, '')}-${keyDigest(idempotencyKey)}`;
    const attachments = [];
    for (const attachment of email.attachments ?? []) {
      const file = `${name}-${attachment.filename}`;
      await writeFile(join(directory, file), attachment.content, 'utf8');
      attachments.push(`<a href="${escapeHtml(encodeURIComponent(file))}">${escapeHtml(attachment.filename)}</a>`);
    }
    const headers = [
      ['Von', email.from],
      ['An', email.to],
      ['Antwort an', email.replyTo],
      ['Betreff', email.subject],
    ]
      .map(([label, value]) => `<tr><th scope="row">${label}</th><td>${escapeHtml(value!)}</td></tr>`)
      .join('');
    const attachmentRow = attachments.length
      ? `<tr><th scope="row">Anhänge</th><td>${attachments.join(', ')}</td></tr>`
      : '';
    const page = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(email.subject)}</title></head><body>
<table>${headers}${attachmentRow}</table><hr>
${email.html}
<hr><h2>Textfassung</h2><pre>${escapeHtml(email.text)}</pre></body></html>`;
    const path = join(directory, `${name}.html`);
    await writeFile(path, page, 'utf8');
    // Names the file, not what it says: the file holds the personal data, the log does not.
    console.info(`Outbox: ${resolve(path)}`);
    return { ok: true, id: `outbox:${name}` };
  }
}

/** Eight hex digits of the key's SHA-256: enough to tell a reference's few emails apart. */
function keyDigest(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 8);
}
