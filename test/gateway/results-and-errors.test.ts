// What comes back through the gateway: resource URIs inside prompt results, resource labels on the
// aggregated endpoints, upstream errors relayed unchanged, cursors Canopy never issued, and how
// transparent one server's endpoint is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ListToolsResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startTestGateway, eventually, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { PROMPT_ERROR, shapedStdioConfig } from '../support/shaped-server.ts';

async function rejection(promise: Promise<unknown>): Promise<McpError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

describe('results and errors through the gateway', () => {
  let t: TestGateway;
  let aggregated: Client[];

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
    await t.api.registerServer({ config: shapedStdioConfig('notes', 'prompts') });
    await t.api.registerServer({ config: shapedStdioConfig('library', 'resources') });
    aggregated = [await t.connect('/mcp'), await t.connectSse()];
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('maps embedded resources in prompt results on /mcp and /sse, and they read back', async () => {
    for (const client of aggregated) {
      const prompt = await client.getPrompt({ name: 'everything__resource-prompt', arguments: { resourceType: 'Text', resourceId: '1' } });
      const embedded = prompt.messages.map((m) => m.content).find((c) => c.type === 'resource');
      expect(embedded?.type === 'resource' && embedded.resource.uri).toMatch(/^canopy:\/\/everything\//);
      const uri = (embedded as { resource: { uri: string } }).resource.uri;
      expect((await client.readResource({ uri })).contents[0].uri).toBe(uri);
    }
  });

  it('labels resources and templates with their server on aggregated endpoints only', async () => {
    for (const client of aggregated) {
      const { resources } = await client.listResources();
      expect(resources.find((r) => r.uri.startsWith('canopy://library/'))).toMatchObject({ name: 'library__README', title: 'library: Read me' });
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.find((r) => r.uriTemplate.startsWith('canopy://library/'))).toMatchObject({ name: 'library__page', title: 'library: A page' });
    }
    const direct = await t.connect('/servers/library/mcp');
    expect((await direct.listResources()).resources).toEqual([{ uri: 'note://readme', name: 'README', title: 'Read me', mimeType: 'text/plain' }]);
  });

  it("relays an upstream's JSON-RPC error unchanged: code, message and data", async () => {
    for (const client of [...aggregated, await t.connect('/servers/notes/mcp')]) {
      const name = client === aggregated[0] || client === aggregated[1] ? 'notes__fails' : 'fails';
      const error = await rejection(client.getPrompt({ name }));
      expect(error.code).toBe(PROMPT_ERROR.code);
      expect(error.message).toBe(`MCP error ${PROMPT_ERROR.code}: ${PROMPT_ERROR.message}`);
      expect(error.data).toEqual(PROMPT_ERROR.data);
    }
  });

  it("sends Canopy's own errors with their message once", async () => {
    const error = await rejection(aggregated[0].callTool({ name: 'nope__echo', arguments: {} }));
    expect(error.code).toBe(ErrorCode.InvalidParams);
    expect(error.message).toBe("MCP error -32602: unknown tool 'nope__echo': no server named 'nope' is registered");
  });

  it('answers a cursor it never issued with -32602 on every list', async () => {
    const lists = [
      ['tools/list', ListToolsResultSchema],
      ['prompts/list', ListPromptsResultSchema],
      ['resources/list', ListResourcesResultSchema],
      ['resources/templates/list', ListResourceTemplatesResultSchema],
    ] as const;
    for (const client of [aggregated[0], await t.connect('/servers/everything/mcp')]) {
      for (const [method, schema] of lists) {
        const error = await rejection(client.request({ method, params: { cursor: 'bogus' } }, schema));
        expect(error.code).toBe(ErrorCode.InvalidParams);
        expect(error.message).toMatch(/invalid cursor 'bogus'/);
      }
    }
  });

  it("introduces one server's endpoint as that server, with its instructions and log names", async () => {
    const notes = await t.connect('/servers/notes/mcp');
    expect(notes.getServerVersion()).toEqual({ name: 'shaped-prompts', title: 'Shaped: prompts', version: '1.2.3' });
    expect(notes.getInstructions()).toBe('Notes live here.');
    expect(aggregated[0].getServerVersion()?.name).toBe('canopy');

    const everything = await t.connect('/servers/everything/mcp');
    const messages: LoggingMessageNotification['params'][] = [];
    everything.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params));
    await everything.setLoggingLevel('debug');
    const uri = (await everything.listResources()).resources[0].uri;
    await everything.subscribeResource({ uri });
    const message = await eventually(() => messages.find((m) => String(m.data).includes('Subscribe Resource request')), 10_000, 'a log message');
    // The upstream's logger name, not Canopy's `server/logger`.
    expect(message.logger ?? '').not.toMatch(/^everything(\/|$)/);
    await everything.unsubscribeResource({ uri });
  });
});
