// Compatibility: the TypeScript SDK v1 client against real npm servers of every capability shape and
// SDK-built ones for the shapes npm lacks, through /mcp, /sse, /servers/{name}/mcp and /groups/{name}/mcp.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { eventually } from '../support/gateway.ts';
import { startCompatGateway, type CompatGateway } from '../support/compat-gateway.ts';

const text = (result: unknown) =>
  (result as CallToolResult).content.map((c) => ('text' in c ? c.text : '')).join('');

/** One simple call per server, with its answer (names as on /servers/{name}/mcp). */
function simpleCalls(fsRoot: string): Record<string, { tool: string; arguments: Record<string, unknown>; answer: RegExp }> {
  const echo = { tool: 'echo', arguments: { message: 'hi' }, answer: /Echo: hi/ };
  return {
    files: { tool: 'read_text_file', arguments: { path: join(fsRoot, 'hello.txt') }, answer: /hello from the filesystem server/ },
    memory: { tool: 'read_graph', arguments: {}, answer: /entities/ },
    thinking: {
      tool: 'sequentialthinking',
      arguments: { thought: 'one step', thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false },
      answer: /thoughtNumber/,
    },
    everything: echo,
    'everything-sse': echo,
    'everything-http': echo,
    notes: { tool: 'echo', arguments: { text: 'note' }, answer: /^note$/ },
    library: { tool: 'echo', arguments: { text: 'book' }, answer: /^book$/ },
    faulty: { tool: 'echo', arguments: { text: 'x' }, answer: /^x$/ },
  };
}

/** What each upstream declares (checked directly against the npm servers' and our fixtures' code). */
const SHAPES: Record<string, string[]> = {
  files: ['tools'],
  memory: ['tools', 'resources'],
  thinking: ['tools'],
  everything: ['tools', 'prompts', 'resources', 'completions', 'logging'],
  'everything-sse': ['tools', 'prompts', 'resources', 'completions', 'logging'],
  'everything-http': ['tools', 'prompts', 'resources', 'completions', 'logging'],
  notes: ['tools', 'prompts'],
  library: ['tools', 'resources'],
  faulty: ['tools', 'logging'],
};

