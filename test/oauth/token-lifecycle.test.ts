// What a running connection gets from UpstreamOAuth.providerFor: the stored token over streamable
// HTTP and SSE, a refresh shortly before expiry and after a 401 (with rotation), a recognizable
// error when no refresh is possible, and recovery by authorizing again.
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { isAuthorizationRequired } from '../../main/core/upstream/oauth/errors.ts';
import { UpstreamOAuth, type UpstreamOAuthOptions } from '../../main/core/upstream/oauth/upstream-oauth.ts';
import { startProtectedMcpServer, type ProtectedMcpServer, type TestAuthorizationServerOptions } from '../support/oauth-server.ts';
import { authorize, connect, echo, REDIRECT_URI, testSecretStore } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(authServerOptions: TestAuthorizationServerOptions = {}, options: Partial<UpstreamOAuthOptions> = {}) {
  const upstream = await startProtectedMcpServer({ authServerOptions });
  cleanups.push(() => upstream.close());
  const secrets = testSecretStore();
  const oauth = new UpstreamOAuth({ secrets, redirectUri: REDIRECT_URI, requestTimeoutMs: 5000, ...options });
  return { upstream, secrets, oauth };
}

async function open(upstream: ProtectedMcpServer, oauth: UpstreamOAuth, name: string, transport: 'streamable_http' | 'sse' = 'streamable_http'): Promise<Client> {
  const url = transport === 'sse' ? upstream.sseUrl : upstream.mcpUrl;
  const client = await connect(url, oauth.providerFor({ name, url }), transport);
  cleanups.push(() => client.close());
  return client;
}

async function stored<T>(secrets: FileSecretStore, ref: string): Promise<T> {
  return JSON.parse((await secrets.get(ref)) ?? 'null') as T;
}

type Tokens = { access_token: string; refresh_token: string; expires_at: number };

