// Runs in its own process (vitest isolates test files) with a D-Bus session that never answers: the
// keychain probe must give up in time and Canopy must fall back to the encrypted file, loudly.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseSecretStore } from '../../main/core/secrets/choose-secret-store.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { isKeychainReachable } from '../../main/core/secrets/keychain-secret-store.ts';
import { openStore, type Store } from '../../main/core/store/open.ts';
import { freshSqlite, type TestLocation } from '../support/databases.ts';

const dir = mkdtempSync(join(tmpdir(), 'canopy-silent-dbus-'));
const connections = new Set<Socket>();
const silentBus = createServer((socket) => {
  connections.add(socket);
  socket.on('close', () => connections.delete(socket));
});
await new Promise<void>((resolve) => silentBus.listen(join(dir, 'bus'), resolve));
// Set before keytar first connects (it is loaded on first use).
process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${join(dir, 'bus')}`;

// keytar is optional (a native module that may not build): without it there is no keychain call to
// hang, and these expectations (the probe's timeout, its message) do not apply.
const specifier = 'keytar';
const keytarMissing = await import(specifier).then(
  () => undefined,
  (error: Error) => error.message,
);
if (keytarMissing) {
  console.warn(`silent-D-Bus keychain tests skipped: keytar could not be loaded (${keytarMissing})`);
  silentBus.close();
  rmSync(dir, { recursive: true, force: true });
}

describe.skipIf(keytarMissing !== undefined)('without a reachable keychain', () => {
  let where: TestLocation;
  let store: Store;

  beforeAll(async () => {
    where = await freshSqlite();
    store = await openStore(where.location);
  });
  afterAll(async () => {
    await store.close();
    await where.drop();
    // Hang up on the waiting keychain calls so they end and the process can exit.
    for (const socket of connections) socket.destroy();
    silentBus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the probe gives up after its timeout', async () => {
    const started = Date.now();
    expect(await isKeychainReachable(300)).toEqual({ reachable: false, reason: 'no answer within 0.3 s' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a SQLite store falls back to the encrypted file and says so', async () => {
    const secrets = await chooseSecretStore({ storeKind: 'sqlite', dataDir: dir, db: store.db, env: {} });
    expect(secrets).toBeInstanceOf(FileSecretStore);
    expect(secrets.describe().warning).toBe(
      `no OS keychain reachable (no answer within 3 s): secrets are kept in an encrypted file at ${join(dir, 'secrets', 'secrets.json')} ` +
        'with its key beside it; install or unlock a keychain (e.g. gnome-keyring) and restart Canopy to move them there',
    );
    await secrets.set('a', 'one');
    expect(await secrets.get('a')).toBe('one');
  });

  it('a keychain asked for by name is an error', async () => {
    await expect(chooseSecretStore({ storeKind: 'sqlite', dataDir: dir, db: store.db, env: { CANOPY_SECRETS_BACKEND: 'keychain' } })).rejects.toThrow(
      'the OS keychain was asked for (CANOPY_SECRETS_BACKEND=keychain) but none is reachable: no answer within 3 s',
    );
  });
});
