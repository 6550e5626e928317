import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { config as rebuildConfig } from '../../functions/rebuild-at-boundaries.mts';
import { boundaries, REBUILD_INTERVAL_MS, SETTLE_MS } from '../../src/rebuild/boundaries.ts';
import { rebuildAtBoundaries, type RebuildRun } from '../../src/rebuild/rebuild-at-boundaries.ts';
import { testSessions, testSettings, testWindow } from '../fixtures/settings.ts';

const HOOK = 'https://api.netlify.com/build_hooks/0123456789abcdef01234567';
const MINUTE = 60_000;

/** A fetch that answers the build hook with `status` (or throws `error`) and records each call. */
function fakeHook(answer: { status?: number; error?: Error } = {}) {
  const calls: { url: URL; method: string | undefined }[] = [];
  const fetch = (async (url: URL, init?: RequestInit) => {
    calls.push({ url: new URL(url), method: init?.method });
    if (answer.error) throw answer.error;
    return new Response(null, { status: answer.status ?? 200 });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

/** One run of the function at `now`, with the test settings and the given hook. */
function runAt(now: Date, hook = fakeHook(), env: Record<string, string> = { NETLIFY_BUILD_HOOK_URL: HOOK }) {
  const run: RebuildRun = { env, settings: testSettings, now, fetch: hook.fetch };
  return rebuildAtBoundaries(run);
}

let logged: string[];
beforeEach(() => {
  logged = [];
  const keep = (line: unknown) => void logged.push(String(line));
  vi.spyOn(console, 'info').mockImplementation(keep);
  vi.spyOn(console, 'error').mockImplementation(keep);
});
afterEach(() => vi.restoreAllMocks());

describe('rebuild boundaries', () => {
  it('are the window opening, the first closed second and each session start, in time order', () => {
    expect(boundaries(testSettings).map(({ id, at }) => [id, at.toISOString()])).toEqual([
      ['application-opens', testWindow.opens.toISOString()],
      ['webinar-winter-2030', testSessions.winter.start.toISOString()],
      ['webinar-sommer-2030', testSessions.summer.start.toISOString()],
      // The last second that counts is 23:59:59 on 30 April (summer time): closed from midnight.
      ['application-closes', testWindow.closed.toISOString()],
    ]);
  });

  it('runs every five minutes, as the interval the boundaries are judged by', () => {
    expect(rebuildConfig.schedule).toBe('*/5 * * * *');
    expect(REBUILD_INTERVAL_MS).toBe(5 * MINUTE);
  });
});

describe('rebuild-at-boundaries', () => {
  // 4 March 2030, 00:00 Berlin (winter time) is 3 March, 23:00 UTC; the schedule runs at :00, :05, …
  const opens = testWindow.opens.getTime();

  it('posts to the build hook in the first run at least a minute after the window opens, naming the boundary', async () => {
    const hook = fakeHook();
    const response = await runAt(new Date(opens + 5 * MINUTE + 2000), hook);
    expect(await response.json()).toEqual({ triggered: ['application-opens'] });
    expect(hook.calls).toHaveLength(1);
    expect(hook.calls[0]!.method).toBe('POST');
    expect(hook.calls[0]!.url.origin + hook.calls[0]!.url.pathname).toBe(HOOK);
    expect(hook.calls[0]!.url.searchParams.get('trigger_title')).toBe('Rebuild after application-opens');
    expect(logged.map((line) => JSON.parse(line))).toEqual([
      { level: 'info', form: 'rebuild', outcome: 'triggered', boundaries: ['application-opens'] },
    ]);
  });

  it('posts nothing in the run at the boundary itself, nor in the run after the one that posted', async () => {
    const hook = fakeHook();
    for (const at of [opens - 1, opens, opens + 10 * MINUTE, opens + 10 * MINUTE + 30_000]) {
      expect(await (await runAt(new Date(at), hook)).json()).toEqual({ triggered: [] });
    }
    expect(hook.calls).toHaveLength(0);
    expect(logged).toEqual([]);
  });

  it('posts once for a run that starts a minute late or a minute early', async () => {
    for (const offset of [MINUTE, -MINUTE]) {
      const hook = fakeHook();
      await runAt(new Date(opens + 5 * MINUTE + offset), hook);
      expect(hook.calls, `offset ${offset}`).toHaveLength(1);
    }
  });

  it('posts once for two boundaries that fall between the same two runs', async () => {
    const start = new Date(opens + 2 * MINUTE);
    const settings = {
      applicationWindow: testSettings.applicationWindow,
      webinars: [{ id: 'auftakt', start, end: new Date(start.getTime() + 60 * MINUTE) }],
    };
    const hook = fakeHook();
    const response = await rebuildAtBoundaries({
      env: { NETLIFY_BUILD_HOOK_URL: HOOK },
      settings,
      now: new Date(opens + 5 * MINUTE),
      fetch: hook.fetch,
    });
    expect(await response.json()).toEqual({ triggered: ['application-opens', 'webinar-auftakt'] });
    expect(hook.calls).toHaveLength(1);
  });

  it('posts exactly once per boundary over a whole round of runs that start up to 50 s early or 140 s late, never before the boundary', async () => {
    const hook = fakeHook();
    const posted: { at: number; boundaries: string[] }[] = [];
    // A fixed pseudo-random sequence: the same jitter on every test run.
    let seed = 20300304;
    const jitter = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return -50_000 + (seed % 190_001);
    };
    const first = Math.floor(testWindow.justBefore.getTime() / REBUILD_INTERVAL_MS) * REBUILD_INTERVAL_MS - 86_400_000;
    const last = testWindow.closed.getTime() + 86_400_000;
    for (let point = first; point <= last; point += REBUILD_INTERVAL_MS) {
      const at = point + jitter();
      const body = (await (await runAt(new Date(at), hook)).json()) as { triggered: string[] };
      if (body.triggered.length > 0) posted.push({ at, boundaries: body.triggered });
    }
    expect(hook.calls).toHaveLength(4);
    const byBoundary = new Map(posted.flatMap(({ at, boundaries }) => boundaries.map((id) => [id, at] as const)));
    for (const boundary of boundaries(testSettings)) {
      const at = byBoundary.get(boundary.id)!;
      expect(at - boundary.at.getTime(), boundary.id).toBeGreaterThanOrEqual(0);
      // At the latest the run after the boundary's minute of settling, started late.
      expect(at - boundary.at.getTime(), boundary.id).toBeLessThanOrEqual(SETTLE_MS + REBUILD_INTERVAL_MS + 140_000);
    }
  });

  it('does nothing without NETLIFY_BUILD_HOOK_URL and says so in one log line naming the variable', async () => {
    const hook = fakeHook();
    const response = await runAt(new Date(opens + 5 * MINUTE), hook, {});
    expect(response.status).toBe(503);
    expect(hook.calls).toHaveLength(0);
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toEqual({
      level: 'error',
      form: 'rebuild',
      outcome: 'configuration-error',
      problem: 'NETLIFY_BUILD_HOOK_URL is not set',
      consequence: 'The pages are not rebuilt when the application window opens or closes or a webinar starts.',
    });
  });

  it('refuses a hook that is not a web address, without logging its value', async () => {
    const hook = fakeHook();
    const response = await runAt(new Date(opens + 5 * MINUTE), hook, { NETLIFY_BUILD_HOOK_URL: 'geheim-123' });
    expect(response.status).toBe(503);
    expect(hook.calls).toHaveLength(0);
    expect(JSON.parse(logged[0]!).problem).toBe('NETLIFY_BUILD_HOOK_URL is not an http(s) URL');
    expect(logged.join('\n')).not.toContain('geheim-123');
  });

  it('reports a hook that refuses or does not answer, naming the boundaries and never the hook', async () => {
    const refused = await runAt(new Date(opens + 5 * MINUTE), fakeHook({ status: 404 }));
    expect(refused.status).toBe(502);
    const silent = await runAt(
      new Date(opens + 5 * MINUTE),
      fakeHook({ error: new DOMException('The operation timed out.', 'TimeoutError') }),
    );
    expect(silent.status).toBe(502);
    expect(logged.map((line) => JSON.parse(line))).toEqual([
      { level: 'error', form: 'rebuild', outcome: 'hook-refused', status: 404, boundaries: ['application-opens'] },
      {
        level: 'error',
        form: 'rebuild',
        outcome: 'hook-failed',
        error: 'TimeoutError',
        boundaries: ['application-opens'],
      },
    ]);
    expect(logged.join('\n')).not.toContain('build_hooks');
  });
});
