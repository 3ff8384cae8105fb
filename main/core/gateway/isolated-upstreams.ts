// Upstream connections of their own for the downstream sessions of servers with
// `"isolation": "per_session"`: one connection (for stdio, one process) per session and server, made
// on the session's first call there, declaring only what that session's client declared (sampling,
// elicitation, roots) and answering the server's requests from that client alone. Closed with the
// session, when idle, or to make room; their number is bounded.
import { ProtocolError, ProtocolErrorCode, type ClientCapabilities } from '@modelcontextprotocol/server';
import type { ServerConfig } from '../config/server-config.ts';
import type { ServerRequestHandler, UpstreamConnection } from '../upstream/types.ts';
import { ConnectionLeases, type LeaseLimits, type Leased } from './connection-leases.ts';

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

const DEFAULT_ISOLATION_LIMITS: LeaseLimits = { maxConnections: 20, idleMs: 10 * 60_000 };

interface Isolated extends Leased {
  session: IsolatedSession;
  connection: UpstreamConnection;
}

export class IsolatedUpstreams {
  private readonly leases: ConnectionLeases<Isolated>;

  constructor(
    private readonly connect: ConnectIsolated | undefined,
    limits: LeaseLimits = DEFAULT_ISOLATION_LIMITS,
  ) {
    this.leases = new ConnectionLeases(limits, (isolated) => isolated.connection.stop(), 'one connection per client session');
  }

  /** The session's own connection to the server `config` names (made now if it has none); `release` when the call ends. */
  acquire(session: IsolatedSession, config: ServerConfig): { connection: UpstreamConnection; release: () => void } {
    let isolated = this.leases.get(session.id, config.name);
    if (isolated && isolated.connection.config !== config) {
      // The server's config changed since: start over with the new one.
      void this.leases.remove(isolated);
      isolated = undefined;
    }
    isolated ??= this.open(session, config);
    return { connection: isolated.connection, release: this.leases.lease(isolated) };
  }

  /** The session's connections (to tell them its roots changed). */
  connectionsOf(sessionId: string): UpstreamConnection[] {
    return this.leases.values().filter((c) => c.owner === sessionId).map((c) => c.connection);
  }

  closeSession(sessionId: string): Promise<void> {
    return this.leases.removeWhere((c) => c.owner === sessionId);
  }

  stop(): Promise<void> {
    return this.leases.stop();
  }

  get size(): number {
    return this.leases.size;
  }

  private open(session: IsolatedSession, config: ServerConfig): Isolated {
    if (!this.connect) throw new ProtocolError(ProtocolErrorCode.InternalError, `server '${config.name}' wants a connection per session, which this gateway cannot make`);
    return this.leases.add(session.id, config.name, () => ({
      session,
      connection: this.connect!(config, mirrored(session.clientCapabilities()), session.answerUpstream),
    }));
  }
}

/** What a session's own connection declares: the client-side capabilities its client declared, nothing more. */
function mirrored(client: ClientCapabilities | undefined): ClientCapabilities {
  const capabilities: ClientCapabilities = {};
  if (client?.sampling) capabilities.sampling = client.sampling;
  if (client?.elicitation) capabilities.elicitation = client.elicitation;
  if (client?.roots) capabilities.roots = client.roots;
  return capabilities;
}
