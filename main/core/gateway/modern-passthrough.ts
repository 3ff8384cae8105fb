// One server's endpoint in front of a server that speaks MCP 2026-07-28 itself: a modern request
// is stateless, so it is handed on as it is, after the caller's access is checked, and the server's
// answer (JSON, or an SSE stream of progress and the result) comes back unread. What the upstream
// does in the 2026 era (input_required rounds and their requestState, subscriptions/listen,
// caching hints, tasks) therefore reaches the client exactly as it would directly.
// Canopy steps in only where the caller's view differs from the upstream's: tool and prompt names
// (renamed or hidden by overrides, disabled, outside the caller's allow-list) and lists filtered for
// the caller, whose caching hint then becomes private.
import type { JSONRPCNotification, JSONRPCRequest } from '@modelcontextprotocol/server';
import { resolveItem, type Catalog, type CatalogSource, type ItemFilter, type ItemRef, type ViewSpec } from './catalog.ts';
import type { CallRecord } from './call-pipeline.ts';
import type { UpstreamConnection } from '../upstream/types.ts';
import { decodeHeaderValue, encodeHeaderValue, forwardedProtocolHeaders } from '../upstream/mcp-headers.ts';
import { headerMismatch, jsonRpcError } from './json-rpc-error.ts';
import { JsonRpcError } from '../upstream/json-rpc-error.ts';
import { responseMessages } from '../upstream/sse-messages.ts';

/** What the pass-through needs of the gateway. */
export interface PassThroughHost {
  readonly catalog: Catalog;
  readonly source: CatalogSource;
  recordCall(record: CallRecord): void;
}

export interface ModernCall {
  request: Request;
  message: JSONRPCRequest | JSONRPCNotification;
  server: string;
  identity: string | undefined;
  filter: ItemFilter | undefined;
}

const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
/**
 * The Mcp-Name header for a tool or prompt the caller knows under another name (an override): the
 * header must mirror the body, so it is checked against the name the caller used and then carries
 * the upstream's name. Undefined when the caller's header disagrees with its own body; no change
 * when the name is the upstream's or the caller sent no header (the server judges that itself).
 */
function renamedNameHeader(request: Request, exposed: string, upstreamName: string): Record<string, string> | undefined {
  const header = request.headers.get('mcp-name');
  if (header === null || exposed === upstreamName) return {};
  if (decodeHeaderValue(header) !== exposed) return undefined;
  return { 'mcp-name': encodeHeaderValue(upstreamName) };
}

/** Whether a modern request on `server`'s own endpoint can be handed to the server as it is. */
export function servesModernDirectly(connection: UpstreamConnection | undefined): boolean {
  return connection?.config.transport === 'streamable_http' && connection.era?.era === 'modern';
}

/** List methods whose results Canopy narrows to the caller's view. */
const LISTS: Record<string, { key: string; kind: 'tool' | 'prompt' | 'resource' } | undefined> = {
  'tools/list': { key: 'tools', kind: 'tool' },
  'prompts/list': { key: 'prompts', kind: 'prompt' },
  'resources/list': { key: 'resources', kind: 'resource' },
  'resources/templates/list': { key: 'resourceTemplates', kind: 'resource' },
};

export class ModernPassThrough {
  constructor(private readonly host: PassThroughHost) {}

  async handle(call: ModernCall, connection: UpstreamConnection): Promise<Response> {
    const { message } = call;
    if (!('id' in message)) return this.forward(call, connection, message, {});
    const spec: ViewSpec = { kind: 'server', server: call.server };
    const view = this.host.catalog.view(spec, call.filter);
    const params = (message.params ?? {}) as Record<string, unknown>;
    const method = message.method;
    if (method === 'tools/call' || method === 'prompts/get') {
      const kind = method === 'tools/call' ? 'tool' : 'prompt';
      const exposed = typeof params.name === 'string' ? params.name : '';
      const resolved = resolveItem(this.host.source, spec, view, call.filter, kind, exposed);
      if ('error' in resolved) {
        this.record(call, kind, exposed, undefined, 'denied', 0, resolved.error);
        return jsonRpcError(200, INVALID_PARAMS, resolved.error, { id: message.id });
      }
      const nameHeader = renamedNameHeader(call.request, exposed, resolved.ref.name);
      if (nameHeader === undefined) return headerMismatch(message.id, `the body carries params.name="${exposed}" but the Mcp-Name header does not`);
      const renamed = { ...message, params: { ...params, name: resolved.ref.name } };
      return this.recorded(call, kind, resolved.ref, () => this.forward(call, connection, renamed, nameHeader));
    }
    if (method === 'resources/read') {
      const uri = typeof params.uri === 'string' ? params.uri : '';
      if (call.filter && !call.filter.allows(call.server, 'resource', uri)) {
        const error = `resource '${uri}' is unknown or not allowed for this client`;
        this.record(call, 'resource', uri, undefined, 'denied', 0, error);
        return jsonRpcError(200, INVALID_PARAMS, error, { id: message.id });
      }
      return this.recorded(call, 'resource', { server: call.server, name: uri }, () => this.forward(call, connection, message, {}));
    }
    if (method === 'completion/complete') {
      const ref = params.ref as { type?: string; name?: string } | undefined;
      if (ref?.type === 'ref/prompt' && typeof ref.name === 'string') {
        const resolved = resolveItem(this.host.source, spec, view, call.filter, 'prompt', ref.name);
        if ('error' in resolved) return jsonRpcError(200, INVALID_PARAMS, resolved.error, { id: message.id });
        const renamed = { ...message, params: { ...params, ref: { ...ref, name: resolved.ref.name } } };
        return this.forward(call, connection, renamed, {});
      }
    }
    const list = LISTS[method];
    if (list) return this.narrowList(call, connection, message, list);
    return this.forward(call, connection, message, {});
  }

