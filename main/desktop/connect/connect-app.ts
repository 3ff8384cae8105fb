// "Connect an app" from the tray or the window: the shared config writer with the desktop app's
// bridge launcher, and the result as the window and dialogs show it.
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AppId } from '../../core/connect-apps/apps.ts';
import { connectApp } from '../../core/connect-apps/connect.ts';
import { connectMessage } from '../../core/connect-apps/messages.ts';
import type { HostLocation } from '../../core/connect-apps/paths.ts';
import type { ConnectAppRequest, ConnectAppView, ConnectionInfo } from '../../../preload/canopy-bridge.ts';
import { desktopBridge, type BridgeLauncherContext } from './bridge-launcher.ts';

export interface DesktopConnectContext {
  host: HostLocation;
  bridge: BridgeLauncherContext;
}

export async function connectAppFromDesktop(
  context: DesktopConnectContext,
  connection: ConnectionInfo,
  app: AppId,
  { dryRun = false, search = false }: ConnectAppRequest = {},
): Promise<ConnectAppView> {
  const bridge = desktopBridge(context.bridge);
  if (bridge.copy && app === 'claude-desktop' && !dryRun) {
    await mkdir(dirname(bridge.copy.to), { recursive: true });
    await copyFile(bridge.copy.from, bridge.copy.to);
  }
  const url = search ? `${connection.mcpUrl}/search` : connection.mcpUrl;
  const result = await connectApp({ app, url, token: connection.token, bridge: bridge.launcher, dryRun, ...context.host });
  const { displayName, path, outcome, diff } = result;
  return { app, displayName, path, outcome, dryRun, diff, message: connectMessage(result) };
}