async function authorizationError(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('stored tokens on a connection', () => {
  it('connects over SSE with a token issued for the SSE endpoint', async () => {
    const { upstream, oauth } = await setup();
    await authorize(oauth, { name: 'legacy', url: upstream.sseUrl, transport: 'sse' });
    expect(upstream.authServer.lastAuthorizationRequest?.get('resource')).toBe(upstream.sseUrl);
    const client = await open(upstream, oauth, 'legacy', 'sse');
    expect(await echo(client, 'over sse')).toBe('echo: over sse');
  });

  it('refreshes shortly before expiry, once for concurrent requests, with rotation', async () => {
    const refreshWindowMs = 2000;
    const { upstream, secrets, oauth } = await setup({ accessTokenTtlSeconds: 4 }, { refreshWindowMs });
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    const first = await stored<Tokens>(secrets, 'oauth/todo/tokens');
    const client = await open(upstream, oauth, 'todo');
    expect(await echo(client, 'fresh')).toBe('echo: fresh');
    expect(upstream.authServer.counters.refreshes).toBe(0);

    await sleep(first.expires_at - refreshWindowMs - Date.now() + 100); // now within the refresh window
    const unauthorizedBefore = upstream.counters.unauthorized;
    expect(await Promise.all(['a', 'b', 'c'].map((text) => echo(client, text)))).toEqual(['echo: a', 'echo: b', 'echo: c']);
    expect(upstream.authServer.counters.refreshes).toBe(1);
    expect(upstream.counters.unauthorized).toBe(unauthorizedBefore); // refreshed before, not after a 401

    const second = await stored<Tokens>(secrets, 'oauth/todo/tokens');
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.expires_at).toBeGreaterThan(first.expires_at);
    // Rotation: the authorization server no longer takes the old refresh token.
    const clientId = (await stored<{ client: { client_id: string } }>(secrets, 'oauth/todo/client')).client.client_id;
    const reuse = await fetch(`${upstream.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId }),
    });
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant', error_description: 'unknown or already used refresh token' });
  });

  it('refreshes after a 401, over streamable HTTP and SSE', async () => {
    const { upstream, oauth } = await setup();
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    await authorize(oauth, { name: 'legacy', url: upstream.sseUrl, transport: 'sse' });
    const http = await open(upstream, oauth, 'todo');
    const sse = await open(upstream, oauth, 'legacy', 'sse');
    upstream.authServer.revokeAccessTokens();
    expect(await echo(http, 'again')).toBe('echo: again');
    expect(await echo(sse, 'again')).toBe('echo: again');
    expect(upstream.authServer.counters.refreshes).toBe(2);
  });

  it('keeps what it read in memory: requests do not each read the secret store', async () => {
    const { upstream, secrets, oauth } = await setup();
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    const read = secrets.get.bind(secrets);
    let reads = 0;
    secrets.get = (ref) => {
      reads++;
      return read(ref);
    };
    const client = await open(upstream, oauth, 'todo');
    for (let i = 0; i < 20; i++) await echo(client, `call ${i}`);
    // Written through when the authorization completed; read again at most once a few seconds.
    expect(reads).toBeLessThan(5);
  });

  it('after a 401, refreshes with the refresh token another replica rotated, not with the one it read before', async () => {
    const { upstream, secrets, oauth } = await setup();
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    const client = await open(upstream, oauth, 'todo');
    expect(await echo(client, 'first')).toBe('echo: first');
    // Another gateway on the same secret store refreshes (its window covers the token's whole life): the grant rotates.
    const replica = new UpstreamOAuth({ secrets, redirectUri: REDIRECT_URI, requestTimeoutMs: 5000, refreshWindowMs: 2 * 3600_000 });
    await replica.providerFor({ name: 'todo', url: upstream.mcpUrl }).tokens();
    expect(upstream.authServer.counters.refreshes).toBe(1);
    upstream.authServer.revokeAccessTokens();
    expect(await echo(client, 'again')).toBe('echo: again');
    expect(upstream.authServer.counters.refreshes).toBe(2);
  });

  it('two replicas refreshing at once: the one that loses the rotation uses the winner\'s tokens instead of deleting them', async () => {
    const { upstream, secrets } = await setup();
    await authorize(new UpstreamOAuth({ secrets, redirectUri: REDIRECT_URI, requestTimeoutMs: 5000 }), { name: 'todo', url: upstream.mcpUrl });
    // Both windows cover the token's whole life: each replica refreshes with the refresh token it read.
    const replicas = [1, 2].map(() => new UpstreamOAuth({ secrets, redirectUri: REDIRECT_URI, requestTimeoutMs: 5000, refreshWindowMs: 2 * 3600_000 }));
    const tokens = await Promise.all(replicas.map((replica) => replica.providerFor({ name: 'todo', url: upstream.mcpUrl }).tokens()));
    expect(upstream.authServer.counters.refreshes).toBeGreaterThanOrEqual(1);
    const kept = await stored<Tokens | null>(secrets, 'oauth/todo/tokens');
    expect(kept?.access_token).toBeDefined();
    expect(tokens.map((token) => token?.access_token)).toEqual([kept!.access_token, kept!.access_token]);
  });
});

describe('when no refresh is possible', () => {
  it('fails with an authorization-required error after a 401, and authorizing again restores access', async () => {
    const { upstream, oauth, secrets } = await setup();
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    const client = await open(upstream, oauth, 'todo');
    upstream.authServer.failRefresh = true;
    upstream.authServer.revokeAccessTokens();

    const error = await authorizationError(echo(client, 'denied'));
    expect(isAuthorizationRequired(error)).toBe(true);
    expect(error.message).toBe(
      "server 'todo' needs authorization (the authorization server refused the refresh token): run `canopy authorize todo` or open Canopy",
    );
    expect(await secrets.get('oauth/todo/tokens')).toBeUndefined();
    expect(isAuthorizationRequired(await authorizationError(connect(upstream.mcpUrl, oauth.providerFor({ name: 'todo', url: upstream.mcpUrl }))))).toBe(true);

    upstream.authServer.failRefresh = false;
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    // The same connection recovers, and so does a new one.
    expect(await echo(client, 'back')).toBe('echo: back');
    const fresh = await open(upstream, oauth, 'todo');
    expect(await echo(fresh, 'new')).toBe('echo: new');
  });

  it('fails a connection whose token expired and whose refresh is refused (also over SSE)', async () => {
    const { upstream, oauth } = await setup({ accessTokenTtlSeconds: 1 }, { refreshWindowMs: 500 });
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    await authorize(oauth, { name: 'legacy', url: upstream.sseUrl, transport: 'sse' });
    upstream.authServer.failRefresh = true;
    await sleep(600);
    const http = await authorizationError(connect(upstream.mcpUrl, oauth.providerFor({ name: 'todo', url: upstream.mcpUrl })));
    expect(isAuthorizationRequired(http)).toBe(true);
    expect(http.message).toContain('refused the refresh token (invalid_grant)');
    const sse = await authorizationError(connect(upstream.sseUrl, oauth.providerFor({ name: 'legacy', url: upstream.sseUrl }), 'sse'));
    expect(isAuthorizationRequired(sse)).toBe(true);
    expect(upstream.authServer.counters.refreshes).toBe(0);
  });

  it('never starts a browser flow or registers a client in the background', async () => {
    const { upstream, oauth } = await setup();
    const error = await authorizationError(connect(upstream.mcpUrl, oauth.providerFor({ name: 'never', url: upstream.mcpUrl })));
    expect(isAuthorizationRequired(error)).toBe(true);
    expect(error.message).toContain('no OAuth client is registered');
    expect(upstream.authServer.counters).toMatchObject({ registrations: 0, authorizations: 0 });
  });

  it('never hands a token to another destination: a server whose URL changed needs a new authorization', async () => {
    const { upstream, oauth } = await setup();
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    const moved = oauth.providerFor({ name: 'todo', url: 'https://elsewhere.example/mcp' });
    expect(await moved.tokens()).toBeUndefined();
    await expect(moved.clientInformation()).rejects.toThrow(/URL changed since it was authorized/);
    // The authorization still serves the URL it was made for.
    expect((await oauth.providerFor({ name: 'todo', url: upstream.mcpUrl }).tokens())?.access_token).toBeTruthy();
  });

  it('forgets a server: its secrets are deleted and its connections need authorization', async () => {
    const { upstream, secrets, oauth } = await setup();
    await authorize(oauth, { name: 'todo', url: upstream.mcpUrl });
    await authorize(oauth, { name: 'other', url: upstream.mcpUrl });
    await oauth.forget('todo');
    expect((await secrets.entries()).map(({ ref }) => ref).sort()).toEqual(['oauth/other/client', 'oauth/other/tokens']);
    expect(isAuthorizationRequired(await authorizationError(connect(upstream.mcpUrl, oauth.providerFor({ name: 'todo', url: upstream.mcpUrl }))))).toBe(true);
    // Another server is not affected.
    const other = await open(upstream, oauth, 'other');
    expect(await echo(other, 'still here')).toBe('echo: still here');
  });
});
