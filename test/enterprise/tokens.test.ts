// Token life: rotation and revocation stop the old token at once, open sessions included; expiry;
// custom tokens; and no token anywhere in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { eventually } from '../support/gateway.ts';
import { freshPostgres, type TestLocation } from '../support/databases.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize, startEnterprise, text, type EnterpriseGateway } from './support.ts';

/** Every row of every table in the public schema, as text (what a dump would hold). */
async function dumpDatabase(url: string): Promise<string> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const tables = await db.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public'");
    const parts: string[] = [];
    for (const { tablename } of tables.rows) {
      const rows = await db.query(`select * from "${tablename}"`);
      parts.push(`${tablename}: ${JSON.stringify(rows.rows)}`);
    }
    return parts.join('\n');
  } finally {
    await db.end();
  }
}

describe('tokens', () => {
  let t: EnterpriseGateway;
  let location: TestLocation;
  let databaseUrl: string;
  const issued: string[] = [];

  beforeAll(async () => {
    location = await freshPostgres();
    databaseUrl = (location.location as { url: string }).url;
    t = await startEnterprise({ location });
    issued.push(t.adminToken);
    await t.apiAs(t.adminToken).registerServer({ config: stdioConfigs.everything() });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await location?.drop();
  });

  it('stops a rotated token at once, closing its open sessions', async () => {
    const admin = t.apiAs(t.adminToken);
    const { token } = await admin.createClient({ name: 'agent', allow: ['*'] });
    issued.push(token);
    const session = await t.connect('/mcp', {}, token);
    expect(text(await session.callTool({ name: 'everything__echo', arguments: { message: 'before' } }))).toBe('Echo: before');
    const rotated = await admin.rotateClientToken('agent');
    issued.push(rotated.token);
    expect(rotated.token).not.toBe(token);
    await expect(session.callTool({ name: 'everything__echo', arguments: { message: 'after' } })).rejects.toThrow();
    expect((await rawInitialize(t.url, '/mcp', token)).status).toBe(401);
    const fresh = await t.connect('/mcp', {}, rotated.token);
    expect(text(await fresh.callTool({ name: 'everything__echo', arguments: { message: 'new' } }))).toBe('Echo: new');
  });

  it('stops a deleted client at once, its SSE session too', async () => {
    const admin = t.apiAs(t.adminToken);
    const { token } = await admin.createClient({ name: 'doomed', allow: ['everything'] });
    issued.push(token);
    const sessions = async () => ((await (await fetch(`${t.url}/health`)).json()) as { sessions: number }).sessions;
    const sse = await t.connectSse({}, token);
    expect((await sse.listTools()).tools.length).toBeGreaterThan(0);
    const open = await sessions();
    await admin.deleteClient('doomed');
    // The gateway closes the stream itself (the client's EventSource may try again: it gets 401).
    await eventually(async () => (await sessions()) === open - 1, 5_000, 'the SSE session to close');
    await expect(sse.listTools()).rejects.toThrow();
    expect((await rawInitialize(t.url, '/mcp', token)).status).toBe(401);
  });

  it('rotates a user token', async () => {
    const admin = t.apiAs(t.adminToken);
    const { token } = await admin.createUser({ name: 'dana' });
    issued.push(token);
    const { token: next } = await admin.rotateUserToken('dana');
    issued.push(next);
    await expect(t.apiAs(token).whoami()).rejects.toMatchObject({ status: 401 });
    expect(await t.apiAs(next).whoami()).toMatchObject({ name: 'dana' });
  });

  /** Open MCP sessions, as /health counts them; `seen` keeps the last count for failure messages. */
  const seen = { sessions: -1 };
  const sessions = async () => {
    seen.sessions = ((await (await fetch(`${t.url}/health`)).json()) as { sessions: number }).sessions;
    return seen.sessions;
  };

  it('lets a token expire', async () => {
    const admin = t.apiAs(t.adminToken);
    const open = await sessions();
    const created = await admin.createClient({ name: 'temp', allow: ['*'], expiresAt: new Date(Date.now() + 1_500).toISOString() });
    issued.push(created.token);
    expect(created.tokenExpiresAt).toBeDefined();
    expect((await rawInitialize(t.url, '/mcp', created.token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    const expired = await rawInitialize(t.url, '/mcp', created.token);
    expect(expired.status).toBe(401);
    expect(JSON.stringify(expired.body)).toMatch(/expired/);
    // The session it opened closes too (and the next test counts from a settled number).
    await eventually(async () => (await sessions()) === open, 15_000, () => `its session to close (${seen.sessions} open, ${open} before)`);
  });

  it('closes the open sessions and GET streams of a token when it expires', async () => {
    const admin = t.apiAs(t.adminToken);
    const created = await admin.createClient({ name: 'brief', allow: ['*'], expiresAt: new Date(Date.now() + 4_000).toISOString() });
    issued.push(created.token);
    const open = await sessions();
    const streamable = await t.connect('/mcp', {}, created.token);
    const sse = await t.connectSse({}, created.token);
    const listChanged: string[] = [];
    for (const client of [streamable, sse]) {
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged.push('tools'));
    }
    expect(await sessions()).toBe(open + 2);
    // Before expiry the streams carry list changes…
    await admin.registerServer({ config: stdioConfigs.everything('before-expiry') });
    await eventually(() => listChanged.length === 2, 10_000, 'list_changed on both sessions');
    // …at expiry both sessions close (no request needed), so later changes reach neither.
    await eventually(async () => (await sessions()) === open, 15_000, () => `the expired sessions to close (${seen.sessions} open, ${open} before)`);
    expect(Date.parse(created.tokenExpiresAt!)).toBeLessThanOrEqual(Date.now());
    listChanged.length = 0;
    await admin.deregisterServer('before-expiry');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(listChanged).toEqual([]);
  });

  it('takes a custom token', async () => {
    const custom = 'ci-pipeline-token-with-plenty-of-entropy-42';
    issued.push(custom);
    await t.apiAs(t.adminToken).createClient({ name: 'ci', allow: ['*'], token: custom });
    expect(await t.apiAs(custom).whoami()).toMatchObject({ kind: 'client', name: 'ci' });
    // The same token for another identity would make one of them speak as the other: refused.
    await expect(t.apiAs(t.adminToken).createUser({ name: 'copycat', token: custom })).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.apiAs(t.adminToken).rotateUserToken('admin', { token: custom })).rejects.toMatchObject({ code: 'conflict' });
    expect(await t.apiAs(t.adminToken).whoami()).toMatchObject({ kind: 'user', name: 'admin' });
  });

  it('keeps no token in the database, only hashes', async () => {
    const dump = await dumpDatabase(databaseUrl);
    expect(dump).toMatch(/token_hash/);
    expect(issued.length).toBeGreaterThan(6);
    for (const token of issued) {
      expect(dump.includes(token)).toBe(false);
      // Nor a recognizable part of it.
      expect(dump.includes(token.slice(4, 24))).toBe(false);
    }
  });
});
