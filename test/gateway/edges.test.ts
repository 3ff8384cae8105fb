// The gateway's edges: DNS-rebinding protection, malformed and oversized requests, bad configs,
// sessions, crash recovery and shutdown without orphans — and the same registry on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { execFileSync } from 'node:child_process';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, eventually, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { ApiError } from '../../main/core/api/client.ts';
import { processAlive } from '../../main/core/upstream/process-group.ts';

/** A raw HTTP request, so Host can be set to anything (fetch does not allow it). */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('gateway edges', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
  }, 60_000);
  afterAll(async () => t?.close());

  it('refuses a foreign Host or Origin (DNS rebinding) on every endpoint', async () => {
    for (const path of ['/mcp', '/api/v0/servers', '/health', '/sse']) {
      const host = await raw(`${t.url}${path}`, { headers: { host: 'evil.example:7450' } });
      expect(host.status, path).toBe(403);
      expect(host.body).toMatch(/Host 'evil.example:7450' is not allowed/);
    }
    const origin = await raw(`${t.url}/mcp`, { method: 'POST', headers: { ...mcpHeaders, origin: 'http://evil.example' }, body: initialize });
    expect(origin.status).toBe(403);
    const fine = await raw(`${t.url}/health`, { headers: { host: `localhost:${new URL(t.url).port}`, origin: 'http://127.0.0.1:5173' } });
    expect(fine.status).toBe(200);
  });

  it('refuses admin API writes from another local page (CSRF), allows its own pages and the CLI', async () => {
    const port = new URL(t.url).port;
    const body = JSON.stringify({ config: { name: 'csrf', transport: 'stdio', command: 'sh', args: ['-c', 'true'] } });
    const attack = await raw(`${t.url}/api/v0/servers`, {
      method: 'POST',
      headers: { host: `127.0.0.1:${port}`, origin: 'http://localhost:3000', 'content-type': 'text/plain' },
      body,
    });
    expect(attack.status).toBe(403);
    expect(attack.body).toMatch(/admin API changes from 'http:\/\/localhost:3000' are not allowed/);
    const disable = await raw(`${t.url}/api/v0/servers/everything/disable`, { method: 'POST', headers: { host: `127.0.0.1:${port}`, origin: 'http://127.0.0.1:8080' } });
    expect(disable.status).toBe(403);
    expect((await t.api.getServer('everything')).enabled).toBe(true);
    const reads = await raw(`${t.url}/api/v0/servers`, { headers: { host: `127.0.0.1:${port}`, origin: 'http://localhost:3000' } });
    expect(reads.status).toBe(200);
    const own = await raw(`${t.url}/api/v0/servers/everything/logs`, { headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` } });
    expect(own.status).toBe(200);
    expect(await t.api.listServers()).toHaveLength(1);
  });

  it('answers malformed JSON with a JSON-RPC parse error and keeps running', async () => {
    const response = await raw(`${t.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: '{"jsonrpc": "2.0", "id": 1, "meth' });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe(-32700);
    const notRpc = await raw(`${t.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: '{"hello": "world"}' });
    expect(notRpc.status).toBe(400);
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });

  it('refuses oversized bodies', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    const response = await fetch(`${t.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: big });
    expect(response.status).toBe(413);
    const api = await fetch(`${t.url}/api/v0/servers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(api.status).toBe(413);
  });

  it('answers an unknown session with 404', async () => {
    const response = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-session-id': 'no-such-session', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
  });

  it('ends a session on DELETE and then answers it with 404', async () => {
    const init = await fetch(`${t.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: initialize });
    const session = init.headers.get('mcp-session-id')!;
    await init.text();
    const headers = { ...mcpHeaders, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect((await fetch(`${t.url}/mcp`, { method: 'POST', headers, body: list })).status).toBe(200);
    expect((await fetch(`${t.url}/mcp`, { method: 'DELETE', headers })).status).toBe(200);
    expect((await fetch(`${t.url}/mcp`, { method: 'POST', headers, body: list })).status).toBe(404);
  });

  it('refuses an unsupported MCP-Protocol-Version', async () => {
    const init = await fetch(`${t.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: initialize });
    const session = init.headers.get('mcp-session-id')!;
    await init.text();
    const response = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-session-id': session, 'mcp-protocol-version': '1999-01-01' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    expect(response.status).toBe(400);
  });

  it('rejects bad configs with one clear error naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'bad name!', url: 'http://127.0.0.1:1/mcp' }, /field 'name' may contain only letters/],
      [{ name: 'a__b', url: 'http://127.0.0.1:1/mcp' }, /field 'name' must not contain "__"/],
      [{ name: 'trailing_', url: 'http://127.0.0.1:1/mcp' }, /field 'name' must not end in "_"/],
      [{ name: 'nourl', transport: 'streamable_http' }, /field 'url' is required/],
      [{ name: 'badurl', url: 'ftp://x' }, /field 'url' must be an http/],
      [{ name: 'nocmd', transport: 'stdio' }, /field 'command' is required/],
      [{ name: 'typo', url: 'http://127.0.0.1:1/mcp', bearer: 'x' }, /unknown field 'bearer'/],
      [{ name: 'mixed', command: 'node', url: 'http://127.0.0.1:1/mcp' }, /field 'url' is not used by a stdio server/],
    ];
    for (const [config, message] of cases) {
      const error = await t.api.registerServer({ config: config as never }).catch((e: ApiError) => e);
      expect(error, JSON.stringify(config)).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('bad_request');
      expect((error as ApiError).message).toMatch(message);
    }
    const body = await fetch(`${t.url}/api/v0/servers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'nope' });
    expect(body.status).toBe(400);
    expect((await body.json()).error).toEqual({ code: 'bad_request', message: 'the request body is not valid JSON' });
  });

  it('restarts a crashed stdio server and calls work again', async () => {
    const before = await t.api.getServer('everything');
    const pid = before.state.pid!;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await eventually(async () => (await t.api.getServer('everything')).state.crashes >= 1, 10_000, 'crash noticed');
    const after = await eventually(async () => {
      const s = await t.api.getServer('everything');
      return s.state.status === 'running' && s.state.pid !== pid ? s : undefined;
    }, 20_000, 'restart');
    expect(after.state.crashes).toBeGreaterThanOrEqual(1);
    const client = await t.connect();
    const result = (await client.callTool({ name: 'everything__echo', arguments: { message: 'back' } })) as CallToolResult;
    expect(result.content[0]).toMatchObject({ text: 'Echo: back' });
  });

  it('leaves no process running when a server is enabled and at once disabled', async () => {
    const marker = `race-marker-${process.pid}`;
    const config = stdioConfigs.everything('racer');
    await t.api.registerServer({ config: { ...config, args: [...config.args, marker] }, enabled: false });
    const running = () => execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((line) => line.includes(marker)).length;
    for (let round = 0; round < 5; round += 1) {
      await t.api.setServerEnabled('racer', true);
      await t.api.setServerEnabled('racer', false);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await t.api.getServer('racer')).state.status).toBe('stopped');
    expect(running()).toBe(0);
    await t.api.deregisterServer('racer');
  });

  it('serves the stderr log of a server', async () => {
    const { lines } = await t.api.serverLogs('everything');
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('idle sessions', () => {
  it('closes a session that went quiet, and keeps one that holds its GET stream open', async () => {
    const t = await startTestGateway({ idleSessionMs: 1_000 });
    try {
      const open = async () => {
        const init = await fetch(`${t.url}/mcp`, { method: 'POST', headers: mcpHeaders, body: initialize });
        await init.text();
        return { ...mcpHeaders, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
      };
      const quiet = await open();
      const listening = await open();
      const stream = new AbortController();
      const get = await fetch(`${t.url}/mcp`, { headers: { ...listening, accept: 'text/event-stream' }, signal: stream.signal });
      expect(get.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      expect((await fetch(`${t.url}/mcp`, { method: 'POST', headers: quiet, body: list })).status).toBe(404);
      expect((await fetch(`${t.url}/mcp`, { method: 'POST', headers: listening, body: list })).status).toBe(200);
      stream.abort();
    } finally {
      await t.close();
    }
  });
});

describe('shutdown', () => {
  it('leaves no child process behind', async () => {
    const t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
    await t.api.registerServer({ config: stdioConfigs.memory() });
    const pids = (await t.api.listServers()).map((s) => s.state.pid!);
    expect(pids.every((pid) => pid > 0 && processAlive(pid))).toBe(true);
    await t.close();
    await eventually(() => pids.every((pid) => !processAlive(pid)), 10_000, 'children gone');
  });
});

describe('the same registry on PostgreSQL', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ storeKind: 'postgres' });
  }, 60_000);
  afterAll(async () => t?.close());

  it('registers, toggles, serves and deregisters', async () => {
    await t.api.registerServer({ config: stdioConfigs.memory() });
    const client = await t.connect();
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('memory__read_graph');
    await t.api.setToolEnabled('memory__read_graph', false);
    expect((await t.api.listTools()).find((tool) => tool.name === 'memory__read_graph')?.enabled).toBe(false);
    await t.api.deregisterServer('memory');
    expect(await t.api.listServers()).toEqual([]);
    await expect(t.api.getServer('memory')).rejects.toMatchObject({ code: 'not_found' });
  });
});
