// The registry service: registered servers and their switches. Every admin operation (API, tray,
// window) goes through here; it writes the store transactionally and has the upstream supervisor
// (upstream-supervisor.ts, one slot per server) start and stop connections to match, and tells
// listeners what changed.
import { EventEmitter } from 'node:events';
import { isPerUser, parseServerConfig, sameServerConfig, type ServerConfig } from '../config/server-config.ts';
import { isExposableName, MAX_EXPOSED_NAME_LENGTH, qualifiedName, splitQualifiedName } from '../config/names.ts';
import { badRequest, conflict, notFound, upstreamError } from '../errors.ts';
import type { Store } from '../store/open.ts';
import type { ServerRecord } from '../store/servers.ts';
import { isUniqueViolation } from '../store/dialect.ts';
import type { ItemKind, ItemSetting, ToolOverride } from '../store/item-settings.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { deleteUnreferencedSecrets, secretsCommitted, writeNewSecrets } from '../secrets/orphan-secrets.ts';
import { keepRedactedSecrets, resolveSecrets, secretRefs, splitSecrets } from '../secrets/secret-fields.ts';
import type { CatalogServer, CatalogSource } from '../gateway/catalog.ts';
import { exposedNames, isListed, prefixOf } from '../gateway/catalog.ts';
import { claimId } from '../gateway/exposed-names.ts';
import type { EraVerdict, UpstreamCatalog, UpstreamConnection } from '../upstream/types.ts';
import { eraDestination, storedVerdict } from './era-verdicts.ts';
import { UpstreamSupervisor, type UpstreamSlot } from './upstream-supervisor.ts';
import { DEFAULT_IDLE_TIMEOUT_SECONDS } from './idle-sleep.ts';
import type { Prompt, Tool } from '@modelcontextprotocol/server';
import type { Logger } from '../telemetry/logger.ts';

export interface RegistryEvents {
  /** Anything a listener may show changed: registry contents, a switch, a state, a catalog. */
  changed: [];
}

/** How the registry makes and runs connections (the upstream layer, OAuth included). */
export interface ConnectionFactory {
  /**
   * `priorEra`: a fresh stored verdict, so the connection skips the era probe. `cachedCatalog`: a
   * stored catalog, so the connection begins asleep with it (see idle-sleep.ts).
   */
  create(config: ServerConfig, options?: { priorEra?: EraVerdict; cachedCatalog?: UpstreamCatalog }): UpstreamConnection;
  /** Starts OAuth for a server; returns the URL the user opens. */
  startAuthorization(config: ServerConfig): Promise<string>;
  /** Deletes what OAuth stored for a server (tokens, client registration). */
  forgetAuthorization(server: string): Promise<void>;
  /** Deletes the secrets of users' per-user credentials whose rows were dropped (the server went, or its URL changed). */
  dropUserCredentials(rows: { user: string; server: string }[]): Promise<void>;
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
  /** How long a registration waits for the upstream's first start. */
  registrationTimeoutMs?: number;
  /** How long a stdio server without its own `idle_timeout_seconds` may sit idle before it sleeps (default 600). */
  idleTimeoutSeconds?: number;
  /** Called after each committed write (so other replicas can reload). */
  onCommitted?: () => void;
  /** Called after a deregistration took the server out of tool groups (access must reload). */
  onGroupsChanged?: () => Promise<void>;
  /** Whether servers may use per-user credentials (enterprise mode: there are users to connect them). */
  perUserCredentials: boolean;
}

/** Whether a registration body's config names its transport (else a remote one is detected). */
function givesTransport(config: unknown): boolean {
  return typeof config === 'object' && config !== null && (config as { transport?: unknown }).transport !== undefined;
}

function catalogServer(record: ServerRecord): CatalogServer {
  return {
    name: record.name,
    enabled: record.enabled,
    ...(record.config.alias !== undefined ? { alias: record.config.alias } : {}),
    ...(isPerUser(record.config) ? { perUser: true } : {}),
  };
}

/** A server whose catalog the admin lists show. */
export interface ListedCatalog {
  name: string;
  catalog: NonNullable<UpstreamConnection['catalog']>;
}

