// One slot per registered server — its stored record, its connection, why it failed to launch, the
// start it may cancel, its protocol-era verdict — and the one place that starts, stops and replaces
// connections. Nothing else keeps per-server state in step with it; it says 'changed' when a slot,
// a connection's state or its catalog changed.
import { EventEmitter } from 'node:events';
import type { ServerConfig } from '../config/server-config.ts';
import type { Store } from '../store/open.ts';
import type { ServerRecord } from '../store/servers.ts';
import type { StoredEraVerdict } from '../store/protocol-eras.ts';
import type { CachedCatalog } from '../store/catalog-cache.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { resolveSecrets } from '../secrets/secret-fields.ts';
import type { EraVerdict, UpstreamCatalog, UpstreamConnection } from '../upstream/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import { freshVerdict, storedVerdict } from './era-verdicts.ts';
import { cachedCatalog, cachesCatalog, catalogFor, idleTimeoutMs, watchIdle } from './idle-sleep.ts';

export interface UpstreamSlot {
  /** The server as stored. */
  record: ServerRecord;
  connection?: UpstreamConnection;
  /** Why the server has no connection, when its launch failed before one was made. */
  launchError?: string;
  /** The protocol-era verdict as stored (shown while no connection knows the era). */
  era?: StoredEraVerdict;
  /**
   * Each start and stop counts one up: a launch still resolving its secrets from an older one (the
   * server was disabled, removed or relaunched meanwhile) then gives up.
   */
  generation: number;
  /** Takes the supervisor's own listeners off `connection`. */
  unwatch?: () => void;
  /** JSON of the catalog as stored, so an unchanged one is not written again. */
  storedCatalog?: string;
}

/** A stored catalog a launch begins with, and whether the server stays asleep until its first use. */
interface StoredStart {
  catalog: UpstreamCatalog;
  asleep: boolean;
}

export interface UpstreamSupervisorEvents {
  changed: [];
}

/** How connections are made (the upstream layer, OAuth included). */
export type CreateConnection = (config: ServerConfig, options?: { priorEra?: EraVerdict; cachedCatalog?: UpstreamCatalog }) => UpstreamConnection;

export interface UpstreamSupervisorOptions {
  store: Store;
  secrets: SecretStore;
  create: CreateConnection;
  logger: Logger;
  /** How long a stdio server without its own `idle_timeout_seconds` may sit idle before it sleeps. */
  idleTimeoutSeconds: number;
}

export class UpstreamSupervisor extends EventEmitter<UpstreamSupervisorEvents> {
  private readonly slots = new Map<string, UpstreamSlot>();

  constructor(private readonly options: UpstreamSupervisorOptions) {
    super();
    // Every call waiting for a (re)starting server listens for 'changed' until it settles (bounded).
    this.setMaxListeners(0);
  }

  slot(name: string): UpstreamSlot | undefined {
    return this.slots.get(name);
  }

  /** Every slot, in name order. */
  sorted(): UpstreamSlot[] {
    return [...this.slots.values()].sort((a, b) => a.record.name.localeCompare(b.record.name));
  }

  /** Every slot, in no particular order. */
  all(): IterableIterator<UpstreamSlot> {
    return this.slots.values();
  }

