// The search view in enterprise mode: an MCP client's allow-list narrows search_tools' results as it
// narrows /mcp's list, call_tool refuses what the client may not use with the same answer as a direct
// call, and call_tool's calls land in the audit log like direct ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize, startEnterprise, text, type EnterpriseGateway } from './support.ts';

const foundNames = (result: unknown) =>
  ((result as CallToolResult).structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name);

describe('search view and allow-lists', () => {
  let t: EnterpriseGateway;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startEnterprise();
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.everything() });
    await admin.registerServer({ config: stdioConfigs.memory('memory', join(mkdtempSync(join(tmpdir(), 'canopy-mem-')), 'memory.jsonl')) });
    await admin.createGroup({ name: 'sums', included_tools: ['everything__get-sum'] });
    for (const [name, allow] of Object.entries({ star: ['*'], mem: ['memory'], sums: ['sums'] })) {
      tokens[name] = (await admin.createClient({ name, allow })).token;
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('needs an MCP client token, like /mcp', async () => {
    expect((await rawInitialize(t.url, '/mcp/search')).status).toBe(401);
    expect((await rawInitialize(t.url, '/groups/sums/mcp/search')).status).toBe(401);
    expect((await rawInitialize(t.url, '/groups/sums/mcp/search', tokens.mem)).status).toBe(403);
  });

  it('finds only tools the client may use, and call_tool refuses the others as a direct call does', async () => {
    const query = { query: 'echo a message or store entities in memory', limit: 50 };
    const star = await t.connect('/mcp/search', {}, tokens.star);
    const everything = foundNames(await star.callTool({ name: 'search_tools', arguments: query }));
    expect(everything).toContain('everything__echo');
    expect(everything).toContain('memory__create_entities');

    const mem = await t.connect('/mcp/search', {}, tokens.mem);
    const allowed = foundNames(await mem.callTool({ name: 'search_tools', arguments: query }));
    expect(allowed).toContain('memory__create_entities');
    expect(allowed.every((name) => name.startsWith('memory__'))).toBe(true);

    const direct = await t.connect('/mcp', {}, tokens.mem);
    const directError = await direct.callTool({ name: 'everything__echo', arguments: { message: 'x' } }).catch((error: Error) => error.message);
    expect(directError).toMatch(/unknown or not allowed for this client/);
    const viaSearch = await mem
      .callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: { message: 'x' } } })
      .catch((error: Error) => error.message);
    expect(viaSearch).toBe(directError);

    expect(text(await mem.callTool({ name: 'call_tool', arguments: { name: 'memory__read_graph', arguments: {} } }))).toMatch(/entities/);
  });

  it('on a group search endpoint, sees the group as the client may', async () => {
    const sums = await t.connect('/groups/sums/mcp/search', {}, tokens.sums);
    expect(foundNames(await sums.callTool({ name: 'search_tools', arguments: { query: 'echo add numbers memory', limit: 50 } }))).toEqual(['everything__get-sum']);
    expect(text(await sums.callTool({ name: 'call_tool', arguments: { name: 'everything__get-sum', arguments: { a: 1, b: 2 } } }))).toMatch(/3/);
  });

  it('audits call_tool\'s calls under the tool called, refusals included', async () => {
    const entries = await t.apiAs(t.adminToken).audit({ client: 'mem' });
    const actions = entries.map((e) => [e.action, e.server, e.target, e.outcome]);
    expect(actions).toContainEqual(['tool.call', 'memory', 'read_graph', 'ok']);
    expect(actions.filter((a) => a[0] === 'tool.call' && a[2] === 'everything__echo' && a[3] === 'denied')).toHaveLength(2);
    expect(actions.some(([, , target]) => target === 'call_tool' || target === 'search_tools')).toBe(false);
  });
});
