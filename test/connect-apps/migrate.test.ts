// Moving each app's servers into Canopy and back, on temporary homes: what the scan finds (and
// which servers several apps share), the merge, the backup, and an undo that is byte-identical.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppId } from '../../main/core/connect-apps/apps.ts';
import { migrateApp, migrationBackupPath, scanApps, sharedServers, undoMigration } from '../../main/core/connect-apps/migrate.ts';
import { configPath, type HostLocation } from '../../main/core/connect-apps/paths.ts';
import { createProgram } from '../../main/cli/program.ts';
import { createContext } from '../../main/cli/context.ts';
import { createOutput } from '../../main/cli/output.ts';
import { registerSetupCommand } from '../../main/cli/commands/setup.ts';
import { REDACTED } from '../../main/core/api/contract.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { memoryEntry } from '../support/upstreams.ts';

const bridge = { command: '/usr/bin/canopy', args: [] };
const URL_ = 'http://127.0.0.1:7450/mcp';

/** Each app's file as users have them: its own key, comments where the app allows them, CRLF, tabs. */
const files: Record<AppId, string> = {
  cursor: JSON.stringify(
    {
      mcpServers: {
        github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_secret' } },
        linear: { url: 'https://mcp.linear.app/sse' },
      },
    },
    null,
    2,
  ),
  'claude-desktop': JSON.stringify({ globalShortcut: 'Ctrl+Space', mcpServers: { github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] }, memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } }, null, '\t').replace(/\n/g, '\r\n'),
  'claude-code': JSON.stringify({ numStartups: 12, projects: { '/src/app': { mcpServers: { local: { command: 'x' } } } }, mcpServers: { sentry: { type: 'http', url: 'https://mcp.sentry.dev/mcp', headers: { Authorization: 'Bearer sntr' } } } }, null, 2) + '\n',
  vscode: `{
  // my servers
  "servers": {
    "memory": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, // shared with Claude
    "fetch": { "type": "stdio", "command": "uvx", "args": ["mcp-server-fetch"] },
  },
  "inputs": [],
}
`,
  windsurf: JSON.stringify(
    {
      mcpServers: {
        github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], disabled: true },
        linear: { serverUrl: 'https://mcp.linear.app/sse', headers: { Authorization: 'Bearer lin_secret' } },
      },
    },
    null,
    2,
  ),
  zed: `// Zed settings
{
  "theme": "One Dark",
  "context_servers": {
    // the older nested shape
    "memory": { "command": { "path": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "env": {} } },
    "linear": { "source": "custom", "url": "https://mcp.linear.app/sse", "enabled": false },
    "mcp-server-context7": { "source": "extension", "enabled": true, "settings": { "default_minimum_tokens": "10000" } },
  },
}
`,
};

function writeApp(host: HostLocation, app: AppId): string {
  const path = configPath(app, host);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, files[app]);
  return path;
}

let home: string;
let host: HostLocation;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'canopy-migrate-'));
  host = { home, platform: 'linux', env: {} };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('scanning the apps', () => {
  it("lists each app's servers (not Canopy's own entry), and the servers several apps share", async () => {
    for (const app of ['cursor', 'claude-desktop', 'vscode'] as const) writeApp(host, app);
    const scans = await scanApps(host);
    const byApp = Object.fromEntries(scans.map((scan) => [scan.app, scan]));
    expect(byApp.cursor.servers.map((server) => server.name)).toEqual(['github', 'linear']);
    expect(byApp['claude-desktop'].servers.map((server) => server.name)).toEqual(['github', 'memory']);
    expect(byApp.vscode.servers.map((server) => server.name)).toEqual(['memory', 'fetch']);
    expect(byApp['claude-code']).toMatchObject({ found: false, servers: [] });
    expect(sharedServers(scans)).toEqual([
      { names: ['github'], apps: ['cursor', 'claude-desktop'] },
      { names: ['memory'], apps: ['claude-desktop', 'vscode'] },
    ]);
  });

  it("reads Windsurf's serverUrl and Zed's context servers (old and new shapes); a Zed extension's server stays in Zed", async () => {
    for (const app of ['cursor', 'windsurf', 'zed'] as const) writeApp(host, app);
    const scans = await scanApps(host);
    const byApp = Object.fromEntries(scans.map((scan) => [scan.app, scan]));
    expect(byApp.windsurf.servers).toEqual([
      { name: 'github', disabled: true, config: expect.objectContaining({ transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] }) },
      { name: 'linear', disabled: false, config: expect.objectContaining({ url: 'https://mcp.linear.app/sse', headers: { Authorization: 'Bearer lin_secret' } }) },
    ]);
    expect(byApp.zed.servers).toEqual([
      { name: 'memory', disabled: false, config: expect.objectContaining({ transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] }) },
      { name: 'linear', disabled: true, config: expect.objectContaining({ url: 'https://mcp.linear.app/sse' }) },
      { name: 'mcp-server-context7', disabled: false, error: expect.stringMatching(/a Zed extension runs this server/) },
    ]);
    expect(sharedServers(scans)).toEqual([
      { names: ['github'], apps: ['cursor', 'windsurf'] },
      { names: ['linear'], apps: ['cursor', 'windsurf', 'zed'] },
    ]);
  });

  it('a file the app could not read either is reported, not guessed at', async () => {
    const path = configPath('cursor', host);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{ "mcpServers": { "a": { "command": "x" }, } }');
    const [cursor] = await scanApps(host);
    expect(cursor.error).toMatch(/is not valid JSON \(line 1/);
  });
});

