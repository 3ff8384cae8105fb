import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export type ItemKind = 'tool' | 'prompt';

/** What the user changed of a tool; a field left out keeps the upstream's. */
export interface ToolOverride {
  name?: string;
  description?: string;
}

export interface ItemSetting {
  server: string;
  kind: ItemKind;
  name: string;
  enabled: boolean;
  /** Tools only; absent when nothing is overridden. */
  override?: ToolOverride;
}

/** Per-tool and per-prompt enable switches, and tool overrides. Items without a row are enabled and as the upstream lists them. */
export class ItemSettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ItemSetting[]> {
    const rows = await this.db.selectFrom('item_settings').selectAll().orderBy('server_name').orderBy('item_name').execute();
    return rows.map((row) => {
      const override: ToolOverride = {
        ...(row.name_override !== null ? { name: row.name_override } : {}),
        ...(row.description_override !== null ? { description: row.description_override } : {}),
      };
      return {
        server: row.server_name,
        kind: row.kind,
        name: row.item_name,
        enabled: row.enabled === 1,
        ...(Object.keys(override).length > 0 ? { override } : {}),
      };
    });
  }

  async set(server: string, kind: ItemKind, name: string, enabled: boolean): Promise<void> {
    await this.db
      .insertInto('item_settings')
      .values({ server_name: server, kind, item_name: name, enabled: enabled ? 1 : 0, name_override: null, description_override: null })
      .onConflict((oc) => oc.columns(['server_name', 'kind', 'item_name']).doUpdateSet({ enabled: enabled ? 1 : 0 }))
      .execute();
  }

  /** Replaces a tool's name and description overrides (absent fields: the upstream's), keeping its switch. */
  async setOverride(server: string, name: string, override: ToolOverride): Promise<void> {
    const values = { name_override: override.name ?? null, description_override: override.description ?? null };
    await this.db
      .insertInto('item_settings')
      .values({ server_name: server, kind: 'tool', item_name: name, enabled: 1, ...values })
      .onConflict((oc) => oc.columns(['server_name', 'kind', 'item_name']).doUpdateSet(values))
      .execute();
  }
}
