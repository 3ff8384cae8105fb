// Electron glue: what each tray menu action does.
import { app, clipboard, dialog } from 'electron';
import type { AppId } from '../../core/connect-apps/apps.ts';
import type { ConnectAppRequest, ConnectAppView, OperationResult } from '../../../preload/canopy-bridge.ts';
import type { GatewayHost } from '../gateway/gateway-host.ts';
import type { PreferencesService } from '../preferences/preferences-service.ts';
import type { MainWindow } from '../window/main-window.ts';
import type { CanopyTray } from './canopy-tray.ts';
import type { TrayAction } from './menu-model.ts';
import { toggleServer } from './toggle.ts';

export interface TrayActionDeps {
  host: GatewayHost;
  preferences: PreferencesService;
  window: MainWindow;
  tray: () => CanopyTray;
  connectApp: (app: AppId, options: ConnectAppRequest) => Promise<ConnectAppView>;
  /** Writes the `canopy` launcher onto PATH (cli-on-path/). */
  installCli: () => Promise<OperationResult>;
}

async function run(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  switch (action.kind) {
    case 'toggle-server': {
      const gateway = deps.host.gateway;
      if (!gateway) return;
      const work = () => toggleServer(gateway.registry, action.name, action.enabled);
      const outcome = await deps.tray().whilePending(action.name, work);
      if (outcome.openRoute) deps.window.show(outcome.openRoute);
      if (outcome.message) await dialog.showMessageBox({ type: outcome.ok ? 'info' : 'warning', message: outcome.message });
      return;
    }
    case 'copy-mcp-url':
      clipboard.writeText(action.url);
      return;
    case 'open-window':
      deps.window.show(action.route);
      return;
    case 'connect-app': {
      const result = await deps.connectApp(action.app, {});
      await dialog.showMessageBox({ type: 'info', title: `Connect ${result.displayName}`, message: result.message });
      return;
    }
    case 'set-start-at-login':
      deps.preferences.patch({ startAtLogin: action.value });
      return;
    case 'install-cli': {
      const result = await deps.installCli();
      await dialog.showMessageBox({ type: result.ok ? 'info' : 'warning', title: 'The canopy command', message: result.message });
      return;
    }
    case 'quit':
      app.quit();
      return;
  }
}

export function trayDispatcher(deps: TrayActionDeps): (action: TrayAction) => void {
  return (action) => {
    run(action, deps).catch((error: Error) => dialog.showErrorBox('Canopy', error.message));
  };
}
