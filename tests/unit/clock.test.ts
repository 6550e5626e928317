import { describe, expect, it } from 'vitest';
import { now, pinnedNow } from '../../src/time/clock.ts';

describe('server clock', () => {
  it('is pinned by KOMMA_NOW outside production', () => {
    expect(now({ KOMMA_NOW: '2030-03-20T10:00:00+01:00' }).toISOString()).toBe('2030-03-20T09:00:00.000Z');
    expect(now({ KOMMA_NOW: '2030-03-20T10:00:00+01:00', CONTEXT: 'deploy-preview' }).toISOString()).toBe(
      '2030-03-20T09:00:00.000Z',
    );
  });

  it('ignores KOMMA_NOW in production', () => {
    const before = Date.now();
    const instant = now({ KOMMA_NOW: '2000-01-01T00:00:00Z', CONTEXT: 'production' }).getTime();
    expect(instant).toBeGreaterThanOrEqual(before);
  });

  it('ignores a KOMMA_NOW that is not an instant', () => {
    expect(pinnedNow({ KOMMA_NOW: 'morgen' })).toBeUndefined();
  });
});
