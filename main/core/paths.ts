// Where Canopy keeps its files outside the desktop app (which uses Electron's app.getPath instead).
// Pure functions of platform, environment and home directory, so every OS is testable anywhere.
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface PathContext {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

export const DATABASE_FILE_NAME = 'canopy.db';

function currentContext(): PathContext {
  return { platform: process.platform, env: process.env, home: homedir() };
}

/** An XDG base directory from the environment; the spec says to ignore relative paths. */
function xdgDir(value: string | undefined): string | undefined {
  return value && posix.isAbsolute(value) ? value : undefined;
}

/** macOS and Windows keep settings and data in the same per-app folder. */
function appSupportDir({ platform, env, home }: PathContext): string | undefined {
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'Canopy');
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'Canopy');
  return undefined;
}

/** The user's data dir: the SQLite database and local secrets fallback live here. */
export function userDataDir(context: PathContext = currentContext()): string {
  return (
    appSupportDir(context) ??
    posix.join(xdgDir(context.env.XDG_DATA_HOME) ?? posix.join(context.home, '.local', 'share'), 'canopy')
  );
}

/** The user's config dir: the CLI's settings (registry token) live here. */
export function userConfigDir(context: PathContext = currentContext()): string {
  return appSupportDir(context) ?? posix.join(xdgDir(context.env.XDG_CONFIG_HOME) ?? posix.join(context.home, '.config'), 'canopy');
}

/** The default SQLite database of `canopy serve`. */
export function defaultDatabasePath(context: PathContext = currentContext()): string {
  const join = context.platform === 'win32' ? win32.join : posix.join;
  return join(userDataDir(context), DATABASE_FILE_NAME);
}
