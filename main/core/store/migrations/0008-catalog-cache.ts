import type { Kysely, Migration } from 'kysely';

/**
 * The last catalog each server offered (tools, prompts, resources, templates and what initialize
 * said), so a stdio server asleep, or not started since the gateway started, is listed without
 * running. It goes with the server (ON DELETE CASCADE); `launch` fingerprints the command it was
 * learned from, so a catalog of a changed command is never listed.
 */
export const m0008_catalog_cache: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('catalog_cache')
      .addColumn('server_name', 'text', (c) => c.primaryKey().references('servers.name').onDelete('cascade'))
      .addColumn('launch', 'text', (c) => c.notNull())
      .addColumn('catalog', 'text', (c) => c.notNull())
      .addColumn('learned_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('catalog_cache').execute();
  },
};
