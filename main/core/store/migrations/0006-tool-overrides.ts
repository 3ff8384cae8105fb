import type { Kysely, Migration } from 'kysely';

/** Per-tool overrides beside the enable switch: the name and description clients see (NULL: the upstream's). */
export const m0006_tool_overrides: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('item_settings').addColumn('name_override', 'text').execute();
    await db.schema.alterTable('item_settings').addColumn('description_override', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('item_settings').dropColumn('description_override').execute();
    await db.schema.alterTable('item_settings').dropColumn('name_override').execute();
  },
};
