// A 2026-07-28 caller's tools/call, prompts/get or resources/read on /mcp or a group, sent to a 2026
// server in the 2026 form as a request of its own: the caller's envelope (its client info and
// capabilities), its inputResponses and requestState, and its Mcp-Param-* headers go along, and
// the server's result comes back as it is — an input_required one included. Nothing of a multi
// round trip stays in Canopy, so any replica serves the next round.
import type { UpstreamConnection } from '../upstream/types.ts';
import { JsonRpcError } from '../upstream/json-rpc-error.ts';
import { encodeHeaderValue, forwardedProtocolHeaders } from '../upstream/mcp-headers.ts';
import { responseMessages } from '../upstream/sse-messages.ts';

const MODERN_VERSION = '2026-07-28';
const INTERNAL_ERROR = -32603;

/** What of the caller's own request goes along with its call. */
export interface ModernCaller {
  /** The caller's HTTP request (its Mcp-Param-*, tracing and protocol-version headers). */
  request: Request;
  /** The caller's `_meta`, envelope keys included. */
  meta: Record<string, unknown>;
  inputResponses?: Record<string, unknown>;
  requestState?: string;
  signal: AbortSignal;
}

let nextId = 1;

export async function callModern(
  connection: UpstreamConnection,
  call: { method: string; params?: Record<string, unknown> },
  caller: ModernCaller,
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void,
): Promise<Record<string, unknown>> {
  const id = `canopy-${nextId++}`;
  const params = {
    ...call.params,
    _meta: caller.meta,
    ...(caller.inputResponses ? { inputResponses: caller.inputResponses } : {}),
    ...(caller.requestState !== undefined ? { requestState: caller.requestState } : {}),
  };
  const response = await connection.forwardModern(JSON.stringify({ jsonrpc: '2.0', id, method: call.method, params }), headersFor(call, caller.request), caller.signal);
  for await (const message of responseMessages(response)) {
    if (message.method === 'notifications/progress') {
      onprogress?.(message.params as { progress: number; total?: number; message?: string });
    } else if (message.id === id) {
      const error = message.error as { code: number; message: string; data?: unknown } | undefined;
      if (error) throw new JsonRpcError(error.code, error.message, error.data);
      return message.result as Record<string, unknown>;
    }
  }
  throw new JsonRpcError(INTERNAL_ERROR, `server '${connection.name}' answered HTTP ${response.status} without a result`);
}

/** The caller's 2026 request headers, with method and name those of the call as the server knows it. */
function headersFor(call: { method: string; params?: Record<string, unknown> }, request: Request): Record<string, string> {
  const headers: Record<string, string> = { ...forwardedProtocolHeaders(request), 'mcp-method': call.method };
  headers['mcp-protocol-version'] ??= MODERN_VERSION;
  const name = call.method === 'resources/read' ? call.params?.uri : call.params?.name;
  if (typeof name === 'string') headers['mcp-name'] = encodeHeaderValue(name);
  return headers;
}
