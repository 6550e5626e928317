/**
 * npm run resend-stub: the tests' Resend stand-in (tests/helpers/resend-stub.ts) as a server of its
 * own, for trying delivery by hand. It answers POST /emails as Resend does (ids, idempotency keys) and
 * prints every email it accepts; nothing leaves this machine. RESEND_STUB_PORT, default 3031.
 */
import { startResendStub, type ReceivedRequest } from '../helpers/resend-stub.ts';

const port = Number(process.env['RESEND_STUB_PORT'] ?? 3031);

const list = (value: string | string[] | undefined) => [value ?? []].flat().join(', ');

/** Who, what and the text version: enough to see that each email went out once, and what it said. */
function print({ headers, body }: ReceivedRequest, id: string): void {
  const attachments = body.attachments?.map((attachment) => attachment.filename) ?? [];
  console.log(
    [
      `── ${id} ${'─'.repeat(60)}`,
      `From:     ${body.from}`,
      `To:       ${list(body.to)}`,
      ...(body.reply_to ? [`Reply-To: ${list(body.reply_to)}`] : []),
      `Subject:  ${body.subject}`,
      ...(attachments.length > 0 ? [`Attached: ${attachments.join(', ')}`] : []),
      `Key:      ${headers['idempotency-key'] ?? '(none)'}`,
      '',
      body.text ?? '(no text version)',
      '',
    ].join('\n'),
  );
}

const stub = await startResendStub({ port, onDelivered: print });
console.log(`Resend stub on ${stub.url}: it accepts every email and prints it here, sending nothing on.`);
console.log(`Use it from another terminal: RESEND_API_KEY=re_local RESEND_BASE_URL=${stub.url} npm start`);
console.log('Press Ctrl+C to stop.');

async function shutdown(): Promise<void> {
  await stub.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
