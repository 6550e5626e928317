/**
 * `npm run cms`: the web editor on this machine, with no account and no network. Starts decap-server,
 * the local backend (127.0.0.1:8081; its default `fs` mode writes the files of this folder and
 * commits nothing), and `astro dev`, which serves /admin/ and shows each saved change at once.
 * Ctrl+C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const decapServer = spawn(process.execPath, ['node_modules/decap-server/dist/index.js'], {
  stdio: 'inherit',
  env: { ...process.env, PORT: '8081', BIND_HOST: '127.0.0.1', MODE: 'fs', GIT_REPO_DIRECTORY: process.cwd() },
});
const astroDev = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'dev'], { stdio: 'inherit' });
const children: ChildProcess[] = [decapServer, astroDev];

console.log('Web-Editor: http://localhost:4321/admin/ öffnen und „Login“ wählen (Strg+C beendet).');

// One of them gone (a port taken, Ctrl+C) ends the other: half an editor is no use.
for (const child of children) {
  child.once('exit', (code) => {
    for (const other of children) if (other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? 0;
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => children.forEach((child) => child.kill('SIGTERM')));
}
