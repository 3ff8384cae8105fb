// Adds Canopy to one app's MCP config file: read, merge, back up, write atomically. Shared by
// `canopy setup <app>` and the desktop app's "Connect an app" menu.
import { copyFile, mkdir, readFile, realpath, rename, stat, unlink, writeFile, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { APPS, ENTRY_NAME, type AppId } from './apps.ts';
import { canopyEntry, serversKey, type EntryOptions } from './entry.ts';
import { MalformedConfigError, setEntry } from './json-edit.ts';
import { configPath, type HostLocation } from './paths.ts';
import { unifiedDiff } from './diff.ts';

export interface ConnectAppOptions extends HostLocation, EntryOptions {
  app: AppId;
  /** Compute and show the result without writing anything. */
  dryRun?: boolean;
  /** Clock for backup names (tests). */
  now?: () => Date;
}

/** created: new file · added: entry added to an existing file · updated: entry replaced · unchanged: already set up. */
export type ConnectOutcome = 'created' | 'added' | 'updated' | 'unchanged';

export interface ConnectAppResult {
  app: AppId;
  displayName: string;
  path: string;
  outcome: ConnectOutcome;
  dryRun: boolean;
  /** Set when an existing file was copied before it was changed. */
  backupPath?: string;
  /** The file's content after the change (what a dry run would write). */
  content: string;
  /** Unified diff of the change; '' when unchanged. */
  diff: string;
  /** Set when the change only takes effect after the user restarts / reloads the app. */
  restartHint?: string;
}

export class ConnectAppError extends Error {
  override name = 'ConnectAppError';
}

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConnectAppError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Windows forbids ':' in file names, so the ISO time is made file-name safe. */
function backupPathFor(path: string, time: Date): string {
  return `${path}.canopy-backup-${time.toISOString().replace(/[:.]/g, '-')}`;
}

export async function backup(path: string, time: Date): Promise<string> {
  const base = backupPathFor(path, time);
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = attempt === 0 ? base : `${base}-${attempt}`;
    try {
      await copyFile(path, candidate, constants.COPYFILE_EXCL);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new ConnectAppError(`cannot find a free backup name next to ${path}`);
}

/** Writes through a temporary file and a rename, so a crash leaves either the old or the new file. */
export async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.canopy-tmp-${process.pid}`;
  try {
    await writeFile(temporary, content, { mode });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

export async function connectApp(options: ConnectAppOptions): Promise<ConnectAppResult> {
  const { app, dryRun = false, now = () => new Date() } = options;
  const info = APPS[app];
  const path = configPath(app, options);
  const existing = await readIfExists(path);
  let edit;
  try {
    edit = setEntry(existing ?? '', { format: info.format, path: [serversKey(app), ENTRY_NAME], value: canopyEntry(app, options) });
  } catch (error) {
    if (!(error instanceof MalformedConfigError)) throw error;
    throw new ConnectAppError(
      `${path} ${error.message}. It was left untouched: fix or move it, then connect ${info.displayName} again.`,
    );
  }
  const outcome: ConnectOutcome = !edit.changed
    ? 'unchanged'
    : existing === undefined
      ? 'created'
      : edit.previous === undefined
        ? 'added'
        : 'updated';
  const result: ConnectAppResult = {
    app,
    displayName: info.displayName,
    path,
    outcome,
    dryRun,
    content: edit.text,
    diff: unifiedDiff(path, existing ?? '', edit.text),
    ...(edit.changed && info.restartHint ? { restartHint: info.restartHint } : {}),
  };
  if (dryRun || !edit.changed) return result;

  try {
    // Follow a symlinked config (dotfile managers) so the link stays a link.
    const target = existing === undefined ? path : await realpath(path);
    await mkdir(dirname(target), { recursive: true });
    const backupPath = existing === undefined ? undefined : await backup(target, now());
    // Keep the file's permissions; a new file holding a token is readable by its owner only.
    const mode = existing === undefined ? (options.token ? 0o600 : 0o644) : (await stat(target)).mode & 0o777;
    await writeAtomically(target, edit.text, mode);
    return { ...result, ...(backupPath ? { backupPath } : {}) };
  } catch (error) {
    if (error instanceof ConnectAppError) throw error;
    throw new ConnectAppError(`cannot write ${path}: ${(error as Error).message}`);
  }
}
