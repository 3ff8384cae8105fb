// Storage switch: the plan (pure) and the switch on real stores — SQLite ↔ PostgreSQL — with the
// rollback when the new store fails. The password never reaches the preferences.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { planStorageSwitch, storageSwitchMessage } from '../../main/desktop/storage/switch-plan.ts';
import { testPostgresConnection } from '../../main/desktop/storage/test-postgres.ts';
import { freshPostgres, type TestLocation } from '../support/databases.ts';
import { freePort, stdioConfigs } from '../support/upstreams.ts';
import { desktopFixture, type DesktopFixture } from './support.ts';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { eventually } from '../support/gateway.ts';

/** What the stdio server `server` sees in its environment (server-everything's get-env tool). */
async function upstreamEnv(gatewayUrl: string, server: string): Promise<string> {
  const client = new Client({ name: 'storage-switch-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatewayUrl}/servers/${server}/mcp`)));
  try {
    const result = await eventually(() => client.callTool({ name: 'get-env', arguments: {} }).catch(() => undefined), 30_000, `${server}'s get-env tool`);
    return JSON.stringify(result.content);
  } finally {
    await client.close();
  }
}

let fixture: DesktopFixture | undefined;
let database: TestLocation | undefined;
afterEach(async () => {
  await fixture?.close();
  await database?.drop();
  fixture = undefined;
  database = undefined;
});

describe('storage switch plan', () => {
  it('says when nothing changes', () => {
    expect(planStorageSwitch({ kind: 'sqlite' }, { kind: 'sqlite' })).toEqual({ action: 'none', message: 'Canopy already keeps its data on this computer (SQLite).' });
    expect(planStorageSwitch({ kind: 'postgres', url: 'postgres://u@h:5432/d' }, { kind: 'postgres', url: 'postgres://u@h:5432/d' }).action).toBe('none');
  });

  it('takes the password out of the URL (or the field) and names its keychain account', () => {
    expect(planStorageSwitch({ kind: 'sqlite' }, { kind: 'postgres', url: 'postgres://u:pw@h/d' })).toEqual({
      action: 'switch',
      from: { kind: 'sqlite' },
      to: { kind: 'postgres', url: 'postgres://u@h/d' },
      newPassword: { account: 'postgres:u@h:5432/d', password: 'pw' },
      secretKey: { account: 'secret-key:postgres:u@h:5432/d' },
    });
    expect(planStorageSwitch({ kind: 'sqlite' }, { kind: 'postgres', url: 'postgres://u@h/d', secretKey: ' k ' })).toMatchObject({
      secretKey: { account: 'secret-key:postgres:u@h:5432/d', given: 'k' },
    });
    // Same database, a key given: reconnect with it.
    expect(planStorageSwitch({ kind: 'postgres', url: 'postgres://u@h/d' }, { kind: 'postgres', url: 'postgres://u@h/d', secretKey: 'k' }).action).toBe('switch');
    expect(planStorageSwitch({ kind: 'sqlite' }, { kind: 'postgres', url: 'postgres://u@h/d', password: 'field' })).toMatchObject({
      newPassword: { password: 'field' },
    });
    expect(planStorageSwitch({ kind: 'sqlite' }, { kind: 'postgres', url: 'postgres://u@h/d' })).toMatchObject({ savedPasswordAccount: 'postgres:u@h:5432/d' });
    // Same database, new password: reconnect.
    expect(planStorageSwitch({ kind: 'postgres', url: 'postgres://u@h/d' }, { kind: 'postgres', url: 'postgres://u@h/d', password: 'new' }).action).toBe('switch');
    expect(() => planStorageSwitch({ kind: 'sqlite' }, { kind: 'postgres', url: 'http://h/d' })).toThrow(/postgres:\/\//);
  });

  it('explains success, rollback and a failed rollback', () => {
    const plan = { action: 'switch' as const, from: { kind: 'sqlite' as const }, to: { kind: 'postgres' as const, url: 'postgres://u@db:5432/c' } };
    expect(storageSwitchMessage(plan, { ok: true })).toBe('Canopy now keeps its data on PostgreSQL at db:5432/c.');
    expect(storageSwitchMessage(plan, { ok: false, error: new Error('timeout'), restored: true })).toBe(
      'Could not switch to PostgreSQL at db:5432/c: timeout. Canopy is back on this computer (SQLite); nothing changed.',
    );
    expect(storageSwitchMessage(plan, { ok: false, error: new Error('timeout'), restored: false, restoreError: new Error('locked') })).toMatch(
      /Going back to this computer \(SQLite\) failed too: locked\. Choose a storage in Settings/,
    );
  });
});

describe('switching on real stores', () => {
  it('SQLite → PostgreSQL → back, with the password in the keychain only', async () => {
    database = await freshPostgres();
    const url = new URL(database.location.kind === 'postgres' ? database.location.url : '');
    const password = decodeURIComponent(url.password);
    fixture = await desktopFixture({ port: await freePort() });
    await fixture.controller.start();
    await fixture.host.gateway!.registry.registerServer({ config: stdioConfigs.everything('local-only'), enabled: false });

    const result = await fixture.controller.switchStorage({ kind: 'postgres', url: url.toString() });
    expect(result.ok, result.message).toBe(true);
    expect(result.message).toMatch(/^Canopy now keeps its data on PostgreSQL at 127\.0\.0\.1:\d+\/canopy_test_/);
    expect(result.message).toMatch(/encrypted with a new key kept in your keychain \(service "canopy", account "secret-key:postgres:/);
    expect(await fixture.host.gateway!.views.listServers()).toEqual([]);
    const stored = JSON.stringify(fixture.stored());
    expect(stored).not.toContain(`:${url.password}@`);
    expect(fixture.preferences.value.storage).toEqual({ kind: 'postgres', url: url.toString().replace(`:${url.password}@`, '@') });
    const keyAccount = [...fixture.vault.entries.keys()].find((account) => account.startsWith('secret-key:'))!;
    const secretKey = fixture.vault.entries.get(keyAccount)!;
    expect([...fixture.vault.entries.values()]).toEqual([password, secretKey]);
    // An upstream secret lands in the database encrypted with that key, never in plaintext.
    await fixture.host.gateway!.registry.registerServer({ config: { ...stdioConfigs.everything('shared'), env: { API_TOKEN: 'upstream-secret-1' } } });
    const rows = new pg.Client({ connectionString: url.toString() });
    await rows.connect();
    try {
      const { rows: secrets } = await rows.query('SELECT * FROM secrets');
      expect(secrets.length).toBeGreaterThan(0);
      expect(JSON.stringify(secrets)).not.toContain('upstream-secret-1');
    } finally {
      await rows.end();
    }

    // Restarting the app reopens PostgreSQL with the keychain's password and key, and the secret reads back.
    await fixture.host.stop();
    await fixture.controller.start(await freePort());
    expect(fixture.host.phase.phase).toBe('running');
    expect(await upstreamEnv(fixture.host.url!, 'shared')).toContain('upstream-secret-1');

    // A second computer on the same database needs the same key: without it the switch is refused and
    // nothing changes there; with it the shared server's secret is readable.
    const second = await desktopFixture({ port: await freePort() });
    try {
      await second.controller.start();
      const refused = await second.controller.switchStorage({ kind: 'postgres', url: url.toString() });
      expect(refused.ok).toBe(false);
      expect(refused.message).toMatch(/does not match the key these secrets were written with.*Canopy is back on this computer \(SQLite\); nothing changed\./);
      expect(second.preferences.value.storage).toEqual({ kind: 'sqlite' });
      const joined = await second.controller.switchStorage({ kind: 'postgres', url: url.toString(), secretKey });
      expect(joined.ok, joined.message).toBe(true);
      expect(joined.message).not.toMatch(/new key/);
      expect(second.vault.entries.get(keyAccount)).toBe(secretKey);
    } finally {
      await second.close();
    }

    const back = await fixture.controller.switchStorage({ kind: 'sqlite' });
    expect(back).toEqual({ ok: true, message: 'Canopy now keeps its data on this computer (SQLite).' });
    expect((await fixture.host.gateway!.views.listServers()).map((s) => s.name)).toEqual(['local-only']);
  }, 60_000);

  it('a PostgreSQL that cannot be reached: back on SQLite, nothing saved', async () => {
    fixture = await desktopFixture({ port: await freePort() });
    await fixture.controller.start();
    const before = fixture.host.options;
    const deadPort = await freePort();
    const result = await fixture.controller.switchStorage({ kind: 'postgres', url: `postgres://canopy:pw@127.0.0.1:${deadPort}/canopy` });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp(`^Could not switch to PostgreSQL at 127\\.0\\.0\\.1:${deadPort}/canopy: .+\\. Canopy is back on this computer \\(SQLite\\); nothing changed\\.$`));
    expect(fixture.host.phase.phase).toBe('running');
    expect(fixture.host.options).toEqual(before);
    expect(fixture.preferences.value.storage).toEqual({ kind: 'sqlite' });
    expect(fixture.vault.entries.size).toBe(0);
  }, 60_000);
});

describe('Test connection', () => {
  it('reports success with the server version, and failures with what to fix', async () => {
    const ok = await testPostgresConnection(inject('postgresUrl'));
    expect(ok.ok).toBe(true);
    expect(ok.message).toMatch(/^Connected to PostgreSQL at 127\.0\.0\.1:\d+\/postgres \(PostgreSQL \d+/);
    expect(ok.message).not.toMatch(/postgres:postgres@/);

    const deadPort = await freePort();
    const refused = await testPostgresConnection(`postgres://u:secret@127.0.0.1:${deadPort}/x`);
    expect(refused).toEqual({ ok: false, message: `Cannot connect to PostgreSQL at 127.0.0.1:${deadPort}/x: nothing is listening there: check the host and port, and that PostgreSQL is running.` });

    const wrong = new URL(inject('postgresUrl'));
    wrong.password = 'wrong-password';
    const rejected = await testPostgresConnection(wrong.toString());
    expect(rejected.ok).toBe(false);
    expect(rejected.message).toMatch(/password was rejected|refused this user/);
    expect(rejected.message).not.toContain('wrong-password');
  });
});
