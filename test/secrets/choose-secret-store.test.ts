import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseSecretStore } from '../../main/core/secrets/choose-secret-store.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { KeychainSecretStore } from '../../main/core/secrets/keychain-secret-store.ts';
import { openStore, type Store } from '../../main/core/store/open.ts';
import { freshPostgres, freshSqlite, type TestLocation } from '../support/databases.ts';
import { noKeychain } from './keychain.ts';

const key = randomBytes(32).toString('base64');

describe.each([
  { kind: 'sqlite' as const, fresh: freshSqlite },
  { kind: 'postgres' as const, fresh: freshPostgres },
])('chooseSecretStore with $kind', ({ kind, fresh }) => {
  let where: TestLocation;
  let store: Store;
  let dataDir: string;
  const choose = (env: NodeJS.ProcessEnv, override?: 'keychain' | 'database' | 'file') =>
    chooseSecretStore({ storeKind: kind, dataDir, db: store.db, env, ...(override ? { override } : {}) });

  beforeEach(async () => {
    where = await fresh();
    store = await openStore(where.location);
    dataDir = mkdtempSync(join(tmpdir(), 'canopy-choose-'));
  });
  afterEach(async () => {
    await store.close();
    await where.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  if (kind === 'postgres') {
    it('uses the database, with CANOPY_SECRET_KEY', async () => {
      const secrets = await choose({ CANOPY_SECRET_KEY: key });
      expect(secrets.describe()).toEqual({ kind: 'database', description: 'the database, encrypted with CANOPY_SECRET_KEY (AES-256-GCM)' });
    });

    it('without CANOPY_SECRET_KEY, fails and says how to make one', async () => {
      await expect(choose({})).rejects.toThrow(/CANOPY_SECRET_KEY is not set.*`openssl rand -base64 32`/);
    });

    it('warns when forced to keep secrets on this machine', async () => {
      const secrets = await choose({ CANOPY_SECRETS_BACKEND: 'file' });
      expect(secrets.kind).toBe('file');
      expect(secrets.describe().warning).toMatch(/other Canopy instances using this PostgreSQL database cannot read them/);
    });
  } else {
    it.skipIf(noKeychain)('uses the OS keychain when one is reachable', async () => {
      const secrets = await choose({});
      expect(secrets).toBeInstanceOf(KeychainSecretStore);
      expect(secrets.describe().warning).toBeUndefined();
    });

    it.skipIf(noKeychain)('moves secrets kept in the file fallback into the keychain', async () => {
      const ref = `test/${randomBytes(6).toString('hex')}/bearer_token`;
      const file = new FileSecretStore(dataDir);
      await file.set(ref, 'kept while no keychain was reachable');
      const secrets = await choose({});
      expect(secrets.kind).toBe('keychain');
      expect(await secrets.get(ref)).toBe('kept while no keychain was reachable');
      expect(await file.entries()).toEqual([]);
      await secrets.delete(ref);
    });

    it.skipIf(noKeychain)('warns, and still starts, when the file fallback cannot be read', async () => {
      const file = new FileSecretStore(dataDir);
      await file.set('a', 'one');
      writeFileSync(file.path, 'not json');
      const secrets = await choose({});
      expect(secrets.kind).toBe('keychain');
      expect(secrets.describe().warning).toBe(
        `secrets kept in ${file.path} could not be moved into the OS keychain: ${file.path} is not valid JSON: restore it from a backup, or delete it and register the servers again`,
      );
    });

    it('uses the database when asked, if CANOPY_SECRET_KEY is set', async () => {
      expect((await choose({ CANOPY_SECRETS_BACKEND: 'database', CANOPY_SECRET_KEY: key })).kind).toBe('database');
      await expect(choose({ CANOPY_SECRETS_BACKEND: 'database' })).rejects.toThrow(/CANOPY_SECRET_KEY is not set/);
    });
  }

  it('honours CANOPY_SECRETS_BACKEND, and `override` over it', async () => {
    const file = await choose({ CANOPY_SECRETS_BACKEND: 'file' });
    expect(file).toBeInstanceOf(FileSecretStore);
    expect(file.describe().description).toBe(`an encrypted file at ${join(dataDir, 'secrets', 'secrets.json')} (key in ${join(dataDir, 'secrets', 'secrets.key')})`);
    expect((await choose({ CANOPY_SECRETS_BACKEND: 'file', CANOPY_SECRET_KEY: key }, 'database')).kind).toBe('database');
    // Choosing makes no files: they appear with the first secret.
    expect(existsSync(join(dataDir, 'secrets'))).toBe(false);
  });

  it('refuses an unknown CANOPY_SECRETS_BACKEND', async () => {
    await expect(choose({ CANOPY_SECRETS_BACKEND: 'vault' })).rejects.toThrow("CANOPY_SECRETS_BACKEND must be one of keychain, database, file (got 'vault')");
  });
});
