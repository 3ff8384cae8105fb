// UpstreamOAuth's authorization flow against a real authorization server and a protected MCP
// server: detection, discovery, DCR and pre-registered clients, PKCE, state and expiry.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamOAuth, type UpstreamOAuthOptions } from '../../main/core/upstream/oauth/upstream-oauth.ts';
import { startAuthorizationServer, startProtectedMcpServer, type RunningServer } from '../support/oauth-server.ts';
import { freePort } from '../support/upstreams.ts';
import { authorize, connect, echo, filesUnder, playBrowser, REDIRECT_URI, testSecretStore } from './helpers.ts';

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function track<T extends RunningServer>(server: Promise<T>): Promise<T> {
  running.push(await server);
  return running.at(-1) as T;
}

function service(options: Partial<UpstreamOAuthOptions> = {}) {
  const secrets = testSecretStore();
  return { secrets, oauth: new UpstreamOAuth({ secrets, redirectUri: REDIRECT_URI, requestTimeoutMs: 5000, ...options }) };
}

/** The authorization server a started flow sends the browser to. */
const authorizationOrigin = async (oauth: UpstreamOAuth, name: string, url: string, transport?: 'sse') =>
  new URL((await oauth.startAuthorization({ name, url, transport })).authorizationUrl).origin;

