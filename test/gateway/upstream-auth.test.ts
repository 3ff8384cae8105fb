// Upstream authentication through the whole gateway: OAuth registration (the browser played by
// fetch), refresh failure → needs authorization → re-authorize; bearer and header precedence; stdio
// env; and secrets that never reach the database file, the logs, exports or API responses.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, eventually, type TestGateway } from '../support/gateway.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { createLogger } from '../../main/core/telemetry/logger.ts';
import { REDACTED } from '../../main/core/api/contract.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

/** The browser: follow the authorization server's redirect back to the gateway's /oauth/callback. */
async function approveInBrowser(authorizationUrl: string): Promise<Response> {
  const approval = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(approval.status).toBe(302);
  const callback = approval.headers.get('location')!;
  expect(new URL(callback).pathname).toBe('/oauth/callback');
  return fetch(callback);
}

describe.each(['streamable_http', 'sse'] as const)('OAuth upstream over %s through the gateway', (transport) => {
  let t: TestGateway;
  let upstream: ProtectedMcpServer;

  beforeAll(async () => {
    t = await startTestGateway();
    upstream = await startProtectedMcpServer();
    await t.api.registerServer({ config: stdioConfigs.memory('bystander') });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  const url = () => (transport === 'sse' ? upstream.sseUrl : upstream.mcpUrl);

  it('registers: 401 → authorization URL → callback → running with its tools', async () => {
    const result = await t.api.registerServer({ config: { name: 'todo', transport, url: url() } });
    expect(result.authorizationUrl).toBeDefined();
    expect(result.server.state.status).toBe('needs_authorization');
    const authorization = new URL(result.authorizationUrl!);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('resource')).toBe(url());
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${t.url}/oauth/callback`);

    const page = await approveInBrowser(result.authorizationUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Server (&#39;|')todo(&#39;|') is authorized/);

    await eventually(async () => (await t.api.getServer('todo')).state.status === 'running', 15_000, 'todo running');
    const client = await t.connect();
    expect(text(await client.callTool({ name: 'todo__echo', arguments: { text: 'authorized' } }))).toContain('authorized');
    expect(upstream.authServer.counters.registrations).toBeGreaterThanOrEqual(1);
  });

  it('refuses a callback with a wrong state', async () => {
    const response = await fetch(`${t.url}/oauth/callback?state=forged&code=abc`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/state/i);
  });

  it('goes to "needs authorization" when refresh is impossible, and `authorize` restores it', async () => {
    upstream.authServer.failRefresh = true;
    upstream.authServer.revokeAccessTokens();
    const client = await t.connect();
    await expect(client.callTool({ name: 'todo__echo', arguments: { text: 'x' } })).rejects.toThrow();
    const state = await eventually(async () => {
      const server = await t.api.getServer('todo');
      return server.state.status === 'needs_authorization' ? server.state : undefined;
    }, 15_000, 'needs_authorization');
    expect(state.lastError).toMatch(/canopy authorize todo/);
    await eventually(async () => !(await client.listTools()).tools.some((tool) => tool.name.startsWith('todo__')), 5_000, 'tools gone');
    // Nothing else is affected.
    expect((await t.api.getServer('bystander')).state.status).toBe('running');
    expect((await client.listTools()).tools.some((tool) => tool.name === 'bystander__read_graph')).toBe(true);

    upstream.authServer.failRefresh = false;
    const { authorizationUrl } = await t.api.authorizeServer('todo');
    expect((await approveInBrowser(authorizationUrl)).status).toBe(200);
    await eventually(async () => (await t.api.getServer('todo')).state.status === 'running', 15_000, 'running again');
    expect(text(await client.callTool({ name: 'todo__echo', arguments: { text: 'back' } }))).toContain('back');
  });

  it('forgets the tokens on deregister', async () => {
    await t.api.deregisterServer('todo');
    await expect(t.api.getServer('todo')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('static credentials and secrets', () => {
  let t: TestGateway;
  let recorder: RecordingServer;
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk) => (logText += chunk));

  beforeAll(async () => {
    t = await startTestGateway({ logger: createLogger({ level: 'debug', destination: logs }) });
    recorder = await startRecordingServer();
  }, 60_000);
  afterEach(() => {
    recorder.requests.length = 0;
  });
  afterAll(async () => {
    await t?.close();
    await recorder?.close();
  });

  const lastAuthorization = () => recorder.requests.filter((r) => r.method === 'POST').map((r) => r.headers)[0];

  it.each(['streamable_http', 'sse'] as const)('sends bearer_token and custom headers over %s', async (transport) => {
    const name = `bearer-${transport.replace('_', '-')}`;
    await t.api.registerServer({
      config: { name, transport, url: recorder.url(transport), bearer_token: 'tok-bearer-1', headers: { 'X-Custom-Header': 'custom-1' } },
    });
    const headers = lastAuthorization();
    expect(headers.authorization).toBe('Bearer tok-bearer-1');
    expect(headers['x-custom-header']).toBe('custom-1');
  });

  it.each(['streamable_http', 'sse'] as const)('lets headers.Authorization win over bearer_token over %s, and says so', async (transport) => {
    const name = `header-wins-${transport.replace('_', '-')}`;
    const result = await t.api.registerServer({
      config: { name, transport, url: recorder.url(transport), bearer_token: 'tok-loses', headers: { authorization: 'token tok-wins' } },
    });
    expect(result.warnings.join(' ')).toMatch(/Authorization overrides bearer_token/i);
    expect(lastAuthorization().authorization).toBe('token tok-wins');
  });

  it('keeps stored secrets when an edit sends back the redacted values', async () => {
    await t.api.registerServer({ config: { name: 'edited', url: recorder.url('streamable_http'), bearer_token: 'tok-kept' } });
    const shown = await t.api.getServer('edited');
    expect(shown.config.bearer_token).toBe(REDACTED);
    recorder.requests.length = 0;
    await t.api.registerServer({ config: { ...shown.config, description: 'edited in the UI' }, force: true });
    expect(lastAuthorization().authorization).toBe('Bearer tok-kept');
    expect((await t.api.getServer('edited')).description).toBe('edited in the UI');
    await expect(
      t.api.registerServer({ config: { name: 'fresh', url: recorder.url('streamable_http'), bearer_token: REDACTED } }),
    ).rejects.toThrow(/no value is stored for it/);
  });

  it('shows a lost secret as the server’s error, and registering it again with --force recovers', async () => {
    const config = { name: 'lost', url: recorder.url('streamable_http'), bearer_token: 'tok-lost-1' };
    await t.api.registerServer({ config });
    const store = new FileSecretStore(t.dataDir);
    for (const { ref } of await store.entries()) if (ref.startsWith('server/lost/')) await store.delete(ref);
    await t.api.restartServer('lost');
    const broken = await t.api.getServer('lost');
    expect(broken.state.status).toBe('error');
    expect(broken.state.lastError).toMatch(/secret for server 'lost' field 'bearer_token' is missing/);
    recorder.requests.length = 0;
    await t.api.registerServer({ config: { ...config, bearer_token: 'tok-lost-2' }, force: true });
    expect((await t.api.getServer('lost')).state.status).toBe('running');
    expect(lastAuthorization().authorization).toBe('Bearer tok-lost-2');
  });

  it("passes env to a stdio child over the gateway environment, without Canopy's own secrets", async () => {
    process.env.CANOPY_SECRET_KEY = 'gateway-master-key-never-for-children';
    try {
      await t.api.registerServer({ config: { ...stdioConfigs.everything('envcheck'), env: { CHILD_SECRET: 'env-secret-42' } } });
      const result = text(await t.api.invokeTool('envcheck__get-env', {}));
      expect(result).toContain('env-secret-42');
      expect(result).toContain('PATH');
      expect(result).not.toContain('gateway-master-key-never-for-children');
    } finally {
      delete process.env.CANOPY_SECRET_KEY;
    }
  });

  it('keeps every secret out of the database file, the logs, exports and API responses', async () => {
    const secrets = ['tok-bearer-1', 'custom-1', 'tok-loses', 'tok-wins', 'env-secret-42', 'tok-kept', 'tok-lost-2'];
    const location = (await t.api.status()).store.description.replace(/^SQLite at /, '');
    const dbBytes = ['', '-wal', '-shm']
      .map((suffix) => location + suffix)
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path).toString('latin1'))
      .join('\n');
    expect(dbBytes.length).toBeGreaterThan(0);
    const api = JSON.stringify([await t.api.listServers(), await t.api.exportServers()]);
    for (const secret of secrets) {
      expect(dbBytes, `database holds ${secret}`).not.toContain(secret);
      expect(logText, `log holds ${secret}`).not.toContain(secret);
      expect(api, `API holds ${secret}`).not.toContain(secret);
    }
    const exported = (await t.api.exportServers()).servers.find((s) => s.name === 'bearer-streamable-http')!;
    expect(exported.bearer_token).toMatch(/^\$\{[A-Z0-9_]+\}$/);
  });
});
