// `canopy setup APP` against a real enterprise gateway: the app gets an MCP client of its own with the
// allow-list the user chose (flag or question), never the admin's user token, which /mcp refuses.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../main/cli/program.ts';
import { createContext } from '../../main/cli/context.ts';
import { createOutput } from '../../main/cli/output.ts';
import { registerSetupCommand, type SetupAsk } from '../../main/cli/commands/setup.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize, startEnterprise, type EnterpriseGateway } from './support.ts';

const SLOW = { timeout: 60_000 };

describe('canopy setup on an enterprise gateway', () => {
  let t: EnterpriseGateway;
  let home: string;
  beforeAll(async () => {
    t = await startEnterprise();
    home = mkdtempSync(join(tmpdir(), 'canopy-setup-ent-'));
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.memory() });
    await admin.registerServer({ config: stdioConfigs.everything() });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  function setupCli(ask?: SetupAsk) {
    let stdout = '';
    let stderr = '';
    const output = createOutput({ write: (text: string) => (stdout += text) }, { write: (text: string) => (stderr += text) });
    const program = createProgram().exitOverride();
    const context = createContext(program, { output, env: { CANOPY_TOKEN: t.adminToken }, settingsPath: join(home, 'cli.json') });
    registerSetupCommand(program, context, { home, platform: 'linux', env: {} }, ask);
    return {
      run: (...args: string[]) => program.parseAsync(['node', 'canopy', '--registry', t.url, ...args]),
      out: () => stdout + stderr,
    };
  }
  const cursorConfig = () => JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8'));

  it('without a terminal and without --allow says what to pass and writes nothing', async () => {
    await expect(setupCli().run('setup', 'cursor')).rejects.toThrow(/say which servers Cursor may use: --allow/);
    expect(existsSync(join(home, '.cursor', 'mcp.json'))).toBe(false);
    expect(await t.apiAs(t.adminToken).listClients()).toEqual([]);
  });

  it('refuses a user token passed with --token', async () => {
    await expect(setupCli().run('setup', 'cursor', '--token', t.adminToken)).rejects.toThrow(/token of user 'admin'.*MCP client tokens only/);
  });

  it('asks which servers the app may use, creates its MCP client, and the written token works on /mcp', SLOW, async () => {
    const questions: string[] = [];
    const cli = setupCli(async (question) => {
      questions.push(question);
      return 'memory';
    });
    await cli.run('setup', 'cursor');
    expect(questions[0]).toMatch(/which servers may it use\?\n {2}.*everything.*memory/);
    expect(cli.out()).toContain("Created MCP client 'cursor' (allowed: memory)");
    const entry = cursorConfig().mcpServers.canopy;
    expect(entry.url).toBe(`${t.url}/mcp`);
    const token = (entry.headers.Authorization as string).replace(/^Bearer /, '');
    expect(token).not.toBe(t.adminToken);
    expect((await t.apiAs(token).whoami())).toEqual({ kind: 'client', name: 'cursor', allow: ['memory'] });

    // What Cursor would do with the file: the token opens /mcp, and lists only what the client may use.
    const client = await t.connect('/mcp', {}, token);
    const tools = (await client.listTools()).tools.map((tool) => tool.name);
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((name) => name.startsWith('memory__'))).toBe(true);
    // The admin token, which the old setup wrote, is refused there.
    expect((await rawInitialize(t.url, '/mcp', t.adminToken)).status).toBe(403);
  });

  it('--allow and --client name a second client; an existing client is not silently replaced', SLOW, async () => {
    const cli = setupCli();
    await cli.run('setup', 'vscode', '--client', 'vscode-work', '--allow', 'everything,memory__read_graph');
    const clients = await t.apiAs(t.adminToken).listClients();
    expect(clients.find((c) => c.name === 'vscode-work')?.allow).toEqual(['everything', 'memory__read_graph']);
    await expect(setupCli().run('setup', 'claude-code', '--client', 'cursor', '--allow', '*')).rejects.toThrow(
      /MCP client 'cursor' already exists.*--token.*rotate-token mcp-client cursor/,
    );
  });

  it('--dry-run creates nothing', async () => {
    const cli = setupCli();
    await cli.run('setup', 'claude-code', '--allow', '*', '--dry-run');
    expect(cli.out()).toContain("Dry run: would create MCP client 'claude-code' allowed *");
    expect((await t.apiAs(t.adminToken).listClients()).map((c) => c.name)).not.toContain('claude-code');
  });
});
