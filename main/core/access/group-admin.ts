// Administration of tool groups (in both modes): named sets of tools, prompts and resources served
// at /groups/{name}/mcp and usable in allow-lists.
import { serverNameProblem, splitQualifiedName } from '../config/names.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import type { Store } from '../store/open.ts';
import type { ToolGroupContent, ToolGroupRecord } from '../store/tool-groups.ts';
import type { GroupConfig, GroupView } from '../model/groups.ts';
import { checkIdentityName } from './identity-admin.ts';

export interface GroupAdminOptions {
  store: Store;
  /** The group's MCP endpoint URL. */
  groupUrl: (name: string) => string;
  committed: () => Promise<void>;
}

function content(config: GroupConfig): ToolGroupContent {
  checkIdentityName(config.name, 'group');
  for (const server of config.included_servers ?? []) {
    const problem = serverNameProblem(server);
    if (problem) throw badRequest(`included_servers: '${server}' is not a server name: it ${problem}`);
  }
  for (const [field, names] of [['included_tools', config.included_tools], ['excluded_tools', config.excluded_tools]] as const) {
    for (const name of names ?? []) {
      if (!splitQualifiedName(name)) throw badRequest(`${field}: '${name}' is not a tool name: tool names have the form server__tool`);
    }
  }
  return {
    name: config.name,
    description: config.description ?? '',
    includedServers: [...new Set(config.included_servers ?? [])],
    includedTools: [...new Set(config.included_tools ?? [])],
    excludedTools: [...new Set(config.excluded_tools ?? [])],
  };
}

export class GroupAdmin {
  constructor(private readonly options: GroupAdminOptions) {}

  private view(group: ToolGroupRecord): GroupView {
    return { ...group, mcpUrl: this.options.groupUrl(group.name) };
  }

  async list(): Promise<GroupView[]> {
    return (await this.options.store.toolGroups.list()).map((g) => this.view(g));
  }

  async get(name: string): Promise<GroupView> {
    const group = await this.options.store.toolGroups.get(name);
    if (!group) throw notFound(`no group named '${name}': see \`canopy list groups\``);
    return this.view(group);
  }

  async create(config: GroupConfig): Promise<GroupView> {
    const group = content(config);
    await this.options.store.transaction(async (tx) => {
      if (await tx.toolGroups.get(group.name)) throw conflict(`a group named '${group.name}' exists: update it, or delete it first`);
      await tx.toolGroups.insert(group);
    });
    await this.options.committed();
    return this.get(group.name);
  }

  /** Replaces a group's contents. */
  async update(name: string, config: Omit<GroupConfig, 'name'>): Promise<GroupView> {
    const group = content({ ...config, name });
    if (!(await this.options.store.toolGroups.replace(group))) throw notFound(`no group named '${name}': see \`canopy list groups\``);
    await this.options.committed();
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    if (!(await this.options.store.toolGroups.delete(name))) throw notFound(`no group named '${name}': see \`canopy list groups\``);
    await this.options.committed();
  }
}
