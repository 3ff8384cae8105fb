// Secrets encrypted in the database (AES-256-GCM, key from CANOPY_SECRET_KEY): the default for a
// shared PostgreSQL store, so every replica given the same key reads the same secrets.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { EncryptedSecretsRepository } from '../store/encrypted-secrets.ts';
import { keyFingerprint, openSecret, sealSecret } from './secret-cipher.ts';
import { deriveKeyFromPassphrase, parseSecretKeySetting } from './secret-key.ts';
import { SecretStoreError, type SecretStore, type SecretStoreStatus } from './secret-store.ts';

const WRONG_KEY =
  'CANOPY_SECRET_KEY does not match the key these secrets were written with: set the CANOPY_SECRET_KEY they were written with (every Canopy sharing this database needs the same one)';

export class DatabaseSecretStore implements SecretStore {
  readonly kind = 'database';

  private constructor(
    private readonly rows: EncryptedSecretsRepository,
    private readonly key: Buffer,
    private readonly keyId: string,
  ) {}

  /** Reads the key from `secretKey` (CANOPY_SECRET_KEY) and refuses one the stored secrets were not written with. */
  static async open(db: Kysely<Database>, secretKey: string | undefined): Promise<DatabaseSecretStore> {
    const setting = parseSecretKeySetting(secretKey);
    const rows = new EncryptedSecretsRepository(db);
    const key =
      setting.kind === 'key'
        ? setting.key
        : await deriveKeyFromPassphrase(setting.passphrase, Buffer.from(await rows.kdfSalt(randomBytes(16).toString('base64')), 'base64'));
    const keyId = keyFingerprint(key);
    if (await rows.hasOtherKeys(keyId)) throw new SecretStoreError(WRONG_KEY);
    return new DatabaseSecretStore(rows, key, keyId);
  }

  describe(): SecretStoreStatus {
    return { kind: this.kind, description: 'the database, encrypted with CANOPY_SECRET_KEY (AES-256-GCM)' };
  }

  async get(ref: string): Promise<string | undefined> {
    const row = await this.rows.get(ref);
    if (!row) return undefined;
    if (row.key_id !== this.keyId) throw new SecretStoreError(WRONG_KEY);
    return openSecret(this.key, ref, row, 'the database');
  }

  async set(ref: string, value: string): Promise<void> {
    const sealed = sealSecret(this.key, ref, value);
    await this.rows.put({ ref, ...sealed, key_id: this.keyId, updated_at: new Date().toISOString() });
  }

  async delete(ref: string): Promise<void> {
    await this.rows.delete(ref);
  }
}
