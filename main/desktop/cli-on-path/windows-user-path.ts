// The user's PATH on Windows (HKCU\Environment), read and written through PowerShell. The new value
// travels in an environment variable, so no quoting of paths is involved.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { UserPath } from './install.ts';

const run = promisify(execFile);
const powershell = (command: string, env: NodeJS.ProcessEnv = process.env) =>
  run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', command], { env, windowsHide: true });

export const windowsUserPath: UserPath = {
  get: async () => (await powershell("[Environment]::GetEnvironmentVariable('Path', 'User')")).stdout.trim(),
  set: async (value) => {
    await powershell("[Environment]::SetEnvironmentVariable('Path', $env:CANOPY_USER_PATH, 'User')", { ...process.env, CANOPY_USER_PATH: value });
  },
};
