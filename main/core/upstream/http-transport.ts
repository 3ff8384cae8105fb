// Transports for remote upstreams (streamable HTTP and legacy SSE) with the server's own static
// credentials. Only the server config feeds the headers: nothing from a downstream client's request
// is ever forwarded upstream.
import { SSEClientTransport, StreamableHTTPClientTransport, type AuthProvider, type OAuthClientProvider, type RequestId, type Transport } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/server-config.ts';
import { relatingRequests } from './request-origins.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, tooLargeText } from './message-size.ts';
import { fetchWithResponseLimit } from './response-limit.ts';

/** Where a connection's bearer token comes from: OAuth (refreshed as needed), or a plain token source. */
export type UpstreamAuth = OAuthClientProvider | AuthProvider;

/** The access token `auth` has now, if any. */
export async function bearerOf(auth: UpstreamAuth): Promise<string | undefined> {
  return 'token' in auth ? auth.token() : (await auth.tokens())?.access_token;
}

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
 * `onDropped`: a message over `max_response_bytes` that no call waits for was skipped (its text says
 * so). `noteRelated` (streamable HTTP): a server request arrived on the response stream of a POST.
 */
export function createHttpTransport(
  config: ServerConfig,
  headers: Record<string, string>,
  authProvider?: UpstreamAuth,
  onDropped?: (text: string) => void,
  noteRelated?: (serverRequestId: RequestId, postedId: RequestId) => void,
): Transport {
  if (!config.url) throw new Error(`server '${config.name}' has no url`);
  const url = new URL(config.url);
  const limitBytes = config.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const text = tooLargeText(config.name, limitBytes);
  const limited = fetchWithResponseLimit({ limitBytes, text, onDropped: () => onDropped?.(text) }, noteRelated && relatingRequests(noteRelated));
  // SSE: `requestInit.headers` reach both the EventSource GET and the message POSTs.
  const options = { requestInit: { headers }, authProvider, fetch: limited };
  return config.transport === 'sse' ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
}
