// The test authorization server is a real one: these tests hold it to the rules the upstream-OAuth
// tests rely on (PKCE, resource indicators, single-use codes, refresh-token rotation).
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { playBrowser, REDIRECT_URI } from './helpers.ts';

let upstream: ProtectedMcpServer;
const client = { client_id: 'direct-client', redirect_uris: [REDIRECT_URI] };

beforeAll(async () => {
  upstream = await startProtectedMcpServer();
  upstream.authServer.addClient(client);
});
afterAll(() => upstream.close());

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizationUrl(params: Record<string, string>): string {
  const url = new URL('/authorize', upstream.url);
  const defaults = { response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT_URI, state: 's1', resource: upstream.mcpUrl };
  for (const [key, value] of Object.entries({ ...defaults, ...params })) url.searchParams.set(key, value);
  return url.href;
}

async function token(params: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(new URL('/token', upstream.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.client_id, ...params }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function codeFor(challenge: string): Promise<string> {
  const { code, state } = await playBrowser(authorizationUrl({ code_challenge: challenge, code_challenge_method: 'S256' }));
  expect(state).toBe('s1');
  return code!;
}

describe('test authorization server', () => {
  it('serves RFC 8414 metadata and RFC 9728 metadata naming it', async () => {
    const metadata = await (await fetch(new URL('/.well-known/oauth-authorization-server', upstream.url))).json();
    expect(metadata).toMatchObject({ issuer: upstream.url, code_challenge_methods_supported: ['S256'], registration_endpoint: `${upstream.url}/register` });
    const resource = await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', upstream.url))).json();
    expect(resource).toMatchObject({ resource: upstream.mcpUrl, authorization_servers: [upstream.url] });
  });

  it('answers 401 with a resource_metadata challenge without a token', async () => {
    const response = await fetch(upstream.mcpUrl, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${upstream.url}/.well-known/oauth-protected-resource/mcp"`);
  });

  it('refuses authorization requests without S256 PKCE or with an unknown resource', async () => {
    const plain = await playBrowser(authorizationUrl({ code_challenge: 'x', code_challenge_method: 'plain' }));
    expect(plain).toMatchObject({ error: 'invalid_request', state: 's1', code: undefined });
    const elsewhere = await playBrowser(authorizationUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256', resource: 'http://127.0.0.1:1/mcp' }));
    expect(elsewhere).toMatchObject({ error: 'invalid_target', code: undefined });
    const unknownClient = await fetch(authorizationUrl({ client_id: 'nobody' }), { redirect: 'manual' });
    expect(unknownClient.status).toBe(400);
  });

  it('verifies PKCE: a wrong verifier is refused, and the code is then spent', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);
    const wrong = await token({ grant_type: 'authorization_code', code, code_verifier: pkce().verifier, redirect_uri: REDIRECT_URI, resource: upstream.mcpUrl });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'PKCE verification failed' } });
    const retry = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, resource: upstream.mcpUrl });
    expect(retry.body.error).toBe('invalid_grant');
  });

  it('issues tokens for the right verifier and resource, and rotates refresh tokens', async () => {
    const { verifier, challenge } = pkce();
    const exchange = (code: string, resource: string) =>
      token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, resource });
    const wrongResource = await exchange(await codeFor(challenge), upstream.sseUrl);
    expect(wrongResource.body.error).toBe('invalid_target');

    const issued = await exchange(await codeFor(challenge), upstream.mcpUrl);
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(upstream.authServer.verifyAccessToken(issued.body.access_token, upstream.mcpUrl)).toBeDefined();
    expect(upstream.authServer.verifyAccessToken(issued.body.access_token, upstream.sseUrl)).toBeUndefined();

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(issued.body.refresh_token);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token });
    expect(reused.body.error).toBe('invalid_grant');

    upstream.authServer.failRefresh = true;
    try {
      const refused = await token({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token });
      expect(refused.body.error).toBe('invalid_grant');
    } finally {
      upstream.authServer.failRefresh = false;
    }
  });

  it('can switch dynamic client registration off', async () => {
    const register = () =>
      fetch(new URL('/register', upstream.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
      });
    expect((await register()).status).toBe(201);
    upstream.authServer.dynamicRegistration = false;
    try {
      expect((await register()).status).toBe(404);
    } finally {
      upstream.authServer.dynamicRegistration = true;
    }
  });
});
