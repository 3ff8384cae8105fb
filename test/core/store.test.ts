import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../main/core/store/open.ts';
import { parseServerConfig } from '../../main/core/config/server-config.ts';
import { storeKinds, type TestLocation } from '../support/databases.ts';

describe.each(storeKinds)('store on $kind', ({ fresh }) => {
  let where: TestLocation;
  let store: Store;

  beforeEach(async () => {
    where = await fresh();
    store = await openStore(where.location);
  });
  afterEach(async () => {
    await store.close();
    await where.drop();
  });

  const memory = parseServerConfig({ name: 'memory', command: 'node', args: ['server.js'] });

  it('inserts, lists, updates and deletes servers', async () => {
    await store.servers.insert(memory);
    await store.servers.insert(parseServerConfig({ name: 'api', url: 'http://127.0.0.1:9/mcp' }), false);
    const all = await store.servers.list();
    expect(all.map((s) => [s.name, s.transport, s.enabled])).toEqual([
      ['api', 'streamable_http', false],
      ['memory', 'stdio', true],
    ]);
    expect(await store.servers.setEnabled('api', true)).toBe(true);
    expect(await store.servers.setEnabled('missing', true)).toBe(false);
    await store.servers.replaceConfig({ ...memory, description: 'knowledge graph' });
    expect((await store.servers.get('memory'))?.description).toBe('knowledge graph');
    expect(await store.servers.delete('memory')).toBe(true);
    expect(await store.servers.get('memory')).toBeUndefined();
  });

  it('refuses a duplicate name', async () => {
    await store.servers.insert(memory);
    await expect(store.servers.insert(memory)).rejects.toThrow();
  });

  it('keeps item switches per server and drops them with the server', async () => {
    await store.servers.insert(memory);
    await store.itemSettings.set('memory', 'tool', 'read_graph', false);
    await store.itemSettings.set('memory', 'tool', 'read_graph', true);
    await store.itemSettings.set('memory', 'prompt', 'p', false);
    expect(await store.itemSettings.list()).toEqual([
      { server: 'memory', kind: 'prompt', name: 'p', enabled: false },
      { server: 'memory', kind: 'tool', name: 'read_graph', enabled: true },
    ]);
    await store.servers.delete('memory');
    expect(await store.itemSettings.list()).toEqual([]);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.servers.insert(memory);
        await tx.settings.set('mode', 'development');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.servers.list()).toEqual([]);
    expect(await store.settings.get('mode')).toBeUndefined();
  });

  it('runs migrations once and reopens with the data intact', async () => {
    await store.servers.insert(memory);
    await store.close();
    store = await openStore(where.location);
    expect((await store.servers.list()).map((s) => s.name)).toEqual(['memory']);
  });
});
