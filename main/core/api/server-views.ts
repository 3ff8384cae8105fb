// What the admin API (and the tray) shows of the registry: servers with their state, counts and
// redacted config, tools and prompts with their names and overrides, resources, the export. Built
// from the registry's slots and listed items on each request; nothing here is kept.
import type { Prompt, Tool } from '@modelcontextprotocol/server';
import { qualifiedName, qualifiedResourceUri } from '../config/names.ts';
import type { StoreLocation } from '../store/open.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { exportableConfig, redactSecrets } from '../secrets/secret-fields.ts';
import { exposedNames, isListed, prefixOf } from '../gateway/catalog.ts';
import { claimId } from '../gateway/exposed-names.ts';
import type { ListedItem, Registration, Registry } from '../registry/registry.ts';
import type { UpstreamSlot } from '../registry/upstream-supervisor.ts';
import { verdictFor } from '../registry/era-verdicts.ts';
import type {
  ExportView,
  LogsView,
  PromptView,
  RegisterServerResult,
  ResourceView,
  ServerView,
  StatusView,
  ToolOverrideView,
  ToolView,
} from './contract.ts';

export interface ServerViewsOptions {
  registry: Registry;
  store: StoreLocation;
  secrets: SecretStore;
  /** For status(): version, mode, URLs. */
  describe: () => Omit<StatusView, 'secrets' | 'store'>;
}

function idleState({ record, launchError }: Readonly<UpstreamSlot>): ServerView['state'] {
  return launchError ? { status: 'error', crashes: 0, lastError: launchError, since: record.updatedAt } : { status: 'stopped', crashes: 0, since: record.updatedAt };
}

