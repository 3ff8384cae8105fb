// Two gateway replicas on one PostgreSQL behave as one: a change made through either (server
// registered or removed, tool disabled, allow-list changed, token revoked, group created) takes
// effect on the other within a second, through LISTEN/NOTIFY, without disturbing what did not change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { eventually } from '../support/gateway.ts';
import { freshPostgres, type TestLocation } from '../support/databases.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { rawInitialize, startEnterprise, text, type EnterpriseGateway } from './support.ts';

/** What "within a second" allows for. */
const PROPAGATION_MS = 1_000;

function countToolListChanges(client: Client): () => number {
  let count = 0;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    count += 1;
  });
  return () => count;
}

describe('replicas on one PostgreSQL', () => {
  let location: TestLocation;
  let a: EnterpriseGateway;
  let b: EnterpriseGateway;
  let token: string;

  beforeAll(async () => {
    location = await freshPostgres();
    // Replicas share their secrets (on a real deployment: the encrypted-in-database store).
    const secretStore = new FileSecretStore(mkdtempSync(join(tmpdir(), 'canopy-shared-secrets-')));
    a = await startEnterprise({ location, secretStore });
    await a.apiAs(a.adminToken).registerServer({ config: stdioConfigs.everything() });
    token = (await a.apiAs(a.adminToken).createClient({ name: 'agent', allow: ['everything'] })).token;
    b = { ...(await startEnterprise({ location, secretStore, initialize: false })), adminToken: a.adminToken };
    // A stored its catalog: B lists the server asleep, from that catalog, and starts it at the first call.
    await eventually(async () => (await b.apiAs(a.adminToken).getServer('everything')).state.status === 'sleeping', 20_000, 'B to list everything asleep');
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await location?.drop();
  });

  it('shares identities: a token made on one replica works on the other', async () => {
    expect(await b.apiAs(token).whoami()).toMatchObject({ kind: 'client', name: 'agent' });
    const client = await b.connect('/mcp', {}, token);
    expect(text(await client.callTool({ name: 'everything__echo', arguments: { message: 'b' } }))).toBe('Echo: b');
  });

  it('propagates a registration and a removal, leaving the other servers alone', async () => {
    const before = await b.apiAs(a.adminToken).getServer('everything');
    const session = await b.connect('/mcp', {}, token);
    const memoryFile = join(mkdtempSync(join(tmpdir(), 'canopy-mem-')), 'memory.jsonl');
    await a.apiAs(a.adminToken).registerServer({ config: stdioConfigs.memory('memory', memoryFile) });
    const started = Date.now();
    await eventually(async () => (await b.apiAs(a.adminToken).listServers()).some((s) => s.name === 'memory'), PROPAGATION_MS, 'B to know memory');
    expect(Date.now() - started).toBeLessThan(PROPAGATION_MS);
    await eventually(async () => (await b.apiAs(a.adminToken).getServer('memory')).state.status === 'running', 20_000, 'B to start memory');

    const after = await b.apiAs(a.adminToken).getServer('everything');
    expect(after.state.since).toBe(before.state.since);
    expect(text(await session.callTool({ name: 'everything__echo', arguments: { message: 'still' } }))).toBe('Echo: still');

    await a.apiAs(a.adminToken).deregisterServer('memory');
    await eventually(async () => !(await b.apiAs(a.adminToken).listServers()).some((s) => s.name === 'memory'), PROPAGATION_MS, 'B to drop memory');
  });

  it('propagates a disabled tool to open sessions on the other replica', async () => {
    const session = await b.connect('/mcp', {}, token);
    expect((await session.listTools()).tools.map((t) => t.name)).toContain('everything__echo');
    const changes = countToolListChanges(session);
    await a.apiAs(a.adminToken).setToolEnabled('everything__echo', false);
    await eventually(() => changes() > 0, PROPAGATION_MS, 'list_changed on B');
    expect((await session.listTools()).tools.map((t) => t.name)).not.toContain('everything__echo');
    await a.apiAs(a.adminToken).setToolEnabled('everything__echo', true);
    await eventually(async () => (await session.listTools()).tools.some((t) => t.name === 'everything__echo'), PROPAGATION_MS, 'echo back on B');
  });

  it('propagates a tool override to open sessions on the other replica, and lists the same names on both', async () => {
    const session = await b.connect('/mcp', {}, token);
    const changes = countToolListChanges(session);
    await a.apiAs(a.adminToken).setToolOverride('everything__echo', { name: 'say', description: 'Says it back' });
    await eventually(() => changes() > 0, PROPAGATION_MS, 'list_changed on B');
    const say = (await session.listTools()).tools.find((t) => t.name === 'everything__say');
    expect(say?.description).toBe('Says it back');
    expect(text(await session.callTool({ name: 'everything__say', arguments: { message: 'b' } }))).toBe('Echo: b');
    const listed = async (replica: EnterpriseGateway) => (await replica.apiAs(a.adminToken).listTools()).map((t) => t.name).sort();
    expect(await listed(b)).toEqual(await listed(a));
    await a.apiAs(a.adminToken).clearToolOverride('everything__say');
    await eventually(async () => (await session.listTools()).tools.some((t) => t.name === 'everything__echo'), PROPAGATION_MS, 'echo back on B');
  });

  it('propagates an allow-list change to open sessions on the other replica', async () => {
    const session = await b.connect('/mcp', {}, token);
    const changes = countToolListChanges(session);
    await a.apiAs(a.adminToken).updateClient('agent', { allow: ['everything__echo'] });
    await eventually(() => changes() > 0, PROPAGATION_MS, 'list_changed on B');
    expect((await session.listTools()).tools.map((t) => t.name)).toEqual(['everything__echo']);
    await a.apiAs(a.adminToken).updateClient('agent', { allow: ['everything'] });
  });

  it('propagates a group to the other replica', async () => {
    await a.apiAs(a.adminToken).createGroup({ name: 'echoes', included_tools: ['everything__echo'] });
    await a.apiAs(a.adminToken).updateClient('agent', { allow: ['everything', 'echoes'] });
    await eventually(async () => (await rawInitialize(b.url, '/groups/echoes/mcp', token)).status === 200, PROPAGATION_MS, 'B to serve the group');
  });

  it('propagates a revoked token: the other replica refuses it and closes its sessions', async () => {
    const session = await b.connect('/mcp', {}, token);
    expect((await session.listTools()).tools.length).toBeGreaterThan(0);
    await a.apiAs(a.adminToken).deleteClient('agent');
    await eventually(async () => (await rawInitialize(b.url, '/mcp', token)).status === 401, PROPAGATION_MS, 'B to refuse the token');
    await expect(session.listTools()).rejects.toThrow();
  });
});
