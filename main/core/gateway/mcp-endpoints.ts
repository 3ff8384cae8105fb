// Downstream MCP transports: streamable HTTP (MCP 2025-11-25: sessions, Mcp-Session-Id, GET stream,
// DELETE, MCP-Protocol-Version — the SDK's web-standard transport does the protocol part) and the
// legacy HTTP+SSE transport (`/sse` + `/messages`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { GatewayCore } from './gateway-core.ts';
import { jsonRpcError } from './json-rpc-error.ts';
import { viewKey, type ViewSpec } from './catalog.ts';
import type { DownstreamSession, FilterSource } from './downstream-session.ts';

/** Who is calling and what they may see; decided by the access layer before a request gets here. */
export interface Caller {
  identity?: string;
  filter?: FilterSource;
}

interface StreamableSession {
  session: DownstreamSession;
  transport: WebStandardStreamableHTTPServerTransport;
  /** Sessions are bound to the endpoint (and caller) that created them. */
  endpointKey: string;
  identity?: string;
  /** GET streams the client holds open: a session that only listens is not idle. */
  openStreams: number;
}

export class McpEndpoints {
  private readonly streamable = new Map<string, StreamableSession>();
  private readonly legacy = new Map<string, { session: DownstreamSession; transport: SSEServerTransport }>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: GatewayCore,
    private readonly options: { idleSessionMs: number } = { idleSessionMs: 60 * 60_000 },
  ) {}

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
    await this.core.closeAll();
  }

  get openSessions(): number {
    return this.streamable.size + this.legacy.size;
  }

  private sweepIdle(): void {
    const cutoff = Date.now() - this.options.idleSessionMs;
    for (const entry of this.streamable.values()) {
      if (entry.openStreams === 0 && entry.session.lastActivity < cutoff) void entry.transport.close();
    }
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

  /** Handles one streamable-HTTP request for the endpoint `spec`. `parsedBody` is the JSON body of a POST. */
  async handleStreamable(request: Request, spec: ViewSpec, caller: Caller, parsedBody: unknown): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const entry = this.streamable.get(sessionId);
      if (!entry || entry.endpointKey !== viewKey(spec) || entry.identity !== caller.identity) {
        return jsonRpcError(404, -32001, 'Session not found: start a new session with initialize');
      }
      entry.session.lastActivity = Date.now();
      if (request.method === 'GET') {
        entry.openStreams += 1;
        request.signal.addEventListener('abort', () => {
          entry.openStreams -= 1;
          entry.session.lastActivity = Date.now();
        }, { once: true });
      }
      return entry.transport.handleRequest(request, { parsedBody });
    }
    if (request.method !== 'POST' || !isInitializeRequest(parsedBody)) {
      return jsonRpcError(400, -32000, 'Bad Request: missing Mcp-Session-Id header (send initialize first)');
    }
    await this.core.learnCapabilities(spec);
    const id = randomUUID();
    const session = this.core.createSession({ id, spec, filter: caller.filter, identity: caller.identity });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      onsessioninitialized: () => {
        this.streamable.set(id, { session, transport, endpointKey: viewKey(spec), identity: caller.identity, openStreams: 0 });
      },
    });
    transport.onclose = () => {
      this.streamable.delete(id);
      void this.core.closeSession(id);
    };
    await session.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody });
    // The transport refused the initialize (Accept, Content-Type, protocol version): no session.
    if (!this.streamable.has(id)) await this.core.closeSession(id);
    return response;
  }

  /** GET /sse: opens a legacy SSE session; the client posts to /messages?sessionId=… */
  async openLegacySse(res: ServerResponse, messagesPath: string, caller: Caller): Promise<void> {
    const transport = new SSEServerTransport(messagesPath, res);
    const session = this.core.createSession({ id: transport.sessionId, spec: { kind: 'all' }, ...caller });
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
      res.writeHead(404, { 'content-type': 'application/json' }).end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found: open /sse first' }, id: null }),
      );
      return;
    }
    entry.session.lastActivity = Date.now();
    await entry.transport.handlePostMessage(req, res, body as JSONRPCMessage);
  }
}
