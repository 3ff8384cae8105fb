// Tool overrides (a name, a description, hidden) on a real server: applied on every endpoint, kept
// when the upstream refreshes its list (tools/list_changed), reported when the tool disappears, and a
// name another tool is listed under refused. Allow-lists keep matching the upstream's own names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { shapedStdioConfig } from '../support/shaped-server.ts';
import { startEnterprise, type EnterpriseGateway } from '../enterprise/support.ts';

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;
const toolsOf = async (client: Client): Promise<Tool[]> => (await client.listTools()).tools;
const namesOf = async (client: Client) => (await toolsOf(client)).map((tool) => tool.name);

describe('tool overrides', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: shapedStdioConfig('odd', 'names') });
    await t.api.createGroup({ name: 'picked', included_servers: ['odd'] });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('renames, redescribes and hides a tool on /mcp, the server endpoint, a group and /sse', async () => {
    const changed = await t.api.setToolOverride('odd__files_read', { name: 'read_file', description: 'Reads a file from the notes' });
    expect(changed).toMatchObject({ server: 'odd', tool: 'files_read', name: 'read_file', listedAs: 'odd__read_file', hidden: false });
    await t.api.setToolOverride('odd__café', { hidden: true });

    const clients = { all: await t.connect('/mcp'), own: await t.connect('/servers/odd/mcp'), group: await t.connect('/groups/picked/mcp'), sse: await t.connectSse() };
    for (const [which, client] of Object.entries(clients)) {
      const listed = which === 'own' ? 'read_file' : 'odd__read_file';
      const tools = await toolsOf(client);
      const renamed = tools.find((tool) => tool.name === listed);
      expect(renamed?.description, which).toBe('Reads a file from the notes');
      expect(tools.map((tool) => tool.name)).not.toContain(which === 'own' ? 'files_read' : 'odd__files_read');
      expect(tools.some((tool) => tool.description === 'The tool café'), which).toBe(false);
      expect(text(await client.callTool({ name: listed, arguments: {} }))).toBe('called files_read');
    }
    // Hidden under its new name: the error says so, and how to show it again.
    await t.api.setToolOverride('odd__read_file', { hidden: true });
    await expect(clients.all.callTool({ name: 'odd__read_file', arguments: {} })).rejects.toThrow("tool 'odd__files_read' is disabled: enable it with `canopy enable tool odd__files_read`");
    await t.api.setToolOverride('odd__files_read', { hidden: false });
    const view = await t.api.getTool('odd__read_file');
    expect(view).toMatchObject({ originalName: 'files_read', description: 'Reads a file from the notes', upstreamDescription: 'The tool files_read' });
  });

  it('keeps overrides when the upstream refreshes its list', async () => {
    const client = await t.connect();
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    await client.callTool({ name: 'odd__add-tool', arguments: {} });
    await eventually(async () => changes > 0 && (await namesOf(client)).includes('odd__added-1'), 15_000, 'the added tool listed after list_changed');
    const tools = await toolsOf(client);
    expect(tools.find((tool) => tool.name === 'odd__read_file')?.description).toBe('Reads a file from the notes');
    expect(tools.some((tool) => tool.description === 'The tool café')).toBe(false);
  });

  it("yields to the upstream's own name when the upstream later lists a tool of that name, and says so", async () => {
    await t.api.setToolOverride('odd__files.read', { name: 'added-2' });
    expect((await namesOf(await t.connect())).includes('odd__added-2')).toBe(true);
    await t.api.invokeTool('odd__add-tool', {});
    const clash = await eventually(
      async () => (await t.api.listOverrides('odd')).find((o) => o.tool === 'files.read' && o.problem),
      15_000,
      'the taken name reported',
    );
    expect(clash.problem).toContain("the name 'added-2' is taken by another tool of server 'odd'");
    const tools = await t.api.listTools('odd');
    expect(tools.find((tool) => tool.originalName === 'added-2')?.name).toBe('odd__added-2');
    expect(tools.find((tool) => tool.originalName === 'files.read')?.name).toMatch(/^odd__added-2_[0-9a-f]{6}$/);
    await t.api.setToolOverride('odd__files.read', { name: null });
  });

  it('refuses a name that is not one clients accept, or one another tool is listed under', async () => {
    await expect(t.api.setToolOverride('odd__files.read', { name: 'add-tool' })).rejects.toThrow("the name 'add-tool' is already listed for tool 'add-tool' of server 'odd'");
    await expect(t.api.setToolOverride('odd__files.read', { name: 'read_file' })).rejects.toThrow("already listed for tool 'files_read'");
    await expect(t.api.setToolOverride('odd__files.read', { name: 'read.file' })).rejects.toThrow('cannot be a tool name');
    await expect(t.api.setToolOverride('odd__files.read', { name: 'x'.repeat(62) })).rejects.toThrow('longer than 64 characters');
    // A name the override gave up is free again; the refused changes left nothing behind.
    expect((await t.api.listOverrides('odd')).map((o) => o.tool)).toEqual(['café', 'files_read']);
  });

  it('reports an override whose tool the server no longer lists, and clears it', async () => {
    await t.api.setToolOverride('odd__ephemeral', { description: 'Soon gone' });
    await t.api.invokeTool('odd__drop-tool', {});
    const stale = await eventually(
      async () => (await t.api.listOverrides()).find((o) => o.tool === 'ephemeral' && o.problem),
      15_000,
      'the override of ephemeral reported',
    );
    expect(stale.problem).toContain("refers to a tool server 'odd' no longer lists");
    expect(stale.listedAs).toBeUndefined();
    await t.api.clearToolOverride('odd__ephemeral');
    expect((await t.api.listOverrides()).map((o) => o.tool)).not.toContain('ephemeral');
  });

  it('clears an override: the upstream name and description come back, the tool shows again', async () => {
    await t.api.clearToolOverride('odd__read_file');
    await t.api.clearToolOverride('odd__café');
    const tools = await toolsOf(await t.connect());
    expect(tools.find((tool) => tool.name === 'odd__files_read')?.description).toBe('The tool files_read');
    expect(tools.some((tool) => tool.description === 'The tool café')).toBe(true);
    expect(await t.api.listOverrides()).toEqual([]);
  });
});

describe('tool overrides and allow-lists', () => {
  let t: EnterpriseGateway;

  beforeAll(async () => {
    t = await startEnterprise();
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: shapedStdioConfig('odd', 'names') });
    await admin.setToolOverride('odd__files_read', { name: 'read_file' });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('match the upstream name: a renamed tool stays reachable for a client allowed it, and for no other', async () => {
    const admin = t.apiAs(t.adminToken);
    const allowed = (await admin.createClient({ name: 'reader', allow: ['odd__files_read'] })).token;
    const other = (await admin.createClient({ name: 'other', allow: ['odd__ephemeral'] })).token;
    const reader = await t.connect('/mcp', {}, allowed);
    expect(await namesOf(reader)).toEqual(['odd__read_file']);
    expect(text(await reader.callTool({ name: 'odd__read_file', arguments: {} }))).toBe('called files_read');
    const stranger = await t.connect('/mcp', {}, other);
    expect(await namesOf(stranger)).toEqual(['odd__ephemeral']);
    await expect(stranger.callTool({ name: 'odd__read_file', arguments: {} })).rejects.toThrow('unknown or not allowed');
    // The audit log names the upstream's own tool.
    const entries = await eventually(async () => (await admin.audit({ client: 'reader' })).filter((e) => e.action === 'tool.call'), 10_000, 'the call audited');
    expect(entries[0]).toMatchObject({ server: 'odd', target: 'files_read', outcome: 'ok' });
  });
});
