// Carries out a CliOnPathPlan on the file system (and, on Windows, the user's PATH), and undoes it.
// Never replaces a `canopy` that is not ours. No Electron here: tests run it on a temporary home.
import { lstat, mkdir, readFile, readlink, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DesktopPlatform } from '../../core/connect-apps/paths.ts';
import { installedMessage, LAUNCHER_MARK, userPathWith, userPathWithout, type CliOnPathPlan } from './plan.ts';

/** The user's PATH as Windows keeps it (HKCU\Environment); injected so tests need no registry. */
export interface UserPath {
  get(): Promise<string>;
  set(value: string): Promise<void>;
}

export interface CliOnPathResult {
  ok: boolean;
  message: string;
}

async function existing(path: string): Promise<'none' | 'ours' | 'foreign'> {
  let stat;
  try {
    stat = await lstat(path);
  } catch {
    return 'none';
  }
  if (stat.isSymbolicLink()) return 'foreign';
  const content = await readFile(path, 'utf8').catch(() => '');
  return content.includes(LAUNCHER_MARK) ? 'ours' : 'foreign';
}

async function linkState(path: string, target: string): Promise<'none' | 'ours' | 'foreign'> {
  try {
    return (await readlink(path)) === target ? 'ours' : 'foreign';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : 'foreign';
  }
}

const foreign = (path: string) =>
  ({ ok: false, message: `A different \`canopy\` is already at ${path}; Canopy left it alone. Remove or rename it, then try again.` }) as const;

export async function installCliOnPath(plan: CliOnPathPlan, platform: DesktopPlatform, userPath?: UserPath): Promise<CliOnPathResult> {
  if (plan.kind === 'unsupported') return { ok: false, message: `Canopy cannot put \`canopy\` on PATH here: ${plan.reason}.` };
  const { launcher, link } = plan;
  if ((await existing(launcher.path)) === 'foreign') return foreign(launcher.path);
  if (link && (await linkState(link.path, link.target)) === 'foreign') return foreign(link.path);

  await mkdir(dirname(launcher.path), { recursive: true });
  await writeFile(launcher.path, launcher.content, { mode: launcher.mode });
  await chmod(launcher.path, launcher.mode);
  if (link && (await linkState(link.path, link.target)) === 'none') {
    try {
      await mkdir(dirname(link.path), { recursive: true });
      await symlink(link.target, link.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM') throw error;
      return {
        ok: false,
        message: `${dirname(link.path)} needs administrator rights. Run this once in a terminal:\n  sudo ln -sf "${link.target}" "${link.path}"`,
      };
    }
  }
  if (plan.userPathDir) {
    if (!userPath) throw new Error('the user PATH cannot be changed here');
    const next = userPathWith(await userPath.get(), plan.userPathDir);
    if (next !== undefined) await userPath.set(next);
  }
  return { ok: true, message: installedMessage(plan, platform) };
}

/** Removes what installCliOnPath wrote (only if it is still ours). */
export async function removeCliFromPath(plan: CliOnPathPlan, userPath?: UserPath): Promise<CliOnPathResult> {
  if (plan.kind === 'unsupported') return { ok: false, message: `Canopy did not put \`canopy\` on PATH here: ${plan.reason}.` };
  if (plan.link && (await linkState(plan.link.path, plan.link.target)) === 'ours') await rm(plan.link.path);
  if ((await existing(plan.launcher.path)) === 'ours') await rm(plan.launcher.path);
  if (plan.userPathDir && userPath) {
    const next = userPathWithout(await userPath.get(), plan.userPathDir);
    if (next !== undefined) await userPath.set(next);
  }
  return { ok: true, message: 'The `canopy` command Canopy installed is removed.' };
}
