// Fault: a flood of initialized-and-abandoned MCP sessions. Sessions are bounded (CANOPY_MAX_SESSIONS,
// CANOPY_MAX_SESSIONS_PER_CLIENT): the excess is answered 503 with a JSON-RPC error saying what to do,
// the gateway stays up, a healthy session keeps working and hearing list changes, and a client that
// reconnects without closing its old sessions replaces its own idle ones instead of locking itself out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_PROTOCOL_VERSION, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize, startEnterprise, type EnterpriseGateway } from '../enterprise/support.ts';

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;
const openSessions = async (url: string) => ((await (await fetch(`${url}/health`)).json()) as { sessions: number }).sessions;

/** `count` initializes at `path`, `parallel` at a time; each session is abandoned (never used, never deleted). */
async function flood(url: string, path: string, count: number, token?: string, parallel = 16): Promise<{ status: number; body: unknown }[]> {
  const results: { status: number; body: unknown }[] = [];
  for (let sent = 0; sent < count; sent += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - sent) }, () => rawInitialize(url, path, token));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

describe('a session flood against the default limit (development mode)', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
  }, 60_000);
  afterAll(async () => t?.close());

  it('tells a session without an open stream what changed when it opens one', async () => {
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(`${t.url}/servers/everything/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });
    expect(init.status).toBe(200);
    await init.text();
    const session = { ...headers, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION };
    await fetch(`${t.url}/servers/everything/mcp`, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    // The list changes while the session holds no stream (it is not pushed anything)…
    await t.api.setToolEnabled('everything__echo', false);
    try {
      // …and hears of it once it opens one.
      const abort = new AbortController();
      const stream = await fetch(`${t.url}/servers/everything/mcp`, { headers: { ...session, accept: 'text/event-stream' }, signal: abort.signal });
      expect(stream.status).toBe(200);
      const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      const deadline = Date.now() + 5_000;
      while (!received.includes('notifications/tools/list_changed') && Date.now() < deadline) {
        const next = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(r, deadline - Date.now()))]);
        if (!next || next.done) break;
        received += next.value;
      }
      abort.abort();
      expect(received).toContain('notifications/tools/list_changed');
    } finally {
      await t.api.setToolEnabled('everything__echo', true);
      await fetch(`${t.url}/servers/everything/mcp`, { method: 'DELETE', headers: session });
    }
  });
  it('answers the excess with 503 and a JSON-RPC error, survives, and keeps a healthy session working', async () => {
    const healthy = await t.connect('/mcp');
    const heard: string[] = [];
    healthy.setNotificationHandler(ToolListChangedNotificationSchema, () => void heard.push('tools'));
    expect(text(await healthy.callTool({ name: 'everything__echo', arguments: { message: 'before' } }))).toBe('Echo: before');
    const rssBefore = process.memoryUsage().rss;
    const open = await openSessions(t.url);

    // The default limit is 1000, the healthy session among them. 1,200 abandoned initializes.
    const results = await flood(t.url, '/mcp', 1_200);
    const accepted = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 503);
    expect(accepted).toBe(1000 - open);
    expect(refused.length).toBe(1_200 - accepted);
    expect(refused[0].body).toMatchObject({ jsonrpc: '2.0', error: { code: -32003 } });
    expect(JSON.stringify(refused[0].body)).toMatch(/CANOPY_MAX_SESSIONS=1000.*raise CANOPY_MAX_SESSIONS/);
    expect(await openSessions(t.url)).toBe(1000);
    // The legacy SSE endpoint counts against the same limit.
    const sse = await fetch(`${t.url}/sse`);
    expect(sse.status).toBe(503);
    expect(await sse.json()).toMatchObject({ error: { code: -32003 } });

    // The gateway is up, the healthy session still calls and still hears list changes.
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    expect(text(await healthy.callTool({ name: 'everything__echo', arguments: { message: 'after' } }))).toBe('Echo: after');
    await t.api.registerServer({ config: stdioConfigs.memory() });
    await eventually(() => heard.length > 0, 10_000, 'list_changed on the healthy session');

    const rssAfter = process.memoryUsage().rss;
    console.log(
      `session flood: ${accepted} sessions accepted, ${refused.length} refused with 503; ` +
        `RSS of the process holding the gateway ${mb(rssBefore)} MB before, ${mb(rssAfter)} MB after (${mb(rssAfter - rssBefore)} MB for ${accepted} sessions)`,
    );
  }, 180_000);

});

describe('per-client session limits (enterprise mode)', () => {
  let t: EnterpriseGateway;
  let flooder: string;
  let bystander: string;

  beforeAll(async () => {
    t = await startEnterprise({ settingsEnv: { CANOPY_MAX_SESSIONS: '40', CANOPY_MAX_SESSIONS_PER_CLIENT: '10' }, sessionLimits: { evictIdleAfterMs: 1_500 } });
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.everything() });
    flooder = (await admin.createClient({ name: 'flooder', allow: ['*'] })).token;
    bystander = (await admin.createClient({ name: 'bystander', allow: ['*'] })).token;
  }, 120_000);
  afterAll(async () => t?.close());

  it('refuses one client over its own limit while another client still gets in', async () => {
    const results = await flood(t.url, '/mcp', 15, flooder, 5);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status === 503);
    expect(refused).toHaveLength(5);
    expect(JSON.stringify(refused[0].body)).toMatch(/client:flooder has 10 open MCP sessions.*CANOPY_MAX_SESSIONS_PER_CLIENT=10/);
    const other = await t.connect('/mcp', {}, bystander);
    expect(text(await other.callTool({ name: 'everything__echo', arguments: { message: 'in' } }))).toBe('Echo: in');
  });

  it('lets a client that reconnects replace its own idle sessions instead of locking itself out', async () => {
    // The flooder's ten sessions from the test above are idle; once idle long enough, new ones replace them.
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const again = await flood(t.url, '/mcp', 10, flooder, 5);
    expect(again.every((r) => r.status === 200)).toBe(true);
    // Replaced, not added: still at the client's limit.
    expect(await openSessions(t.url)).toBe(11);
  });
});