  /** Sends the message upstream; the server's answer comes back as it is (auth failures excepted). */
  private async forward(call: ModernCall, connection: UpstreamConnection, message: JSONRPCRequest | JSONRPCNotification, headers: Record<string, string>): Promise<Response> {
    const id = 'id' in message ? message.id : null;
    let response: Response;
    try {
      response = await connection.forwardModern(JSON.stringify(message), { ...forwardedProtocolHeaders(call.request), ...headers }, call.request.signal);
    } catch (error) {
      if (error instanceof JsonRpcError) return jsonRpcError(200, error.code, error.message, { id });
      return jsonRpcError(200, INTERNAL_ERROR, `server '${call.server}' is not available: ${(error as Error).message}`, { id });
    }
    const out = new Headers();
    for (const name of ['content-type', 'cache-control', 'allow']) {
      const value = response.headers.get(name);
      if (value) out.set(name, value);
    }
    return new Response(response.body, { status: response.status, headers: out });
  }

  /** A list narrowed to what the caller may see, renamed as overrides say. */
  private async narrowList(
    call: ModernCall,
    connection: UpstreamConnection,
    message: JSONRPCRequest,
    list: { key: string; kind: 'tool' | 'prompt' | 'resource' },
  ): Promise<Response> {
    const response = await this.forward(call, connection, message, {});
    const answer = await readAnswer(response, message.id);
    if (!answer) return response;
    const result = answer.result as Record<string, unknown> | undefined;
    const items = result?.[list.key];
    if (!Array.isArray(items)) return Response.json(answer, { status: response.status });
    const view = this.host.catalog.view({ kind: 'server', server: call.server }, call.filter);
    const listed = list.kind === 'tool' ? new Map(view.tools.map((tool) => [tool.name, tool])) : undefined;
    const narrowed = items.flatMap((item: Record<string, unknown>) => {
      if (list.kind === 'resource') {
        const uri = (item.uri ?? item.uriTemplate) as string;
        return !call.filter || call.filter.allows(call.server, 'resource', uri) ? [item] : [];
      }
      const name = view.exposedName(list.kind, call.server, item.name as string);
      if (name === undefined) return [];
      const description = listed?.get(name)?.description;
      return [{ ...item, name, ...(description !== undefined ? { description } : {}) }];
    });
    // A list that depends on who asks must not be reused for anybody else.
    const perCaller = call.filter !== undefined ? { cacheScope: 'private' } : {};
    return Response.json({ ...answer, result: { ...result, [list.key]: narrowed, ...perCaller } }, { status: response.status });
  }

  /** Forwards a tool call, prompt get or resource read and records it (metrics, audit) with its outcome. */
  private async recorded(call: ModernCall, kind: CallRecord['kind'], ref: ItemRef, send: () => Promise<Response>): Promise<Response> {
    const started = performance.now();
    const response = await send();
    const done = (outcome: CallRecord['outcome'], error?: string) => this.record(call, kind, ref.name, ref.server, outcome, performance.now() - started, error);
    if (!response.body || !response.ok) {
      done('error', `HTTP ${response.status}`);
      return response;
    }
    const [forClient, forRecord] = response.body.tee();
    void lastMessageOf(new Response(forRecord, { headers: response.headers })).then((last) => {
      const error = last?.error as { message?: string } | undefined;
      if (error) done('error', error.message);
      else done((last?.result as { isError?: boolean } | undefined)?.isError ? 'tool_error' : 'ok');
    });
    return new Response(forClient, { status: response.status, headers: response.headers });
  }

  private record(call: ModernCall, kind: CallRecord['kind'], name: string, server: string | undefined, outcome: CallRecord['outcome'], durationMs: number, error?: string): void {
    this.host.recordCall({ identity: call.identity, kind, server, name, outcome, durationMs, error });
  }
}

/** The JSON-RPC response answering `id` in a JSON or SSE answer; undefined when there is none. */
async function readAnswer(response: Response, id: unknown): Promise<Record<string, unknown> | undefined> {
  const last = await lastMessageOf(response.clone());
  return last && last.id === id ? last : undefined;
}

/** A response's last JSON-RPC message (the answer, after any notifications on an SSE stream). */
async function lastMessageOf(response: Response): Promise<Record<string, unknown> | undefined> {
  let last: Record<string, unknown> | undefined;
  try {
    for await (const message of responseMessages(response)) last = message;
  } catch {
    // the stream broke off: what arrived is all there is
  }
  return last;
}

