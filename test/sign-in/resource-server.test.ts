// Canopy's MCP endpoints as OAuth protected resources (enterprise mode with a public URL):
// protected-resource metadata for every endpoint, the 401/403 challenges, JWT access tokens checked
// for issuer, audience (the exact endpoint URL), signature, expiry, type, scope and user, what a token
// reaches (the user's allow-list met with the client's rule), private caching of lists, static tokens
// beside OAuth, and no token reaching an upstream. Tokens are real ES256 JWTs from a loopback issuer
// Canopy discovers as its (external) authorization server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverOAuthProtectedResourceMetadata, discoverOAuthServerInfo } from '@modelcontextprotocol/client';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freePort, stdioConfigs } from '../support/upstreams.ts';
import { startDualEraServer, type DualEraServer } from '../support/dual-era-server.ts';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.ts';
import { rawInitialize, rawApi, startEnterprise, type EnterpriseGateway } from '../enterprise/support.ts';
import { startTokenIssuer, type TokenIssuer } from './token-issuer.ts';

const names = (items: { name: string }[]) => items.map((item) => item.name).sort();

/** A 2026-07-28 list request (stateless: `_meta` envelope and headers), answered as JSON or one SSE message. */
async function modernList(url: string, method: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  const json = text.trimStart().startsWith('{') ? text : text.split('\n').filter((line) => line.startsWith('data:')).at(-1)!.slice(5);
  return (JSON.parse(json) as { result: Record<string, unknown> }).result;
}

