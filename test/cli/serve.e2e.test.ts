// End to end: `canopy serve` as a user runs it — prints the endpoint, answers the CLI, stops
// cleanly on SIGTERM, and explains a taken port.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, runCli, spawnCli, waitForOutput } from './run-cli.ts';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'canopy-serve-e2e-'));
  const { CANOPY_REGISTRY: _r, CANOPY_PORT: _p, CANOPY_DB_PATH: _d, DATABASE_URL: _u, CANOPY_MODE: _m, ...base } = process.env;
  env = { ...base, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exitOf(child: ReturnType<typeof spawnCli>, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('canopy serve', () => {
  it('serves, answers the CLI, keeps data in the data dir, stops on SIGTERM', async () => {
    const child = spawnCli(['serve', '--port', '0'], env);
    try {
      const [, url] = await waitForOutput(child, /MCP endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)\/mcp/);
      const status = await runCli(['--registry', url, 'status', '--json'], env);
      expect(status.code).toBe(0);
      const view = JSON.parse(status.stdout) as { mcpUrl: string; store: { kind: string; description: string } };
      expect(view.mcpUrl).toBe(`${url}/mcp`);
      expect(view.store.description).toContain(join(dir, 'data', 'canopy', 'canopy.db'));
      const exited = exitOf(child, 20_000);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('explains a taken port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(['serve', '--port', String(port), '--db', join(dir, 'taken.db')], env);
      expect(result.code).toBe(1);
      expect(errorOf(result)).toBe(`error: port ${port} is in use: stop the other process or pick another with --port`);
    } finally {
      blocker.close();
    }
  });

  it('rejects bad settings before starting', async () => {
    const result = await runCli(['serve', '--port', 'abc'], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('error: --port: "abc" is not a port number (0-65535; 0 picks a free one)');
  });
});
