// Replaces a file so that a crash at any moment leaves either the old or the new content, never a
// mix: write a temporary file beside it, fsync it, rename it over the target, fsync the directory.
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

async function writeSynced(path: string, data: string, mode: number): Promise<void> {
  const file = await open(path, 'wx', mode);
  try {
    await file.writeFile(data, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
}

// Makes the rename itself durable. Windows cannot open a directory, and its rename is durable enough.
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a fresh temporary file beside `path`, then hands it to `install`; the temp file never outlives a failure. */
async function viaTemporaryFile(path: string, data: string, mode: number, install: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeSynced(temporary, data, mode);
    await install(temporary);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Atomically replaces `path` with `data` (created with `mode`). */
export function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  return viaTemporaryFile(path, data, mode, (temporary) => rename(temporary, path));
}

/**
 * Atomically creates `path` with `data` unless it exists: then throws EEXIST and leaves it as it is
 * (a hard link never replaces a file, so two processes racing cannot both win).
 */
export function createFileAtomic(path: string, data: string, mode: number): Promise<void> {
  return viaTemporaryFile(path, data, mode, async (temporary) => {
    await link(temporary, path);
    await unlink(temporary);
  });
}
