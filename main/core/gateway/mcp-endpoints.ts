// Downstream MCP transports: streamable HTTP (MCP 2025-11-25: sessions, Mcp-Session-Id, GET stream,
// DELETE, MCP-Protocol-Version — the SDK's web-standard transport does the protocol part) and the
// legacy HTTP+SSE transport (`/sse` + `/messages`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isInitializeRequest } from '@modelcontextprotocol/server';
import type { GatewayCore } from './gateway-core.ts';
import { headerMismatch, jsonRpcError, writeJsonRpcError } from './json-rpc-error.ts';
import { LegacySseTransport } from './sse-transport.ts';
import { StreamableSessionTransport } from './streamable-session-transport.ts';
import { viewKey, type ViewSpec } from './catalog.ts';
import type { DownstreamSession } from './downstream-session.ts';
import type { FilterSource } from './call-pipeline.ts';
import { ModernPassThrough, servesModernDirectly } from './modern-passthrough.ts';
import { ListenSubscriptions } from './listen-subscriptions.ts';
import { isPerUser } from '../config/server-config.ts';
import { paramHeaderMismatch } from '../upstream/mcp-headers.ts';
import {
  classifyInboundRequest,
  createMcpHandler,
  type InboundLadderRejection,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type McpHttpHandler,
  type McpRequestContext,
  type Server,
} from '@modelcontextprotocol/server';

/** Who is calling and what they may see; decided by the access layer before a request gets here. */
export interface Caller {
  identity?: string;
  /** The Canopy user the call acts for (an OAuth access token's user). */
  user?: string;
  filter?: FilterSource;
}

/** Node's own request and response of an HTTP exchange: 2025-11-25 sessions answer on them directly. */
export interface NodeExchange {
  req: IncomingMessage;
  res: ServerResponse;
}

interface StreamableSession {
  session: DownstreamSession;
  transport: StreamableSessionTransport;
  /** Sessions are bound to the endpoint (and caller) that created them. */
  endpointKey: string;
  identity?: string;
}

/**
 * Bounds on open MCP sessions (streamable HTTP and legacy SSE together). A new session over a limit
 * first takes the place of the caller's own least recently used idle session (no stream open, no call
 * running, quiet for `evictIdleAfterMs`), so a client that reconnects without closing its old
 * sessions does not lock itself out; without such a session it is refused with 503.
 */
export interface SessionLimits {
  /** All sessions together (CANOPY_MAX_SESSIONS). */
  maxSessions: number;
  /** Sessions of one identity (CANOPY_MAX_SESSIONS_PER_CLIENT); enterprise mode only, where callers have one. */
  maxSessionsPerClient: number;
  /** How long a session must be idle before a new session of the same identity may replace it. */
  evictIdleAfterMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { maxSessions: 1000, maxSessionsPerClient: 100, evictIdleAfterMs: 60_000 };

/** Which tools an endpoint lists: all of its view's, or the search view's (`…/mcp/search`). */
export interface EndpointOptions {
  search?: boolean;
}

/** Sessions are bound to the endpoint that created them: its view, and whether it is the search view. */
function endpointKey(spec: ViewSpec, options: EndpointOptions): string {
  return options.search ? `${viewKey(spec)}/search` : viewKey(spec);
}

export interface McpEndpointsOptions {
  /** A session with no request, no running call and no open stream for this long is closed. */
  idleSessionMs: number;
  limits: SessionLimits;
}

/** JSON-RPC error code (implementation-defined server error range) for a refused new session. */
const SESSION_LIMIT_REACHED = -32003;

export class McpEndpoints {
  private readonly passThrough: ModernPassThrough;
  private readonly modern: McpHttpHandler;
  private readonly listening: ListenSubscriptions;
  /** Endpoint and caller of each 2026-07-28 request in flight (the SDK hands the factory the request). */
  private readonly modernCallers = new WeakMap<Request, { spec: ViewSpec; caller: Caller; endpoint: EndpointOptions }>();
  private readonly streamable = new Map<string, StreamableSession>();
  private readonly legacy = new Map<string, { session: DownstreamSession; transport: LegacySseTransport }>();
  private sweeper: NodeJS.Timeout | undefined;
  /** Initializes under way (admitted, not yet in `streamable`), by identity. */
  private readonly initializing = new Map<string | undefined, number>();