  /**
   * Takes the servers as stored and starts every enabled one (in the background) — except a server
   * that sleeps when idle and has a stored catalog: it begins asleep, listed from that catalog. One
   * that starts is listed from its stored catalog while it starts. Resolves once the sleeping ones
   * are listed (their secrets read), not when the others have started.
   */
  async load(records: ServerRecord[], eras: Map<string, StoredEraVerdict>, catalogs: Map<string, CachedCatalog>): Promise<void> {
    this.slots.clear();
    for (const record of records) {
      const stored = catalogs.get(record.name);
      this.slots.set(record.name, { record, era: eras.get(record.name), generation: 0, ...(stored ? { storedCatalog: JSON.stringify(stored.catalog) } : {}) });
    }
    const sleeping: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      if (!slot.record.enabled) continue;
      const { config } = slot.record;
      const catalog = catalogFor(catalogs.get(config.name), config);
      const asleep = catalog !== undefined && idleTimeoutMs(config, this.options.idleTimeoutSeconds) !== undefined;
      const launched = this.launchLogged(slot, catalog && { catalog, asleep });
      if (asleep) sleeping.push(launched);
    }
    await Promise.all(sleeping);
  }

  /**
   * Takes the servers as another replica left them: new servers start, removed ones stop, changed
   * ones (config replaced, enabled toggled) restart; the rest are left alone, their sessions and
   * processes undisturbed. Resolves once the slots are right, not when the servers have started.
   */
  reconcile(records: ServerRecord[], eras: Map<string, StoredEraVerdict>): void {
    const next = new Set(records.map((record) => record.name));
    const work: Promise<unknown>[] = [];
    for (const [name, slot] of this.slots) {
      if (next.has(name)) continue;
      this.slots.delete(name);
      work.push(this.stopSlot(slot));
    }
    for (const record of records) {
      const slot = this.slots.get(record.name);
      if (!slot) {
        this.slots.set(record.name, { record, era: eras.get(record.name), generation: 0 });
        if (record.enabled) this.start(record.name);
        continue;
      }
      const previous = slot.record;
      slot.record = record;
      slot.era = eras.get(record.name);
      const changed = previous.updatedAt !== record.updatedAt || JSON.stringify(previous.config) !== JSON.stringify(record.config);
      // Unchanged servers are left alone, unless they wait for an authorization another replica may have finished.
      const waiting = slot.connection?.state.status === 'needs_authorization';
      if (!changed && !waiting && (slot.connection || !record.enabled)) continue;
      work.push(this.stopSlot(slot).then(() => (record.enabled ? this.launchLogged(slot) : undefined)));
    }
    this.emit('changed');
    void Promise.allSettled(work);
  }

  /** Puts a server's new or changed record in its slot (starting or stopping is asked for apart). */
  put(record: ServerRecord): void {
    const slot = this.slots.get(record.name);
    if (slot) slot.record = record;
    else this.slots.set(record.name, { record, generation: 0 });
  }

  /** Keeps a verdict in the server's slot (its store write is the caller's). */
  noteEra(name: string, era: StoredEraVerdict): void {
    const slot = this.slots.get(name);
    if (slot) slot.era = era;
  }

  /** Stops a server and empties its slot. */
  async remove(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) return;
    await this.stopSlot(slot);
    if (this.slots.get(name) === slot) this.slots.delete(name);
  }

  /** Starts a server in the background; a failure is logged and shown as the server's error. */
  start(name: string): void {
    const slot = this.slots.get(name);
    if (slot) void this.launchLogged(slot);
  }

  /** Starts a server and waits until it runs or failed (a failure is logged and shown, not thrown). */
  async startAndWait(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (slot) await this.launchLogged(slot);
  }

  /** Stops a server's connection (if any) and cancels a start in progress; the slot stays. */
  async stop(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (slot) await this.stopSlot(slot);
  }

  /** Stops and starts a server, probing its protocol era again. */
  async restart(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) return;
    await this.stopSlot(slot);
    slot.era = undefined;
    // Not dropped (the database is down): the start cannot read it either, so it probes anyway.
    await this.options.store.protocolEras
      .drop(name)
      .catch((error: unknown) => this.options.logger.warn({ server: name, reason: (error as Error).message }, 'could not drop the stored protocol era'));
    await this.launchLogged(slot);
  }

  /** Makes a connection that already started (a registration's) the server's own, replacing any other. */
  adopt(connection: UpstreamConnection): void {
    const slot = this.slots.get(connection.name);
    if (!slot) return void connection.stop();
    slot.generation++;
    this.attach(slot, connection);
  }

  /** Stops every connection (children killed), in parallel. */
  async stopAll(): Promise<void> {
    const stopping: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      if (!slot.connection) continue;
      slot.generation++;
      stopping.push(this.release(slot));
    }
    await Promise.allSettled(stopping);
  }

  private async launchLogged(slot: UpstreamSlot, stored?: StoredStart): Promise<void> {
    try {
      await this.launch(slot, stored);
    } catch (error) {
      this.logStartFailure(slot, error);
    }
  }

  /**
   * Creates the connection for the slot's record and starts it (unless superseded meanwhile). With
   * a `stored` catalog the connection lists it until it has its own, and when `asleep` it does not
   * start now but at its first use.
   */
  private async launch(slot: UpstreamSlot, stored?: StoredStart): Promise<void> {
    const generation = ++slot.generation;
    const record = slot.record;
    const [config, priorEra] = await Promise.all([resolveSecrets(record.config, this.options.secrets), this.priorEra(slot)]);
    if (this.slots.get(record.name) !== slot || slot.generation !== generation || !slot.record.enabled) return;
    const connection = this.options.create(config, { priorEra, ...(stored ? { cachedCatalog: stored.catalog } : {}) });
    this.attach(slot, connection);
    this.emit('changed');
    if (stored?.asleep) return;
    try {
      await connection.start();
    } catch (error) {
      // Stopped or replaced while starting: not a failure of the server.
      if (slot.connection !== connection) return;
      throw error;
    }
  }

  private logStartFailure(slot: UpstreamSlot, error: unknown): void {
    const reason = (error as Error).message;
    this.options.logger.warn({ server: slot.record.name, reason }, 'server did not start');
    // Failing before any connection exists (e.g. a secret missing from the store) is shown as the server's error.
    if (!slot.connection) {
      slot.launchError = reason;
      this.emit('changed');
    }
  }

  private attach(slot: UpstreamSlot, connection: UpstreamConnection): void {
    slot.launchError = undefined;
    if (slot.connection && slot.connection !== connection) void this.release(slot);
    slot.connection = connection;
    const changed = () => {
      if (slot.connection === connection) this.emit('changed');
    };
    const era = (verdict: EraVerdict) => void this.saveEra(slot, connection, verdict);
    const catalog = () => {
      changed();
      void this.saveCatalog(slot, connection);
    };
    connection.on('state', changed);
    connection.on('catalog', catalog);
    connection.on('era', era);
    const timeoutMs = idleTimeoutMs(slot.record.config, this.options.idleTimeoutSeconds);
    const unwatchIdle = timeoutMs !== undefined ? watchIdle(connection, timeoutMs) : undefined;
    // A registration's connection learned its catalog before it was adopted.
    if (connection.state.status === 'running') void this.saveCatalog(slot, connection);
    slot.unwatch = () => {
      connection.off('state', changed);
      connection.off('catalog', catalog);
      connection.off('era', era);
      unwatchIdle?.();
    };
  }

  /** Takes the slot's connection out and stops it after removing only the supervisor's listeners (waiting callers still hear it stop). */
  private async release(slot: UpstreamSlot): Promise<void> {
    const connection = slot.connection;
    slot.unwatch?.();
    slot.connection = undefined;
    slot.unwatch = undefined;
    await connection?.stop();
  }

  private async stopSlot(slot: UpstreamSlot): Promise<void> {
    slot.generation++;
    slot.launchError = undefined;
    await this.release(slot);
  }

  /** Keeps the verdict a probe of the live connection found (other replicas starting the server use it). */
  private async saveEra(slot: UpstreamSlot, connection: UpstreamConnection, verdict: EraVerdict): Promise<void> {
    if (slot.connection !== connection || this.slots.get(slot.record.name) !== slot) return;
    const stored = storedVerdict(verdict, connection.config);
    slot.era = stored;
    this.emit('changed');
    try {
      await this.options.store.protocolEras.save(connection.name, stored);
    } catch (error) {
      this.options.logger.warn({ server: connection.name, reason: (error as Error).message }, 'could not store the protocol era; the server is probed again at its next start');
    }
  }

  /** Stores the catalog a running stdio server offers, when it differs from the stored one (what a gateway start lists while the server sleeps). */
  private async saveCatalog(slot: UpstreamSlot, connection: UpstreamConnection): Promise<void> {
    const { catalog } = connection;
    if (!catalog || slot.connection !== connection || !cachesCatalog(slot.record.config)) return;
    const json = JSON.stringify(catalog);
    if (json === slot.storedCatalog) return;
    slot.storedCatalog = json;
    try {
      await this.options.store.catalogCache.save(slot.record.name, cachedCatalog(catalog, slot.record.config));
    } catch (error) {
      if (slot.storedCatalog === json) slot.storedCatalog = undefined;
      this.options.logger.warn({ server: slot.record.name, reason: (error as Error).message }, 'could not store the catalog; the server starts once at the next gateway start to learn it');
    }
  }

  /** The stored verdict a start may use instead of probing (none when the database cannot say). */
  private async priorEra(slot: UpstreamSlot): Promise<EraVerdict | undefined> {
    const { record } = slot;
    try {
      const stored = await this.options.store.protocolEras.get(record.name);
      slot.era = stored;
      return freshVerdict(stored, record.config);
    } catch (error) {
      this.options.logger.warn({ server: record.name, reason: (error as Error).message }, 'could not read the stored protocol era; probing the server');
      return undefined;
    }
  }
}
