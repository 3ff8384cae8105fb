// Each app's config writer on temporary homes for macOS, Windows and Linux.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { APP_IDS, type AppId } from '../../main/core/connect-apps/apps.ts';
import { connectApp, ConnectAppError, type ConnectAppOptions } from '../../main/core/connect-apps/connect.ts';
import { configPath, type DesktopPlatform, type HostLocation } from '../../main/core/connect-apps/paths.ts';
import { connectMessage } from '../../main/core/connect-apps/messages.ts';

const URL_ = 'http://127.0.0.1:7450/mcp';
const bridge = { command: '/usr/bin/node', args: ['/opt/canopy/bin/canopy.mjs'] };
const PLATFORMS: DesktopPlatform[] = ['darwin', 'win32', 'linux'];

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'canopy-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function hostFor(platform: DesktopPlatform): HostLocation {
  return { home, platform, env: platform === 'win32' ? { APPDATA: join(home, 'AppData', 'Roaming') } : {} };
}

function options(app: AppId, platform: DesktopPlatform, extra: Partial<ConnectAppOptions> = {}): ConnectAppOptions {
  return { app, url: URL_, bridge, now: () => new Date('2025-03-04T05:06:07.890Z'), ...hostFor(platform), ...extra };
}

function backups(path: string): string[] {
  return readdirSync(dirname(path)).filter((name) => name.startsWith(`${basename(path)}.canopy-backup-`));
}

describe('config paths', () => {
  it('puts each app where it looks on every platform', () => {
    const expected: Record<DesktopPlatform, Record<AppId, string[]>> = {
      darwin: {
        cursor: ['.cursor', 'mcp.json'],
        'claude-code': ['.claude.json'],
        vscode: ['Library', 'Application Support', 'Code', 'User', 'mcp.json'],
        'claude-desktop': ['Library', 'Application Support', 'Claude', 'claude_desktop_config.json'],
        windsurf: ['.codeium', 'windsurf', 'mcp_config.json'],
        zed: ['.config', 'zed', 'settings.json'],
      },
      win32: {
        cursor: ['.cursor', 'mcp.json'],
        'claude-code': ['.claude.json'],
        vscode: ['AppData', 'Roaming', 'Code', 'User', 'mcp.json'],
        'claude-desktop': ['AppData', 'Roaming', 'Claude', 'claude_desktop_config.json'],
        windsurf: ['.codeium', 'windsurf', 'mcp_config.json'],
        zed: ['AppData', 'Roaming', 'Zed', 'settings.json'],
      },
      linux: {
        cursor: ['.cursor', 'mcp.json'],
        'claude-code': ['.claude.json'],
        vscode: ['.config', 'Code', 'User', 'mcp.json'],
        'claude-desktop': ['.config', 'Claude', 'claude_desktop_config.json'],
        windsurf: ['.codeium', 'windsurf', 'mcp_config.json'],
        zed: ['.config', 'zed', 'settings.json'],
      },
    };
    for (const platform of PLATFORMS) {
      for (const app of APP_IDS) expect(configPath(app, hostFor(platform))).toBe(join(home, ...expected[platform][app]));
    }
  });

  it('follows XDG_CONFIG_HOME on Linux', () => {
    expect(configPath('vscode', { home, platform: 'linux', env: { XDG_CONFIG_HOME: '/x' } })).toBe(join('/x', 'Code', 'User', 'mcp.json'));
    expect(configPath('zed', { home, platform: 'linux', env: { XDG_CONFIG_HOME: '/x' } })).toBe(join('/x', 'zed', 'settings.json'));
  });
});

