// One downstream MCP session: an SDK `Server` whose handlers route each request to the upstream that
// owns the item, under the session's view (all servers with `server__name` names, or one server with
// its names unchanged).
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  isInputRequiredResult,
  ProtocolErrorCode,
  Server,
  type InputRequests,
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
import {
  prefixOf,
  resolveItem,
  type Catalog,
  type CatalogSource,
  type CatalogView,
  type ItemFilter,
  type ItemRef,
  type ViewSpec,
} from './catalog.ts';
import type { UpstreamConnection, UpstreamRequestOptions } from '../upstream/types.ts';
import type { InputRequiredBridge } from './input-required-bridge.ts';
import { exposeResultUris } from './content-uris.ts';
import { JsonRpcError, relayable } from '../upstream/json-rpc-error.ts';
import { aggregateCapabilities, serverEndpointCapabilities } from './session-capabilities.ts';
import type { SubscribingSession, Subscriptions } from './subscriptions.ts';
import { startingServer, waitForServer } from './starting-servers.ts';
import { boundedProgressPerTurn } from './notification-queue.ts';
import type { IsolatedSession } from './isolated-upstreams.ts';
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

/** The requests whose 2026-07-28 results may be `input_required`. */
const ROUND_TRIP_METHODS = new Set<string>(['tools/call', 'prompts/get', 'resources/read']);

/** Long-running tools are normal; progress notifications reset the clock. */
const CALL_TIMEOUT_MS = 10 * 60_000;

/**
 * The caller's current filter (enterprise allow-list). Asked on every request, so an allow-list
 * change applies to open sessions at once.
 */
export type FilterSource = () => ItemFilter | undefined;

export interface SessionOptions {
  id: string;
  spec: ViewSpec;
  filter?: FilterSource;
  /** Who opened the session (for audit); undefined in development mode. */
  identity?: string;
  /** The search view of `spec` (see main/core/search/search-view.ts): search_tools, call_tool and the tools found. */
  search?: boolean;
  /**
   * The session serves one 2026-07-28 request: the client declares its capabilities in the request,
   * and what a server asks during a call reaches it as `input_required` rounds, not as requests.
   */
  modern?: boolean;
}

/** One tool call, prompt get or resource read, as telemetry and the audit log see it. */
export interface CallRecord {
  /** Who called (for audit); undefined in development mode. */
  identity: string | undefined;
  kind: 'tool' | 'prompt' | 'resource';
  /** The server that owns the item; undefined when the name did not resolve. */
  server?: string;
  /** The upstream's own name (tool, prompt) or URI; the name as asked when it did not resolve. */
  name: string;
  /** `denied`: unknown, disabled or not allowed; `tool_error`: the tool answered isError. */
  outcome: 'ok' | 'error' | 'tool_error' | 'denied';
  durationMs: number;
  error?: string;
}


/** What a session needs of the gateway that owns it (GatewayCore), named here so the two files don't import each other. */
export interface SessionHost {
  readonly version: string;
  readonly catalog: Catalog;
  readonly subscriptions: Subscriptions;
  readonly source: CatalogSource;
  connection(name: string): UpstreamConnection | undefined;
  upstreamFor(session: DownstreamSession, server: string): { connection: UpstreamConnection; release: () => void } | undefined;
  recordCall(record: CallRecord): void;
  applyLogLevels(): Promise<void>;
  forwardRootsChanged(session: DownstreamSession): Promise<void>;
  /** Calls of 2026-07-28 callers on 2025 servers, kept between their input_required rounds. */
  readonly inputRequired: InputRequiredBridge;
}

