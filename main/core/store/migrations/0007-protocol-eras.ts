import type { Kysely, Migration } from 'kysely';

/**
 * One protocol-era verdict per server (which MCP era it speaks, as a probe found), so a start skips
 * the probe. It goes with the server (ON DELETE CASCADE); `destination` fingerprints the URL or
 * command it was found for, so a verdict of a changed destination is never used.
 */
export const m0007_protocol_eras: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('protocol_eras')
      .addColumn('server_name', 'text', (c) => c.primaryKey().references('servers.name').onDelete('cascade'))
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('era', 'text', (c) => c.notNull())
      .addColumn('discover', 'text')
      .addColumn('checked_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('protocol_eras').execute();
  },
};
