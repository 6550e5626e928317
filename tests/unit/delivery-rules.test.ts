import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/delivery/pacer.ts';
import { backoffMs } from '../../src/delivery/record.ts';
import { storeName } from '../../src/delivery/store.ts';
import { verdictOf } from '../../src/delivery/verdict.ts';
import type { SendResult } from '../../src/mail/email.ts';
import { config as applicationConfig } from '../../functions/bewerbung.mts';
import { config as webinarConfig } from '../../functions/webinar.mts';
import { config as drainConfig } from '../../functions/deliver-pending.mts';

const now = new Date('2030-03-20T10:30:00Z');
const failure = (status: number | null, name: string, extra: Partial<SendResult> = {}): SendResult =>
  ({ ok: false, status, name, timedOut: false, ...extra }) as SendResult;

describe('what a provider answer means', () => {
  it.each([
    ['accepted', { ok: true, id: 're_1' } as SendResult, { kind: 'accepted', providerId: 're_1' }],
    [
      '409 for a key Resend holds with another body: already sent',
      failure(409, 'invalid_idempotent_request'),
      { kind: 'accepted', providerId: 'known-key' },
    ],
    [
      '409 while the first request with the key is in flight: retry later',
      failure(409, 'concurrent_idempotent_requests'),
      { kind: 'retry', maybeDelivered: true },
    ],
    ['a 5xx may have been delivered', failure(500, 'internal_server_error'), { kind: 'retry', maybeDelivered: true }],
    [
      'a dropped connection may have been delivered',
      failure(null, 'application_error'),
      { kind: 'retry', maybeDelivered: true },
    ],
    [
      'our own timeout may have been delivered',
      failure(null, 'application_error', { timedOut: true }),
      { kind: 'retry', maybeDelivered: true, reason: 'timeout: application_error' },
    ],
    [
      'a failed outbox write was not delivered',
      failure(null, 'outbox_EACCES'),
      { kind: 'retry', maybeDelivered: false },
    ],
    [
      'a rate limit waits as Retry-After says',
      failure(429, 'rate_limit_exceeded', { retryAfterMs: 2000 }),
      { kind: 'rate-limited', waitMs: 2000 },
    ],
    ['a rate limit without Retry-After waits a second', failure(429, 'rate_limit_exceeded'), { waitMs: 1000 }],
    [
      'a daily quota pauses until the next UTC midnight',
      failure(429, 'daily_quota_exceeded'),
      { kind: 'quota', resumeAt: new Date('2030-03-21T00:00:00Z') },
    ],
    [
      'a monthly quota pauses until the first of the next month',
      failure(429, 'monthly_quota_exceeded'),
      { kind: 'quota', resumeAt: new Date('2030-04-01T00:00:00Z') },
    ],
    [
      'a quota with Retry-After pauses as it says',
      failure(429, 'daily_quota_exceeded', { retryAfterMs: 60_000 }),
      { kind: 'quota', resumeAt: new Date('2030-03-20T10:31:00Z') },
    ],
    ['a 422 is a refusal', failure(422, 'validation_error'), { kind: 'refused', status: 422 }],
    ['a 403 is a refusal', failure(403, 'invalid_access'), { kind: 'refused', status: 403 }],
  ])('%s', (_case, result, expected) => {
    expect(verdictOf(result, now)).toMatchObject(expected);
  });
});

describe('pacing and backoff', () => {
  it('spaces requests by the limit the headers name, and waits for the window when it is used up', () => {
    let ms = 0;
    const pacer = createPacer(() => ms);
    expect(pacer.waitMs()).toBe(0);
    pacer.observe(undefined);
    expect(pacer.waitMs()).toBe(500);
    pacer.observe({ limit: 5, remaining: 3, resetMs: 1000 });
    expect(pacer.waitMs()).toBe(200);
    pacer.observe({ limit: 5, remaining: 0, resetMs: 800 });
    expect(pacer.waitMs()).toBe(800);
    pacer.observe({ limit: 5 }, 4000);
    expect(pacer.waitMs()).toBe(4000);
    ms += 4000;
    expect(pacer.waitMs()).toBe(0);
  });

  it('backs off 2, 4, 8 … minutes, never more than an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 12].map((failures) => backoffMs(failures) / 60_000)).toEqual([2, 4, 8, 16, 32, 60, 60]);
  });
});

describe('the store’s name', () => {
  it('separates production, previews and local runs', () => {
    expect(storeName({ CONTEXT: 'production' })).toBe('komma-delivery-production');
    expect(storeName({ CONTEXT: 'deploy-preview' })).toBe('komma-delivery-preview');
    expect(storeName({ CONTEXT: 'branch-deploy' })).toBe('komma-delivery-preview');
    expect(storeName({ CONTEXT: 'dev' })).toBe('komma-delivery-local');
    expect(storeName({})).toBe('komma-delivery-local');
  });

  it('lets tests name their own store, but never in production', () => {
    expect(storeName({ KOMMA_STORE: 'test-1' })).toBe('test-1');
    expect(storeName({ KOMMA_STORE: 'test-1', CONTEXT: 'production' })).toBe('komma-delivery-production');
  });
});

describe('the functions’ configuration', () => {
  it.each([
    ['bewerbung', applicationConfig],
    ['webinar', webinarConfig],
  ])('limits %s per client IP: aggregateBy is an array containing "ip"', (_name, config) => {
    expect(config.rateLimit).toEqual({ windowLimit: 10, windowSize: 60, aggregateBy: ['ip', 'domain'] });
    expect(Array.isArray(config.rateLimit?.aggregateBy)).toBe(true);
  });

  it('runs deliver-pending every two minutes', () => {
    expect(drainConfig.schedule).toBe('*/2 * * * *');
  });
});

describe('module boundaries', () => {
  it('keeps src/mail/ free of imports from src/submissions/ (no cycle)', async () => {
    const files = (await readdir('src/mail')).filter((file) => file.endsWith('.ts'));
    for (const file of files) {
      expect(await readFile(`src/mail/${file}`, 'utf8'), file).not.toMatch(/from '\.\.\/submissions\//);
    }
  });

  it('declares the environment type once', async () => {
    const sources = await readdir('src', { recursive: true });
    const declaring = [];
    for (const file of sources.filter((name) => name.endsWith('.ts'))) {
      if (/type Env\b\s*=/.test(await readFile(`src/${file}`, 'utf8'))) declaring.push(file);
    }
    expect(declaring).toEqual(['env.ts']);
  });
});