/** A tool or prompt of a listed server, with the names it is listed under and its switch. */
export interface ListedItem<T extends Tool | Prompt> {
  item: T;
  /** On aggregated views (`/mcp`). */
  name: string;
  server: string;
  /** The upstream's own name. */
  originalName: string;
  /** On the server's own endpoint. */
  serverEndpointName: string;
  enabled: boolean;
}

/** A tool the user renamed, described anew or hid. */
export interface AdjustedTool {
  server: string;
  tool: string;
  override?: ToolOverride;
  hidden: boolean;
}

/** A change of a tool's override: a value sets, null (or '') clears, absent keeps. */
export interface ToolOverrideChange {
  name?: string | null;
  description?: string | null;
  hidden?: boolean;
}

/** What a registration did: the server's slot, credential notes, where to authorize. */
export interface Registration {
  slot: Readonly<UpstreamSlot>;
  warnings: string[];
  authorizationUrl?: string;
  /** The same config was registered already: nothing changed. */
  unchanged?: true;
}

const itemKey = (server: string, kind: ItemKind, name: string) => `${server}\u0000${kind}\u0000${name}`;

export class Registry extends EventEmitter<RegistryEvents> implements CatalogSource {
  /** The servers' slots: records, connections, launch errors, era verdicts. */
  private readonly upstreams: UpstreamSupervisor;
  private readonly disabledItems = new Set<string>();
  /** Tool overrides by itemKey, kept while the upstream refreshes its list (keyed by its own name). */
  private readonly overrides = new Map<string, ToolOverride>();

  constructor(private readonly options: RegistryOptions) {
    super();
    // Every call waiting for a (re)starting server listens for 'changed' until it settles (bounded).
    this.setMaxListeners(0);
    const { store, secrets, logger, connections } = options;
    this.upstreams = new UpstreamSupervisor({
      store,
      secrets,
      logger,
      create: (config, createOptions) => connections.create(config, createOptions),
      idleTimeoutSeconds: options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS,
    });
    this.upstreams.on('changed', () => this.emit('changed'));
  }

  // ---- CatalogSource ----

  *servers(): Iterable<CatalogServer> {
    for (const { record } of this.upstreams.sorted()) yield catalogServer(record);
  }

  server(name: string): CatalogServer | undefined {
    const record = this.upstreams.slot(name)?.record;
    return record && catalogServer(record);
  }

  serverByPrefix(prefix: string): CatalogServer | undefined {
    const record = this.recordByPrefix(prefix);
    return record && catalogServer(record);
  }

