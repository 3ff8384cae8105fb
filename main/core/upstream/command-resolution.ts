// How a stdio server's `command` becomes something to spawn, and where it runs: looked up on the
// PATH of the child's own environment (so a missing command is a clear error, not a raw ENOENT), with PATHEXT and
// `cmd.exe` for `.cmd`/`.bat` shims on Windows. `resolveCommand` is pure (the file-system check is
// passed in); `resolveCommandOnThisMachine` plugs in the real one.
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export type Platform = NodeJS.Platform;

export interface SpawnPlan {
  /** The executable to spawn. */
  file: string;
  args: string[];
  /** Set when `args` are already quoted for `cmd.exe` (Windows shims). */
  windowsVerbatimArguments: boolean;
}

export type CommandResolution = { ok: true; plan: SpawnPlan } | { ok: false; error: string };

export interface ResolveCommandInput {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  platform: Platform;
  /** The child's working directory: a relative command with a directory part (`./bin/x`) is found from there. */
  cwd?: string;
  /** Whether `path` is a file this process may execute. */
  isExecutable: (path: string) => boolean;
}

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** Reads an environment variable the way the platform does (case-insensitive names on Windows). */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

export function resolveCommand(input: ResolveCommandInput): CommandResolution {
  const { command, platform } = input;
  const path = platform === 'win32' ? win32 : posix;
  const pathValue = envValue(input.env, 'PATH', platform) ?? '';
  const located = input.cwd !== undefined && hasDirectoryPart(command, platform) ? path.resolve(input.cwd, command) : command;
  const candidates = candidateFiles(located, pathValue, input.env, platform);
  const found = candidates.find((candidate) => input.isExecutable(candidate));
  if (!found) {
    return {
      ok: false,
      error: hasDirectoryPart(command, platform)
        ? `command '${command}' not found or not executable: check the path in the server config`
        : `command '${command}' not found on PATH (${summarizePath(pathValue, path.delimiter)}): install it, or set the full path as the server's command`,
    };
  }
  if (platform === 'win32' && /\.(cmd|bat)$/i.test(found)) {
    return { ok: true, plan: cmdShimPlan(found, input.args, input.env) };
  }
  return { ok: true, plan: { file: found, args: input.args, windowsVerbatimArguments: false } };
}

function candidateFiles(command: string, pathValue: string, env: NodeJS.ProcessEnv, platform: Platform): string[] {
  const path = platform === 'win32' ? win32 : posix;
  const pathExtensions = platform === 'win32' ? (envValue(env, 'PATHEXT', platform) ?? DEFAULT_PATHEXT).split(';').filter(Boolean) : [];
  // On Windows a name that already ends in a PATHEXT extension is tried as is; any other gets each
  // extension (Windows cannot execute a file without a known one).
  const withExtensions = (base: string) =>
    platform !== 'win32' || pathExtensions.some((ext) => base.toUpperCase().endsWith(ext.toUpperCase()))
      ? [base]
      : pathExtensions.map((ext) => base + ext.toLowerCase());
  if (hasDirectoryPart(command, platform)) return withExtensions(command);
  const directories = pathValue.split(path.delimiter).filter(Boolean);
  // cmd.exe looks in the current directory first; we do not (a stray file there should not win).
  return directories.flatMap((directory) => withExtensions(path.join(directory.replace(/^"(.*)"$/, '$1'), command)));
}

/** A command with a directory part (`./bin/x`, `/usr/bin/x`, `C:\x`) is not looked up on PATH. */
function hasDirectoryPart(command: string, platform: Platform): boolean {
  return command.includes('/') || (platform === 'win32' && command.includes('\\'));
}

function summarizePath(pathValue: string, delimiter: string): string {
  if (!pathValue) return 'PATH is empty';
  const directories = pathValue.split(delimiter).filter(Boolean);
  const shown = directories.slice(0, 8).join(delimiter);
  return directories.length > 8 ? `${shown}${delimiter}… ${directories.length - 8} more` : shown;
}

// cmd.exe treats these specially; each is escaped with ^ (the approach of cross-spawn and
// https://qntm.org/cmd).
const CMD_META_CHARS = /([()\][%!^"`<>&|;, *?])/g;

/** Quotes one argument for a command line that `cmd.exe /d /s /c "..."` will run. */
export function quoteForCmd(argument: string, doubleEscapeMetaChars = false): string {
  let quoted = argument
    // Backslashes before a quote are doubled and the quote escaped, for CommandLineToArgvW.
    .replace(/(\\*)"/g, '$1$1\\"')
    // Trailing backslashes are doubled so they do not escape the closing quote.
    .replace(/(\\*)$/, '$1$1');
  quoted = `"${quoted}"`.replace(CMD_META_CHARS, '^$1');
  // npm's node_modules\.bin shims pass %* through a second cmd.exe parse.
  return doubleEscapeMetaChars ? quoted.replace(CMD_META_CHARS, '^$1') : quoted;
}

/** Runs a `.cmd`/`.bat` file through `cmd.exe /d /s /c "…"` with each part quoted. */
export function cmdShimPlan(shim: string, args: string[], env: NodeJS.ProcessEnv): SpawnPlan {
  const doubleEscape = /node_modules[\\/]\.bin[\\/][^\\/]+\.cmd$/i.test(shim);
  const commandLine = [win32.normalize(shim).replace(CMD_META_CHARS, '^$1'), ...args.map((arg) => quoteForCmd(arg, doubleEscape))].join(' ');
  return {
    file: envValue(env, 'ComSpec', 'win32') ?? 'cmd.exe',
    args: ['/d', '/s', '/c', `"${commandLine}"`],
    windowsVerbatimArguments: true,
  };
}

/** `resolveCommand` for this machine's platform and file system. */
export function resolveCommandOnThisMachine(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): CommandResolution {
  return resolveCommand({ command, args, env, cwd, platform: process.platform, isExecutable: isExecutableFile });
}

export type WorkingDirectory = { ok: true; dir: string } | { ok: false; error: string };

/** Where a stdio server runs: its `cwd`, else the user's home directory (not wherever Canopy was started). */
export function workingDirectory(cwd: string | undefined, home = homedir()): WorkingDirectory {
  const dir = cwd ?? home;
  try {
    if (statSync(dir).isDirectory()) return { ok: true, dir };
  } catch {
    // reported below
  }
  return { ok: false, error: cwd === undefined ? `the home directory ${dir} does not exist: set the server's cwd` : `working directory '${dir}' does not exist or is not a directory: create it, or change the server's cwd` };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    // Windows has no execute bit: PATHEXT decides what runs.
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
