import type { Kysely } from 'kysely';
import type { Database, ToolGroupsTable } from './schema.ts';

/** A tool group: whole servers, single tools/prompts (`server__name`), and exclusions (which win). */
export interface ToolGroupRecord {
  name: string;
  description: string;
  includedServers: string[];
  includedTools: string[];
  excludedTools: string[];
  createdAt: string;
  updatedAt: string;
}

export type ToolGroupContent = Omit<ToolGroupRecord, 'createdAt' | 'updatedAt'>;

function toRecord(row: ToolGroupsTable): ToolGroupRecord {
  return {
    name: row.name,
    description: row.description,
    includedServers: JSON.parse(row.included_servers) as string[],
    includedTools: JSON.parse(row.included_tools) as string[],
    excludedTools: JSON.parse(row.excluded_tools) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const columns = (group: ToolGroupContent) => ({
  description: group.description,
  included_servers: JSON.stringify(group.includedServers),
  included_tools: JSON.stringify(group.includedTools),
  excluded_tools: JSON.stringify(group.excludedTools),
});

export class ToolGroupRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ToolGroupRecord[]> {
    return (await this.db.selectFrom('tool_groups').selectAll().orderBy('name').execute()).map(toRecord);
  }

  async get(name: string): Promise<ToolGroupRecord | undefined> {
    const row = await this.db.selectFrom('tool_groups').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async insert(group: ToolGroupContent): Promise<void> {
    const now = new Date().toISOString();
    await this.db.insertInto('tool_groups').values({ name: group.name, ...columns(group), created_at: now, updated_at: now }).execute();
  }

  /** Returns false when no group has that name. */
  async replace(group: ToolGroupContent): Promise<boolean> {
    const result = await this.db
      .updateTable('tool_groups')
      .set({ ...columns(group), updated_at: new Date().toISOString() })
      .where('name', '=', group.name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Takes a server out of every group (the whole server and its `server__name` items); returns the groups changed. */
  async removeServer(server: string): Promise<string[]> {
    const prefix = `${server}__`;
    const changed: string[] = [];
    for (const group of await this.list()) {
      const keep = (name: string) => !name.startsWith(prefix);
      const next = {
        ...group,
        includedServers: group.includedServers.filter((name) => name !== server),
        includedTools: group.includedTools.filter(keep),
        excludedTools: group.excludedTools.filter(keep),
      };
      if (JSON.stringify(columns(next)) === JSON.stringify(columns(group))) continue;
      await this.replace(next);
      changed.push(group.name);
    }
    return changed;
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('tool_groups').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
