// One connection per registered server: connects (or spawns) and initializes, fetches the catalog,
// keeps it fresh on list_changed, relays notifications and server→client requests, and restarts with
// backoff when the process crashes or the connection drops. The same state machine serves stdio
// and HTTP; only `createTransport` differs. Streamable-HTTP upstreams are reached in the era they
// speak (SDK v2 version negotiation: a `server/discover` probe, or a verdict stored from one);
// stdio and SSE upstreams in the 2025 era.
import { EventEmitter } from 'node:events';
import {
  Client,
  SdkError,
  SdkErrorCode,
  StreamableHTTPClientTransport,
  ProtocolErrorCode,
  type CallToolRequest,
  type ClientCapabilities,
  type ClientContext,
  type DiscoverResult,
  type Implementation,
  type McpSubscription,
  type PriorDiscovery,
  type RequestId,
  type RequestMethod,
  type ResultTypeMap,
  type ServerNotification,
  type ServerRequest,
  type SubscriptionFilter,
  type Transport,
} from '@modelcontextprotocol/client';
import { isPerUser, type ServerConfig } from '../config/server-config.ts';
import { backoffDelay, DEFAULT_BACKOFF, withJitter, type BackoffSettings } from './backoff.ts';
import { mirrorsArguments } from './mcp-headers.ts';
import { createModernForwarder, type ModernForwarder } from './modern-forward.ts';
import { fetchCatalogPart, type CatalogLists } from './catalog.ts';
import { resolveCommandOnThisMachine, workingDirectory } from './command-resolution.ts';
import { withTimeout } from './deadline.ts';
import { JsonRpcError, relayable } from './json-rpc-error.ts';
import { errorText, formatOutputTail, isUnauthorized, needsAuthorizationMessage, noConnectedAccountMessage, rejectedCredentialsMessage } from './failure.ts';
import { createHttpTransport, upstreamHeaders, type UpstreamAuth } from './http-transport.ts';
import { LogRing, type LogRingOptions } from './log-ring.ts';
import { StdioProcessTransport } from './stdio-transport.ts';
import { RequestOrigins, type RequestOrigin } from './request-origins.ts';
import type {
  CatalogPart,
  EraVerdict,
  ServerRequestHandler,
  UpstreamCatalog,
  UpstreamConnection,
  UpstreamEvents,
  UpstreamRequest,
  UpstreamRequestOptions,
  UpstreamState,
} from './types.ts';

export type UpstreamLogger = (level: 'info' | 'warn' | 'error', message: string, server: string) => void;

export interface UpstreamConnectionOptions {
  /**
   * Base environment of stdio children (the login-shell environment, awaited at the first spawn: it
   * may still be being read while the gateway already answers); `config.env` is laid over it. Default process.env.
   */
  env?: NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv>;
  /**
   * OAuth for HTTP/SSE upstreams, or a bearer token source (a per-user server's account); without
   * one, a 401 is a credentials error.
   */
  authProvider?: UpstreamAuth;
  /** Spawn/connect plus initialize, and each catalog request; a server's `initialize_timeout_ms` wins. Default 30 s. */
  initializeTimeoutMs?: number;
  backoff?: Partial<BackoffSettings>;
  /** stdio: SIGTERM → SIGKILL grace. Default 3 s. */
  killGraceMs?: number;
  /** HTTP/SSE: how often an idle connection is pinged to notice a dead server (0: never). Default 30 s. */
  pingIntervalMs?: number;
  /** Bounds of the per-server log (default 500 lines of at most 2,000 characters). */
  logLimits?: LogRingOptions;
  /** Lifecycle messages (never secrets) for the gateway's own log. */
  logger?: UpstreamLogger;
  clientInfo?: Implementation;
  /**
   * What Canopy declares to the server as its client. Default: sampling and elicitation, which
   * Canopy relays to the client whose call a request belongs to — never roots, since one connection
   * shared by many clients cannot have any one client's roots.
   */
  clientCapabilities?: ClientCapabilities;
  /**
   * The connection serves one downstream client (per-session isolation): a request that belongs to
   * one of several running calls may go to the handler, since they are all that client's.
   */
  servesOneClient?: boolean;
  /**
   * A stored verdict still fresh (see the registry's era policy): connect in that era without probing
   * (streamable HTTP only). A modern verdict the server no longer matches is dropped and the server probed again.
   */
  priorEra?: EraVerdict;
  /** A catalog learned before (stored): the connection begins 'sleeping' with it listed, and starts at its first `ready()`. */
  cachedCatalog?: UpstreamCatalog;
}

