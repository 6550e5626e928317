import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Admission } from '../../src/mail/submission.ts';
import {
  admissionAt,
  lookup,
  movedUp,
  renewedKey,
  standings,
  withCancellation,
  withRegistration,
  withTold,
  type Roster,
} from '../../src/webinar/roster.ts';

const EMPTY: Roster = { version: 2, entries: [] };
const now = new Date('2030-03-05T09:00:00+01:00');
const person = (key: string) => ({ key, reference: `W-${key}`, name: `Person ${key}`, email: `${key}@x.de` });
const brief = (admission: Admission) => `${admission.status} ${admission.place}`;

/** Ten people, so that registrations, retries and cancellations of the same person meet often. */
const key = fc.constantFrom(...Array.from({ length: 10 }, (_, n) => `webinar-${n}`));
const step = fc.oneof(
  fc.record({ kind: fc.constant('register' as const), key }),
  fc.record({ kind: fc.constant('cancel' as const), key }),
  fc.record({ kind: fc.constant('move-up' as const) }),
);
const capacity = fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined });

/**
 * The model: who registered, in order, and who cancelled. The first `capacity` of those not
 * cancelled hold a place, the rest wait, in order; nothing else counts.
 */
function expectedStandings(order: readonly string[], cancelled: ReadonlySet<string>, limit: number | undefined) {
  return order.filter((k) => !cancelled.has(k)).map((k, index) => `${k} ${brief(admissionAt(index + 1, limit))}`);
}

describe('who holds a place (the pure roster functions)', () => {
  it('gives places in the order of registration, leaves the cancelled out, and never moves anyone down', () => {
    fc.assert(
      fc.property(capacity, fc.array(step, { maxLength: 40 }), (limit, steps) => {
        let roster = EMPTY;
        const order: string[] = [];
        const cancelled = new Set<string>();
        const told = new Map<string, Admission>();
        for (const current of steps) {
          const before = new Map(standings(roster, limit).map((standing) => [standing.key, standing]));
          if (current.kind === 'register' && cancelled.has(current.key)) {
            // Registering again after cancelling takes a key of its own first (renewedKey()).
            expect(() => withRegistration(roster, person(current.key), limit, now)).toThrow(/conflict/);
          } else if (current.kind === 'register') {
            const change = withRegistration(roster, person(current.key), limit, now);
            if (told.has(current.key)) {
              // A retry hears where it stands now (a place, once moved up), and changes nothing.
              expect(change.roster).toBeUndefined();
              expect(brief(change.result)).toBe(brief(before.get(current.key)!));
            } else {
              order.push(current.key);
              const expected = expectedStandings(order, cancelled, limit).at(-1)!;
              expect(`${current.key} ${brief(change.result)}`).toBe(expected);
              told.set(current.key, change.result);
            }
            roster = change.roster ?? roster;
          } else if (current.kind === 'cancel') {
            const change = withCancellation(roster, current.key, limit, now);
            const expectedKind = !order.includes(current.key)
              ? 'unknown'
              : cancelled.has(current.key)
                ? 'already'
                : 'cancelled';
            expect(change.result.kind).toBe(expectedKind);
            expect(change.roster === undefined).toBe(expectedKind !== 'cancelled');
            if (change.result.kind === 'cancelled') {
              // The emails speak of where it stood when it was cancelled.
              expect(brief(change.result.registration)).toBe(brief(before.get(current.key)!));
              cancelled.add(current.key);
            }
            roster = change.roster ?? roster;
          } else {
            const moving = movedUp(roster, limit);
            for (const moved of moving) expect(moved.told.status).toBe('waiting');
            const change = withTold(roster, moving);
            expect(change.roster === undefined).toBe(moving.length === 0);
            roster = change.roster ?? roster;
            for (const moved of moving) told.set(moved.key, { status: moved.status, place: moved.place });
            expect(movedUp(roster, limit)).toEqual([]);
          }

          const after = standings(roster, limit);
          expect(after.map((standing) => `${standing.key} ${brief(standing)}`)).toEqual(
            expectedStandings(order, cancelled, limit),
          );
          for (const standing of after) {
            const earlier = before.get(standing.key);
            if (!earlier) continue;
            // A place once held is kept; a place on either list only ever gets better.
            if (earlier.status === 'confirmed') expect(standing.status).toBe('confirmed');
            if (earlier.status === standing.status) expect(standing.place).toBeLessThanOrEqual(earlier.place);
            // Moving up means: a place now, „waiting" heard, and nothing else.
            const due = movedUp(roster, limit).some((moved) => moved.key === standing.key);
            expect(due).toBe(standing.status === 'confirmed' && told.get(standing.key)!.status === 'waiting');
          }
          if (limit === undefined) expect(after.every((standing) => standing.status === 'confirmed')).toBe(true);
        }
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it('finds a registration as active, cancelled with where it stood, or unknown', () => {
    let roster = EMPTY;
    for (const n of [1, 2, 3]) roster = withRegistration(roster, person(`k${n}`), 2, now).roster!;
    roster = withCancellation(roster, 'k1', 2, now).roster!;
    expect(lookup(roster, 'k1', 2)).toMatchObject({
      kind: 'cancelled',
      registration: { status: 'confirmed', place: 1 },
    });
    expect(lookup(roster, 'k3', 2)).toMatchObject({ kind: 'active', registration: { status: 'confirmed', place: 2 } });
    expect(lookup(roster, 'k3', 2)).toMatchObject({ registration: { told: { status: 'waiting', place: 1 } } });
    expect(lookup(roster, 'k9', 2)).toEqual({ kind: 'unknown' });
    expect(movedUp(roster, 2).map((moved) => moved.key)).toEqual(['k3']);
  });

  it('gives the same mailbox, however spelled, its registration again instead of a second place', () => {
    let roster = withRegistration(EMPTY, person('k1'), 1, now).roster!;
    roster = withRegistration(roster, person('k2'), 1, now).roster!;
    const again = withRegistration(roster, { ...person('k3'), email: 'K2+zweiter@X.de' }, 1, now);
    expect(again).toEqual({ result: { status: 'waiting', place: 1, existing: 'W-k2' } });
    // Once cancelled, the mailbox may register again: a new registration at the end.
    roster = withCancellation(roster, 'k2', 1, now).roster!;
    expect(withRegistration(roster, { ...person('k3'), email: 'k2@x.de' }, 1, now).result).toEqual({
      status: 'waiting',
      place: 1,
    });
  });

  it('gives a registration whose key was cancelled a key of its own, again after each cancellation', () => {
    let roster = withRegistration(EMPTY, person('k1'), 2, now).roster!;
    expect(renewedKey(roster, 'k1')).toBe('k1');
    roster = withCancellation(roster, 'k1', 2, now).roster!;
    expect(renewedKey(roster, 'k1')).toBe('k1~2');
    roster = withRegistration(roster, person('k1~2'), 2, now).roster!;
    roster = withCancellation(roster, 'k1~2', 2, now).roster!;
    expect(renewedKey(roster, 'k1')).toBe('k1~3');
  });
});
