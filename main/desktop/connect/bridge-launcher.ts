// How Claude Desktop launches the stdio bridge of the desktop app: the app's own binary in Node
// mode (ELECTRON_RUN_AS_NODE) running the bundled bridge script. That script is unpacked from the
// asar archive; an AppImage mounts at a new path on every start, so there the script is copied to
// the data dir and the AppImage file itself is the command.
import { join } from 'node:path';
import type { BridgeLauncher } from '../../core/connect-apps/entry.ts';

const BRIDGE_SCRIPT = 'stdio-bridge.cjs';

export interface BridgeLauncherContext {
  execPath: string;
  /** app.getAppPath(): …/resources/app.asar when packaged. */
  appPath: string;
  /** $APPIMAGE when running as an AppImage. */
  appImage?: string;
  dataDir: string;
}

export interface DesktopBridge {
  launcher: BridgeLauncher;
  /** Copy `from` to `to` before writing the config (AppImage only). */
  copy?: { from: string; to: string };
}

export function desktopBridge({ execPath, appPath, appImage, dataDir }: BridgeLauncherContext): DesktopBridge {
  const bundled = join(appPath.replace(/app\.asar$/, 'app.asar.unpacked'), 'dist', 'desktop', BRIDGE_SCRIPT);
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  if (!appImage) return { launcher: { command: execPath, args: [bundled], env } };
  const stable = join(dataDir, BRIDGE_SCRIPT);
  return { launcher: { command: appImage, args: [stable], env }, copy: { from: bundled, to: stable } };
}
