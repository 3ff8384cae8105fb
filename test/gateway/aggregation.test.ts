// The one endpoint: registering real upstreams (stdio and streamable HTTP), namespacing, the
// per-server endpoint, switches and list_changed, resources that round-trip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, eventually, type TestGateway } from '../support/gateway.ts';
import { startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';
import { ApiError } from '../../main/core/api/client.ts';
import { startRecordingServer } from '../support/recording-server.ts';

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

describe('aggregated gateway with real upstreams', () => {
  let t: TestGateway;
  let http: RunningHttpUpstream;
  let fsRoot: string;

  beforeAll(async () => {
    t = await startTestGateway();
    http = await startEverythingHttp();
    fsRoot = mkdtempSync(join(tmpdir(), 'canopy-fs-'));
    writeFileSync(join(fsRoot, 'hello.txt'), 'hello from the filesystem server');
    await t.api.registerServer({ config: stdioConfigs.everything() });
    await t.api.registerServer({ config: stdioConfigs.memory('memory', join(fsRoot, 'memory.jsonl')) });
    await t.api.registerServer({ config: stdioConfigs.filesystem(fsRoot, 'files') });
    await t.api.registerServer({ config: { name: 'remote', url: http.url, description: 'everything over HTTP' } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await http?.stop();
  });

  it('lists every server with its state and tool count', async () => {
    const servers = await t.api.listServers();
    expect(servers.map((s) => [s.name, s.transport, s.state.status])).toEqual([
      ['everything', 'stdio', 'running'],
      ['files', 'stdio', 'running'],
      ['memory', 'stdio', 'running'],
      ['remote', 'streamable_http', 'running'],
    ]);
    for (const server of servers) expect(server.toolCount).toBeGreaterThan(0);
  });

  it('serves all tools as server__tool on /mcp and routes calls', async () => {
    const client = await t.connect();
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('everything__echo');
    expect(names).toContain('remote__echo');
    expect(names).toContain('memory__read_graph');
    expect(names).toContain('files__read_text_file');
    expect(names.every((n) => /^(everything|files|memory|remote)__/.test(n))).toBe(true);

    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } }))).toBe('Echo: hi');
    expect(text(await client.callTool({ name: 'remote__echo', arguments: { message: 'over http' } }))).toBe('Echo: over http');
    const file = await client.callTool({ name: 'files__read_text_file', arguments: { path: join(fsRoot, 'hello.txt') } });
    expect(text(file)).toContain('hello from the filesystem server');
    await client.callTool({
      name: 'memory__create_entities',
      arguments: { entities: [{ name: 'Canopy', entityType: 'project', observations: ['an MCP gateway'] }] },
    });
    expect(text(await client.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('Canopy');
  });

  it('answers an unknown tool with a clear error', async () => {
    const client = await t.connect();
    await expect(client.callTool({ name: 'nope__echo', arguments: {} })).rejects.toThrow(/no server named 'nope'/);
    await expect(client.callTool({ name: 'echo', arguments: {} })).rejects.toThrow(/server__tool/);
  });

  it('serves one upstream with its names unchanged on /servers/{name}/mcp', async () => {
    const client = await t.connect('/servers/everything/mcp');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('echo');
    expect(tools.some((tool) => tool.name.includes('__'))).toBe(false);
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'direct' } }))).toBe('Echo: direct');
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    expect(resources[0].uri.startsWith('canopy://')).toBe(false);
  });

  it('refuses an endpoint for a server that is not registered', async () => {
    const response = await fetch(`${t.url}/servers/ghost/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.status).toBe(404);
  });

  it('maps resource URIs one-to-one and reads them back', async () => {
    const client = await t.connect();
    const { resources } = await client.listResources();
    const everything = resources.filter((r) => r.uri.startsWith('canopy://everything/'));
    expect(everything.length).toBeGreaterThan(0);
    const first = everything[0];
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0].uri).toBe(first.uri);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.some((tpl) => tpl.uriTemplate.startsWith('canopy://everything/'))).toBe(true);
  });

  it('gets a prompt by its qualified name', async () => {
    const client = await t.connect();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('everything__simple-prompt');
    const prompt = await client.getPrompt({ name: 'everything__simple-prompt' });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it('hides a disabled tool at once, tells clients, and refuses calls with what to do', async () => {
    const client = await t.connect();
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    await t.api.setToolEnabled('everything__echo', false);
    await eventually(() => changes > 0, 5_000, 'tools/list_changed');
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('everything__echo');
    await expect(client.callTool({ name: 'everything__echo', arguments: { message: 'x' } })).rejects.toThrow(
      /disabled: enable it with `canopy enable tool everything__echo`/,
    );
    expect((await t.api.listTools('everything')).find((tool) => tool.name === 'everything__echo')?.enabled).toBe(false);
    await t.api.setToolEnabled('everything__echo', true);
    await eventually(async () => (await client.listTools()).tools.some((tool) => tool.name === 'everything__echo'));
  });

  it('toggles a server: its tools leave and come back, clients are told', async () => {
    const client = await t.connect();
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    await t.api.setServerEnabled('memory', false);
    await eventually(() => changes > 0, 5_000, 'tools/list_changed');
    expect((await client.listTools()).tools.some((tool) => tool.name.startsWith('memory__'))).toBe(false);
    await expect(client.callTool({ name: 'memory__read_graph', arguments: {} })).rejects.toThrow(/server 'memory' is disabled/);
    expect((await t.api.getServer('memory')).state.status).toBe('stopped');

    await t.api.setServerEnabled('memory', true);
    await eventually(async () => (await client.listTools()).tools.some((tool) => tool.name === 'memory__read_graph'), 20_000);
    // The notification travels on the GET stream and may land after the list that already shows the tools.
    await eventually(() => changes >= 2, 5_000, 'tools/list_changed after enabling');
  });

  it('refreshes when an upstream changes its tools, and tells clients', async () => {
    const recorder = await startRecordingServer();
    try {
      await t.api.registerServer({ config: { name: 'growing', url: recorder.url('streamable_http') } });
      const client = await t.connect();
      let changes = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        changes += 1;
      });
      expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('growing__added-1');
      await client.callTool({ name: 'growing__add-tool', arguments: {} });
      await eventually(() => changes > 0, 10_000, 'tools/list_changed after the upstream changed');
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('growing__added-1');
      expect(text(await client.callTool({ name: 'growing__added-1', arguments: {} }))).toBe('added-1');
    } finally {
      await t.api.deregisterServer('growing').catch(() => {});
      await recorder.close();
    }
  });

  it('invokes a tool through the admin API', async () => {
    const result = await t.api.invokeTool('everything__get-sum', { a: 2, b: 3 });
    expect(text(result)).toContain('5');
    await expect(t.api.invokeTool('everything__missing', {})).rejects.toMatchObject({ code: 'not_found' });
  });

  it('exports the registry as config files', async () => {
    const { servers } = await t.api.exportServers();
    expect(servers.map((s) => s.name)).toEqual(['everything', 'files', 'memory', 'remote']);
    expect(servers.find((s) => s.name === 'remote')).toMatchObject({ transport: 'streamable_http', url: http.url, enabled: true });
  });

  it('refuses a duplicate name unless forced, and keeps the old server when a replacement cannot start', async () => {
    await expect(t.api.registerServer({ config: { ...stdioConfigs.everything(), description: 'another' } })).rejects.toMatchObject({ code: 'conflict' });
    const broken = { name: 'everything', command: 'canopy-no-such-command-xyz' };
    const error = await t.api.registerServer({ config: broken, force: true }).catch((e: ApiError) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/canopy-no-such-command-xyz/);
    const still = await t.api.getServer('everything');
    expect(still.config.command).toBe(process.execPath);
    expect(still.state.status).toBe('running');
  });
});
