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

/** A browser's start of a connection (the web UI's POST), with the cookie Canopy gives that browser. */
interface Started {
  authorizationUrl: string;
  cookie: string;
}

/** The browser's part: the authorization server approves and redirects to Canopy's callback, which is followed with `cookie`. */
async function approveInBrowser({ authorizationUrl, cookie }: Started): Promise<{ status: number; page: string; callback: string }> {
  const approved = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const callback = approved.headers.get('location')!;
  const response = await fetch(callback, { headers: cookie ? { cookie } : {} });
  return { status: response.status, page: await response.text(), callback };
}

describe('per-user OAuth accounts of an upstream', () => {
  let upstream: ProtectedMcpServer;
  let t: TestGateway;
  let alice: AdminClient;
  let bob: AdminClient;
  const tokens: Record<string, string> = {};

  /** POST /connections/todo/authorize as `user`, keeping the browser cookie it sets. */
  async function startConnect(user: string): Promise<Started> {
    const response = await fetch(`${t.url}/api/v0/connections/todo/authorize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^canopy-oauth-[0-9a-f]{16}=[^;]+; Max-Age=600; Path=\/oauth\/callback; HttpOnly; SameSite=Lax$/);
    return { authorizationUrl: ((await response.json()) as { authorizationUrl: string }).authorizationUrl, cookie: setCookie.split(';')[0] };
  }

  beforeAll(async () => {
    upstream = await startProtectedMcpServer();
    t = await startTestGateway({ mode: 'enterprise' });
    const admin = new AdminClient({ baseUrl: t.url, token: (await t.api.init()).token });
    await admin.registerServer({ config: { name: 'todo', url: upstream.mcpUrl, transport: 'streamable_http', credentials: 'per_user' } });
    for (const name of ['alice', 'bob']) tokens[name] = (await admin.createUser({ name })).token;
    alice = t.apiAs(tokens.alice);
    bob = t.apiAs(tokens.bob);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  it("connects each user's own account, and calls with it", async () => {
    const started = await startConnect('alice');
    const url = new URL(started.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('resource')).toBe(upstream.mcpUrl);
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.url}/oauth/callback`);
    const done = await approveInBrowser(started);
    expect(done.status).toBe(200);
    expect(done.page).toContain('Your account of server &#39;todo&#39; is connected, alice.');
    expect(await alice.listConnections()).toMatchObject([{ server: 'todo', status: 'connected', kind: 'oauth' }]);
    expect(await bob.listConnections()).toMatchObject([{ server: 'todo', status: 'not_connected' }]);

    await eventually(async () => (await bob.listTools()).some((tool) => tool.name === 'todo__whoami'), 15_000, 'the per-user catalog');
    const aliceClient = text(await alice.invokeTool('todo__whoami', {}));
    await expect(bob.invokeTool('todo__whoami', {})).rejects.toThrow(/which you have not connected yet/);

    await approveInBrowser(await startConnect('bob'));
    const bobClient = text(await bob.invokeTool('todo__whoami', {}));
    expect(bobClient).not.toBe(aliceClient);
    expect(text(await alice.invokeTool('todo__whoami', {}))).toBe(aliceClient);
  });

  it('uses an authorization response once, in the browser that started it', async () => {
    const started = await startConnect('bob');
    const { callback } = await approveInBrowser(started);
    const replayed = await fetch(callback, { headers: { cookie: started.cookie } });
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toContain('unknown or already used OAuth state');
    expect(await alice.listConnections()).toMatchObject([{ kind: 'oauth', status: 'connected' }]);

    // Bob sends Alice the authorization URL he started: her grant must not become his account.
    const lured = await approveInBrowser({ authorizationUrl: (await startConnect('bob')).authorizationUrl, cookie: '' });
    expect(lured.status).toBe(400);
    expect(lured.page).toContain("was started in another browser, so it was refused");
    const foreign = await approveInBrowser({ authorizationUrl: (await startConnect('bob')).authorizationUrl, cookie: (await startConnect('alice')).cookie });
    expect(foreign.status).toBe(400);
  });

  it('asks a user whose grant is gone to authorize again', async () => {
    upstream.authServer.revokeAccessTokens();
    await expect(alice.invokeTool('todo__whoami', {})).rejects.toThrow(/refused the account you connected/);
    expect(await alice.listConnections()).toMatchObject([{ status: 'needs_reauthorization', kind: 'oauth' }]);
    await approveInBrowser(await startConnect('alice'));
    expect(text(await alice.invokeTool('todo__whoami', {}))).toMatch(/\S/);
    await alice.disconnect('todo');
    expect(await alice.listConnections()).toMatchObject([{ status: 'not_connected' }]);
  });
});
