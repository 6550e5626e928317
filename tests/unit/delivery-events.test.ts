import { describe, expect, it } from 'vitest';
import { messageWithDelivery, nextDeliveryState, tombstoneWithDelivery } from '../../src/delivery/delivery-state.ts';
import { outboxMessage } from '../../src/delivery/outbox.ts';
import { tombstoneOf, withVerdict, type Tombstone } from '../../src/delivery/record.ts';
import { undeliverableNotice } from '../../src/mail/notice.ts';
import { parseEvent } from '../../src/webhooks/event.ts';

const NOW = new Date('2030-03-05T09:00:00Z');
const email = (to: string) => ({ to, replyTo: 'team@example.org', subject: 's', text: 't', html: '<p>t</p>' });
const sent = withVerdict(
  withVerdict(
    outboxMessage({
      key: 'bewerbung-1',
      source: 'bewerbung',
      reference: 'B-TEST-0001',
      from: 'KommA <komma@example.org>',
      emails: [
        { role: 'team', label: 'team', email: email('team@example.org') },
        { role: 'confirmation', label: 'bestaetigung', email: email('kim@example.org') },
      ],
      receivedAt: NOW,
    }),
    'team',
    { kind: 'accepted', providerId: 'id-team' },
  ),
  'confirmation',
  { kind: 'accepted', providerId: 'id-confirmation' },
);

describe('delivery states', () => {
  it('let a delay never replace another state, and every other state replace a delay', () => {
    expect(nextDeliveryState('delivered', 'delivery-delayed')).toBe('delivered');
    expect(nextDeliveryState('delivery-delayed', 'delivered')).toBe('delivered');
    expect(nextDeliveryState(undefined, 'delivery-delayed')).toBe('delivery-delayed');
    expect(nextDeliveryState('delivered', 'complained')).toBe('complained');
  });

  it('are recorded on the email the provider id names, and carried to the tombstone without an address', () => {
    const delivered = messageWithDelivery(sent, 'id-confirmation', 'delivered')!;
    expect(delivered.emails.map((entry) => entry.delivery)).toEqual([undefined, 'delivered']);
    expect(messageWithDelivery(delivered, 'id-confirmation', 'delivery-delayed')).toBeUndefined();
    expect(messageWithDelivery(sent, 'id-of-an-earlier-version', 'delivered')).toBeUndefined();
    const tombstone = tombstoneOf(delivered, NOW);
    expect(tombstone.deliveries).toEqual({ confirmation: 'delivered' });
    expect(JSON.stringify(tombstone)).not.toContain('kim@example.org');
  });

  it('change a tombstone only for the email of its own version', () => {
    const tombstone: Tombstone = tombstoneOf(sent, NOW);
    expect(tombstoneWithDelivery(tombstone, 'team', 1, 'bounced')?.deliveries).toEqual({ team: 'bounced' });
    expect(tombstoneWithDelivery(tombstone, 'team', 2, 'bounced')).toBeUndefined();
  });
});

describe('a Resend event body', () => {
  const event = (type: string, data: Record<string, unknown>, createdAt = '2030-03-05T09:01:00.000Z') =>
    JSON.stringify({ type, created_at: createdAt, data });

  it('reads a bounce with its id, recipients and the provider’s words', () => {
    const bounce = { type: 'Permanent', subType: 'General', message: 'Mailbox does not exist' };
    expect(parseEvent(event('email.bounced', { email_id: 'a1b2', to: ['kim@example.org'], bounce }))).toEqual({
      kind: 'delivery',
      event: {
        type: 'email.bounced',
        state: 'bounced',
        emailId: 'a1b2',
        createdAt: new Date('2030-03-05T09:01:00.000Z'),
        to: ['kim@example.org'],
        detail: 'Permanent / General: Mailbox does not exist',
      },
    });
  });

  it('passes over events the site does not act on, and refuses what is not an email event', () => {
    expect(parseEvent(event('email.opened', { email_id: 'a1b2' }))).toEqual({ kind: 'other', type: 'email.opened' });
    for (const body of [
      'not json',
      '"text"',
      '{"type": 5}',
      event('email.delivered', {}),
      event('email.delivered', { email_id: '../pending/x' }),
      event('email.delivered', { email_id: 'a1b2' }, 'yesterday'),
    ])
      expect(parseEvent(body)).toEqual({ kind: 'malformed' });
  });
});

describe('the team’s note about an email that did not arrive', () => {
  it('names what, to whom and the reference in the subject, and the provider’s words in the text', () => {
    const note = undeliverableNotice('team@example.org', {
      reference: 'W-TEST-0001',
      what: 'Erinnerung',
      kind: 'bounced',
      to: ['kim@example.org'],
      detail: 'Permanent / General: Mailbox does not exist',
    });
    expect(note.subject).toBe('Erinnerung an kim@example.org nicht zustellbar – W-TEST-0001');
    expect([note.to, note.replyTo]).toEqual(['team@example.org', 'team@example.org']);
    expect(note.text).toContain('Angabe des E-Mail-Dienstes: Permanent / General: Mailbox does not exist');
  });

  it('says a spam report is one, without an address when the event named none', () => {
    const note = undeliverableNotice('team@example.org', {
      reference: 'B-TEST-0001',
      what: 'Bestätigung',
      kind: 'complained',
      to: [],
    });
    expect(note.subject).toBe('Bestätigung an die angegebene Adresse als Spam gemeldet – B-TEST-0001');
    expect(note.text).not.toContain('Angabe des E-Mail-Dienstes');
  });
});
