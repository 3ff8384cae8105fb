// Electron glue: makes "Start at login" true or false on this OS.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { homedir } from 'node:os';
import { app } from 'electron';
import type { DesktopPlatform } from '../../core/connect-apps/paths.ts';
import { loginItemPlan } from './login-item.ts';

export async function applyLoginItem(enabled: boolean, platform: DesktopPlatform): Promise<void> {
  const plan = loginItemPlan(enabled, { platform, home: homedir(), env: process.env, execPath: process.execPath });
  if (plan.kind === 'electron') {
    app.setLoginItemSettings(plan.settings);
  } else if (plan.content === null) {
    await rm(plan.path, { force: true });
  } else {
    await mkdir(dirname(plan.path), { recursive: true });
    await writeFile(plan.path, plan.content);
  }
}
