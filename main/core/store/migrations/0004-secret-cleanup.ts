import type { Kysely, Migration } from 'kysely';

/** Secret refs that may no longer be referenced (a write in progress, or replaced/removed ones): collected at start. */
export const m0004_secret_cleanup: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('secret_cleanup')
      .addColumn('ref', 'text', (c) => c.primaryKey())
      .addColumn('since', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('secret_cleanup').execute();
  },
};
