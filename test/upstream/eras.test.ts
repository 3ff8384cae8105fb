// Protocol eras against real SDK v2 servers (test/support/dual-era-server.ts, of both eras or of
// 2026-07-28 alone): the connection probes a streamable-HTTP server's era and reports it, speaks 2025
// with a server of both eras and 2026 with one of 2026 alone, a stored verdict skips the probe, a
// stale one is probed again, and a 2025 client through the gateway answers the elicitation a 2026
// tool asks for with `input_required`. A 2025-only stdio server stays 'legacy' without a probe.
import { afterEach, describe, expect, it } from 'vitest';
import { ElicitRequestSchema, type ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { createUpstreamConnection } from '../../main/core/upstream/connection.ts';
import type { EraVerdict, UpstreamConnection } from '../../main/core/upstream/types.ts';
import { startDualEraServer, type DualEraServer } from '../support/dual-era-server.ts';
import { startTestGateway } from '../support/gateway.ts';
import { startEverythingHttp, stdioConfigs } from '../support/upstreams.ts';
import { config, fastBackoff, textOf, waitFor } from './helpers.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup().catch(() => {})));
});

async function dualEraServer(options: { modernOnly?: boolean } = {}): Promise<DualEraServer> {
  const server = await startDualEraServer(options);
  cleanups.push(() => server.close());
  return server;
}

const discovers = (server: DualEraServer) => server.requests.get('server/discover') ?? 0;

function connect(url: string, priorEra?: EraVerdict, pingIntervalMs?: number): { connection: UpstreamConnection; eras: EraVerdict[] } {
  const connection = createUpstreamConnection(config({ name: 'both', transport: 'streamable_http', url }), { backoff: fastBackoff, priorEra, pingIntervalMs });
  cleanups.push(() => connection.stop());
  const eras: EraVerdict[] = [];
  connection.on('era', (verdict) => eras.push(verdict));
  return { connection, eras };
}

const echo = async (connection: UpstreamConnection) =>
  textOf(await connection.request({ method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }));

