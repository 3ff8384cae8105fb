// Every endpoint initializes against upstreams of every capability shape, and declares — and answers —
// exactly what it can serve: handlers follow capabilities.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, ListPromptsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { shapedStdioConfig } from '../support/shaped-server.ts';

describe('capability shapes on every endpoint', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    const root = mkdtempSync(join(tmpdir(), 'canopy-shapes-'));
    await t.api.registerServer({ config: stdioConfigs.filesystem(root, 'files') });
    await t.api.registerServer({ config: stdioConfigs.memory('memory', join(root, 'memory.jsonl')) });
    await t.api.registerServer({ config: stdioConfigs.everything() });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('serves a tools-only upstream on its own endpoint, declaring only tools', async () => {
    const client = await t.connect('/servers/files/mcp');
    const capabilities = client.getServerCapabilities();
    expect(capabilities?.tools).toBeDefined();
    expect(capabilities?.prompts).toBeUndefined();
    expect(capabilities?.resources).toBeUndefined();
    expect(capabilities?.completions).toBeUndefined();
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('list_allowed_directories');
    // Undeclared methods are not served: the client is told so, not handed an empty list.
    await expect(client.request({ method: 'prompts/list', params: {} }, ListPromptsResultSchema)).rejects.toMatchObject({
      code: ErrorCode.MethodNotFound,
    });
  });

  it('serves a tools + resources upstream on its own endpoint, without prompts or completions', async () => {
    const client = await t.connect('/servers/memory/mcp');
    const capabilities = client.getServerCapabilities();
    expect(capabilities?.tools).toBeDefined();
    expect(capabilities?.resources).toMatchObject({ subscribe: true });
    expect(capabilities?.prompts).toBeUndefined();
    expect(capabilities?.completions).toBeUndefined();
    expect(Array.isArray((await client.listResources()).resources)).toBe(true);
  });

  it('serves an upstream with everything on its own endpoint', async () => {
    const client = await t.connect('/servers/everything/mcp');
    const capabilities = client.getServerCapabilities();
    expect(capabilities).toMatchObject({ tools: {}, prompts: {}, resources: { subscribe: true }, completions: {}, logging: {} });
    expect((await client.listPrompts()).prompts.length).toBeGreaterThan(0);
  });

  it("waits for a starting upstream before declaring its endpoint's capabilities", async () => {
    await t.api.registerServer({ config: shapedStdioConfig('slow', 'resources', { SLOW_START_MS: '1500' }) });
    await t.api.setServerEnabled('slow', false);
    await t.api.setServerEnabled('slow', true);
    const client = await t.connect('/servers/slow/mcp');
    const capabilities = client.getServerCapabilities();
    expect(capabilities?.resources).toBeDefined();
    expect(capabilities?.prompts).toBeUndefined();
    expect(client.getServerVersion()?.name).toBe('shaped-resources');
    await t.api.deregisterServer('slow');
  });

  it('declares on /mcp, /sse and groups the union of what the servers offer', async () => {
    await t.api.createGroup({ name: 'files-only', included_servers: ['files'] });
    // Every registered server counts, not only the group's: a group may change during a session.
    for (const client of [await t.connect('/mcp'), await t.connectSse(), await t.connect('/groups/files-only/mcp')]) {
      const capabilities = client.getServerCapabilities();
      expect(capabilities).toMatchObject({ tools: {}, prompts: {}, resources: { subscribe: true }, completions: {}, logging: {} });
    }
  });
});

describe('aggregated endpoints over tools-only servers', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.filesystem(mkdtempSync(join(tmpdir(), 'canopy-shapes-')), 'files') });
    await t.api.registerServer({ config: stdioConfigs.sequentialThinking() });
    await t.api.createGroup({ name: 'thinking', included_servers: ['sequential-thinking'] });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('declares tools only, and answers tools', async () => {
    for (const client of [await t.connect('/mcp'), await t.connectSse(), await t.connect('/groups/thinking/mcp')]) {
      const capabilities = client.getServerCapabilities();
      expect(capabilities?.tools).toEqual({ listChanged: true });
      expect(capabilities?.prompts).toBeUndefined();
      expect(capabilities?.resources).toBeUndefined();
      expect(capabilities?.completions).toBeUndefined();
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('sequential-thinking__sequentialthinking');
    }
  });
});
