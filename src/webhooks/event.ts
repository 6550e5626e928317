import type { DeliveryState } from '../delivery/record.ts';

/** The Resend events this site listens to, and the delivery state each one reports. */
export const DELIVERY_EVENTS: Readonly<Record<string, DeliveryState>> = {
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'delivery-delayed',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.failed': 'failed',
};

/** One delivery event, as much of it as the site uses. */
export interface DeliveryEvent {
  readonly type: string;
  readonly state: DeliveryState;
  /** Resend's id of the email: the one its send answered with. */
  readonly emailId: string;
  readonly createdAt: Date;
  /** The recipients: named to the team in a note, never logged. */
  readonly to: readonly string[];
  /** The provider's words on a bounce or failure, for the team's note. */
  readonly detail?: string;
}

export type ParsedEvent =
  | { readonly kind: 'delivery'; readonly event: DeliveryEvent }
  /** A well-formed event of a type the site does not act on (e.g. email.opened). */
  | { readonly kind: 'other'; readonly type: string }
  | { readonly kind: 'malformed' };

/** Resend's ids are UUIDs; anything else that could go into a store key is refused. */
const EMAIL_ID = /^[A-Za-z0-9_-]{1,100}$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** `{type, subType, message}` of a bounce, or `{reason}` of a failure, as one line. */
function detailOf(data: Record<string, unknown>): string | undefined {
  const bounce = isRecord(data['bounce']) ? data['bounce'] : undefined;
  const failed = isRecord(data['failed']) ? data['failed'] : undefined;
  const parts = bounce
    ? [[text(bounce['type']), text(bounce['subType'])].filter(Boolean).join(' / '), text(bounce['message'])]
    : [text(failed?.['reason'])];
  const detail = parts.filter(Boolean).join(': ').slice(0, 300);
  return detail || undefined;
}

/** The event in a verified body: read, never trusted to have the shape the documentation shows. */
export function parseEvent(body: string): ParsedEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { kind: 'malformed' };
  }
  if (!isRecord(payload) || typeof payload['type'] !== 'string') return { kind: 'malformed' };
  const type = payload['type'];
  const state = Object.hasOwn(DELIVERY_EVENTS, type) ? DELIVERY_EVENTS[type] : undefined;
  if (!state) return { kind: 'other', type };
  const data = payload['data'];
  const createdAt = new Date(typeof payload['created_at'] === 'string' ? payload['created_at'] : NaN);
  if (!isRecord(data) || typeof data['email_id'] !== 'string' || !EMAIL_ID.test(data['email_id'])) {
    return { kind: 'malformed' };
  }
  if (Number.isNaN(createdAt.getTime())) return { kind: 'malformed' };
  const to = [data['to']].flat().filter((entry): entry is string => typeof entry === 'string');
  const detail = detailOf(data);
  return {
    kind: 'delivery',
    event: { type, state, emailId: data['email_id'], createdAt, to, ...(detail && { detail }) },
  };
}
