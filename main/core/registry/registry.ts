// The registry service: registered servers, their switches, their connections. Every admin
// operation (API, tray, window) goes through here; it writes the store transactionally, keeps the
// in-memory picture the gateway routes by, and tells listeners what changed.
import { EventEmitter } from 'node:events';
import { parseServerConfig, sameServerConfig, type ServerConfig } from '../config/server-config.ts';
import { isExposableName, MAX_EXPOSED_NAME_LENGTH, qualifiedName, qualifiedResourceUri, splitQualifiedName } from '../config/names.ts';
import { badRequest, conflict, notFound, upstreamError } from '../errors.ts';
import type { Store } from '../store/open.ts';
import type { ServerRecord } from '../store/servers.ts';
import { isUniqueViolation } from '../store/dialect.ts';
import type { ItemKind, ItemSetting, ToolOverride } from '../store/item-settings.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { deleteUnreferencedSecrets, secretsCommitted, writeNewSecrets } from '../secrets/orphan-secrets.ts';
import { exportableConfig, keepRedactedSecrets, redactSecrets, resolveSecrets, secretRefs, splitSecrets } from '../secrets/secret-fields.ts';
import type { CatalogServer, CatalogSource } from '../gateway/catalog.ts';
import { exposedNames, isListed, prefixOf } from '../gateway/catalog.ts';
import { claimId } from '../gateway/exposed-names.ts';
import type { EraVerdict, UpstreamConnection } from '../upstream/types.ts';
import type { StoredEraVerdict } from '../store/protocol-eras.ts';
import { eraDestination, freshVerdict, storedVerdict, verdictFor } from './era-verdicts.ts';
import type { Prompt, Tool } from '@modelcontextprotocol/server';
import type {
  AuthorizeResult,
  CatalogItemView,
  DeregisterServerResult,
  ExportView,
  LogsView,
  PromptView,
  RegisterServerResult,
  ResourceView,
  ServerView,
  StatusView,
  ToolOverrideBody,
  ToolOverrideView,
  ToolView,
} from '../api/contract.ts';
import type { Logger } from '../telemetry/logger.ts';

export interface RegistryEvents {
  /** Anything a listener may show changed: registry contents, a switch, a state, a catalog. */
  changed: [];
}

/** How the registry makes and runs connections (the upstream layer, OAuth included). */
export interface ConnectionFactory {
  /** `priorEra`: a fresh stored verdict, so the connection skips the era probe. */
  create(config: ServerConfig, options?: { priorEra?: EraVerdict }): UpstreamConnection;
  /** Starts OAuth for a server; returns the URL the user opens. */
  startAuthorization(config: ServerConfig): Promise<string>;
  /** Deletes what OAuth stored for a server (tokens, client registration). */
  forgetAuthorization(server: string): Promise<void>;
  /** Static credential notes for the user (e.g. a header overriding bearer_token). */
  credentialWarnings(config: ServerConfig): string[];
  /** Whether a remote server speaks streamable HTTP or the older HTTP+SSE transport. */
  detectTransport(config: ServerConfig): Promise<'streamable_http' | 'sse'>;
}

export interface RegistryOptions {
  store: Store;
  secrets: SecretStore;
  connections: ConnectionFactory;
  logger: Logger;
  /** For status(): version, mode, URLs. */
  describe: () => Omit<StatusView, 'secrets' | 'store'>;
  /** How long a registration waits for the upstream's first start. */
  registrationTimeoutMs?: number;
  /** Called after each committed write (so other replicas can reload). */
  onCommitted?: () => void;
  /** Called after a deregistration took the server out of tool groups (access must reload). */
  onGroupsChanged?: () => Promise<void>;
}

/** Whether a registration body's config names its transport (else a remote one is detected). */
function givesTransport(config: unknown): boolean {
  return typeof config === 'object' && config !== null && (config as { transport?: unknown }).transport !== undefined;
}

function catalogServer(record: ServerRecord): CatalogServer {
  return { name: record.name, enabled: record.enabled, ...(record.config.alias !== undefined ? { alias: record.config.alias } : {}) };
}

const itemKey = (server: string, kind: ItemKind, name: string) => `${server}\u0000${kind}\u0000${name}`;