describe('protocol eras of an upstream', () => {
  it('probes a streamable-HTTP server of 2026-07-28 alone, speaks 2026-07-28 with it and reports the verdict', async () => {
    const server = await dualEraServer({ modernOnly: true });
    const { connection, eras } = connect(server.url);
    await connection.start();
    expect(connection.era).toMatchObject({ era: 'modern', discover: { supportedVersions: expect.arrayContaining(['2026-07-28']) } });
    expect(eras).toEqual([connection.era]);
    expect(discovers(server)).toBe(1);
    expect(connection.catalog!.protocolVersion).toBe('2026-07-28');
    expect(connection.catalog!.tools.map((tool) => tool.name).sort()).toEqual(['ask_name', 'echo', 'secret']);
    expect(await echo(connection)).toBe('hi');
  });

  it('reaches a server of both eras in 2025 (as 2025 clients would), reporting that it speaks 2026-07-28', async () => {
    const server = await dualEraServer();
    const { connection, eras } = connect(server.url);
    await connection.start();
    expect(connection.era).toMatchObject({ era: 'modern', discover: { supportedVersions: expect.arrayContaining(['2026-07-28']) } });
    expect(eras).toEqual([connection.era]);
    expect(connection.catalog!.protocolVersion).toBe('2025-11-25');
    expect(await echo(connection)).toBe('hi');
  });

  it('adopts a stored verdict without probing', async () => {
    const server = await dualEraServer();
    const first = connect(server.url);
    await first.connection.start();
    const verdict = first.connection.era!;
    await first.connection.stop();

    const again = connect(server.url, verdict);
    await again.connection.start();
    expect(discovers(server)).toBe(1);
    expect(again.eras).toEqual([]);
    expect(again.connection.era?.era).toBe('modern');
    expect(await echo(again.connection)).toBe('hi');

    const legacy = connect(server.url, { era: 'legacy', checkedAt: new Date().toISOString() });
    await legacy.connection.start();
    expect(discovers(server)).toBe(1);
    expect(legacy.connection.era?.era).toBe('legacy');
    expect(legacy.connection.catalog!.protocolVersion).toBe('2025-11-25');
    expect(await echo(legacy.connection)).toBe('hi');
  });

  it('probes again when a stored modern verdict no longer matches the server', async () => {
    const server = await dualEraServer({ modernOnly: true });
    const stale: EraVerdict = { era: 'modern', discover: { supportedVersions: ['2025-06-18'], capabilities: { tools: {} } }, checkedAt: new Date(0).toISOString() };
    const { connection, eras } = connect(server.url, stale);
    await connection.start();
    expect(discovers(server)).toBe(1);
    expect(eras).toHaveLength(1);
    expect(eras[0]).toMatchObject({ era: 'modern', discover: { supportedVersions: expect.arrayContaining(['2026-07-28']) } });
    expect(connection.logLines().some((line) => line.includes('stored protocol verdict no longer matches'))).toBe(true);
    expect(await echo(connection)).toBe('hi');
  });

  it('hears list changes and resource updates on its listen stream', async () => {
    const server = await dualEraServer({ modernOnly: true });
    const { connection } = connect(server.url);
    const updated: unknown[] = [];
    connection.on('notification', (notification) => {
      if (notification.method === 'notifications/resources/updated') updated.push(notification.params.uri);
    });
    await connection.start();
    await connection.request({ method: 'resources/subscribe', params: { uri: 'note://today' } });
    server.addTool();
    await waitFor(() => connection.catalog!.tools.some((tool) => tool.name === 'later'), 'the added tool in the catalog');
    server.touchNote();
    await waitFor(() => updated.includes('note://today'), 'the resource update');
    expect(discovers(server)).toBe(1);
  });

  it('still reaches a server that went back to 2025 under a stored modern verdict, in 2025', async () => {
    const upstream = await startEverythingHttp('streamableHttp');
    cleanups.push(() => upstream.stop());
    const modern: EraVerdict = { era: 'modern', discover: { supportedVersions: ['2026-07-28'], capabilities: { tools: {} } }, checkedAt: new Date().toISOString() };
    const { connection, eras } = connect(upstream.url, modern);
    await connection.start();
    expect(connection.catalog!.protocolVersion).toBe('2025-11-25');
    expect(textOf(await connection.request({ method: 'tools/call', params: { name: 'echo', arguments: { message: 'back' } } }))).toBe('Echo: back');
    // The verdict is the stored one until it is retired (24 h, or `canopy restart`): no probe was sent.
    expect(eras).toEqual([]);
  });

  it('checks a 2026 server is still there with server/discover (that era has no ping)', async () => {
    const server = await dualEraServer({ modernOnly: true });
    const { connection } = connect(server.url, undefined, 100);
    await connection.start();
    await waitFor(() => discovers(server) >= 4, 'three keep-alive probes');
    expect(connection.state.status).toBe('running');
    expect(await echo(connection)).toBe('hi');
  });

  it('keeps a 2025-only stdio server in the legacy era, without a probe', async () => {
    const connection = createUpstreamConnection(config(stdioConfigs.everything()), { backoff: fastBackoff });
    cleanups.push(() => connection.stop());
    const eras: EraVerdict[] = [];
    connection.on('era', (verdict) => eras.push(verdict));
    await connection.start();
    expect(connection.era?.era).toBe('legacy');
    expect(eras).toEqual([]);
    expect(textOf(await connection.request({ method: 'tools/call', params: { name: 'echo', arguments: { message: 'old' } } }))).toBe('Echo: old');
  });
});

describe('a 2025 client in front of a 2026 server', () => {
  it('gets the elicitation a tool asks for with input_required on its session, and its answer reaches the tool', async () => {
    const server = await dualEraServer({ modernOnly: true });
    const t = await startTestGateway();
    cleanups.push(() => t.close());
    await t.api.registerServer({ config: { name: 'dual', transport: 'streamable_http', url: server.url } });
    const [alice, bob] = await Promise.all([t.connect('/mcp', { elicitation: {} }), t.connect('/mcp', { elicitation: {} })]);
    const asked: Record<string, string[]> = { alice: [], bob: [] };
    const answerAs = (name: 'alice' | 'bob') => async (request: ElicitRequest) => {
      asked[name].push(request.params.message);
      return { action: 'accept' as const, content: { name } };
    };
    alice.setRequestHandler(ElicitRequestSchema, answerAs('alice'));
    bob.setRequestHandler(ElicitRequestSchema, answerAs('bob'));

    // Both at once on the one shared connection: each call's question goes to its own client.
    const [aliceGreeted, bobGreeted] = await Promise.all([
      alice.callTool({ name: 'dual__ask_name', arguments: {} }),
      bob.callTool({ name: 'dual__ask_name', arguments: {} }),
    ]);
    expect(textOf(aliceGreeted)).toBe('Hello, alice!');
    expect(textOf(bobGreeted)).toBe('Hello, bob!');
    expect(asked).toEqual({ alice: ['What is your name?'], bob: ['What is your name?'] });
    expect((await t.api.getServer('dual')).protocolEra).toBe('modern');
  });
});