  constructor(
    private readonly core: GatewayCore,
    private readonly options: McpEndpointsOptions = { idleSessionMs: 60 * 60_000, limits: DEFAULT_SESSION_LIMITS },
  ) {
    this.passThrough = new ModernPassThrough(core);
    // Each 2026-07-28 request is served by a session of its own, built for its endpoint and caller;
    // subscriptions/listen streams are the SDK's, told when the lists change.
    this.modern = createMcpHandler((context) => this.requestSession(context), { legacy: 'reject' });
    this.listening = new ListenSubscriptions(core.subscriptions, (server) => core.connection(server), (uri) => this.modern.notify.resourceUpdated(uri));
    core.onListsChanged(() => {
      this.modern.notify.toolsChanged();
      this.modern.notify.promptsChanged();
      this.modern.notify.resourcesChanged();
    });
  }

  /** Why a 2026-07-28 tools/call's Mcp-Param-* headers disagree with its arguments (the tool's schema says which it mirrors). */
  private paramHeaderMismatch(request: Request, message: JSONRPCRequest | JSONRPCNotification, spec: ViewSpec, caller: Caller): string | undefined {
    if (message.method !== 'tools/call' || !('id' in message)) return undefined;
    const params = message.params as { name?: unknown; arguments?: unknown } | undefined;
    if (typeof params?.name !== 'string') return undefined;
    const tool = this.core.catalog.view(spec, caller.filter?.()).tools.find((listed) => listed.name === params.name);
    return tool ? paramHeaderMismatch(tool.inputSchema, params.arguments, request.headers) : undefined;
  }

  /** A 2026-07-28 listen stream: the resources it watches are subscribed upstream while it is open. */
  private async listen(request: Request, message: JSONRPCRequest | JSONRPCNotification, spec: ViewSpec, caller: Caller, parsedBody: unknown): Promise<Response> {
    const uris = (message.params as { notifications?: { resourceSubscriptions?: unknown } } | undefined)?.notifications?.resourceSubscriptions;
    const watched = Array.isArray(uris) ? uris.filter((uri): uri is string => typeof uri === 'string') : [];
    const release = await this.listening.watch(this.core.catalog.view(spec, caller.filter?.()), watched);
    request.signal.addEventListener('abort', release, { once: true });
    const response = await this.modern.fetch(request, { parsedBody });
    if (!response.body) {
      release();
      return response;
    }
    const ends = new TransformStream<Uint8Array, Uint8Array>({ flush: release });
    void response.body.pipeTo(ends.writable).catch(release);
    return new Response(ends.readable, { status: response.status, headers: response.headers });
  }

  /** The session (a v2 Server) that serves one 2026-07-28 request. */
  private requestSession(context: McpRequestContext): Server {
    const target = context.requestInfo && this.modernCallers.get(context.requestInfo);
    if (!target) throw new Error('a 2026-07-28 request reached the handler without its endpoint');
    const { spec, caller, endpoint } = target;
    return this.core.createRequestSession({ spec, filter: caller.filter, identity: caller.identity, user: caller.user, search: endpoint.search, request: context.requestInfo }).server;
  }

  start(): void {
    // Clients that vanish without DELETE would otherwise keep their sessions forever.
    this.sweeper = setInterval(() => this.sweepIdle(), Math.min(60_000, this.options.idleSessionMs)).unref();
  }

  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const all = [...this.streamable.values()];
    this.streamable.clear();
    await Promise.allSettled(all.map((s) => s.transport.close()));
    const legacy = [...this.legacy.values()];
    this.legacy.clear();
    await Promise.allSettled(legacy.map((s) => s.transport.close()));
    await this.modern.close();
    await this.core.closeAll();
  }

  get openSessions(): number {
    return this.streamable.size + this.legacy.size;
  }

  private sweepIdle(): void {
    for (const entry of this.streamable.values()) {
      if (entry.session.idleFor() > this.options.idleSessionMs) void entry.transport.close();
    }
  }

