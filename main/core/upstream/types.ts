// The contract between upstream connections and the rest of the gateway. The gateway (downstream
// sessions, routing) only ever sees these types; how a connection is made lives behind them.
import type { EventEmitter } from 'node:events';
import type {
  Client,
  Implementation,
  Progress,
  Prompt,
  RequestMethod,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  ResultTypeMap,
  ServerCapabilities,
  ServerNotification,
  ServerRequest,
  Tool,
} from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/server-config.ts';
import type { RequestOrigin } from './request-origins.ts';

export type UpstreamStatus =
  | 'stopped' // not running: disabled, or never started (stdio starts on first use / registration)
  | 'sleeping' // stdio, idle: the process was stopped; the catalog stays listed and the next request starts it
  | 'starting' // spawning / connecting / initializing
  | 'running' // initialized, catalog fetched
  | 'crashed' // the process exited or the connection dropped; a restart is scheduled (backoff)
  | 'error' // gave up or cannot start (bad command, repeated crashes, initialize timeout); `lastError` says why
  | 'needs_authorization'; // OAuth: no usable token; `canopy authorize NAME` (or the UI) fixes it

export interface UpstreamState {
  status: UpstreamStatus;
  /** How many times the connection has crashed since it was last started by hand. */
  crashes: number;
  /** One line for the user: what went wrong and what to do. */
  lastError?: string;
  /** When a restart is scheduled (ISO time), while status is 'crashed'. */
  nextRetryAt?: string;
  /** ISO time of the last status change. */
  since: string;
  /** stdio only: the child's pid while it runs. */
  pid?: number;
}

/** What an upstream offers, fetched with pagination after initialize and on list_changed. */
export interface UpstreamCatalog {
  serverInfo: Implementation;
  capabilities: ServerCapabilities;
  instructions?: string;
  protocolVersion?: string;
  tools: Tool[];
  prompts: Prompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
}

export type CatalogPart = 'tools' | 'prompts' | 'resources';

/**
 * The two protocol eras (SDK v2's names): 'legacy' is MCP 2024-10-07 … 2025-11-25 (initialize,
 * sessions), 'modern' is 2026-07-28 (stateless: server/discover, a _meta envelope on every request).
 */
export type ProtocolEra = 'legacy' | 'modern';

/** Which era a server speaks, as a probe (`server/discover`, SDK v2 `versionNegotiation: auto`) found. */
export interface EraVerdict {
  era: ProtocolEra;
  /** The server's `server/discover` result when it is modern (SDK v2's `PriorDiscovery` needs it). */
  discover?: Record<string, unknown>;
  /** When the probe ran (ISO time): a verdict is reused only while fresh. */
  checkedAt: string;
}

/** A request the gateway sends an upstream (a spec method: its result is checked against the spec). */
export interface UpstreamRequest<M extends RequestMethod = RequestMethod> {
  method: M;
  params?: Record<string, unknown>;
}

export interface UpstreamRequestOptions {
  signal?: AbortSignal;
  timeout?: number;
  /** Progress from the upstream restarts the timeout. */
  resetTimeoutOnProgress?: boolean;
  onprogress?: (progress: Progress) => void;
  /**
   * Modern-era servers: an `input_required` result is returned as it is (for a 2026-07-28 caller to
   * answer) instead of being answered through the connection's request handlers.
   */
  allowInputRequired?: boolean;
}

/** Answers a request the upstream sends to its client (sampling, elicitation, roots, ping). */
export type ServerRequestHandler = (request: ServerRequest, signal: AbortSignal) => Promise<Record<string, unknown>>;

export interface UpstreamEvents {
  /** Status or error changed. */
  state: [state: UpstreamState];
  /** Parts of the catalog changed (after initialize, after list_changed, after a restart). */
  catalog: [parts: CatalogPart[]];
  /** A notification the gateway may relay: notifications/message, notifications/resources/updated, … */
  notification: [notification: ServerNotification];
  /** A new stderr line (stdio) or a connection log line (HTTP). */
  log: [line: string];
  /** A probe decided the server's era (not emitted when a stored verdict was reused). */
  era: [verdict: EraVerdict];
}

export interface UpstreamConnection extends EventEmitter<UpstreamEvents> {
  readonly name: string;
  /** The config it was created from (a changed config means a new connection: `UpstreamManager.replace`). */
  readonly config: ServerConfig;
  readonly state: UpstreamState;
  /** The era the current (or last) connection speaks; undefined before the first connect. */
  readonly era: EraVerdict | undefined;
  /** The last fetched catalog; undefined until the first successful initialize. */
  readonly catalog: UpstreamCatalog | undefined;
  /** The connected SDK client while status is 'running'. Requests go through `client.request(...)`. */
  readonly client: Client | undefined;
  /** The bounded log (stderr lines for stdio, connection events for HTTP), oldest first. */
  logLines(): string[];
  /**
   * Connects (or spawns) and initializes; resolves when running, rejects with a user-facing error.
   * A failure is retried with backoff unless `retry` is false (trying out a registration): then the
   * connection stops in 'error' and the error says nothing of restarting.
   */
  start(options?: { retry?: boolean }): Promise<void>;
  /** Disconnects; for stdio kills the whole process group (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** While running: stops like `stop` but keeps the catalog listed, in state 'sleeping'; the next `ready()` starts it again. */
  sleep(): Promise<void>;
  /** Since when (ms since epoch) nothing was asked of the server: undefined while a request is in flight or a resource subscription is open. */
  idleSince(): number | undefined;
  /** Waits until running (starting it when stopped, retrying at once when crashed), bounded by `timeoutMs` (default: the initialize timeout + 5 s, at most 60 s). */
  ready(timeoutMs?: number): Promise<Client>;
  /**
   * Sends a request while running. With `origin` (the downstream call it is made for), the sampling,
   * elicitation and roots requests the server sends for it are answered by `origin`.
   */
  request<M extends RequestMethod>(request: UpstreamRequest<M>, options?: UpstreamRequestOptions, origin?: RequestOrigin): Promise<ResultTypeMap[M]>;
  /**
   * Streamable-HTTP servers: sends one 2026-07-28 JSON-RPC message as it is, with the server's own
   * credentials, and resolves with the server's HTTP response (JSON or an SSE stream), unread.
   */
  forwardModern(body: string, protocolHeaders: Record<string, string>, signal: AbortSignal): Promise<Response>;
  /** Who answers sampling / elicitation / roots requests that belong to no call. Set by the gateway. */
  setServerRequestHandler(handler: ServerRequestHandler): void;
}
