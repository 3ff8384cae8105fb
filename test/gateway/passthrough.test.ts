// Pass-through in both directions between a downstream client and server-everything behind the
// gateway: progress, cancellation, logging, sampling, elicitation, roots, subscriptions,
// completions, ping — over streamable HTTP, and the basics over legacy SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type CallToolResult,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startTestGateway, eventually, type TestGateway } from '../support/gateway.ts';
import { startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';

const allText = (result: unknown) =>
  (result as CallToolResult).content.map((c) => ('text' in c ? c.text : JSON.stringify(c))).join('\n');

/** A client that answers sampling, elicitation and roots like a real MCP host would. */
async function hostLikeClient(t: TestGateway, path = '/mcp'): Promise<Client> {
  const client = await t.connect(path, { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
    model: 'test-model',
    role: 'assistant',
    content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0].content)}` },
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({
    action: 'accept',
    content: { name: 'Ada Lovelace', check: true, email: 'ada@example.com', integer: 7 },
  }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({
    roots: [{ uri: 'file:///work/project-root', name: 'project-root' }],
  }));
  return client;
}

describe.each([
  ['stdio', 'everything'],
  ['streamable HTTP', 'remote'],
] as const)('pass-through to a %s upstream', (_kind, server) => {
  let t: TestGateway;
  let http: RunningHttpUpstream | undefined;

  beforeAll(async () => {
    t = await startTestGateway();
    if (server === 'remote') {
      http = await startEverythingHttp();
      await t.api.registerServer({ config: { name: 'remote', url: http.url } });
    } else {
      await t.api.registerServer({ config: stdioConfigs.everything() });
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await http?.stop();
  });

  it('relays progress notifications with the client’s own token', async () => {
    const client = await hostLikeClient(t);
    const progress: number[] = [];
    const result = await client.callTool(
      { name: `${server}__trigger-long-running-operation`, arguments: { duration: 1, steps: 4 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(allText(result)).toMatch(/completed/i);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('cancels an upstream call when the client aborts, and keeps serving', async () => {
    const client = await hostLikeClient(t);
    const abort = new AbortController();
    const call = client.callTool(
      { name: `${server}__trigger-long-running-operation`, arguments: { duration: 20, steps: 20 } },
      undefined,
      { signal: abort.signal },
    );
    setTimeout(() => abort.abort('user cancelled'), 300);
    await expect(call).rejects.toThrow();
    const echo = await client.callTool({ name: `${server}__echo`, arguments: { message: 'still here' } });
    expect(allText(echo)).toBe('Echo: still here');
  });

  it('routes sampling/createMessage to the calling client', async () => {
    const client = await hostLikeClient(t);
    const result = await client.callTool({ name: `${server}__trigger-sampling-request`, arguments: { prompt: 'haiku', maxTokens: 20 } });
    expect(allText(result)).toContain('sampled:');
    expect(allText(result)).toContain('haiku');
  });

  it('routes elicitation to the calling client', async () => {
    const client = await hostLikeClient(t);
    const result = await client.callTool({ name: `${server}__trigger-elicitation-request`, arguments: {} });
    expect(allText(result)).toContain('Ada Lovelace');
  });

  it('answers roots/list from the calling client on a per-session connection, and never on the shared one', async () => {
    const client = await hostLikeClient(t);
    // Shared: the upstream is told of no roots (it would keep one client's roots for everyone).
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain(`${server}__get-roots-list`);
    const own = `${server}-own`;
    const config = server === 'remote' ? { name: own, url: http!.url } : stdioConfigs.everything(own);
    await t.api.registerServer({ config: { ...config, isolation: 'per_session' } });
    try {
      const result = await client.callTool({ name: `${own}__get-roots-list`, arguments: {} });
      expect(allText(result)).toContain('file:///work/project-root');
    } finally {
      await t.api.deregisterServer(own);
    }
  });

  it('forwards logging/setLevel and relays log messages tagged with the server', async () => {
    const client = await hostLikeClient(t);
    const messages: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      messages.push(n.params);
    });
    await client.setLoggingLevel('debug');
    const { resources } = await client.listResources();
    await client.subscribeResource({ uri: resources[0].uri });
    const message = await eventually(
      () => messages.find((m) => String(m.data).includes('Subscribe Resource request')),
      10_000,
      'a log message from the upstream',
    );
    expect(message.logger?.startsWith(server)).toBe(true);
    await client.unsubscribeResource({ uri: resources[0].uri });
  });

  it('relays resources/updated to subscribers under the gateway URI', async () => {
    const client = await hostLikeClient(t);
    const updated: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updated.push(n.params.uri);
    });
    const { resources } = await client.listResources();
    const uri = resources[0].uri;
    expect(uri.startsWith(`canopy://${server}/`)).toBe(true);
    await client.subscribeResource({ uri });
    await client.callTool({ name: `${server}__toggle-subscriber-updates`, arguments: {} });
    await eventually(() => updated.includes(uri), 15_000, 'notifications/resources/updated');
    await client.callTool({ name: `${server}__toggle-subscriber-updates`, arguments: {} });
  });

  it('passes completions through with mapped prompt names', async () => {
    const client = await hostLikeClient(t);
    const result = await client.complete({
      ref: { type: 'ref/prompt', name: `${server}__completable-prompt` },
      argument: { name: 'department', value: 'E' },
    });
    expect(result.completion.values).toContain('Engineering');
  });

  it('answers ping', async () => {
    const client = await hostLikeClient(t);
    await expect(client.ping()).resolves.toBeDefined();
  });
});

describe('legacy SSE endpoint', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
  }, 60_000);
  afterAll(async () => t?.close());

  it('serves the aggregated tools and routes calls', async () => {
    const client = await t.connectSse();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('everything__echo');
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'sse' } });
    expect(allText(result)).toBe('Echo: sse');
  });
});
