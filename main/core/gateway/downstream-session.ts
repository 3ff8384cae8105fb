// One downstream MCP session: an SDK `Server` whose handlers route each request to the upstream that
// owns the item, under the session's view (all servers with `server__name` names, or one server with
// its names unchanged).
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  ProtocolErrorCode,
  Server,
  type InputRequests,
  type JSONRPCMessage,
  type CallToolRequest,
  type CallToolResult,
  type ClientCapabilities,
  type LoggingLevel,
  type Progress,
  type RequestMethod,
  type ResultTypeMap,
  type ServerCapabilities,
  type ServerContext,
  type ServerNotification,
  type ServerRequest,
  type Transport,
} from '@modelcontextprotocol/server';
import type { Catalog, CatalogSource, CatalogView, ViewSpec } from './catalog.ts';
import type { UpstreamConnection, UpstreamRequestOptions } from '../upstream/types.ts';
import type { InputRequiredBridge } from './input-required-bridge.ts';
import { CALL_TIMEOUT_MS, sendUpstream, upstreamReady, type CallPipeline, type FilterSource, type PipelineCaller } from './call-pipeline.ts';
import { callModern } from './modern-call.ts';
import { JsonRpcError, relayable } from '../upstream/json-rpc-error.ts';
import type { SessionDeclaration } from './session-capabilities.ts';
import type { SubscribingSession, Subscriptions } from './subscriptions.ts';
import { boundedProgressPerTurn } from './notification-queue.ts';
import type { IsolatedSession } from './isolated-upstreams.ts';
import { acceptsUrlElicitation, askToConnect, ConnectionRequired, CONNECT_INPUT_KEY } from './connection-required.ts';
import { randomUUID } from 'node:crypto';
import {
  CALL_TOOL,
  FoundTools,
  parseCallArguments,
  parseSearchArguments,
  SEARCH_TOOLS,
  SEARCH_VIEW_INSTRUCTIONS,
  searchIndexOf,
  searchResult,
  toolError,
} from '../search/search-view.ts';
import type { SearchIndex } from '../search/search-index.ts';

/** The server→client requests Canopy relays. */
const RELAYED_REQUESTS = new Set<string>(['sampling/createMessage', 'elicitation/create', 'roots/list']);

/** A view's tools/list result as UTF-8, kept as long as the view (the catalog builds new views on every change). */
const encodedToolLists = new WeakMap<CatalogView, Buffer>();

/** The requests whose 2026-07-28 results may be `input_required`. */
const ROUND_TRIP_METHODS = new Set<string>(['tools/call', 'prompts/get', 'resources/read']);

export interface SessionOptions {
  id: string;
  spec: ViewSpec;
  filter?: FilterSource;
  /** Who opened the session (for audit); undefined in development mode. */
  identity?: string;
  /** The Canopy user the session acts for (per-user servers use that user's own credentials); undefined for a static MCP client token. */
  user?: string;
  /** The search view of `spec` (see main/core/search/search-view.ts): search_tools, call_tool and the tools found. */
  search?: boolean;
  /**
   * The session serves one 2026-07-28 request: the client declares its capabilities in the request,
   * and what a server asks during a call reaches it as `input_required` rounds, not as requests.
   */
  modern?: boolean;
  /** A 2026-07-28 session's HTTP request (its headers go along with calls sent on in the 2026 form). */
  request?: Request;
}

