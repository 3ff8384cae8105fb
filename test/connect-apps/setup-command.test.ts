// `canopy setup <app>` through commander, on a temporary home.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '../../main/cli/program.ts';
import { createContext } from '../../main/cli/context.ts';
import { createOutput } from '../../main/cli/output.ts';
import { registerSetupCommand } from '../../main/cli/commands/setup.ts';
import { writeCliSettings } from '../../main/cli/cli-settings.ts';

/** Nothing listens on port 1: setup cannot ask the gateway its mode. */
const UNREACHABLE = 'http://127.0.0.1:1';
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'canopy-setup-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function setupCli(env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  const output = createOutput({ write: (text: string) => (stdout += text) }, { write: () => true });
  const program = createProgram().exitOverride();
  const settingsPath = join(home, 'cli.json');
  const context = createContext(program, { output, env, settingsPath });
  registerSetupCommand(program, context, { home, platform: 'linux', env: {} });
  return {
    settingsPath,
    run: (...args: string[]) => program.parseAsync(['node', 'canopy', ...args]),
    stdout: () => stdout,
  };
}

it('adds Canopy with the registry URL, then finds it already set up', async () => {
  const cli = setupCli();
  await cli.run('--registry', 'http://127.0.0.1:7999', 'setup', 'claude-code');
  expect(cli.stdout()).toMatch(/^Added Canopy to Claude Code: .*\.claude\.json\.\nStart a new `claude` session/);
  expect(JSON.parse(readFileSync(join(home, '.claude.json'), 'utf8'))).toEqual({
    mcpServers: { canopy: { type: 'http', url: 'http://127.0.0.1:7999/mcp' } },
  });
  const again = setupCli();
  await again.run('--registry', 'http://127.0.0.1:7999', 'setup', 'claude-code');
  expect(again.stdout()).toMatch(/already set up in Claude Code/);
});

it('--dry-run prints the diff and writes nothing; the saved login token (a user token) is never written', async () => {
  const cli = setupCli();
  writeCliSettings(cli.settingsPath, { tokens: { [new URL(UNREACHABLE).origin]: 'saved-token' } });
  await cli.run('--registry', UNREACHABLE, 'setup', 'vscode', '--dry-run');
  expect(cli.stdout()).toMatch(/^Dry run: would add Canopy to VS Code/);
  expect(cli.stdout()).not.toContain('saved-token');
  expect(existsSync(join(home, '.config', 'Code', 'User', 'mcp.json'))).toBe(false);
});

it('claude-desktop runs the bridge through this package’s canopy bin; --token and --url win', async () => {
  const cli = setupCli({ CANOPY_TOKEN: 'env-token' });
  await cli.run('--registry', UNREACHABLE, 'setup', 'claude-desktop', '--url', 'http://127.0.0.1:1234/mcp', '--token', 'flag-token');
  const config = JSON.parse(readFileSync(join(home, '.config', 'Claude', 'claude_desktop_config.json'), 'utf8'));
  expect(config.mcpServers.canopy).toEqual({
    command: process.execPath,
    args: [expect.stringMatching(/bin[\\/]canopy\.mjs$/), 'stdio-bridge', '--url', 'http://127.0.0.1:1234/mcp'],
    env: { CANOPY_TOKEN: 'flag-token' },
  });
  expect(existsSync(config.mcpServers.canopy.args[0])).toBe(true);
});

it('an unknown app or a malformed config is a one-line error', async () => {
  const cli = setupCli();
  await expect(cli.run('setup', 'notepad')).rejects.toThrow("unknown app 'notepad': choose one of cursor, claude-desktop, claude-code, vscode");
  const path = join(home, '.cursor', 'mcp.json');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(home, '.cursor'));
  writeFileSync(path, '{ oops');
  await expect(cli.run('--registry', UNREACHABLE, 'setup', 'cursor')).rejects.toThrow(/mcp\.json is not valid JSON \(line 1, column 3: .*\)\. It was left untouched/);
  expect(readFileSync(path, 'utf8')).toBe('{ oops');
});

it('--search points the app at the search view; setting up without it points it back at /mcp', async () => {
  const cli = setupCli();
  await cli.run('--registry', 'http://127.0.0.1:7999', 'setup', 'cursor', '--search');
  const path = join(home, '.cursor', 'mcp.json');
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ mcpServers: { canopy: { url: 'http://127.0.0.1:7999/mcp/search' } } });
  await setupCli().run('--registry', 'http://127.0.0.1:7999', 'setup', 'cursor');
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ mcpServers: { canopy: { url: 'http://127.0.0.1:7999/mcp' } } });
  await expect(setupCli().run('setup', 'cursor', '--search', '--url', 'http://127.0.0.1:7999/mcp')).rejects.toThrow(/give --url or --search, not both/);
});
