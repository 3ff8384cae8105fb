// A 2026-07-28 client meeting a 2026-07-28 server through one server's endpoint: the requests go
// through as they are (the multi round trip of input_required included), with Canopy's access
// checks, overrides and malformed-request answers in front. Real SDK v2 client and server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startDualEraServer, type DualEraServer } from '../support/dual-era-server.ts';
import { rawModernCall } from '../support/raw-modern-call.ts';

const text = (result: { content?: unknown }) => (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');

async function modernClient(url: string): Promise<Client> {
  const client = new Client({ name: 'modern-test', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Ada' } }));
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const rawCall = (url: string, tool: string, nameHeader: string) => rawModernCall(url, { tool, arguments: { text: 'x' }, nameHeader });

describe('2026-07-28 client → /servers/{name}/mcp → 2026-07-28 server', () => {
  let t: TestGateway;
  let upstream: DualEraServer;
  let endpoint: string;

  beforeAll(async () => {
    upstream = await startDualEraServer();
    t = await startTestGateway();
    await t.api.registerServer({ config: { name: 'dual', url: upstream.url } });
    await eventually(async () => (await t.api.getServer('dual')).protocolEra === 'modern', 15_000, 'the modern verdict');
    endpoint = `${t.url}/servers/dual/mcp`;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  it('lists and calls tools, and each input_required round goes to the server and back', async () => {
    const client = await modernClient(endpoint);
    expect(client.getProtocolEra()).toBe('modern');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['ask_name', 'echo', 'secret']);
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'through' } }))).toBe('through');
    const before = upstream.requests.get('tools/call') ?? 0;
    expect(text(await client.callTool({ name: 'ask_name', arguments: {} }))).toBe('Hello, Ada!');
    // Two rounds reached the server itself: the input_required result and the retry with the answer.
    expect((upstream.requests.get('tools/call') ?? 0) - before).toBe(2);
    await client.close();
  });

  it('overrides rename and hide tools for 2026 clients as for 2025 ones', async () => {
    await t.api.setToolOverride('dual__echo', { name: 'say' });
    await t.api.setToolOverride('dual__secret', { hidden: true });
    try {
      const client = await modernClient(endpoint);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['ask_name', 'say']);
      expect(text(await client.callTool({ name: 'say', arguments: { text: 'renamed' } }))).toBe('renamed');
      await expect(client.callTool({ name: 'secret', arguments: {} })).rejects.toThrow(/secret/);
      await client.close();
      // The Mcp-Name header is checked against the name the caller used, then carries the upstream's.
      const mismatch = await rawCall(endpoint, 'say', 'other');
      expect(mismatch.status).toBe(400);
      expect(((await mismatch.json()) as { error: { code: number } }).error.code).toBe(-32020);
      const matching = await rawCall(endpoint, 'say', 'say');
      expect(matching.status).toBe(200);
      expect(await matching.text()).toContain('"text":"x"');
    } finally {
      await t.api.clearToolOverride('dual__say');
      await t.api.clearToolOverride('dual__secret');
    }
  });

  it('answers malformed 2026 requests with the validation ladder: a body naming another method than Mcp-Method is 400', async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'x' }, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { id: unknown; error: { code: number } }).id).toBe(1);
  });
});