/** A GET with a Host header of our choosing (fetch does not let a page set it either). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('MCP endpoints as OAuth protected resources', () => {
  let issuer: TokenIssuer;
  let t: EnterpriseGateway;
  let publicUrl: string;
  let dual: DualEraServer;
  let recording: RecordingServer;
  let memoryTools: string[];
  const token = (path: string, claims: { sub?: string; client_id?: string; scope?: string } = {}, options = {}) =>
    issuer.sign({ sub: 'alice', aud: `${publicUrl}${path}`, client_id: 'claude', ...claims }, options);

  beforeAll(async () => {
    issuer = await startTokenIssuer();
    dual = await startDualEraServer({ publicLists: true });
    recording = await startRecordingServer();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    t = await startEnterprise({ port, publicUrl, settingsEnv: { CANOPY_AUTH_ISSUER: issuer.url } });
    const admin = t.apiAs(t.adminToken);
    const dir = mkdtempSync(join(tmpdir(), 'canopy-rs-'));
    for (const name of ['a', 'b', 'c']) await admin.registerServer({ config: stdioConfigs.memory(name, join(dir, `${name}.jsonl`)) });
    await admin.registerServer({ config: { name: 'dual', url: dual.url } });
    await admin.registerServer({ config: { name: 'rec', url: recording.url('streamable_http') } });
    await eventually(async () => (await admin.getServer('dual')).protocolEra === 'modern', 15_000, 'the modern verdict');
    memoryTools = (await admin.listTools()).filter((tool) => tool.server === 'a').map((tool) => tool.originalName).sort();
    await admin.createUser({ name: 'alice', allow: ['a', 'b', 'dual', 'rec'] });
    await admin.createUser({ name: 'bob' });
    await admin.createOAuthClientRule({ clientId: 'claude', allow: ['b', 'c', 'dual', 'rec'], description: 'Claude' });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await dual?.close();
    await recording?.close();
    await issuer?.close();
  });

  it('serves protected-resource metadata for every endpoint, from the public URL, readable from any origin', async () => {
    const endpoints = ['/mcp', '/mcp/search', '/servers/a/mcp', '/servers/not-registered/mcp', '/groups/g/mcp', '/groups/g/mcp/search', '/sse'];
    for (const path of ['', ...endpoints]) {
      const response = await fetch(`${t.url}/.well-known/oauth-protected-resource${path}`, { headers: { origin: 'https://claude.ai' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(await response.json()).toMatchObject({
        resource: `${publicUrl}${path || '/mcp'}`,
        authorization_servers: [issuer.url],
        scopes_supported: ['mcp'],
        bearer_methods_supported: ['header'],
      });
    }
    const preflight = await fetch(`${t.url}/.well-known/oauth-protected-resource/mcp`, {
      method: 'OPTIONS',
      headers: { origin: 'https://claude.ai', 'access-control-request-method': 'GET', 'access-control-request-headers': 'mcp-protocol-version' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('mcp-protocol-version');
    expect((await fetch(`${t.url}/.well-known/oauth-protected-resource/api/v0/servers`)).status).toBe(404);
    expect((await fetch(`${t.url}/.well-known/oauth-protected-resource/messages`)).status).toBe(404);
    // The Host check stays: a rebinding page cannot read it under its own name.
    expect(await getWithHost(`${t.url}/.well-known/oauth-protected-resource/mcp`, 'evil.example')).toBe(403);
  });

  it("lets the MCP SDK client's discovery find the authorization server through the metadata", async () => {
    const metadata = await discoverOAuthProtectedResourceMetadata(`${publicUrl}/servers/b/mcp`);
    expect(metadata.resource).toBe(`${publicUrl}/servers/b/mcp`);
    const info = await discoverOAuthServerInfo(`${publicUrl}/servers/b/mcp`);
    expect(info.authorizationServerUrl).toBe(issuer.url);
    expect(info.authorizationServerMetadata?.issuer).toBe(issuer.url);
  });

  it('answers 401 with a challenge naming the endpoint’s metadata; with the error when a token was sent', async () => {
    const metadataUrl = (path: string) => `${publicUrl}/.well-known/oauth-protected-resource${path}`;
    for (const path of ['/mcp', '/servers/a/mcp', '/servers/not-registered/mcp', '/groups/g/mcp/search']) {
      const response = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl(path)}", scope="mcp"`);
    }
    const sse = await fetch(`${t.url}/sse`);
    expect(sse.status).toBe(401);
    expect(sse.headers.get('www-authenticate')).toContain(`resource_metadata="${metadataUrl('/sse')}"`);
    const messages = await fetch(`${t.url}/messages?sessionId=x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(messages.headers.get('www-authenticate')).toContain(`resource_metadata="${metadataUrl('/sse')}"`);
    const bad = await rawInitialize(t.url, '/mcp', 'cnp_not-a-real-token');
    expect(bad.status).toBe(401);
    const challenge = (await fetch(`${t.url}/mcp`, { method: 'POST', headers: { authorization: 'Bearer nope' } })).headers.get('www-authenticate');
    expect(challenge).toMatch(/^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="[^"]+\/mcp", scope="mcp"$/);
  });

  it('refuses tokens for another endpoint, from another issuer, badly signed, expired, of another type, or without the scope', async () => {
    const refused = async (path: string, bearer: string) => {
      const { status, body } = await rawInitialize(t.url, path, bearer);
      return { status, message: (body as { error: { message: string } }).error.message };
    };
    const forA = await token('/servers/a/mcp');
    expect(await refused('/servers/b/mcp', forA)).toEqual({ status: 401, message: expect.stringContaining('issued for another resource') });
    expect(await refused('/mcp', forA)).toEqual({ status: 401, message: expect.stringContaining('issued for another resource') });
    expect(await refused('/mcp/search', await token('/mcp'))).toMatchObject({ status: 401 });
    expect(await refused('/mcp', await token('/mcp', {}, { issuer: 'https://other.example.com' }))).toEqual({
      status: 401,
      message: expect.stringContaining(`not issued by ${issuer.url}`),
    });
    expect(await refused('/mcp', await token('/mcp', {}, { foreignKey: true }))).toEqual({ status: 401, message: expect.stringContaining('not signed by') });
    expect(await refused('/mcp', await token('/mcp', {}, { expiresInSeconds: -60 }))).toEqual({ status: 401, message: expect.stringContaining('expired') });
    expect(await refused('/mcp', await token('/mcp', {}, { typ: 'secevent+jwt' }))).toEqual({ status: 401, message: expect.stringContaining('not an OAuth access token') });

    const noScope = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('/mcp', { scope: 'openid' })}` },
      body: '{}',
    });
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope", .*scope="mcp"$/);
  });

  it('takes an external issuer’s access tokens typed JWT with scopes in scp, as Keycloak, Entra ID and Okta issue them', async () => {
    const keycloakStyle = await issuer.sign({ sub: 'alice', aud: `${publicUrl}/mcp`, client_id: 'claude', scope: undefined, scp: ['mcp', 'profile'] }, { typ: 'JWT' });
    expect((await rawInitialize(t.url, '/mcp', keycloakStyle)).status).toBe(200);
    const idTokenLike = await issuer.sign({ sub: 'alice', aud: 'claude', client_id: 'claude' }, { typ: 'JWT' });
    expect((await rawInitialize(t.url, '/mcp', idTokenLike)).status).toBe(401);
  });

  it('refuses a token whose user is not a Canopy user, is disabled, or was deleted', async () => {
    const stranger = await rawInitialize(t.url, '/mcp', await token('/mcp', { sub: 'mallory' }));
    expect(stranger.status).toBe(403);
    expect(JSON.stringify(stranger.body)).toContain("'mallory' is not a user of this gateway");
    const admin = t.apiAs(t.adminToken);
    await admin.createUser({ name: 'carol' });
    const carolToken = await token('/servers/b/mcp', { sub: 'carol' });
    const client = await t.connect('/servers/b/mcp', {}, carolToken);
    expect(names((await client.listTools()).tools)).toEqual(memoryTools);
    await admin.updateUser('carol', { disabled: true });
    const disabled = await rawInitialize(t.url, '/servers/b/mcp', carolToken);
    expect(disabled.status).toBe(403);
    expect(JSON.stringify(disabled.body)).toContain("user 'carol' is disabled");
    await expect(client.listTools()).rejects.toThrow();
    await admin.updateUser('carol', { disabled: false });
    expect((await rawInitialize(t.url, '/servers/b/mcp', carolToken)).status).toBe(200);
    await admin.deleteUser('carol');
    expect((await rawInitialize(t.url, '/servers/b/mcp', carolToken)).status).toBe(403);
    // A later user of the name does not inherit the earlier one's tokens (iat is in whole seconds).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await admin.createUser({ name: 'carol' });
    expect((await rawInitialize(t.url, '/servers/b/mcp', carolToken)).status).toBe(403);
    expect((await rawInitialize(t.url, '/servers/b/mcp', await token('/servers/b/mcp', { sub: 'carol' }))).status).toBe(200);
  });

  it("reaches what the user's allow-list and the client's rule both allow, on lists, calls and endpoints", async () => {
    const all = await t.connect('/mcp', {}, await token('/mcp'));
    expect(names((await all.listTools()).tools).filter((name) => /^[abc]__/.test(name))).toEqual(memoryTools.map((name) => `b__${name}`));
    expect((await all.callTool({ name: 'b__read_graph', arguments: {} })).isError).toBeFalsy();
    await expect(all.callTool({ name: 'a__read_graph', arguments: {} })).rejects.toThrow(/not allowed/);
    await expect(all.callTool({ name: 'c__read_graph', arguments: {} })).rejects.toThrow(/not allowed/);

    const onA = await rawInitialize(t.url, '/servers/a/mcp', await token('/servers/a/mcp'));
    expect(onA.status).toBe(403);
    expect(JSON.stringify(onA.body)).toContain("user 'alice' through OAuth client 'claude' may not use server 'a'");
    expect((await rawInitialize(t.url, '/servers/c/mcp', await token('/servers/c/mcp'))).status).toBe(403);
    expect((await rawInitialize(t.url, '/servers/b/mcp', await token('/servers/b/mcp'))).status).toBe(200);

    // A client without a rule gets the user's own list, until unlisted clients are refused.
    const other = await t.connect('/mcp', {}, await token('/mcp', { client_id: 'https://other.example/client.json' }));
    const otherNames = names((await other.listTools()).tools).filter((name) => /^[abc]__/.test(name));
    expect(otherNames).toEqual([...memoryTools.map((name) => `a__${name}`), ...memoryTools.map((name) => `b__${name}`)].sort());
    const admin = t.apiAs(t.adminToken);
    await admin.setUnlistedOAuthClients('refuse');
    try {
      const refused = await rawInitialize(t.url, '/mcp', await token('/mcp', { client_id: 'https://other.example/client.json' }));
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).toContain('canopy create oauth-client-rule https://other.example/client.json');
    } finally {
      await admin.setUnlistedOAuthClients('allow');
    }

    // A change to the user's list reaches the open session.
    await admin.updateUser('alice', { allow: ['a', 'dual', 'rec'] });
    try {
      await eventually(async () => names((await all.listTools()).tools).every((name) => !/^[abc]__/.test(name)), 10_000, 'b to leave the list');
    } finally {
      await admin.updateUser('alice', { allow: ['a', 'b', 'dual', 'rec'] });
    }
  });

  it('serves the legacy SSE transport to a token for /sse, whose /messages posts take the same token', async () => {
    const sse = await t.connectSse({}, await token('/sse'));
    expect((await sse.callTool({ name: 'b__read_graph', arguments: {} })).isError).toBeFalsy();
    await expect(t.connectSse({}, await token('/mcp'))).rejects.toThrow();
  });

  it('records OAuth calls in the audit log as the user through the client', async () => {
    const client = await t.connect('/servers/b/mcp', {}, await token('/servers/b/mcp'));
    await client.callTool({ name: 'read_graph', arguments: {} });
    const audit = await eventually(async () => {
      const entries = (await rawApi(t.url, 'GET', '/audit?server=b', t.adminToken)).body as { actorKind: string; actor: string; action: string }[];
      return entries.find((entry) => entry.action === 'tool.call' && entry.actor === 'alice via claude');
    });
    expect(audit.actorKind).toBe('user');
  });

  it('marks 2026 lists answered to an OAuth caller private, on the aggregate and through a 2026 server’s own endpoint', async () => {
    for (const method of ['tools/list', 'resources/list']) {
      expect((await modernList(`${t.url}/mcp`, method, await token('/mcp'))).cacheScope, method).toBe('private');
    }
    for (const method of ['tools/list', 'resources/list']) {
      const result = await modernList(`${t.url}/servers/dual/mcp`, method, await token('/servers/dual/mcp'));
      expect(result.cacheScope, method).toBe('private');
    }
  });

  it('never passes the caller’s token to an upstream', async () => {
    const bearer = await token('/mcp');
    const client = await t.connect('/mcp', {}, bearer);
    await client.callTool({ name: 'rec__add-tool', arguments: {} });
    await client.callTool({ name: 'dual__echo', arguments: { text: 'hi' } });
    await modernList(`${t.url}/servers/dual/mcp`, 'tools/list', await token('/servers/dual/mcp'));
    expect(recording.requests.length).toBeGreaterThan(0);
    expect(recording.requests.filter((request) => request.headers.authorization !== undefined)).toEqual([]);
    expect(dual.requests.get('tools/list')).toBeGreaterThan(0);
    expect(dual.authorizations).toEqual([]);
  });

  it('keeps static tokens working beside OAuth: MCP client tokens as before, user tokens still refused on MCP endpoints', async () => {
    const admin = t.apiAs(t.adminToken);
    const { token: clientToken } = await admin.createClient({ name: 'ci', allow: ['c'] });
    const ci = await t.connect('/mcp', {}, clientToken);
    expect(names((await ci.listTools()).tools)).toEqual(memoryTools.map((name) => `c__${name}`));
    const { token: userToken } = await admin.createUser({ name: 'dave' });
    expect((await rawInitialize(t.url, '/mcp', userToken)).status).toBe(403);
  });
});

describe('protected-resource metadata of a gateway that is its own authorization server', () => {
  let t: TestGateway;
  let publicUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    t = await startTestGateway({ mode: 'enterprise', port, publicUrl, settingsEnv: {} });
    await t.api.init();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it("names the public URL as the authorization server, whose metadata the MCP SDK client's discovery then reads", async () => {
    const metadata = await discoverOAuthProtectedResourceMetadata(`${publicUrl}/groups/research/mcp`);
    expect(metadata).toEqual({
      resource: `${publicUrl}/groups/research/mcp`,
      authorization_servers: [publicUrl],
      scopes_supported: ['mcp'],
      bearer_methods_supported: ['header'],
      resource_name: 'Canopy: group research',
    });
    const info = await discoverOAuthServerInfo(`${publicUrl}/groups/research/mcp`);
    expect(info.authorizationServerMetadata?.issuer).toBe(publicUrl);
    const challenge = (await fetch(`${t.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).headers.get('www-authenticate');
    expect(challenge).toBe(`Bearer resource_metadata="${publicUrl}/.well-known/oauth-protected-resource/mcp", scope="mcp"`);
  });

  it('leaves a gateway without a public URL as it was: no metadata, a plain Bearer challenge', async () => {
    const plain = await startTestGateway({ mode: 'enterprise', settingsEnv: {} });
    try {
      await plain.api.init();
      expect((await fetch(`${plain.url}/.well-known/oauth-protected-resource/mcp`)).status).not.toBe(200);
      const response = await fetch(`${plain.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="canopy"');
    } finally {
      await plain.close();
    }
  });
});
