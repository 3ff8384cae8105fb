// Fault: PostgreSQL stops for ~10 s under load and comes back. The real `canopy serve` process on
// it must survive, keep answering calls to its running stdio server, refuse admin writes with a
// clear 503 meanwhile, and recover by itself (writes work again, the change feed listens again).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, ApiError } from '../../main/core/api/client.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../support/embedded-postgres.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { eventually } from '../support/gateway.ts';
import { spawnCli, waitForOutput } from '../cli/run-cli.ts';

const OUTAGE_MS = 10_000;
const CALL_EVERY_MS = 100;

let database: EmbeddedPostgresServer;
let dir: string;
let serve: ReturnType<typeof spawnCli>;
let stderr = '';
let api: AdminClient;
let mcp: Client;

async function writeOutcome(enabled: boolean): Promise<'ok' | ApiError> {
  try {
    await api.setToolEnabled('everything__get-tiny-image', enabled);
    return 'ok';
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

async function listening(): Promise<boolean> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query(`select count(*)::int as n from pg_stat_activity where query ilike 'LISTEN canopy_changes'`);
    return rows[0].n > 0;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await startEmbeddedPostgres();
  dir = mkdtempSync(join(tmpdir(), 'canopy-outage-'));
  const { CANOPY_REGISTRY: _r, CANOPY_PORT: _p, CANOPY_DB_PATH: _d, DATABASE_URL: _u, CANOPY_MODE: _m, ...base } = process.env;
  serve = spawnCli(['serve', '--port', '0', '--database-url', database.url], {
    ...base,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    CANOPY_SECRETS_BACKEND: 'file',
  });
  serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [, url] = await waitForOutput(serve, /MCP endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)\/mcp/);
  api = new AdminClient({ baseUrl: url });
  await api.registerServer({ config: stdioConfigs.everything() });
  mcp = new Client({ name: 'outage-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
}, 90_000);

afterAll(async () => {
  await mcp?.close().catch(() => {});
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (serve.exitCode === null) serve.kill('SIGKILL');
  }
  await database?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('PostgreSQL stopped and started under load', () => {
  it('keeps serving calls, answers writes with 503 meanwhile, and recovers by itself', async () => {
    expect(await writeOutcome(true)).toBe('ok');
    await eventually(listening, 10_000, 'the change feed listening');

    // Calls run through the whole outage, one at a time, bounded by the test's own end.
    const calls = { ok: 0, failed: [] as string[] };
    let calling = true;
    const loop = (async () => {
      for (let i = 0; calling && i < 2_000; i += 1) {
        try {
          const result = await mcp.callTool({ name: 'everything__echo', arguments: { message: `m${i}` } });
          if (result.isError) calls.failed.push(JSON.stringify(result.content));
          else calls.ok += 1;
        } catch (error) {
          calls.failed.push((error as Error).message);
        }
        await new Promise((resolve) => setTimeout(resolve, CALL_EVERY_MS));
      }
    })();

    // Admin writes in flight while the database goes away: connections die mid-query and mid-transaction.
    let writing = true;
    const writes: (string | ApiError)[] = [];
    const writers = [0, 1, 2].map(async (worker) => {
      for (let i = 0; writing && i < 5_000; i += 1) {
        writes.push(await writeOutcome((i + worker) % 2 === 0));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await database.stop();
    const outageStarted = Date.now();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    writing = false;
    await Promise.all(writers);
    const duringOutage = writes.filter((outcome) => outcome !== 'ok');
    const callsDuringOutage = calls.ok;
    expect(serve.exitCode, stderr).toBeNull();

    await database.start();
    const back = Date.now();
    await eventually(async () => (await writeOutcome(true)) === 'ok', 30_000, 'an admin write after the database returned');
    const recoveryMs = Date.now() - back;
    await eventually(listening, 30_000, 'the change feed listening again');
    const listenMs = Date.now() - back;
    calling = false;
    await loop;

    console.log(`database outage: ${calls.ok} calls answered (${callsDuringOutage} until the database came back), write recovery ${recoveryMs} ms, LISTEN again after ${listenMs} ms`);
    expect(serve.exitCode, stderr).toBeNull();
    expect(stderr).not.toMatch(/Unhandled|uncaught/i);
    expect(calls.failed).toEqual([]);
    expect(callsDuringOutage).toBeGreaterThan(OUTAGE_MS / (CALL_EVERY_MS * 4));
    expect(Date.now() - outageStarted).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(duringOutage.length).toBeGreaterThan(10);
    for (const outcome of duringOutage) {
      expect(outcome).toBeInstanceOf(ApiError);
      expect(outcome).toMatchObject({ status: 503, code: 'unavailable' });
      expect((outcome as ApiError).message).toMatch(/database is unreachable/);
    }
    // The switch written last is the one in force.
    expect((await api.getTool('everything__get-tiny-image')).enabled).toBe(true);
  }, 120_000);
});
