// Enterprise mode before and at initialization: "not initialized" answers, the bootstrap secret or
// loopback, exactly one winner of racing inits (also across two replicas), and a store that refuses
// the other mode.
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshPostgres, type TestLocation } from '../support/databases.ts';
import { startTestGateway } from '../support/gateway.ts';
import { rawApi, rawInitialize, startEnterprise, type EnterpriseGateway } from './support.ts';

describe('enterprise initialization', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const track = <T extends { close(): Promise<void> }>(t: T) => {
    cleanup.push(() => t.close());
    return t;
  };
  const sharedDatabase = async (): Promise<TestLocation> => {
    const location = await freshPostgres();
    cleanup.push(() => location.drop());
    return location;
  };

  it('answers MCP and admin requests with "not initialized" until init-server', async () => {
    const t = track(await startEnterprise({ initialize: false }));
    const mcp = await rawInitialize(t.url, '/mcp');
    expect(mcp.status).toBe(503);
    expect(JSON.stringify(mcp.body)).toMatch(/not initialized.*canopy init-server/);
    const api = await rawApi(t.url, 'GET', '/servers');
    expect(api.status).toBe(503);
    expect(api.body.error.code).toBe('not_initialized');
    expect(await (await fetch(`${t.url}/health`)).json()).toMatchObject({ mode: 'enterprise', initialized: false });

    const admin = await t.api.init({ name: 'root' });
    expect(admin).toMatchObject({ name: 'root', role: 'admin' });
    expect(admin.token).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    expect(await t.apiAs(admin.token).whoami()).toEqual({ kind: 'user', name: 'root', role: 'admin' });
    expect((await rawApi(t.url, 'GET', '/servers')).status).toBe(401);
    await expect(t.api.init()).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });

  it('lets exactly one of racing initializations win, across two replicas', async () => {
    const location = await sharedDatabase();
    const a = track(await startEnterprise({ location, initialize: false }));
    const b = track(await startEnterprise({ location, initialize: false }));
    const attempts = Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).api.init({ name: `admin${i}` }));
    const results = await Promise.allSettled(attempts);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status === 'rejected')) expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });

    const db = new pg.Client({ connectionString: (location.location as { url: string }).url });
    await db.connect();
    try {
      expect((await db.query('select name, role from users')).rows).toEqual([
        { name: (won[0] as PromiseFulfilledResult<{ name: string }>).value.name, role: 'admin' },
      ]);
    } finally {
      await db.end();
    }
  });

  it('needs the bootstrap secret when the request is not a direct loopback one, or when CANOPY_INIT_TOKEN is set', async () => {
    const proxied = track(await startEnterprise({ initialize: false }));
    const viaProxy = await fetch(`${proxied.url}/api/v0/init`, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.9', 'content-type': 'application/json' } });
    expect(viaProxy.status).toBe(403);
    expect(((await viaProxy.json()) as { error: { message: string } }).error.message).toMatch(/init token/);

    const secret = 'operator-chosen-bootstrap-secret-0123456789';
    const t = track(await startEnterprise({ initialize: false, settingsEnv: { CANOPY_INIT_TOKEN: secret } }));
    await expect(t.api.init()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(t.api.init({ initToken: 'wrong' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await t.api.init({ initToken: secret })).role).toBe('admin');
  });

  it('takes a custom admin token, refusing short ones or ones with whitespace', async () => {
    const t = track(await startEnterprise({ initialize: false }));
    await expect(t.api.init({ token: 'short' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/at least 32/) });
    await expect(t.api.init({ token: 'has whitespace in it, which is not allowed' })).rejects.toMatchObject({ code: 'bad_request' });
    const custom = 'my-own-administrator-token-0123456789abcdef';
    expect((await t.api.init({ token: custom })).token).toBe(custom);
    expect(await t.apiAs(custom).whoami()).toMatchObject({ kind: 'user', role: 'admin' });
  });

  it('refuses to open a store in the other mode', async () => {
    const location = await sharedDatabase();
    const dev = await startTestGateway({ location, mode: 'development' });
    await dev.close();
    await expect(startEnterprise({ location, initialize: false })).rejects.toThrow(/belongs to a development-mode gateway/);

    const other = await sharedDatabase();
    const enterprise: EnterpriseGateway = await startEnterprise({ location: other, initialize: false });
    await enterprise.close();
    await expect(startTestGateway({ location: other, mode: 'development' })).rejects.toThrow(/belongs to an enterprise-mode gateway: start Canopy with --enterprise/);
  });
});
