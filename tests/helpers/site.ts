import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface RunningSite {
  /** e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  /** What the server logged so far: its output, or (test-site.ts) the functions' log lines. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Serves dist/ with its functions through `npm run serve`'s own script (@netlify/dev) on an
 * OS-assigned port, with the given environment added: for tests of what only the emulator proves
 * (the smoke file, the editor); every other test of the site uses test-site.ts, which starts in
 * milliseconds and builds no function per request. Stops with the test process if the test forgets to. `cwd`: another
 * copy of the project to serve, e.g. a pinnedBuild's.
 */
export async function startSite(
  env: Record<string, string> = {},
  options: { cwd?: string } = {},
): Promise<RunningSite> {
  const child = spawn(process.execPath, ['--experimental-strip-types', 'src/server/serve.ts'], {
    cwd: options.cwd,
    env: { ...process.env, CONTEXT: '', KOMMA_NOW: '', RESEND_API_KEY: '', ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopOnExit = () => child.kill();
  process.once('exit', stopOnExit);
  let output = '';
  const origin = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The server exited (${code}) before listening:\n${output}`)));
  });
  return {
    origin,
    log: () => output,
    async stop() {
      process.off('exit', stopOnExit);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
