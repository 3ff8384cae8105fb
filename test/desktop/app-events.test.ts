// Launch visibility, start at login per OS, the desktop's stdio bridge launcher, and connecting an
// app from the desktop (real files on a temporary home).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HIDDEN_FLAG, showWindowAtLaunch } from '../../main/desktop/app-events/launch.ts';
import { loginItemPlan } from '../../main/desktop/app-events/login-item.ts';
import { desktopBridge } from '../../main/desktop/connect/bridge-launcher.ts';
import { connectAppFromDesktop } from '../../main/desktop/connect/connect-app.ts';
import { coalesced } from '../../main/desktop/tray/coalesced-refresh.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-app-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('launch', () => {
  it('opens the window unless started at login', () => {
    expect(showWindowAtLaunch(['/Applications/Canopy.app/Contents/MacOS/Canopy'], false)).toBe(true);
    expect(showWindowAtLaunch(['Canopy.exe', HIDDEN_FLAG], false)).toBe(false);
    expect(showWindowAtLaunch(['Canopy'], true)).toBe(false);
  });
});

describe('start at login', () => {
  it('uses Electron login items on macOS and Windows, with the hidden flag', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(loginItemPlan(true, { platform, home: '/h', env: {}, execPath: '/x' })).toEqual({
        kind: 'electron',
        settings: { openAtLogin: true, args: [HIDDEN_FLAG] },
      });
    }
  });

  it('writes and removes an XDG autostart entry on Linux, starting the AppImage itself', () => {
    const plan = loginItemPlan(true, { platform: 'linux', home: '/home/u', env: { APPIMAGE: '/home/u/Apps/Canopy "x".AppImage' }, execPath: '/tmp/.mount_abc/canopy' });
    expect(plan).toMatchObject({ kind: 'autostart-file', path: '/home/u/.config/autostart/canopy.desktop' });
    expect(plan.kind === 'autostart-file' && plan.content).toContain('Exec="/home/u/Apps/Canopy \\"x\\".AppImage" --hidden');
    expect(loginItemPlan(false, { platform: 'linux', home: '/home/u', env: { XDG_CONFIG_HOME: '/cfg' }, execPath: '/usr/bin/canopy' })).toEqual({
      kind: 'autostart-file',
      path: '/cfg/autostart/canopy.desktop',
      content: null,
    });
  });
});

describe('desktop stdio bridge launcher', () => {
  it('runs the unpacked bridge script with the app binary in Node mode', () => {
    expect(desktopBridge({ execPath: '/Applications/Canopy.app/Contents/MacOS/Canopy', appPath: '/Applications/Canopy.app/Contents/Resources/app.asar', dataDir: '/d' })).toEqual({
      launcher: {
        command: '/Applications/Canopy.app/Contents/MacOS/Canopy',
        args: ['/Applications/Canopy.app/Contents/Resources/app.asar.unpacked/dist/desktop/stdio-bridge.cjs'],
        env: { ELECTRON_RUN_AS_NODE: '1' },
      },
    });
  });

  it('an AppImage runs a stable copy of the script through the AppImage file', () => {
    const bridge = desktopBridge({ execPath: '/tmp/.mount_x/canopy', appPath: '/tmp/.mount_x/resources/app.asar', appImage: '/opt/Canopy.AppImage', dataDir: '/home/u/.local/share/canopy' });
    expect(bridge.launcher).toEqual({ command: '/opt/Canopy.AppImage', args: ['/home/u/.local/share/canopy/stdio-bridge.cjs'], env: { ELECTRON_RUN_AS_NODE: '1' } });
    expect(bridge.copy).toEqual({ from: '/tmp/.mount_x/resources/app.asar.unpacked/dist/desktop/stdio-bridge.cjs', to: '/home/u/.local/share/canopy/stdio-bridge.cjs' });
  });
});

describe('connect an app from the desktop', () => {
  it('writes the config with the desktop bridge and reports what happened', async () => {
    const home = tempDir();
    const appPath = tempDir();
    const dataDir = join(tempDir(), 'data');
    mkdirSync(join(appPath, 'dist', 'desktop'), { recursive: true });
    writeFileSync(join(appPath, 'dist', 'desktop', 'stdio-bridge.cjs'), '// bridge');
    const context = { host: { home, platform: 'linux' as const, env: {} }, bridge: { execPath: '/usr/bin/canopy', appPath, appImage: '/opt/Canopy.AppImage', dataDir } };
    const connection = { gatewayUrl: 'http://127.0.0.1:7450', mcpUrl: 'http://127.0.0.1:7450/mcp' };

    const dry = await connectAppFromDesktop(context, connection, 'claude-desktop', { dryRun: true });
    expect(dry.message).toMatch(/^Dry run: would add Canopy to Claude Desktop/);
    expect(() => readFileSync(join(dataDir, 'stdio-bridge.cjs'))).toThrow();

    const view = await connectAppFromDesktop(context, connection, 'claude-desktop');
    expect(view).toMatchObject({ app: 'claude-desktop', outcome: 'created', dryRun: false });
    expect(view.message).toMatch(/^Added Canopy to Claude Desktop: .*claude_desktop_config\.json\.\nQuit and reopen Claude Desktop/);
    expect(readFileSync(join(dataDir, 'stdio-bridge.cjs'), 'utf8')).toBe('// bridge');
    const config = JSON.parse(readFileSync(view.path, 'utf8'));
    expect(config.mcpServers.canopy).toEqual({
      command: '/opt/Canopy.AppImage',
      args: [join(dataDir, 'stdio-bridge.cjs'), 'stdio-bridge', '--url', 'http://127.0.0.1:7450/mcp'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
    expect((await connectAppFromDesktop(context, connection, 'claude-desktop')).outcome).toBe('unchanged');
    // The search view instead of every tool: the same entry with /mcp/search.
    const search = await connectAppFromDesktop(context, connection, 'claude-desktop', { search: true });
    expect(search.outcome).toBe('updated');
    expect(JSON.parse(readFileSync(view.path, 'utf8')).mcpServers.canopy.args.at(-1)).toBe('http://127.0.0.1:7450/mcp/search');
  });
});

describe('coalesced refresh', () => {
  it('runs once per burst, never two at a time', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release: (() => void) | undefined;
    const refresh = coalesced(
      () =>
        new Promise<void>((resolve) => {
          runs++;
          running++;
          maxRunning = Math.max(maxRunning, running);
          release = () => {
            running--;
            resolve();
          };
        }),
      () => {},
    );
    refresh();
    for (let i = 0; i < 10; i++) refresh();
    expect(runs).toBe(1);
    release!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
    release!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });
});
