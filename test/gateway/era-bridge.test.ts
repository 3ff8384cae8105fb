// A 2026-07-28 client in front of a 2025 server (server-everything over stdio, from npm): the
// sampling and elicitation requests the server sends during a call reach the client as
// input_required rounds, and its answers reach the server, on /mcp and on the server's endpoint.
// A client that did not declare what the server needs gets -32021; a forged requestState is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, type ClientCapabilities } from '@modelcontextprotocol/client';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawModernCall } from '../support/raw-modern-call.ts';

const text = (result: { content?: unknown }) => (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');

async function modernClient(url: string, capabilities: ClientCapabilities, asked: string[] = []): Promise<Client> {
  const client = new Client({ name: 'bridge-test', version: '1.0.0' }, { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  if (capabilities.elicitation) {
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
    });
  }
  if (capabilities.sampling) {
    client.setRequestHandler('sampling/createMessage', async () => {
      asked.push('sampling');
      return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled for the bridge' } };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

describe('2026-07-28 client → Canopy → 2025 server', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
    expect((await t.api.getServer('everything')).protocolEra).toBe('legacy');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['/mcp', 'everything__'],
    ['/servers/everything/mcp', ''],
  ])('on %s the server’s elicitation and sampling become rounds the client answers', async (path, prefix) => {
    const asked: string[] = [];
    const client = await modernClient(`${t.url}${path}`, { elicitation: {}, sampling: {} }, asked);
    expect(client.getProtocolEra()).toBe('modern');
    const elicited = await client.callTool({ name: `${prefix}trigger-elicitation-request`, arguments: {} });
    expect(asked).toEqual(['Please provide inputs for the following fields:']);
    expect(text(elicited)).toContain('- Name: Ada Lovelace');
    const sampled = await client.callTool({ name: `${prefix}trigger-sampling-request`, arguments: { prompt: 'hello', maxTokens: 5 } });
    expect(asked).toContain('sampling');
    expect(text(sampled)).toContain('sampled for the bridge');
    const health = (await (await fetch(`${t.url}/health`)).json()) as { sessions: number };
    expect(health.sessions).toBe(0); // 2026 requests open no session
    await client.close();
  });

  it('a group and the search view serve 2026 clients with their own lists', async () => {
    await t.api.createGroup({ name: 'echoing', included_tools: ['everything__echo'] });
    const grouped = await modernClient(`${t.url}/groups/echoing/mcp`, {});
    expect((await grouped.listTools()).tools.map((tool) => tool.name)).toEqual(['everything__echo']);
    expect(text(await grouped.callTool({ name: 'everything__echo', arguments: { message: 'grouped' } }))).toBe('Echo: grouped');
    await expect(grouped.callTool({ name: 'everything__get-sum', arguments: { a: 1, b: 2 } })).rejects.toThrow(/get-sum/);
    await grouped.close();
    const search = await modernClient(`${t.url}/mcp/search`, {});
    expect((await search.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['call_tool', 'search_tools']);
    const found = await search.callTool({ name: 'call_tool', arguments: { name: 'everything__echo', arguments: { message: 'searched' } } });
    expect(text(found)).toBe('Echo: searched');
    await search.close();
  });

  it('a client that did not declare sampling gets -32021 naming it, and the server is not left waiting', async () => {
    const client = await modernClient(`${t.url}/servers/everything/mcp`, { elicitation: {} });
    const call = client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hello', maxTokens: 5 } });
    await expect(call).rejects.toMatchObject({ code: -32021 });
    // The server still answers the next call at once.
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'after' } }))).toBe('Echo: after');
    await client.close();
  });

  it('a listen stream hears the updates of the resources it watches, under the URI it asked with', async () => {
    const client = await modernClient(`${t.url}/mcp`, {});
    const { resources } = await client.listResources();
    const watched = resources[0].uri;
    expect(watched).toMatch(/^canopy:\/\/everything\//);
    const updates: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      updates.push(notification.params.uri);
    });
    const subscription = await client.listen({ resourceSubscriptions: [watched] });
    // server-everything sends updates for subscribed resources every 5 s once switched on.
    await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await eventually(() => updates.length > 0, 15_000, 'a resource update on the listen stream');
    expect(new Set(updates)).toEqual(new Set([watched]));
    await client.callTool({ name: 'everything__toggle-subscriber-updates', arguments: {} });
    await subscription.close();
    await client.close();
  }, 30_000);

  it('a requestState Canopy did not issue is refused', async () => {
    const response = await rawModernCall(`${t.url}/servers/everything/mcp`, {
      tool: 'trigger-elicitation-request',
      arguments: {},
      capabilities: { elicitation: {} },
      params: { requestState: 'forged', inputResponses: { x: { action: 'accept', content: {} } } },
    });
    const body = await response.text();
    expect(body).toContain('-32602');
    expect(body).toContain('unknown or expired requestState');
  });
});
