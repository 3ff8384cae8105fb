// From the user's storage choice to the StoreLocation the gateway opens.
import { join } from 'node:path';
import { DATABASE_FILE_NAME } from '../../core/paths.ts';
import { describeLocation, type StoreLocation } from '../../core/store/open.ts';
import type { StorageChoice } from '../../../preload/canopy-bridge.ts';
import { withPassword } from '../storage/postgres-url.ts';

export function storeLocation(choice: StorageChoice, dataDir: string, password: string | undefined): StoreLocation {
  return choice.kind === 'sqlite'
    ? { kind: 'sqlite', path: join(dataDir, DATABASE_FILE_NAME) }
    : { kind: 'postgres', url: withPassword(choice.url, password) };
}

/** For messages: "this computer (SQLite)" or "PostgreSQL at host:5432/db" — never a password. */
export function describeChoice(choice: StorageChoice): string {
  return choice.kind === 'sqlite' ? 'this computer (SQLite)' : describeLocation({ kind: 'postgres', url: choice.url });
}

export function sameChoice(a: StorageChoice, b: StorageChoice): boolean {
  return a.kind === b.kind && (a.kind === 'sqlite' || a.url === (b as { url: string }).url);
}
