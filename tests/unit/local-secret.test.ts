import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localTokenSecret } from '../../src/server/local-secret.ts';
import { cancelLinks } from '../../src/webinar/cancel-token.ts';

describe('the local key of the cancel links', () => {
  let root = '';
  let directory = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'komma-secret-'));
    directory = join(root, '.netlify');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('is generated for a local run without one, kept readable by its owner only, and the same after a restart', async () => {
    const secret = await localTokenSecret({}, directory);
    expect(secret).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await readFile(join(directory, 'webinar-token-secret'), 'utf8')).toBe(`${secret}\n`);
    expect((await stat(join(directory, 'webinar-token-secret'))).mode & 0o777).toBe(0o600);
    expect(await localTokenSecret({}, directory)).toBe(secret);
    // With it, a confirmation carries a cancel link.
    expect(cancelLinks({ WEBINAR_TOKEN_SECRET: secret })({ session: 's', key: 'k' }, 'W-ABCD-EFGH')).toBeDefined();
  });

  it('is one key when two servers start at once', async () => {
    const [first, second] = await Promise.all([localTokenSecret({}, directory), localTokenSecret({}, directory)]);
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });

  it('is generated under the Netlify emulator (CONTEXT=dev) and where the variable is set but empty', async () => {
    expect(await localTokenSecret({ CONTEXT: 'dev' }, directory)).toBeDefined();
    expect(await localTokenSecret({ WEBINAR_TOKEN_SECRET: ' ' }, directory)).toBeDefined();
  });

  it('is never generated where the environment has its own key', async () => {
    expect(await localTokenSecret({ WEBINAR_TOKEN_SECRET: 'own' }, directory)).toBeUndefined();
    await expect(stat(directory)).rejects.toThrow();
  });

  it.each(['production', 'deploy-preview', 'branch-deploy'])(
    'is never generated in the deploy context %s',
    async (context) => {
      expect(await localTokenSecret({ CONTEXT: context }, directory)).toBeUndefined();
      await expect(stat(directory)).rejects.toThrow();
    },
  );
});
