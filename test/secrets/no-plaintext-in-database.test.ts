// The whole path a registration takes (split, SecretStore, ServerRepository.insert in a transaction)
// leaves no secret value in the SQLite database file or its write-ahead log.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../main/core/config/server-config.ts';
import { DatabaseSecretStore } from '../../main/core/secrets/database-secret-store.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { resolveSecrets, splitSecrets } from '../../main/core/secrets/secret-fields.ts';
import type { SecretStore } from '../../main/core/secrets/secret-store.ts';
import { openStore, type Store } from '../../main/core/store/open.ts';

const secretValues = {
  bearer: `bearer-${randomBytes(8).toString('hex')}`,
  header: `header-${randomBytes(8).toString('hex')}`,
  oauth: `oauth-${randomBytes(8).toString('hex')}`,
  env: `env-${randomBytes(8).toString('hex')}`,
};

const remote = parseServerConfig({
  name: 'remote',
  url: 'https://visible.example.com/mcp',
  bearer_token: secretValues.bearer,
  headers: { 'X-Api-Key': secretValues.header },
  oauth_client_id: 'visible-client-id',
  oauth_client_secret: secretValues.oauth,
});
const local = parseServerConfig({ name: 'local', command: 'node', args: ['server.js'], env: { API_KEY: secretValues.env } });

const secretKey = randomBytes(32).toString('base64');

describe.each([
  { backend: 'database', open: (store: Store) => DatabaseSecretStore.open(store.db, secretKey) },
  { backend: 'file', open: async (_store: Store, dataDir: string) => new FileSecretStore(dataDir) },
])('a registered server with the $backend backend', ({ open }) => {
  let dir: string;
  let dbPath: string;
  let store: Store;
  let secrets: SecretStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'canopy-plaintext-'));
    dbPath = join(dir, 'canopy.db');
    store = await openStore({ kind: 'sqlite', path: dbPath });
    secrets = await open(store, dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = async (config: typeof remote) => {
    const { stored, secrets: values } = splitSecrets(config);
    for (const { ref, value } of values) await secrets.set(ref, value);
    await store.transaction((tx) => tx.servers.insert(stored));
  };

  /** Every file Canopy wrote (the DB, its -wal and -shm, the secrets files), as one string. */
  const everyByteOnDisk = () => {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    return files.map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1')).join('\n');
  };

  it('leaves no secret in the database file or its WAL', async () => {
    await register(remote);
    await register(local);
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    const wal = readFileSync(`${dbPath}-wal`).toString('latin1');
    // The check reads where the rows land: the clear fields are there.
    expect(wal + readFileSync(dbPath).toString('latin1')).toContain('visible-client-id');
    const bytes = everyByteOnDisk();
    for (const value of Object.values(secretValues)) expect(bytes).not.toContain(value);

    // And after a checkpoint folds the WAL into the database file.
    await store.close();
    store = await openStore({ kind: 'sqlite', path: dbPath });
    const rows = await store.servers.list();
    expect(readFileSync(dbPath).toString('latin1')).toContain('visible-client-id');
    for (const value of Object.values(secretValues)) expect(everyByteOnDisk()).not.toContain(value);

    // The secrets are still there to be read.
    const reopened = await open(store, dir);
    expect(await resolveSecrets(rows.find((row) => row.name === 'remote')!.config, reopened)).toEqual(remote);
  });
});