describe('SDK v1 client through every endpoint', () => {
  let t: CompatGateway;
  let all: Client;
  let sse: Client;

  beforeAll(async () => {
    t = await startCompatGateway();
    [all, sse] = await Promise.all([t.connect('/mcp'), t.connectSse()]);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('/mcp and /sse list and call every server', async () => {
    for (const client of [all, sse]) {
      const names = new Set((await client.listTools()).tools.map((tool) => tool.name));
      for (const [server, call] of Object.entries(simpleCalls(t.fsRoot))) {
        const name = `${server}__${call.tool}`;
        expect(names.has(name), name).toBe(true);
        expect(text(await client.callTool({ name, arguments: call.arguments })), name).toMatch(call.answer);
      }
    }
  });

  it('/servers/{name}/mcp initializes for every shape, declares what the upstream does, and calls', async () => {
    for (const [server, call] of Object.entries(simpleCalls(t.fsRoot))) {
      const client = await t.connect(`/servers/${server}/mcp`);
      expect(client.getServerVersion()?.name, server).not.toBe('canopy');
      const declared = client.getServerCapabilities() ?? {};
      const kinds = (['tools', 'prompts', 'resources', 'completions', 'logging'] as const).filter((kind) => declared[kind]);
      expect(kinds, server).toEqual(SHAPES[server]);
      expect(text(await client.callTool({ name: call.tool, arguments: call.arguments })), server).toMatch(call.answer);
      if (declared.prompts) expect(Array.isArray((await client.listPrompts()).prompts)).toBe(true);
      if (declared.resources) expect(Array.isArray((await client.listResources()).resources)).toBe(true);
      await client.close();
    }
  });

  // Names clients reject (dots, over 64 characters) are listed under short forms (test/gateway/names.test.ts has the rules).
  it('long and dotted tool names list and call under the name listed', async () => {
    const direct = await t.connect('/servers/notes/mcp');
    for (const client of [all, direct]) {
      const { tools } = await client.listTools();
      for (const [description, answer] of [['A dotted name', 'dotted ok'], ['A long name', 'long ok']]) {
        const tool = tools.find((candidate) => candidate.description === description);
        expect(tool?.name).toMatch(client === all ? /^notes__[a-zA-Z0-9_-]{1,57}$/ : /^[a-zA-Z0-9_-]{1,64}$/);
        expect(text(await client.callTool({ name: tool!.name, arguments: {} }))).toBe(answer);
      }
    }
  });

  it('gets prompts of a tools + prompts server and of server-everything over each transport', async () => {
    for (const client of [all, sse]) {
      const greeting = await client.getPrompt({ name: 'notes__greeting', arguments: { name: 'Ada' } });
      expect(greeting.messages[0].content).toMatchObject({ type: 'text', text: 'Hello, Ada!' });
      for (const server of ['everything', 'everything-sse', 'everything-http']) {
        const prompt = await client.getPrompt({ name: `${server}__args-prompt`, arguments: { city: 'Paris' } });
        expect(JSON.stringify(prompt.messages)).toContain('Paris');
      }
    }
  });

  it('reads resources and templates of a tools + resources server, and of server-everything', async () => {
    for (const client of [all, sse]) {
      const { resources } = await client.listResources();
      const readme = resources.find((r) => r.name === 'library__README');
      expect((await client.readResource({ uri: readme!.uri })).contents[0]).toMatchObject({ text: 'the readme' });
      const { resourceTemplates } = await client.listResourceTemplates();
      const page = resourceTemplates.find((r) => r.name === 'library__page');
      const uri = page!.uriTemplate.replace('{page}', '7');
      expect((await client.readResource({ uri })).contents[0]).toMatchObject({ uri, text: 'page 7' });
      const fromEverything = resources.find((r) => r.uri.startsWith('canopy://everything-http/'));
      expect((await client.readResource({ uri: fromEverything!.uri })).contents.length).toBeGreaterThan(0);
    }
  });

  it('completes prompt arguments where the server declares completions', async () => {
    for (const server of ['everything', 'everything-sse', 'everything-http']) {
      const result = await all.complete({ ref: { type: 'ref/prompt', name: `${server}__resource-prompt` }, argument: { name: 'resourceType', value: 'T' } });
      expect(result.completion.values).toContain('Text');
    }
    const direct = await t.connect('/servers/everything/mcp');
    const result = await direct.complete({ ref: { type: 'ref/prompt', name: 'resource-prompt' }, argument: { name: 'resourceType', value: 'B' } });
    expect(result.completion.values).toContain('Blob');
  });

  it('serves a group of a tools-only and a tools + prompts server', async () => {
    const client = await t.connect('/groups/research/mcp');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.startsWith('files__') || name.startsWith('notes__'))).toBe(true);
    expect(text(await client.callTool({ name: 'files__list_allowed_directories', arguments: {} }))).toContain(t.fsRoot);
    expect((await client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual(['notes__embedded', 'notes__fails', 'notes__greeting']);
    expect((await client.getPrompt({ name: 'notes__greeting', arguments: { name: 'Bo' } })).messages.length).toBe(1);
  });

  it('carries a huge (under the limit) response whole', async () => {
    const size = 4 * 1024 * 1024;
    const result = await all.callTool({ name: 'faulty__big', arguments: { bytes: size } });
    expect(text(result).length).toBe(size);
  });

  it('fails a call whose server crashes mid-call, then serves it again after the restart', async () => {
    await expect(all.callTool({ name: 'library__crash', arguments: {} })).rejects.toThrow();
    await eventually(
      async () => text(await all.callTool({ name: 'library__echo', arguments: { text: 'back' } })) === 'back',
      30_000,
      'library to come back after its crash',
    );
  });
});
