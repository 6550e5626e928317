import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface RunningDecapServer {
  /** What config.yml's local_backend.url names, e.g. http://127.0.0.1:40123/api/v1 */
  readonly apiUrl: string;
  stop(): Promise<void>;
}

/** A port nobody listens on now. decap-server cannot report the port it got for PORT=0. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/**
 * decap-server, the local backend of `npm run cms`, on 127.0.0.1 in its default `fs` mode: it
 * writes the files of `repoDir` as the web editor saves them and commits nothing.
 */
export async function startDecapServer(repoDir: string): Promise<RunningDecapServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(process.cwd(), 'node_modules/decap-server/dist/index.js')], {
    cwd: repoDir,
    env: { ...process.env, PORT: String(port), BIND_HOST: '127.0.0.1', MODE: 'fs', GIT_REPO_DIRECTORY: repoDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stopOnExit = () => child.kill();
  process.once('exit', stopOnExit);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`listening on 127.0.0.1:${port}`)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`decap-server exited (${code}) before listening:\n${output}`)));
  });
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v1`,
    async stop() {
      process.off('exit', stopOnExit);
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
