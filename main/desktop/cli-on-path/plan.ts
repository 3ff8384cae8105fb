// Putting the `canopy` command on PATH, as editors do for their CLI: a small launcher that runs the
// app's bundled CLI (dist/desktop/cli.mjs) with the app's own binary in Node mode. Where it goes:
//   Linux    ~/.local/bin/canopy (the XDG user bin dir most shells put on PATH)
//   macOS    a launcher in the data dir, symlinked from /usr/local/bin/canopy
//   Windows  %LOCALAPPDATA%\Canopy\bin\canopy.cmd, that folder added to the user's PATH
// Pure: everything comes from the caller, so every OS is planned and tested anywhere.
import { posix, win32 } from 'node:path';
import type { DesktopPlatform } from '../../core/connect-apps/paths.ts';

/** The first line after the shebang of every launcher we write: how we know a file is ours. */
export const LAUNCHER_MARK = 'Installed by the Canopy desktop app';
const CLI_SCRIPT = 'cli.mjs';
const MACOS_LINK_DIR = '/usr/local/bin';

export interface CliOnPathContext {
  platform: DesktopPlatform;
  home: string;
  env: Record<string, string | undefined>;
  /** The app's binary (Electron), run with ELECTRON_RUN_AS_NODE=1. */
  execPath: string;
  /** app.getAppPath(). */
  appPath: string;
  dataDir: string;
}

export type CliOnPathPlan =
  | { kind: 'unsupported'; reason: string }
  | {
      kind: 'install';
      /** The launcher file: written with `mode`. */
      launcher: { path: string; content: string; mode: number };
      /** macOS: a symlink to the launcher. */
      link?: { path: string; target: string };
      /** Windows: this folder must be on the user's PATH. */
      userPathDir?: string;
      /** Where `canopy` will be found, and whether the current PATH already looks there. */
      commandPath: string;
      onPath: boolean;
    };

function pathDirs(env: Record<string, string | undefined>, platform: DesktopPlatform): string[] {
  const value = platform === 'win32' ? (env.Path ?? env.PATH ?? '') : (env.PATH ?? '');
  return value.split(platform === 'win32' ? ';' : ':').filter(Boolean);
}

function samePath(a: string, b: string, platform: DesktopPlatform): boolean {
  if (platform === 'win32') return win32.normalize(a).replace(/\\+$/, '').toLowerCase() === win32.normalize(b).replace(/\\+$/, '').toLowerCase();
  return posix.normalize(a).replace(/\/+$/, '') === posix.normalize(b).replace(/\/+$/, '');
}

/** Double-quoted for sh: \, ", $ and ` escaped. */
function shQuote(value: string): string {
  return `"${value.replace(/(["`$\\])/g, '\\$1')}"`;
}

function posixLauncher(execPath: string, cli: string): string {
  return ['#!/bin/sh', `# ${LAUNCHER_MARK}: the \`canopy\` command. Remove it from Canopy's tray menu.`, `ELECTRON_RUN_AS_NODE=1 exec ${shQuote(execPath)} ${shQuote(cli)} "$@"`, ''].join('\n');
}

function windowsLauncher(execPath: string, cli: string): string {
  return ['@echo off', `rem ${LAUNCHER_MARK}: the canopy command.`, 'setlocal', 'set ELECTRON_RUN_AS_NODE=1', `"${execPath}" "${cli}" %*`, ''].join('\r\n');
}

export function cliOnPathPlan({ platform, home, env, execPath, appPath, dataDir }: CliOnPathContext): CliOnPathPlan {
  if (env.APPIMAGE) {
    return { kind: 'unsupported', reason: 'an AppImage moves on every start, so a launcher cannot point into it: install the CLI with npm instead (see the README)' };
  }
  const dirs = pathDirs(env, platform);
  const onPath = (dir: string) => dirs.some((entry) => samePath(entry, dir, platform));
  if (platform === 'win32') {
    const cli = win32.join(appPath, 'dist', 'desktop', CLI_SCRIPT);
    if ([execPath, cli].some((path) => path.includes('"') || path.includes('%'))) {
      return { kind: 'unsupported', reason: `the app's path cannot be written into a .cmd launcher: ${execPath}` };
    }
    const dir = win32.join(env.LOCALAPPDATA || win32.join(home, 'AppData', 'Local'), 'Canopy', 'bin');
    const path = win32.join(dir, 'canopy.cmd');
    return { kind: 'install', launcher: { path, content: windowsLauncher(execPath, cli), mode: 0o644 }, userPathDir: dir, commandPath: path, onPath: onPath(dir) };
  }
  const cli = posix.join(appPath, 'dist', 'desktop', CLI_SCRIPT);
  if (platform === 'darwin') {
    const launcher = posix.join(dataDir, 'bin', 'canopy');
    const link = posix.join(MACOS_LINK_DIR, 'canopy');
    return { kind: 'install', launcher: { path: launcher, content: posixLauncher(execPath, cli), mode: 0o755 }, link: { path: link, target: launcher }, commandPath: link, onPath: onPath(MACOS_LINK_DIR) };
  }
  const dir = posix.join(home, '.local', 'bin');
  const path = posix.join(dir, 'canopy');
  return { kind: 'install', launcher: { path, content: posixLauncher(execPath, cli), mode: 0o755 }, commandPath: path, onPath: onPath(dir) };
}

/** The user's PATH with `dir` appended; undefined when it is already there. */
export function userPathWith(current: string, dir: string): string | undefined {
  const entries = current.split(';').filter(Boolean);
  if (entries.some((entry) => samePath(entry, dir, 'win32'))) return undefined;
  return [...entries, dir].join(';');
}

/** The user's PATH without `dir`; undefined when it was not there. */
export function userPathWithout(current: string, dir: string): string | undefined {
  const entries = current.split(';').filter(Boolean);
  const kept = entries.filter((entry) => !samePath(entry, dir, 'win32'));
  return kept.length === entries.length ? undefined : kept.join(';');
}

/** What to tell the user after installing. */
export function installedMessage(plan: Extract<CliOnPathPlan, { kind: 'install' }>, platform: DesktopPlatform): string {
  const done = `The \`canopy\` command is installed at ${plan.commandPath}.`;
  if (platform === 'win32') return `${done} Open a new terminal to use it.`;
  if (plan.onPath) return `${done} Open a new terminal and run \`canopy --help\`.`;
  const dir = posix.dirname(plan.commandPath);
  return `${done} ${dir} is not on your PATH yet: add \`export PATH="${dir}:$PATH"\` to your shell's profile (e.g. ~/.profile), then open a new terminal.`;
}
