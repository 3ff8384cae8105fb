import type { Kysely, Migration } from 'kysely';

/** A server's alias (its prefix on aggregated views) in its own column, unique (NULLs do not clash). */
export const m0005_server_alias: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('servers').addColumn('alias', 'text').execute();
    await db.schema.createIndex('servers_alias').unique().on('servers').column('alias').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('servers_alias').execute();
    await db.schema.alterTable('servers').dropColumn('alias').execute();
  },
};