export function serverView(slot: Readonly<UpstreamSlot>): ServerView {
  const { record, connection } = slot;
  const catalog = connection?.catalog;
  const era = connection?.era ?? verdictFor(slot.era, record.config);
  return {
    name: record.name,
    transport: record.transport,
    description: record.description,
    enabled: record.enabled,
    state: connection?.state ?? idleState(slot),
    protocolEra: era?.era ?? null,
    protocolEraCheckedAt: era?.checkedAt ?? null,
    toolCount: catalog?.tools.length ?? 0,
    promptCount: catalog?.prompts.length ?? 0,
    resourceCount: (catalog?.resources.length ?? 0) + (catalog?.resourceTemplates.length ?? 0),
    config: redactSecrets(record.config),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

export function registrationView({ slot, ...rest }: Registration): RegisterServerResult {
  return { server: serverView(slot), ...rest };
}

/** What tools and prompts share: the names, the server, the switch. */
function itemFields({ name, server, originalName, serverEndpointName, enabled }: ListedItem<Tool | Prompt>) {
  return { name, server, originalName, serverEndpointName, enabled };
}

export class ServerViews {
  constructor(private readonly options: ServerViewsOptions) {}

  private get registry(): Registry {
    return this.options.registry;
  }

  async status(): Promise<StatusView> {
    const location = this.options.store;
    return {
      ...this.options.describe(),
      store: {
        kind: location.kind,
        description: location.kind === 'sqlite' ? `SQLite at ${location.path}` : 'PostgreSQL',
      },
      secrets: this.options.secrets.describe(),
    };
  }

  async listServers(): Promise<ServerView[]> {
    return this.registry.slots().map(serverView);
  }

  async getServer(name: string): Promise<ServerView> {
    return serverView(this.registry.requireSlot(name));
  }

  serverLogs(name: string): LogsView {
    return { lines: this.registry.requireSlot(name).connection?.logLines() ?? [] };
  }

  listTools(server?: string): ToolView[] {
    return this.registry.listedItems('tool', server).map((item) => this.toolView(item));
  }

  getTool(name: string): ToolView {
    return this.toolView(this.registry.resolveItem('tool', name));
  }

  listPrompts(server?: string): PromptView[] {
    return this.registry.listedItems('prompt', server).map(promptView);
  }

  /** A tool or prompt after its switch was set (`item` as found before): a tool as it is listed now. */
  switchedItem(item: ListedItem<Tool | Prompt>, kind: 'tool' | 'prompt', enabled: boolean): ToolView | PromptView {
    return kind === 'tool' ? this.getTool(qualifiedName(item.server, item.originalName)) : { ...promptView(item as ListedItem<Prompt>), enabled };
  }

  private toolView(listed: ListedItem<Tool>): ToolView {
    const tool = listed.item;
    return {
      ...this.overrideFields(listed.server, tool),
      title: tool.title ?? tool.annotations?.title,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
      ...itemFields(listed),
    };
  }

  /** A tool's description as clients see it, and what the user overrode. */
  private overrideFields(server: string, tool: Tool): Pick<ToolView, 'description' | 'override' | 'upstreamDescription'> {
    const override = this.registry.toolOverride(server, tool.name);
    if (!override) return { description: tool.description };
    return {
      description: override.description ?? tool.description,
      override,
      ...(override.description !== undefined ? { upstreamDescription: tool.description } : {}),
    };
  }

  /** Every tool with an override or hidden, and whether its server still lists it (the names of the others are fine). */
  listOverrides(server?: string): ToolOverrideView[] {
    const adjusted = this.registry.adjustedTools(server);
    const names = exposedNames(this.registry, 'tool', undefined, { hidden: true });
    const views: ToolOverrideView[] = [];
    for (const { server: owner, tool, override = {}, hidden } of adjusted) {
      const listedAs = names.get(claimId(owner, tool));
      const view: ToolOverrideView = { server: owner, tool, ...override, hidden, ...(listedAs !== undefined ? { listedAs } : {}) };
      const record = this.registry.requireSlot(owner).record;
      const connection = this.registry.connection(owner);
      const catalog = record.enabled && isListed(connection) ? connection!.catalog : undefined;
      if (catalog && !catalog.tools.some((t) => t.name === tool)) {
        view.problem = `the override of tool '${tool}' refers to a tool server '${owner}' no longer lists: clear it with \`canopy tool override ${qualifiedName(owner, tool)} --clear\``;
      } else if (listedAs !== undefined && override.name !== undefined && listedAs !== qualifiedName(prefixOf(this.registry.server(owner)!), override.name)) {
        view.problem = `the name '${override.name}' is taken by another tool of server '${owner}', so tool '${tool}' is listed as '${listedAs}': choose another name`;
      }
      views.push(view);
    }
    return views.sort((a, b) => a.server.localeCompare(b.server) || a.tool.localeCompare(b.tool));
  }

  /** One tool's overrides after a change (as set, when its server does not list it now). */
  override({ server, tool, hidden }: { server: string; tool: string; hidden: boolean }): ToolOverrideView {
    return this.listOverrides(server).find((view) => view.tool === tool) ?? { server, tool, hidden };
  }

  listResources(server?: string): ResourceView[] {
    return this.registry.listedCatalogs(server).flatMap(({ name, catalog }) => [
      ...catalog.resources.map((r) => ({
        uri: qualifiedResourceUri(name, r.uri),
        server: name,
        originalUri: r.uri,
        name: r.name,
        title: r.title,
        description: r.description,
        mimeType: r.mimeType,
        template: false,
      })),
      ...catalog.resourceTemplates.map((t) => ({
        uri: qualifiedResourceUri(name, t.uriTemplate),
        server: name,
        originalUri: t.uriTemplate,
        name: t.name,
        title: t.title,
        description: t.description,
        mimeType: t.mimeType,
        template: true,
      })),
    ]);
  }

  exportServers(): ExportView {
    return {
      servers: this.registry.slots().map(({ record }) => ({ ...exportableConfig(record.config), enabled: record.enabled })),
    };
  }
}

function promptView(listed: ListedItem<Prompt>): PromptView {
  const prompt = listed.item;
  return { title: prompt.title, description: prompt.description, arguments: prompt.arguments, ...itemFields(listed) };
}
