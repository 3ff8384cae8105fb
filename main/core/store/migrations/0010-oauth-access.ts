import type { Kysely, Migration } from 'kysely';

/**
 * What OAuth access tokens may reach: a user's own allow-list (entries as an MCP client's; every
 * existing user keeps everything, `["*"]`), and the rules administrators set per OAuth client
 * (by client ID or client ID metadata document URL). A token reaches what both allow.
 */
export const m0010_oauth_access: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('users').addColumn('allow_list', 'text', (c) => c.notNull().defaultTo('["*"]')).execute();
    await db.schema
      .createTable('oauth_client_rules')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('allow_list', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('oauth_client_rules').execute();
    await db.schema.alterTable('users').dropColumn('allow_list').execute();
  },
};