export class Registry extends EventEmitter<RegistryEvents> implements CatalogSource {
  private readonly records = new Map<string, ServerRecord>();
  private readonly disabledItems = new Set<string>();
  /** Tool overrides by itemKey, kept while the upstream refreshes its list (keyed by its own name). */
  private readonly overrides = new Map<string, ToolOverride>();
  private readonly live = new Map<string, UpstreamConnection>();
  private readonly generations = new Map<string, number>();
  /** Why a server has no connection, when its launch failed before one was made. */
  private readonly launchErrors = new Map<string, string>();
  /** Takes the registry's own listeners off each connection it attached. */
  private readonly unwatch = new Map<UpstreamConnection, () => void>();
  /** The protocol-era verdicts as stored (shown while a server has no connection that knows its era). */
  private readonly eras = new Map<string, StoredEraVerdict>();

  constructor(private readonly options: RegistryOptions) {
    super();
    // Every call waiting for a (re)starting server listens for 'changed' until it settles (bounded).
    this.setMaxListeners(0);
  }

  // ---- CatalogSource ----

  *servers(): Iterable<CatalogServer> {
    for (const record of [...this.records.values()].sort((a, b) => a.name.localeCompare(b.name))) yield catalogServer(record);
  }

  server(name: string): CatalogServer | undefined {
    const record = this.records.get(name);
    return record && catalogServer(record);
  }

  serverByPrefix(prefix: string): CatalogServer | undefined {
    const record = this.recordByPrefix(prefix);
    return record && catalogServer(record);
  }

  connection(name: string): UpstreamConnection | undefined {
    return this.live.get(name);
  }

  isItemEnabled(server: string, kind: ItemKind, name: string): boolean {
    return !this.disabledItems.has(itemKey(server, kind, name));
  }

  toolOverride(server: string, name: string): ToolOverride | undefined {
    return this.overrides.get(itemKey(server, 'tool', name));
  }

  /** The switches and overrides as stored. */
  private applyItemSettings(items: ItemSetting[]): void {
    this.disabledItems.clear();
    this.overrides.clear();
    for (const item of items) {
      const key = itemKey(item.server, item.kind, item.name);
      if (!item.enabled) this.disabledItems.add(key);
      if (item.override) this.overrides.set(key, item.override);
    }
  }

  // ---- lifecycle ----

  /** Loads the registry from the store and starts every enabled server (in the background). */
  async load(): Promise<void> {
    const [records, items, eras] = await Promise.all([this.options.store.servers.list(), this.options.store.itemSettings.list(), this.options.store.protocolEras.list()]);
    this.replaceEras(eras);
    this.records.clear();
    for (const record of records) this.records.set(record.name, record);
    this.applyItemSettings(items);
    for (const record of records) {
      if (record.enabled) void this.launch(record).catch((error) => this.logStartFailure(record.name, error));
    }
  }

  /**
   * Reads the store again after another replica changed it, and reconciles: new servers start,
   * removed ones stop, changed ones (config replaced, enabled toggled) restart; the rest are left
   * alone, their sessions and processes undisturbed.
   */
  async reload(): Promise<void> {
    const [records, items, eras] = await Promise.all([this.options.store.servers.list(), this.options.store.itemSettings.list(), this.options.store.protocolEras.list()]);
    this.replaceEras(eras);
    const next = new Map(records.map((record) => [record.name, record]));
    const work: Promise<unknown>[] = [];
    for (const name of this.records.keys()) {
      if (!next.has(name)) work.push(this.detach(name));
    }
    for (const record of records) {
      const previous = this.records.get(record.name);
      const changed = !previous || previous.updatedAt !== record.updatedAt || JSON.stringify(previous.config) !== JSON.stringify(record.config);
      // Unchanged servers are left alone, unless they wait for an authorization another replica may have finished.
      const waiting = this.live.get(record.name)?.state.status === 'needs_authorization';
      if (!changed && !waiting && (this.live.has(record.name) || !record.enabled)) continue;
      work.push(
        this.detach(record.name).then(() =>
          record.enabled ? this.launch(record).catch((error) => this.logStartFailure(record.name, error)) : undefined,
        ),
      );
    }
    this.records.clear();
    for (const record of records) this.records.set(record.name, record);
    this.applyItemSettings(items);
    this.emit('changed');
    // Starting servers is the upstream's business; the reload is done once the picture is right.
    void Promise.allSettled(work);
  }