  /**
   * Makes room for a new session of `identity` within the limits — closing that identity's least
   * recently used idle session when one is over a limit — or says why there is none (503).
   */
  private admit(identity: string | undefined): Response | undefined {
    const { maxSessions, maxSessionsPerClient, evictIdleAfterMs } = this.options.limits;
    const own = [...this.streamable.values()].filter((entry) => entry.identity === identity);
    const starting = [...this.initializing.values()].reduce((sum, n) => sum + n, 0);
    const overTotal = this.openSessions + starting >= maxSessions;
    const ownCount =
      own.length + (this.initializing.get(identity) ?? 0) + [...this.legacy.values()].filter((entry) => entry.session.identity === identity).length;
    const overOwn = identity !== undefined && ownCount >= maxSessionsPerClient;
    if (!overTotal && !overOwn) return undefined;
    const idlest = own
      .filter((entry) => entry.session.idleFor() >= evictIdleAfterMs)
      .sort((a, b) => a.session.lastActivity - b.session.lastActivity)[0];
    if (idlest) {
      this.streamable.delete(idlest.session.id);
      void idlest.transport.close();
      return undefined;
    }
    const retryAfter = { 'retry-after': String(Math.ceil(evictIdleAfterMs / 1000)) };
    if (overOwn) {
      return jsonRpcError(
        503,
        SESSION_LIMIT_REACHED,
        `${identity} has ${ownCount} open MCP sessions, the most one client may have (CANOPY_MAX_SESSIONS_PER_CLIENT=${maxSessionsPerClient}), and none has been idle long enough to replace: ` +
          'end sessions you no longer use (DELETE with their Mcp-Session-Id), or ask the administrator to raise the limit',
        { headers: retryAfter },
      );
    }
    return jsonRpcError(
      503,
      SESSION_LIMIT_REACHED,
      `Canopy has ${this.openSessions} open MCP sessions, its limit (CANOPY_MAX_SESSIONS=${maxSessions}): ` +
        'end sessions you no longer use (DELETE with their Mcp-Session-Id) and try again in a minute, or raise CANOPY_MAX_SESSIONS',
      { headers: retryAfter },
    );
  }

  /** Closes every session of one identity (its token was revoked or rotated). */
  async closeSessionsOf(identity: string): Promise<void> {
    const doomed = [...this.streamable.values()].filter((s) => s.identity === identity);
    await Promise.allSettled(doomed.map((s) => s.transport.close()));
    for (const [id, entry] of this.legacy) {
      if (entry.session.identity === identity) {
        this.legacy.delete(id);
        await entry.transport.close().catch(() => {});
      }
    }
  }