const SHARED_CLIENT_CAPABILITIES: ClientCapabilities = { sampling: {}, elicitation: { form: {}, url: {} } };
/**
 * The shared connection of a server with "isolation": "per_session" only fetches the catalog (calls
 * go through each session's own connection): it declares everything a client may declare, so the
 * list holds every tool some client can use. Requests it gets from the server belong to no client.
 */
const CATALOG_CLIENT_CAPABILITIES: ClientCapabilities = { ...SHARED_CLIENT_CAPABILITIES, roots: { listChanged: true } };

const ALL_PARTS: CatalogPart[] = ['tools', 'prompts', 'resources'];
/** Lines of the connection's own lifecycle in the log (told apart from the server's stderr). */
const NOTE_PREFIX = '[canopy] ';
const OUTPUT_TAIL_LINES = 5;
/** list_changed notifications arriving during a refresh cause at most this many refetches in a row. */
const MAX_REFRESH_ROUNDS = 5;
const PROBE_TIMEOUT_MS = 10_000;
const DEFAULT_INITIALIZE_TIMEOUT_MS = 30_000;
/** A call waits at most this long for a starting server, however long its initialize may take. */
const MAX_READY_WAIT_MS = 60_000;
const TERMINATE_SESSION_TIMEOUT_MS = 2_000;
const DEFAULT_CLIENT_INFO: Implementation = { name: 'canopy', version: '0.1.0' };

/** A start that cannot succeed by retrying (e.g. the command does not exist). */
class CannotStartError extends Error {}

/** One try at connecting: its own client and transport, so late events of an old try are ignored. */
interface Attempt {
  client: Client;
  transport: Transport;
  /** Which downstream call each server→client request belongs to. */
  origins: RequestOrigins;
  /** Log position when it began: the output of this try alone goes into error messages. */
  logMark: number;
  ready: boolean;
  protocolVersion?: string;
  /** It connected with a stored verdict instead of probing. */
  adoptedPrior?: boolean;
  /** The modern era's `subscriptions/listen` stream carrying list changes and resource updates. */
  listening?: McpSubscription;
  failure?: string;
  probing: boolean;
  /** Catalog parts to (re)fetch: list_changed seen during initialize, or during a running refresh. */
  dirty: Set<CatalogPart>;
  refreshing: Set<CatalogPart>;
  timers: NodeJS.Timeout[];
}

export function createUpstreamConnection(config: ServerConfig, options: UpstreamConnectionOptions = {}): UpstreamConnection {
  return new SupervisedConnection(config, options);
}

class SupervisedConnection extends EventEmitter<UpstreamEvents> implements UpstreamConnection {
  readonly name: string;
  private _state: UpstreamState;
  private _catalog: UpstreamCatalog | undefined;
  /** Requests sent and not answered yet, and when the last one began or ended (see `idleSince`). */
  private inFlight = 0;
  private lastUsedAt = Date.now();
  private _era: EraVerdict | undefined;
  /** The verdict the next connect adopts instead of probing: the stored one, then the last connection's. */
  private prior: EraVerdict | undefined;
  /**
   * Resources the gateway subscribed to. A 2025-era server hears resources/subscribe; on a modern one
   * they are the `resourceSubscriptions` of the listen stream, reopened when the set changes.
   */
  private readonly subscribedUris = new Set<string>();
  private active: Attempt | undefined;
  private starting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private restartNumber = 0;
  private failuresBeforeReady = 0;
  /** Whether a start that fails before the server ever ran is retried (not for a registration being tried out). */
  private retryFirstStart = true;
  private handler: ServerRequestHandler | undefined;
  private readonly log: LogRing;
  private readonly backoff: BackoffSettings;
  private readonly initializeTimeoutMs: number;
  private readonly headers: Record<string, string>;
  private forwarder: ModernForwarder | undefined;

  constructor(
    readonly config: ServerConfig,
    private readonly options: UpstreamConnectionOptions,
  ) {
    super();
    this.name = config.name;
    // Every call waiting in ready() (a sleeping server woken by many calls at once) listens for 'state' until it settles.
    this.setMaxListeners(0);
    this._catalog = options.cachedCatalog;
    this._state = { status: options.cachedCatalog ? 'sleeping' : 'stopped', crashes: 0, since: new Date().toISOString() };
    this.log = new LogRing(options.logLimits);
    this.prior = options.priorEra;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.initializeTimeoutMs = config.initialize_timeout_ms ?? options.initializeTimeoutMs ?? DEFAULT_INITIALIZE_TIMEOUT_MS;
    const { headers, warnings } = upstreamHeaders(config);
    this.headers = headers;
    for (const warning of warnings) this.note(warning, 'warn');
  }

