// Each upstream's MCP era: shown by the admin API (the CLI's table: commands.e2e.test.ts), stored per server, and
// dropped when the server is restarted, pointed elsewhere or removed (so it is probed again).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freshPostgres, storeKinds, type TestLocation } from '../support/databases.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { openStore, type Store } from '../../main/core/store/open.ts';
import { parseServerConfig } from '../../main/core/config/server-config.ts';
import { ERA_VERDICT_MAX_AGE_MS, eraDestination, freshVerdict, storedVerdict } from '../../main/core/registry/era-verdicts.ts';
import type { EraVerdict } from '../../main/core/upstream/types.ts';
import { Registry } from '../../main/core/registry/registry.ts';
import { serverView } from '../../main/core/api/server-views.ts';
import { createUpstreamConnection } from '../../main/core/upstream/index.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { silentLogger } from '../../main/core/telemetry/logger.ts';

const STARTUP_MS = 30_000;
const SLOW = { timeout: 90_000 };

describe('era verdict policy', () => {
  const api = parseServerConfig({ name: 'api', url: 'https://mcp.example.com/mcp?key=s3cret' });
  const now = Date.parse('2026-12-02T12:00:00Z');
  const verdict = (hoursAgo: number): EraVerdict => ({ era: 'modern', discover: { protocolVersions: ['2026-07-28'] }, checkedAt: new Date(now - hoursAgo * 3_600_000).toISOString() });

  it('reuses a verdict for 24 hours, for the destination it was found for only', () => {
    expect(ERA_VERDICT_MAX_AGE_MS).toBe(24 * 3_600_000);
    expect(freshVerdict(storedVerdict(verdict(23), api), api, now)).toEqual(verdict(23));
    expect(freshVerdict(storedVerdict(verdict(25), api), api, now)).toBeUndefined();
    const moved = { ...api, url: 'https://other.example.com/mcp' };
    expect(freshVerdict(storedVerdict(verdict(1), api), moved, now)).toBeUndefined();
    expect(freshVerdict({ ...storedVerdict(verdict(1), api), checkedAt: 'yesterday' }, api, now)).toBeUndefined();
  });

  it('stores no part of the URL (it may carry a credential)', () => {
    expect(eraDestination(api)).toMatch(/^[0-9a-f]{64}$/);
    expect(eraDestination(api)).not.toBe(eraDestination({ ...api, url: 'https://mcp.example.com/mcp?key=other' }));
  });
});

