// The desktop app's entry: one instance, the gateway in-process, a tray, a window. Thin glue:
// every decision lives in a pure module next to this one.
import { app, dialog, nativeTheme, powerMonitor, shell } from 'electron';
import { homedir } from 'node:os';
import { createGateway } from '../core/index.ts';
import { userDataDir } from '../core/paths.ts';
import { loadLoginShellEnvironment } from '../core/upstream/index.ts';
import { desktopPlatform } from '../core/connect-apps/paths.ts';
import { createQuitGuard } from './app-events/quit-guard.ts';
import { installCliOnPath } from './cli-on-path/install.ts';
import { cliOnPathPlan } from './cli-on-path/plan.ts';
import { windowsUserPath } from './cli-on-path/windows-user-path.ts';
import { showWindowAtLaunch } from './app-events/launch.ts';
import { applyLoginItem } from './app-events/apply-login-item.ts';
import { startGatewayInteractively } from './app-events/start-gateway.ts';
import { connectAppFromDesktop } from './connect/connect-app.ts';
import type { ConnectAppRequest } from '../../preload/canopy-bridge.ts';
import { DesktopController } from './desktop-controller.ts';
import { nextFreePort } from './gateway/free-port.ts';
import { GatewayHost } from './gateway/gateway-host.ts';
import { ipcHandlers } from './ipc/index.ts';
import { registerIpcHandlers } from './ipc/register.ts';
import { assetsDir, preloadPath, rendererDir } from './paths.ts';
import { electronPreferencesBacking } from './preferences/electron-backing.ts';
import { PreferencesService } from './preferences/preferences-service.ts';
import { keychainVault } from './storage/password-vault.ts';
import { CanopyTray } from './tray/canopy-tray.ts';
import { showNotice } from './tray/show-notice.ts';
import { trayDispatcher } from './tray/tray-actions.ts';
import { hardenApp } from './window/harden.ts';
import { MainWindow } from './window/main-window.ts';

const QUIT_TIMEOUT_MS = 10_000;
const platform = desktopPlatform(process.platform);
const log = (message: string) => process.stderr.write(`canopy: ${message}\n`);

// One data dir for the app and `canopy serve` (Electron would use ~/.config/Canopy on Linux).
app.setPath('userData', userDataDir());

async function main(): Promise<void> {
  await app.whenReady();
  const location = { isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath };
  const dataDir = app.getPath('userData');
  const vault = keychainVault();
  const preferences = await PreferencesService.open(electronPreferencesBacking(), vault, log);
  nativeTheme.themeSource = preferences.value.theme;

  const { env, reason } = await loadLoginShellEnvironment();
  if (reason) log(`stdio servers get Canopy's own environment: ${reason}`);
  const host = new GatewayHost(createGateway);
  const controller = new DesktopController({ host, preferences, vault, launch: { dataDir, rendererDir: rendererDir(location), env } });
  const gatewayUrl = () => host.url;
  const appOrigin = () => (host.url ? new URL(host.url).origin : undefined);
  const window = new MainWindow({ platform, preloadPath: preloadPath(location), preferences, gatewayUrl });
  const connectApp = (appId: Parameters<typeof connectAppFromDesktop>[2], options: ConnectAppRequest) =>
    connectAppFromDesktop(
      {
        host: { home: homedir(), platform, env: process.env },
        bridge: { execPath: process.execPath, appPath: location.appPath, appImage: process.env.APPIMAGE, dataDir },
      },
      controller.connection(),
      appId,
      options,
    );

  const installCli = () =>
    installCliOnPath(
      cliOnPathPlan({ platform, home: homedir(), env: process.env, execPath: process.execPath, appPath: location.appPath, dataDir }),
      platform,
      platform === 'win32' ? windowsUserPath : undefined,
    );

  hardenApp(appOrigin);
  registerIpcHandlers(ipcHandlers({ controller, appOrigin, connectApp, openExternal: (url) => shell.openExternal(url) }));

  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());
  // Closing the last window keeps Canopy in the tray.
  app.on('window-all-closed', () => {});

  const quitGuard = createQuitGuard({
    stop: () => host.stop(),
    timeoutMs: QUIT_TIMEOUT_MS,
    exit: (result) => {
      if (result !== 'done') log(`stopping the gateway ${result === 'timed-out' ? 'timed out' : 'failed'}; quitting anyway`);
      app.quit();
    },
  });
  app.on('before-quit', (event) => {
    window.allowClose();
    quitGuard.onQuitRequested(event);
  });
  app.on('will-quit', (event) => quitGuard.onQuitRequested(event));
  // macOS / Linux shutdown: preventDefault asks the OS to wait while upstreams stop.
  powerMonitor.on('shutdown', (event?: { preventDefault(): void }) => {
    event?.preventDefault();
    void quitGuard.stopNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  const tray: CanopyTray = new CanopyTray({
    platform,
    assetsDir: assetsDir(location),
    host,
    preferences,
    dispatch: trayDispatcher({ host, preferences, window, tray: () => tray, connectApp, installCli }),
    notify: (notice) => showNotice(notice, (route) => window.show(route)),
    onClick: () => window.show(),
    logError: (error) => log(`tray: ${(error as Error).message}`),
  });

  const applyStartAtLogin = (enabled: boolean) =>
    applyLoginItem(enabled, platform).catch((error: Error) => log(`start at login: ${error.message}`));
  void applyStartAtLogin(preferences.value.startAtLogin);
  preferences.on('changed', (next) => {
    nativeTheme.themeSource = next.theme;
    void applyStartAtLogin(next.startAtLogin);
  });
  host.on('changed', () => window.followGateway());

  const running = await startGatewayInteractively({
    start: (port) => controller.start(port),
    port: () => preferences.value.port,
    storage: () => preferences.value.storage,
    useSqlite: () => preferences.setStorage({ kind: 'sqlite' }),
    nextFreePort: (port) => nextFreePort(port),
    ask: async ({ title, message, detail, buttons, defaultId, cancelId }) =>
      (await dialog.showMessageBox({ type: 'warning', noLink: true, title, message, detail, buttons, defaultId, cancelId })).response,
    openSettings: () => window.show('/settings'),
  });
  if (!running) {
    app.quit();
    return;
  }
  if (showWindowAtLaunch(process.argv, app.getLoginItemSettings().wasOpenedAtLogin)) window.show();
}

if (app.requestSingleInstanceLock()) {
  main().catch((error: Error) => {
    dialog.showErrorBox('Canopy cannot start', error.message);
    app.exit(1);
  });
} else {
  // Another Canopy runs: it was told (second-instance) and shows its window.
  app.quit();
}