describe.each(['cursor', 'claude-desktop', 'claude-code', 'vscode', 'windsurf', 'zed'] as const)('migrating %s', (app) => {
  it('replaces the imported entries with the Canopy entry, keeps the rest, and undo restores the file byte for byte', async () => {
    const path = writeApp(host, app);
    const original = readFileSync(path);
    const [scan] = (await scanApps(host)).filter((candidate) => candidate.app === app);
    // Everything but the last server was imported (the last one, say, failed): it stays.
    const names = scan.servers.map((server) => server.name);
    const imported = names.slice(0, -1);
    const result = await migrateApp({ app, imported, url: URL_, bridge, ...host });
    expect(result.removed).toEqual(imported);
    expect(readFileSync(migrationBackupPath(path))).toEqual(original);

    const after = await scanApps(host).then((scans) => scans.find((candidate) => candidate.app === app)!);
    expect(after.connected).toBe(true);
    expect(after.canUndo).toBe(true);
    expect(after.servers.map((server) => server.name)).toEqual(names.slice(-1));
    const text = readFileSync(path, 'utf8');
    if (app === 'vscode') expect(text).toContain('// my servers');
    if (app === 'claude-desktop') expect(text).toContain('"globalShortcut": "Ctrl+Space"');
    if (app === 'claude-code') expect(JSON.parse(text).projects['/src/app'].mcpServers.local).toEqual({ command: 'x' });
    if (app === 'zed') expect(text).toContain('"theme": "One Dark"');

    const undone = await undoMigration(app, host);
    expect(readFileSync(path)).toEqual(original);
    expect(existsSync(migrationBackupPath(path))).toBe(false);
    // The migrated file is not lost either.
    expect(readFileSync(undone.replacedKeptAt!, 'utf8')).toBe(text);
  });
});

describe('migrating twice, and undo without a migration', () => {
  it('the backup stays the file as it was before the first migration', async () => {
    const path = writeApp(host, 'cursor');
    const original = readFileSync(path);
    await migrateApp({ app: 'cursor', imported: ['github'], url: URL_, bridge, ...host });
    await migrateApp({ app: 'cursor', imported: ['linear'], url: URL_, bridge, ...host });
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).mcpServers)).toEqual(['canopy']);
    expect(readFileSync(migrationBackupPath(path))).toEqual(original);
    // The in-between state got an ordinary time-stamped backup.
    expect(readdirSync(dirname(path)).filter((name) => name.includes('.canopy-backup-'))).toHaveLength(1);
    await undoMigration('cursor', host);
    expect(readFileSync(path)).toEqual(original);
  });

  it('undo with nothing to undo says so', async () => {
    writeApp(host, 'cursor');
    await expect(undoMigration('cursor', host)).rejects.toThrow(/there is no migration of Cursor to undo/);
  });

  it('a dry run writes nothing', async () => {
    const path = writeApp(host, 'cursor');
    const result = await migrateApp({ app: 'cursor', imported: ['github', 'linear'], url: URL_, bridge, dryRun: true, ...host });
    expect(result.diff).toContain('-    "github"');
    expect(readFileSync(path, 'utf8')).toBe(files.cursor);
    expect(existsSync(migrationBackupPath(path))).toBe(false);
  });
});

describe('canopy setup --migrate / --undo against a real gateway', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  function setupCli() {
    let stdout = '';
    const output = createOutput({ write: (text: string) => (stdout += text) }, { write: () => true });
    const program = createProgram().exitOverride();
    const context = createContext(program, { output, env: {}, settingsPath: join(home, 'cli.json') });
    registerSetupCommand(program, context, host);
    return { run: (...args: string[]) => program.parseAsync(['node', 'canopy', '--registry', gateway.url, ...args]), stdout: () => stdout };
  }

  it('imports the servers (secrets into the secret store), points the app at Canopy, and undo puts it back', async () => {
    const path = configPath('cursor', host);
    mkdirSync(dirname(path), { recursive: true });
    const memoryFile = join(home, 'memory.jsonl');
    const original = JSON.stringify({ mcpServers: { notes: { command: process.execPath, args: [memoryEntry], env: { MEMORY_FILE_PATH: memoryFile, API_KEY: 'sk-very-secret' } } } }, null, 2);
    writeFileSync(path, original);

    const scan = setupCli();
    await scan.run('setup', '--scan');
    expect(scan.stdout()).toContain(`Cursor (${path}): notes`);

    const cli = setupCli();
    await cli.run('setup', '--migrate', 'cursor');
    expect(cli.stdout()).toMatch(/Cursor now reaches notes through Canopy/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ mcpServers: { canopy: { url: `${gateway.url}/mcp` } } });
    const server = await gateway.api.getServer('notes');
    expect(server.state.status).toBe('running');
    // The API shows the secret redacted; the store holds a reference, not the value.
    expect((server.config as { env: Record<string, string> }).env.API_KEY).toBe(REDACTED);
    expect(JSON.stringify(await gateway.gateway.views.exportServers())).not.toContain('sk-very-secret');

    // Migrating again finds nothing left to move.
    await expect(setupCli().run('setup', '--migrate', 'cursor')).rejects.toThrow(/Cursor has no MCP servers to move/);

    const undo = setupCli();
    await undo.run('setup', '--undo', 'cursor');
    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(undo.stdout()).toContain('The servers stay registered in Canopy');
  });

  it('one mode at a time, and a named server must exist', async () => {
    await expect(setupCli().run('setup', 'cursor', '--scan')).rejects.toThrow(/give one of/);
    writeApp(host, 'cursor');
    await expect(setupCli().run('setup', '--migrate', 'cursor', '--only', 'nope')).rejects.toThrow(/Cursor has no server named nope: it has github, linear/);
  });
});