/** What a session needs of the gateway that owns it (GatewayCore), named here so the two files don't import each other. */
export interface SessionHost {
  readonly version: string;
  readonly catalog: Catalog;
  readonly subscriptions: Subscriptions;
  readonly source: CatalogSource;
  readonly pipeline: CallPipeline;
  connection(name: string): UpstreamConnection | undefined;
  upstreamFor(session: DownstreamSession, server: string): Promise<{ connection: UpstreamConnection; release: () => void } | undefined>;
  /** A per-user connection the upstream refused the account of: what to tell its user (see GatewayCore). */
  refusedAccount(connection: UpstreamConnection, user: string | undefined): ConnectionRequired | undefined;
  /** Whether calls to `server` use each caller's own credentials. */
  isPerUser(server: string): boolean;
  /** Calls `then` (once) when `user` connects their account of `server`, unless session `sessionId` closed first. */
  whenConnected(user: string, server: string, sessionId: string, then: () => void): void;
  /** What sessions of `view` declare (kept with the view: computed once per view, not per session). */
  declaration(spec: ViewSpec, view: CatalogView): SessionDeclaration;
  applyLogLevels(): Promise<void>;
  forwardRootsChanged(session: DownstreamSession): Promise<void>;
  /** Calls of 2026-07-28 callers on 2025 servers, kept between their input_required rounds. */
  readonly inputRequired: InputRequiredBridge;
}

export class DownstreamSession implements SubscribingSession, IsolatedSession, PipelineCaller {
  readonly server: Server;
  readonly id: string;
  readonly spec: ViewSpec;
  readonly filter: FilterSource | undefined;
  readonly identity: string | undefined;
  readonly user: string | undefined;
  /** Serves one 2026-07-28 request (see SessionOptions.modern). */
  readonly modern: boolean;
  private readonly request: Request | undefined;
  /** On the search view: the tools this session found (listed besides search_tools and call_tool). */
  readonly found: FoundTools | undefined;
  /** What this session declared at initialize; its handlers follow it. */
  readonly capabilities: ServerCapabilities;
  logLevel: LoggingLevel | undefined;
  lastActivity = Date.now();
  /** Streams the client holds open for server messages (GET streams; the legacy SSE stream). */
  private openStreams = 0;
  /** Requests of this session's client that are waiting on an upstream. */
  private readonly calls = new Set<ServerContext>();
  private signatures: CatalogView['signatures'] | undefined;
  private closed = false;

  constructor(
    private readonly core: SessionHost,
    options: SessionOptions,
  ) {
    this.id = options.id;
    this.spec = options.spec;
    this.filter = options.filter;
    this.identity = options.identity;
    this.user = options.user;
    this.modern = options.modern ?? false;
    this.request = options.request;
    this.found = options.search ? new FoundTools() : undefined;
    const declared = core.declaration(this.spec, this.view());
    this.capabilities = declared.capabilities;
    // One server's endpoint introduces itself as that server (see README, "One server's endpoint").
    const upstreamInfo = this.spec.kind === 'server' ? core.connection(this.spec.server)?.catalog?.serverInfo : undefined;
    this.server = new Server(
      upstreamInfo ?? { name: 'canopy', title: 'Canopy MCP gateway', version: core.version },
      { capabilities: this.capabilities, instructions: this.found ? SEARCH_VIEW_INSTRUCTIONS : declared.instructions },
    );
    this.server.oninitialized = () => {
      this.signatures = this.listSignatures();
    };
    this.registerHandlers();
  }

  /**
   * Whether a message sent outside any request reaches the client now. Without an open stream the
   * transport drops it, so list_changed and log messages go only to listening sessions (fan-out cost
   * follows them, not idle sessions); the others catch up when they open a stream.
   */
  get listening(): boolean {
    return this.openStreams > 0;
  }

  /** How long the session has had no request, no running call and no open stream (0 while it has one). */
  idleFor(now = Date.now()): number {
    return this.openStreams > 0 || this.calls.size > 0 ? 0 : now - this.lastActivity;
  }

