// Transports for remote upstreams (streamable HTTP and legacy SSE) with the server's own static
// credentials. Only the server config feeds the headers: nothing from a downstream client's request
// is ever forwarded upstream.
import { setMaxListeners } from 'node:events';
import { SSEClientTransport, StreamableHTTPClientTransport, type OAuthClientProvider, type RequestId, type Transport } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/server-config.ts';
import { fetchRelatingRequests } from './request-origins.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, tooLargeText } from './message-size.ts';
import { fetchWithResponseLimit } from './response-limit.ts';

export interface UpstreamHeaders {
  headers: Record<string, string>;
  /** Things the user should hear about once (e.g. a header overriding bearer_token). */
  warnings: string[];
}

/** `bearer_token` as `Authorization: Bearer …`, then `headers`; a `headers.Authorization` (any case) wins. */
export function upstreamHeaders(config: Pick<ServerConfig, 'bearer_token' | 'headers'>): UpstreamHeaders {
  const custom = Object.entries(config.headers ?? {});
  const authorizationHeader = custom.find(([name]) => name.toLowerCase() === 'authorization');
  const warnings: string[] = [];
  const headers: Record<string, string> = {};
  if (config.bearer_token) {
    if (authorizationHeader) warnings.push(`headers.${authorizationHeader[0]} overrides bearer_token`);
    else headers.Authorization = `Bearer ${config.bearer_token}`;
  }
  for (const [name, value] of custom) headers[name] = value;
  return { headers, warnings };
}

/**
 * The SDK's transports pass one long-lived AbortSignal to every request; fetch hangs a listener on
 * it per request and lets go of it only when the request is garbage-collected. On a busy upstream
 * that is thousands of listeners at once — expected, not a leak — so the signal's listener warning
 * is turned off rather than printed into the gateway's log over and over.
 */
export const fetchOnSharedSignal: typeof fetch = (input, init) => {
  if (init?.signal) setMaxListeners(0, init.signal);
  return fetch(input, init);
};

/**
 * `onDropped`: a message over `max_response_bytes` that no call waits for was skipped (its text says
 * so). `noteRelated` (streamable HTTP): a server request arrived on the response stream of a POST.
 */
export function createHttpTransport(
  config: ServerConfig,
  headers: Record<string, string>,
  authProvider?: OAuthClientProvider,
  onDropped?: (text: string) => void,
  noteRelated?: (serverRequestId: RequestId, postedId: RequestId) => void,
): Transport {
  if (!config.url) throw new Error(`server '${config.name}' has no url`);
  const url = new URL(config.url);
  const limitBytes = config.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const text = tooLargeText(config.name, limitBytes);
  const limited = fetchWithResponseLimit(fetchOnSharedSignal, { limitBytes, text, onDropped: () => onDropped?.(text) });
  // SSE: `requestInit.headers` reach both the EventSource GET and the message POSTs.
  const options = { requestInit: { headers }, authProvider, fetch: noteRelated ? fetchRelatingRequests(limited, noteRelated) : limited };
  return config.transport === 'sse' ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
}
