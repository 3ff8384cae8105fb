// The built desktop bundle (dist/desktop/main.js, what `electron .` loads) booted on the Electron
// stand-in (test/desktop/electron-stand-in/): real gateway, real upstream children, the real window
// in Chromium with the real preload, the tray menu as the app sets it. See the stand-in for what it
// cannot prove.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AdminClient } from '../../main/core/api/client.ts';
import type { ServerView } from '../../main/core/api/contract.ts';
import { browserSkipReason } from '../ui/support/browser.ts';
import { freePort, memoryEntry, stdioConfigs } from '../support/upstreams.ts';
import { pathToFileURL } from 'node:url';
import { artifactsDir, buildDesktopApp, launchDesktopApp, type DesktopApp } from './electron-stand-in/driver.ts';
import type { AppRecord, SerializedMenuItem } from './electron-stand-in/protocol.ts';
import { writeFileSync, mkdirSync } from 'node:fs';
import { processAlive } from '../../main/core/upstream/process-group.ts';

const skip = browserSkipReason();
if (skip) console.warn(`skipping the desktop boot test: ${skip}`);

/** The app's stdio upstream children, as the gateway reports them. */
async function upstreamPids(client: AdminClient): Promise<number[]> {
  return (await client.listServers()).flatMap((server: ServerView) => (server.state.pid ? [server.state.pid] : []));
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const labels = (items: SerializedMenuItem[]) => items.map((item) => item.label);
const serverItem = (items: SerializedMenuItem[], name: string) => items.find((item) => item.label.startsWith(`${name} — `));

/** The tray menu model as a picture: what a user sees when they click the icon. */
function trayMenuHtml(items: SerializedMenuItem[]): string {
  const rows = (list: SerializedMenuItem[]): string =>
    list
      .map((item) => {
        if (item.type === 'separator') return '<hr>';
        const mark = item.type === 'checkbox' ? (item.checked ? '☑ ' : '☐ ') : '';
        const sub = item.submenu ? `<div class="sub">${rows(item.submenu)}</div>` : '';
        const detail = item.sublabel ? `<div class="detail">${escape(item.sublabel)}</div>` : '';
        return `<div class="item${item.enabled ? '' : ' disabled'}">${mark}${escape(item.label)}${item.submenu ? ' ▸' : ''}${detail}</div>${sub}`;
      })
      .join('');
  return `<style>body{font:13px system-ui;background:#ddd;padding:16px}.menu{background:#fff;width:460px;border-radius:6px;padding:4px 0;box-shadow:0 2px 8px #0004}
.item{padding:4px 14px}.disabled{color:#999}.sub{margin-left:24px;border-left:2px solid #eee}.detail{font-size:11px;color:#a33}hr{border:0;border-top:1px solid #ddd}</style>
<div class="menu">${rows(items)}</div>`;
}

function escape(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}

// Every step waits on a real process on a shared two-core machine: generous bounds, never a speed claim.
describe.skipIf(skip)('the desktop app booted from its bundle', { timeout: 120_000 }, () => {
  const homes: string[] = [];
  const apps: DesktopApp[] = [];
  const newHome = () => {
    const home = mkdtempSync(join(tmpdir(), 'canopy-boot-'));
    homes.push(home);
    return home;
  };
  const launch = (...args: Parameters<typeof launchDesktopApp>) => {
    const app = launchDesktopApp(...args);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    await buildDesktopApp();
  }, 120_000);

  afterAll(() => {
    for (const app of apps) app.kill();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  describe('one app through its life', () => {
    let app: DesktopApp;
    let home: string;
    let client: AdminClient;
    let gatewayUrl: string;

    beforeAll(async () => {
      home = newHome();
      const port = await freePort();
      // The desktop app has no way yet to make the key for secrets kept in PostgreSQL: it takes the
      // environment's, as `canopy serve` does.
      app = launch({ home, port, preferences: {}, env: { CANOPY_SECRET_KEY: 'a passphrase for the boot test, long enough' } });
      gatewayUrl = `http://127.0.0.1:${port}`;
      client = new AdminClient({ baseUrl: gatewayUrl });
    }, 30_000);

    it('first launch on an empty data dir: gateway up, tray says so, the window opens with the desktop bridge', async () => {
      const items = await app.trayMenuWhere((menu) => menu[0]?.label.startsWith('Canopy is running'), 'running');
      expect(items[0].label).toBe(`Canopy is running: ${gatewayUrl}/mcp`);
      expect(labels(items)).toContain('No servers yet: add one…');
      const tray = app.records.find((entry) => entry.kind === 'tray-created');
      expect(tray).toMatchObject({ imageExists: true });

      const created = (await app.waitFor((entry) => entry.kind === 'window-created', 'the window')) as Extract<AppRecord, { kind: 'window-created' }>;
      expect(created.preloadExists).toBe(true);
      expect(created.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      await app.waitFor((entry) => entry.kind === 'window-load' && entry.url === `${gatewayUrl}/`, 'the window loading the gateway');

      // UI → preload (isolated world) → ipcMain → DesktopController, and back.
      // (The page may still be navigating: its context goes away under the evaluation.)
      const bridgeReady = () => app.evaluate<boolean>('document.readyState === "complete" && !!window.canopy').catch(() => false);
      await waitUntil(bridgeReady, 'the page has window.canopy');
      expect(await app.evaluate('window.canopy.connection()')).toEqual({ gatewayUrl, mcpUrl: `${gatewayUrl}/mcp` });
      expect(await app.evaluate('window.canopy.preferences.get().then((p) => p.port)')).toBe(Number(new URL(gatewayUrl).port));
      // Validation and errors come back as rejections with the handler's message.
      await expect(app.evaluate('window.canopy.openExternal("file:///etc/passwd")')).rejects.toThrow(/only http\(s\) and mailto/);
      expect(await app.evaluate('window.canopy.openExternal("https://example.com/").then(() => "opened")')).toBe('opened');
      await app.waitFor((entry) => entry.kind === 'open-external' && entry.url === 'https://example.com/', 'the link opened outside');
      // Preload-only: the page itself has no Node, no ipcRenderer.
      expect(await app.evaluate('typeof require + typeof process + typeof window.__canopyIpcInvoke')).toBe('undefinedundefinedundefined');
      expect(app.records.filter((entry) => entry.kind === 'page-error')).toEqual([]);
      await app.screenshot('first-launch-window');
    });

    it('a server registered in the window shows in the tray with its state, rebuilt on the change event', async () => {
      const before = app.records.length;
      // Always on: it runs again after the storage switch restarts the gateway (an idle server would
      // come back asleep, listed from its stored catalog), so quitting has a child process to stop.
      await client.registerServer({ config: { ...stdioConfigs.memory('memory', join(home, 'memory.jsonl')), always_on: true } });
      const items = await app.trayMenuWhere((menu) => !!serverItem(menu, 'memory')?.label.includes('running'), 'memory running', before);
      expect(serverItem(items, 'memory')).toMatchObject({ type: 'checkbox', checked: true, enabled: true });
      expect(serverItem(items, 'memory')?.label).toMatch(/^memory — running · \d+ tools$/);
      mkdirSync(artifactsDir, { recursive: true });
      writeFileSync(join(artifactsDir, 'tray-menu.json'), JSON.stringify(items, null, 2));
      writeFileSync(join(artifactsDir, 'tray-menu.html'), trayMenuHtml(items));
      await app.command({ op: 'window-evaluate', id: 0, expression: `document.documentElement.innerHTML = ${JSON.stringify(trayMenuHtml(items))}` });
      await app.screenshot('tray-menu');
      await app.evaluate('location.reload()');
    });

    it('toggling a server from the tray changes the gateway and the menu', async () => {
      let before = app.records.length;
      await app.clickTray('memory — ');
      // While the toggle is in flight the checkbox waits (disabled); then it is back, unchecked.
      const settled = (menu: SerializedMenuItem[], label: RegExp) => !!serverItem(menu, 'memory')?.enabled && label.test(serverItem(menu, 'memory')!.label);
      let items = await app.trayMenuWhere((menu) => settled(menu, /^memory — disabled$/), 'memory disabled', before);
      expect(serverItem(items, 'memory')).toMatchObject({ checked: false });
      expect((await client.getServer('memory')).enabled).toBe(false);

      before = app.records.length;
      await app.clickTray('memory — ');
      items = await app.trayMenuWhere((menu) => settled(menu, /running/), 'memory running again', before);
      expect(serverItem(items, 'memory')).toMatchObject({ checked: true });
      expect((await client.getServer('memory')).enabled).toBe(true);
    });

    it('puts `canopy` on PATH from the tray: the launcher runs the bundled CLI against this gateway', async () => {
      app.onDialog((dialog) => (dialog.options.title === 'The canopy command' ? 0 : undefined));
      const before = app.records.length;
      await app.clickTray('Put `canopy` on PATH…');
      const shown = (await app.waitForFrom(before, (entry) => entry.kind === 'message-box', 'the PATH dialog')) as Extract<AppRecord, { kind: 'message-box' }>;
      const launcher = join(home, '.local', 'bin', 'canopy');
      expect(shown.options.message).toContain(`installed at ${launcher}`);
      const output = execFileSync(launcher, ['list', 'servers', '--json'], { encoding: 'utf8', env: { ...process.env, HOME: home, CANOPY_REGISTRY: gatewayUrl } });
      expect((JSON.parse(output) as Array<{ name: string }>).map((server) => server.name)).toEqual(['memory']);
    });

    it('a second launch focuses the first and exits', async () => {
      const before = app.records.length;
      const second = launch({ home, port: Number(new URL(gatewayUrl).port) });
      expect(await second.exited).toBe(0);
      expect(second.records.find((entry) => entry.kind === 'single-instance-lock')).toMatchObject({ acquired: false });
      expect(second.records.some((entry) => entry.kind === 'tray-created' || entry.kind === 'window-created')).toBe(false);
      await app.waitForFrom(before, (entry) => entry.kind === 'second-instance', 'second-instance in the first app');
      await app.waitForFrom(before, (entry) => entry.kind === 'window-shown', 'the first app showing its window');
    });

    it('a server that keeps crashing raises one notification; clicking it opens that server', async () => {
      // A real server that starts fine, then crashes at every start once `broken` exists.
      const broken = join(home, 'broken');
      const script = `if (require('node:fs').existsSync(${JSON.stringify(broken)})) process.exit(3); import(${JSON.stringify(pathToFileURL(memoryEntry).href)});`;
      const registered = await client.registerServer({ config: { name: 'flaky', transport: 'stdio', command: process.execPath, args: ['-e', script] } });
      expect(registered.server.state.status).toBe('running');
      writeFileSync(broken, '');
      process.kill(registered.server.state.pid!, 'SIGKILL');
      await app.trayMenuWhere((menu) => !!serverItem(menu, 'flaky')?.label.startsWith('flaky — crashed 3×'), 'flaky crashed 3 times');
      const notices = app.records.filter((entry): entry is Extract<AppRecord, { kind: 'notification' }> => entry.kind === 'notification');
      expect(notices).toHaveLength(1);
      expect(notices[0].title).toBe('flaky keeps crashing');
      const menu = app.trayMenu();
      expect(labels(menu)).toContain("    Show flaky's log…");
      expect(app.records.some((entry) => entry.kind === 'tray-image' && entry.image.endsWith('tray-attention-light.png') && entry.imageExists)).toBe(true);

      const before = app.records.length;
      await app.command({ op: 'click-notification', id: 0, notification: notices[0].id });
      await app.waitForFrom(before, (entry) => entry.kind === 'window-load' && entry.url === `${gatewayUrl}/#/servers/flaky`, 'the window opening flaky');
      await client.deregisterServer('flaky');
    });

    it('switches storage to PostgreSQL and back from the window', async () => {
      const postgresUrl = new URL(inject('postgresUrl'));
      // A database of its own, so other tests on the same server are not disturbed.
      const database = `canopy_boot_${process.pid}`;
      const admin = await import('pg');
      const pgClient = new admin.default.Client({ connectionString: postgresUrl.href });
      await pgClient.connect();
      await pgClient.query(`DROP DATABASE IF EXISTS ${database}`);
      await pgClient.query(`CREATE DATABASE ${database}`);
      await pgClient.end();
      const target = new URL(postgresUrl.href);
      target.pathname = `/${database}`;

      const toPostgres = await app.evaluate<{ ok: boolean; message: string }>(`window.canopy.storage.switch({ kind: 'postgres', url: ${JSON.stringify(target.href)} })`);
      expect(toPostgres.ok, toPostgres.message).toBe(true);
      expect(await app.evaluate('window.canopy.preferences.get().then((p) => p.storage.kind)')).toBe('postgres');
      // The preferences file never holds the password.
      const saved = readFileSync(join(home, '.local', 'share', 'canopy', 'preferences.json'), 'utf8');
      expect(saved).toContain(database);
      expect(saved).not.toContain(`:${postgresUrl.password}@`);
      expect(await client.listServers()).toEqual([]);
      await app.trayMenuWhere((menu) => menu[0]?.label.startsWith('Canopy is running') && labels(menu).includes('No servers yet: add one…'), 'running on the empty PostgreSQL store');

      const back = await app.evaluate<{ ok: boolean; message: string }>(`window.canopy.storage.switch({ kind: 'sqlite' })`);
      expect(back.ok, back.message).toBe(true);
      expect((await client.listServers()).map((server) => server.name)).toEqual(['memory']);
    });

    it('quitting from the tray stops every stdio child, then exits', async () => {
      await waitUntil(async () => (await upstreamPids(client)).length > 0, 'memory has a process');
      const pids = await upstreamPids(client);
      await app.clickTray('Quit Canopy');
      expect(await app.exited).toBe(0);
      expect(pids.filter(processAlive)).toEqual([]);
      const quits = app.records.filter((entry) => entry.kind === 'quit').map((entry) => (entry as { phase: string }).phase);
      // The first before-quit is held while the gateway stops; the second goes through.
      expect(quits).toEqual(['before-quit', 'before-quit', 'will-quit', 'quit']);
    });
  });

  describe('a taken port, then the OS shutting the app down', () => {
    let blocker: Server;

    afterAll(() => blocker?.close());

    it('offers another port when its port is taken, and runs there', async () => {
      const taken = await freePort();
      blocker = createServer().listen(taken, '127.0.0.1');
      const app = launch({ home: newHome(), port: taken, preferences: {}, args: ['--hidden'] });
      const dialog = (await app.waitFor((entry) => entry.kind === 'message-box', 'the port dialog')) as Extract<AppRecord, { kind: 'message-box' }>;
      expect(dialog.options.message).toContain(String(taken));
      const useOther = dialog.options.buttons?.findIndex((button) => /port \d+/i.test(button)) ?? -1;
      expect(useOther, JSON.stringify(dialog.options.buttons)).toBeGreaterThanOrEqual(0);
      const other = Number(/port (\d+)/i.exec(dialog.options.buttons![useOther])![1]);
      await app.command({ op: 'answer', id: 0, dialog: dialog.id, response: useOther });
      await app.trayMenuWhere((menu) => menu[0]?.label === `Canopy is running: http://127.0.0.1:${other}/mcp`, 'running on the other port');
      // --hidden (started at login): no window.
      expect(app.records.some((entry) => entry.kind === 'window-created')).toBe(false);

      const client = new AdminClient({ baseUrl: `http://127.0.0.1:${other}` });
      await client.registerServer({ config: stdioConfigs.memory('memory', join(tmpdir(), `canopy-boot-memory-${process.pid}.jsonl`)) });
      await waitUntil(async () => (await upstreamPids(client)).length > 0, 'memory has a process');
      const pids = await upstreamPids(client);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(pids.filter(processAlive)).toEqual([]);
    });
  });
});
