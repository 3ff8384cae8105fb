// The one call pipeline (see DESIGN.md, "One call pipeline"): every tool call, prompt get and
// resource read — from an MCP session of either era, a group, the search view's call_tool, or the
// admin API's invoke and read — goes (caller, request) → resolve the exposed name under the caller's
// view → upstream → resource URIs as the view exposes them → metrics and audit record.
// Only how the request reaches the upstream differs by caller, so that step is passed in (`Send`).
import { isInputRequiredResult, ProtocolErrorCode, type RequestMethod, type ResultTypeMap, type ServerRequest } from '@modelcontextprotocol/server';
import { resolveItem, type Catalog, type CatalogSource, type CatalogView, type ItemFilter, type ItemRef, type ViewSpec } from './catalog.ts';
import { exposeResultUris } from './content-uris.ts';
import { startingServer, waitForServer } from './starting-servers.ts';
import { JsonRpcError, relayable } from '../upstream/json-rpc-error.ts';
import type { RequestOrigin } from '../upstream/request-origins.ts';
import type { UpstreamConnection, UpstreamRequest, UpstreamRequestOptions } from '../upstream/types.ts';

/** Long-running tools are normal; progress notifications reset the clock. */
export const CALL_TIMEOUT_MS = 10 * 60_000;

/**
 * The caller's current filter (enterprise allow-list). Asked on every request, so an allow-list
 * change applies to open sessions at once.
 */
export type FilterSource = () => ItemFilter | undefined;

/** Who calls, and through which view (all servers, a group, one server). */
export interface PipelineCaller {
  /** For audit; undefined in development mode. */
  readonly identity: string | undefined;
  readonly spec: ViewSpec;
  readonly filter: FilterSource | undefined;
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

/** What the pipeline needs of the gateway (GatewayCore). */
export interface PipelineHost {
  readonly catalog: Catalog;
  readonly source: CatalogSource;
  recordCall(record: CallRecord): void;
}

const METHODS = { tool: 'tools/call', prompt: 'prompts/get', resource: 'resources/read' } as const;
type CallKind = keyof typeof METHODS;
type CallMethod<K extends CallKind> = (typeof METHODS)[K];

/** The request a caller makes: a tool's or prompt's exposed name, or a resource's exposed URI. */
export type CallParams<K extends CallKind> = (K extends 'resource' ? { uri: string } : { name: string }) & {
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
};

/** Sends the resolved request to `server`'s upstream: the one step that depends on who calls. */
export type Send = <M extends RequestMethod>(server: string, request: UpstreamRequest<M>) => Promise<ResultTypeMap[M]>;

export class CallPipeline {
  constructor(private readonly host: PipelineHost) {}

  view(caller: PipelineCaller): CatalogView {
    return this.host.catalog.view(caller.spec, caller.filter?.());
  }

