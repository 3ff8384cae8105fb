// Killing a stdio server with everything it started. On POSIX the child runs in its own process
// group (spawned `detached`), so one signal to -pgid reaches its children too (npx → node → …).
// Windows has no process groups: `taskkill /T /F` kills the tree as it exists at that moment.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_KILL_GRACE_MS = 3_000;
const POLL_MS = 50;

function processGroupAlive(pgid: number): boolean {
  if (process.platform === 'win32') return processAlive(pgid);
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

function taskkillTree(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    child.once('error', () => resolve());
    child.once('exit', () => resolve());
  });
}

/** SIGTERM to the group, then SIGKILL to whatever is left after `graceMs`. Resolves when all are gone (or after the SIGKILL). */
export async function killProcessGroup(pgid: number, graceMs = DEFAULT_KILL_GRACE_MS): Promise<void> {
  if (process.platform === 'win32') return taskkillTree(pgid);
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!processGroupAlive(pgid)) return;
    await sleep(POLL_MS);
  }
  signalGroup(pgid, 'SIGKILL');
}
