// The enterprise commands of the real `canopy` CLI (child processes) against a real gateway:
// init-server saves the admin token (0600), then identities, groups and the audit log.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, errorOf } from '../cli/run-cli.ts';
import { startEnterprise, type EnterpriseGateway } from './support.ts';

describe('enterprise CLI commands', () => {
  let t: EnterpriseGateway;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    t = await startEnterprise({ initialize: false });
    dir = mkdtempSync(join(tmpdir(), 'canopy-cli-enterprise-'));
    const { CANOPY_TOKEN: _token, CANOPY_REGISTRY: _registry, ...base } = process.env;
    env = { ...base, CANOPY_REGISTRY: t.url, XDG_CONFIG_HOME: join(dir, 'config'), CI_CLIENT_TOKEN: 'ci-client-token-from-the-environment-0001' };
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('initializes the gateway, printing the admin token once and saving it 0600', async () => {
    const before = await cli('list', 'servers');
    expect(before.code).toBe(1);
    expect(errorOf(before)).toMatch(/not initialized: run `canopy init-server`/);

    const result = await cli('init-server');
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^cnp_/);
    const settings = join(dir, 'config', 'canopy', 'cli.json');
    expect(JSON.parse(readFileSync(settings, 'utf8'))).toEqual({ tokens: { [new URL(t.url).origin]: token } });
    expect(statSync(settings).mode & 0o777).toBe(0o600);
    expect((await cli('whoami')).stdout.trim()).toBe('user admin (admin)');
    expect(errorOf(await cli('init-server'))).toMatch(/already initialized/);
  });

  it('creates, lists, updates, rotates and deletes identities', async () => {
    const created = await cli('create', 'mcp-client', 'cursor', '--allow', 'everything,memory__read_graph', '--description', 'laptop');
    expect(created.code).toBe(0);
    const clientToken = created.stdout.trim();
    expect(clientToken).toMatch(/^cnp_/);
    expect(await t.apiAs(clientToken).whoami()).toEqual({ kind: 'client', name: 'cursor', allow: ['everything', 'memory__read_graph'] });

    expect((await cli('update', 'mcp-client', 'cursor', '--allow', '*')).code).toBe(0);
    const listed = JSON.parse((await cli('list', 'mcp-clients', '--json')).stdout) as { name: string; allow: string[] }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'cursor', allow: ['*'], description: 'laptop' })]);

    const custom = await cli('create', 'mcp-client', 'ci', '--allow', '*', '--token', '${CI_CLIENT_TOKEN}', '--expires', '30d');
    expect(custom.stdout.trim()).toBe(env.CI_CLIENT_TOKEN);

    const rotated = await cli('rotate-token', 'mcp-client', 'cursor');
    expect(rotated.stdout.trim()).not.toBe(clientToken);
    await expect(t.apiAs(clientToken).whoami()).rejects.toMatchObject({ status: 401 });

    expect((await cli('create', 'user', 'alice')).code).toBe(0);
    expect((await cli('list', 'users')).stdout).toMatch(/alice\s+user/);
    expect((await cli('delete', 'mcp-client', 'cursor')).code).toBe(0);
    expect(errorOf(await cli('delete', 'user', 'admin'))).toMatch(/last administrator/);
    // Fifteen CLI processes in a row: about 13 s alone, more on a 2-core machine busy with other files.
  }, 90_000);

  it("sets a user's allow-list and manages OAuth client rules", async () => {
    expect((await cli('update', 'user', 'alice', '--allow', 'everything,research')).stdout).toMatch(/alice.*everything,research/);
    const sso = await cli('create', 'user', 'dana-smith', '--role', 'admin', '--sso');
    expect(sso.code, sso.stderr).toBe(0);
    expect(`${sso.stdout}${sso.stderr}`).toMatch(/created admin 'dana-smith': they sign in with the company's SSO/);
    expect(errorOf(await cli('create', 'user', 'eve', '--sso', '--expires', '30d'))).toMatch(/gets no token/);
    expect((await cli('update', 'user', 'dana-smith', '--role', 'user')).stdout).toMatch(/updated user 'dana-smith'/);
    expect(errorOf(await cli('update', 'user', 'admin', '--role', 'user'))).toMatch(/last enabled administrator: create or enable another admin before demoting it/);
    const users = JSON.parse((await cli('list', 'users', '--json')).stdout) as { name: string; allow: string[] }[];
    expect(users).toContainEqual(expect.objectContaining({ name: 'alice', allow: ['everything', 'research'] }));
    const claude = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
    expect((await cli('create', 'oauth-client-rule', claude, '--allow', 'everything', '--description', 'Claude')).code).toBe(0);
    expect((await cli('update', 'oauth-client-rule', claude, '--allow', 'everything,memory')).code).toBe(0);
    expect((await cli('update', 'oauth-client-rules', '--unlisted', 'refuse')).code).toBe(0);
    const listed = await cli('list', 'oauth-client-rules');
    expect(listed.stdout).toMatch(/claude\.ai\S*\s+everything,memory\s+Claude/);
    expect(`${listed.stdout}${listed.stderr}`).toMatch(/without a rule are refused/);
    expect(JSON.parse((await cli('list', 'oauth-client-rules', '--json')).stdout)).toEqual({
      unlisted: 'refuse',
      rules: [expect.objectContaining({ clientId: claude, allow: ['everything', 'memory'], description: 'Claude' })],
    });
    expect((await cli('delete', 'oauth-client-rule', claude)).code).toBe(0);
    expect(errorOf(await cli('delete', 'oauth-client-rule', claude))).toMatch(/no rule for OAuth client/);
    const audit = JSON.parse((await cli('audit', '--since', '1h', '--json')).stdout) as { action: string; target?: string }[];
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'PATCH /users/alice', target: 'alice' }),
        expect.objectContaining({ action: 'POST /oauth-clients' }),
        expect.objectContaining({ action: 'DELETE /oauth-clients', target: claude }),
      ]),
    );
  }, 60_000);

  it('manages groups and reads the audit log', async () => {
    expect((await cli('create', 'group', 'team', '--servers', 'everything', '--exclude', 'everything__echo')).stdout).toMatch(/\/groups\/team\/mcp/);
    const groups = JSON.parse((await cli('list', 'groups', '--json')).stdout) as { name: string; excludedTools: string[] }[];
    expect(groups).toEqual([expect.objectContaining({ name: 'team', excludedTools: ['everything__echo'] })]);
    const audit = JSON.parse((await cli('audit', '--since', '1h', '--json')).stdout) as { action: string }[];
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['POST /clients', 'POST /groups', 'DELETE /clients/cursor']));
  });
});