  /**
   * Resolves, sends, maps and records one tool call, prompt get or resource read. Refusals throw a
   * JsonRpcError (-32602 with a message that says what was wrong); the upstream's errors pass as it sent them.
   */
  async call<K extends CallKind>(caller: PipelineCaller, kind: K, params: CallParams<K>, send: Send): Promise<ResultTypeMap[CallMethod<K>]> {
    const exposed = kind === 'resource' ? (params as { uri: string }).uri : (params as { name: string }).name;
    const started = performance.now();
    let target: ItemRef | undefined;
    let outcome: CallRecord['outcome'] = 'error';
    let error: string | undefined;
    // A 2026-07-28 round that asks the client for input is not the call's end: the last round is recorded.
    let roundAsked = false;
    try {
      target = kind === 'resource' ? this.resolveResource(caller, exposed) : await this.resolveWhenReady(caller, kind as 'tool' | 'prompt', exposed);
      const renamed = kind === 'resource' ? { uri: target.name } : { name: target.name };
      const request = { method: METHODS[kind], params: { ...params, ...renamed, _meta: withoutProgressToken(params._meta) } };
      const result = (await send(target.server, request)) as ResultTypeMap[CallMethod<K>];
      roundAsked = isInputRequiredResult(result);
      outcome = kind === 'tool' && (result as { isError?: boolean }).isError ? 'tool_error' : 'ok';
      return this.exposeUris(caller, target.server, result);
    } catch (thrown) {
      error = (thrown as Error).message;
      if (!target && thrown instanceof JsonRpcError && thrown.code === ProtocolErrorCode.InvalidParams) outcome = 'denied';
      throw thrown;
    } finally {
      if (!roundAsked) {
        this.host.recordCall({
          identity: caller.identity,
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

  /** Resolves a name, first waiting (bounded) for its server when that is still starting. */
  async resolveWhenReady(caller: PipelineCaller, kind: 'tool' | 'prompt', exposed: string): Promise<ItemRef> {
    const view = this.view(caller);
    if (kind === 'tool' ? view.resolveTool(exposed) : view.resolvePrompt(exposed)) return this.resolve(caller, kind, exposed);
    const server = startingServer(this.host.source, caller.spec, kind, exposed, caller.filter?.());
    if (server) await waitForServer(this.host.source, server);
    return this.resolve(caller, kind, exposed);
  }

  resolve(caller: PipelineCaller, kind: 'tool' | 'prompt', exposed: string): ItemRef {
    const resolved = resolveItem(this.host.source, caller.spec, this.view(caller), caller.filter?.(), kind, exposed);
    if ('error' in resolved) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, resolved.error);
    return resolved.ref;
  }

  resolveResource(caller: PipelineCaller, uri: string): ItemRef {
    const ref = this.view(caller).resolveResource(uri);
    // -32602 (invalid params): a missing resource, as MCP 2026-07-28 requires (the SDK sends a -32002 as -32602 anyway).
    if (!ref) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `unknown resource '${uri}'`);
    const server = this.host.source.server(ref.server);
    if (!server) throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `unknown resource '${uri}': no server named '${ref.server}'`);
    if (!server.enabled) {
      throw new JsonRpcError(ProtocolErrorCode.InvalidParams, `server '${ref.server}' is disabled: enable it with \`canopy enable server ${ref.server}\``);
    }
    return ref;
  }

  /** Maps the resource URIs in an upstream's result to the ones the caller's view exposes. */
  private exposeUris<R>(caller: PipelineCaller, server: string, result: R): R {
    if (caller.spec.kind === 'server' || typeof result !== 'object' || result === null) return result;
    const view = this.view(caller);
    return exposeResultUris(result, (uri) => view.exposeResourceUri(server, uri));
  }
}

/**
 * Sends a request once the upstream is ready (bounded by the server's own initialize timeout). The
 * upstream's errors come back as it sent them; `origin` answers what it asks during the request.
 */
export async function sendUpstream<M extends RequestMethod>(
  server: string,
  connection: UpstreamConnection,
  request: UpstreamRequest<M>,
  options: UpstreamRequestOptions,
  origin?: RequestOrigin,
): Promise<ResultTypeMap[M]> {
  await upstreamReady(server, connection);
  try {
    return await connection.request(request, options, origin);
  } catch (error) {
    throw relayable(error);
  }
}

/** Waits for the upstream to run, bounded by the server's own initialize timeout. */
export async function upstreamReady(server: string, connection: UpstreamConnection): Promise<void> {
  try {
    await connection.ready();
  } catch (error) {
    throw new JsonRpcError(ProtocolErrorCode.InternalError, `server '${server}' is not available: ${(error as Error).message}`);
  }
}

/** The admin API answers nothing an upstream asks during a call: it has no user to ask. */
export const ADMIN_ORIGIN: RequestOrigin = {
  answer: async (request: ServerRequest) => {
    throw new JsonRpcError(
      ProtocolErrorCode.InvalidRequest,
      `the admin API cannot answer '${request.method}' during a call: call this tool from an MCP client that supports ${request.method}`,
    );
  },
};

function withoutProgressToken(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!meta) return undefined;
  const { progressToken: _ignored, ...rest } = meta;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
