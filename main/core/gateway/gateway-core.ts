// The routing heart shared by every downstream session: the catalog, the sessions, and what flows
// from upstreams to clients (list_changed, logs, resource updates, sampling/elicitation/roots).
import { randomUUID } from 'node:crypto';
import { LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/core';
import {
  ProtocolErrorCode,
  type CallToolResult,
  type LoggingMessageNotification,
  type Progress,
  type ReadResourceResult,
  type RequestMethod,
  type ResultTypeMap,
  type ServerNotification,
} from '@modelcontextprotocol/server';
import { Catalog, type CatalogSource, type CatalogView, type GroupLookup, type ViewSpec } from './catalog.ts';
import { sessionDeclaration, type SessionDeclaration } from './session-capabilities.ts';
import { DownstreamSession, type SessionHost, type SessionOptions } from './downstream-session.ts';
import { ADMIN_ORIGIN, CALL_TIMEOUT_MS, CallPipeline, sendUpstream, type CallRecord, type FilterSource, type PipelineCaller, type Send } from './call-pipeline.ts';
import { InputRequiredBridge } from './input-required-bridge.ts';
import { IsolatedUpstreams, type ConnectIsolated } from './isolated-upstreams.ts';
import type { LeaseLimits } from './connection-leases.ts';
import { PerUserUpstreams, type PerUserSource } from './per-user-upstreams.ts';
import { ConnectionRequired } from './connection-required.ts';
import { isPerUser, type ServerConfig } from '../config/server-config.ts';
import { NotificationQueue, type NotificationCounters } from './notification-queue.ts';
import { Subscriptions } from './subscriptions.ts';
import { mostVerbose, passes } from './logging-levels.ts';
import { waitForConnection } from './starting-servers.ts';
import type { UpstreamConnection, UpstreamRequest, UpstreamRequestOptions } from '../upstream/types.ts';
import { JsonRpcError } from '../upstream/json-rpc-error.ts';

/** Who an admin-API request acts as on the MCP side (its identity, allow-list, and the user it acts for). */
type AdminCaller = { identity?: string; filter?: FilterSource; user?: string };

/** The admin API calls through the aggregated view, under the names /mcp lists. */
const ADMIN_VIEW = { kind: 'all' } as const;

/** An admin-API call's progress listener and its cancel signal. */
export interface CallOptions {
  onprogress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface GatewayCoreOptions {
  source: CatalogSource;
  version: string;
  /** Tool groups by name (for group views). */
  groups?: GroupLookup;
  /** Telemetry / audit hook for every tool call, prompt get and resource read. */
  onCall?: (record: CallRecord) => void;
  /** Makes the per-session connections of servers with "isolation": "per_session". */
  connectIsolated?: ConnectIsolated;
  isolationLimits?: LeaseLimits;
  /** Servers with "credentials": "per_user": how a user's own connection is made, and where users connect their accounts. */
  perUser?: PerUserOptions;
}

export interface PerUserOptions extends PerUserSource {
  /** The page where a user connects `server` (undefined: the gateway knows no public URL for it). */
  connectUrl(server: string): string | undefined;
  /** The upstream refused what `user` connected of `server`. */
  refused(user: string, server: string): void;
}

/** A connection a request goes through, and what to call when the request is done. */
export interface HeldUpstream {
  connection: UpstreamConnection;
  release: () => void;
}


export class GatewayCore implements SessionHost {
  readonly catalog: Catalog;
  readonly isolated: IsolatedUpstreams;
  readonly perUser: PerUserUpstreams;
  readonly subscriptions = new Subscriptions();
  readonly sessions = new Map<string, DownstreamSession>();
  readonly source: CatalogSource;
  readonly version: string;
  readonly pipeline: CallPipeline = new CallPipeline(this);
  private notifyScheduled = false;
  private readonly listsChangedListeners: (() => void)[] = [];
  /** Calls of 2026-07-28 callers on 2025 servers, waiting between input_required rounds. */
  readonly inputRequired = new InputRequiredBridge();
  /** Last level sent to each upstream, so a setLevel goes out only when it changes. */
  private readonly upstreamLevels = new Map<string, string>();

  private readonly notificationQueues = new Map<string, NotificationQueue>();
  /** Sessions told to connect an account (URL elicitation), by user and server, then by session: what to do once it is connected. */
  private readonly awaitingConnection = new Map<string, Map<string, () => void>>();
  /**
   * What sessions of each view declare. The catalog builds its views anew on every change that could
   * alter a declaration (see `invalidate`), so an entry lives exactly as long as its view.
   */
  private readonly declarations = new WeakMap<CatalogView, SessionDeclaration>();

  constructor(private readonly options: GatewayCoreOptions) {
    this.source = options.source;
    this.version = options.version;
    this.catalog = new Catalog(options.source, options.groups);
    this.isolated = new IsolatedUpstreams(options.connectIsolated, options.isolationLimits);
    this.perUser = new PerUserUpstreams(options.perUser);
  }

  connection(name: string): UpstreamConnection | undefined {
    return this.source.connection(name);
  }

  /**
   * A server's endpoint declares what its upstream offers: before its first session, wait (bounded)
   * for an upstream that has not run yet to say. One that cannot start is declared as unknown.
   */
  async learnCapabilities(spec: ViewSpec): Promise<void> {
    if (spec.kind !== 'server' || !this.source.server(spec.server)?.enabled) return;
    const connection = await waitForConnection(this.source, spec.server);
    if (connection && !connection.catalog) await connection.ready().catch(() => {});
  }

  declaration(spec: ViewSpec, view: CatalogView): SessionDeclaration {
    let declared = this.declarations.get(view);
    if (!declared) {
      declared = sessionDeclaration(this.source, spec, view);
      this.declarations.set(view, declared);
    }
    return declared;
  }

  /**
   * A session for one 2026-07-28 request (stateless: nothing outlives the request but a bridged
   * call waiting in `inputRequired`). Not kept with the sessions: it has no stream to notify.
   */
  createRequestSession(options: Omit<SessionOptions, 'id' | 'modern'>): DownstreamSession {
    return new DownstreamSession(this, { ...options, id: randomUUID(), modern: true });
  }

  /** Called once per change of the lists (after `invalidate`), for listeners without a session (2026-07-28 listen streams). */
  onListsChanged(listener: () => void): void {
    this.listsChangedListeners.push(listener);
  }

  createSession(options: Omit<SessionOptions, 'id'> & { id?: string }): DownstreamSession {
    const session = new DownstreamSession(this, { ...options, id: options.id ?? randomUUID() });
    this.sessions.set(session.id, session);
    return session;
  }

  async closeSession(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    for (const waiting of this.awaitingConnection.values()) waiting.delete(id);
    await Promise.allSettled([session.close(), this.isolated.closeSession(id)]);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    this.inputRequired.close();
    await Promise.allSettled([...all.map((s) => s.close()), this.isolated.stop(), this.perUser.stop()]);
  }

  /**
   * The connection a session's request to `server` goes through — the shared one, for a server with
   * "isolation": "per_session" the session's own (a 2026-07-28 request has no session to give it
   * one: it uses the shared connection), for a per-user server the caller's own — and what to call
   * when the request is done.
   */
  async upstreamFor(session: DownstreamSession, server: string): Promise<HeldUpstream | undefined> {
    const shared = this.connection(server);
    if (!shared) return undefined;
    if (isPerUser(shared.config)) return this.perUserUpstream(shared.config, session.user);
    if (session.modern || shared.config.isolation !== 'per_session') return { connection: shared, release: () => {} };
    return this.isolated.acquire(session, shared.config);
  }

  /**
   * `user`'s own connection to a per-user server, running. The server's shared connection (which
   * lists its catalog with some user's account) is never the answer: a caller without an account
   * of their own gets ConnectionRequired.
   */
  private async perUserUpstream(config: ServerConfig, user: string | undefined): Promise<HeldUpstream> {
    if (user === undefined) throw new ConnectionRequired(config.name, 'no_user', undefined);
    const held = await this.perUser.acquire(user, config);
    if (!held) throw new ConnectionRequired(config.name, 'not_connected', this.options.perUser?.connectUrl(config.name));
    await held.connection.ready().catch(() => {});
    const refused = this.refusedAccount(held.connection, user);
    if (refused) {
      held.release();
      throw refused;
    }
    return held;
  }

  /**
   * When the upstream refused the account `connection` (a user's own) was made with — a revoked
   * token, a lost OAuth grant — the user must connect again: the connection goes, and what to tell
   * them is returned. Undefined for any other state.
   */
  refusedAccount(connection: UpstreamConnection, user: string | undefined): ConnectionRequired | undefined {
    if (user === undefined || !isPerUser(connection.config) || connection.state.status !== 'needs_authorization') return undefined;
    this.perUser.close(user, connection.name);
    this.options.perUser?.refused(user, connection.name);
    return new ConnectionRequired(connection.name, 'refused', this.options.perUser?.connectUrl(connection.name));
  }

  whenConnected(user: string, server: string, sessionId: string, then: () => void): void {
    const key = `${user}\u0000${server}`;
    const waiting = this.awaitingConnection.get(key) ?? new Map<string, () => void>();
    this.awaitingConnection.set(key, waiting.set(sessionId, then));
  }

  /** `user` connected their account of `server`: the sessions sent to do it hear so. */
  accountConnected(user: string, server: string): void {
    const key = `${user}\u0000${server}`;
    const waiting = this.awaitingConnection.get(key);
    this.awaitingConnection.delete(key);
    for (const then of waiting?.values() ?? []) then();
  }

  /** Whether calls to `server` use each caller's own credentials. */
  isPerUser(server: string): boolean {
    const config = this.connection(server)?.config;
    return config !== undefined && isPerUser(config);
  }

  /**
   * The admin API's invoke: through the call pipeline on the aggregated view, so naming, switches,
   * allow-lists and telemetry apply exactly as on /mcp. Aborting `signal` cancels the upstream call.
   */
  invokeTool(exposedName: string, input: Record<string, unknown>, caller: AdminCaller = {}, options: CallOptions = {}): Promise<CallToolResult> {
    const send: Send = (server, request) =>
      this.sendAsAdmin(server, request, { timeout: CALL_TIMEOUT_MS, resetTimeoutOnProgress: true, onprogress: options.onprogress, signal: options.signal }, caller.user);
    return this.pipeline.call(adminCaller(caller), 'tool', { name: exposedName, arguments: input }, send) as Promise<CallToolResult>;
  }

  /** The admin API's resource read by exposed URI, through the call pipeline like `invokeTool`. */
  readResource(exposedUri: string, caller: AdminCaller = {}): Promise<ReadResourceResult> {
    return this.pipeline.call(adminCaller(caller), 'resource', { uri: exposedUri }, (server, request) => this.sendAsAdmin(server, request, {}, caller.user));
  }

  /**
   * An admin-API request goes through the server's shared connection (a per-user server's: the
   * caller's own): it has no MCP session to give a server with "isolation": "per_session" a
   * connection of its own, and nobody to answer what the server asks during the call (sampling,
   * elicitation, roots are refused with a message).
   */
  private async sendAsAdmin<M extends RequestMethod>(
    server: string,
    request: UpstreamRequest<M>,
    options: UpstreamRequestOptions,
    user: string | undefined,
  ): Promise<ResultTypeMap[M]> {
    const connection = this.connection(server);
    if (!connection) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `no server named '${server}' is registered`);
    const held = isPerUser(connection.config) ? await this.perUserUpstream(connection.config, user) : { connection, release: () => {} };
    try {
      return await sendUpstream(server, held.connection, request, options, ADMIN_ORIGIN);
    } catch (error) {
      throw this.refusedAccount(held.connection, user) ?? error;
    } finally {
      held.release();
    }
  }

  recordCall(record: CallRecord): void {
    this.options.onCall?.(record);
  }

  /**
   * Something that shapes the lists changed: recompute views and tell listening sessions, once per
   * tick. Sessions without an open stream could not receive list_changed now; they are told when
   * they open one, and their next list request is fresh anyway.
   */
  invalidate(): void {
    this.catalog.invalidate();
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      for (const session of this.sessions.values()) if (session.listening) void session.notifyListChanges();
      for (const listener of this.listsChangedListeners) listener();
    });
  }

  /** Sessions that can see `server` and can receive a message outside any request now. */
  private listenersOf(server: string): DownstreamSession[] {
    return [...this.sessions.values()].filter((s) => s.listening && s.view().includesServer(server));
  }

  /** A notification an upstream sent (other than list_changed, which the connection handles): queued, bounded per upstream. */
  upstreamNotified(server: string, notification: ServerNotification): void {
    let queue = this.notificationQueues.get(server);
    if (!queue) {
      queue = new NotificationQueue(server, (next) => this.relayUpstreamNotification(server, next));
      this.notificationQueues.set(server, queue);
    }
    queue.push(notification);
  }

  /** How many notifications of `server` were received, relayed, dropped and coalesced. */
  notificationCounters(server: string): NotificationCounters | undefined {
    return this.notificationQueues.get(server)?.counters;
  }

  private async relayUpstreamNotification(server: string, notification: ServerNotification): Promise<void> {
    // Upstreams are not trusted to send well-formed notifications: check before reading them.
    if (notification.method === 'notifications/resources/updated') {
      const updated = ResourceUpdatedNotificationSchema.safeParse(notification);
      if (updated.success) await this.subscriptions.updated(server, updated.data.params.uri);
      return;
    }
    if (notification.method === 'notifications/message') {
      const parsed = LoggingMessageNotificationSchema.safeParse(notification);
      if (!parsed.success) return;
      const message = parsed.data;
      const logger = message.params.logger ? `${server}/${message.params.logger}` : server;
      const relayed: LoggingMessageNotification = { ...message, params: { ...message.params, logger } };
      await Promise.allSettled(
        this.listenersOf(server)
          .filter((s) => passes(message.params.level, s.logLevel))
          .map((s) => s.relay(s.spec.kind === 'server' ? message : relayed)),
      );
    }
  }

  /** Sends each running upstream the most verbose level any session watching it asked for. */
  async applyLogLevels(): Promise<void> {
    const work: Promise<unknown>[] = [];
    for (const { name } of this.source.servers()) {
      const connection = this.connection(name);
      const client = connection?.client;
      if (!client || !connection?.catalog?.capabilities.logging) continue;
      const watching = [...this.sessions.values()].filter((s) => s.logLevel && s.view().includesServer(name));
      const level = mostVerbose(watching.map((s) => s.logLevel));
      if (!level || this.upstreamLevels.get(name) === level) continue;
      this.upstreamLevels.set(name, level);
      work.push(client.setLoggingLevel(level).catch(() => this.upstreamLevels.delete(name)));
    }
    await Promise.allSettled(work);
  }

  /** An upstream restarted: it forgot its log level and subscriptions, so send them again. */
  async restoreUpstreamSession(server: string): Promise<void> {
    this.upstreamLevels.delete(server);
    await this.applyLogLevels();
    const client = this.connection(server)?.client;
    if (!client) return;
    // Through the connection: a modern server hears of them on its listen stream, not by resources/subscribe.
    const connection = this.connection(server)!;
    await Promise.allSettled(this.subscriptions.watchedUris(server).map((uri) => connection.request({ method: 'resources/subscribe', params: { uri } })));
  }

  /**
   * A client's roots changed: tell its own connections, which ask it for the new roots. Shared
   * connections declare no roots (one connection cannot have each client's), so they hear nothing.
   */
  async forwardRootsChanged(session: DownstreamSession): Promise<void> {
    await Promise.allSettled(this.isolated.connectionsOf(session.id).map((connection) => connection.client?.sendRootsListChanged()));
  }
}

function adminCaller(caller: AdminCaller): PipelineCaller {
  return { identity: caller.identity, filter: caller.filter, spec: ADMIN_VIEW };
}

export type { ViewSpec };