  private replaceEras(eras: Map<string, StoredEraVerdict>): void {
    this.eras.clear();
    for (const [server, verdict] of eras) this.eras.set(server, verdict);
  }

  private committed(): void {
    this.options.onCommitted?.();
  }

  /** Stops every connection (children killed), in parallel. */
  async stopAll(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    for (const name of all.map((c) => c.name)) this.nextGeneration(name);
    await Promise.allSettled(all.map((c) => this.release(c)));
  }

  private logStartFailure(name: string, error: unknown): void {
    const reason = (error as Error).message;
    this.options.logger.warn({ server: name, reason }, 'server did not start');
    // Failing before any connection exists (e.g. a secret missing from the store) is shown as the server's error.
    if (!this.live.has(name)) {
      this.launchErrors.set(name, reason);
      this.emit('changed');
    }
  }

  /**
   * Starts a new generation of a server's connection: a launch still resolving its secrets from an
   * older one (the server was disabled, removed or relaunched meanwhile) then gives up.
   */
  private nextGeneration(name: string): number {
    const generation = (this.generations.get(name) ?? 0) + 1;
    this.generations.set(name, generation);
    return generation;
  }

  private attach(connection: UpstreamConnection): void {
    this.launchErrors.delete(connection.name);
    const previous = this.live.get(connection.name);
    if (previous && previous !== connection) void this.release(previous);
    this.live.set(connection.name, connection);
    const changed = () => {
      if (this.live.get(connection.name) === connection) this.emit('changed');
    };
    const era = (verdict: EraVerdict) => void this.saveEra(connection, verdict);
    connection.on('state', changed);
    connection.on('catalog', changed);
    connection.on('era', era);
    this.unwatch.set(connection, () => {
      connection.off('state', changed);
      connection.off('catalog', changed);
      connection.off('era', era);
    });
  }

  /** Keeps the verdict a probe of the live connection found (other replicas starting the server use it). */
  private async saveEra(connection: UpstreamConnection, verdict: EraVerdict): Promise<void> {
    if (this.live.get(connection.name) !== connection || !this.records.has(connection.name)) return;
    const stored = storedVerdict(verdict, connection.config);
    this.eras.set(connection.name, stored);
    this.emit('changed');
    try {
      await this.options.store.protocolEras.save(connection.name, stored);
    } catch (error) {
      this.options.logger.warn({ server: connection.name, reason: (error as Error).message }, 'could not store the protocol era; the server is probed again at its next start');
    }
  }

  /** The stored verdict a start may use instead of probing (none when the database cannot say). */
  private async priorEra(record: ServerRecord): Promise<EraVerdict | undefined> {
    try {
      const stored = await this.options.store.protocolEras.get(record.name);
      if (stored) this.eras.set(record.name, stored);
      else this.eras.delete(record.name);
      return freshVerdict(stored, record.config);
    } catch (error) {
      this.options.logger.warn({ server: record.name, reason: (error as Error).message }, 'could not read the stored protocol era; probing the server');
      return undefined;
    }
  }

  /** Stops a connection after removing only the registry's own listeners (waiting callers still hear it stop). */
  private async release(connection: UpstreamConnection): Promise<void> {
    this.unwatch.get(connection)?.();
    this.unwatch.delete(connection);
    await connection.stop();
  }

  private async detach(name: string): Promise<void> {
    this.nextGeneration(name);
    this.launchErrors.delete(name);
    const connection = this.live.get(name);
    this.live.delete(name);
    if (connection) await this.release(connection);
  }

  /** Creates the connection for a stored record and starts it (unless superseded meanwhile). */
  private async launch(record: ServerRecord): Promise<UpstreamConnection | undefined> {
    const generation = this.nextGeneration(record.name);
    const [config, priorEra] = await Promise.all([resolveSecrets(record.config, this.options.secrets), this.priorEra(record)]);
    if (this.generations.get(record.name) !== generation || !this.records.get(record.name)?.enabled) return undefined;
    const connection = this.options.connections.create(config, { priorEra });
    this.attach(connection);
    this.emit('changed');
    try {
      await connection.start();
    } catch (error) {
      // Stopped or replaced while starting: not a failure of the server.
      if (this.live.get(record.name) !== connection) return undefined;
      throw error;
    }
    return connection;
  }

  // ---- reads ----