describe('discovery', () => {
  it('finds the authorization server of an upstream that answers 401 and advertises OAuth', async () => {
    const upstream = await track(startProtectedMcpServer());
    const { oauth } = service();
    expect(await authorizationOrigin(oauth, 'todo', upstream.mcpUrl)).toBe(upstream.url);
    expect(await authorizationOrigin(oauth, 'todo-sse', upstream.sseUrl, 'sse')).toBe(upstream.url);
  });

  it('falls back to OpenID discovery on the origin when there is no RFC 9728 metadata', async () => {
    const upstream = await track(startProtectedMcpServer({ resourceMetadata: false, authServerOptions: { discovery: 'oidc' } }));
    const { oauth } = service();
    // Without RFC 9728 metadata the resource is still the canonical server URL, and the flow works.
    expect(await authorize(oauth, { name: 'oidc', url: upstream.mcpUrl })).toEqual({ server: 'oidc' });
    expect(upstream.authServer.lastAuthorizationRequest?.get('resource')).toBe(upstream.mcpUrl);
    const client = await connect(upstream.mcpUrl, oauth.providerFor({ name: 'oidc', url: upstream.mcpUrl }));
    expect(await echo(client, 'hi')).toBe('echo: hi');
    await client.close();
  });

  it('says clearly when a 401 comes without OAuth, or with metadata that is not metadata', async () => {
    let junkMetadata = false;
    const plain = createServer((req, res) => {
      const junk = junkMetadata && req.url === '/.well-known/oauth-authorization-server';
      const status = req.url === '/locked' ? 401 : req.url === '/mcp' || junk ? 200 : 404;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    running.push({ url: '', close: () => new Promise<void>((resolve) => plain.close(() => resolve())) });
    const origin = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
    const { oauth } = service();
    await expect(oauth.startAuthorization({ name: 'plain', url: `${origin}/locked` })).rejects.toThrow(
      "server 'plain' does not advertise an OAuth authorization server",
    );
    // Metadata that is not metadata: one readable line, not a schema dump.
    junkMetadata = true;
    await expect(oauth.startAuthorization({ name: 'plain', url: `${origin}/locked?api_key=sekrit` })).rejects.toThrow(
      `cannot discover OAuth for ${origin}/locked: malformed metadata (issuer: Invalid input: expected string, received undefined)`,
    );
  });

  it('reports an unreachable upstream as an upstream error', async () => {
    const { oauth } = service();
    const closed = `http://127.0.0.1:${await freePort()}/mcp`;
    await expect(oauth.startAuthorization({ name: 'gone', url: closed })).rejects.toMatchObject({
      code: 'upstream_error',
      message: expect.stringContaining(`cannot discover OAuth for ${closed}: fetch failed (connect ECONNREFUSED`),
    });
  });
});

describe('authorization', () => {
  it('registers a client dynamically and sends PKCE S256, state, resource and scopes', async () => {
    const upstream = await track(startProtectedMcpServer());
    const { oauth, secrets } = service();
    const { authorizationUrl } = await oauth.startAuthorization({ name: 'todo', url: upstream.mcpUrl });
    const sent = new URL(authorizationUrl).searchParams;
    expect(upstream.authServer.counters.registrations).toBe(1);
    expect(sent.get('client_id')).toMatch(/^dyn-/);
    expect(sent.get('code_challenge_method')).toBe('S256');
    expect(sent.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(sent.get('state')).toMatch(/^[\w-]{43}$/);
    expect(sent.get('resource')).toBe(upstream.mcpUrl);
    expect(sent.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(sent.get('scope')).toBe('mcp:tools'); // from the RFC 9728 metadata's scopes_supported

    const callback = await playBrowser(authorizationUrl);
    expect(callback.redirectedTo.origin + callback.redirectedTo.pathname).toBe(REDIRECT_URI);
    expect(await oauth.completeAuthorization(callback)).toEqual({ server: 'todo' });
    expect((await secrets.entries()).map(({ ref }) => ref).sort()).toEqual(['oauth/todo/client', 'oauth/todo/tokens']);
    // The tokens are in the store, encrypted: no file holds them in plaintext.
    const tokens = JSON.parse((await secrets.get('oauth/todo/tokens'))!) as { access_token: string; refresh_token: string };
    expect(tokens.access_token).toMatch(/^at-/);
    for (const text of filesUnder(secrets.dir)) {
      expect(text).not.toContain(tokens.access_token);
      expect(text).not.toContain(tokens.refresh_token);
    }

    const client = await connect(upstream.mcpUrl, oauth.providerFor({ name: 'todo', url: upstream.mcpUrl }));
    expect(await echo(client, 'hello')).toBe('echo: hello');
    await client.close();

    // Authorizing again reuses the client Canopy registered.
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    expect(upstream.authServer.counters.registrations).toBe(1);
  });

  it('uses a pre-registered confidential client when registration is off', async () => {
    const upstream = await track(startProtectedMcpServer({ authServerOptions: { dynamicRegistration: false } }));
    upstream.authServer.addClient({ client_id: 'canopy-admin', client_secret: 's3cret', redirect_uris: [REDIRECT_URI] });
    const { oauth } = service();
    const server = { name: 'corp', url: upstream.mcpUrl, oauth_client_id: 'canopy-admin', oauth_client_secret: 's3cret', oauth_scopes: ['mcp:read'] };
    const { authorizationUrl } = await oauth.startAuthorization(server);
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe('mcp:read');
    await oauth.completeAuthorization(await playBrowser(authorizationUrl));
    expect(upstream.authServer.counters).toMatchObject({ registrations: 0, codeExchanges: 1 });
    const client = await connect(upstream.mcpUrl, oauth.providerFor(server));
    const whoami = await client.callTool({ name: 'whoami' });
    expect(whoami.content).toEqual([{ type: 'text', text: 'canopy-admin' }]);
    await client.close();
  });

  it('uses an external authorization server named by the RFC 9728 metadata', async () => {
    const as = await track(startAuthorizationServer());
    const upstream = await track(startProtectedMcpServer({ authServer: as.authServer }));
    const { oauth } = service();
    expect(await authorizationOrigin(oauth, 'external', upstream.mcpUrl)).toBe(as.url);
    await authorize(oauth, { name: 'external', url: upstream.mcpUrl });
    const client = await connect(upstream.mcpUrl, oauth.providerFor({ name: 'external', url: upstream.mcpUrl }));
    expect(await echo(client, 'x')).toBe('echo: x');
    await client.close();
  });

  it('says clearly that a pre-registered client is needed when there is no registration endpoint', async () => {
    const upstream = await track(startProtectedMcpServer({ authServerOptions: { dynamicRegistration: false } }));
    const { oauth } = service();
    await expect(oauth.startAuthorization({ name: 'corp', url: upstream.mcpUrl })).rejects.toMatchObject({
      code: 'bad_request',
      message: "server 'corp' needs a pre-registered client: set oauth_client_id (and oauth_client_secret) in its config",
    });
  });

  it('refuses an unknown state, and a state used twice', async () => {
    const upstream = await track(startProtectedMcpServer());
    const { oauth, secrets } = service();
    const { authorizationUrl } = await oauth.startAuthorization({ name: 'todo', url: upstream.mcpUrl });
    const callback = await playBrowser(authorizationUrl);
    await expect(oauth.completeAuthorization({ ...callback, state: 'forged' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('unknown or already used OAuth state'),
    });
    await expect(oauth.completeAuthorization({ code: callback.code })).rejects.toThrow('unknown or already used OAuth state');
    expect(upstream.authServer.counters.codeExchanges).toBe(0);
    expect(await oauth.completeAuthorization(callback)).toEqual({ server: 'todo' });
    await expect(oauth.completeAuthorization(callback)).rejects.toThrow('unknown or already used OAuth state');
    expect(await secrets.get('oauth/todo/tokens')).toBeDefined();
  });

  it('refuses an expired pending authorization', async () => {
    const upstream = await track(startProtectedMcpServer());
    const { oauth, secrets } = service({ pendingTtlMs: 100 });
    const { authorizationUrl } = await oauth.startAuthorization({ name: 'slow', url: upstream.mcpUrl });
    const callback = await playBrowser(authorizationUrl);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(oauth.completeAuthorization(callback)).rejects.toMatchObject({
      code: 'bad_request',
      message: "the authorization of server 'slow' expired (after 0 s): run `canopy authorize slow` again",
    });
    expect(upstream.authServer.counters.codeExchanges).toBe(0);
    expect(await secrets.get('oauth/slow/tokens')).toBeUndefined();
  });

  it('reports a refusal from the authorization server', async () => {
    const upstream = await track(startProtectedMcpServer());
    const { oauth } = service();
    const { authorizationUrl } = await oauth.startAuthorization({ name: 'todo', url: upstream.mcpUrl });
    const { state } = await playBrowser(authorizationUrl);
    await expect(oauth.completeAuthorization({ state, error: 'access_denied', error_description: 'the user said no' })).rejects.toThrow(
      "the authorization server refused access to server 'todo' (access_denied: the user said no)",
    );
  });

  it('sends the PKCE verifier of its own flow: a code from another flow is refused by the authorization server', async () => {
    const upstream = await track(startProtectedMcpServer());
    const { oauth } = service();
    const first = await playBrowser((await oauth.startAuthorization({ name: 'a', url: upstream.mcpUrl })).authorizationUrl);
    const second = await playBrowser((await oauth.startAuthorization({ name: 'a', url: upstream.mcpUrl })).authorizationUrl);
    // The second flow's state with the first flow's code: the verifier does not match its challenge.
    await expect(oauth.completeAuthorization({ state: second.state, code: first.code })).rejects.toMatchObject({
      code: 'upstream_error',
      message: expect.stringContaining('PKCE verification failed'),
    });
    expect(upstream.authServer.tokenErrors).toEqual([{ grant: 'authorization_code', error: 'invalid_grant', description: 'PKCE verification failed' }]);
    // Both flows used the one client registered by the first.
    expect(upstream.authServer.counters.registrations).toBe(1);
  });
});
