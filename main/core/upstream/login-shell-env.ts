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
 * Runs `$SHELL -ilc` to read the login environment (5 s at most) and returns process.env with it
 * laid over. Falls back to process.env on Windows, without $SHELL, or when the shell fails.
 */
export async function loadLoginShellEnvironment(
  options: { shell?: string; platform?: NodeJS.Platform; timeoutMs?: number } = {},
): Promise<LoginShellEnvironment> {
  const fallback = (reason: string): LoginShellEnvironment => ({ env: { ...process.env }, source: 'process', reason });
  if ((options.platform ?? process.platform) === 'win32') return fallback('not used on Windows');
  const shell = options.shell ?? process.env.SHELL;
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
      env: { ...process.env, CANOPY_RESOLVING_SHELL_ENV: '1' },
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
      settle({ env: { ...process.env, ...parsed }, source: 'login-shell' });
    });
    child.once('error', (error) => settle(fallback(`${shell} failed: ${error.message}`)));
    child.once('close', (code) => settle(fallback(`${shell} exited with code ${code} and printed no environment`)));
  });
}
