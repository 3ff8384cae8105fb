// Upstream connections of their own for the downstream sessions of servers with
// `"isolation": "per_session"`: one connection (for stdio, one process) per session and server, made
// on the session's first call there, declaring only what that session's client declared (sampling,
// elicitation, roots) and answering the server's requests from that client alone. Closed with the
// session, when idle, or to make room; their number is bounded.
import { ProtocolError, ProtocolErrorCode, type ClientCapabilities } from '@modelcontextprotocol/server';
import type { ServerConfig } from '../config/server-config.ts';
import type { ServerRequestHandler, UpstreamConnection } from '../upstream/types.ts';

/** Makes a connection for one session; `capabilities` mirror its client, `handler` answers for it. */
export type ConnectIsolated = (config: ServerConfig, capabilities: ClientCapabilities, handler: ServerRequestHandler) => UpstreamConnection;

/** What the pool needs of a downstream session. */
export interface IsolatedSession {
  readonly id: string;
  /** The capabilities its client declared at initialize. */
  clientCapabilities(): ClientCapabilities | undefined;
  /** Answers a request from its own upstream connection. */
  readonly answerUpstream: ServerRequestHandler;
}

export interface IsolationLimits {
  /** Isolated connections at once, all servers and sessions together. */
  maxConnections: number;
  /** An isolated connection unused this long is closed. */
  idleMs: number;
}

const DEFAULT_ISOLATION_LIMITS: IsolationLimits = { maxConnections: 20, idleMs: 10 * 60_000 };

interface Isolated {
  session: IsolatedSession;
  connection: UpstreamConnection;
  lastUsed: number;
  /** Calls running on it: it is not closed to make room while it has any. */
  inUse: number;
}

export class IsolatedUpstreams {
  private readonly connections = new Map<string, Isolated>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly connect: ConnectIsolated | undefined,
    private readonly limits: IsolationLimits = DEFAULT_ISOLATION_LIMITS,
  ) {
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(60_000, limits.idleMs));
    this.sweeper.unref();
  }

  /** The session's own connection to the server `config` names (made now if it has none); `release` when the call ends. */
  acquire(session: IsolatedSession, config: ServerConfig): { connection: UpstreamConnection; release: () => void } {
    const key = keyOf(session.id, config.name);
    let isolated = this.connections.get(key);
    if (isolated && isolated.connection.config !== config) {
      // The server's config changed since: start over with the new one.
      this.connections.delete(key);
      void isolated.connection.stop();
      isolated = undefined;
    }
    if (!isolated) isolated = this.open(session, config, key);
    const entry = isolated;
    entry.inUse += 1;
    entry.lastUsed = Date.now();
    let released = false;
    return {
      connection: entry.connection,
      release: () => {
        if (released) return;
        released = true;
        entry.inUse -= 1;
        entry.lastUsed = Date.now();
      },
    };
  }

  /** The session's connections (to tell them its roots changed). */
  connectionsOf(sessionId: string): UpstreamConnection[] {
    return [...this.connections.values()].filter((c) => c.session.id === sessionId).map((c) => c.connection);
  }

  async closeSession(sessionId: string): Promise<void> {
    const doomed = [...this.connections].filter(([, c]) => c.session.id === sessionId);
    for (const [key] of doomed) this.connections.delete(key);
    await Promise.allSettled(doomed.map(([, c]) => c.connection.stop()));
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.allSettled(all.map((c) => c.connection.stop()));
  }

  get size(): number {
    return this.connections.size;
  }

  private open(session: IsolatedSession, config: ServerConfig, key: string): Isolated {
    if (!this.connect) throw new ProtocolError(ProtocolErrorCode.InternalError, `server '${config.name}' wants a connection per session, which this gateway cannot make`);
    if (this.connections.size >= this.limits.maxConnections) this.makeRoom(config.name);
    const connection = this.connect(config, mirrored(session.clientCapabilities()), session.answerUpstream);
    const isolated: Isolated = { session, connection, lastUsed: Date.now(), inUse: 0 };
    this.connections.set(key, isolated);
    return isolated;
  }

  /** Closes the least recently used connection no call is using, or refuses. */
  private makeRoom(server: string): void {
    const idlest = [...this.connections].filter(([, c]) => c.inUse === 0).sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0];
    if (!idlest) {
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `server '${server}' runs one connection per client session and all ${this.limits.maxConnections} are busy: try again when a call has finished`,
      );
    }
    this.connections.delete(idlest[0]);
    void idlest[1].connection.stop();
  }

  private closeIdle(): void {
    const cutoff = Date.now() - this.limits.idleMs;
    for (const [key, isolated] of this.connections) {
      if (isolated.inUse === 0 && isolated.lastUsed < cutoff) {
        this.connections.delete(key);
        void isolated.connection.stop();
      }
    }
  }
}

function keyOf(sessionId: string, server: string): string {
  return `${sessionId}\u0000${server}`;
}

/** What a session's own connection declares: the client-side capabilities its client declared, nothing more. */
function mirrored(client: ClientCapabilities | undefined): ClientCapabilities {
  const capabilities: ClientCapabilities = {};
  if (client?.sampling) capabilities.sampling = client.sampling;
  if (client?.elicitation) capabilities.elicitation = client.elicitation;
  if (client?.roots) capabilities.roots = client.roots;
  return capabilities;
}
