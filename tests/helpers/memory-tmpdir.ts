import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Linux's shared-memory file system: a tmpfs on every distribution, writable by every user. */
const MEMORY_FILE_SYSTEM = '/dev/shm';

/**
 * Puts the test run's scratch files in memory: the Blobs server's files, project copies, pinned
 * builds, browser profiles. On a virtual disk the store's file operations cost more than the
 * requests they serve (the fuzz suite ran 26 s on disk, 17 s in memory). Sets TMPDIR, which
 * os.tmpdir() reads on every call and child processes (workers, builds, Chromium) inherit.
 *
 * Leaves an explicit TMPDIR alone, and the default where there is no /dev/shm (macOS, Windows) or
 * its folder for this user is not this user's own (another user on a shared machine made it).
 */
export function preferMemoryTmpdir(): void {
  if (process.env['TMPDIR'] || typeof process.getuid !== 'function') return;
  const uid = process.getuid();
  const folder = join(MEMORY_FILE_SYSTEM, `komma-tests-${uid}`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stats = statSync(folder);
    if (!stats.isDirectory() || stats.uid !== uid || (stats.mode & 0o077) !== 0) return;
  } catch {
    return;
  }
  process.env['TMPDIR'] = folder;
}
