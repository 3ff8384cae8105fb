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
