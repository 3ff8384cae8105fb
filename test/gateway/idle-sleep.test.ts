// stdio servers sleep when idle: the process stops after idle_timeout_seconds, the tools stay listed
// (from the stored catalog, across gateway restarts too), and the next call starts it again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freshSqlite, type TestLocation } from '../support/databases.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { shapedStdioConfig } from '../support/shaped-server.ts';
import { openStore } from '../../main/core/store/open.ts';
import { createGateway } from '../../main/core/index.ts';
import { silentLogger } from '../../main/core/telemetry/logger.ts';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ServerConfigInput } from '../../main/core/config/server-config.ts';
import { processAlive } from '../../main/core/upstream/process-group.ts';

const echoEntry = join(import.meta.dirname, '..', 'bench', 'echo-server.mjs');
const echo = (name: string, extra: Record<string, unknown> = {}) => ({ name, transport: 'stdio' as const, command: process.execPath, args: [echoEntry], ...extra });
const SLOW = { timeout: 60_000 };

const gateways: TestGateway[] = [];
const locations: TestLocation[] = [];
afterEach(async () => {
  await Promise.allSettled(gateways.splice(0).map((t) => t.close()));
  await Promise.allSettled(locations.splice(0).map((where) => where.drop()));
});

async function gateway(options: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const t = await startTestGateway(options);
  gateways.push(t);
  return t;
}

const text = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? '');
/** How many times the server's process was started (the connection notes each start in the log). */
const starts = (t: TestGateway, server: string) => t.gateway.registry.connection(server)!.logLines().filter((line) => line.includes('[canopy] running (pid')).length;
const status = async (t: TestGateway, server: string) => (await t.api.getServer(server)).state;

