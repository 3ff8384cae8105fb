import type { Kysely, Migration } from 'kysely';

/** The encrypted-in-database SecretStore backend: one AES-256-GCM sealed value per ref. */
export const m0002_secrets: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('secrets')
      .addColumn('ref', 'text', (c) => c.primaryKey())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('iv', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('secrets').execute();
  },
};
