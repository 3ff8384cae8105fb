// What each identity may do on the admin API: administrators everything; users read the registry
// and invoke tools; MCP clients list and invoke what their allow-list grants. 401 without a valid
// token, 403 for a known identity without access; the last administrator stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawApi, startEnterprise, type EnterpriseGateway } from './support.ts';

describe('roles on the admin API', () => {
  let t: EnterpriseGateway;
  let userToken: string;
  let clientToken: string;

  beforeAll(async () => {
    t = await startEnterprise();
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.everything() });
    userToken = (await admin.createUser({ name: 'alice', role: 'user' })).token;
    clientToken = (await admin.createClient({ name: 'cursor', allow: ['everything__echo'], description: 'laptop' })).token;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('answers 401 without a token or with a bad one', async () => {
    for (const token of [undefined, 'cnp_wrong', '']) {
      const response = await rawApi(t.url, 'GET', '/status', token);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
    const response = await fetch(`${t.url}/api/v0/status`);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('lets an administrator manage servers, identities, groups and read the audit log', async () => {
    const admin = t.apiAs(t.adminToken);
    expect((await admin.listUsers()).map((u) => [u.name, u.role])).toEqual([
      ['admin', 'admin'],
      ['alice', 'user'],
    ]);
    expect((await admin.listClients())[0]).toMatchObject({ name: 'cursor', allow: ['everything__echo'], description: 'laptop' });
    expect(JSON.stringify(await admin.listClients())).not.toMatch(/token/i);
    await admin.setServerEnabled('everything', true);
    expect(await admin.createGroup({ name: 'g', included_servers: ['everything'] })).toMatchObject({ mcpUrl: `${t.url}/groups/g/mcp` });
    await admin.deleteGroup('g');
    expect(Array.isArray(await admin.audit())).toBe(true);
    expect((await admin.exportServers()).servers).toHaveLength(1);
  });

  it('lets a user read and invoke, and nothing more', async () => {
    const user = t.apiAs(userToken);
    expect(await user.whoami()).toEqual({ kind: 'user', name: 'alice', role: 'user' });
    expect((await user.status()).mode).toBe('enterprise');
    expect((await user.listServers()).map((s) => s.name)).toEqual(['everything']);
    expect((await user.listTools()).length).toBeGreaterThan(5);
    expect(await user.listGroups()).toEqual([]);
    expect((await user.invokeTool('everything__echo', { message: 'ok' })).isError).toBeFalsy();

    const refused: [string, () => Promise<unknown>][] = [
      ['register', () => user.registerServer({ config: stdioConfigs.memory() })],
      ['deregister', () => user.deregisterServer('everything')],
      ['disable', () => user.setServerEnabled('everything', false)],
      ['disable tool', () => user.setToolEnabled('everything__echo', false)],
      ['logs', () => user.serverLogs('everything')],
      ['export', () => user.exportServers()],
      ['list users', () => user.listUsers()],
      ['create user', () => user.createUser({ name: 'mallory', role: 'admin' })],
      ['create client', () => user.createClient({ name: 'x', allow: ['*'] })],
      ['rotate', () => user.rotateClientToken('cursor')],
      ['create group', () => user.createGroup({ name: 'g' })],
      ['audit', () => user.audit()],
    ];
    for (const [what, call] of refused) {
      await expect(call(), what).rejects.toMatchObject({ status: 403, code: 'forbidden', message: expect.stringMatching(/not an administrator/) });
    }
  });

  it('lets an MCP client list and invoke only, within its allow-list', async () => {
    const client = t.apiAs(clientToken);
    expect(await client.whoami()).toEqual({ kind: 'client', name: 'cursor', allow: ['everything__echo'] });
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['everything__echo']);
    expect((await client.invokeTool('everything__echo', { message: 'c' })).isError).toBeFalsy();
    for (const call of [() => client.listServers(), () => client.listGroups(), () => client.listUsers(), () => client.audit()]) {
      await expect(call()).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/needs a user token/) });
    }
  });

  it('keeps the last administrator', async () => {
    const admin = t.apiAs(t.adminToken);
    await expect(admin.deleteUser('admin')).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/last administrator/) });
    const second = await admin.createUser({ name: 'bob', role: 'admin' });
    await t.apiAs(second.token).deleteUser('admin');
    await expect(t.apiAs(second.token).deleteUser('bob')).rejects.toMatchObject({ status: 409 });
    await expect(admin.listUsers()).rejects.toMatchObject({ status: 401 });
    t.adminToken = second.token;
  });

  it('validates names, allow-list entries and tokens', async () => {
    const admin = t.apiAs(t.adminToken);
    await expect(admin.createClient({ name: 'bad name', allow: [] })).rejects.toMatchObject({ status: 400 });
    await expect(admin.createClient({ name: 'x', allow: ['not a server'] })).rejects.toMatchObject({ status: 400 });
    await expect(admin.createClient({ name: 'cursor', allow: [] })).rejects.toMatchObject({ status: 409 });
    await expect(admin.createUser({ name: 'carol', token: 'too-short' })).rejects.toMatchObject({ status: 400 });
    await expect(admin.createUser({ name: 'carol', expiresAt: '2001-01-01T00:00:00Z' })).rejects.toMatchObject({ status: 400 });
    await expect(admin.createGroup({ name: 'g', included_tools: ['no-separator'] })).rejects.toMatchObject({ status: 400 });
  });
});
