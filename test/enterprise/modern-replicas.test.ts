// 2026-07-28 requests need no session affinity: two replicas on one PostgreSQL behind a plain
// round-robin serve one 2026 client whose requests alternate between them, and the second replica
// reuses the first one's protocol-era verdict instead of probing the server again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { eventually } from '../support/gateway.ts';
import { freshPostgres, type TestLocation } from '../support/databases.ts';
import { startDualEraServer, type DualEraServer } from '../support/dual-era-server.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { startEnterprise, type EnterpriseGateway } from './support.ts';

describe('a 2026 client across two replicas', () => {
  let location: TestLocation;
  let upstream: DualEraServer;
  let a: EnterpriseGateway;
  let b: EnterpriseGateway;
  let token: string;

  beforeAll(async () => {
    location = await freshPostgres();
    upstream = await startDualEraServer();
    const secretStore = new FileSecretStore(mkdtempSync(join(tmpdir(), 'canopy-shared-secrets-')));
    a = await startEnterprise({ location, secretStore });
    const admin = a.apiAs(a.adminToken);
    await admin.registerServer({ config: { name: 'dual', url: upstream.url } });
    await eventually(async () => (await admin.getServer('dual')).protocolEra === 'modern', 20_000, 'A to find the modern era');
    token = (await admin.createClient({ name: 'agent', allow: ['dual'] })).token;
    b = { ...(await startEnterprise({ location, secretStore, initialize: false })), adminToken: a.adminToken };
    await eventually(async () => (await b.apiAs(a.adminToken).getServer('dual')).state.status === 'running', 20_000, 'B to connect to dual');
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await upstream?.close();
    await location?.drop();
  });

  it('B reuses the verdict A stored: the server was probed once', async () => {
    expect((await b.apiAs(a.adminToken).getServer('dual')).protocolEra).toBe('modern');
    expect(upstream.requests.get('server/discover')).toBe(1);
  });

  it.each(['/servers/dual/mcp', '/mcp'])('requests to %s alternate between the replicas and all succeed', async (path) => {
    const seen: string[] = [];
    let next = 0;
    // A load balancer with no affinity: each request goes to the other replica.
    const roundRobin: typeof fetch = (input, init) => {
      const replica = [a.url, b.url][next++ % 2];
      seen.push(replica);
      const url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(`${replica}${url.pathname}`, { ...init, headers });
    };
    const client = new Client({ name: 'balanced', version: '1.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Grace' } }));
    await client.connect(new StreamableHTTPClientTransport(new URL(`${a.url}${path}`), { fetch: roundRobin }));
    const prefix = path === '/mcp' ? 'dual__' : '';
    for (let i = 0; i < 4; i++) {
      const result = await client.callTool({ name: `${prefix}echo`, arguments: { text: `call ${i}` } });
      expect((result.content as { text: string }[])[0].text).toBe(`call ${i}`);
    }
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain(`${prefix}ask_name`);
    // Both rounds of a multi round trip, possibly on different replicas: the 2026 server keeps no state between them.
    const greeting = await client.callTool({ name: `${prefix}ask_name`, arguments: {} });
    expect((greeting.content as { text: string }[])[0].text).toBe('Hello, Grace!');
    expect(new Set(seen)).toEqual(new Set([a.url, b.url]));
    await client.close();
  });
});
