// "Start at login": Electron's login items on macOS and Windows; an XDG autostart entry on Linux,
// where Electron has none.
import { join } from 'node:path';
import type { DesktopPlatform } from '../../core/connect-apps/paths.ts';
import { HIDDEN_FLAG } from './launch.ts';

export type LoginItemPlan =
  | { kind: 'electron'; settings: { openAtLogin: boolean; args: string[] } }
  | { kind: 'autostart-file'; path: string; content: string | null };

export interface LoginItemContext {
  platform: DesktopPlatform;
  home: string;
  env: Record<string, string | undefined>;
  execPath: string;
}

/** `content: null` removes the file. An AppImage is started through its own file, not the mount. */
export function loginItemPlan(enabled: boolean, { platform, home, env, execPath }: LoginItemContext): LoginItemPlan {
  if (platform !== 'linux') return { kind: 'electron', settings: { openAtLogin: enabled, args: [HIDDEN_FLAG] } };
  const path = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'autostart', 'canopy.desktop');
  if (!enabled) return { kind: 'autostart-file', path, content: null };
  const program = env.APPIMAGE || execPath;
  const content = [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Canopy',
    'Comment=MCP gateway',
    `Exec="${program.replace(/(["`$\\])/g, '\\$1')}" ${HIDDEN_FLAG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
  return { kind: 'autostart-file', path, content };
}
