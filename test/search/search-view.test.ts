// The search view on a real gateway with real upstreams: /mcp/search lists search_tools and call_tool,
// finds tools, calls them through the same path as /mcp, grows the session's own list (bounded) with
// list_changed, and /groups/{name}/mcp/search sees only its group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { FOUND_TOOLS_LISTED } from '../../main/core/search/search-view.ts';

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;
type Found = { tools: { name: string; server: string; description?: string; inputSchema: object }[] };
const found = (result: unknown) => (result as CallToolResult).structuredContent as Found;

describe('the search view', () => {
  let t: TestGateway;
  let fsRoot: string;

  beforeAll(async () => {
    t = await startTestGateway();
    fsRoot = mkdtempSync(join(tmpdir(), 'canopy-search-'));
    writeFileSync(join(fsRoot, 'notes.txt'), 'remember the milk');
    await t.api.registerServer({ config: stdioConfigs.everything() });
    await t.api.registerServer({ config: stdioConfigs.memory('memory', join(fsRoot, 'memory.jsonl')) });
    await t.api.registerServer({ config: { ...stdioConfigs.filesystem(fsRoot, 'files'), description: 'the project folder' } });
    await t.api.createGroup({ name: 'notes', included_servers: ['memory'] });
    await eventually(async () => (await t.api.listServers()).every((s) => s.state.status === 'running'), 60_000, 'three running upstreams');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('lists only search_tools and call_tool, and prompts and resources as /mcp does', async () => {
    const search = await t.connect('/mcp/search');
    const { tools } = await search.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool']);
    expect(tools[0].inputSchema.required).toEqual(['query']);
    expect(search.getInstructions()).toMatch(/search_tools/);

    const all = await t.connect('/mcp');
    expect((await search.listPrompts()).prompts).toEqual((await all.listPrompts()).prompts);
    expect((await search.listResources()).resources).toEqual((await all.listResources()).resources);
    const [resource] = (await search.listResources()).resources;
    expect((await search.readResource({ uri: resource.uri })).contents.length).toBeGreaterThan(0);
  });

  it('finds a tool of a real server with its callable name, description and input schema', async () => {
    const search = await t.connect('/mcp/search');
    const result = await search.callTool({ name: 'search_tools', arguments: { query: 'read a text file from the project folder', limit: 3 } });
    const { tools } = found(result);
    expect(tools.length).toBeLessThanOrEqual(3);
    expect(tools[0]).toMatchObject({ name: 'files__read_text_file', server: 'files', description: expect.stringMatching(/contents of a file/) });
    expect(tools[0].inputSchema).toMatchObject({ properties: { path: expect.anything() } });
    // The same matches as text, for clients that show only text.
    expect(JSON.parse(text(result))).toEqual({ tools });

    const none = await search.callTool({ name: 'search_tools', arguments: { query: 'zzyzx qwerty' } });
    expect(found(none).tools).toEqual([]);
    expect(text(none)).toMatch(/No tool matches/);
    expect(found(await search.callTool({ name: 'search_tools', arguments: { query: 'read a file', limit: '2' } })).tools).toHaveLength(2);
    const tooMany = await search.callTool({ name: 'search_tools', arguments: { query: 'read a file', limit: 500 } });
    expect(tooMany.isError).toBe(true);
    expect(text(tooMany)).toMatch(/limit/);
    const bad = await search.callTool({ name: 'search_tools', arguments: { query: '  ' } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/query must say what you are looking for/);
  });

  it('calls a tool through call_tool as a direct call on /mcp would, errors included', async () => {
    const search = await t.connect('/mcp/search');
    const viaSearch = await search.callTool({ name: 'call_tool', arguments: { name: 'files__read_text_file', arguments: { path: join(fsRoot, 'notes.txt') } } });
    expect(text(viaSearch)).toBe('remember the milk');

    const direct = await t.connect('/mcp');
    for (const name of ['files__no_such_tool', 'nobody__read', 'plainname']) {
      const directError = await direct.callTool({ name, arguments: {} }).catch((error: Error) => error.message);
      const searchError = await search.callTool({ name: 'call_tool', arguments: { name, arguments: {} } }).catch((error: Error) => error.message);
      expect(searchError).toBe(directError);
      expect(searchError).toMatch(/unknown tool/);
    }
    const missingName = await search.callTool({ name: 'call_tool', arguments: { arguments: {} } });
    expect(missingName.isError).toBe(true);
    expect(text(missingName)).toMatch(/invalid call_tool arguments: field 'name'/);
  });

  it('passes progress through call_tool', async () => {
    const search = await t.connect('/mcp/search');
    const progress: Progress[] = [];
    const result = await search.callTool(
      { name: 'call_tool', arguments: { name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 2 } } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    expect(text(result)).toMatch(/completed/i);
    expect(progress.length).toBeGreaterThanOrEqual(1);
  });

  it('adds found tools to the session\'s own list with list_changed, callable by name, bounded', async () => {
    const search = await t.connect('/mcp/search');
    let changes = 0;
    search.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes += 1;
    });
    const first = found(await search.callTool({ name: 'search_tools', arguments: { query: 'add two numbers', limit: 2 } }));
    expect(first.tools[0].name).toBe('everything__get-sum');
    await eventually(() => changes === 1, 5_000, 'a tools list_changed');
    const listed = (await search.listTools()).tools.map((tool) => tool.name);
    expect(listed.slice(0, 2)).toEqual(['search_tools', 'call_tool']);
    expect(listed.slice(2).sort()).toEqual(first.tools.map((tool) => tool.name).sort());
    expect(text(await search.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } }))).toMatch(/5/);

    // Finding the same tools again changes nothing, so no second list_changed.
    await search.callTool({ name: 'search_tools', arguments: { query: 'add two numbers', limit: 2 } });
    await search.listTools();
    expect(changes).toBe(1);

    // Other sessions' lists are their own.
    expect((await (await t.connect('/mcp/search')).listTools()).tools).toHaveLength(2);

    // Search widely until more than the bound was found: the list keeps the most recent ones.
    for (const query of ['file directory', 'memory entities relations graph', 'everything echo sum env', 'resource logging image']) {
      await search.callTool({ name: 'search_tools', arguments: { query, limit: 50 } });
    }
    const last = found(await search.callTool({ name: 'search_tools', arguments: { query: 'knowledge graph nodes', limit: 3 } }));
    const bounded = (await search.listTools()).tools.map((tool) => tool.name);
    expect(bounded).toHaveLength(2 + FOUND_TOOLS_LISTED);
    for (const tool of last.tools) expect(bounded).toContain(tool.name);
    expect(changes).toBeGreaterThan(1);
  });

  it('on /groups/{name}/mcp/search sees only the group', async () => {
    const group = await t.connect('/groups/notes/mcp/search');
    expect((await group.listTools()).tools.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool']);
    const { tools } = found(await group.callTool({ name: 'search_tools', arguments: { query: 'read a file or echo a message', limit: 50 } }));
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((tool) => tool.server === 'memory')).toBe(true);
    await expect(group.callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: { message: 'x' } } })).rejects.toThrow(/unknown tool/);
    expect(text(await group.callTool({ name: 'call_tool', arguments: { name: 'memory__read_graph', arguments: {} } }))).toMatch(/entities/);
  });

  it('searches and calls tools under their overrides; a hidden tool is neither found nor callable', async () => {
    await t.api.setToolOverride('memory__read_graph', { name: 'whole_graph', description: 'Dumps every remembered fact about penguins' });
    await t.api.setToolOverride('memory__delete_entities', { hidden: true });
    try {
      const search = await t.connect('/mcp/search');
      const [first] = found(await search.callTool({ name: 'search_tools', arguments: { query: 'facts about penguins' } })).tools;
      expect(first).toMatchObject({ name: 'memory__whole_graph', description: 'Dumps every remembered fact about penguins' });
      const deleting = found(await search.callTool({ name: 'search_tools', arguments: { query: 'delete entities', limit: 50 } })).tools.map((tool) => tool.name);
      expect(deleting).toContain('memory__delete_relations');
      expect(deleting).not.toContain('memory__delete_entities');
      expect(text(await search.callTool({ name: 'call_tool', arguments: { name: 'memory__whole_graph', arguments: {} } }))).toMatch(/entities/);
      const direct = await t.connect('/mcp');
      const hiddenDirect = await direct.callTool({ name: 'memory__delete_entities', arguments: { entityNames: [] } }).catch((error: Error) => error.message);
      const hiddenViaSearch = await search
        .callTool({ name: 'call_tool', arguments: { name: 'memory__delete_entities', arguments: { entityNames: [] } } })
        .catch((error: Error) => error.message);
      expect(hiddenViaSearch).toBe(hiddenDirect);
    } finally {
      await t.api.clearToolOverride('memory__whole_graph');
      await t.api.clearToolOverride('memory__delete_entities');
    }
  });

  it('keeps sessions on their endpoint: a /mcp/search session id is not valid on /mcp', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(`${t.url}/mcp/search`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const session = init.headers.get('mcp-session-id')!;
    await init.text();
    const elsewhere = await fetch(`${t.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(elsewhere.status).toBe(404);
    // The guards judge the path as written: an encoded form of /mcp/search is refused, not routed.
    expect((await fetch(`${t.url}/mcp/%73earch`, { method: 'POST', headers, body: '{}' })).status).toBe(400);
  });
});
