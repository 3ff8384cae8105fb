// A server with "credentials": "per_user": each user connects their own account of it (here a
// personal token; OAuth in test/oauth/per-user-oauth.test.ts) and every call uses the caller's own.
// The upstream is a real HTTP MCP server that answers with the account its bearer token belongs to,
// so a test sees exactly whose access a call used. Secrets live in the database, sealed with
// CANOPY_SECRET_KEY, as on a shared PostgreSQL.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type AdminClient } from '../../main/core/api/client.ts';
import { openStore } from '../../main/core/store/open.ts';
import { freshPostgres, freshSqlite, type TestLocation } from '../support/databases.ts';
import { startTestGateway, eventually } from '../support/gateway.ts';
import { startAccountServer, type AccountServer } from '../support/account-server.ts';
import { startEnterprise, text, type EnterpriseGateway } from './support.ts';

const TOKENS = { 'tok-alice-1f3a': 'alice@accounts', 'tok-bob-9c2e': 'bob@accounts', 'tok-carol-77d0': 'carol@accounts' };

/** The ApiError a call fails with. */
async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('per-user upstream credentials', () => {
  let where: TestLocation;
  let t: EnterpriseGateway;
  let upstream: AccountServer;
  let admin: AdminClient;
  let alice: AdminClient;
  let aliceToken: string;
  let bob: AdminClient;
  let clientToken: string;
  const secretKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    upstream = await startAccountServer(TOKENS);
    where = await freshPostgres();
    // The secrets backend PostgreSQL gets by default: AES-256-GCM rows in the database.
    t = await startEnterprise({ location: where, secretStore: undefined, secretKey });
    admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: { name: 'accounts', url: upstream.url, transport: 'streamable_http', credentials: 'per_user' } });
    aliceToken = (await admin.createUser({ name: 'alice', role: 'user' })).token;
    alice = t.apiAs(aliceToken);
    bob = t.apiAs((await admin.createUser({ name: 'bob', role: 'user' })).token);
    clientToken = (await admin.createClient({ name: 'robot', allow: ['*'] })).token;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await where?.drop();
    await upstream?.close();
  });

  it('registers without credentials of its own, and lists it for everyone as not connected', async () => {
    expect(await alice.listConnections()).toEqual([{ server: 'accounts', status: 'not_connected' }]);
    expect(await bob.listConnections()).toEqual([{ server: 'accounts', status: 'not_connected' }]);
    // Nobody connected yet: the server sent no token anywhere.
    expect(upstream.tokensSeen.filter(Boolean)).toEqual([]);
    const server = await eventually(async () => {
      const view = await admin.getServer('accounts');
      return view.state.status === 'needs_authorization' ? view : undefined;
    });
    expect(server.state.lastError).toContain("server 'accounts' uses each person's own account, and no connected account works yet");
    const client = await t.connect('/mcp', {}, clientToken);
    const unlisted = await client.callTool({ name: 'accounts__whoami', arguments: {} }).catch((error: Error) => error);
    expect((unlisted as Error).message).toContain('connect yours (`canopy connect accounts`');
    expect((await refusal(admin.authorizeServer('accounts'))).message).toContain('connect yours with `canopy connect accounts`');
  });

  it("calls with each user's own account, and tells a user who has not connected what to do", async () => {
    await alice.connectWithToken('accounts', 'tok-alice-1f3a');
    expect(await alice.listConnections()).toMatchObject([{ server: 'accounts', status: 'connected', kind: 'token' }]);
    // The catalog is listed with the account of a user who connected it.
    await eventually(async () => (await bob.listTools()).some((tool) => tool.name === 'accounts__whoami'), 15_000, 'the per-user catalog');

    expect(text(await alice.invokeTool('accounts__whoami', {}))).toBe('alice@accounts');
    const notConnected = await refusal(bob.invokeTool('accounts__whoami', {}));
    expect(notConnected.code).toBe('conflict');
    expect(notConnected.message).toContain("server 'accounts' uses your own account of it, which you have not connected yet");
    expect(notConnected.message).toContain(`${t.url}/connections?server=accounts`);

    await bob.connectWithToken('accounts', 'tok-bob-9c2e');
    expect(text(await bob.invokeTool('accounts__whoami', {}))).toBe('bob@accounts');
    expect(text(await alice.invokeTool('accounts__whoami', {}))).toBe('alice@accounts');
  });

  it('gives a caller that acts for no user no access at all', async () => {
    const robot = t.apiAs(clientToken);
    const refused = await refusal(robot.invokeTool('accounts__whoami', {}));
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toContain('acts for no Canopy user');
    const client = await t.connect('/mcp', {}, clientToken);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('accounts__whoami');
    const result = await client.callTool({ name: 'accounts__whoami', arguments: {} }).catch((error: Error) => error);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toContain('acts for no Canopy user');
    // Connections are a user's own: an MCP client token has none.
    expect((await refusal(robot.listConnections())).code).toBe('forbidden');
  });

  it('keeps tokens out of the database in plaintext', async () => {
    const store = await openStore(where.location);
    try {
      const rows = await Promise.all(
        (['user_credentials', 'secrets', 'servers', 'settings', 'audit_log', 'secret_cleanup'] as const).map((table) => store.db.selectFrom(table).selectAll().execute()),
      );
      const everything = JSON.stringify(rows);
      expect(everything).toContain('connections/accounts/alice/token'); // the sealed row is there
      for (const token of Object.keys(TOKENS)) expect(everything).not.toContain(token);
    } finally {
      await store.close();
    }
  });

  it('asks a user whose account the upstream refuses to connect again', async () => {
    await alice.connectWithToken('accounts', 'tok-carol-77d0');
    expect(text(await alice.invokeTool('accounts__whoami', {}))).toBe('carol@accounts');
    upstream.revoke('tok-carol-77d0');
    const refused = await refusal(alice.invokeTool('accounts__whoami', {}));
    expect(refused.message).toContain("server 'accounts' refused the account you connected");
    expect(await alice.listConnections()).toMatchObject([{ status: 'needs_reauthorization', kind: 'token' }]);
    await alice.connectWithToken('accounts', 'tok-alice-1f3a');
    expect(text(await alice.invokeTool('accounts__whoami', {}))).toBe('alice@accounts');
    expect(await alice.listConnections()).toMatchObject([{ status: 'connected' }]);
  });

  it('drops what a user connected when they disconnect, when the user is deleted, and when the URL changes', async () => {
    const secretRows = async () => {
      const store = await openStore(where.location);
      try {
        return (await store.db.selectFrom('secrets').select('ref').where('ref', 'like', 'connections/%').execute()).map((row) => row.ref).sort();
      } finally {
        await store.close();
      }
    };
    expect(await secretRows()).toEqual(['connections/accounts/alice/token', 'connections/accounts/bob/token']);

    await admin.deleteUser('bob');
    expect(await secretRows()).toEqual(['connections/accounts/alice/token']);

    await alice.disconnect('accounts');
    expect(await alice.listConnections()).toEqual([{ server: 'accounts', status: 'not_connected' }]);
    expect(await secretRows()).toEqual([]);
    expect((await refusal(alice.invokeTool('accounts__whoami', {}))).message).toContain('which you have not connected yet');

    // A masked secret never follows a changed destination, and neither does a user's account.
    await alice.connectWithToken('accounts', 'tok-alice-1f3a');
    await admin.registerServer({ config: { name: 'accounts', url: `${upstream.url}?tenant=2`, transport: 'streamable_http', credentials: 'per_user' }, force: true });
    expect(await alice.listConnections()).toEqual([{ server: 'accounts', status: 'not_connected' }]);
    expect(await secretRows()).toEqual([]);
  });

  it('stops using a credential at once on every replica when it is removed on one', async () => {
    const replica = await startTestGateway({ storeKind: 'postgres', location: where, mode: 'enterprise', settingsEnv: {}, secretStore: undefined, secretKey });
    try {
      const aliceThere = replica.apiAs(aliceToken);
      await alice.connectWithToken('accounts', 'tok-alice-1f3a');
      await eventually(async () => (await aliceThere.listTools()).some((tool) => tool.name === 'accounts__whoami'), 15_000, 'the catalog on the replica');
      expect(text(await aliceThere.invokeTool('accounts__whoami', {}))).toBe('alice@accounts');
      await alice.disconnect('accounts');
      expect((await refusal(aliceThere.invokeTool('accounts__whoami', {}))).message).toContain('which you have not connected yet');
    } finally {
      await replica.close();
    }
  });
});

describe('per-user credentials, refused', () => {
  it('in development mode, and for stdio servers', async () => {
    const where = await freshSqlite();
    const t = await startTestGateway({ location: where });
    try {
      const dev = await refusal(t.api.registerServer({ config: { name: 'accounts', url: 'http://127.0.0.1:9/mcp', transport: 'streamable_http', credentials: 'per_user' } }));
      expect(dev.message).toContain('"credentials": "per_user" needs enterprise mode');
      const stdio = await refusal(t.api.registerServer({ config: { name: 'local', command: 'node', credentials: 'per_user' } }));
      expect(stdio.message).toContain("field 'credentials' \"per_user\" applies to HTTP servers");
      const shared = await refusal(t.api.registerServer({ config: { name: 'x', url: 'http://127.0.0.1:9/mcp', bearer_token: 'abc', credentials: 'per_user' } }));
      expect(shared.message).toContain("field 'bearer_token' is shared by everyone");
    } finally {
      await t.close();
      await where.drop();
    }
  });
});
