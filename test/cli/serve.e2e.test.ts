// End to end: `canopy serve` as a user runs it — prints the endpoint, answers the CLI, stops
// cleanly on SIGTERM, and explains a taken port.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, runCli, spawnCli, waitForOutput } from './run-cli.ts';
import { freePort } from '../support/upstreams.ts';

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

  it('shows the init token of an uninitialized enterprise gateway in its banner, never in the log', { timeout: 90_000 }, async () => {
    const child = spawnCli(['serve', '--port', '0', '--enterprise', '--db', join(dir, 'enterprise.db')], env);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const [, url, token] = await waitForOutput(child, /MCP endpoint:\s+(http:\/\/127\.0\.0\.1:\d+)\/mcp[\s\S]*--init-token (\S+)\n/);
      await expect.poll(() => stderr, { timeout: 10_000 }).toContain('not initialized');
      // Not a terminal: the log is JSON lines, and the secret is not in it.
      const logLines = stderr.split('\n').filter((line) => line.startsWith('{'));
      expect(logLines.some((line) => (JSON.parse(line) as { msg: string }).msg.includes('not initialized'))).toBe(true);
      expect(stderr).not.toContain(token);
      const wrong = await runCli(['--registry', url, 'init-server', '--init-token', 'not-the-token'], env);
      expect(wrong.code).toBe(1);
      const init = await runCli(['--registry', url, 'init-server', '--init-token', token], { ...env, XDG_CONFIG_HOME: join(dir, 'init-config') });
      expect(init.code, init.stderr).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('writes readable log lines with --log-format pretty and refuses an unknown format or level', { timeout: 90_000 }, async () => {
    const child = spawnCli(['serve', '--port', '0', '--db', join(dir, 'pretty.db'), '--log-format', 'pretty'], env);
    try {
      await waitForOutput(child, /\d\d:\d\d:\d\d INFO {2}Canopy is listening {2}url=http/);
    } finally {
      child.kill('SIGKILL');
    }
    const format = await runCli(['serve', '--log-format', 'xml'], env);
    expect(format.stderr.trim()).toBe('error: --log-format: "xml" is not one of json, pretty');
    const level = await runCli(['serve'], { ...env, CANOPY_LOG_LEVEL: 'loud' });
    expect(level.stderr.trim()).toMatch(/^error: CANOPY_LOG_LEVEL: "loud" is not a log level \(trace, debug/);
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
    const plainHttp = await runCli(['serve', '--port', '0', '--enterprise', '--db', join(dir, 'bad-url.db'), '--public-url', 'http://canopy.example.com'], env);
    expect(plainHttp.code).toBe(1);
    expect(plainHttp.stderr).toContain('--public-url must be an https URL (plain http only for loopback addresses)');
  });

  it('says where MCP clients sign in and where people log in, with a public URL', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    // The company IdP is only asked at the first login, so an unreachable one does not stop the start.
    const sso = { CANOPY_SSO_ISSUER: 'http://127.0.0.1:9/realms/acme', CANOPY_SSO_CLIENT_ID: 'canopy' };
    const child = spawnCli(['serve', '--port', String(port), '--enterprise', '--db', join(dir, 'sign-in.db'), '--public-url', publicUrl], { ...env, ...sso });
    try {
      await waitForOutput(child, /Sign-in:\s+OAuth at (\S+) [\s\S]*People log in: at (\S+)/);
      const metadata = (await (await fetch(`${publicUrl}/.well-known/oauth-protected-resource/mcp`)).json()) as { resource: string; authorization_servers: string[] };
      expect(metadata).toMatchObject({ resource: `${publicUrl}/mcp`, authorization_servers: [publicUrl] });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
