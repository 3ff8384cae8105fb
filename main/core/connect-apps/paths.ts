// Where each app keeps its user-level MCP config, for macOS, Windows and Linux. Everything comes from
// the caller (home, platform, env) so tests run on temporary homes for every platform.
import { join } from 'node:path';
import type { AppId } from './apps.ts';

export type DesktopPlatform = 'darwin' | 'win32' | 'linux';

export interface HostLocation {
  home: string;
  platform: DesktopPlatform;
  env: Record<string, string | undefined>;
}

/** The per-user application-data folder the way Electron apps (VS Code, Claude Desktop) resolve it. */
function appDataDir({ home, platform, env }: HostLocation): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}

/** Zed uses ~/.config/zed on macOS too (not Application Support), XDG on Linux, %APPDATA%\Zed on Windows. */
function zedSettingsPath(host: HostLocation): string {
  if (host.platform === 'darwin') return join(host.home, '.config', 'zed', 'settings.json');
  if (host.platform === 'win32') return join(appDataDir(host), 'Zed', 'settings.json');
  return join(appDataDir(host), 'zed', 'settings.json');
}

export function configPath(app: AppId, host: HostLocation): string {
  switch (app) {
    case 'cursor':
      return join(host.home, '.cursor', 'mcp.json');
    case 'claude-code':
      return join(host.home, '.claude.json');
    case 'vscode':
      return join(appDataDir(host), 'Code', 'User', 'mcp.json');
    case 'claude-desktop':
      return join(appDataDir(host), 'Claude', 'claude_desktop_config.json');
    case 'windsurf':
      return join(host.home, '.codeium', 'windsurf', 'mcp_config.json');
    case 'zed':
      return zedSettingsPath(host);
  }
}

/** Narrows `process.platform` to the platforms Canopy ships for (anything else is treated as Linux). */
export function desktopPlatform(platform: NodeJS.Platform): DesktopPlatform {
  return platform === 'darwin' || platform === 'win32' ? platform : 'linux';
}
