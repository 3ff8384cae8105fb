import type { Kysely, Migration } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * Enterprise mode: users and MCP clients (tokens kept only as SHA-256 hashes), tool groups, and the
 * audit log.
 */
export const m0003_enterprise: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('users')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_expires_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('mcp_clients')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('allow_list', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_expires_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tool_groups')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('included_servers', 'text', (c) => c.notNull())
      .addColumn('included_tools', 'text', (c) => c.notNull())
      .addColumn('excluded_tools', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // The one column type the two databases spell differently: an auto-incrementing key.
    const postgres = isPostgres(db);
    await db.schema
      .createTable('audit_log')
      .addColumn('id', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('server', 'text')
      .addColumn('target', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('audit_log').execute();
    await db.schema.dropTable('tool_groups').execute();
    await db.schema.dropTable('mcp_clients').execute();
    await db.schema.dropTable('users').execute();
  },
};