  get state(): UpstreamState {
    return this._state;
  }

  get catalog(): UpstreamCatalog | undefined {
    return this._catalog;
  }

  get era(): EraVerdict | undefined {
    return this._era;
  }

  get client(): Client | undefined {
    return this._state.status === 'running' ? this.active?.client : undefined;
  }

  logLines(): string[] {
    return this.log.all();
  }

  forwardModern(body: string, protocolHeaders: Record<string, string>, signal: AbortSignal): Promise<Response> {
    this.forwarder ??= createModernForwarder(this.config, this.headers, this.options.authProvider);
    return this.forwarder(body, protocolHeaders, signal);
  }

  setServerRequestHandler(handler: ServerRequestHandler): void {
    this.handler = handler;
  }

  start(options: { retry?: boolean } = {}): Promise<void> {
    if (this._state.status === 'running') return Promise.resolve();
    if (this.starting) return this.starting;
    // Started by hand: the crash history and the backoff begin anew.
    this.restartNumber = 0;
    this.failuresBeforeReady = 0;
    this.retryFirstStart = options.retry ?? true;
    return this.attempt({ crashes: 0 });
  }

  stop(): Promise<void> {
    return this.halt('stopped');
  }

  sleep(): Promise<void> {
    if (this._state.status !== 'running') return Promise.resolve();
    this.note('idle: stopping until the next request');
    return this.halt('sleeping');
  }

  idleSince(): number | undefined {
    return this.inFlight > 0 || this.subscribedUris.size > 0 ? undefined : this.lastUsedAt;
  }

  private async halt(status: 'stopped' | 'sleeping'): Promise<void> {
    clearTimeout(this.retryTimer);
    const attempt = this.active;
    this.active = undefined;
    this.starting = undefined; // a start right after stop must not join the one being cancelled
    if (attempt) await this.closeAttempt(attempt);
    this.setState({ status, lastError: undefined, nextRetryAt: undefined, pid: undefined });
  }

