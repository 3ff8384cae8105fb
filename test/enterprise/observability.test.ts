// Metrics (Prometheus text at /metrics: tool calls by server, tool, client and outcome; latency;
// upstream state; open sessions) and the audit log (tool calls, prompt gets, resource reads, admin
// changes: who, what, outcome, duration).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, startTestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { startEnterprise, type EnterpriseGateway } from './support.ts';

describe('metrics and audit', () => {
  let t: EnterpriseGateway;
  let clientToken: string;

  beforeAll(async () => {
    t = await startEnterprise();
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.everything() });
    clientToken = (await admin.createClient({ name: 'agent', allow: ['everything__echo', 'everything__simple-prompt', 'everything'] })).token;
    const mcp = await t.connect('/mcp', {}, clientToken);
    await mcp.callTool({ name: 'everything__echo', arguments: { message: 'one' } });
    await mcp.callTool({ name: 'everything__echo', arguments: { message: 'two' } });
    await mcp.getPrompt({ name: 'everything__simple-prompt' });
    const resource = (await mcp.listResources()).resources[0]!;
    await mcp.readResource({ uri: resource.uri });
    await admin.updateClient('agent', { allow: ['everything__echo'] });
    await expect(mcp.callTool({ name: 'everything__get-sum', arguments: { a: 1, b: 2 } })).rejects.toThrow();
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('serves Prometheus metrics to an administrator after calls', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const client = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${clientToken}` } });
    expect(client.status).toBe(403);
    const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/canopy_tool_calls_total\{[^}]*server="everything"[^}]*tool="echo"[^}]*client="agent"[^}]*outcome="ok"[^}]*\} 2/);
    expect(text).toMatch(/canopy_tool_calls_total\{[^}]*outcome="denied"[^}]*\} 1/);
    expect(text).toMatch(/canopy_tool_call_duration_seconds_count\{[^}]*tool="echo"[^}]*\} 2/);
    expect(text).toMatch(/canopy_tool_call_duration_seconds_bucket/);
    expect(text).toMatch(/canopy_upstream_state\{[^}]*server="everything"[^}]*state="running"[^}]*\} 1/);
    expect(text).toMatch(/canopy_sessions_open(\{[^}]*\})? [1-9]/);
  });

  it('keeps metrics off in development mode unless OTEL_ENABLED, and public with CANOPY_METRICS_PUBLIC=1', async () => {
    const dev = await startTestGateway({ settingsEnv: {} });
    try {
      expect((await fetch(`${dev.url}/metrics`)).status).toBe(404);
    } finally {
      await dev.close();
    }
    const devOn = await startTestGateway({ settingsEnv: { OTEL_ENABLED: 'true' } });
    try {
      expect((await fetch(`${devOn.url}/metrics`)).status).toBe(200);
    } finally {
      await devOn.close();
    }
    const open = await startEnterprise({ settingsEnv: { CANOPY_METRICS_PUBLIC: '1' } });
    try {
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('pushes metrics over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const received: string[] = [];
    const collector = createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const pushing = await startEnterprise({ settingsEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_METRIC_EXPORT_INTERVAL: '200' } });
    try {
      await eventually(() => received.length > 0, 5_000, 'an OTLP export');
      expect(received[0]).toMatch(/^POST \/v1\/metrics application\/(x-protobuf|json)/);
    } finally {
      await pushing.close();
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it('records tool calls, prompt gets, resource reads and refusals with who, what, outcome and duration', async () => {
    const entries = await t.apiAs(t.adminToken).audit({ client: 'agent' });
    const actions = entries.map((e) => [e.action, e.server, e.target, e.outcome]);
    expect(actions).toContainEqual(['tool.call', 'everything', 'echo', 'ok']);
    expect(actions).toContainEqual(['prompt.get', 'everything', 'simple-prompt', 'ok']);
    expect(actions.some(([action, server, , outcome]) => action === 'resource.read' && server === 'everything' && outcome === 'ok')).toBe(true);
    expect(actions).toContainEqual(['tool.call', undefined, 'everything__get-sum', 'denied']);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorKind: 'client', actor: 'agent' });
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(entries.filter((e) => e.action === 'tool.call' && e.outcome === 'ok')).toHaveLength(2);
  });

  it('records admin changes, refusals included, and filters by server and time', async () => {
    const admin = t.apiAs(t.adminToken);
    const entries = await admin.audit({ since: '1h' });
    expect(entries.map((e) => [e.actor, e.action, e.outcome])).toEqual(
      expect.arrayContaining([
        ['admin', 'POST /servers', 'ok'],
        ['admin', 'POST /clients', 'ok'],
        ['admin', 'PATCH /clients/agent', 'ok'],
      ]),
    );
    await expect(t.apiAs(clientToken).createClient({ name: 'sneaky', allow: ['*'] })).rejects.toMatchObject({ status: 403 });
    expect((await admin.audit({ since: '1m' })).find((e) => e.action === 'POST /clients' && e.outcome === 'denied')).toBeDefined();
    expect((await admin.audit({ server: 'everything' })).every((e) => e.server === 'everything')).toBe(true);
    expect(await admin.audit({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    await expect(admin.audit({ since: 'yesterday-ish' })).rejects.toMatchObject({ status: 400 });
  });
});
