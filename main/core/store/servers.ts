import type { Kysely } from 'kysely';
import type { Database, ServersTable } from './schema.ts';
import type { ServerConfig, Transport } from '../config/server-config.ts';

/** A registered server. `config` holds SecretStore references in place of secret values. */
export interface ServerRecord {
  name: string;
  transport: Transport;
  description: string;
  config: ServerConfig;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function toRecord(row: ServersTable): ServerRecord {
  return {
    name: row.name,
    transport: row.transport as Transport,
    description: row.description,
    config: JSON.parse(row.config) as ServerConfig,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ServerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ServerRecord[]> {
    const rows = await this.db.selectFrom('servers').selectAll().orderBy('name').execute();
    return rows.map(toRecord);
  }

  async get(name: string): Promise<ServerRecord | undefined> {
    const row = await this.db.selectFrom('servers').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async insert(config: ServerConfig, enabled = true): Promise<ServerRecord> {
    const now = new Date().toISOString();
    const row: ServersTable = {
      name: config.name,
      alias: config.alias ?? null,
      transport: config.transport,
      description: config.description ?? '',
      config: JSON.stringify(config),
      enabled: enabled ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('servers').values(row).execute();
    return toRecord(row);
  }

  /** Replaces a server's config, keeping its enabled state and creation time. */
  async replaceConfig(config: ServerConfig): Promise<void> {
    await this.db
      .updateTable('servers')
      .set({
        alias: config.alias ?? null,
        transport: config.transport,
        description: config.description ?? '',
        config: JSON.stringify(config),
        updated_at: new Date().toISOString(),
      })
      .where('name', '=', config.name)
      .execute();
  }

  /** Returns false when no server has that name. */
  async setEnabled(name: string, enabled: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('servers')
      .set({ enabled: enabled ? 1 : 0, updated_at: new Date().toISOString() })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Returns false when no server has that name. Item settings go with it (ON DELETE CASCADE). */
  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('servers').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
