// Names every client accepts: a real server whose tool names Claude would refuse (dots, spaces,
// unicode, 70 characters, and two whose short forms would clash with a compliant one) is listed on
// every endpoint under names matching ^[a-zA-Z0-9_-]{1,64}$, each of them calls its own tool, and
// two gateways (or one after a restart) list the very same names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { freshSqlite } from '../support/databases.ts';
import { DOTTED_PROMPT_NAME, ODD_TOOL_NAMES, shapedStdioConfig } from '../support/shaped-server.ts';
import { stdioConfigs } from '../support/upstreams.ts';

const CLIENT_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

/** Each listed tool called by its listed name answers as the upstream tool it stands for. */
async function expectEveryToolCalls(client: Client, originals: Map<string, string>): Promise<void> {
  for (const { name } of (await client.listTools()).tools) {
    const original = originals.get(name);
    if (original === undefined || !ODD_TOOL_NAMES.includes(original as never)) continue;
    expect(text(await client.callTool({ name, arguments: {} }))).toBe(`called ${original}`);
  }
}

describe('names every client accepts', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: shapedStdioConfig('odd', 'names') });
    await t.api.registerServer({ config: stdioConfigs.everything() });
    await t.api.createGroup({ name: 'picked', included_servers: ['odd'], included_tools: ['everything__echo'] });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('lists only compliant tool and prompt names on /mcp, a server endpoint, a group and /sse', async () => {
    const clients = [await t.connect('/mcp'), await t.connect('/servers/odd/mcp'), await t.connect('/groups/picked/mcp'), await t.connectSse()];
    for (const client of clients) {
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
      expect(tools.length).toBeGreaterThanOrEqual(ODD_TOOL_NAMES.length);
      for (const name of [...tools, ...prompts]) expect(name).toMatch(CLIENT_NAME);
      expect(new Set(tools).size).toBe(tools.length);
    }
  });

  it('keeps names that already comply exactly as they were', async () => {
    const aggregated = (await (await t.connect()).listTools()).tools.map((tool) => tool.name);
    expect(aggregated).toEqual(expect.arrayContaining(['odd__files_read', 'odd__ephemeral', 'odd__add-tool', 'everything__echo']));
    const own = (await (await t.connect('/servers/odd/mcp')).listTools()).tools.map((tool) => tool.name);
    expect(own).toEqual(expect.arrayContaining(['files_read', 'ephemeral', 'add-tool']));
  });

  it('shows the upstream name next to the listed one in the admin API, and every listed name calls its own tool', async () => {
    const tools = await t.api.listTools('odd');
    const byOriginal = new Map(tools.map((tool) => [tool.originalName, tool]));
    // The two that would clash with files_read get distinct short forms; the compliant one keeps its name.
    expect(byOriginal.get('files_read')?.name).toBe('odd__files_read');
    expect(byOriginal.get('files.read')?.name).toMatch(/^odd__files_read_[0-9a-f]{6}$/);
    expect(byOriginal.get('files read')?.name).toMatch(/^odd__files_read_[0-9a-f]{6}$/);
    expect(byOriginal.get('files.read')?.name).not.toBe(byOriginal.get('files read')?.name);
    expect(byOriginal.get('files.read')?.serverEndpointName).toMatch(/^files_read_[0-9a-f]{6}$/);
    expect(byOriginal.get('café')?.name).toMatch(/^odd__caf__[0-9a-f]{6}$/);
    expect(byOriginal.get('a'.repeat(70))?.name).toHaveLength(64);

    const prompts = await t.api.listPrompts('odd');
    expect(prompts.map((p) => [p.originalName, p.name])).toEqual([[DOTTED_PROMPT_NAME, expect.stringMatching(/^odd__notes_summary_[0-9a-f]{6}$/)]]);

    await expectEveryToolCalls(await t.connect(), new Map(tools.map((tool) => [tool.name, tool.originalName])));
    await expectEveryToolCalls(await t.connect('/servers/odd/mcp'), new Map(tools.map((tool) => [tool.serverEndpointName, tool.originalName])));
    await expectEveryToolCalls(await t.connect('/groups/picked/mcp'), new Map(tools.map((tool) => [tool.name, tool.originalName])));
    const summary = prompts[0];
    expect((await (await t.connect()).getPrompt({ name: summary.name })).messages).toHaveLength(1);
    // The admin API takes the listed name, or server__originalName.
    expect(text(await t.api.invokeTool(byOriginal.get('files.read')!.name, {}))).toBe('called files.read');
    expect((await t.api.getTool('odd__files.read')).name).toBe(byOriginal.get('files.read')!.name);
  });

  it('tells a client that calls a tool by its upstream name what it is listed as', async () => {
    const client = await t.connect();
    const listed = (await t.api.getTool('odd__files.read')).name;
    await expect(client.callTool({ name: 'odd__files.read', arguments: {} })).rejects.toThrow(`listed as '${listed}'`);
  });

  it('lists the same names on a second gateway (registered in another order) and after its restart', async () => {
    const names = async (gateway: TestGateway) => [
      ...(await gateway.api.listTools()).map((tool) => `${tool.name} ${tool.serverEndpointName}`),
      ...(await gateway.api.listPrompts()).map((prompt) => `${prompt.name} ${prompt.serverEndpointName}`),
    ].sort();
    const expected = await names(t);
    const where = await freshSqlite();
    try {
      const other = await startTestGateway({ location: where });
      try {
        await other.api.registerServer({ config: stdioConfigs.everything() });
        await other.api.registerServer({ config: shapedStdioConfig('odd', 'names') });
        expect(await names(other)).toEqual(expected);
      } finally {
        await other.close();
      }
      const restarted = await startTestGateway({ location: where });
      try {
        await eventually(async () => (await names(restarted)).length === expected.length, 60_000, 'both servers listed after the restart');
        expect(await names(restarted)).toEqual(expected);
      } finally {
        await restarted.close();
      }
    } finally {
      await where.drop();
    }
  }, 120_000);
});