export class DownstreamSession implements SubscribingSession, IsolatedSession {
  readonly server: Server;
  readonly id: string;
  readonly spec: ViewSpec;
  readonly filter: FilterSource | undefined;
  readonly identity: string | undefined;
  /** Serves one 2026-07-28 request (see SessionOptions.modern). */
  readonly modern: boolean;
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
    this.modern = options.modern ?? false;
    this.found = options.search ? new FoundTools() : undefined;
    this.capabilities = this.declaredCapabilities();
    // One server's endpoint introduces itself as that server (see README, "One server's endpoint").
    const upstreamInfo = this.spec.kind === 'server' ? core.connection(this.spec.server)?.catalog?.serverInfo : undefined;
    this.server = new Server(
      upstreamInfo ?? { name: 'canopy', title: 'Canopy MCP gateway', version: core.version },
      { capabilities: this.capabilities, instructions: this.instructions() },
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

  async connect(transport: Transport): Promise<void> {
    await this.server.connect(transport);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.core.subscriptions.dropSession(this);
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

  /** From the upstreams' capabilities as last seen (see GatewayCore.learnCapabilities). */
  private declaredCapabilities(): ServerCapabilities {
    const offered = (server: string) => this.core.connection(server)?.catalog?.capabilities;
    if (this.spec.kind === 'server') return serverEndpointCapabilities(offered(this.spec.server));
    return aggregateCapabilities([...this.core.source.servers()].map(({ name }) => offered(name)));
  }

  private instructions(): string | undefined {
    if (this.found) return SEARCH_VIEW_INSTRUCTIONS;
    if (this.spec.kind === 'server') return this.core.connection(this.spec.server)?.catalog?.instructions;
    const parts: string[] = [];
    const view = this.view();
    for (const server of this.core.source.servers()) {
      const { name, enabled } = server;
      const text = enabled && view.includesServer(name) ? this.core.connection(name)?.catalog?.instructions : undefined;
      if (text) parts.push(`## ${name}\nTools of this server are named ${prefixOf(server)}__<tool>.\n${text}`);
    }
    return parts.length > 0 ? parts.join('\n\n') : undefined;
  }

  /** Resolves a name, first waiting (bounded) for its server when that is still starting. */
  private async resolveWhenReady(kind: 'tool' | 'prompt', exposed: string): Promise<ItemRef> {
    const view = this.view();
    if (kind === 'tool' ? view.resolveTool(exposed) : view.resolvePrompt(exposed)) return this.resolveOrThrow(kind, exposed);
    const server = startingServer(this.core.source, this.spec, kind, exposed, this.filter?.());
    if (server) await waitForServer(this.core.source, server);
    return this.resolveOrThrow(kind, exposed);
  }

  private resolveOrThrow(kind: 'tool' | 'prompt', exposed: string): ItemRef {
    const resolved = resolveItem(this.core.source, this.spec, this.view(), this.filter?.(), kind, exposed);
    if ('error' in resolved) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, resolved.error);
    return resolved.ref;
  }

  private resolveResourceOrThrow(uri: string): ItemRef {
    const ref = this.view().resolveResource(uri);
    // -32602 (invalid params): a missing resource, as MCP 2026-07-28 requires (the SDK sends a -32002 as -32602 anyway).
    if (!ref) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `unknown resource '${uri}'`);
    const server = this.core.source.server(ref.server);
    if (!server) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `unknown resource '${uri}': no server named '${ref.server}'`);
    if (!server.enabled) {
      throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `server '${ref.server}' is disabled: enable it with \`canopy enable server ${ref.server}\``);
    }
    return ref;
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
    let upstream: ReturnType<SessionHost['upstreamFor']>;
    try {
      // A 2026-07-28 request has no session to give a server of its own ("isolation": "per_session"): it uses the shared connection.
      const shared = this.modern ? this.core.connection(server) : undefined;
      upstream = shared ? { connection: shared, release: () => {} } : this.core.upstreamFor(this, server);
      if (!upstream) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `no server named '${server}' is registered`);
      try {
        await upstream.connection.ready(); // bounded by the server's own initialize timeout
      } catch (error) {
        throw new JsonRpcError(ProtocolErrorCode.InternalError, `server '${server}' is not available: ${(error as Error).message}`);
      }
      const sendOptions = { timeout: options.long ? CALL_TIMEOUT_MS : undefined, resetTimeoutOnProgress: options.long, onprogress: options.onprogress };
      if (this.modern && ROUND_TRIP_METHODS.has(request.method)) return await this.forwardRounds(upstream.connection, request, ctx, sendOptions);
      const origin = { answer: (asked: ServerRequest, signal: AbortSignal) => this.answerUpstream(asked, signal, ctx) };
      return await upstream.connection.request(request, { ...sendOptions, signal: ctx.mcpReq.signal }, origin);
    } catch (error) {
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
    const { inputResponses } = ctx.mcpReq;
    const requestState = ctx.mcpReq.requestState<string>();
    if (connection.era?.era === 'modern') {
      const params = { ...request.params, ...(inputResponses ? { inputResponses } : {}), ...(requestState !== undefined ? { requestState } : {}) };
      return connection.request({ ...request, params }, { ...options, signal: ctx.mcpReq.signal, allowInputRequired: true });
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

  /**
   * Runs a tool call, prompt get or resource read and reports it (metrics, audit) whatever the
   * outcome — refusals included. `work` names the item it resolved through `resolved`.
   */
  private async recorded<R>(
    kind: CallRecord['kind'],
    exposed: string,
    work: (resolved: (ref: ItemRef) => ItemRef) => Promise<{ result: R; outcome: 'ok' | 'tool_error' }>,
  ): Promise<R> {
    const started = performance.now();
    let target: ItemRef | undefined;
    let outcome: CallRecord['outcome'] = 'error';
    let error: string | undefined;
    // A 2026-07-28 round that asks the client for input is not the call's end: the last round is recorded.
    let roundAsked = false;
    try {
      const done = await work((ref) => (target = ref));
      outcome = done.outcome;
      roundAsked = isInputRequiredResult(done.result);
      return done.result;
    } catch (thrown) {
      error = (thrown as Error).message;
      if (!target && thrown instanceof JsonRpcError && thrown.code === ProtocolErrorCode.InvalidParams) outcome = 'denied';
      throw thrown;
    } finally {
      if (!roundAsked) {
        this.core.recordCall({
          identity: this.identity,
          kind,
          server: target?.server,
          name: target?.name ?? exposed,
          outcome,
          durationMs: performance.now() - started,
          error,
        });
      }
    }
  }

  /**
   * Whether this session's client declared what a server→client request of `method` needs: at
   * initialize, or (2026-07-28) in the request `ctx` the server asks during.
   */
  accepts(method: string, ctx?: ServerContext): boolean {
    const capabilities = this.modern
      ? (ctx?.mcpReq.envelope as Record<string, ClientCapabilities | undefined> | undefined)?.[CLIENT_CAPABILITIES_META_KEY]
      : this.server.getClientCapabilities();
    if (method === 'sampling/createMessage') return Boolean(capabilities?.sampling);
    if (method === 'elicitation/create') return Boolean(capabilities?.elicitation);
    if (method === 'roots/list') return Boolean(capabilities?.roots);
    return false;
  }

  /** Maps the resource URIs in an upstream's result to the ones this session's view exposes. */
  private exposeUris<R extends object>(server: string, result: R): R {
    if (this.spec.kind === 'server') return result;
    const view = this.view();
    return exposeResultUris(result, (uri) => view.exposeResourceUri(server, uri));
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
    return this.recorded('tool', params.name, async (resolved) => {
      const ref = resolved(await this.resolveWhenReady('tool', params.name));
      const result = (await this.forward(
        ref.server,
        { method: 'tools/call', params: { ...params, name: ref.name, _meta: withoutProgressToken(params._meta) } },
        ctx,
        { onprogress: this.progressRelay(ctx), long: true },
      )) as CallToolResult;
      return { result: this.exposeUris(ref.server, result), outcome: result.isError ? 'tool_error' : 'ok' };
    });
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
      this.recorded('prompt', request.params.name, async (resolved) => {
        const ref = resolved(await this.resolveWhenReady('prompt', request.params.name));
        const result = await this.forward(
          ref.server,
          { method: 'prompts/get', params: { ...request.params, name: ref.name, _meta: withoutProgressToken(request.params._meta) } },
          ctx,
          { onprogress: this.progressRelay(ctx) },
        );
        return { result: this.exposeUris(ref.server, result), outcome: 'ok' };
      }),
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
      this.recorded('resource', request.params.uri, async (resolved) => {
        const ref = resolved(this.resolveResourceOrThrow(request.params.uri));
        const result = await this.forward(
          ref.server,
          { method: 'resources/read', params: { ...request.params, uri: ref.name, _meta: withoutProgressToken(request.params._meta) } },
          ctx,
          { onprogress: this.progressRelay(ctx) },
        );
        return { result: this.exposeUris(ref.server, result), outcome: 'ok' };
      }),
    );
    if (!subscribe) return;

    server.setRequestHandler('resources/subscribe', async (request, ctx) => {
      const ref = this.resolveResourceOrThrow(request.params.uri);
      await this.core.subscriptions.subscribe(this, ref, request.params.uri, (upstreamRequest) =>
        this.forward(ref.server, upstreamRequest, ctx),
      );
      return {};
    });

    server.setRequestHandler('resources/unsubscribe', async (request, ctx) => {
      const ref = this.resolveResourceOrThrow(request.params.uri);
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
          ? { item: this.resolveOrThrow('prompt', ref.name), ref: (name: string) => ({ ...ref, name }) }
          : { item: this.resolveResourceOrThrow(ref.uri), ref: (uri: string) => ({ ...ref, uri }) };
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

function withoutProgressToken(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!meta) return undefined;
  const { progressToken: _ignored, ...rest } = meta;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

export type { ViewSpec };
