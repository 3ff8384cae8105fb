// A newcomer's first ten minutes, for real: a fresh clone of the committed HEAD, the README's install
// commands (`npm install`, `npm link`), `canopy serve` from another folder, the web UI in Chromium,
// a real npm server (server-memory) registered through the UI, and every "Connect an app" snippet
// pasted and run as the app would run it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { freePort } from '../support/upstreams.ts';
import { waitForOutput } from '../cli/run-cli.ts';
import { browserSkipReason, launchChromium, openPage, screenshot } from '../ui/support/browser.ts';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const skipReason = browserSkipReason() ?? (existsSync(join(repoRoot, '.git')) ? undefined : 'not inside a git checkout');
if (skipReason) console.log(`skipping the newcomer test: ${skipReason}`);

const SLOW = { timeout: 120_000 };

/**
 * node_modules for the clone without downloading: a hard-linked copy that npm may install into (its
 * hidden lockfile, which npm rewrites in place, becomes a file of its own), else a symlink.
 */
async function provideNodeModules(clone: string): Promise<'copy' | 'symlink'> {
  const source = realpathSync(join(repoRoot, 'node_modules'));
  const target = join(clone, 'node_modules');
  try {
    await run('cp', ['-al', source, target], { timeout: 120_000 });
    const hidden = join(target, '.package-lock.json');
    if (existsSync(hidden)) {
      rmSync(hidden);
      copyFileSync(join(source, '.package-lock.json'), hidden);
    }
    return 'copy';
  } catch {
    rmSync(target, { recursive: true, force: true });
    symlinkSync(source, target);
    return 'symlink';
  }
}

