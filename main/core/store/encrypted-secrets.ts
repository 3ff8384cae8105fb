import type { Kysely } from 'kysely';
import type { Database, SecretsTable } from './schema.ts';

const KDF_SALT_SETTING = 'secrets.kdf_salt';

/** Rows of the encrypted-in-database SecretStore. Values arrive here sealed; this never sees plaintext. */
export class EncryptedSecretsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(ref: string): Promise<SecretsTable | undefined> {
    return this.db.selectFrom('secrets').selectAll().where('ref', '=', ref).executeTakeFirst();
  }

  async put(row: SecretsTable): Promise<void> {
    const { ref, ...sealed } = row;
    await this.db
      .insertInto('secrets')
      .values(row)
      .onConflict((oc) => oc.column('ref').doUpdateSet(sealed))
      .execute();
  }

  async delete(ref: string): Promise<void> {
    await this.db.deleteFrom('secrets').where('ref', '=', ref).execute();
  }

  /** Whether any secret was sealed with a key other than `keyId`. */
  async hasOtherKeys(keyId: string): Promise<boolean> {
    const row = await this.db.selectFrom('secrets').select('ref').where('key_id', '<>', keyId).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The database's salt for deriving a key from a passphrase. The first writer's `candidate` wins, so
   * replicas starting together still agree on one salt.
   */
  async kdfSalt(candidate: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key: KDF_SALT_SETTING, value: candidate })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', KDF_SALT_SETTING).executeTakeFirstOrThrow();
    return row.value;
  }
}