describe.each(storeKinds)('protocol eras of registered servers on $kind', ({ fresh }) => {
  let where: TestLocation;
  let gateway: TestGateway;
  /** A second view of the gateway's database, to see what it stored. */
  let store: Store;
  let dir: string;

  beforeAll(async () => {
    where = await fresh();
    gateway = await startTestGateway({ location: where });
    store = await openStore(where.location);
    dir = mkdtempSync(join(tmpdir(), 'canopy-era-'));
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await gateway?.close();
    await where?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What a probe of the SDK v2 connection reports; SDK v1 connections only initialize and never probe. */
  const probeFinds = (server: string, found: EraVerdict) => gateway.gateway.registry.connection(server)!.emit('era', found);
  const modern = (): EraVerdict => ({ era: 'modern', discover: { protocolVersions: ['2026-07-28'], serverInfo: { name: 'x', version: '1' } }, checkedAt: new Date().toISOString() });

  it('a running stdio server shows its era in the admin API', SLOW, async () => {
    const before = Date.now();
    await gateway.api.registerServer({ config: stdioConfigs.sequentialThinking('thinking') });
    const view = await gateway.api.getServer('thinking');
    expect(view.protocolEra).toBe('legacy');
    expect(Date.parse(view.protocolEraCheckedAt!)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("stores a probe's verdict; `canopy restart` drops it", SLOW, async () => {
    const found = modern();
    probeFinds('thinking', found);
    const stored = await eventually(() => store.protocolEras.get('thinking'), 10_000, 'the verdict to be stored');
    expect(stored).toEqual({ ...found, destination: eraDestination(parseServerConfig(stdioConfigs.sequentialThinking('thinking'))) });
    await gateway.api.restartServer('thinking');
    expect(await store.protocolEras.get('thinking')).toBeUndefined();
    await eventually(async () => (await gateway.api.getServer('thinking')).state.status === 'running', STARTUP_MS, 'thinking to run again');
  });

  it('drops the verdict when the command changes or the server is removed', SLOW, async () => {
    const planted = modern();
    probeFinds('thinking', planted);
    await eventually(() => store.protocolEras.get('thinking'), 10_000, 'the verdict to be stored');
    await gateway.api.registerServer({ config: stdioConfigs.memory('thinking', join(dir, 'memory.jsonl')), force: true });
    // Gone, or replaced by what the registration's own probe found for the new command.
    expect((await store.protocolEras.get('thinking'))?.checkedAt).not.toBe(planted.checkedAt);

    probeFinds('thinking', modern());
    await eventually(() => store.protocolEras.get('thinking'), 10_000, 'the verdict to be stored');
    await gateway.api.deregisterServer('thinking');
    expect(await store.protocolEras.get('thinking')).toBeUndefined();
  });
});

describe('a stored verdict spares the next start its probe', () => {
  let where: TestLocation;
  let dir: string;
  const stores: Store[] = [];
  const registries: Registry[] = [];

  beforeAll(async () => {
    where = await freshPostgres();
    dir = mkdtempSync(join(tmpdir(), 'canopy-era-replicas-'));
  });

  afterAll(async () => {
    await Promise.allSettled(registries.map((registry) => registry.stopAll()));
    await Promise.allSettled(stores.map((store) => store.close()));
    await where?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A replica's registry on the shared PostgreSQL; `priorEras` records what each connection it made was given. */
  async function replica(): Promise<{ registry: Registry; store: Store; priorEras: (EraVerdict | undefined)[] }> {
    const store = await openStore(where.location);
    stores.push(store);
    const priorEras: (EraVerdict | undefined)[] = [];
    const registry = new Registry({
      store,
      secrets: new FileSecretStore(dir),
      logger: silentLogger(),
      perUserCredentials: false,
      connections: {
        create(config, options) {
          priorEras.push(options?.priorEra);
          return createUpstreamConnection(config, options);
        },
        startAuthorization: () => Promise.reject(new Error('no OAuth here')),
        forgetAuthorization: async () => {},
        dropUserCredentials: async () => {},
        credentialWarnings: () => [],
        detectTransport: async () => 'streamable_http',
      },
    });
    registries.push(registry);
    await registry.load();
    return { registry, store, priorEras };
  }

  it("a second replica starts the server with the first one's verdict while it is fresh, and probes once it is 24 h old", SLOW, async () => {
    const a = await replica();
    await a.registry.registerServer({ config: stdioConfigs.sequentialThinking('thinking') });
    expect(a.priorEras).toEqual([undefined]);
    const found: EraVerdict = { era: 'modern', discover: { protocolVersions: ['2026-07-28'] }, checkedAt: new Date().toISOString() };
    a.registry.connection('thinking')!.emit('era', found);
    await eventually(() => a.store.protocolEras.get('thinking'), 10_000, 'the verdict to be stored');

    const b = await replica();
    await eventually(() => b.priorEras.length === 1, 10_000, 'B to start thinking');
    expect(b.priorEras).toEqual([found]);

    const stale = { ...found, checkedAt: new Date(Date.now() - ERA_VERDICT_MAX_AGE_MS - 60_000).toISOString() };
    await a.store.protocolEras.save('thinking', storedVerdict(stale, parseServerConfig(stdioConfigs.sequentialThinking('thinking'))));
    await b.registry.setServerEnabled('thinking', false);
    // Stopped, it shows the era it was last known to speak.
    expect(serverView(b.registry.requireSlot('thinking')).protocolEra).toBe('modern');
    await b.registry.setServerEnabled('thinking', true);
    await eventually(() => b.priorEras.length === 2, 10_000, 'B to start thinking again');
    expect(b.priorEras[1]).toBeUndefined();
  });
});