  ready(timeoutMs = Math.min(this.initializeTimeoutMs + 5_000, MAX_READY_WAIT_MS)): Promise<Client> {
    // Asking for the server is a use: it does not fall asleep between this and the request that follows.
    this.lastUsedAt = Date.now();
    const client = this.client;
    if (client) return Promise.resolve(client);
    const { status, lastError } = this._state;
    if (status === 'error' || status === 'needs_authorization') return Promise.reject(new Error(lastError));
    if (status === 'stopped' || status === 'sleeping') this.start().catch(() => {}); // the outcome arrives as 'state' events
    // A call wants the server now: the scheduled retry is not waited for (a server that came back
    // is used at once; one still down fails this try and schedules the next as usual).
    if (status === 'crashed' && !this.starting) this.attempt().catch(() => {});
    return new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.off('state', onState);
        if (error) reject(error);
        else resolve(this.active!.client);
      };
      const onState = (state: UpstreamState) => {
        if (state.status === 'running') finish();
        // 'crashed': the try this call waited for failed; the call says why instead of waiting out the backoff.
        else if (state.status === 'error' || state.status === 'needs_authorization' || state.status === 'crashed') finish(new Error(state.lastError));
        else if (state.status === 'stopped') finish(new Error(`server '${this.name}' was stopped`));
        // It fell asleep just as this call came: wake it again.
        else if (state.status === 'sleeping') this.start().catch(() => {});
      };
      const timer = setTimeout(() => {
        const { status: now, lastError: why } = this._state;
        const waited = formatDelay(timeoutMs, 's');
        finish(
          new Error(
            now === 'starting'
              ? `server '${this.name}' is starting (waited ${waited}); try again in a moment`
              : `server '${this.name}' is not ready after ${waited} (${now}${why ? `: ${why}` : ''})`,
          ),
        );
      }, timeoutMs);
      this.on('state', onState);
    });
  }

  // --- connecting ---------------------------------------------------------------------------

  private attempt(stateChange: Partial<UpstreamState> = {}): Promise<void> {
    const promise = this.connect(stateChange).finally(() => {
      if (this.starting === promise) this.starting = undefined;
    });
    this.starting = promise;
    return promise;
  }

  private async connect(stateChange: Partial<UpstreamState>): Promise<void> {
    clearTimeout(this.retryTimer);
    this.setState({ ...stateChange, status: 'starting', nextRetryAt: undefined, pid: undefined });
    const logMark = this.log.mark();
    let transport: Transport;
    let origins: RequestOrigins | undefined;
    try {
      transport = await this.createTransport((serverRequestId, postedId) => origins?.noteRelated(serverRequestId, postedId));
    } catch (error) {
      this.giveUp(error instanceof CannotStartError ? error.message : `server '${this.name}' cannot start: ${errorText(error)}`);
      throw new Error(this._state.lastError, { cause: error });
    }
    const negotiates = this.config.transport === 'streamable_http';
    const client = this.createClient(negotiates);
    origins = new RequestOrigins(transport, negotiates);
    const attempt: Attempt = { client, transport, origins, logMark, ready: false, probing: false, dirty: new Set(), refreshing: new Set(), timers: [] };
    // Every transport learns the negotiated version this way (stdio has no use for it itself).
    const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
    transport.setProtocolVersion = (version) => {
      attempt.protocolVersion = version;
      setProtocolVersion?.(version);
    };
    this.active = attempt;
    this.wireClient(attempt);
    try {
      // Bounds the transport's own start too (an SSE stream that never sends its endpoint).
      const limit = `did not finish initializing within ${formatDelay(this.initializeTimeoutMs, 's')}`;
      const { verdict, probed } = await withTimeout(this.connectClient(attempt, negotiates), this.initializeTimeoutMs, limit);
      this.assertCurrent(attempt);
      this._era = this.prior = verdict;
      if (probed) this.emit('era', verdict);
      if (isModern(attempt)) await this.listen(attempt);
      this.assertCurrent(attempt);
      const lists = await this.fetchParts(attempt.client, ALL_PARTS);
      this.assertCurrent(attempt);
      this._catalog = {
        serverInfo: attempt.client.getServerVersion() ?? { name: this.name, version: 'unknown' },
        capabilities: attempt.client.getServerCapabilities() ?? {},
        instructions: attempt.client.getInstructions(),
        protocolVersion: attempt.client.getNegotiatedProtocolVersion() ?? attempt.protocolVersion,
        ...(lists as CatalogLists),
      };
    } catch (error) {
      if (this.active !== attempt) throw new Error(`server '${this.name}' was stopped while starting`, { cause: error });
      throw new Error(this.fail(attempt, error), { cause: error });
    }
    attempt.ready = true;
    this.failuresBeforeReady = 0;
    this.retryFirstStart = true;
    const pid = transport instanceof StdioProcessTransport ? transport.pid : undefined;
    this.note(pid ? `running (pid ${pid})` : 'connected');
    this.setState({ status: 'running', lastError: undefined, pid });
    this.emit('catalog', ALL_PARTS);
    this.scheduleWhileRunning(attempt);
    for (const part of attempt.dirty) this.refresh(attempt, part);
  }

  /** `noteRelated`: streamable HTTP reports which request's response stream carried a server request. */
  private async createTransport(noteRelated: (serverRequestId: RequestId, postedId: RequestId) => void): Promise<Transport> {
    const { config } = this;
    if (config.transport === 'stdio') {
      const env = { ...((await this.options.env) ?? process.env), ...config.env };
      const cwd = workingDirectory(config.cwd);
      if (!cwd.ok) throw new CannotStartError(`server '${this.name}': ${cwd.error}`);
      const resolution = resolveCommandOnThisMachine(config.command!, config.args ?? [], env, cwd.dir);
      if (!resolution.ok) throw new CannotStartError(`server '${this.name}': ${resolution.error}`);
      this.note(`starting ${config.command}`);
      return new StdioProcessTransport({
        plan: resolution.plan,
        env,
        cwd: cwd.dir,
        onStderrLine: (line) => this.append(line),
        killGraceMs: this.options.killGraceMs,
        serverName: this.name,
        maxMessageBytes: config.max_response_bytes,
      });
    }
    // Origin and path only: some hosted servers put an API key in the query string.
    const { origin, pathname } = new URL(config.url!);
    this.note(`connecting to ${origin}${pathname} (${config.transport})`);
    return createHttpTransport(config, this.headers, this.options.authProvider, (text) => this.note(text, 'warn'), noteRelated);
  }

  /**
   * `negotiates`: streamable HTTP probes the era (`server/discover`, falling back to initialize).
   * stdio and SSE stay in the 2025 era without a probe: over stdio the SDK probes by spawning a
   * sibling process of the server, and legacy SSE has no 2026-07-28 form at all.
   */
  private createClient(negotiates: boolean): Client {
    return new Client(this.options.clientInfo ?? DEFAULT_CLIENT_INFO, {
      capabilities: this.clientCapabilities,
      versionNegotiation: { mode: negotiates ? 'auto' : 'legacy' },
      // Canopy's catalog follows every page itself (see catalog.ts); calls are relayed as they come.
      listMaxPages: 1_000,
    });
  }

  /**
   * Connects the attempt's client and says which era the server speaks (from the stored verdict, or
   * a probe when there is none). A server of 2026-07-28 that also serves 2025 clients (most do: the
   * SDK serves both on one URL) is connected in the 2025 era, the way Canopy's 2025 clients would
   * reach it themselves: its tools that ask the client by sending requests keep working for them,
   * while 2026 clients reach the server in the 2026 form (one server's endpoint hands their requests
   * on; other endpoints send their calls through `forwardModern`). Only a server of 2026-07-28 alone
   * gets a 2026 connection. A stored modern verdict the server no longer matches fails before
   * anything is sent: the same client then connects again and probes.
   */
  private async connectClient(attempt: Attempt, negotiates: boolean): Promise<{ verdict: EraVerdict; probed: boolean }> {
    if (!negotiates) {
      await attempt.client.connect(attempt.transport);
      return { verdict: { era: 'legacy', checkedAt: new Date().toISOString() }, probed: false };
    }
    const probed = this.prior === undefined;
    attempt.adoptedPrior = !probed;
    const verdict = this.prior ?? (await this.withOwnClient('auto', eraOf));
    const modernOnly = verdict.era === 'modern' && !(await this.withOwnClient('legacy', () => true).catch(() => false));
    const prior: PriorDiscovery = modernOnly ? (priorDiscovery(verdict) ?? { kind: 'legacy' }) : { kind: 'legacy' };
    try {
      await attempt.client.connect(attempt.transport, { prior });
      return { verdict, probed };
    } catch (error) {
      if (!(prior.kind === 'modern' && error instanceof SdkError && error.code === SdkErrorCode.EraNegotiationFailed)) throw error;
      this.note(`the stored protocol verdict no longer matches (${errorText(error)}); asking the server again`);
      await attempt.client.connect(attempt.transport);
      return { verdict: eraOf(attempt.client), probed: true };
    }
  }

  /**
   * Connects a client of its own in `mode` (auto: probe the era; legacy: initialize), reads what it
   * needs and lets the client go (ending the session it opened).
   */
  private async withOwnClient<T>(mode: 'auto' | 'legacy', read: (client: Client) => T): Promise<T> {
    const transport = await this.createTransport(() => {});
    const client = new Client(this.options.clientInfo ?? DEFAULT_CLIENT_INFO, { capabilities: this.clientCapabilities, versionNegotiation: { mode } });
    try {
      await withTimeout(client.connect(transport), this.initializeTimeoutMs, `did not answer within ${formatDelay(this.initializeTimeoutMs, 's')}`);
      return read(client);
    } finally {
      if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
        await withTimeout(transport.terminateSession(), TERMINATE_SESSION_TIMEOUT_MS, 'terminate').catch(() => {});
      }
      await client.close().catch(() => {});
    }
  }

  /**
   * Modern era: nothing arrives unasked, so one `subscriptions/listen` stream carries the list changes
   * the server offers and the resources the gateway subscribed to. A stream the server drops is
   * reopened after a probe tells the server is still there.
   */
  private async listen(attempt: Attempt): Promise<void> {
    const previous = attempt.listening;
    const filter = this.listenFilter(attempt.client);
    if (Object.keys(filter).length === 0) {
      attempt.listening = undefined;
      await previous?.close();
      return;
    }
    const subscription = await attempt.client.listen(filter, { timeout: this.initializeTimeoutMs });
    attempt.listening = subscription;
    await previous?.close();
    void subscription.closed.then((reason) => {
      if (reason !== 'remote' || this.active !== attempt || attempt.listening !== subscription) return;
      this.note('the server ended its listen stream; opening it again');
      this.probe(attempt, () => this.listen(attempt).catch((error: unknown) => this.note(`listening failed: ${errorText(error)}`, 'warn')));
    });
  }

  private listenFilter(client: Client): SubscriptionFilter {
    const capabilities = client.getServerCapabilities() ?? {};
    const filter: SubscriptionFilter = {};
    if (capabilities.tools?.listChanged) filter.toolsListChanged = true;
    if (capabilities.prompts?.listChanged) filter.promptsListChanged = true;
    if (capabilities.resources?.listChanged) filter.resourcesListChanged = true;
    if (capabilities.resources?.subscribe && this.subscribedUris.size > 0) filter.resourceSubscriptions = [...this.subscribedUris];
    return filter;
  }

  private wireClient(attempt: Attempt): void {
    const { client } = attempt;
    client.onclose = () => {
      if (this.active === attempt && attempt.ready) this.fail(attempt, new Error('connection closed'));
    };
    client.onerror = (error) => {
      if (this.active !== attempt) return;
      this.note(`transport error: ${errorText(error)}`);
      if (!attempt.ready) return; // connect() reports it
      if (isUnauthorized(error)) this.fail(attempt, error);
      else if (!(attempt.transport instanceof StdioProcessTransport)) this.probe(attempt);
    };
    client.setNotificationHandler('notifications/tools/list_changed', () => this.refresh(attempt, 'tools'));
    client.setNotificationHandler('notifications/prompts/list_changed', () => this.refresh(attempt, 'prompts'));
    client.setNotificationHandler('notifications/resources/list_changed', () => this.refresh(attempt, 'resources'));
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      if (this.active === attempt) this.emit('notification', notification);
    });
    // Everything else the server notifies (logging messages, resources/updated, …) is for the
    // gateway to relay. Progress and cancellation never get here: the SDK routes them itself.
    client.fallbackNotificationHandler = async (notification) => {
      if (this.active === attempt) this.emit('notification', notification as ServerNotification);
    };
    // Handlers follow the declared capabilities (a request for one not declared gets "method not found").
    // On a modern connection the SDK calls them too, for the input requests of an input_required result.
    const answer = <R>(request: ServerRequest, ctx: ClientContext) => this.answerServerRequest(attempt, request, ctx) as Promise<R>;
    const { sampling, elicitation, roots } = this.clientCapabilities;
    if (sampling) client.setRequestHandler('sampling/createMessage', answer);
    if (elicitation) client.setRequestHandler('elicitation/create', answer);
    if (roots) client.setRequestHandler('roots/list', answer);
  }

  private get clientCapabilities(): ClientCapabilities {
    return this.options.clientCapabilities ?? (this.config.isolation === 'per_session' ? CATALOG_CLIENT_CAPABILITIES : SHARED_CLIENT_CAPABILITIES);
  }

  /** A request from the server goes to the call it belongs to; one that belongs to no call, to the handler. */
  private async answerServerRequest(attempt: Attempt, request: ServerRequest, ctx: ClientContext): Promise<Record<string, unknown>> {
    const found = isModern(attempt) ? attempt.origins.inputRequestOrigin() : attempt.origins.lookup(ctx.mcpReq.id);
    if (found.kind === 'call') return relayed(found.origin.answer(request, ctx.mcpReq.signal));
    if (found.kind === 'ambiguous' && !(this.options.servesOneClient && this.handler)) {
      throw new JsonRpcError(
        ProtocolErrorCode.InvalidRequest,
        `Canopy cannot tell which of the ${found.calls} calls running on server '${this.name}' sent ${request.method} ` +
          `(over ${this.config.transport} a request does not say), so it refuses rather than guess: ` +
          `try again when one call runs at a time, or give the server "isolation": "per_session"`,
      );
    }
    if (!this.handler) {
      throw new JsonRpcError(ProtocolErrorCode.MethodNotFound, `Canopy cannot answer ${request.method} from server '${this.name}': no connected MCP client handles it`);
    }
    return relayed(this.handler(request, ctx.mcpReq.signal));
  }

  request<M extends RequestMethod>(request: UpstreamRequest<M>, options?: UpstreamRequestOptions, origin?: RequestOrigin): Promise<ResultTypeMap[M]> {
    const attempt = this.active;
    if (!attempt?.ready || this._state.status !== 'running') {
      return Promise.reject(new Error(`server '${this.name}' is not running (${this._state.status})`));
    }
    if (request.method === 'resources/subscribe' || request.method === 'resources/unsubscribe') {
      return this.subscription(attempt, request.method, String(request.params?.uri)) as unknown as Promise<ResultTypeMap[M]>;
    }
    const send = () => this.send(attempt, request, options);
    const answered = origin ? attempt.origins.send(origin, send) : send();
    this.inFlight++;
    const done = () => {
      this.inFlight--;
      this.lastUsedAt = Date.now();
    };
    answered.then(done, done);
    return answered;
  }

  /**
   * A modern server's tool that mirrors arguments into headers (SEP-2243) must get its calls with
   * those Mcp-Param-* headers: only the SDK's callTool writes them, from the tool's definition.
   */
  private send<M extends RequestMethod>(attempt: Attempt, request: UpstreamRequest<M>, options?: UpstreamRequestOptions): Promise<ResultTypeMap[M]> {
    if (request.method === 'tools/call' && isModern(attempt)) {
      const tool = this._catalog?.tools.find((listed) => listed.name === request.params?.name);
      if (tool && mirrorsArguments(tool.inputSchema)) {
        return attempt.client.callTool(request.params as CallToolRequest['params'], { ...options, toolDefinition: tool }) as Promise<ResultTypeMap[M]>;
      }
    }
    return attempt.client.request(request, options);
  }

  /** resources/subscribe and unsubscribe in the era the server speaks (see `subscribedUris`). */
  private async subscription(attempt: Attempt, method: 'resources/subscribe' | 'resources/unsubscribe', uri: string): Promise<Record<string, never>> {
    if (method === 'resources/subscribe') this.subscribedUris.add(uri);
    else this.subscribedUris.delete(uri);
    if (isModern(attempt)) await this.listen(attempt);
    else await attempt.client.request({ method, params: { uri } });
    return {};
  }

  private assertCurrent(attempt: Attempt): void {
    if (this.active !== attempt) throw new Error('superseded');
  }

  // --- catalog ------------------------------------------------------------------------------

  private async fetchParts(client: Client, parts: CatalogPart[]): Promise<Partial<CatalogLists>> {
    const results = await Promise.all(parts.map((part) => fetchCatalogPart(client, part, { timeout: this.initializeTimeoutMs })));
    return Object.assign({}, ...results);
  }

  /** Refetches one part after list_changed; notifications during a refetch coalesce into one more. */
  private refresh(attempt: Attempt, part: CatalogPart): void {
    attempt.dirty.add(part);
    if (!attempt.ready || attempt.refreshing.has(part)) return;
    attempt.refreshing.add(part);
    void (async () => {
      try {
        for (let round = 0; round < MAX_REFRESH_ROUNDS && attempt.dirty.has(part); round++) {
          attempt.dirty.delete(part);
          const lists = await this.fetchParts(attempt.client, [part]);
          if (this.active !== attempt || !this._catalog) return;
          const before = JSON.stringify(pickLists(this._catalog, lists));
          if (JSON.stringify(lists) === before) continue;
          this._catalog = { ...this._catalog, ...lists };
          this.emit('catalog', [part]);
        }
      } catch (error) {
        if (this.active === attempt) this.note(`refreshing ${part} failed: ${errorText(error)}`, 'warn');
      } finally {
        attempt.refreshing.delete(part);
      }
    })();
  }

  // --- failures and restarts ----------------------------------------------------------------

  /** Handles the end of an attempt once: tears it down, then schedules a restart or gives up. Returns the user-facing message. */
  private fail(attempt: Attempt, error: unknown): string {
    if (attempt.failure) return attempt.failure;
    this.active = undefined;
    void this.closeAttempt(attempt);
    if (isUnauthorized(error)) {
      const oauth = this.options.authProvider !== undefined;
      attempt.failure = !oauth
        ? rejectedCredentialsMessage(this.name, error)
        : isPerUser(this.config)
          ? noConnectedAccountMessage(this.name)
          : needsAuthorizationMessage(this.name);
      this.note(attempt.failure, 'warn');
      this.setState({ status: oauth ? 'needs_authorization' : 'error', lastError: attempt.failure, pid: undefined });
      return attempt.failure;
    }
    const output = this.log.since(attempt.logMark, 50).filter((line) => !line.startsWith(NOTE_PREFIX)).slice(-OUTPUT_TAIL_LINES);
    const exit = attempt.transport instanceof StdioProcessTransport ? attempt.transport.exitDescription : undefined;
    const reason = `server '${this.name}' ${attempt.ready ? 'stopped working' : 'failed to start'}: ${exit ? `process ${exit}` : errorText(error)}.`;
    const crashes = this._state.crashes + 1;
    if (!attempt.ready) this.failuresBeforeReady++;
    // A stale modern verdict fails at the first request, not at connect: the next try probes.
    if (!attempt.ready && attempt.adoptedPrior) this.prior = undefined;
    if (!attempt.ready && !this.retryFirstStart) {
      attempt.failure = `${reason}${formatOutputTail(output)}`;
      this.setState({ crashes });
      this.giveUp(attempt.failure);
      return attempt.failure;
    }
    if (this.config.transport === 'stdio' && this.failuresBeforeReady >= this.backoff.maxFailuresBeforeReady) {
      const advice = 'Check its command, args and env, then start the server again.';
      attempt.failure = `${reason} Gave up after ${this.failuresBeforeReady} failed starts in a row.${formatOutputTail(output)} ${advice}`;
      this.setState({ crashes });
      this.giveUp(attempt.failure);
      return attempt.failure;
    }
    const delay = withJitter(backoffDelay(this.restartNumber++, this.backoff));
    const again = this.config.transport === 'stdio' ? 'Restarting' : 'Reconnecting';
    attempt.failure = `${reason} ${again} in ${formatDelay(delay)} (or at the next call).${formatOutputTail(output)}`;
    this.note(attempt.failure, 'warn');
    this.retryTimer = setTimeout(() => this.attempt().catch(() => {}), delay);
    this.retryTimer.unref();
    const nextRetryAt = new Date(Date.now() + delay).toISOString();
    this.setState({ status: 'crashed', crashes, lastError: attempt.failure, nextRetryAt, pid: undefined });
    return attempt.failure;
  }

  private giveUp(message: string): void {
    this.note(message, 'error');
    this.setState({ status: 'error', lastError: message, nextRetryAt: undefined, pid: undefined });
  }

  /**
   * HTTP: after a transport error or on the keep-alive tick, a ping tells whether the server is still
   * there — on a modern connection `server/discover`, as 2026-07-28 has no ping. `then`: what to do
   * when it is.
   */
  private probe(attempt: Attempt, then?: () => void): void {
    if (attempt.probing) return;
    attempt.probing = true;
    const options = { timeout: Math.min(PROBE_TIMEOUT_MS, this.initializeTimeoutMs) };
    const alive = isModern(attempt) ? attempt.client.discover(options) : attempt.client.ping(options);
    alive
      .then(() => {
        attempt.probing = false;
        if (this.active === attempt) then?.();
      })
      .catch((error: unknown) => {
        if (this.active === attempt) this.fail(attempt, isUnauthorized(error) ? error : new Error(`connection lost: ${errorText(error)}`));
      });
  }

  private scheduleWhileRunning(attempt: Attempt): void {
    const stable = setTimeout(() => {
      this.restartNumber = 0;
    }, this.backoff.stableAfterMs);
    attempt.timers.push(stable);
    const pingIntervalMs = this.options.pingIntervalMs ?? 30_000;
    if (!(attempt.transport instanceof StdioProcessTransport) && pingIntervalMs > 0) {
      attempt.timers.push(setInterval(() => this.probe(attempt), pingIntervalMs));
    }
    for (const timer of attempt.timers) timer.unref();
  }

  private async closeAttempt(attempt: Attempt): Promise<void> {
    for (const timer of attempt.timers) clearTimeout(timer);
    await attempt.listening?.close().catch(() => {});
    if (attempt.transport instanceof StreamableHTTPClientTransport && attempt.transport.sessionId) {
      // Polite: tell the server the session is over (bounded; it may be gone already).
      await withTimeout(attempt.transport.terminateSession(), TERMINATE_SESSION_TIMEOUT_MS, 'terminate').catch(() => {});
    }
    await attempt.client.close().catch(() => {});
  }

  // --- state and log ------------------------------------------------------------------------

  private setState(change: Partial<UpstreamState>): void {
    const next = { ...this._state, ...change };
    if (change.status && change.status !== this._state.status) next.since = new Date().toISOString();
    for (const key of Object.keys(next) as (keyof UpstreamState)[]) if (next[key] === undefined) delete next[key];
    this._state = next;
    this.emit('state', next);
  }

  private append(line: string): void {
    this.emit('log', this.log.push(line));
  }

  private note(message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.append(NOTE_PREFIX + message);
    this.options.logger?.(level, message, this.name);
  }
}