describe('idle stdio servers', () => {
  it('sleep after their timeout (the process is gone), stay listed alike, and wake at a call', SLOW, async () => {
    const t = await gateway();
    await t.api.registerServer({ config: echo('echo', { idle_timeout_seconds: 1 }) });
    const pid = (await status(t, 'echo')).pid!;
    expect(processAlive(pid)).toBe(true);
    const client = await t.connect();
    const before = (await client.listTools()).tools;
    expect(before.map((tool) => tool.name)).toEqual(['echo__echo']);

    await eventually(async () => (await status(t, 'echo')).status === 'sleeping', 10_000, 'the server to sleep');
    expect((await status(t, 'echo')).pid).toBeUndefined();
    await eventually(() => !processAlive(pid), 5_000, `process ${pid} to be gone`);
    expect((await client.listTools()).tools).toEqual(before);
    expect((await t.api.getServer('echo')).toolCount).toBe(1);

    expect(text(await client.callTool({ name: 'echo__echo', arguments: { message: 'awake' } }))).toBe('awake');
    const woken = await status(t, 'echo');
    expect(woken.status).toBe('running');
    expect(woken.pid).not.toBe(pid);
    expect(starts(t, 'echo')).toBe(2);
  });

  it('wake once for concurrent calls', SLOW, async () => {
    const t = await gateway({ settingsEnv: { CANOPY_IDLE_TIMEOUT_SECONDS: '1' } });
    // No idle_timeout_seconds of its own: the gateway's default (CANOPY_IDLE_TIMEOUT_SECONDS) applies.
    await t.api.registerServer({ config: echo('echo') });
    await eventually(async () => (await status(t, 'echo')).status === 'sleeping', 10_000, 'the server to sleep');
    const client = await t.connect();
    const calls = Array.from({ length: 8 }, (_, i) => client.callTool({ name: 'echo__echo', arguments: { message: `m${i}` } }));
    expect((await Promise.all(calls)).map(text)).toEqual(Array.from({ length: 8 }, (_, i) => `m${i}`));
    expect(starts(t, 'echo')).toBe(2);
  });

  it('stay awake while a call runs and while a resource subscription is open', SLOW, async () => {
    const t = await gateway();
    await t.api.registerServer({ config: { ...stdioConfigs.everything(), idle_timeout_seconds: 1 } });
    const client = await t.connect();
    // A call of 3 s on a server with a 1 s timeout: it does not sleep under the call.
    await client.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 3, steps: 3 } });
    expect((await status(t, 'everything')).status).toBe('running');
    expect(starts(t, 'everything')).toBe(1);

    const [resource] = (await client.listResources()).resources;
    await client.subscribeResource({ uri: resource!.uri });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await status(t, 'everything')).status).toBe('running');
    await client.unsubscribeResource({ uri: resource!.uri });
    await eventually(async () => (await status(t, 'everything')).status === 'sleeping', 10_000, 'the server to sleep once unsubscribed');
    expect(starts(t, 'everything')).toBe(1);

    // A session that ends without unsubscribing does not keep the server awake either.
    const leaving = await t.connect();
    await leaving.subscribeResource({ uri: resource!.uri });
    expect((await status(t, 'everything')).status).toBe('running');
    await (leaving.transport as StreamableHTTPClientTransport).terminateSession();
    await eventually(async () => (await status(t, 'everything')).status === 'sleeping', 10_000, 'the server to sleep once the subscribing session ended');
  });

  it('store list changes of a running server, and tell clients when a woken server offers something else', SLOW, async () => {
    const where = await freshSqlite();
    locations.push(where);
    const t = await gateway({ location: where });
    const store = await openStore(where.location);
    try {
      await t.api.registerServer({ config: { ...shapedStdioConfig('odd', 'names'), idle_timeout_seconds: 1 } });
      const client = await t.connect();
      let changes = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        changes += 1;
      });
      const listed = async () => (await client.listTools()).tools.map((tool) => tool.name);
      const stored = async () => ((await store.catalogCache.list()).get('odd')?.catalog as { tools: { name: string }[] }).tools.map((tool) => tool.name);
      await client.callTool({ name: 'odd__add-tool', arguments: {} });
      await eventually(() => changes === 1, 10_000, 'tools/list_changed after the server added a tool');
      await eventually(async () => (await stored()).includes('added-1'), 10_000, 'the added tool to be stored');

      // Asleep, it is listed as it last was, and clients hear of no change.
      await eventually(async () => (await status(t, 'odd')).status === 'sleeping', 10_000, 'the server to sleep');
      expect(await listed()).toContain('odd__added-1');
      expect(changes).toBe(1);

      // Woken, the new process has no added tool: clients are told, the stored catalog follows.
      expect(text(await client.callTool({ name: 'odd__files_read', arguments: {} }))).toBe('called files_read');
      await eventually(() => changes === 2, 10_000, 'tools/list_changed after the woken server offered less');
      expect(await listed()).not.toContain('odd__added-1');
      await eventually(async () => !(await stored()).includes('added-1'), 10_000, 'the stored catalog to follow');
    } finally {
      await store.close();
    }
  });

  it('never sleep when always_on, and keep their process', SLOW, async () => {
    const t = await gateway({ settingsEnv: { CANOPY_IDLE_TIMEOUT_SECONDS: '1' } });
    await t.api.registerServer({ config: echo('steady', { always_on: true }) });
    const { pid } = await status(t, 'steady');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await status(t, 'steady')).toMatchObject({ status: 'running', pid });
  });

  it('stay asleep across a gateway restart, listed from the stored catalog without starting (one with no stored catalog starts once to learn it)', SLOW, async () => {
    const where = await freshSqlite();
    locations.push(where);
    const first = await startTestGateway({ location: where, settingsEnv: { CANOPY_IDLE_TIMEOUT_SECONDS: '1' } });
    let tools;
    try {
      await first.api.registerServer({ config: echo('echo') });
      await first.api.registerServer({ config: echo('steady', { always_on: true }) });
      await first.api.registerServer({ config: echo('learner') });
      tools = (await (await first.connect()).listTools()).tools.filter((tool) => !tool.name.startsWith('learner__'));
    } finally {
      await first.close();
    }
    const store = await openStore(where.location);
    try {
      await store.db.deleteFrom('catalog_cache').where('server_name', '=', 'learner').execute();
    } finally {
      await store.close();
    }

    const t = await gateway({ location: where, settingsEnv: { CANOPY_IDLE_TIMEOUT_SECONDS: '1' } });
    expect(await status(t, 'echo')).toMatchObject({ status: 'sleeping' });
    const client = await t.connect();
    expect((await client.listTools()).tools).toEqual(tools);
    // The always-on server started as ever; the sleeping one was never spawned.
    await eventually(async () => (await status(t, 'steady')).status === 'running', 10_000, 'the always-on server to run');
    expect(t.gateway.registry.connection('echo')!.logLines().some((line) => line.includes('[canopy] starting'))).toBe(false);

    expect(text(await client.callTool({ name: 'echo__echo', arguments: { message: 'hi' } }))).toBe('hi');
    expect(await status(t, 'echo')).toMatchObject({ status: 'running' });

    await eventually(() => starts(t, 'learner') === 1, 10_000, 'the server with no stored catalog to start');
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('learner__echo');
    await eventually(async () => (await status(t, 'learner')).status === 'sleeping', 10_000, 'it to sleep once idle');
  });
});

describe('idle settings', () => {
  it('are refused for remote servers and out of range', async () => {
    const t = await gateway();
    const refusal = (config: ServerConfigInput) => t.api.registerServer({ config }).then(() => 'registered', (error: Error) => error.message);
    expect(await refusal({ name: 'remote', url: 'http://127.0.0.1:9/mcp', transport: 'streamable_http', always_on: true })).toMatch(
      /field 'always_on' applies to stdio servers only/,
    );
    expect(await refusal(echo('quick', { idle_timeout_seconds: 0 }))).toMatch(/field 'idle_timeout_seconds' must be at least 1/);
    expect(await refusal(echo('long', { idle_timeout_seconds: 86_401 }))).toMatch(/must be at most 86400/);
  });

  it('refuse a bad CANOPY_IDLE_TIMEOUT_SECONDS at start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'canopy-idle-env-'));
    try {
      const start = (value: string) =>
        createGateway({ dataDir, store: { kind: 'sqlite', path: join(dataDir, 'canopy.db') }, logger: silentLogger(), settingsEnv: { CANOPY_IDLE_TIMEOUT_SECONDS: value } });
      await expect(start('soon')).rejects.toThrow(/CANOPY_IDLE_TIMEOUT_SECONDS must be a whole number of seconds/);
      await expect(start('86401')).rejects.toThrow(/CANOPY_IDLE_TIMEOUT_SECONDS must be at most 86400/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
