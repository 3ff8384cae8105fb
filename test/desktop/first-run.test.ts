// The first-run window in real Chromium against a real gateway whose user's home holds a Cursor and a
// Claude Desktop config with real npm MCP servers: it opens on its own, marks the server both apps
// hold, imports, switches Cursor to Canopy and undoes it (the file byte for byte). Screenshots go to
// test-artifacts/desktop/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { configPath, type HostLocation } from '../../main/core/connect-apps/paths.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { memoryEntry, sequentialThinkingEntry } from '../support/upstreams.ts';
import { browserSkipReason, launchChromium, openPage, screenshot } from '../ui/support/browser.ts';
import { ensureRendererBuilt } from '../ui/support/renderer-build.ts';

const skipReason = browserSkipReason();
if (skipReason) console.log(`skipping first-run window tests: ${skipReason}`);

const SLOW = { timeout: 60_000 };

describe.skipIf(Boolean(skipReason))('first-run window', () => {
  let home: string;
  let host: HostLocation;
  let cursorPath: string;
  let cursorText: string;
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  const card = (app: string) => page.getByRole('region', { name: app, exact: true });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'canopy-first-run-'));
    host = { home, platform: 'linux', env: {} };
    const write = (app: 'cursor' | 'claude-desktop', text: string) => {
      const path = configPath(app, host);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    };
    const memory = { command: process.execPath, args: [memoryEntry], env: { MEMORY_FILE_PATH: join(home, 'memory.jsonl') } };
    // Cursor's own file as a user left it: tabs, CRLF line ends, a setting besides the servers.
    cursorText = JSON.stringify({ mcpServers: { memory }, theme: 'dark' }, null, '\t').replace(/\n/g, '\r\n');
    cursorPath = write('cursor', cursorText);
    write('claude-desktop', JSON.stringify({ mcpServers: { notes: memory, thinking: { command: process.execPath, args: [sequentialThinkingEntry] } } }, null, 2));
    const [rendererDir, chromium] = await Promise.all([ensureRendererBuilt(), launchChromium()]);
    browser = chromium;
    gateway = await startTestGateway({ rendererDir, appsHost: host });
    page = await openPage(browser, `${gateway.url}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("opens on the apps' servers, the one both apps hold marked and ticked once", async () => {
    await page.getByRole('heading', { name: 'Welcome to Canopy' }).waitFor();
    await card('Cursor').getByText('also in Claude Desktop').waitFor();
    expect(await card('Claude Desktop').getByText('also in Cursor').count()).toBe(1);
    expect(await page.getByLabel('Import memory from Cursor').isChecked()).toBe(true);
    expect(await page.getByLabel('Import notes from Claude Desktop').isChecked()).toBe(false);
    expect(await page.getByLabel('Import thinking from Claude Desktop').isChecked()).toBe(true);
    await screenshot(page, '01-first-run', 'desktop');
  });

  it('imports the ticked servers of one app without touching its file', SLOW, async () => {
    const claude = configPath('claude-desktop', host);
    const before = readFileSync(claude, 'utf8');
    await card('Claude Desktop').getByRole('button', { name: 'Import selected' }).click();
    await card('Claude Desktop').getByRole('status').getByText('thinking: registered').waitFor({ timeout: 40_000 });
    expect(readFileSync(claude, 'utf8')).toBe(before);
    expect((await gateway.api.getServer('thinking')).state.status).toBe('running');
    await card('Claude Desktop').getByRole('row', { name: /thinking/ }).getByText('in Canopy').waitFor();
  });

  it('switches Cursor to Canopy, and undo puts its file back byte for byte', SLOW, async () => {
    await card('Cursor').getByRole('button', { name: 'Switch Cursor to Canopy' }).click();
    await card('Cursor').getByText('uses Canopy').waitFor({ timeout: 40_000 });
    expect((await gateway.api.getServer('memory')).state.status).toBe('running');
    const switched = readFileSync(cursorPath, 'utf8');
    expect(switched).toContain(`"url": "${gateway.url}/mcp"`);
    expect(switched).not.toContain(memoryEntry);
    await card('Cursor').getByText('Only the Canopy entry').waitFor();
    await screenshot(page, '02-cursor-switched', 'desktop');

    await card('Cursor').getByRole('button', { name: 'Undo the switch' }).click();
    await card('Cursor').getByRole('status').getByText(/^Restored /).waitFor();
    expect(readFileSync(cursorPath, 'utf8')).toBe(cursorText);
    // The card refreshes from a new scan after the status line shows.
    await card('Cursor').getByRole('button', { name: 'Undo the switch' }).waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, '03-cursor-undone', 'desktop');
  });

  it('"Done" leaves the first-run view; "Connect an app" offers the same later', async () => {
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Welcome to Canopy' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Connect an app' }).click();
    await page.getByRole('heading', { name: "Move your apps' servers into Canopy" }).waitFor();
    await card('Cursor').getByText('memory').first().waitFor();
    await screenshot(page, '04-connect-an-app', 'desktop');
  });
});
