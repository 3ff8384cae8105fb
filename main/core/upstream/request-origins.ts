// Which downstream call a request from an upstream (sampling, elicitation, roots) belongs to, as far
// as the wire tells. Streamable HTTP says it exactly: a server→client request sent on the response
// stream of a POST is related to the request that POST carried (MCP 2025-11-25, transports §
// "Sending Messages to the Server"), so the response streams are read for requests as they pass.
// stdio and legacy SSE carry no relation: a request belongs to the only call in flight, and with
// several in flight it is ambiguous — refused, never guessed. A modern (2026-07-28) server sends no
// requests at all: a call's result says `input_required`, and the SDK's client answers the embedded
// requests through the same handlers, inside the call's own promise chain — so the call running
// there (AsyncLocalStorage) is the one they belong to.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isJSONRPCRequest, type RequestId, type ServerRequest, type Transport } from '@modelcontextprotocol/client';
import type { SseEventWatcher } from './response-limit.ts';
import { eventData } from './sse-messages.ts';

/** The downstream call a request goes upstream for: answers what the upstream asks in its context. */
export interface RequestOrigin {
  answer(request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>>;
}

export type OriginLookup = { kind: 'call'; origin: RequestOrigin } | { kind: 'none' } | { kind: 'ambiguous'; calls: number };

/** Relations noted but never asked for (a request the SDK failed to parse) are forgotten beyond this many. */
const MAX_UNCLAIMED_RELATIONS = 1_000;

export class RequestOrigins {
  /** Downstream calls in flight, by the JSON-RPC id of the request sent upstream for them. */
  private readonly inflight = new Map<RequestId, RequestOrigin>();
  /** Server request id → id of the request whose response stream carried it (streamable HTTP). */
  private readonly related = new Map<RequestId, RequestId>();
  private lastSentId: RequestId | undefined;
  /** The call whose promise chain runs now (modern era: the SDK fulfils input_required inside it). */
  private readonly running = new AsyncLocalStorage<RequestOrigin>();

  /** `relatesOnTheWire`: the transport reports relations (streamable HTTP) through `noteRelated`. */
  constructor(
    transport: Transport,
    private readonly relatesOnTheWire: boolean,
  ) {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      if (isJSONRPCRequest(message)) this.lastSentId = message.id;
      return send(message, options);
    };
  }

  /**
   * Starts a request for `origin`. The SDK hands a request to the transport synchronously inside
   * `Client.request`, so the id seen by `send` meanwhile is this request's; if it ever were not sent
   * synchronously the call would simply have no known relation (its requests refused, not misrouted).
   */
  send<T>(origin: RequestOrigin, start: () => Promise<T>): Promise<T> {
    this.lastSentId = undefined;
    const pending = this.running.run(origin, start);
    const id = this.lastSentId;
    if (id === undefined) return pending;
    this.inflight.set(id, origin);
    return pending.finally(() => this.inflight.delete(id));
  }

  /** The upstream sent request `serverRequestId` on the response stream of request `postedId`. */
  noteRelated(serverRequestId: RequestId, postedId: RequestId): void {
    this.related.set(serverRequestId, postedId);
    if (this.related.size > MAX_UNCLAIMED_RELATIONS) this.related.delete(this.related.keys().next().value!);
  }

  /**
   * Whose call an input request of a modern server's `input_required` result belongs to: the call
   * the SDK's client is fulfilling it for, whose async context it runs in.
   */
  inputRequestOrigin(): OriginLookup {
    const origin = this.running.getStore();
    return origin ? { kind: 'call', origin } : { kind: 'none' };
  }

  /** Whose call a request from the upstream belongs to. */
  lookup(serverRequestId: RequestId): OriginLookup {
    if (this.relatesOnTheWire) {
      const postedId = this.related.get(serverRequestId);
      this.related.delete(serverRequestId);
      const origin = postedId === undefined ? undefined : this.inflight.get(postedId);
      return origin ? { kind: 'call', origin } : { kind: 'none' };
    }
    if (this.inflight.size === 1) return { kind: 'call', origin: this.inflight.values().next().value! };
    return this.inflight.size === 0 ? { kind: 'none' } : { kind: 'ambiguous', calls: this.inflight.size };
  }
}

/**
 * Watches the SSE response streams of POSTed requests (see fetchWithResponseLimit) for requests
 * from the server, and reports each with the id of the request the POST carried, before its bytes
 * reach the SDK's own parser.
 */
export function relatingRequests(note: (serverRequestId: RequestId, postedId: RequestId) => void): SseEventWatcher {
  return (event, init) => {
    // Responses and empty events are not requests: most events end here, unparsed.
    if (init?.method !== 'POST' || event.indexOf('"method"') < 0) return;
    const postedId = singleRequestId(init.body);
    if (postedId === undefined) return;
    try {
      const message = JSON.parse(eventData(event.toString())) as unknown;
      if (isJSONRPCRequest(message)) note(message.id, postedId);
    } catch {
      // Not JSON: the SDK reports it; nothing to relate.
    }
  };
}

/** The id of the one request a POST body carries (a batch relates to no single call). */
function singleRequestId(body: unknown): RequestId | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const message = JSON.parse(body) as unknown;
    return isJSONRPCRequest(message) ? message.id : undefined;
  } catch {
    return undefined;
  }
}
