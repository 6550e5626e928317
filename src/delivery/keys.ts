/**
 * Every key prefix of the delivery store, in one place: what lives where, and who owns it.
 *
 *   pending/<key>                 an outbox message until its emails are out (src/delivery/outbox.ts)
 *   done/<key>                    its tombstone after that: the reference, no personal data
 *   control/pause                 the queue waits for a provider quota to reset
 *   control/selection-overview    what the last daily overview covered (src/selection/)
 *   allowances/<day>/<counter>    the day's confirmation counters (src/delivery/allowance.ts)
 *   applications/<key>            the kept applications for the team's overview (src/selection/kept.ts)
 *   registrations/<day>/<session>/…  the webinar rosters (src/webinar/roster.ts)
 *   provider/<id>                 the message and email the provider's id names (src/delivery/provider-index.ts)
 *   webhook-events/<day>/<id>     a Resend webhook event handled already, by svix-id (src/delivery/seen-events.ts)
 */
export const PENDING = 'pending/';
export const DONE = 'done/';
export const PAUSE = 'control/pause';
export const LAST_OVERVIEW = 'control/selection-overview';
export const ALLOWANCES = 'allowances/';
export const APPLICATIONS = 'applications/';
export const REGISTRATIONS = 'registrations/';
export const PROVIDER = 'provider/';
export const WEBHOOK_EVENTS = 'webhook-events/';

export const pendingKey = (key: string) => `${PENDING}${key}`;
export const doneKey = (key: string) => `${DONE}${key}`;
/** `counter` is "<day>/<name>", so that a day's counters share a prefix. */
export const allowanceKey = (counter: string) => `${ALLOWANCES}${counter}`;
/** The Berlin day ("2027-01-10") of a key under allowances/. */
export const allowanceDay = (key: string) => key.slice(ALLOWANCES.length).split('/')[0]!;
export const applicationKey = (key: string) => `${APPLICATIONS}${key}`;
export const providerKey = (id: string) => `${PROVIDER}${id}`;
/** `day` ("2027-01-10", UTC) is the event's own creation day: the same on each redelivery. */
export const webhookEventKey = (day: string, id: string) => `${WEBHOOK_EVENTS}${day}/${id}`;
/** The day of a key under webhook-events/. */
export const webhookEventDay = (key: string) => key.slice(WEBHOOK_EVENTS.length).split('/')[0]!;