  /**
   * Handles one streamable-HTTP request for the endpoint `spec`. `parsedBody` is the JSON body of a
   * POST. Answers with a Response, or undefined when a 2025-11-25 session answered on `node.res` itself.
   */
  async handleStreamable(
    request: Request,
    node: NodeExchange,
    spec: ViewSpec,
    caller: Caller,
    parsedBody: unknown,
    endpoint: EndpointOptions = {},
  ): Promise<Response | undefined> {
    if (request.method === 'POST') {
      // MCP 2026-07-28 requests carry their protocol version in every request (no session); the
      // SDK's classifier tells them from 2025 traffic and rejects malformed claims the spec's way.
      const route = classifyInboundRequest({
        httpMethod: request.method,
        protocolVersionHeader: request.headers.get('mcp-protocol-version') ?? undefined,
        mcpMethodHeader: request.headers.get('mcp-method') ?? undefined,
        mcpNameHeader: request.headers.get('mcp-name') ?? undefined,
        body: parsedBody,
      });
      if (route.kind === 'reject') return rejection(route, parsedBody);
      if (route.kind === 'modern') {
        const connection = spec.kind === 'server' && !endpoint.search ? this.core.connection(spec.server) : undefined;
        // A per-user server's shared connection lists its catalog only: calls go through the caller's own (the session path).
        if (connection && servesModernDirectly(connection) && !isPerUser(connection.config)) {
          const call = { request, message: route.message, server: connection.name, identity: caller.identity, filter: caller.filter?.() };
          return this.passThrough.handle(call, connection);
        }
        await this.core.learnCapabilities(spec);
        const mismatch = this.paramHeaderMismatch(request, route.message, spec, caller);
        if (mismatch) return headerMismatch((route.message as { id?: unknown }).id, mismatch);
        this.modernCallers.set(request, { spec, caller, endpoint });
        if (route.message.method === 'subscriptions/listen') return this.listen(request, route.message, spec, caller, parsedBody);
        return this.modern.fetch(request, { parsedBody });
      }
    }
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const entry = this.streamable.get(sessionId);
      if (!entry || entry.endpointKey !== endpointKey(spec, endpoint) || entry.identity !== caller.identity) {
        return jsonRpcError(404, -32001, 'Session not found: start a new session with initialize');
      }
      entry.session.lastActivity = Date.now();
      if (request.method !== 'GET') {
        entry.transport.handle(node.req, node.res, parsedBody);
        return undefined;
      }
      const release = entry.session.streamOpened();
      node.res.once('close', release);
      entry.transport.handle(node.req, node.res, parsedBody);
      if (node.res.statusCode === 200 && !node.res.writableEnded) void entry.session.notifyListChanges(); // what changed while it was not listening
      else release();
      return undefined;
    }
    if (request.method !== 'POST' || !isInitializeRequest(parsedBody)) {
      return jsonRpcError(400, -32000, 'Bad Request: missing Mcp-Session-Id header (send initialize first)');
    }
    const refusal = this.admit(caller.identity);
    if (refusal) return refusal;
    const { identity } = caller;
    this.initializing.set(identity, (this.initializing.get(identity) ?? 0) + 1);
    try {
      await this.initialize(node, spec, caller, parsedBody, endpoint);
      return undefined;
    } finally {
      const left = this.initializing.get(identity)! - 1;
      if (left > 0) this.initializing.set(identity, left);
      else this.initializing.delete(identity);
    }
  }

  private async initialize(node: NodeExchange, spec: ViewSpec, caller: Caller, parsedBody: unknown, endpoint: EndpointOptions): Promise<void> {
    await this.core.learnCapabilities(spec);
    const id = randomUUID();
    const session = this.core.createSession({ id, spec, filter: caller.filter, identity: caller.identity, user: caller.user, search: endpoint.search });
    const transport = new StreamableSessionTransport(
      id,
      () => this.streamable.set(id, { session, transport, endpointKey: endpointKey(spec, endpoint), identity: caller.identity }),
      (request) => session.serializedResult(request),
    );
    transport.onclose = () => {
      this.streamable.delete(id);
      void this.core.closeSession(id);
    };
    await session.connect(transport);
    transport.handle(node.req, node.res, parsedBody);
    // The transport refused the initialize (Accept, Content-Type): no session.
    if (!this.streamable.has(id)) await this.core.closeSession(id);
  }

  /** GET /sse: opens a legacy SSE session; the client posts to /messages?sessionId=… */
  async openLegacySse(res: ServerResponse, messagesPath: string, caller: Caller): Promise<void> {
    const refusal = this.admit(caller.identity);
    if (refusal) {
      res.writeHead(refusal.status, Object.fromEntries(refusal.headers)).end(await refusal.text());
      return;
    }
    const transport = new LegacySseTransport(messagesPath, res);
    const session = this.core.createSession({ id: transport.sessionId, spec: { kind: 'all' }, ...caller });
    session.streamOpened(); // the SSE stream is the session: it listens for as long as it lives
    this.legacy.set(transport.sessionId, { session, transport });
    transport.onclose = () => {
      this.legacy.delete(transport.sessionId);
      void this.core.closeSession(transport.sessionId);
    };
    await session.connect(transport);
  }

  /** POST /messages?sessionId=… */
  async postLegacyMessage(req: IncomingMessage, res: ServerResponse, sessionId: string | null, caller: Caller, body: unknown): Promise<void> {
    const entry = sessionId ? this.legacy.get(sessionId) : undefined;
    if (!entry || entry.session.identity !== caller.identity) {
      writeJsonRpcError(res, 404, -32001, 'Session not found: open /sse first');
      return;
    }
    entry.session.lastActivity = Date.now();
    await entry.transport.handlePostMessage(req, res, body);
  }
}

/** A malformed 2026-07-28 request, answered with the status and JSON-RPC error the spec's validation ladder gives it. */
function rejection(route: InboundLadderRejection, body: unknown): Response {
  const message = body as { id?: unknown; method?: unknown } | undefined;
  const id = typeof message?.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number') ? message.id : null;
  return jsonRpcError(route.httpStatus, route.code, route.message, { id, data: route.data, ...(route.httpStatus === 405 ? { headers: { allow: 'POST' } } : {}) });
}
