import { describe, expect, it } from 'vitest';
import { openStore } from '../../main/core/store/open.ts';
import { parseServerConfig } from '../../main/core/config/server-config.ts';
import { freshStoreEachTest, storeKinds } from '../support/databases.ts';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { migrations } from '../../main/core/store/migrations/index.ts';
import type { Store, StoreLocation } from '../../main/core/store/open.ts';

/** Prepares a database the way a Canopy of migration `last` left it, with `seed` written in that version's shape. */
async function databaseAt(location: StoreLocation, last: string, seed: (db: Kysely<any>) => Promise<void>): Promise<void> {
  const dialect =
    location.kind === 'sqlite'
      ? new SqliteDialect({ database: new BetterSqlite3(location.path) })
      : new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url }) });
  const db = new Kysely<any>({ dialect });
  try {
    const upTo = Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= last));
    const migrator = new Migrator({ db, provider: { getMigrations: async () => upTo }, migrationTableName: 'canopy_migration', migrationLockTableName: 'canopy_migration_lock' });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
    await seed(db);
  } finally {
    await db.destroy();
  }
}

/** A stdio server 'old', in the servers table's shape since migration 1. */
async function insertOldServer(db: Kysely<any>): Promise<void> {
  const now = new Date().toISOString();
  const config = JSON.stringify({ name: 'old', transport: 'stdio', command: 'node' });
  await db.insertInto('servers').values({ name: 'old', transport: 'stdio', description: '', config, enabled: 1, created_at: now, updated_at: now }).execute();
}

