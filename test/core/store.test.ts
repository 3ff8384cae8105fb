import { describe, expect, it } from 'vitest';
import { openStore } from '../../main/core/store/open.ts';
import { parseServerConfig } from '../../main/core/config/server-config.ts';
import { freshStoreEachTest, storeKinds } from '../support/databases.ts';

describe.each(storeKinds)('store on $kind', ({ fresh }) => {
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

  it('runs migrations once and reopens with the data intact', async () => {
    await t.store.servers.insert(memory);
    await t.store.close();
    t.store = await openStore(t.where.location);
    expect((await t.store.servers.list()).map((s) => s.name)).toEqual(['memory']);
  });
});
