// Allow-lists by server, `*`, single tool and group, on every MCP path (/mcp, /sse,
// /servers/{name}/mcp, /groups/{name}/mcp) and on the admin API's invoke; an allow-list change
// reaching an open session at once (list_changed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { eventually } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize, startEnterprise, text, type EnterpriseGateway } from './support.ts';

const names = (items: { name: string }[]) => items.map((item) => item.name).sort();

describe('allow-lists on every path', () => {
  let t: EnterpriseGateway;
  const tokens: Record<string, string> = {};
  let userToken: string;
  let everythingTools: string[];
  let memoryTools: string[];

  beforeAll(async () => {
    t = await startEnterprise();
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.everything() });
    await admin.registerServer({ config: stdioConfigs.memory('memory', join(mkdtempSync(join(tmpdir(), 'canopy-mem-')), 'memory.jsonl')) });
    await admin.createGroup({
      name: 'team',
      included_servers: ['memory'],
      included_tools: ['everything__echo', 'everything__get-sum'],
      excluded_tools: ['memory__delete_entities'],
    });
    const allowLists: Record<string, string[]> = { star: ['*'], mem: ['memory'], echo: ['everything__echo'], grouped: ['team'], none: [] };
    for (const [name, allow] of Object.entries(allowLists)) tokens[name] = (await admin.createClient({ name, allow })).token;
    userToken = (await admin.createUser({ name: 'alice' })).token;
    const tools = await admin.listTools();
    everythingTools = tools.filter((tool) => tool.server === 'everything').map((tool) => tool.name).sort();
    memoryTools = tools.filter((tool) => tool.server === 'memory').map((tool) => tool.name).sort();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('refuses MCP requests without a valid MCP client token: 401, and 403 for a user token', async () => {
    expect((await rawInitialize(t.url, '/mcp')).status).toBe(401);
    expect((await rawInitialize(t.url, '/mcp', 'cnp_not-a-real-token')).status).toBe(401);
    const asUser = await rawInitialize(t.url, '/mcp', userToken);
    expect(asUser.status).toBe(403);
    expect(JSON.stringify(asUser.body)).toMatch(/MCP client token/);
    expect((await fetch(`${t.url}/sse`)).status).toBe(401);
    expect((await rawInitialize(t.url, '/servers/everything/mcp')).status).toBe(401);
    expect((await rawInitialize(t.url, '/groups/team/mcp')).status).toBe(401);
    // Without a token, nothing says whether a server or group exists.
    expect((await rawInitialize(t.url, '/servers/nope/mcp')).status).toBe(401);
  });

  it('on /mcp: `*` sees everything, a server entry its server, a tool entry that tool, a group its contents', async () => {
    const star = await t.connect('/mcp', {}, tokens.star);
    expect(names((await star.listTools()).tools)).toEqual([...everythingTools, ...memoryTools].sort());

    const mem = await t.connect('/mcp', {}, tokens.mem);
    expect(names((await mem.listTools()).tools)).toEqual(memoryTools);
    expect((await mem.listPrompts()).prompts).toEqual([]);
    await expect(mem.callTool({ name: 'everything__echo', arguments: { message: 'x' } })).rejects.toThrow(/not allowed for this client/);

    const echo = await t.connect('/mcp', {}, tokens.echo);
    expect(names((await echo.listTools()).tools)).toEqual(['everything__echo']);
    expect(text(await echo.callTool({ name: 'everything__echo', arguments: { message: 'hi' } }))).toBe('Echo: hi');
    await expect(echo.callTool({ name: 'memory__read_graph', arguments: {} })).rejects.toThrow(/not allowed for this client/);
    await expect(echo.getPrompt({ name: 'everything__simple-prompt' })).rejects.toThrow(/not allowed for this client/);
    expect((await echo.listResources()).resources).toEqual([]);

    const grouped = await t.connect('/mcp', {}, tokens.grouped);
    const expected = [...memoryTools.filter((n) => n !== 'memory__delete_entities'), 'everything__echo', 'everything__get-sum'].sort();
    expect(names((await grouped.listTools()).tools)).toEqual(expected);
    await expect(grouped.callTool({ name: 'memory__delete_entities', arguments: { entityNames: [] } })).rejects.toThrow(/not allowed/);

    const none = await t.connect('/mcp', {}, tokens.none);
    expect((await none.listTools()).tools).toEqual([]);
  });

  it('checks prompt gets and resource reads per request', async () => {
    const star = await t.connect('/mcp', {}, tokens.star);
    expect((await star.getPrompt({ name: 'everything__simple-prompt' })).messages.length).toBeGreaterThan(0);
    const { resources } = await star.listResources();
    const resource = resources.find((r) => r.uri.startsWith('canopy://everything/'));
    expect(resource).toBeDefined();
    expect((await star.readResource({ uri: resource!.uri })).contents.length).toBeGreaterThan(0);

    const mem = await t.connect('/mcp', {}, tokens.mem);
    expect((await mem.listResources()).resources.some((r) => r.uri.startsWith('canopy://everything/'))).toBe(false);
    await expect(mem.readResource({ uri: resource!.uri })).rejects.toThrow(/unknown resource/);
    await expect(mem.subscribeResource({ uri: resource!.uri })).rejects.toThrow(/unknown resource/);
  });

  it('on /sse the same allow-list applies', async () => {
    const echo = await t.connectSse({}, tokens.echo);
    expect(names((await echo.listTools()).tools)).toEqual(['everything__echo']);
    await expect(echo.callTool({ name: 'memory__read_graph', arguments: {} })).rejects.toThrow(/not allowed/);
  });

  it('on /servers/{name}/mcp: 403 for a client with nothing there, else the allowed part with plain names', async () => {
    const refused = await rawInitialize(t.url, '/servers/everything/mcp', tokens.mem);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/may not use server 'everything'/);
    expect((await rawInitialize(t.url, '/servers/everything/mcp', tokens.none)).status).toBe(403);

    const echo = await t.connect('/servers/everything/mcp', {}, tokens.echo);
    expect(names((await echo.listTools()).tools)).toEqual(['echo']);
    await expect(echo.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } })).rejects.toThrow(/not allowed/);

    const star = await t.connect('/servers/everything/mcp', {}, tokens.star);
    expect((await star.listTools()).tools.length).toBe(everythingTools.length);
    // A server the group touches is reachable through the group entry.
    expect((await rawInitialize(t.url, '/servers/everything/mcp', tokens.grouped)).status).toBe(200);
  });

  it('on /groups/{name}/mcp: the group (or `*`) must be on the list; the group narrows what is served', async () => {
    const expected = [...memoryTools.filter((n) => n !== 'memory__delete_entities'), 'everything__echo', 'everything__get-sum'].sort();
    for (const who of ['grouped', 'star']) {
      const client = await t.connect('/groups/team/mcp', {}, tokens[who]);
      expect(names((await client.listTools()).tools)).toEqual(expected);
    }
    const grouped = await t.connect('/groups/team/mcp', {}, tokens.grouped);
    expect(text(await grouped.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } }))).toMatch(/5/);
    await expect(grouped.callTool({ name: 'everything__add', arguments: {} })).rejects.toThrow();
    expect((await rawInitialize(t.url, '/groups/team/mcp', tokens.mem)).status).toBe(403);
    expect((await rawInitialize(t.url, '/groups/nope/mcp', tokens.star)).status).toBe(404);
  });

  it("checks the admin API's invoke and lists against the same allow-list", async () => {
    const echo = t.apiAs(tokens.echo);
    expect(text(await echo.invokeTool('everything__echo', { message: 'rest' }))).toBe('Echo: rest');
    await expect(echo.invokeTool('memory__read_graph', {})).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect((await echo.listTools()).map((tool) => tool.name)).toEqual(['everything__echo']);
    await expect(echo.listServers()).rejects.toMatchObject({ status: 403 });

    const grouped = t.apiAs(tokens.grouped);
    await expect(grouped.invokeTool('memory__delete_entities', { entityNames: [] })).rejects.toMatchObject({ status: 403 });
    expect(text(await grouped.invokeTool('everything__get-sum', { a: 1, b: 1 }))).toMatch(/2/);

    // A user may invoke every enabled tool.
    expect(text(await t.apiAs(userToken).invokeTool('everything__echo', { message: 'u' }))).toBe('Echo: u');
  });

  it("checks the admin API's resource read against the same allow-list", async () => {
    const [graph] = await t.apiAs(tokens.mem).listResources('memory');
    expect(graph.uri).toMatch(/^canopy:\/\/memory\//);
    expect((await t.apiAs(tokens.mem).readResource(graph.uri)).contents[0].uri).toBe(graph.uri);
    for (const uri of [graph.uri, 'canopy://nowhere/x://y', 'not-a-canopy-uri']) {
      await expect(t.apiAs(tokens.echo).readResource(uri)).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    }
    expect((await t.apiAs(userToken).readResource(graph.uri)).contents.length).toBe(1);
  });

  it('applies an allow-list change to an open session at once, with list_changed', async () => {
    const client = await t.connect('/mcp', {}, tokens.mem);
    expect(names((await client.listTools()).tools)).toEqual(memoryTools);
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified += 1;
    });
    await t.apiAs(t.adminToken).updateClient('mem', { allow: ['everything__echo'] });
    await eventually(() => notified > 0, 5_000, 'tools/list_changed');
    expect(names((await client.listTools()).tools)).toEqual(['everything__echo']);
    await expect(client.callTool({ name: 'memory__read_graph', arguments: {} })).rejects.toThrow(/not allowed/);
    await t.apiAs(t.adminToken).updateClient('mem', { allow: ['memory'] });
  });

  it('applies a group change to the sessions that use the group', async () => {
    const client = await t.connect('/groups/team/mcp', {}, tokens.grouped);
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified += 1;
    });
    await t.apiAs(t.adminToken).updateGroup('team', { included_tools: ['everything__echo'] });
    await eventually(() => notified > 0, 5_000, 'tools/list_changed');
    expect(names((await client.listTools()).tools)).toEqual(['everything__echo']);
  });
});
