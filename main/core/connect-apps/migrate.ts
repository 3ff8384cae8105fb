// Moving an app's MCP servers into Canopy and back. `scanApps` reads every app's config and says
// what it holds (and which servers several apps share); `migrateApp` replaces the entries Canopy
// imported with the one Canopy entry, keeping the file as it was in a backup; `undoMigration` puts
// that backup back byte for byte (the file it replaces is kept too). Importing the servers
// themselves is the caller's part (the admin API: secrets go to the SecretStore there).
import { constants, copyFile, realpath, rename, stat } from 'node:fs/promises';
import type { ImportEntry } from '../config/mcp-servers-file.ts';
import { APP_IDS, APPS, ENTRY_NAME, type AppId } from './apps.ts';
import { appServers } from './app-servers.ts';
import { backup, ConnectAppError, readIfExists, writeAtomically } from './connect.ts';
import { unifiedDiff } from './diff.ts';
import { canopyEntry, serversKey, type EntryOptions } from './entry.ts';
import { MalformedConfigError, parseConfig, removeEntries, setEntry } from './json-edit.ts';
import { configPath, type HostLocation } from './paths.ts';

export interface AppScan {
  app: AppId;
  displayName: string;
  path: string;
  /** false: the app has no config file here (probably not installed). */
  found: boolean;
  /** The app's servers, Canopy's own entry left out. */
  servers: ImportEntry[];
  /** Canopy's entry is already in the file. */
  connected: boolean;
  /** A `setup --undo` can restore the file as it was before a migration. */
  canUndo: boolean;
  /** The file exists but cannot be read as the app reads it. */
  error?: string;
}

/** The migration backup: one per config file, the state before the first migration. */
export function migrationBackupPath(path: string): string {
  return `${path}.canopy-before-migration`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function scanApp(app: AppId, host: HostLocation): Promise<AppScan> {
  const path = configPath(app, host);
  const base = { app, displayName: APPS[app].displayName, path, canUndo: await exists(migrationBackupPath(path)) };
  const text = await readIfExists(path);
  if (text === undefined) return { ...base, found: false, servers: [], connected: false };
  try {
    const entries = appServers(app, parseConfig(text, APPS[app].format));
    return { ...base, found: true, servers: entries.filter((entry) => entry.name !== ENTRY_NAME), connected: entries.some((entry) => entry.name === ENTRY_NAME) };
  } catch (error) {
    return { ...base, found: true, servers: [], connected: false, error: `${path} ${(error as Error).message}` };
  }
}

export function scanApps(host: HostLocation): Promise<AppScan[]> {
  return Promise.all(APP_IDS.map((app) => scanApp(app, host)));
}

/** What makes two entries the same server: the command line, or the URL. */
function identity(entry: ImportEntry): string | undefined {
  const config = entry.config;
  if (!config) return undefined;
  return config.transport === 'stdio' ? JSON.stringify(['stdio', config.command, config.args ?? []]) : JSON.stringify(['url', config.url]);
}

export interface SharedServer {
  /** The names it has in each app (usually the same). */
  names: string[];
  apps: AppId[];
}

/** Servers configured in more than one app (same command line or URL): import them once. */
export function sharedServers(scans: readonly AppScan[]): SharedServer[] {
  const groups = new Map<string, { names: Set<string>; apps: Set<AppId> }>();
  for (const scan of scans) {
    for (const entry of scan.servers) {
      const key = identity(entry);
      if (!key) continue;
      const group = groups.get(key) ?? { names: new Set(), apps: new Set() };
      group.names.add(entry.name);
      group.apps.add(scan.app);
      groups.set(key, group);
    }
  }
  return [...groups.values()].filter((group) => group.apps.size > 1).map((group) => ({ names: [...group.names].sort(), apps: [...group.apps] }));
}

export interface MigrateOptions extends HostLocation, EntryOptions {
  app: AppId;
  /** The entries Canopy now holds: they leave the app's file. */
  imported: readonly string[];
  dryRun?: boolean;
  now?: () => Date;
}

export interface MigrateResult {
  app: AppId;
  displayName: string;
  path: string;
  removed: string[];
  /** The file as it was before the first migration (what --undo restores). */
  backupPath: string;
  diff: string;
  dryRun: boolean;
}

export async function migrateApp(options: MigrateOptions): Promise<MigrateResult> {
  const { app, imported, dryRun = false, now = () => new Date() } = options;
  const info = APPS[app];
  const path = configPath(app, options);
  const text = await readIfExists(path);
  if (text === undefined) throw new ConnectAppError(`${info.displayName} has no MCP config at ${path}: nothing to move into Canopy.`);
  let next: string;
  try {
    const scan = parseConfig(text, info.format)[serversKey(app)] as Record<string, unknown> | undefined;
    const present = imported.filter((name) => name !== ENTRY_NAME && scan && Object.hasOwn(scan, name));
    next = setEntry(removeEntries(text, serversKey(app), present), { format: info.format, path: [serversKey(app), ENTRY_NAME], value: canopyEntry(app, options) }).text;
    const result = { app, displayName: info.displayName, path, removed: present, backupPath: migrationBackupPath(path), diff: unifiedDiff(path, text, next), dryRun };
    if (dryRun || next === text) return result;
    const target = await realpath(path);
    const keep = migrationBackupPath(target);
    // The first migration's backup stays: undo returns to the file as it was before Canopy took over.
    // A later migration backs up the in-between state with the usual time-stamped name.
    try {
      await copyFile(target, keep, constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await backup(target, now());
    }
    await writeAtomically(target, next, (await stat(target)).mode & 0o777);
    return result;
  } catch (error) {
    if (error instanceof MalformedConfigError) {
      throw new ConnectAppError(`${path} ${error.message}. It was left untouched: fix or move it, then try again.`);
    }
    if (error instanceof ConnectAppError) throw error;
    throw new ConnectAppError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

export interface UndoResult {
  app: AppId;
  displayName: string;
  path: string;
  /** Where the file as it was just before the undo is kept. */
  replacedKeptAt?: string;
}

/** Restores the file exactly as it was before the first migration. */
export async function undoMigration(app: AppId, host: HostLocation, now: () => Date = () => new Date()): Promise<UndoResult> {
  const info = APPS[app];
  const path = configPath(app, host);
  const target = (await exists(path)) ? await realpath(path) : path;
  const saved = migrationBackupPath(target);
  if (!(await exists(saved))) throw new ConnectAppError(`there is no migration of ${info.displayName} to undo (no ${saved}).`);
  const replacedKeptAt = (await exists(target)) ? await backup(target, now()) : undefined;
  await rename(saved, target);
  return { app, displayName: info.displayName, path, ...(replacedKeptAt ? { replacedKeptAt } : {}) };
}
