// A GUI-started app (Finder, a desktop launcher) inherits a bare environment: no PATH entries from
// ~/.zshrc or ~/.profile, so `npx`/`uvx` would not be found. Canopy asks the user's login shell once
// for its environment, the way a terminal would see it, and uses that as the base for stdio servers.
import { spawn } from 'node:child_process';
import { killProcessGroup } from './process-group.ts';

const MARKER = '__CANOPY_ENV_7f3a__';
const TIMEOUT_MS = 5_000;
const MAX_OUTPUT = 8 * 1024 * 1024;

export interface LoginShellEnvironment {
  env: NodeJS.ProcessEnv;
  /** Where `env` came from: the login shell, or process.env when that was not possible (and why). */
  source: 'login-shell' | 'process';
  reason?: string;
}

/** Picks the `env -0` output between two markers (rc files may print anything around it). */
export function parseLoginShellOutput(stdout: string, marker = MARKER): NodeJS.ProcessEnv | undefined {
  const start = stdout.indexOf(marker);
  const end = stdout.lastIndexOf(marker);
  if (start < 0 || end <= start) return undefined;
  const env: NodeJS.ProcessEnv = {};
  for (const entry of stdout.slice(start + marker.length, end).split('\0')) {
    const equals = entry.indexOf('=');
    if (equals > 0) env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return Object.keys(env).length > 0 ? env : undefined;
}

/**
 * One PATH from the one Canopy was started with and the login shell's: first the directories only
 * Canopy's has (an activated virtualenv, `nvm use`, a launcher's additions), then the login shell's
 * in its order. Started from a terminal, that is the terminal's PATH; started from a desktop
 * launcher, whose bare PATH the login shell's already holds, it is the login shell's.
 */
export function mergeSearchPaths(started: string | undefined, login: string | undefined, delimiter = ':'): string | undefined {
  if (login === undefined) return started;
  const loginDirs = login.split(delimiter).filter(Boolean);
  const known = new Set(loginDirs);
  const onlyStarted = (started ?? '').split(delimiter).filter((dir) => dir && !known.has(dir));
  return [...new Set([...onlyStarted, ...loginDirs])].join(delimiter);
}

/**
 * Runs `$SHELL -ilc` to read the login environment (5 s at most) and returns the environment Canopy
 * was started with (`env`, default process.env) with it laid over, PATHs merged (mergeSearchPaths).
 * Falls back to `env` on Windows, without $SHELL, or when the shell fails.
 */
export async function loadLoginShellEnvironment(
  options: { shell?: string; platform?: NodeJS.Platform; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<LoginShellEnvironment> {
  const started = options.env ?? process.env;
  const fallback = (reason: string): LoginShellEnvironment => ({ env: { ...started }, source: 'process', reason });
  if ((options.platform ?? process.platform) === 'win32') return fallback('not used on Windows');
  const shell = options.shell ?? started.SHELL;
  if (!shell) return fallback('$SHELL is not set');
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const script = `printf '%s' '${MARKER}'; env -0; printf '%s' '${MARKER}'`;
  return new Promise((resolve) => {
    // Its own process group, so a timeout also ends whatever the rc files started.
    const child = spawn(shell, ['-ilc', script], {
      detached: true,
      // No input: an rc file that reads from the terminal gets EOF instead of waiting.
      stdio: ['ignore', 'pipe', 'ignore'],
      // rc files can test this to skip slow or interactive setup.
      env: { ...started, CANOPY_RESOLVING_SHELL_ENV: '1' },
    });
    const timer = setTimeout(() => {
      if (child.pid) void killProcessGroup(child.pid, 0);
      resolve(fallback(`${shell} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    const settle = (result: LoginShellEnvironment) => {
      clearTimeout(timer);
      resolve(result);
    };
    let stdout = '';
    child.stdout.setEncoding('utf8');
    // Done at the closing marker: a daemon an rc file started may hold stdout open for good.
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
      const parsed = parseLoginShellOutput(stdout);
      if (!parsed) return;
      delete parsed.CANOPY_RESOLVING_SHELL_ENV;
      settle({ env: { ...started, ...parsed, PATH: mergeSearchPaths(started.PATH, parsed.PATH) }, source: 'login-shell' });
    });
    child.once('error', (error) => settle(fallback(`${shell} failed: ${error.message}`)));
    child.once('close', (code) => settle(fallback(`${shell} exited with code ${code} and printed no environment`)));
  });
}
