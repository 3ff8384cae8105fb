// Picks the SecretStore backend. A local SQLite store uses the OS keychain, or, when none is
// reachable, an encrypted file (and says so); a shared PostgreSQL store keeps secrets encrypted in the
// database so every replica can read them. CANOPY_SECRETS_BACKEND (or `override`) forces one.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { DatabaseSecretStore } from './database-secret-store.ts';
import { FileSecretStore } from './file-secret-store.ts';
import { isKeychainReachable, KeychainSecretStore } from './keychain-secret-store.ts';
import { SecretStoreError, type SecretBackendKind, type SecretStore } from './secret-store.ts';

export interface ChooseSecretStoreOptions {
  storeKind: 'sqlite' | 'postgres';
  /** Where the file fallback keeps its files (in `secrets/`). */
  dataDir: string;
  db: Kysely<Database>;
  /** Read for CANOPY_SECRETS_BACKEND and CANOPY_SECRET_KEY. */
  env: NodeJS.ProcessEnv;
  /** Wins over CANOPY_SECRETS_BACKEND. */
  override?: SecretBackendKind;
  /** The database backend's key; wins over CANOPY_SECRET_KEY. */
  secretKey?: string;
}

const BACKENDS: readonly SecretBackendKind[] = ['keychain', 'database', 'file'];

function backendFromEnv(env: NodeJS.ProcessEnv): SecretBackendKind | undefined {
  const value = env.CANOPY_SECRETS_BACKEND?.trim();
  if (!value) return undefined;
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new SecretStoreError(`CANOPY_SECRETS_BACKEND must be one of ${BACKENDS.join(', ')} (got '${value}')`);
  }
  return value as SecretBackendKind;
}

export async function chooseSecretStore(options: ChooseSecretStoreOptions): Promise<SecretStore> {
  const forced = options.override ?? backendFromEnv(options.env);
  const backend = forced ?? (options.storeKind === 'postgres' ? 'database' : undefined);
  if (backend === 'database') return DatabaseSecretStore.open(options.db, options.secretKey ?? options.env.CANOPY_SECRET_KEY);

  const localOnly =
    options.storeKind === 'postgres'
      ? `secrets are kept on this machine only (CANOPY_SECRETS_BACKEND=${backend}): other Canopy instances using this PostgreSQL database cannot read them`
      : undefined;
  if (backend === 'file') return new FileSecretStore(options.dataDir, localOnly);

  const probe = await isKeychainReachable();
  if (probe.reachable) {
    const notMoved = await moveIntoKeychain(new FileSecretStore(options.dataDir), new KeychainSecretStore());
    return new KeychainSecretStore([localOnly, notMoved].filter(Boolean).join('; ') || undefined);
  }
  if (backend === 'keychain') {
    throw new SecretStoreError(`the OS keychain was asked for (CANOPY_SECRETS_BACKEND=keychain) but none is reachable: ${probe.reason}`);
  }
  return new FileSecretStore(
    options.dataDir,
    `no OS keychain reachable (${probe.reason}): secrets are kept in an encrypted file at ${FileSecretStore.pathIn(options.dataDir)} with its key beside it; ` +
      'install or unlock a keychain (e.g. gnome-keyring) and restart Canopy to move them there',
  );
}

// Secrets kept in the file fallback while no keychain was reachable move into the keychain once one
// is. Each leaves the file only after the keychain holds it, so an interruption loses nothing. A file
// that cannot be read does not stop Canopy: it becomes a warning (returned).
async function moveIntoKeychain(file: FileSecretStore, keychain: KeychainSecretStore): Promise<string | undefined> {
  try {
    for (const { ref, value } of await file.entries()) {
      await keychain.set(ref, value);
      await file.delete(ref);
    }
    return undefined;
  } catch (error) {
    return `secrets kept in ${file.path} could not be moved into the OS keychain: ${(error as Error).message}`;
  }
}
