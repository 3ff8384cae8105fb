// How a 2025-11-25 session answers a POST: a plain JSON body when only the response comes back, an SSE
// stream as soon as something else belongs to that request (progress), batches answered whole, and
// the transport's refusals (Accept, Content-Type, protocol version, a second stream, a closed session).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';

const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('answers on a 2025-11-25 session', () => {
  let t: TestGateway;
  let url: string;
  let session: Record<string, string>;

  const post = (body: unknown, extra: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { ...session, ...extra }, body: JSON.stringify(body) });
  const call = (id: number, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
  });

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
    url = `${t.url}/servers/everything/mcp`;
    const init = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    expect(init.headers.get('content-type')).toBe('application/json');
    expect(((await init.json()) as { result: { protocolVersion: string } }).result.protocolVersion).toBe('2025-11-25');
    session = { ...headers, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
  }, 60_000);
  afterAll(async () => t?.close());

  it('answers a plain call with one JSON body carrying the session id', async () => {
    const response = await post(call(1, 'echo', { message: 'plain' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('mcp-session-id')).toBe(session['mcp-session-id']);
    const body = (await response.json()) as { id: number; result: { content: { text: string }[] } };
    expect(body.id).toBe(1);
    expect(body.result.content[0].text).toContain('plain');
  });

  it('switches to a stream when the call reports progress, and the result ends it', async () => {
    const response = await post(call(2, 'trigger-long-running-operation', { duration: 0.3, steps: 3 }, { progressToken: 'p2' }));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events = (await response.text())
      .split('\n\n')
      .filter((event) => event.startsWith('event: message'))
      .map((event) => JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { method?: string; id?: number; params?: { progressToken?: string } });
    const progress = events.filter((event) => event.method === 'notifications/progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((event) => event.params?.progressToken === 'p2')).toBe(true);
    expect(events.at(-1)?.id).toBe(2);
  });

  it('answers tools/list from the catalog, the same list every time, and refuses a cursor it never issued', async () => {
    const first = (await (await post({ jsonrpc: '2.0', id: 'list-1', method: 'tools/list' })).json()) as { id: string; result: { tools: { name: string }[] } };
    expect(first.id).toBe('list-1');
    expect(first.result.tools.map((tool) => tool.name)).toContain('echo');
    const again = (await (await post({ jsonrpc: '2.0', id: 'list-2', method: 'tools/list', params: {} })).json()) as typeof first;
    expect(again.result).toEqual(first.result);
    const cursor = (await (await post({ jsonrpc: '2.0', id: 'list-3', method: 'tools/list', params: { cursor: 'x' } })).json()) as { error: { code: number } };
    expect(cursor.error.code).toBe(-32602);
  });

  it('answers a batch with all of its responses in one JSON array', async () => {
    const response = await post([call(3, 'echo', { message: 'a' }), call(4, 'get-sum', { a: 2, b: 3 }), { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } }]);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { id: number }[];
    expect(body.map((message) => message.id).sort()).toEqual([3, 4]);
  });

  it('refuses a request id that is still waiting for its answer, so no POST is left without one', async () => {
    const first = post(call(10, 'trigger-long-running-operation', { duration: 0.5, steps: 1 }), {}).then(async (response) => (await response.text()).split('\n').find((line) => line.includes('"id":10')) ?? '');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await post(call(10, 'echo', { message: 'same id' }));
    expect(again.status).toBe(400);
    expect(((await again.json()) as { id: number; error: { message: string } }).error.message).toMatch(/id 10 is already in use/);
    const answered = await Promise.race([first, new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 10 s'), 10_000))]);
    expect(answered).toMatch(/Long running operation completed/);
    const twice = await post([call(11, 'echo', { message: 'a' }), call(11, 'echo', { message: 'b' })]);
    expect(twice.status).toBe(400);
    // Answered: the id is free again.
    expect(((await (await post(call(10, 'echo', { message: 'reused' }))).json()) as { id: number }).id).toBe(10);
  }, 20_000);

  it('refuses what the transport must refuse, with JSON-RPC errors', async () => {
    const notAccepted = await post(call(5, 'echo', { message: 'x' }), { accept: 'application/json' });
    expect(notAccepted.status).toBe(406);
    const notJson = await post(call(6, 'echo', { message: 'x' }), { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
    const badVersion = await post(call(7, 'echo', { message: 'x' }), { 'mcp-protocol-version': '1999-01-01' });
    expect(badVersion.status).toBe(400);
    expect(((await badVersion.json()) as { error: { message: string } }).error.message).toMatch(/Unsupported protocol version/);
    const notRpc = await post({ jsonrpc: '2.0', id: 'x', result: 'not an object' });
    expect(notRpc.status).toBe(400);
    expect(((await notRpc.json()) as { error: { code: number } }).error.code).toBeLessThan(-32000);
    const again = await post({ jsonrpc: '2.0', id: 8, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    expect(again.status).toBe(400);
  });

  it('keeps one GET stream per session, and a DELETE ends the session', async () => {
    const controller = new AbortController();
    const stream = await fetch(url, { headers: { ...session, accept: 'text/event-stream' }, signal: controller.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const second = await fetch(url, { headers: { ...session, accept: 'text/event-stream' } });
    expect(second.status).toBe(409);
    controller.abort();
    const deleted = await fetch(url, { method: 'DELETE', headers: session });
    expect(deleted.status).toBe(200);
    expect((await post(call(9, 'echo', { message: 'x' }))).status).toBe(404);
  });
});