async function toolsVia(transport: StdioClientTransport | StreamableHTTPClientTransport): Promise<string[]> {
  const client = new Client({ name: 'newcomer-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

describe.skipIf(Boolean(skipReason))('newcomer: fresh clone → install → serve → UI', () => {
  let dir: string;
  let clone: string;
  let env: NodeJS.ProcessEnv;
  let serve: ChildProcess | undefined;
  let browser: Browser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'canopy-newcomer-'));
    clone = join(dir, 'canopy');
    await run('git', ['clone', '--quiet', repoRoot, clone]);
    const { CANOPY_REGISTRY: _r, CANOPY_PORT: _p, CANOPY_DB_PATH: _d, DATABASE_URL: _u, CANOPY_MODE: _m, CANOPY_TOKEN: _t, ...base } = process.env;
    const prefix = join(dir, 'npm-global');
    env = {
      ...base,
      HOME: join(dir, 'home'),
      XDG_DATA_HOME: join(dir, 'home', '.local', 'share'),
      XDG_CONFIG_HOME: join(dir, 'home', '.config'),
      NPM_CONFIG_PREFIX: prefix,
      // The user's npm cache (the clone's HOME is empty): `--offline` installs only from it.
      NPM_CONFIG_CACHE: (await run('npm', ['config', 'get', 'cache'], { env: base })).stdout.trim(),
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      PATH: [join(prefix, 'bin'), base.PATH].join(delimiter),
    };
    mkdirSync(env.HOME!, { recursive: true });
    const how = await provideNodeModules(clone);
    console.log(`newcomer test: node_modules as a ${how === 'copy' ? 'hard-linked copy' : 'symlink'}`);
    // The README's install: `npm install` (its `prepare` builds the web UI and the CLI), then `npm link`.
    let installed = false;
    if (how === 'copy') {
      try {
        await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: clone, env, timeout: 240_000 });
        installed = true;
      } catch (error) {
        const reason = String((error as { stderr?: string }).stderr ?? error).split('\n').find((line) => line.startsWith('npm error')) ?? 'failed';
        console.log(`newcomer test: \`npm install --offline\` cannot run here (${reason}); running its prepare step alone`);
      }
    }
    // A symlink to the shared tree must not be reinstalled into: run what `npm install` runs after installing.
    if (!installed) await run('npm', ['run', 'prepare'], { cwd: clone, env, timeout: 240_000 });
    expect(existsSync(join(clone, 'dist', 'renderer', 'index.html'))).toBe(true);
    expect(existsSync(join(clone, 'dist', 'cli', 'canopy.mjs'))).toBe(true);
    await run('npm', ['link', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: clone, env, timeout: 120_000 });
    browser = await launchChromium();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    if (serve && serve.exitCode === null) {
      const exited = new Promise((resolve) => serve!.once('exit', resolve));
      serve.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (serve.exitCode === null) serve.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('`canopy serve` runs from any folder and its banner points to a web UI that is there', SLOW, async () => {
    const port = await freePort();
    serve = spawn('canopy', ['serve', '--port', String(port), '--db', join(dir, 'canopy.db')], { cwd: env.HOME, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const [, webUi] = await waitForOutput(serve, /Web UI:\s+(\S+)/, 90_000);
    url = `http://127.0.0.1:${port}`;
    expect(webUi).toBe(`${url}/`);
    page = await openPage(browser, webUi);
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    await page.getByText('No servers yet').waitFor();
  });

  it('registers a real npm server through the UI and lists it', SLOW, async () => {
    await page.getByRole('button', { name: 'Add server' }).click();
    const form = page.getByRole('form', { name: 'Add a server' });
    await form.getByLabel('Name', { exact: true }).fill('memory');
    await form.getByLabel('Transport').selectOption('stdio');
    await form.getByLabel('Command', { exact: true }).fill(process.execPath);
    await form.getByLabel('Arguments (one per line)').fill(join(clone, 'node_modules', '@modelcontextprotocol', 'server-memory', 'dist', 'index.js'));
    await form.getByRole('button', { name: 'Register server' }).click();
    await page.getByRole('article', { name: 'Server memory details' }).waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Servers' }).click();
    const row = page.getByRole('listitem', { name: 'Server memory', exact: true });
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toMatch(/running.*\d+ tools/s);
    await screenshot(page, 'newcomer-01-server-listed');
  });

  it('every "Connect an app" snippet works when pasted', SLOW, async () => {
    await page.getByRole('link', { name: 'Connect an app' }).click();
    const snippet = async (label: string) => JSON.parse((await page.getByLabel(label, { exact: true }).textContent()) ?? '');
    await screenshot(page, 'newcomer-02-connect');

    // URL entries (Cursor, Claude Code, VS Code): what the app connects to answers MCP with the server's tools.
    const cursor = (await snippet('Cursor configuration')).mcpServers.canopy;
    const claudeCode = (await snippet('Claude Code configuration')).mcpServers.canopy;
    const vscode = (await snippet('VS Code configuration')).servers.canopy;
    expect(claudeCode.type).toBe('http');
    expect(vscode.type).toBe('http');
    for (const entry of [cursor, claudeCode, vscode]) {
      expect(await toolsVia(new StreamableHTTPClientTransport(new URL(entry.url)))).toContain('memory__read_graph');
    }

    // Claude Desktop launches a program: run it exactly as written, with a PATH that has no `canopy`.
    const desktop = (await snippet('Claude Desktop configuration')).mcpServers.canopy as { command: string; args: string[]; env?: Record<string, string> };
    expect(desktop.command).not.toBe('canopy');
    const bareEnv = { PATH: '/usr/bin:/bin', HOME: env.HOME!, ...desktop.env };
    expect(await toolsVia(new StdioClientTransport({ command: desktop.command, args: desktop.args, env: bareEnv, stderr: 'ignore' }))).toContain(
      'memory__read_graph',
    );

    // The terminal command: run in a shell as pasted; it writes the app's config for this gateway.
    const command = await page.getByLabel('Cursor setup command', { exact: true }).textContent();
    await run('sh', ['-c', command!], { cwd: env.HOME, env, timeout: 60_000 });
    const written = JSON.parse(readFileSync(join(env.HOME!, '.cursor', 'mcp.json'), 'utf8'));
    expect(written.mcpServers.canopy).toEqual({ url: `${url}/mcp` });
  });
});
