// The per-user commands of the real `canopy` CLI (child processes): an administrator registers a
// server with --credentials per_user; a user connects their own account with a token piped to
// `canopy connect --token-stdin`, lists it, calls with it, and disconnects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, isolatedCliEnv, runCli } from '../cli/run-cli.ts';
import { startAccountServer, type AccountServer } from '../support/account-server.ts';
import { eventually } from '../support/gateway.ts';
import { startEnterprise, text, type EnterpriseGateway } from './support.ts';

describe('per-user credentials from the CLI', () => {
  let t: EnterpriseGateway;
  let upstream: AccountServer;
  let dir: string;
  let userToken: string;

  beforeAll(async () => {
    upstream = await startAccountServer({ 'tok-dana-4b7c': 'dana@accounts' });
    t = await startEnterprise();
    userToken = (await t.apiAs(t.adminToken).createUser({ name: 'dana' })).token;
    dir = mkdtempSync(join(tmpdir(), 'canopy-cli-per-user-'));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a per-user server and lets a user connect, list, use and disconnect their account', async () => {
    const asAdmin = isolatedCliEnv(dir, t.url, { CANOPY_TOKEN: t.adminToken });
    const registered = await runCli(['register', '--name', 'accounts', '--url', upstream.url, '--credentials', 'per_user'], asAdmin);
    expect(registered.code, registered.stderr).toBe(0);
    expect(errorOf(await runCli(['register', '--name', 'x', '--url', upstream.url, '--credentials', 'personal'], asAdmin))).toMatch(
      /field 'credentials' must be one of "shared", "per_user"/,
    );

    const asDana = isolatedCliEnv(dir, t.url, { CANOPY_TOKEN: userToken });
    expect((await runCli(['list', 'connections'], asDana)).stdout).toMatch(/accounts\s+not connected/);
    expect(errorOf(await runCli(['connect', 'accounts', '--token-stdin'], asDana, 25_000, ''))).toMatch(/no token on stdin/);
    const connected = await runCli(['connect', 'accounts', '--token-stdin'], asDana, 25_000, 'tok-dana-4b7c\n');
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stdout).toContain("✓ connected your account of 'accounts' with a personal token");
    expect(JSON.parse((await runCli(['list', 'connections', '--json'], asDana)).stdout)).toMatchObject([{ server: 'accounts', status: 'connected', kind: 'token' }]);

    const dana = t.apiAs(userToken);
    await eventually(async () => (await dana.listTools()).some((tool) => tool.name === 'accounts__whoami'), 15_000, 'the per-user catalog');
    expect(text(await dana.invokeTool('accounts__whoami', {}))).toBe('dana@accounts');

    expect((await runCli(['disconnect', 'accounts'], asDana)).stdout).toContain("✓ disconnected your account of 'accounts'");
    expect(errorOf(await runCli(['disconnect', 'accounts'], asDana))).toMatch(/you have not connected server 'accounts'/);
  });
});
