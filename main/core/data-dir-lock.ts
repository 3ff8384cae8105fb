// One gateway per data dir. Two gateways on the same data dir would both spawn every stdio server
// and write the same secrets file, so the gateway takes `canopy.lock` there (pid, host, URL) before
// it opens anything and removes it when it stops. This holds for every store kind: PostgreSQL
// replicas are legitimate, but each needs its own data dir (its own machine or XDG_DATA_HOME).
//
// The lock is a file created exclusively (O_EXCL). A kill -9 leaves it behind: a lock whose pid is
// no longer alive on this host is stale and taken over. The takeover renames the file away and
// checks it renamed the stale one (not a lock a third gateway just took), so two gateways starting
// beside a stale lock cannot both win.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { CanopyError } from './errors.ts';

export const LOCK_FILE_NAME = 'canopy.lock';
const TAKEOVER_ATTEMPTS = 5;
/** A lock file without readable contents older than this was left unfinished by a crash. */
const UNFINISHED_LOCK_MS = 5_000;

export interface LockHolder {
  pid: number;
  host: string;
  /** The holder's base URL, once it listens. */
  url?: string;
  nonce: string;
}

/** Another gateway runs on this data dir: the message names it and says what to do. */
export class DataDirInUseError extends CanopyError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.url ? `at ${holder.url}` : 'and is still starting';
    const other = holder.pid <= 0 ? 'a process' : holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
    super(
      'conflict',
      `another Canopy (${other}) already runs on ${dataDir} ${where}: use that one, or stop it first (a lock left by a crash is cleared on start)`,
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Writes the URL the gateway listens on into the lock, for the next one to name. */
  setUrl(url: string): Promise<void>;
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (typeof holder.pid === 'number' && typeof holder.host === 'string' && typeof holder.nonce === 'string') return holder as LockHolder;
  } catch {
    // Being written right now, or cut short by a crash while it was written.
  }
  const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
  // pid 0: nobody (left unfinished long ago); -1: a gateway writing it this moment.
  return { pid: age > UNFINISHED_LOCK_MS ? 0 : -1, host: hostname(), nonce: text };
}

/** A holder on this host whose process is gone; one on another host cannot be checked and counts as alive. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid === -1) return false;
  return holder.pid === 0 || !isAlive(holder.pid);
}

/** Moves a stale lock out of the way, unless another gateway replaced it meanwhile (then it is put back). */
async function clearStale(path: string, stale: LockHolder): Promise<void> {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved && moved.nonce !== stale.nonce) await link(aside, path).catch(() => {});
  await rm(aside, { force: true });
}

/** Takes the data dir's lock, or throws DataDirInUseError naming the gateway that holds it. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  const holder: LockHolder = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString('hex') };
  const write = (contents: LockHolder) => writeFile(path, `${JSON.stringify(contents)}\n`);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const file = await open(path, 'wx', 0o600);
      try {
        await file.writeFile(`${JSON.stringify(holder)}\n`);
      } finally {
        await file.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(path);
    if (current && !isStale(current)) throw new DataDirInUseError(dataDir, current);
    if (attempt >= TAKEOVER_ATTEMPTS) throw new CanopyError('conflict', `cannot take the lock ${path}: other processes keep changing it`);
    if (current) await clearStale(path, current);
  }

  let released = false;
  return {
    path,
    async setUrl(url) {
      holder.url = url;
      if (!released) await write(holder);
    },
    async release() {
      if (released) return;
      released = true;
      // Only our own lock: a stop after a takeover must not remove the new holder's.
      if ((await readHolder(path))?.nonce === holder.nonce) await rm(path, { force: true });
    },
  };
}