/** A downstream client's error reaches the upstream as that client sent it. */
function relayed(answering: Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return answering.catch((error: unknown) => {
    throw relayable(error);
  });
}

function isModern(attempt: Attempt): boolean {
  return attempt.client.getProtocolEra() === 'modern';
}

/** What the connected client speaks: the era, and on a modern server its discover result. */
function eraOf(client: Client): EraVerdict {
  const checkedAt = new Date().toISOString();
  const discover = client.getDiscoverResult();
  return client.getProtocolEra() === 'modern' && discover ? { era: 'modern', discover: { ...discover }, checkedAt } : { era: 'legacy', checkedAt };
}

/** A stored verdict as the SDK takes it (a modern one needs the server's discover result). */
function priorDiscovery(verdict: EraVerdict | undefined): PriorDiscovery | undefined {
  if (verdict?.era === 'legacy') return { kind: 'legacy' };
  if (verdict?.era === 'modern' && verdict.discover) return { kind: 'modern', discover: verdict.discover as DiscoverResult };
  return undefined;
}

function pickLists(catalog: UpstreamCatalog, like: Partial<CatalogLists>): Partial<CatalogLists> {
  return Object.fromEntries(Object.keys(like).map((key) => [key, catalog[key as keyof CatalogLists]]));
}

function formatDelay(ms: number, unit: 'ms' | 's' = ms < 1000 ? 'ms' : 's'): string {
  return unit === 'ms' ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
