// The window as a web UI, end to end: real Chromium against a real gateway (development mode) with
// real upstream MCP servers. The steps build on each other, like a user's first session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { everythingEntry, startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';
import { browserSkipReason, launchChromium, openPage, screenshot } from './support/browser.ts';
import { ensureRendererBuilt } from './support/renderer-build.ts';
import { shapedStdioConfig } from '../support/shaped-server.ts';

const skipReason = browserSkipReason();
if (skipReason) console.log(`skipping web UI tests: ${skipReason}`);

const SLOW = { timeout: 60_000 };
const STARTUP_MS = 40_000;

describe.skipIf(Boolean(skipReason))('web UI (development mode)', () => {
  let gateway: TestGateway;
  let http: RunningHttpUpstream;
  let browser: Browser;
  let page: Page;

  const serverRow = (name: string) => page.getByRole('listitem', { name: `Server ${name}`, exact: true });
  const stateOf = (name: string) => page.getByLabel(new RegExp(`^${name} state: `)).first();
  const openServer = async (name: string) => {
    await page.getByRole('link', { name: 'Servers' }).click();
    await serverRow(name).getByRole('button', { name, exact: true }).click();
    await page.getByRole('article', { name: `Server ${name} details` }).waitFor();
  };

  beforeAll(async () => {
    const [rendererDir, upstream, chromium] = await Promise.all([ensureRendererBuilt(), startEverythingHttp(), launchChromium()]);
    http = upstream;
    browser = chromium;
    gateway = await startTestGateway({ rendererDir });
    page = await openPage(browser, `${gateway.url}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await http?.stop();
  });

  it('opens on an empty server list', async () => {
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    await page.getByText('No servers yet').waitFor();
    await screenshot(page, '01-empty');
  });

  it('says what is wrong with an invalid form before sending it', async () => {
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Name', { exact: true }).fill('bad__name');
    await page.getByLabel('Command', { exact: true }).fill('node');
    await page.getByRole('button', { name: 'Register server' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`field 'name' must not contain "__"`);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a stdio server from the form', SLOW, async () => {
    await page.getByRole('button', { name: 'Add server' }).click();
    const form = page.getByRole('form', { name: 'Add a server' });
    await form.getByLabel('Name', { exact: true }).fill('everything');
    await form.getByLabel('Transport').selectOption('stdio');
    await form.getByLabel('Command', { exact: true }).fill(process.execPath);
    await form.getByLabel('Arguments (one per line)').fill(`${everythingEntry}\nstdio`);
    await form.getByRole('button', { name: '+ Add environment variable' }).click();
    await form.getByLabel('Environment variable 1 name').fill('CANOPY_UI_TEST');
    await form.getByLabel('Environment variable 1 value').fill('1');
    await form.getByLabel('Idle timeout (seconds)').fill('900');
    await form.getByRole('button', { name: 'Register server' }).click();
    await page.getByRole('article', { name: 'Server everything details' }).waitFor({ timeout: STARTUP_MS });
    await expect.poll(() => stateOf('everything').textContent(), { timeout: STARTUP_MS }).toBe('running');
    await expect.poll(() => serverRow('everything').textContent()).toMatch(/[1-9]\d* tools/);
    // The protocol era it speaks, as a badge beside the state.
    expect(await serverRow('everything').getByLabel('everything protocol: MCP 2025').textContent()).toBe('MCP 2025');
    const [registered] = await gateway.api.listServers();
    expect(registered).toMatchObject({ name: 'everything', enabled: true, transport: 'stdio', config: { idle_timeout_seconds: 900 } });
    expect(await page.getByRole('article', { name: 'Server everything details' }).textContent()).toContain('Sleeps after 900 s idle');
    await screenshot(page, '02-server-added');
  });

  it('adds servers from a pasted mcpServers JSON, one result per entry', SLOW, async () => {
    await page.getByRole('button', { name: 'Paste config' }).click();
    const memory = stdioConfigs.memory();
    const pasted = {
      mcpServers: {
        memory: { command: memory.command, args: memory.args },
        'remote-everything': { type: 'http', url: http.url },
        broken: { args: ['nothing to run'] },
      },
    };
    await page.getByLabel('Server config JSON').fill(JSON.stringify(pasted, null, 2));
    await page.getByRole('button', { name: 'Register all' }).click();
    const results = page.getByRole('list', { name: 'Registration results' });
    await expect.poll(() => results.textContent(), { timeout: STARTUP_MS }).toMatch(/memory: registered.*remote-everything: registered.*broken: failed/s);
    expect(await results.textContent()).toContain('entry has neither "command" nor "url"');
    await expect.poll(() => stateOf('memory').textContent(), { timeout: STARTUP_MS }).toBe('running');
    await expect.poll(() => stateOf('remote-everything').textContent(), { timeout: STARTUP_MS }).toBe('running');
    expect((await gateway.api.listServers()).map((s) => s.name).sort()).toEqual(['everything', 'memory', 'remote-everything']);
    // With the side panel open there is room for whole names: none is cut off with an ellipsis.
    for (const name of ['everything', 'memory', 'remote-everything']) {
      const button = serverRow(name).getByRole('button', { name, exact: true });
      expect(await button.evaluate((element) => element.scrollWidth <= element.clientWidth), `${name} is truncated`).toBe(true);
    }
    expect(await serverRow('memory').textContent()).toMatch(/\d+ tools · 0 prompts · 1 resource\b/);
    await screenshot(page, '03-pasted-config');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('disables and re-enables a server', SLOW, async () => {
    const toggle = page.getByRole('switch', { name: 'Enable memory', exact: true });
    await toggle.click();
    await expect.poll(() => stateOf('memory').textContent(), { timeout: STARTUP_MS }).toBe('disabled');
    expect((await gateway.api.getServer('memory')).enabled).toBe(false);
    await toggle.click();
    await expect.poll(async () => (await gateway.api.getServer('memory')).enabled).toBe(true);
    await expect.poll(() => stateOf('memory').textContent(), { timeout: STARTUP_MS }).toMatch(/running|starting|stopped/);
  });

  it('disables and re-enables one tool', SLOW, async () => {
    await openServer('everything');
    const toggle = page.getByRole('switch', { name: 'Enable tool echo', exact: true });
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await expect.poll(async () => (await gateway.api.getTool('everything__echo')).enabled).toBe(false);
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await screenshot(page, '04-tool-disabled');
    await toggle.click();
    await expect.poll(async () => (await gateway.api.getTool('everything__echo')).enabled).toBe(true);
  });

  it("overrides a tool's name and description for clients, and puts the server's back", SLOW, async () => {
    await openServer('everything');
    await page.getByRole('button', { name: 'Edit tool echo', exact: true }).click();
    const form = page.getByRole('form', { name: 'Override tool echo' });
    await form.getByLabel('Name clients see').fill('say');
    await form.getByLabel('Description clients see').fill('Says it back');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await gateway.api.getTool('everything__echo')).name).toBe('everything__say');
    expect((await gateway.api.getTool('everything__say')).description).toBe('Says it back');
    const tools = page.getByRole('list', { name: 'everything tools' });
    await tools.getByText('everything__say').waitFor();
    await screenshot(page, '04b-tool-override');

    await page.getByRole('button', { name: 'Edit tool echo', exact: true }).click();
    const taken = page.getByRole('form', { name: 'Override tool echo' });
    await taken.getByLabel('Name clients see').fill('get-sum');
    await taken.getByRole('button', { name: 'Save' }).click();
    expect(await taken.getByRole('alert').textContent()).toContain("the name 'get-sum' is already listed for tool 'get-sum'");
    await taken.getByRole('button', { name: 'Use the server’s' }).click();
    await expect.poll(async () => (await gateway.api.getTool('everything__echo')).override).toBeUndefined();
    await tools.getByText('everything__say').waitFor({ state: 'detached' });
  });

  it("shows the server's stderr log", SLOW, async () => {
    await openServer('everything');
    await page.getByRole('button', { name: 'Refresh log' }).click();
    await expect.poll(() => page.getByLabel('everything log lines').textContent()).toContain('Starting');
  });

  it('finds a tool, generates its form and shows the result of a call', SLOW, async () => {
    await page.getByRole('link', { name: 'Tools' }).click();
    await page.getByLabel('Search tools').fill('echo');
    await page.getByRole('button', { name: /^everything__echo/ }).click();
    await page.getByText('Input schema').click();
    expect(await page.getByLabel('everything__echo input schema').textContent()).toContain('"message"');
    await page.getByRole('form', { name: 'Input for everything__echo' }).getByLabel('message', { exact: true }).fill('hello from Chromium');
    await page.getByRole('button', { name: 'Run tool' }).click();
    const result = page.getByRole('region', { name: 'Tool result' });
    await result.waitFor();
    expect(await result.textContent()).toContain('hello from Chromium');
    await screenshot(page, '05-tool-result');
  });

  it("shows a long call's progress and cancels it on the upstream", SLOW, async () => {
    await gateway.api.registerServer({ config: shapedStdioConfig('slow', 'slow') });
    await expect.poll(async () => (await gateway.api.listTools('slow')).length, { timeout: STARTUP_MS }).toBe(1);
    await page.getByRole('button', { name: 'Refresh tools' }).click();
    await page.getByLabel('Search tools').fill('slow__wait');
    await page.getByRole('button', { name: /^slow__wait/ }).click();
    await page.getByRole('form', { name: 'Input for slow__wait' }).getByLabel('steps', { exact: true }).fill('300');
    await page.getByRole('button', { name: 'Run tool' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Progress / });
    await expect.poll(() => status.textContent(), { timeout: STARTUP_MS }).toMatch(/^Progress ([3-9]|\d\d+) of 300: step \d+$/);
    expect(await page.getByLabel('Tool progress').getAttribute('max')).toBe('300');
    await screenshot(page, '05b-tool-progress');
    await page.getByRole('button', { name: 'Cancel call' }).click();
    await page.getByText('Cancelled: the server was told to stop.').waitFor();
    // The upstream itself saw the cancellation (notifications/cancelled), long before its 30 s were up.
    await expect.poll(async () => (await gateway.api.serverLogs('slow')).lines.join('\n'), { timeout: 10_000 }).toMatch(/cancelled wait after \d+ steps/);
    expect(await page.getByRole('region', { name: 'Tool result' }).count()).toBe(0);
  });

  it('runs a call with progress to its end', SLOW, async () => {
    await page.getByRole('form', { name: 'Input for slow__wait' }).getByLabel('steps', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Run tool' }).click();
    await page.getByRole('region', { name: 'Tool result' }).waitFor({ timeout: STARTUP_MS });
    expect(await page.getByRole('region', { name: 'Tool result' }).textContent()).toContain('waited 5 steps');
    await gateway.api.deregisterServer('slow');
    await page.getByLabel('Search tools').fill('echo');
    await page.getByRole('button', { name: /^everything__echo/ }).click();
  });

  it('shows a missing required field instead of calling the tool', async () => {
    await page.getByRole('form', { name: 'Input for everything__echo' }).getByLabel('message', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Run tool' }).click();
    expect(await page.getByRole('alert').first().textContent()).toContain('"message" is required');
  });

  it('lists resources and templates per server and reads a text resource', SLOW, async () => {
    await page.getByRole('link', { name: 'Resources' }).click();
    const everything = page.getByRole('list', { name: 'everything resources', exact: true });
    await everything.getByRole('button', { name: /^architecture\.md/ }).click();
    // The memory server's one resource is listed under its own server.
    expect(await page.getByRole('list', { name: 'memory resources', exact: true }).getByRole('button').count()).toBe(1);
    const panel = page.getByRole('article', { name: 'Resource architecture.md' });
    await panel.getByRole('button', { name: 'Read resource' }).click();
    const contents = panel.getByRole('region', { name: 'Resource contents' });
    await contents.waitFor();
    expect(await contents.textContent()).toMatch(/canopy:\/\/everything\/demo:\/\/resource\/static\/document\/architecture\.md · text\/markdown · \d+ characters/);
    expect(await contents.getByRole('region').or(contents.locator('pre')).first().textContent()).toContain('Architecture');
    await screenshot(page, '08-resource-text');
  });

  it('reads a resource template after its variables are filled in, summarizing a blob', SLOW, async () => {
    await page.getByRole('list', { name: 'everything templates', exact: true }).getByRole('button', { name: /^Dynamic Blob Resource/ }).click();
    const panel = page.getByRole('article', { name: 'Resource Dynamic Blob Resource' });
    const uri = panel.getByLabel(/^URI/);
    expect(await uri.inputValue()).toBe('canopy://everything/demo://resource/dynamic/blob/{resourceId}');
    await uri.fill('canopy://everything/demo://resource/dynamic/blob/7');
    await panel.getByRole('button', { name: 'Read resource' }).click();
    const contents = panel.getByRole('region', { name: 'Resource contents' });
    await contents.waitFor();
    const [expected] = (await gateway.api.readResource('canopy://everything/demo://resource/dynamic/blob/7')).contents;
    const bytes = Buffer.from('blob' in expected ? expected.blob : '', 'base64').length;
    expect(bytes).toBeGreaterThan(0);
    expect(await contents.textContent()).toContain(`demo://resource/dynamic/blob/7 · text/plain · binary, ${bytes} bytes`);
    await screenshot(page, '09-resource-blob');
  });

  it('says why a resource cannot be read', SLOW, async () => {
    const panel = page.getByRole('article', { name: 'Resource Dynamic Blob Resource' });
    await panel.getByLabel(/^URI/).fill('canopy://nowhere/demo://x');
    await panel.getByRole('button', { name: 'Read resource' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/nowhere|not found|unknown/i);
  });

  it('creates, edits and deletes a tool group', SLOW, async () => {
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByText('No groups yet.').waitFor();
    const create = page.getByRole('form', { name: 'Create a group' });
    await create.getByLabel('Group name').fill('research');
    await create.getByLabel('Description').fill('memory and echo');
    await create.getByRole('checkbox', { name: 'memory' }).check();
    await create.getByLabel(/^Included tools/).fill('everything__echo');
    await create.getByLabel(/^Excluded tools/).fill('memory__read_graph');
    await create.getByRole('button', { name: 'Create group' }).click();
    const card = page.getByRole('listitem', { name: 'Group research' });
    await card.waitFor();
    expect(await gateway.api.getGroup('research')).toMatchObject({
      description: 'memory and echo',
      includedServers: ['memory'],
      includedTools: ['everything__echo'],
      excludedTools: ['memory__read_graph'],
    });
    expect(await card.textContent()).toContain(`${gateway.url}/groups/research/mcp`);
    expect(await create.getByLabel('Group name').inputValue()).toBe('');
    await screenshot(page, '10-group-created');

    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = card.getByRole('form', { name: 'Edit group research' });
    expect(await edit.getByLabel('Group name').isDisabled()).toBe(true);
    await edit.getByLabel('Description').fill('only echo');
    await edit.getByRole('checkbox', { name: 'memory' }).uncheck();
    await edit.getByLabel(/^Excluded tools/).fill('');
    await edit.getByRole('button', { name: 'Save group' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(await gateway.api.getGroup('research')).toMatchObject({ description: 'only echo', includedServers: [], includedTools: ['everything__echo'], excludedTools: [] });
    expect(await card.textContent()).toContain('0 servers, 1 tool');

    await card.getByRole('button', { name: 'Delete' }).click();
    await card.getByRole('button', { name: 'Delete group' }).click();
    await card.waitFor({ state: 'detached' });
    expect(await gateway.api.listGroups()).toEqual([]);
  });

  it('shows why a group cannot be created', SLOW, async () => {
    const create = page.getByRole('form', { name: 'Create a group' });
    await create.getByLabel('Group name').fill('typo');
    await create.getByLabel(/^Included tools/).fill('echo');
    await create.getByRole('button', { name: 'Create group' }).click();
    await expect.poll(() => create.getByRole('alert').textContent()).toContain("included_tools: 'echo' is not a tool name");
    await screenshot(page, '11-group-error');
    expect(await gateway.api.listGroups()).toEqual([]);
  });

  it('edits a server (re-registers it) and removes one after confirming', SLOW, async () => {
    await openServer('memory');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('form', { name: 'Edit memory' });
    await form.getByLabel('Description', { exact: true }).fill('knowledge graph');
    await form.getByLabel('Alias', { exact: true }).fill('mem');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(async () => (await gateway.api.getServer('memory')).description, { timeout: STARTUP_MS }).toBe('knowledge graph');
    expect((await gateway.api.getServer('memory')).config.alias).toBe('mem');
    await expect.poll(async () => (await gateway.api.listTools('memory')).every((tool) => tool.name.startsWith('mem__')), { timeout: STARTUP_MS }).toBe(true);

    await openServer('remote-everything');
    await page.getByRole('button', { name: 'Remove remote-everything' }).click();
    await page.getByRole('button', { name: 'Yes, remove' }).click();
    await serverRow('remote-everything').waitFor({ state: 'detached' });
    expect((await gateway.api.listServers()).map((s) => s.name).sort()).toEqual(['everything', 'memory']);
  });

  it('shows the config snippet for an app in the browser', async () => {
    await page.getByRole('link', { name: 'Connect an app' }).click();
    const cursor = page.getByLabel('Cursor configuration', { exact: true });
    expect(JSON.parse((await cursor.textContent()) ?? '')).toEqual({ mcpServers: { canopy: { url: `${gateway.url}/mcp` } } });
    await page.getByLabel(/Two tools that search and call all the others/).check();
    await expect.poll(async () => JSON.parse((await cursor.textContent()) ?? '')).toEqual({ mcpServers: { canopy: { url: `${gateway.url}/mcp/search` } } });
  });

  it('in the desktop window, a gateway that is not running is reported, not waited for', async () => {
    const desktop = await browser.newPage();
    try {
      // The preload's bridge as the desktop app exposes it while its gateway is stopped.
      await desktop.addInitScript(() => {
        const preferences = { get: async () => ({ theme: 'system' }) };
        Object.defineProperty(window, 'canopy', { value: { platform: 'linux', preferences, connection: () => Promise.reject(new Error('Canopy is not running')) } });
      });
      await desktop.goto(`${gateway.url}/`);
      await desktop.getByRole('heading', { name: 'Canopy is not reachable' }).waitFor({ timeout: 15_000 });
      expect(await desktop.getByText('Canopy is not running').count()).toBeGreaterThan(0);
    } finally {
      await desktop.close();
    }
  });

  it('switches the theme and keeps it after a reload', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('Secrets', { exact: true }).waitFor();
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByLabel('Dark').check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await background()).not.toBe(light);
    await screenshot(page, '06-settings-dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await page.getByLabel('Dark').isChecked()).toBe(true);
    await page.getByRole('link', { name: 'Servers' }).click();
    await stateOf('everything').waitFor();
    await screenshot(page, '07-servers-dark');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Light').check();
    expect(await background()).toBe(light);
  });
});
