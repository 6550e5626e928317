import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from '../env.ts';
import { isDeployed } from '../mail/transport.ts';
import { TOKEN_SECRET } from '../webinar/cancel-token.ts';

/** Under .netlify/ (git-ignored, never deployed), beside the local Blobs. */
const FILE = 'webinar-token-secret';

/**
 * The key of the cancel links for a local run that has none: generated once per checkout and kept
 * in `directory`, so that the links in the outbox still work after a restart. Undefined when the
 * environment brings its own, and in every deploy context: there a missing key is a configuration
 * error that the functions report, never something to paper over.
 */
export async function localTokenSecret(env: Env, directory: string): Promise<string | undefined> {
  if (env[TOKEN_SECRET]?.trim() || isDeployed(env)) return undefined;
  const file = join(directory, FILE);
  const kept = await readSecret(file);
  if (kept) return kept;
  await mkdir(directory, { recursive: true });
  try {
    // 'wx': of two servers starting at once, the first one's key stays, and both use it.
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSecret(file);
}

async function readSecret(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * For `npm run serve` and `astro dev`, before the emulator starts: its function workers inherit
 * this process's environment.
 */
export async function provideLocalTokenSecret(): Promise<void> {
  const secret = await localTokenSecret(process.env, join(process.cwd(), '.netlify'));
  if (secret) process.env[TOKEN_SECRET] = secret;
}
