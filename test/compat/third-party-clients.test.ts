// Compatibility: MCP clients from npm that nobody here wrote — the MCP Inspector CLI and mcp-remote —
// against real servers of every capability shape, through /mcp, /sse, /servers/{name}/mcp and
// /groups/{name}/mcp. Inspector invocations are processes of their own, so they run as one batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startCompatGateway, type CompatGateway } from '../support/compat-gateway.ts';
import { connectThroughMcpRemote, runInspectorBatch, type InspectorOutcome, type InspectorRun } from '../support/third-party-clients.ts';

const text = (result: unknown) =>
  ((result as CallToolResult).content ?? []).map((c) => ('text' in c ? c.text : '')).join('');

describe('third-party clients through every endpoint', () => {
  let t: CompatGateway;

  beforeAll(async () => {
    t = await startCompatGateway();
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('MCP Inspector CLI: initialize, lists, calls, prompts and resources on every endpoint', async () => {
    const url = (path: string) => `${t.url}${path}`;
    const http = (path: string, method: string, ...args: string[]): InspectorRun => ({ url: url(path), transport: 'http', method, args });
    const checks: [InspectorRun, (outcome: InspectorOutcome) => void][] = [];
    const expectOk = (run: InspectorRun, check: (result: Record<string, unknown>) => void) =>
      checks.push([run, (outcome) => {
        expect(outcome.ok ? '' : outcome.error, `${run.method} ${run.url}`).toBe('');
        if (outcome.ok) check(outcome.result);
      }]);
    const toolNames = (result: Record<string, unknown>) => (result.tools as { name: string }[]).map((tool) => tool.name);
    const promptNames = (result: Record<string, unknown>) => (result.prompts as { name: string }[]).map((prompt) => prompt.name);

    expectOk(http('/mcp', 'tools/list'), (r) => expect(toolNames(r)).toEqual(expect.arrayContaining(['files__read_text_file', 'thinking__sequentialthinking', 'everything-sse__echo'])));
    expectOk(http('/mcp', 'tools/call', '--tool-name', 'everything-http__echo', '--tool-arg', 'message=hi'), (r) => expect(text(r)).toBe('Echo: hi'));
    expectOk(http('/mcp', 'prompts/get', '--prompt-name', 'notes__greeting', '--prompt-args', 'name=Ada'), (r) => expect(JSON.stringify(r)).toContain('Hello, Ada!'));
    expectOk(http('/mcp', 'resources/list'), (r) => expect((r.resources as { name: string }[]).map((x) => x.name)).toContain('library__README'));
    expectOk(http('/mcp', 'resources/read', '--uri', 'canopy://library/note://readme'), (r) => expect(JSON.stringify(r)).toContain('the readme'));
    expectOk(
      { url: url('/sse'), transport: 'sse', method: 'tools/call', args: ['--tool-name', 'files__read_text_file', '--tool-arg', `path=${join(t.fsRoot, 'hello.txt')}`] },
      (r) => expect(text(r)).toContain('hello from the filesystem server'),
    );
    expectOk({ url: url('/sse'), transport: 'sse', method: 'prompts/list' }, (r) => expect(promptNames(r)).toContain('everything__args-prompt'));
    // The per-server endpoint for each shape (tools-only servers answered HTTP 500 before).
    expectOk(http('/servers/files/mcp', 'tools/list'), (r) => expect(toolNames(r)).toContain('list_allowed_directories'));
    expectOk(http('/servers/memory/mcp', 'tools/call', '--tool-name', 'read_graph'), (r) => expect(text(r)).toContain('entities'));
    expectOk(http('/servers/thinking/mcp', 'tools/list'), (r) => expect(toolNames(r)).toEqual(['sequentialthinking']));
    expectOk(http('/servers/notes/mcp', 'prompts/get', '--prompt-name', 'greeting', '--prompt-args', 'name=Bo'), (r) => expect(JSON.stringify(r)).toContain('Hello, Bo!'));
    expectOk(http('/servers/library/mcp', 'resources/read', '--uri', 'note://pages/3'), (r) => expect(JSON.stringify(r)).toContain('page 3'));
    expectOk(http('/servers/everything-sse/mcp', 'prompts/get', '--prompt-name', 'args-prompt', '--prompt-args', 'city=Paris'), (r) => expect(JSON.stringify(r)).toContain('Paris'));
    expectOk(http('/groups/research/mcp', 'tools/call', '--tool-name', 'files__list_allowed_directories'), (r) => expect(text(r)).toContain(t.fsRoot));
    expectOk(http('/groups/research/mcp', 'prompts/list'), (r) => expect(promptNames(r).sort()).toEqual(['notes__embedded', 'notes__fails', 'notes__greeting']));

    const outcomes = await runInspectorBatch(checks.map(([run]) => run));
    checks.forEach(([, check], index) => check(outcomes[index]));
  }, 300_000);

  it('mcp-remote (streamable HTTP): per-server endpoints of each shape, /mcp and a group', async () => {
    const files = await connectThroughMcpRemote(`${t.url}/servers/files/mcp`, 'http-only');
    try {
      expect(files.getServerVersion()?.name).toBe('secure-filesystem-server');
      expect(files.getServerCapabilities()?.prompts).toBeUndefined();
      expect(text(await files.callTool({ name: 'read_text_file', arguments: { path: join(t.fsRoot, 'hello.txt') } }))).toContain('hello from');
    } finally {
      await files.close();
    }

    const everything = await connectThroughMcpRemote(`${t.url}/servers/everything-http/mcp`, 'http-only');
    try {
      expect(everything.getServerCapabilities()).toMatchObject({ tools: {}, prompts: {}, resources: {}, completions: {} });
      expect(text(await everything.callTool({ name: 'echo', arguments: { message: 'via mcp-remote' } }))).toBe('Echo: via mcp-remote');
      const completion = await everything.complete({ ref: { type: 'ref/prompt', name: 'resource-prompt' }, argument: { name: 'resourceType', value: 'T' } });
      expect(completion.completion.values).toContain('Text');
      const { resources } = await everything.listResources();
      expect((await everything.readResource({ uri: resources[0].uri })).contents.length).toBeGreaterThan(0);
    } finally {
      await everything.close();
    }

    const all = await connectThroughMcpRemote(`${t.url}/mcp`, 'http-only');
    try {
      expect(all.getServerVersion()?.name).toBe('canopy');
      expect(text(await all.callTool({ name: 'memory__read_graph', arguments: {} }))).toContain('entities');
      expect((await all.getPrompt({ name: 'notes__greeting', arguments: { name: 'Cy' } })).messages.length).toBe(1);
      const { resources } = await all.listResources();
      const readme = resources.find((r) => r.name === 'library__README');
      expect((await all.readResource({ uri: readme!.uri })).contents[0]).toMatchObject({ text: 'the readme' });
    } finally {
      await all.close();
    }

    const group = await connectThroughMcpRemote(`${t.url}/groups/research/mcp`, 'http-only');
    try {
      const names = (await group.listTools()).tools.map((tool) => tool.name);
      expect(names.every((name) => name.startsWith('files__') || name.startsWith('notes__'))).toBe(true);
      expect(text(await group.callTool({ name: 'notes__echo', arguments: { text: 'grouped' } }))).toBe('grouped');
    } finally {
      await group.close();
    }
  }, 120_000);

  it('mcp-remote (legacy SSE): /sse lists, calls and gets prompts', async () => {
    const client = await connectThroughMcpRemote(`${t.url}/sse`, 'sse-only');
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['thinking__sequentialthinking', 'library__echo', 'everything__echo']));
      expect(text(await client.callTool({ name: 'everything-sse__echo', arguments: { message: 'sse' } }))).toBe('Echo: sse');
      expect((await client.getPrompt({ name: 'everything-http__args-prompt', arguments: { city: 'Oslo' } })).messages.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  }, 60_000);
});
