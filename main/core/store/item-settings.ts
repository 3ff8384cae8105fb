import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export type ItemKind = 'tool' | 'prompt';

export interface ItemSetting {
  server: string;
  kind: ItemKind;
  name: string;
  enabled: boolean;
}

/** What the user changed of a tool; a field left out keeps the upstream's. */
export interface ToolOverride {
  name?: string;
  description?: string;
}

/** Per-tool and per-prompt enable switches. Items without a row are enabled. */
export class ItemSettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ItemSetting[]> {
    const rows = await this.db.selectFrom('item_settings').selectAll().orderBy('server_name').orderBy('item_name').execute();
    return rows.map((row) => ({ server: row.server_name, kind: row.kind, name: row.item_name, enabled: row.enabled === 1 }));
  }

  async set(server: string, kind: ItemKind, name: string, enabled: boolean): Promise<void> {
    await this.db
      .insertInto('item_settings')
      .values({ server_name: server, kind, item_name: name, enabled: enabled ? 1 : 0 })
      .onConflict((oc) => oc.columns(['server_name', 'kind', 'item_name']).doUpdateSet({ enabled: enabled ? 1 : 0 }))
      .execute();
  }
}