describe.each(PLATFORMS)('on %s', (platform) => {
  it('creates each app config from nothing with the right entry shape', async () => {
    const entries: Record<AppId, unknown> = {
      cursor: { mcpServers: { canopy: { url: URL_ } } },
      'claude-code': { mcpServers: { canopy: { type: 'http', url: URL_ } } },
      vscode: { servers: { canopy: { type: 'http', url: URL_ } } },
      'claude-desktop': {
        mcpServers: { canopy: { command: '/usr/bin/node', args: ['/opt/canopy/bin/canopy.mjs', 'stdio-bridge', '--url', URL_] } },
      },
      windsurf: { mcpServers: { canopy: { serverUrl: URL_ } } },
      zed: { context_servers: { canopy: { source: 'custom', url: URL_ } } },
    };
    for (const app of APP_IDS) {
      const result = await connectApp(options(app, platform));
      expect(result.outcome).toBe('created');
      expect(result.backupPath).toBeUndefined();
      expect(JSON.parse(readFileSync(result.path, 'utf8'))).toEqual(entries[app]);
      expect(Boolean(result.restartHint)).toBe(app !== 'vscode' && app !== 'zed');
    }
  });

  it.each(['cursor', 'claude-code', 'claude-desktop', 'windsurf'] as const)('%s: merges into an existing file, keeps other entries, backs up, is idempotent', async (app) => {
    const path = configPath(app, hostFor(platform));
    mkdirSync(dirname(path), { recursive: true });
    const original = {
      theme: 'dark',
      mcpServers: { github: { command: 'gh-mcp', args: ['--stdio'], env: { GITHUB_TOKEN: 'x' } } },
      projects: { '/src/app': { mcpServers: { local: { command: 'x' } } } },
    };
    const originalText = JSON.stringify(original, null, 4);
    writeFileSync(path, originalText, { mode: 0o600 });

    const first = await connectApp(options(app, platform, { token: 'tok-1' }));
    expect(first.outcome).toBe('added');
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.theme).toBe('dark');
    expect(written.mcpServers.github).toEqual(original.mcpServers.github);
    expect(written.projects).toEqual(original.projects);
    // Existing indentation is kept (4 spaces).
    expect(readFileSync(path, 'utf8')).toMatch(/\n {8}"canopy": \{/);
    if (app === 'claude-desktop') {
      expect(written.mcpServers.canopy.env).toEqual({ CANOPY_TOKEN: 'tok-1' });
      expect(written.mcpServers.canopy.args).not.toContain('tok-1');
    } else {
      expect(written.mcpServers.canopy.headers).toEqual({ Authorization: 'Bearer tok-1' });
    }
    expect(first.backupPath).toBe(`${path}.canopy-backup-2025-03-04T05-06-07-890Z`);
    expect(readFileSync(first.backupPath!, 'utf8')).toBe(originalText);
    if (platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);

    const second = await connectApp(options(app, platform, { token: 'tok-1' }));
    expect(second.outcome).toBe('unchanged');
    expect(second.backupPath).toBeUndefined();
    expect(second.diff).toBe('');
    expect(connectMessage(second)).toMatch(/already set up/);
    expect(backups(path)).toHaveLength(1);

    // A new token is an update, with a new backup.
    const third = await connectApp(options(app, platform, { token: 'tok-2', now: () => new Date('2025-03-05T00:00:00Z') }));
    expect(third.outcome).toBe('updated');
    expect(backups(path)).toHaveLength(2);
  });

  it('vscode: keeps comments, trailing commas and other servers in the JSONC file', async () => {
    const path = configPath('vscode', hostFor(platform));
    mkdirSync(dirname(path), { recursive: true });
    const original = [
      '// My MCP servers',
      '{',
      '\t"servers": {',
      '\t\t/* the memory server */',
      '\t\t"memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }, // keep me',
      '\t},',
      '\t"inputs": [],',
      '}',
      '',
    ].join('\n');
    writeFileSync(path, original);
    const result = await connectApp(options('vscode', platform, { token: 't' }));
    expect(result.outcome).toBe('added');
    const text = readFileSync(path, 'utf8');
    for (const kept of ['// My MCP servers', '/* the memory server */', '// keep me', '"inputs": []']) expect(text).toContain(kept);
    expect(text).toContain('\t\t"canopy": {');
    expect(result.restartHint).toBeUndefined();
    expect(backups(path)).toHaveLength(1);
    expect((await connectApp(options('vscode', platform, { token: 't' }))).outcome).toBe('unchanged');
    expect(backups(path)).toHaveLength(1);
  });

  it('zed: adds a context server to settings.json, keeping its other settings and comments', async () => {
    const path = configPath('zed', hostFor(platform));
    mkdirSync(dirname(path), { recursive: true });
    const original = ['// Zed settings', '{', '  "theme": "One Dark", // mine', '  "vim_mode": true,', '}', ''].join('\n');
    writeFileSync(path, original);
    const result = await connectApp(options('zed', platform, { token: 't' }));
    expect(result.outcome).toBe('added');
    const text = readFileSync(path, 'utf8');
    for (const kept of ['// Zed settings', '"theme": "One Dark", // mine', '"vim_mode": true']) expect(text).toContain(kept);
    expect(text).toMatch(/"context_servers": \{\n {4}"canopy": \{/);
    expect(result.restartHint).toBeUndefined();
    expect(readFileSync(result.backupPath!, 'utf8')).toBe(original);
  });

  it('dry run shows the diff and writes nothing', async () => {
    const path = configPath('cursor', hostFor(platform));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{\n  "mcpServers": {\n    "other": { "url": "http://x" }\n  }\n}\n');
    const result = await connectApp(options('cursor', platform, { dryRun: true }));
    expect(result.outcome).toBe('added');
    expect(result.dryRun).toBe(true);
    expect(result.diff).toContain(`+++ ${path}`);
    expect(result.diff).toMatch(/^\+ {4}"canopy": \{$/m);
    expect(result.diff).toContain(['   "mcpServers": {', '-    "other": { "url": "http://x" }', '+    "other": { "url": "http://x" },', '+    "canopy": {'].join('\n'));
    expect(connectMessage(result)).toMatch(/^Dry run: would add Canopy to Cursor/);
    expect(readFileSync(path, 'utf8')).toBe('{\n  "mcpServers": {\n    "other": { "url": "http://x" }\n  }\n}\n');
    expect(backups(path)).toHaveLength(0);

    const fresh = await connectApp(options('claude-code', platform, { dryRun: true }));
    expect(fresh.outcome).toBe('created');
    expect(fresh.diff).toMatch(/^--- \/dev\/null/);
    expect(() => statSync(fresh.path)).toThrow();
  });

  it('leaves a malformed file untouched with a clear error', async () => {
    for (const [app, text, where] of [
      ['cursor', '{ "mcpServers": { "a": 1, }', /line 1/],
      ['claude-code', '{\n  // comments are not JSON\n  "a": 1\n}', /line 2, column 3/],
      ['claude-desktop', '[1, 2]', /top level/],
      ['vscode', '{ "servers": [] }', /"servers" that is not an object/],
    ] as const) {
      const path = configPath(app, hostFor(platform));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      const attempt = connectApp(options(app, platform));
      await expect(attempt).rejects.toThrow(ConnectAppError);
      await expect(connectApp(options(app, platform))).rejects.toThrow(where);
      await expect(connectApp(options(app, platform))).rejects.toThrow(/left untouched/);
      expect(readFileSync(path, 'utf8')).toBe(text);
      expect(backups(path)).toHaveLength(0);
    }
  });
});

it('writes through a symlinked config and keeps the link', async () => {
  const real = join(home, 'dotfiles', 'mcp.json');
  mkdirSync(dirname(real), { recursive: true });
  writeFileSync(real, '{}');
  mkdirSync(join(home, '.cursor'));
  symlinkSync(real, join(home, '.cursor', 'mcp.json'));
  await connectApp(options('cursor', 'linux'));
  expect(lstatSync(join(home, '.cursor', 'mcp.json')).isSymbolicLink()).toBe(true);
  expect(JSON.parse(readFileSync(real, 'utf8')).mcpServers.canopy.url).toBe(URL_);
});

it('treats an empty file as empty config', async () => {
  const path = configPath('cursor', hostFor('linux'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '\n');
  const result = await connectApp(options('cursor', 'linux'));
  expect(result.outcome).toBe('added');
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ mcpServers: { canopy: { url: URL_ } } });
});
