import type { Kysely, Migration } from 'kysely';

export const m0001_initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('servers')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('transport', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('item_settings')
      .addColumn('server_name', 'text', (c) => c.notNull().references('servers.name').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('item_name', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('item_settings_pk', ['server_name', 'kind', 'item_name'])
      .execute();
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('settings').execute();
    await db.schema.dropTable('item_settings').execute();
    await db.schema.dropTable('servers').execute();
  },
};