  /** A stream for server messages opened; the returned function marks it closed (once). */
  streamOpened(): () => void {
    this.openStreams += 1;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.openStreams -= 1;
      this.lastActivity = Date.now();
    };
  }

  view(): CatalogView {
    return this.core.catalog.view(this.spec, this.filter?.());
  }

  /**
   * The result of a request this session answers without the SDK's dispatch, as JSON text; undefined
   * for every other request. A plain tools/list is the view's tool list, which the catalog keeps
   * serialized (its signature); it is encoded once per view, so a repeat caller's list is a copy of bytes.
   */
  serializedResult(message: JSONRPCMessage): Buffer | undefined {
    if (this.found || this.closed || !('method' in message) || message.method !== 'tools/list') return undefined;
    if (message.params?.cursor !== undefined) return undefined; // refused by the handler, with its error
    this.lastActivity = Date.now();
    const view = this.view();
    let encoded = encodedToolLists.get(view);
    if (!encoded) encodedToolLists.set(view, (encoded = Buffer.from(`{"tools":${view.signatures.tools}}`)));
    return encoded;
  }

  async connect(transport: Transport): Promise<void> {
    await this.server.connect(transport);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The session's transport is gone: its subscriptions nobody else watches are cancelled on the
    // shared connection when it runs (a per_session server's own connection closes with the session).
    for (const ref of this.core.subscriptions.dropSession(this)) {
      const connection = this.core.connection(ref.server);
      if (connection?.client && connection.config.isolation !== 'per_session') {
        void connection.request({ method: 'resources/unsubscribe', params: { uri: ref.name } }).catch(() => {});
      }
    }
    await this.server.close().catch(() => {});
  }

  /** Sends list_changed for each list that differs from what this session last saw. */
  async notifyListChanges(): Promise<void> {
    if (!this.signatures || this.closed) return;
    const next = this.listSignatures();
    const previous = this.signatures;
    this.signatures = next;
    const sends: Promise<void>[] = [];
    const { tools, prompts, resources } = this.capabilities;
    if (tools && next.tools !== previous.tools) sends.push(this.server.sendToolListChanged());
    if (prompts && next.prompts !== previous.prompts) sends.push(this.server.sendPromptListChanged());
    if (resources && next.resources !== previous.resources) sends.push(this.server.sendResourceListChanged());
    await Promise.allSettled(sends);
  }

  /** The lists this session shows, serialized; on the search view its own tool list. */
  private listSignatures(): CatalogView['signatures'] {
    const signatures = this.view().signatures;
    return this.found ? { ...signatures, tools: JSON.stringify(this.listedTools()) } : signatures;
  }

  private listedTools(): CatalogView['tools'] {
    return this.found ? this.found.listed(this.view()) : this.view().tools;
  }

  private searchIndex(): SearchIndex {
    return searchIndexOf(this.view(), (server) => this.core.connection(server));
  }

  async sendResourceUpdated(exposedUri: string): Promise<void> {
    // The allow-list may have changed since the subscription: only what the session may still read.
    if (this.closed || !this.view().resolveResource(exposedUri)) return;
    await this.server.sendResourceUpdated({ uri: exposedUri }).catch(() => {});
  }

  /** Relays a notification from an upstream this session can see. */
  async relay(notification: ServerNotification): Promise<void> {
    if (this.closed || !this.signatures) return;
    await this.server.notification(notification).catch(() => {});
  }

  /**
   * Waits for the upstream and sends it a request on behalf of this session. What the upstream asks
   * in return for this request (sampling, elicitation, roots) comes back here, to this request.
   */
  private async forward<M extends RequestMethod>(
    server: string,
    request: { method: M; params?: Record<string, unknown> },
    ctx: ServerContext,
    options: { onprogress?: (progress: Progress) => void; long?: boolean } = {},
  ): Promise<ResultTypeMap[M]> {
    this.lastActivity = Date.now();
    this.calls.add(ctx);
    let upstream: Awaited<ReturnType<SessionHost['upstreamFor']>>;
    try {
      upstream = await this.core.upstreamFor(this, server);
      if (!upstream) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `no server named '${server}' is registered`);
      const sendOptions = { timeout: options.long ? CALL_TIMEOUT_MS : undefined, resetTimeoutOnProgress: options.long, onprogress: options.onprogress };
      if (this.modern && ROUND_TRIP_METHODS.has(request.method)) {
        await upstreamReady(server, upstream.connection);
        return await this.forwardRounds(upstream.connection, request, ctx, sendOptions);
      }
      const origin = { answer: (asked: ServerRequest, signal: AbortSignal) => this.answerUpstream(asked, signal, ctx) };
      return await sendUpstream(server, upstream.connection, request, { ...sendOptions, signal: ctx.mcpReq.signal }, origin);
    } catch (thrown) {
      const error = (upstream && this.core.refusedAccount(upstream.connection, this.user)) ?? thrown;
      if (error instanceof ConnectionRequired) {
        // A 2026-07-28 caller is asked in an input_required round, which only calls, gets and reads may answer with.
        const round = this.modern && ROUND_TRIP_METHODS.has(request.method);
        const capabilities = this.modern && !round ? undefined : this.capabilitiesOf(ctx);
        const elicitationId = randomUUID();
        // MCP 2025-11-25 (§ URL mode elicitation): the client hears when the connection it was sent to make is done.
        if (!this.modern && this.user !== undefined && acceptsUrlElicitation(capabilities)) {
          const complete = this.server.createElicitationCompletionNotifier(elicitationId);
          this.core.whenConnected(this.user, error.server, this.id, () => complete().catch(() => {}));
        }
        return askToConnect(error, capabilities, round, elicitationId) as unknown as ResultTypeMap[M];
      }
      // The upstream's error goes to the client as the upstream sent it.
      throw relayable(error);
    } finally {
      upstream?.release();
      this.calls.delete(ctx);
      this.lastActivity = Date.now();
    }
  }

  /**
   * A tools/call, prompts/get or resources/read of a 2026-07-28 caller. A 2026 server runs the
   * input_required rounds itself: its result goes to the caller as it is, and the caller's answers
   * (inputResponses, requestState) go back with the retry. A 2025 server asks by sending requests
   * during the call: the bridge keeps the call running and turns them into rounds for this caller.
   */
  private async forwardRounds<M extends RequestMethod>(
    connection: UpstreamConnection,
    request: { method: M; params?: Record<string, unknown> },
    ctx: ServerContext,
    options: UpstreamRequestOptions,
  ): Promise<ResultTypeMap[M]> {
    // The answer to Canopy's own "connect your account" round is not the server's to see.
    const { [CONNECT_INPUT_KEY]: _connected, ...answers } = ctx.mcpReq.inputResponses ?? {};
    const inputResponses = Object.keys(answers).length > 0 ? answers : undefined;
    const requestState = ctx.mcpReq.requestState<string>();
    if (connection.era?.era === 'modern' && connection.config.transport === 'streamable_http' && this.request) {
      const meta = { ...ctx.mcpReq._meta, ...ctx.mcpReq.envelope };
      const caller = { request: this.request, meta, inputResponses, requestState, signal: ctx.mcpReq.signal };
      return (await callModern(connection, request, caller, options.onprogress)) as ResultTypeMap[M];
    }
    const accepts = (method: string) => this.accepts(method, ctx);
    const outcome =
      requestState === undefined
        ? await this.core.inputRequired.start(this.identity, accepts, (origin, signal) => connection.request(request, { ...options, signal }, origin))
        : await this.core.inputRequired.resume<ResultTypeMap[M]>(requestState, this.identity, accepts, inputResponses);
    if (outcome.kind === 'complete') return outcome.result;
    return inputRequired({ inputRequests: outcome.inputRequests as InputRequests, requestState: outcome.requestState }) as unknown as ResultTypeMap[M];
  }

  /**
   * Answers a request an upstream sent this session's client: on the response stream of `during`
   * (the request it belongs to) or, when it belongs to none (a session's own connection asking for
   * roots as it starts), on the stream of a request still running, else on the session's own stream.
   */
  readonly answerUpstream = async (request: ServerRequest, signal: AbortSignal, during?: ServerContext): Promise<Record<string, unknown>> => {
    if (!RELAYED_REQUESTS.has(request.method)) throw new JsonRpcError(ProtocolErrorCode.MethodNotFound, `Canopy does not relay '${request.method}'`);
    if (!this.accepts(request.method)) {
      throw new JsonRpcError(ProtocolErrorCode.InvalidRequest, `the client this ${request.method} is for did not declare the capability it needs`);
    }
    const via = during ?? [...this.calls].at(-1);
    if (via) return (await via.mcpReq.send(request, { signal })) as Record<string, unknown>;
    return (await this.server.request(request, { signal })) as Record<string, unknown>;
  };

  /** The capabilities the client declared at initialize. */
  clientCapabilities(): ClientCapabilities | undefined {
    return this.server.getClientCapabilities();
  }

  /** What the client declared: at initialize, or (2026-07-28) in the request `ctx`. */
  private capabilitiesOf(ctx?: ServerContext): ClientCapabilities | undefined {
    return this.modern
      ? (ctx?.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined)?.[CLIENT_CAPABILITIES_META_KEY]
      : this.server.getClientCapabilities();
  }

  /**
   * Whether this session's client declared what a server→client request of `method` needs: at
   * initialize, or (2026-07-28) in the request `ctx` the server asks during.
   */
  accepts(method: string, ctx?: ServerContext): boolean {
    const capabilities = this.capabilitiesOf(ctx);
    if (method === 'sampling/createMessage') return Boolean(capabilities?.sampling);
    if (method === 'elicitation/create') return Boolean(capabilities?.elicitation);
    if (method === 'roots/list') return Boolean(capabilities?.roots);
    return false;
  }

  /** Relays upstream progress with the token the downstream client chose. */
  private progressRelay(ctx: ServerContext): ((progress: Progress) => void) | undefined {
    const token = ctx.mcpReq._meta?.progressToken;
    if (token === undefined) return undefined;
    return boundedProgressPerTurn((progress) => {
      void ctx.mcpReq
        .notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } })
        .catch(() => {});
    });
  }

  private registerHandlers(): void {
    const { tools, prompts, resources, completions, logging } = this.capabilities;
    if (tools) this.registerToolHandlers();
    if (prompts) this.registerPromptHandlers();
    if (resources) this.registerResourceHandlers(Boolean(resources.subscribe));
    if (completions) this.registerCompletionHandler();
    if (logging) {
      this.server.setRequestHandler('logging/setLevel', async (request) => {
        this.logLevel = request.params.level;
        await this.core.applyLogLevels();
        return {};
      });
    }
    this.server.setNotificationHandler('notifications/roots/list_changed', async () => {
      await this.core.forwardRootsChanged(this);
    });
  }

  private registerToolHandlers(): void {
    const server = this.server;
    server.setRequestHandler('tools/list', async (request) => {
      refuseCursor(request.params?.cursor);
      this.lastActivity = Date.now();
      return { tools: this.listedTools() };
    });

    server.setRequestHandler('tools/call', async (request, ctx) => {
      if (this.found && request.params.name === SEARCH_TOOLS) return this.searchTools(request.params.arguments, ctx);
      if (this.found && request.params.name === CALL_TOOL) {
        const call = parseCallArguments(request.params.arguments);
        if (typeof call === 'string') return toolError(call);
        return this.callTool({ name: call.name, arguments: call.arguments, _meta: request.params._meta }, ctx);
      }
      return this.callTool(request.params, ctx);
    });
  }

  /** A tools/call, whether asked directly or through the search view's call_tool: one path for both. */
  private callTool(params: CallToolRequest['params'], ctx: ServerContext): Promise<CallToolResult> {
    return this.core.pipeline.call(this, 'tool', params, (server, request) =>
      this.forward(server, request, ctx, { onprogress: this.progressRelay(ctx), long: true }),
    );
  }

  /**
   * search_tools: ranks the view's tools for the query, adds the matches to this session's list and,
   * when that list changed, says so on this request's stream (so a client without a GET stream hears it too).
   */
  private async searchTools(args: unknown, ctx: ServerContext): Promise<CallToolResult> {
    const search = parseSearchArguments(args);
    if (typeof search === 'string') return toolError(search);
    const hits = this.searchIndex().search(search.query, search.limit);
    this.found!.remember(hits.map((hit) => hit.document.name));
    const tools = JSON.stringify(this.listedTools());
    if (this.signatures && this.signatures.tools !== tools) {
      this.signatures = { ...this.signatures, tools };
      await ctx.mcpReq.notify({ method: 'notifications/tools/list_changed' }).catch(() => {});
    }
    return searchResult(search.query, hits);
  }

  private registerPromptHandlers(): void {
    const server = this.server;
    server.setRequestHandler('prompts/list', async (request) => {
      refuseCursor(request.params?.cursor);
      return { prompts: this.view().prompts };
    });

    server.setRequestHandler('prompts/get', (request, ctx) =>
      this.core.pipeline.call(this, 'prompt', request.params, (upstream, forwarded) =>
        this.forward(upstream, forwarded, ctx, { onprogress: this.progressRelay(ctx) }),
      ),
    );
  }

  private registerResourceHandlers(subscribe: boolean): void {
    const server = this.server;
    server.setRequestHandler('resources/list', async (request) => {
      refuseCursor(request.params?.cursor);
      return { resources: this.view().resources };
    });
    server.setRequestHandler('resources/templates/list', async (request) => {
      refuseCursor(request.params?.cursor);
      return { resourceTemplates: this.view().resourceTemplates };
    });

    server.setRequestHandler('resources/read', (request, ctx) =>
      this.core.pipeline.call(this, 'resource', request.params, (upstream, forwarded) =>
        this.forward(upstream, forwarded, ctx, { onprogress: this.progressRelay(ctx) }),
      ),
    );
    if (!subscribe) return;

    server.setRequestHandler('resources/subscribe', async (request, ctx) => {
      const ref = this.core.pipeline.resolveResource(this, request.params.uri);
      if (this.core.isPerUser(ref.server)) {
        // One subscription upstream serves every session watching a resource: it cannot be several users' accounts at once.
        throw new JsonRpcError(ProtocolErrorCode.InvalidRequest, `server '${ref.server}' uses each person's own account: Canopy does not relay its resource subscriptions; read the resource instead`);
      }
      await this.core.subscriptions.subscribe(this, ref, request.params.uri, (upstreamRequest) =>
        this.forward(ref.server, upstreamRequest, ctx),
      );
      return {};
    });

    server.setRequestHandler('resources/unsubscribe', async (request, ctx) => {
      const ref = this.core.pipeline.resolveResource(this, request.params.uri);
      await this.core.subscriptions.unsubscribe(this, ref, (upstreamRequest) =>
        this.forward(ref.server, upstreamRequest, ctx),
      );
      return {};
    });
  }

  private registerCompletionHandler(): void {
    this.server.setRequestHandler('completion/complete', async (request, ctx) => {
      const { ref } = request.params;
      const target =
        ref.type === 'ref/prompt'
          ? { item: this.core.pipeline.resolve(this, 'prompt', ref.name), ref: (name: string) => ({ ...ref, name }) }
          : { item: this.core.pipeline.resolveResource(this, ref.uri), ref: (uri: string) => ({ ...ref, uri }) };
      if (!this.core.connection(target.item.server)?.catalog?.capabilities.completions) {
        return { completion: { values: [], hasMore: false } };
      }
      return this.forward(
        target.item.server,
        { method: 'completion/complete', params: { ...request.params, ref: target.ref(target.item.name) } as never },
        ctx,
      );
    });
  }
}

/**
 * Lists come in one page (Canopy holds every upstream page already) and carry no nextCursor, so any
 * cursor is one Canopy never issued: -32602, as the spec's pagination section asks.
 */
function refuseCursor(cursor: string | undefined): void {
  if (cursor !== undefined) {
    throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `invalid cursor '${cursor}': Canopy lists everything in one page; list again without a cursor`);
  }
}

export type { ViewSpec };
