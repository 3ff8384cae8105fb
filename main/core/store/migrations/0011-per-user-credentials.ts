import type { Kysely, Migration } from 'kysely';

/**
 * Per-user upstream credentials: which user connected which "per_user" server, how (a personal
 * token or OAuth), and for which destination. The credential itself lives in the SecretStore, never
 * here. A row goes with its user and its server (ON DELETE CASCADE); `destination` fingerprints the
 * server URL it was given for, so a credential never follows a changed URL.
 */
export const m0011_per_user_credentials: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('user_credentials')
      .addColumn('user_name', 'text', (c) => c.notNull().references('users.name').onDelete('cascade'))
      .addColumn('server_name', 'text', (c) => c.notNull().references('servers.name').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_credentials_pk', ['user_name', 'server_name'])
      .execute();
    await db.schema.createIndex('user_credentials_server').on('user_credentials').column('server_name').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('user_credentials').execute();
  },
};
