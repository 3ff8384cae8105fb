// A per-user server behind OAuth: each user authorizes their own account at the upstream's
// authorization server (Canopy's upstream OAuth client: metadata discovery, dynamic registration,
// PKCE, resource, the /oauth/callback), and their calls carry their own tokens. The test
// authorization server auto-approves; its `whoami` tool names the OAuth client a token was issued
// to, and every user's account registers a client of its own, so a call shows whose grant it used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../main/core/api/client.ts';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { text } from '../enterprise/support.ts';

/** The browser's part: the authorization server approves and redirects to Canopy's callback, which is followed. */
async function approveInBrowser(authorizationUrl: string): Promise<{ status: number; page: string; callback: string }> {
  const approved = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const callback = approved.headers.get('location')!;
  const response = await fetch(callback);
  return { status: response.status, page: await response.text(), callback };
}

describe('per-user OAuth accounts of an upstream', () => {
  let upstream: ProtectedMcpServer;
  let t: TestGateway;
  let alice: AdminClient;
  let bob: AdminClient;

  beforeAll(async () => {
    upstream = await startProtectedMcpServer();
    t = await startTestGateway({ mode: 'enterprise' });
    const admin = new AdminClient({ baseUrl: t.url, token: (await t.api.init()).token });
    await admin.registerServer({ config: { name: 'todo', url: upstream.mcpUrl, transport: 'streamable_http', credentials: 'per_user' } });
    alice = t.apiAs((await admin.createUser({ name: 'alice' })).token);
    bob = t.apiAs((await admin.createUser({ name: 'bob' })).token);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  it("connects each user's own account, and calls with it", async () => {
    const { authorizationUrl } = await alice.connectWithOAuth('todo');
    const url = new URL(authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('resource')).toBe(upstream.mcpUrl);
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.url}/oauth/callback`);
    const done = await approveInBrowser(authorizationUrl);
    expect(done.status).toBe(200);
    expect(done.page).toContain('Your account of server &#39;todo&#39; is connected, alice.');
    expect(await alice.listConnections()).toMatchObject([{ server: 'todo', status: 'connected', kind: 'oauth' }]);
    expect(await bob.listConnections()).toMatchObject([{ server: 'todo', status: 'not_connected' }]);

    await eventually(async () => (await bob.listTools()).some((tool) => tool.name === 'todo__whoami'), 15_000, 'the per-user catalog');
    const aliceClient = text(await alice.invokeTool('todo__whoami', {}));
    await expect(bob.invokeTool('todo__whoami', {})).rejects.toThrow(/which you have not connected yet/);

    await approveInBrowser((await bob.connectWithOAuth('todo')).authorizationUrl);
    const bobClient = text(await bob.invokeTool('todo__whoami', {}));
    expect(bobClient).not.toBe(aliceClient);
    expect(text(await alice.invokeTool('todo__whoami', {}))).toBe(aliceClient);
  });

  it('uses an authorization response once, for the user who started it', async () => {
    const { callback } = await approveInBrowser((await bob.connectWithOAuth('todo')).authorizationUrl);
    const replayed = await fetch(callback);
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('unknown or already used OAuth state');
    expect(await alice.listConnections()).toMatchObject([{ kind: 'oauth', status: 'connected' }]);
  });

  it('asks a user whose grant is gone to authorize again', async () => {
    upstream.authServer.revokeAccessTokens();
    await expect(alice.invokeTool('todo__whoami', {})).rejects.toThrow(/refused the account you connected/);
    expect(await alice.listConnections()).toMatchObject([{ status: 'needs_reauthorization', kind: 'oauth' }]);
    await approveInBrowser((await alice.connectWithOAuth('todo')).authorizationUrl);
    expect(text(await alice.invokeTool('todo__whoami', {}))).toMatch(/\S/);
    await alice.disconnect('todo');
    expect(await alice.listConnections()).toMatchObject([{ status: 'not_connected' }]);
  });
});