describe('server aliases', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: { ...stdioConfigs.everything('everything-enterprise'), alias: 'ev' } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('prefixes the tools and prompts with the alias on /mcp, and leaves the server endpoint alone', async () => {
    const client = await t.connect();
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    expect(tools).toContain('ev__echo');
    expect(tools.some((name) => name.startsWith('everything-enterprise__'))).toBe(false);
    expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toContain('ev__simple-prompt');
    expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'via alias' } }))).toContain('via alias');
    await expect(client.callTool({ name: 'everything-enterprise__echo', arguments: { message: 'x' } })).rejects.toThrow("listed as 'ev__echo'");
    const own = (await (await t.connect('/servers/everything-enterprise/mcp')).listTools()).tools.map((tool) => tool.name);
    expect(own).toContain('echo');
    // Admin commands take the listed name, or the server's own name or alias with the upstream's name.
    expect((await t.api.getTool('everything-enterprise__echo')).name).toBe('ev__echo');
    expect((await t.api.setToolEnabled('ev__echo', false)).enabled).toBe(false);
    expect((await (await t.connect()).listTools()).tools.map((tool) => tool.name)).not.toContain('ev__echo');
    expect((await t.api.setToolEnabled('everything-enterprise__echo', true)).enabled).toBe(true);
  });

  it('refuses an alias that is another server’s name or alias, and a name that is an alias', async () => {
    const other = (name: string, alias?: string) => ({ name, command: process.execPath, args: ['-e', ''], ...(alias ? { alias } : {}) });
    await expect(t.api.registerServer({ config: other('second', 'EV'), enabled: false })).rejects.toThrow("the alias 'EV' is the alias of server 'everything-enterprise'");
    await expect(t.api.registerServer({ config: other('second', 'everything-enterprise'), enabled: false })).rejects.toThrow('is the name of server');
    await expect(t.api.registerServer({ config: other('ev'), enabled: false })).rejects.toThrow("'ev' is the alias of server 'everything-enterprise'");
    await expect(t.api.registerServer({ config: other('second', 'bad__alias'), enabled: false })).rejects.toThrow("field 'alias'");
    expect((await t.api.listServers()).map((server) => server.name)).toEqual(['everything-enterprise']);
  });

  it('round-trips through export and import, and changes with an update', async () => {
    const exported = (await t.api.exportServers()).servers;
    expect(exported[0]).toMatchObject({ name: 'everything-enterprise', alias: 'ev' });
    const other = await startTestGateway();
    try {
      const { enabled: _enabled, ...config } = exported[0];
      await other.api.registerServer({ config });
      expect((await other.api.listTools()).map((tool) => tool.name)).toContain('ev__echo');
      await other.api.registerServer({ config: { ...config, alias: 'e2' }, force: true });
      const tools = (await (await other.connect()).listTools()).tools.map((tool) => tool.name);
      expect(tools).toContain('e2__echo');
      expect(tools).not.toContain('ev__echo');
    } finally {
      await other.close();
    }
  }, 120_000);
});