  connection(name: string): UpstreamConnection | undefined {
    return this.upstreams.slot(name)?.connection;
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

  /** Loads the registry from the store and starts every enabled server (in the background; one with a stored catalog may begin asleep). */
  async load(): Promise<void> {
    const { store } = this.options;
    const [records, items, eras, catalogs] = await Promise.all([store.servers.list(), store.itemSettings.list(), store.protocolEras.list(), store.catalogCache.list()]);
    this.applyItemSettings(items);
    await this.upstreams.load(records, eras, catalogs);
  }

  /**
   * Reads the store again after another replica changed it, and reconciles (see
   * UpstreamSupervisor.reconcile): done once the picture is right, not when servers have started.
   */
  async reload(): Promise<void> {
    const [records, items, eras] = await Promise.all([this.options.store.servers.list(), this.options.store.itemSettings.list(), this.options.store.protocolEras.list()]);
    this.applyItemSettings(items);
    this.upstreams.reconcile(records, eras);
  }

  private committed(): void {
    this.options.onCommitted?.();
  }

  /** Stops every connection (children killed), in parallel. */
  async stopAll(): Promise<void> {
    await this.upstreams.stopAll();
  }

  // ---- reads (the admin API's views are built from these: api/server-views.ts) ----

  /** Every server's slot, in name order. */
  slots(): readonly Readonly<UpstreamSlot>[] {
    return this.upstreams.sorted();
  }

  requireSlot(name: string): Readonly<UpstreamSlot> {
    const slot = this.upstreams.slot(name);
    if (!slot) throw notFound(`no server named '${name}' is registered: see \`canopy list servers\``);
    return slot;
  }

  private requireRecord(name: string): ServerRecord {
    return this.requireSlot(name).record;
  }

  /** Servers whose catalogs the admin lists show: one server, or all. */
  listedCatalogs(server: string | undefined): ListedCatalog[] {
    if (server !== undefined) this.requireRecord(server);
    const out: ListedCatalog[] = [];
    for (const { record, connection } of this.upstreams.all()) {
      if (server !== undefined && record.name !== server) continue;
      if (record.enabled && connection && isListed(connection)) out.push({ name: record.name, catalog: connection.catalog! });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * One kind's items of the listed servers with their names: on aggregated views and on the
   * server's own endpoint (hidden items get the name they would have if shown), the upstream's
   * name, the switch.
   */
  listedItems(kind: 'tool', server?: string): ListedItem<Tool>[];
  listedItems(kind: 'prompt', server?: string): ListedItem<Prompt>[];
  listedItems(kind: ItemKind, server?: string): ListedItem<Tool | Prompt>[];
  listedItems(kind: ItemKind, server?: string): ListedItem<Tool | Prompt>[] {
    const catalogs = this.listedCatalogs(server);
    const aggregated = exposedNames(this, kind, undefined, { hidden: true });
    return catalogs.flatMap(({ name, catalog }) => {
      const own = exposedNames(this, kind, name, { hidden: true });
      const items: (Tool | Prompt)[] = kind === 'tool' ? catalog.tools : catalog.prompts;
      return items.map((item) => {
        const id = claimId(name, item.name);
        return {
          item,
          name: aggregated.get(id) ?? qualifiedName(name, item.name),
          server: name,
          originalName: item.name,
          serverEndpointName: own.get(id) ?? item.name,
          enabled: this.isItemEnabled(name, kind, item.name),
        };
      });
    });
  }

  /** Every tool with an override or hidden whose server is registered (whether or not it still lists the tool). */
  adjustedTools(server?: string): AdjustedTool[] {
    if (server !== undefined) this.requireRecord(server);
    const keys = new Set([...this.overrides.keys(), ...[...this.disabledItems].filter((key) => key.split('\u0000')[1] === 'tool')]);
    const adjusted: AdjustedTool[] = [];
    for (const key of keys) {
      const [owner, , tool] = key.split('\u0000');
      if (server !== undefined && owner !== server) continue;
      if (!this.upstreams.slot(owner)) continue;
      const override = this.overrides.get(key);
      adjusted.push({ server: owner, tool, ...(override ? { override } : {}), hidden: this.disabledItems.has(key) });
    }
    return adjusted;
  }

  /**
   * A tool or prompt by the name `/mcp` lists it under, or by `server__name` with the server's name
   * or alias and the upstream's own name (what allow-lists and groups use; works for hidden items too).
   */
  resolveItem(kind: 'tool', name: string): ListedItem<Tool>;
  resolveItem(kind: 'prompt', name: string): ListedItem<Prompt>;
  resolveItem(kind: ItemKind, name: string): ListedItem<Tool | Prompt>;
  resolveItem(kind: ItemKind, name: string): ListedItem<Tool | Prompt> {
    const items = this.listedItems(kind);
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

  /**
   * The server and upstream name a tool override is set on: a listed tool by any name `resolveItem`
   * takes, or `server__tool` of an override whose tool is gone (so it can still be cleared).
   */
  private overrideTarget(name: string): { server: string; tool: string } {
    try {
      const item = this.resolveItem('tool', name);
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
  async setToolOverride(name: string, change: ToolOverrideChange): Promise<{ server: string; tool: string; hidden: boolean }> {
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
    return { server, tool, hidden };
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
    const holder = this.listedItems('tool').find(
      (item) => !(item.server === server && item.originalName === tool) && (item.name === wanted || (item.server === server && item.serverEndpointName === next.name)),
    );
    const who = holder ? `tool '${holder.originalName}' of server '${holder.server}'` : 'another tool';
    throw conflict(`the name '${next.name}' is already listed for ${who}: choose another name`);
  }

  // ---- writes ----

  /**
   * Registers (or with `force` replaces) a server. An enabled server is connected first and only
   * committed when it starts — or when it needs OAuth, which is then begun: a config that cannot
   * work is refused and nothing is kept (a replaced server keeps its previous config).
   */
  async registerServer(body: { config: unknown; force?: boolean; enabled?: boolean }): Promise<Registration> {
    const parsed = parseServerConfig(body.config);
    if (isPerUser(parsed) && !this.options.perUserCredentials) {
      throw badRequest(
        `server '${parsed.name}': "credentials": "per_user" needs enterprise mode (canopy serve --enterprise), where people sign in and connect their own accounts; in development mode a server has one set of credentials`,
      );
    }
    const enabled = body.enabled ?? true;
    const previous = this.upstreams.slot(parsed.name)?.record;
    // Names differing only in case would be told apart by some clients and not by others.
    const lookalike = [...this.upstreams.all()].map(({ record }) => record.name).find((name) => name !== parsed.name && name.toLowerCase() === parsed.name.toLowerCase());
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
      if (sameServerConfig(config, await current())) return { slot: this.requireSlot(previous.name), warnings: [], unchanged: true };
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
    // A per-user server has no credentials of its own to try: each user connects theirs later.
    if (enabled && !isPerUser(config)) {
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
    // Users' credentials serve the URL they were given for, on a per-user server: another URL, or shared credentials, drop them.
    const dropsUserCredentials = previous !== undefined && isPerUser(previous.config) && (!isPerUser(config) || previous.config.url !== config.url);
    let droppedCredentials: { user: string; server: string }[] = [];
    try {
      await writeNewSecrets(this.options.store, this.options.secrets, secrets);
      const record = await this.options.store.transaction(async (tx) => {
        if (dropsUserCredentials) droppedCredentials = await tx.userCredentials.deleteByServer(config.name);
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
      this.upstreams.put(record);
      if (probed) this.upstreams.noteEra(record.name, storedVerdict(probed, config));
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
    if (droppedCredentials.length > 0) await this.dropUserCredentials(droppedCredentials);

    if (connection) {
      connection.off('era', heardEra);
      this.upstreams.adopt(connection);
    } else {
      await this.upstreams.stop(config.name);
      // Its catalog is listed with the account of a user who connected it (see UserCredentials.catalogAuth).
      if (enabled && isPerUser(config)) this.upstreams.start(config.name);
    }
    this.emit('changed');
    this.committed();
    return { slot: this.requireSlot(config.name), warnings, ...(authorizationUrl ? { authorizationUrl } : {}) };
  }

  /** The server whose name or alias is `prefix` (what comes before `__` in a tool's name). */
  private recordByPrefix(prefix: string): ServerRecord | undefined {
    return this.upstreams.slot(prefix)?.record ?? [...this.upstreams.all()].find(({ record }) => record.config.alias === prefix)?.record;
  }

  /**
   * A server's name and alias are prefixes on aggregated views: each must differ (ignoring case)
   * from every other server's name and alias, or two servers' tools would share names.
   */
  private checkPrefixes(config: ServerConfig): void {
    const others = [...this.upstreams.all()].map(({ record }) => record).filter((record) => record.name !== config.name);
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

  /** Deletes dropped per-user credentials' secrets; a failure is logged (the secrets are unreachable without their rows). */
  private async dropUserCredentials(rows: { user: string; server: string }[]): Promise<void> {
    try {
      await this.options.connections.dropUserCredentials(rows);
    } catch (error) {
      this.options.logger.warn({ reason: (error as Error).message }, 'could not delete the secrets of dropped per-user credentials');
    }
  }

  /** Removes a server, and takes it out of every tool group in the same transaction (its era verdict goes with its row). */
  async deregisterServer(name: string): Promise<{ removedFromGroups: string[] }> {
    const record = this.requireRecord(name);
    // Committed first: when the database cannot be written, the server keeps running as it was.
    let droppedCredentials: { user: string; server: string }[] = [];
    const removedFromGroups = await this.options.store.transaction(async (tx) => {
      droppedCredentials = await tx.userCredentials.deleteByServer(name);
      await tx.servers.delete(name);
      await tx.secretCleanup.add(secretRefs(record.config));
      return tx.toolGroups.removeServer(name);
    });
    await this.upstreams.remove(name);
    for (const key of [...this.disabledItems]) if (key.startsWith(`${name}\u0000`)) this.disabledItems.delete(key);
    for (const key of [...this.overrides.keys()]) if (key.startsWith(`${name}\u0000`)) this.overrides.delete(key);
    await this.deleteSecrets(record);
    await this.options.connections.forgetAuthorization(name);
    await this.dropUserCredentials(droppedCredentials);
    this.emit('changed');
    this.committed();
    if (removedFromGroups.length > 0) await this.options.onGroupsChanged?.();
    return { removedFromGroups };
  }

  /** Toggles a server at once: disabling stops it, enabling starts it in the background. */
  async setServerEnabled(name: string, enabled: boolean): Promise<Readonly<UpstreamSlot>> {
    const record = this.requireRecord(name);
    if (record.enabled !== enabled) {
      await this.options.store.servers.setEnabled(name, enabled);
      // The stored row (its updatedAt) is what replicas compare on reload.
      this.upstreams.put((await this.options.store.servers.get(name)) ?? { ...record, enabled });
    }
    if (!enabled) await this.upstreams.stop(name);
    else if (!this.connection(name)) this.upstreams.start(name);
    this.emit('changed');
    if (record.enabled !== enabled) this.committed();
    return this.requireSlot(name);
  }

  /** Stops and starts a server, probing its protocol era again. */
  async restartServer(name: string): Promise<Readonly<UpstreamSlot>> {
    const slot = this.requireSlot(name);
    if (!slot.record.enabled) throw badRequest(`server '${name}' is disabled: enable it with \`canopy enable server ${name}\``);
    await this.upstreams.restart(name);
    return slot;
  }

  /** Switches a tool or prompt; returns it as it was found (before the switch). */
  async setItemEnabled(kind: ItemKind, name: string, enabled: boolean): Promise<ListedItem<Tool | Prompt>> {
    const item = this.resolveItem(kind, name);
    await this.options.store.itemSettings.set(item.server, kind, item.originalName, enabled);
    const key = itemKey(item.server, kind, item.originalName);
    if (enabled) this.disabledItems.delete(key);
    else this.disabledItems.add(key);
    this.emit('changed');
    this.committed();
    return item;
  }

  /** The enabled-or-not servers whose calls use each user's own credentials, as stored (their url is never a secret). */
  perUserServers(): ServerConfig[] {
    return this.upstreams.sorted().map(({ record }) => record.config).filter(isPerUser);
  }

  /** A per-user server's config with its secrets (OAuth client secret) read: what connecting an account needs. */
  async perUserServer(name: string): Promise<ServerConfig & { url: string }> {
    const record = this.requireRecord(name);
    if (!isPerUser(record.config) || !record.config.url) {
      throw badRequest(`server '${name}' does not use per-user credentials: its own credentials serve everyone (see \`canopy list servers\`)`);
    }
    return { ...(await resolveSecrets(record.config, this.options.secrets)), url: record.config.url };
  }

  async authorizeServer(name: string): Promise<{ authorizationUrl: string }> {
    const record = this.requireRecord(name);
    if (record.transport === 'stdio') throw badRequest(`server '${name}' is a stdio server: OAuth applies to HTTP servers`);
    if (isPerUser(record.config)) throw badRequest(`server '${name}' uses each person's own account: connect yours with \`canopy connect ${name}\` (or the Connections page) instead`);
    const config = await resolveSecrets(record.config, this.options.secrets);
    return { authorizationUrl: await this.options.connections.startAuthorization(config) };
  }

  /**
   * A user connected a per-user server: its catalog connection, which had no account to list the
   * catalog with (or one the upstream refused), tries again with theirs.
   */
  async userConnected(name: string): Promise<void> {
    const slot = this.upstreams.slot(name);
    const status = slot?.connection?.state.status;
    if (!slot?.record.enabled || !isPerUser(slot.record.config)) return;
    // Other replicas restart a catalog connection that waits for an authorization when they reload.
    this.committed();
    if (status === 'running' || status === 'starting') return;
    await this.upstreams.stop(name);
    await this.upstreams.startAndWait(name);
  }

  /** OAuth finished for `name`: connect again with the new tokens. */
  async authorizationCompleted(name: string): Promise<void> {
    if (!this.upstreams.slot(name)?.record.enabled) return;
    await this.upstreams.stop(name);
    await this.upstreams.startAndWait(name);
    // Other replicas read the new tokens from the shared store when they reload.
    this.committed();
  }
}