describe.each(storeKinds)('store on $kind', ({ fresh }) => {
  /** A database left by a Canopy of migration `last` (seeded in that version's shape), opened by this one for `check`. */
  async function migratedFrom(last: string, seed: (db: Kysely<any>) => Promise<void>, check: (store: Store) => Promise<void>): Promise<void> {
    const where = await fresh();
    try {
      await databaseAt(where.location, last, seed);
      const store = await openStore(where.location);
      try {
        await check(store);
      } finally {
        await store.close();
      }
    } finally {
      await where.drop();
    }
  }

  it('migrates a database of an earlier version, keeping its servers and switches', async () => {
    await migratedFrom(
      '0004-secret-cleanup',
      async (db) => {
        await insertOldServer(db);
        await db.insertInto('item_settings').values({ server_name: 'old', kind: 'tool', item_name: 'rm', enabled: 0 }).execute();
      },
      async (store) => {
        expect((await store.servers.list()).map((s) => [s.name, s.config.alias])).toEqual([['old', undefined]]);
        expect(await store.itemSettings.list()).toEqual([expect.objectContaining({ server: 'old', kind: 'tool', name: 'rm', enabled: false })]);
        // The new alias column refuses a second server with the same alias.
        await store.servers.insert(parseServerConfig({ name: 'a', alias: 'x', command: 'node' }));
        await expect(store.servers.insert(parseServerConfig({ name: 'b', alias: 'x', command: 'node' }))).rejects.toThrow();
      },
    );
  });

  it('migrates a database of version 6 to one that keeps a protocol-era verdict per server', async () => {
    await migratedFrom(
      '0006-tool-overrides',
      insertOldServer,
      async (store) => {
        expect((await store.servers.list()).map((s) => s.name)).toEqual(['old']);
        expect(await store.protocolEras.get('old')).toBeUndefined();
        await store.protocolEras.save('old', { era: 'legacy', checkedAt: '2026-12-01T00:00:00.000Z', destination: 'd' });
        expect(await store.protocolEras.get('old')).toEqual({ era: 'legacy', checkedAt: '2026-12-01T00:00:00.000Z', destination: 'd' });
        // A verdict belongs to a registered server.
        await expect(store.protocolEras.save('nobody', { era: 'legacy', checkedAt: '2026-12-01T00:00:00.000Z', destination: 'd' })).rejects.toThrow();
      },
    );
  });

  it('migrates a database of version 8 to one with user allow-lists (existing users keep everything) and OAuth client rules', async () => {
    await migratedFrom(
      '0008-catalog-cache',
      async (db) => {
        const now = new Date().toISOString();
        await db.insertInto('users').values({ name: 'ann', role: 'user', token_hash: 'ab'.repeat(32), token_expires_at: null, created_at: now, updated_at: now }).execute();
      },
      async (store) => {
        expect((await store.users.get('ann'))?.allow).toEqual(['*']);
        expect(await store.users.update('ann', { allow: ['github'] })).toBe(true);
        expect((await store.users.get('ann'))?.allow).toEqual(['github']);
        const claude = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
        await store.transaction((tx) => tx.oauthClientRules.insert({ clientId: claude, description: 'Claude', allow: ['github'] }));
        await expect(store.oauthClientRules.insert({ clientId: claude, description: '', allow: [] })).rejects.toThrow();
        expect(await store.oauthClientRules.update(claude, { allow: ['*'] })).toBe(true);
        expect(await store.oauthClientRules.list()).toEqual([expect.objectContaining({ clientId: claude, description: 'Claude', allow: ['*'] })]);
        expect(await store.oauthClientRules.delete(claude)).toBe(true);
        expect(await store.oauthClientRules.get(claude)).toBeUndefined();
      },
    );
  });

  it('migrates a database of version 7 to one that keeps the last catalog per server', async () => {
    await migratedFrom(
      '0007-protocol-eras',
      insertOldServer,
      async (store) => {
        expect((await store.servers.list()).map((s) => s.name)).toEqual(['old']);
        expect((await store.catalogCache.list()).size).toBe(0);
        const catalog = { serverInfo: { name: 'old', version: '1' }, capabilities: { tools: {} }, tools: [{ name: 'echo', inputSchema: { type: 'object' } }], prompts: [], resources: [], resourceTemplates: [] };
        await store.catalogCache.save('old', { launch: 'a', catalog, learnedAt: '2026-12-01T00:00:00.000Z' });
        const renamed = { ...catalog, tools: [{ name: 'echo2', inputSchema: { type: 'object' } }] };
        await store.transaction((tx) => tx.catalogCache.save('old', { launch: 'b', catalog: renamed, learnedAt: '2026-12-01T00:00:01.000Z' }));
        expect(await store.catalogCache.list()).toEqual(new Map([['old', { launch: 'b', catalog: renamed, learnedAt: '2026-12-01T00:00:01.000Z' }]]));
        // A catalog belongs to a registered server, and goes with it.
        await expect(store.catalogCache.save('nobody', { launch: 'a', catalog, learnedAt: '2026-12-01T00:00:00.000Z' })).rejects.toThrow();
        await store.servers.delete('old');
        expect((await store.catalogCache.list()).size).toBe(0);
      },
    );
  });

  const t = freshStoreEachTest(fresh);

  const memory = parseServerConfig({ name: 'memory', command: 'node', args: ['server.js'] });

  it('inserts, lists, updates and deletes servers', async () => {
    await t.store.servers.insert(memory);
    await t.store.servers.insert(parseServerConfig({ name: 'api', url: 'http://127.0.0.1:9/mcp' }), false);
    const all = await t.store.servers.list();
    expect(all.map((s) => [s.name, s.transport, s.enabled])).toEqual([
      ['api', 'streamable_http', false],
      ['memory', 'stdio', true],
    ]);
    expect(await t.store.servers.setEnabled('api', true)).toBe(true);
    expect(await t.store.servers.setEnabled('missing', true)).toBe(false);
    await t.store.servers.replaceConfig({ ...memory, description: 'knowledge graph' });
    expect((await t.store.servers.get('memory'))?.description).toBe('knowledge graph');
    expect(await t.store.servers.delete('memory')).toBe(true);
    expect(await t.store.servers.get('memory')).toBeUndefined();
  });

  it('refuses a duplicate name', async () => {
    await t.store.servers.insert(memory);
    await expect(t.store.servers.insert(memory)).rejects.toThrow();
  });

  it('keeps item switches per server and drops them with the server', async () => {
    await t.store.servers.insert(memory);
    await t.store.itemSettings.set('memory', 'tool', 'read_graph', false);
    await t.store.itemSettings.set('memory', 'tool', 'read_graph', true);
    await t.store.itemSettings.set('memory', 'prompt', 'p', false);
    expect(await t.store.itemSettings.list()).toEqual([
      { server: 'memory', kind: 'prompt', name: 'p', enabled: false },
      { server: 'memory', kind: 'tool', name: 'read_graph', enabled: true },
    ]);
    await t.store.servers.delete('memory');
    expect(await t.store.itemSettings.list()).toEqual([]);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      t.store.transaction(async (tx) => {
        await tx.servers.insert(memory);
        await tx.settings.set('mode', 'development');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.store.servers.list()).toEqual([]);
    expect(await t.store.settings.get('mode')).toBeUndefined();
  });

  it('keeps one protocol-era verdict per server, replaces it, and drops it with the server', async () => {
    await t.store.servers.insert(memory);
    await t.store.servers.insert(parseServerConfig({ name: 'api', url: 'http://127.0.0.1:9/mcp' }));
    const discover = { protocolVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'api', version: '1.0.0' } };
    await t.store.protocolEras.save('memory', { era: 'legacy', checkedAt: '2026-12-01T10:00:00.000Z', destination: 'a' });
    await t.store.protocolEras.save('api', { era: 'modern', discover, checkedAt: '2026-12-01T10:00:01.000Z', destination: 'b' });
    expect(await t.store.protocolEras.get('api')).toEqual({ era: 'modern', discover, checkedAt: '2026-12-01T10:00:01.000Z', destination: 'b' });
    await t.store.transaction((tx) => tx.protocolEras.save('memory', { era: 'modern', discover, checkedAt: '2026-12-01T11:00:00.000Z', destination: 'c' }));
    expect([...(await t.store.protocolEras.list())].map(([server, verdict]) => [server, verdict.era, verdict.destination])).toEqual(
      expect.arrayContaining([
        ['memory', 'modern', 'c'],
        ['api', 'modern', 'b'],
      ]),
    );
    expect(await t.store.protocolEras.drop('memory')).toBe(true);
    expect(await t.store.protocolEras.drop('memory')).toBe(false);
    await t.store.servers.delete('api');
    expect((await t.store.protocolEras.list()).size).toBe(0);
  });

  it('runs migrations once and reopens with the data intact', async () => {
    await t.store.servers.insert(memory);
    await t.store.close();
    t.store = await openStore(t.where.location);
    expect((await t.store.servers.list()).map((s) => s.name)).toEqual(['memory']);
  });
});