  private requireRecord(name: string): ServerRecord {
    const record = this.records.get(name);
    if (!record) throw notFound(`no server named '${name}' is registered: see \`canopy list servers\``);
    return record;
  }

  private idleState(record: ServerRecord): ServerView['state'] {
    const lastError = this.launchErrors.get(record.name);
    return lastError ? { status: 'error', crashes: 0, lastError, since: record.updatedAt } : { status: 'stopped', crashes: 0, since: record.updatedAt };
  }

  private view(record: ServerRecord): ServerView {
    const connection = this.live.get(record.name);
    const catalog = connection?.catalog;
    const era = connection?.era ?? verdictFor(this.eras.get(record.name), record.config);
    return {
      name: record.name,
      transport: record.transport,
      description: record.description,
      enabled: record.enabled,
      state: connection?.state ?? this.idleState(record),
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

  async status(): Promise<StatusView> {
    const location = this.options.store.location;
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
    return [...this.records.values()].sort((a, b) => a.name.localeCompare(b.name)).map((r) => this.view(r));
  }

  async getServer(name: string): Promise<ServerView> {
    return this.view(this.requireRecord(name));
  }

  serverLogs(name: string): LogsView {
    this.requireRecord(name);
    return { lines: this.live.get(name)?.logLines() ?? [] };
  }

  /** Servers whose catalogs the admin lists show: one server, or all. */
  private catalogs(server: string | undefined) {
    if (server !== undefined) this.requireRecord(server);
    const out: { name: string; connection: UpstreamConnection }[] = [];
    for (const record of this.records.values()) {
      if (server !== undefined && record.name !== server) continue;
      const connection = this.live.get(record.name);
      if (record.enabled && connection && isListed(connection)) out.push({ name: record.name, connection });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * One kind's items of the listed servers with what they share: the name on aggregated views and
   * on the server's own endpoint (hidden items get the name they would have if shown), the upstream's
   * name, the switch; `details` adds the rest.
   */
  private catalogItems<T extends { name: string }, V>(
    kind: ItemKind,
    server: string | undefined,
    details: (item: T, server: string) => V,
  ): (V & CatalogItemView)[] {
    const catalogs = this.catalogs(server);
    const aggregated = exposedNames(this, kind, undefined, { hidden: true });
    return catalogs.flatMap(({ name, connection }) => {
      const own = exposedNames(this, kind, name, { hidden: true });
      const items = (kind === 'tool' ? connection.catalog!.tools : connection.catalog!.prompts) as unknown as T[];
      return items.map((item) => {
        const id = claimId(name, item.name);
        return {
          ...details(item, name),
          name: aggregated.get(id) ?? qualifiedName(name, item.name),
          server: name,
          originalName: item.name,
          serverEndpointName: own.get(id) ?? item.name,
          enabled: this.isItemEnabled(name, kind, item.name),
        };
      });
    });
  }

  listTools(server?: string): ToolView[] {
    return this.catalogItems('tool', server, (tool: Tool, owner) => ({
      ...this.overrideFields(owner, tool),
      title: tool.title ?? tool.annotations?.title,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
    }));
  }

  getTool(name: string): ToolView {
    return this.findItem('tool', name) as ToolView;
  }

  /** A tool's description as clients see it, and what the user overrode. */
  private overrideFields(server: string, tool: Tool): Pick<ToolView, 'description' | 'override' | 'upstreamDescription'> {
    const override = this.toolOverride(server, tool.name);
    if (!override) return { description: tool.description };
    return {
      description: override.description ?? tool.description,
      override,
      ...(override.description !== undefined ? { upstreamDescription: tool.description } : {}),
    };
  }

  /** Every tool with an override or hidden, and whether its server still lists it (the names of the others are fine). */
  listOverrides(server?: string): ToolOverrideView[] {
    if (server !== undefined) this.requireRecord(server);
    const keys = new Set([...this.overrides.keys(), ...[...this.disabledItems].filter((key) => key.split('\u0000')[1] === 'tool')]);
    const names = exposedNames(this, 'tool', undefined, { hidden: true });
    const views: ToolOverrideView[] = [];
    for (const key of keys) {
      const [owner, , tool] = key.split('\u0000');
      if (server !== undefined && owner !== server) continue;
      const record = this.records.get(owner);
      if (!record) continue;
      const override = this.overrides.get(key) ?? {};
      const listedAs = names.get(claimId(owner, tool));
      const view: ToolOverrideView = { server: owner, tool, ...override, hidden: this.disabledItems.has(key), ...(listedAs !== undefined ? { listedAs } : {}) };
      const connection = this.live.get(owner);
      const catalog = record.enabled && isListed(connection) ? connection!.catalog : undefined;
      if (catalog && !catalog.tools.some((t) => t.name === tool)) {
        view.problem = `the override of tool '${tool}' refers to a tool server '${owner}' no longer lists: clear it with \`canopy tool override ${qualifiedName(owner, tool)} --clear\``;
      } else if (listedAs !== undefined && override.name !== undefined && listedAs !== qualifiedName(prefixOf(catalogServer(record)), override.name)) {
        view.problem = `the name '${override.name}' is taken by another tool of server '${owner}', so tool '${tool}' is listed as '${listedAs}': choose another name`;
      }
      views.push(view);
    }
    return views.sort((a, b) => a.server.localeCompare(b.server) || a.tool.localeCompare(b.tool));
  }

  /**
   * The server and upstream name a tool override is set on: a listed tool by any name `findItem`
   * takes, or `server__tool` of an override whose tool is gone (so it can still be cleared).
   */
  private overrideTarget(name: string): { server: string; tool: string } {
    try {
      const item = this.findItem('tool', name);
      return { server: item.server, tool: item.originalName };
    } catch (error) {
      const split = splitQualifiedName(name);
      const record = split && this.recordByPrefix(split.server);
      const key = record && itemKey(record.name, 'tool', split.name);
      if (key && (this.overrides.has(key) || this.disabledItems.has(key))) return { server: record.name, tool: split.name };
      throw error;
    }
  }

  /**
   * Changes a tool's overrides. A new name must itself be a name clients accept, and must not be
   * listed for another tool already (on /mcp or on the server's endpoint): such a change is refused.
   */
  async setToolOverride(name: string, change: ToolOverrideBody): Promise<ToolOverrideView> {
    const { server, tool } = this.overrideTarget(name);
    const key = itemKey(server, 'tool', tool);
    const previous = this.overrides.get(key) ?? {};
    const field = (value: string | null | undefined, current: string | undefined) => (value === undefined ? current : value === null || value === '' ? undefined : value);
    const next: ToolOverride = { name: field(change.name, previous.name), description: field(change.description, previous.description) };
    if (next.name === undefined) delete next.name;
    if (next.description === undefined) delete next.description;
    if (next.name !== undefined) {
      if (!isExposableName(next.name)) {
        throw badRequest(`'${next.name}' cannot be a tool name: use 1 to ${MAX_EXPOSED_NAME_LENGTH} letters, digits, "_" or "-"`);
      }
      this.checkNameFree(server, tool, next);
    }
    const hidden = change.hidden ?? this.disabledItems.has(key);
    await this.options.store.transaction(async (tx) => {
      await tx.itemSettings.setOverride(server, tool, next);
      await tx.itemSettings.set(server, 'tool', tool, !hidden);
    });
    if (Object.keys(next).length > 0) this.overrides.set(key, next);
    else this.overrides.delete(key);
    if (hidden) this.disabledItems.add(key);
    else this.disabledItems.delete(key);
    this.emit('changed');
    this.committed();
    return this.listOverrides(server).find((view) => view.tool === tool) ?? { server, tool, hidden };
  }

  /** Refuses an override name another listed tool already has, on /mcp or on the server's own endpoint. */
  private checkNameFree(server: string, tool: string, next: ToolOverride): void {
    const wanted = qualifiedName(prefixOf(this.server(server)!), next.name!);
    if (wanted.length > MAX_EXPOSED_NAME_LENGTH) {
      throw badRequest(`'${wanted}' would be longer than ${MAX_EXPOSED_NAME_LENGTH} characters: choose a shorter name`);
    }
    // Named as if the override were set: it is free when the tool gets exactly the name asked for.
    const key = itemKey(server, 'tool', tool);
    const previous = this.overrides.get(key);
    this.overrides.set(key, next);
    let free: boolean;
    try {
      const id = claimId(server, tool);
      free = exposedNames(this, 'tool', undefined, { hidden: true }).get(id) === wanted && exposedNames(this, 'tool', server, { hidden: true }).get(id) === next.name;
    } finally {
      if (previous) this.overrides.set(key, previous);
      else this.overrides.delete(key);
    }
    if (free) return;
    const holder = this.listTools().find(
      (item) => !(item.server === server && item.originalName === tool) && (item.name === wanted || (item.server === server && item.serverEndpointName === next.name)),
    );
    const who = holder ? `tool '${holder.originalName}' of server '${holder.server}'` : 'another tool';
    throw conflict(`the name '${next.name}' is already listed for ${who}: choose another name`);
  }

  listPrompts(server?: string): PromptView[] {
    return this.catalogItems('prompt', server, (prompt: Prompt) => ({
      title: prompt.title,
      description: prompt.description,
      arguments: prompt.arguments,
    }));
  }

  /**
   * A tool or prompt by the name `/mcp` lists it under, or by `server__name` with the server's name
   * or alias and the upstream's own name (what allow-lists and groups use; works for hidden items too).
   */
  private findItem(kind: ItemKind, name: string): ToolView | PromptView {
    const items = kind === 'tool' ? this.listTools() : this.listPrompts();
    const listed = items.find((item) => item.name === name);
    if (listed) return listed;
    const split = splitQualifiedName(name);
    if (!split) throw badRequest(`'${name}' is not a ${kind} name: use the name \`canopy list ${kind}s\` shows (server__${kind})`);
    const record = this.recordByPrefix(split.server);
    if (!record) throw notFound(`no server named '${split.server}' is registered: see \`canopy list servers\``);
    const item = items.find((i) => i.server === record.name && i.originalName === split.name);
    if (!item) throw notFound(`server '${record.name}' has no ${kind} '${split.name}' (or it is not running): see \`canopy list ${kind}s --server ${record.name}\``);
    return item;
  }

  listResources(server?: string): ResourceView[] {
    return this.catalogs(server).flatMap(({ name, connection }) => [
      ...connection.catalog!.resources.map((r) => ({
        uri: qualifiedResourceUri(name, r.uri),
        server: name,
        originalUri: r.uri,
        name: r.name,
        title: r.title,
        description: r.description,
        mimeType: r.mimeType,
        template: false,
      })),
      ...connection.catalog!.resourceTemplates.map((t) => ({
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
      servers: [...this.records.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((r) => ({ ...exportableConfig(r.config), enabled: r.enabled })),
    };
  }

  // ---- writes ----

  /**
   * Registers (or with `force` replaces) a server. An enabled server is connected first and only
   * committed when it starts — or when it needs OAuth, which is then begun: a config that cannot
   * work is refused and nothing is kept (a replaced server keeps its previous config).
   */
  async registerServer(body: { config: unknown; force?: boolean; enabled?: boolean }): Promise<RegisterServerResult> {
    const parsed = parseServerConfig(body.config);
    const enabled = body.enabled ?? true;
    const previous = this.records.get(parsed.name);
    // Names differing only in case would be told apart by some clients and not by others.
    const lookalike = [...this.records.keys()].find((name) => name !== parsed.name && name.toLowerCase() === parsed.name.toLowerCase());
    if (lookalike) {
      throw conflict(`a server named '${lookalike}' is already registered (names may not differ only in case): use '${lookalike}' or another name`);
    }
    this.checkPrefixes(parsed);
    const current = previous && (() => resolveSecrets(previous.config, this.options.secrets));
    let config = await keepRedactedSecrets(parsed, current);
    if (config.transport !== 'stdio' && !givesTransport(body.config)) {
      // No transport given: the one found for this URL before, else whichever the server speaks.
      const known = previous && previous.transport !== 'stdio' && previous.config.url === config.url ? previous.transport : undefined;
      config = { ...config, transport: known ?? (await this.options.connections.detectTransport(config)) };
    }
    if (previous && current && !body.force) {
      // Registering the same thing again (an import run twice) changes nothing and is no error.
      if (sameServerConfig(config, await current())) return { server: this.view(previous), warnings: [], unchanged: true };
      throw conflict(
        `a server named '${parsed.name}' is already registered with a different config: change it with \`canopy update server ${parsed.name}\`, or replace it with --force`,
      );
    }
    const warnings = this.options.connections.credentialWarnings(config);

    let connection: UpstreamConnection | undefined;
    let authorizationUrl: string | undefined;
    // A registration always probes; what it found is stored with the server.
    let probed: EraVerdict | undefined;
    const heardEra = (verdict: EraVerdict) => {
      probed = verdict;
    };
    if (enabled) {
      connection = this.options.connections.create(config);
      connection.on('era', heardEra);
      try {
        // Tried once: a config that does not work is refused, not retried in the background.
        await connection.start({ retry: false });
      } catch (error) {
        if (connection.state.status !== 'needs_authorization') {
          await connection.stop();
          throw upstreamError(`cannot register '${config.name}': ${(error as Error).message}`);
        }
        try {
          authorizationUrl = await this.options.connections.startAuthorization(config);
        } catch (oauthError) {
          await connection.stop();
          throw upstreamError(
            `cannot register '${config.name}': it requires authorization and OAuth could not start (${(oauthError as Error).message}); set bearer_token or headers if it uses a static token`,
          );
        }
      }
    }

    const { stored, secrets } = splitSecrets(config);
    try {
      await writeNewSecrets(this.options.store, this.options.secrets, secrets);
      const record = await this.options.store.transaction(async (tx) => {
        await secretsCommitted(tx, secrets, previous ? secretRefs(previous.config) : []);
        let record: ServerRecord;
        if (previous) {
          await tx.servers.replaceConfig(stored);
          await tx.servers.setEnabled(config.name, enabled);
          record = (await tx.servers.get(config.name))!;
        } else record = await tx.servers.insert(stored, enabled);
        // The verdict of another destination is not this server's: it goes, unless a new probe replaced it.
        if (probed) await tx.protocolEras.save(config.name, storedVerdict(probed, config));
        else if (previous && eraDestination(previous.config) !== eraDestination(config)) await tx.protocolEras.drop(config.name);
        return record;
      });
      this.records.set(record.name, record);
      if (probed) this.eras.set(record.name, storedVerdict(probed, config));
    } catch (error) {
      await connection?.stop();
      // Left noted when this fails too (the database is down): collected at the next start.
      await deleteUnreferencedSecrets(this.options.store, this.options.secrets, secrets.map((s) => s.ref)).catch(() => {});
      if (isUniqueViolation(error) && config.alias !== undefined && (await this.options.store.servers.list()).some((r) => r.name !== config.name && r.config.alias === config.alias)) {
        throw conflict(`the alias '${config.alias}' was given to another server meanwhile: choose another alias`);
      }
      if (!previous && isUniqueViolation(error)) throw conflict(`a server named '${config.name}' was registered meanwhile: use --force to replace it`);
      throw error;
    }
    // Committed: the previous secrets are no longer referenced.
    if (previous) await this.deleteSecrets(previous);

    if (connection) {
      connection.off('era', heardEra);
      this.nextGeneration(config.name);
      this.attach(connection);
    } else await this.detach(config.name);
    this.emit('changed');
    this.committed();
    const server = this.view(this.records.get(config.name)!);
    return { server, warnings, ...(authorizationUrl ? { authorizationUrl } : {}) };
  }

  /** The server whose name or alias is `prefix` (what comes before `__` in a tool's name). */
  private recordByPrefix(prefix: string): ServerRecord | undefined {
    return this.records.get(prefix) ?? [...this.records.values()].find((record) => record.config.alias === prefix);
  }

  /**
   * A server's name and alias are prefixes on aggregated views: each must differ (ignoring case)
   * from every other server's name and alias, or two servers' tools would share names.
   */
  private checkPrefixes(config: ServerConfig): void {
    const others = [...this.records.values()].filter((record) => record.name !== config.name);
    const owner = (prefix: string) =>
      others.find((record) => record.name.toLowerCase() === prefix.toLowerCase() || record.config.alias?.toLowerCase() === prefix.toLowerCase());
    const nameOwner = owner(config.name);
    if (nameOwner) throw conflict(`'${config.name}' is the alias of server '${nameOwner.name}': choose another name, or change that server's alias first`);
    if (config.alias === undefined) return;
    const aliasOwner = owner(config.alias);
    if (aliasOwner) {
      const as = aliasOwner.name.toLowerCase() === config.alias.toLowerCase() ? 'the name' : 'the alias';
      throw conflict(`the alias '${config.alias}' is ${as} of server '${aliasOwner.name}': choose another alias`);
    }
  }

  /** Deletes a record's secrets once no committed row refers to them; what fails stays noted for the next start. */
  private async deleteSecrets(record: ServerRecord): Promise<void> {
    try {
      const failed = await deleteUnreferencedSecrets(this.options.store, this.options.secrets, secretRefs(record.config));
      for (const { reason } of failed) this.options.logger.warn({ server: record.name, reason }, 'could not delete a secret');
    } catch (error) {
      this.options.logger.warn({ server: record.name, reason: (error as Error).message }, 'could not delete secrets; they are deleted at the next start');
    }
  }

  /** Removes a server, and takes it out of every tool group in the same transaction (its era verdict goes with its row). */
  async deregisterServer(name: string): Promise<DeregisterServerResult> {
    const record = this.requireRecord(name);
    // Committed first: when the database cannot be written, the server keeps running as it was.
    const removedFromGroups = await this.options.store.transaction(async (tx) => {
      await tx.servers.delete(name);
      await tx.secretCleanup.add(secretRefs(record.config));
      return tx.toolGroups.removeServer(name);
    });
    await this.detach(name);
    this.records.delete(name);
    this.eras.delete(name);
    for (const key of [...this.disabledItems]) if (key.startsWith(`${name}\u0000`)) this.disabledItems.delete(key);
    for (const key of [...this.overrides.keys()]) if (key.startsWith(`${name}\u0000`)) this.overrides.delete(key);
    await this.deleteSecrets(record);
    await this.options.connections.forgetAuthorization(name);
    this.emit('changed');
    this.committed();
    if (removedFromGroups.length > 0) await this.options.onGroupsChanged?.();
    return { removedFromGroups };
  }

  /** Toggles a server at once: disabling stops it, enabling starts it in the background. */
  async setServerEnabled(name: string, enabled: boolean): Promise<ServerView> {
    const record = this.requireRecord(name);
    if (record.enabled !== enabled) {
      await this.options.store.servers.setEnabled(name, enabled);
      // The stored row (its updatedAt) is what replicas compare on reload.
      this.records.set(name, (await this.options.store.servers.get(name)) ?? { ...record, enabled });
    }
    if (!enabled) await this.detach(name);
    else if (!this.live.has(name)) void this.launch(this.records.get(name)!).catch((error) => this.logStartFailure(name, error));
    this.emit('changed');
    if (record.enabled !== enabled) this.committed();
    return this.view(this.records.get(name)!);
  }

  /** Stops and starts a server, probing its protocol era again. */
  async restartServer(name: string): Promise<ServerView> {
    const record = this.requireRecord(name);
    if (!record.enabled) throw badRequest(`server '${name}' is disabled: enable it with \`canopy enable server ${name}\``);
    await this.detach(name);
    this.eras.delete(name);
    // Not dropped (the database is down): the start cannot read it either, so it probes anyway.
    await this.options.store.protocolEras.drop(name).catch((error: unknown) => this.options.logger.warn({ server: name, reason: (error as Error).message }, 'could not drop the stored protocol era'));
    try {
      await this.launch(record);
    } catch (error) {
      this.logStartFailure(name, error);
    }
    return this.view(record);
  }

  async setItemEnabled(kind: ItemKind, name: string, enabled: boolean): Promise<ToolView | PromptView> {
    const item = this.findItem(kind, name);
    await this.options.store.itemSettings.set(item.server, kind, item.originalName, enabled);
    const key = itemKey(item.server, kind, item.originalName);
    if (enabled) this.disabledItems.delete(key);
    else this.disabledItems.add(key);
    this.emit('changed');
    this.committed();
    return kind === 'tool' ? this.getTool(qualifiedName(item.server, item.originalName)) : { ...item, enabled };
  }

  async authorizeServer(name: string): Promise<AuthorizeResult> {
    const record = this.requireRecord(name);
    if (record.transport === 'stdio') throw badRequest(`server '${name}' is a stdio server: OAuth applies to HTTP servers`);
    const config = await resolveSecrets(record.config, this.options.secrets);
    return { authorizationUrl: await this.options.connections.startAuthorization(config) };
  }

  /** OAuth finished for `name`: connect again with the new tokens. */
  async authorizationCompleted(name: string): Promise<void> {
    const record = this.records.get(name);
    if (!record?.enabled) return;
    await this.detach(name);
    await this.launch(record).catch((error) => this.logStartFailure(name, error));
    // Other replicas read the new tokens from the shared store when they reload.
    this.committed();
  }
}
