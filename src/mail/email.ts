/** An email as the forms produce it, before any transport. */
export interface Attachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

export interface Email {
  readonly to: string;
  readonly replyTo: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments?: readonly Attachment[];
}

/** What a transport reports; failures are values the caller must look at. */
export type SendResult =
  | { ok: true; id: string }
  /** `maybeDelivered`: no answer came (timeout), so the email may have gone out all the same. */
  | { ok: false; reason: string; maybeDelivered: boolean };

export interface SendOptions {
  /** Sending the same key again must not deliver a second email. */
  readonly idempotencyKey: string;
  /** Names the email for people, e.g. "B-7F3K-9Q2M-team"; no personal data. */
  readonly label: string;
}

export interface Transport {
  send(email: Email, options: SendOptions): Promise<SendResult>;
}
